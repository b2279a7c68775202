//! Feeds the workspace's search index (the Search DO) through `SEARCH_QUEUE`, off the message
//! path: storing a message only raises a number in memory; a moment later one task reads what
//! was stored since the last batch from the message log and sends it as one queue message.
//!
//! Durable without a write per message: the message log is the source, and the `indexed` mark
//! (the last seq the queue took) is written once per batch. A batch lost with an evicted
//! object or a failed send is sent again from the mark by the next message or activation; the
//! Search DO stores each message once by its key, so a batch sent twice indexes nothing twice.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use charla_shared::basic::Seq;
use charla_shared::search::{IndexBatch, IndexDoc};
use serde::Deserialize;
use worker::{Delay, Env, SqlStorage};

use super::columns::author_kind_of;
use crate::error::Result;
use crate::switches;

/// How long stored messages wait to be sent together (a burst goes as one batch).
const GATHER: Duration = Duration::from_millis(500);
/// Text bytes one queue message carries at most (queue messages are limited to 128 KB).
const BATCH_BYTES: usize = 96 * 1024;
/// Messages read from the log per batch at most.
const BATCH_ROWS: i64 = 200;

/// Which conversation the documents belong to.
#[derive(Clone)]
pub(super) struct Subject {
    pub workspace_id: String,
    pub conversation_id: String,
    pub contact_id: String,
}

pub(super) struct Indexer {
    env: Env,
    sql: SqlStorage,
    /// The last seq the queue took (`None` until read from `meta`).
    sent: Cell<Option<Seq>>,
    /// The last seq stored.
    latest: Cell<Seq>,
    /// A batch task is running (it sends whatever is stored until it is caught up).
    busy: Cell<bool>,
    /// `CHARLA_DEV_NO_INDEX=1`: nothing is sent (benchmarks measure the message path without it).
    off: bool,
}

#[derive(Deserialize)]
struct MarkRow {
    v: String,
}

#[derive(Deserialize)]
struct DocRow {
    seq: i64,
    author_kind: String,
    text: String,
    at: i64,
}

impl Indexer {
    pub(super) fn new(env: Env, sql: SqlStorage) -> Self {
        let off = switches::on(&env, "CHARLA_DEV_NO_INDEX");
        Indexer {
            env,
            sql,
            sent: Cell::new(None),
            latest: Cell::new(0),
            busy: Cell::new(false),
            off,
        }
    }

    /// Messages up to `seq` are in the log: send them soon. `None` when a task already runs
    /// (it will pick them up), else the task to run beside the request.
    pub(super) fn stored(
        self: &Rc<Self>,
        seq: Seq,
        subject: &Subject,
    ) -> Option<impl std::future::Future<Output = ()> + 'static> {
        self.latest.set(self.latest.get().max(seq));
        if self.off || self.busy.get() {
            return None;
        }
        self.busy.set(true);
        Some(Rc::clone(self).run(subject.clone()))
    }

    /// The conversation was deleted: its log and mark are gone, so a conversation started
    /// again under the same id indexes from its first message.
    pub(super) fn forget(&self) {
        self.sent.set(None);
        self.latest.set(0);
    }

    async fn run(self: Rc<Self>, subject: Subject) {
        loop {
            Delay::from(GATHER).await;
            if let Err(err) = self.catch_up(&subject).await {
                worker::console_error!("search indexing failed (retried later): {err:?}");
            }
            // Anything stored during the last send is sent by another round; a failure waits
            // for the next message or activation.
            let behind = self.sent.get().is_some_and(|s| s < self.latest.get());
            if !behind || self.sent.get().is_none() {
                break;
            }
        }
        self.busy.set(false);
    }

    fn mark(&self) -> Result<Seq> {
        if let Some(sent) = self.sent.get() {
            return Ok(sent);
        }
        let rows: Vec<MarkRow> = self
            .sql
            .exec("SELECT v FROM meta WHERE k = 'indexed'", None)?
            .to_array()?;
        let sent = rows.first().and_then(|r| r.v.parse().ok()).unwrap_or(0);
        self.sent.set(Some(sent));
        Ok(sent)
    }

    /// Send everything after the mark, a batch at a time; the mark moves after each send.
    async fn catch_up(&self, subject: &Subject) -> Result<()> {
        let queue = self.env.queue("SEARCH_QUEUE")?;
        loop {
            let from = self.mark()?;
            if from >= self.latest.get() {
                return Ok(());
            }
            let rows: Vec<DocRow> = self
                .sql
                .exec(
                    "SELECT seq, author_kind, text, at FROM messages WHERE seq > ? ORDER BY seq LIMIT ?",
                    vec![(from as i64).into(), BATCH_ROWS.into()],
                )?
                .to_array()?;
            if rows.is_empty() {
                // The log ends before `latest` (nothing more stored): caught up.
                self.sent.set(Some(self.latest.get()));
                return Ok(());
            }
            let mut docs = Vec::new();
            let mut bytes = 0;
            let mut through = from;
            for row in rows {
                bytes += row.text.len();
                if bytes > BATCH_BYTES && !docs.is_empty() {
                    break;
                }
                through = row.seq as Seq;
                docs.push(IndexDoc::Message {
                    conversation_id: subject.conversation_id.clone(),
                    contact_id: subject.contact_id.clone(),
                    seq: row.seq as Seq,
                    author: author_kind_of(&row.author_kind),
                    text: row.text,
                    at: row.at,
                });
            }
            let batch = IndexBatch {
                workspace_id: subject.workspace_id.clone(),
                docs,
                wake: Vec::new(),
            };
            queue.send(serde_json::to_string(&batch)?).await?;
            self.sql.exec(
                "INSERT INTO meta (k, v) VALUES ('indexed', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
                vec![through.to_string().into()],
            )?;
            self.sent.set(Some(through));
        }
    }
}
