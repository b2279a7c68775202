//! What the Conversation DO tells its Workspace DO, off the message path: the inbox line
//! (summary), the report rows of periods that opened or closed and the files messages sent
//! (the workspace's files index), coalesced into one
//! publication per round trip to the Workspace, sent as a frame on the conversation's link
//! (`internal::link`: a `fetch` per publication cost the local runtime more than the rest of
//! the message).
//!
//! The Workspace is one object for a whole workspace, so every request a message costs there
//! is a request shared by all of its conversations. Here a change only replaces the pending
//! summary (and appends a row); one publication is in flight at a time and carries whatever
//! queued up while the previous one was out, and publications of one conversation are at least
//! a gap apart ([`MIN_GAP_MS`], longer while the Workspace answers slowly) unless they carry
//! a contact message (agents look for it in the inbox; its workflows wait for the answer) or a
//! change of who may see the conversation (assignment, team, open, close: every listing the
//! Workspace filters by access reads the index this updates). A conversation that was quiet
//! publishes at once; a busy one costs the Workspace at most one request per round trip,
//! however many messages it stores.
//!
//! Durable: a change's report rows go to the `outbox` table in the same synchronous turn that
//! stores it, and leave it once the Workspace has them. The summary needs no such mark: every
//! activation publishes the summary it recomputes from its state when it loads (see
//! `Conversation::load`), one gap later so that the change that woke it (mostly a message of a
//! hibernated conversation) goes in the same publication; a DO evicted or a workerd restarted
//! before a publication landed repairs the inbox line when it next wakes. A mark would cost a
//! write of its own after each answer (clearing it), and in workerd the first write of a turn
//! is the dearest statement of all (≈ 0.5 ms, as much as the message's own insert); one extra
//! publication per activation is cheaper, and an unchanged line is idempotent at the
//! Workspace.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use charla_shared::basic::Millis;
use charla_shared::file_index::SentFile;
use charla_shared::protocol::ConversationSummary;
use charla_shared::reports::ReportRow;
use serde::Deserialize;
use worker::{Delay, Env, SqlStorage};

use super::kept_settings::KeptSettings;
use crate::error::Result;
use crate::ids::now_millis;
use crate::internal::link::Link;
use crate::internal::workspace::{Publication, Published};
use crate::oneshot::{Slot, Wait};

/// The least time between two publications of one conversation: the most an inbox line lags
/// behind a busy conversation, beyond the Workspace's round trip.
const MIN_GAP_MS: Millis = 250;

/// The gap grows with the Workspace's round trip (this many times the last one), up to
/// [`MAX_GAP_MS`]: a busy Workspace is sent fewer, fuller publications. Without it, once
/// conversations send slower than one gap apart because the Workspace is slow, every message
/// becomes a publication of its own and it gets slower still (measured: 10 conversations
/// sending at once 759 messages/s, 50 at once 225).
const GAP_PER_ROUND_TRIP: Millis = 4;
const MAX_GAP_MS: Millis = 1_000;

/// The next change's number: a waiter asks for the answer to the publication that carried it.
pub(super) type Generation = u64;

/// Where a waiter gets the answer to its publication (`None`: it failed).
type AnswerSlot = Rc<Slot<Option<Published>>>;

pub(super) struct Publisher {
    env: Env,
    sql: SqlStorage,
    /// A publication is in flight (its loop sends what queues up meanwhile).
    busy: Cell<bool>,
    /// The newest summary not yet sent, and its workspace.
    summary: RefCell<Option<(ConversationSummary, String)>>,
    /// The last change queued, and the last one a publication answered (or failed) for.
    queued: Cell<Generation>,
    settled: Cell<Generation>,
    /// The Workspace's latest answer (`None` after a failure).
    last: Cell<Option<Published>>,
    waiters: RefCell<Vec<(Generation, AnswerSlot)>>,
    /// When the last publication was sent.
    last_sent: Cell<Millis>,
    /// The gap to keep now (see [`GAP_PER_ROUND_TRIP`]).
    gap: Cell<Millis>,
    /// A contact message (its workflows wait for the answer) or an access change (assignment,
    /// team, open, close) is queued, so no gap is kept.
    urgent: Cell<bool>,
    /// The outbox may hold rows (most publications carry none, and then read nothing).
    rows_queued: Cell<bool>,
    /// The workspace's stub, kept across publications.
    link: RefCell<Option<Rc<Link>>>,
    /// A flush waiting out the gap, to wake when a change hurries.
    gap_waker: RefCell<Option<Waker>>,
    /// Where the lifecycle settings each answer carries are kept.
    settings: Rc<KeptSettings>,
}

#[derive(Deserialize)]
struct OutboxRow {
    id: i64,
    row: String,
    /// `report` (a [`ReportRow`]) or `file` (a [`SentFile`]).
    kind: String,
}

/// The outbox's `kind` of a sent file (report rows are `report`, the column's default).
const FILE_KIND: &str = "file";

impl Publisher {
    pub(super) fn new(env: Env, sql: SqlStorage, settings: Rc<KeptSettings>) -> Self {
        Publisher {
            env,
            sql,
            busy: Cell::new(false),
            summary: RefCell::new(None),
            queued: Cell::new(0),
            settled: Cell::new(0),
            last: Cell::new(None),
            waiters: RefCell::new(Vec::new()),
            last_sent: Cell::new(0),
            gap: Cell::new(MIN_GAP_MS),
            urgent: Cell::new(false),
            rows_queued: Cell::new(true),
            link: RefCell::new(None),
            gap_waker: RefCell::new(None),
            settings,
        }
    }

    /// Queue the conversation's new inbox line (replacing one not sent yet).
    pub(super) fn queue_summary(
        &self,
        summary: ConversationSummary,
        workspace_id: &str,
    ) -> Generation {
        *self.summary.borrow_mut() = Some((summary, workspace_id.to_owned()));
        self.next_generation()
    }

    /// The queued change must not wait for the gap (see `urgent`): a flush waiting it out
    /// sends at once.
    pub(super) fn hurry(&self) {
        self.urgent.set(true);
        if let Some(waker) = self.gap_waker.borrow_mut().take() {
            waker.wake();
        }
    }

    /// Publish the summary recomputed by a new activation (see the module doc), one gap from
    /// now: a change that woke the object (a message) replaces it in the same publication.
    pub(super) fn republish(&self, summary: ConversationSummary, workspace_id: &str) {
        self.last_sent.set(now_millis());
        self.queue_summary(summary, workspace_id);
    }

    /// Queue a period's report row (kept in SQLite until the Workspace has it).
    pub(super) fn queue_row(&self, row: &ReportRow) -> Result<Generation> {
        self.sql.exec(
            "INSERT INTO outbox (row) VALUES (?)",
            vec![serde_json::to_string(row)?.into()],
        )?;
        self.rows_queued.set(true);
        Ok(self.next_generation())
    }

    /// Queue a file sent with a message, for the workspace's files index (kept in SQLite
    /// until the Workspace has it, written in the message's turn like a report row).
    pub(super) fn queue_file(&self, file: &SentFile) -> Result<Generation> {
        self.sql.exec(
            "INSERT INTO outbox (row, kind) VALUES (?, ?)",
            vec![serde_json::to_string(file)?.into(), FILE_KIND.into()],
        )?;
        self.rows_queued.set(true);
        Ok(self.next_generation())
    }

    /// The conversation was deleted: nothing queued is sent (its outbox went with it).
    pub(super) fn forget(&self) {
        self.summary.borrow_mut().take();
        self.rows_queued.set(false);
    }

    fn next_generation(&self) -> Generation {
        self.queued.set(self.queued.get() + 1);
        self.queued.get()
    }

    /// The Workspace's answer to the publication that carried change `generation` (or a
    /// later one); `None` if it failed.
    pub(super) fn answer(&self, generation: Generation) -> Wait<Option<Published>> {
        let (slot, wait) = Slot::new();
        if self.settled.get() >= generation {
            slot.fill(self.last.get());
        } else {
            self.waiters.borrow_mut().push((generation, slot));
        }
        wait
    }

    fn settle(&self, generation: Generation, answer: Option<Published>) {
        self.settled.set(generation);
        self.last.set(answer);
        let ready: Vec<AnswerSlot> = {
            let mut waiters = self.waiters.borrow_mut();
            let (ready, waiting) = waiters.drain(..).partition(|(g, _)| *g <= generation);
            *waiters = waiting;
            ready.into_iter().map(|(_, slot)| slot).collect()
        };
        for slot in ready {
            slot.fill(answer);
        }
    }

    /// Send what is queued, then what queued meanwhile, until nothing is left. A failure
    /// leaves the mark and the rows in SQLite for the next change or activation.
    pub(super) async fn flush(self: Rc<Self>, workspace_id: String) {
        if self.busy.replace(true) {
            return;
        }
        loop {
            if self.summary.borrow().is_none() && !self.rows_queued.get() {
                // Nothing left: no gap to keep either.
                self.settle(self.queued.get(), self.last.get());
                break;
            }
            let since = now_millis() - self.last_sent.get();
            let gap = self.gap.get();
            if since < gap && !self.urgent.get() {
                // What queues up meanwhile goes in the same publication; an urgent change
                // ends the wait (see `hurry`).
                GapWait {
                    delay: Delay::from(Duration::from_millis((gap - since) as u64)),
                    publisher: &self,
                }
                .await;
            }
            let generation = self.queued.get();
            let summary = self.summary.borrow_mut().take();
            let rows: Vec<OutboxRow> = if self.rows_queued.replace(false) {
                match self
                    .sql
                    .exec("SELECT id, row, kind FROM outbox ORDER BY id", None)
                    .and_then(|c| c.to_array())
                {
                    Ok(rows) => rows,
                    Err(err) => {
                        worker::console_error!("reading the outbox failed: {err:?}");
                        Vec::new()
                    }
                }
            } else {
                Vec::new()
            };
            if summary.is_none() && rows.is_empty() {
                self.settle(generation, self.last.get());
                break;
            }
            let last_row = rows.last().map(|r| r.id);
            let (file_rows, report_rows): (Vec<&OutboxRow>, Vec<&OutboxRow>) =
                rows.iter().partition(|r| r.kind == FILE_KIND);
            let report_rows: Vec<ReportRow> = report_rows
                .iter()
                .filter_map(|r| serde_json::from_str(&r.row).ok())
                .collect();
            let files: Vec<SentFile> = file_rows
                .iter()
                .filter_map(|r| serde_json::from_str(&r.row).ok())
                .collect();
            let workspace = summary
                .as_ref()
                .map_or(workspace_id.clone(), |(_, w)| w.clone());
            let publication = Publication {
                summary: summary.map(|(s, _)| s),
                report_rows,
                files,
            };
            let sent_at = now_millis();
            self.last_sent.set(sent_at);
            self.urgent.set(false);
            let answer = match self.link(&workspace) {
                Ok(link) => link.publish(publication).await,
                Err(err) => Err(err),
            };
            let round_trip = now_millis() - sent_at;
            self.gap
                .set((round_trip * GAP_PER_ROUND_TRIP).clamp(MIN_GAP_MS, MAX_GAP_MS));
            match answer {
                Ok(answer) => {
                    self.sent(last_row);
                    if let Some(settings) = answer.lifecycle {
                        self.settings.keep(settings);
                    }
                    let published = Published {
                        message_workflows: answer.message_workflows,
                    };
                    self.settle(generation, Some(published));
                }
                Err(err) => {
                    worker::console_error!("publishing to the workspace failed: {err:?}");
                    if last_row.is_some() {
                        self.rows_queued.set(true);
                    }
                    self.settle(self.queued.get(), None);
                    break;
                }
            }
        }
        self.busy.set(false);
    }

    /// The Workspace has everything up to `generation`: drop the rows it took, and the mark
    /// unless a newer change queued meanwhile.
    fn link(&self, workspace_id: &str) -> Result<Rc<Link>> {
        let mut kept = self.link.borrow_mut();
        match kept.as_ref() {
            Some(link) if link.workspace_id() == workspace_id => Ok(Rc::clone(link)),
            _ => {
                let link = Rc::new(Link::new(&self.env, workspace_id)?);
                *kept = Some(Rc::clone(&link));
                Ok(link)
            }
        }
    }

    /// The Workspace has the rows up to `last_row`: they leave the outbox.
    fn sent(&self, last_row: Option<i64>) {
        if let Some(id) = last_row {
            if let Err(err) = self
                .sql
                .exec("DELETE FROM outbox WHERE id <= ?", vec![id.into()])
            {
                worker::console_error!("clearing the outbox failed: {err:?}");
            }
        }
    }
}

/// The gap between two publications, cut short by [`Publisher::hurry`].
struct GapWait<'a> {
    delay: Delay,
    publisher: &'a Publisher,
}

impl Future for GapWait<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.publisher.urgent.get() {
            return Poll::Ready(());
        }
        *self.publisher.gap_waker.borrow_mut() = Some(cx.waker().clone());
        Pin::new(&mut self.delay).poll(cx)
    }
}
