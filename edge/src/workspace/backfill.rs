//! The search index's backfill: contacts and conversations stored before the index existed
//! (a workspace upgraded to a version with search) would be found only after their next
//! change. Once per workspace, beside its first request after the upgrade, the Workspace
//! sends its contacts' documents and, for its conversations, queue messages that wake each
//! Conversation DO to send its own messages (it alone holds them; see `crate::indexing`).
//!
//! Resumable and idempotent: the `search_backfill` row keeps the phase and the last id sent,
//! so an object evicted midway goes on from there with its next activation, and the Search DO
//! stores every document once by its key. A new workspace runs it too, over nothing.

use charla_shared::contact::Contact;
use charla_shared::search::{contact_text, IndexBatch, IndexDoc, WAKE_PER_MESSAGE};
use serde::Deserialize;
use worker::{Env, SqlStorage};

use super::store::Workspace;
use crate::error::Result;
use crate::switches;

/// Contacts per queue message (well under the queue's 128 KB per message).
const CONTACTS_PER_MESSAGE: i64 = 200;

#[derive(Deserialize)]
struct Progress {
    phase: String,
    cursor: String,
}

#[derive(Deserialize)]
struct ContactRow {
    id: String,
    data: String,
    updated_at: i64,
}

#[derive(Deserialize)]
struct IdRow {
    id: String,
}

impl Workspace {
    /// Go on with the backfill if it has work left (beside the request that woke us).
    /// `CHARLA_DEV_NO_INDEX=1` (benchmarks, tests) leaves it for a later start.
    pub(super) fn resume_backfill(&self, workspace_id: &str) {
        let sql = self.sql();
        if switches::on(&self.env, "CHARLA_DEV_NO_INDEX") || progress(&sql).ok().flatten().is_none()
        {
            return;
        }
        let (env, workspace_id) = (self.env.clone(), workspace_id.to_owned());
        self.state.wait_until(async move {
            if let Err(err) = run(&env, &sql, &workspace_id).await {
                worker::console_error!("search backfill stopped (resumed later): {err:?}");
            }
        });
    }
}

fn progress(sql: &SqlStorage) -> Result<Option<Progress>> {
    let rows: Vec<Progress> = sql
        .exec("SELECT phase, cursor FROM search_backfill LIMIT 1", None)?
        .to_array()?;
    Ok(rows.into_iter().next())
}

fn advance(sql: &SqlStorage, phase: &str, cursor: &str) -> Result<()> {
    sql.exec(
        "UPDATE search_backfill SET phase = ?, cursor = ?",
        vec![phase.into(), cursor.into()],
    )?;
    Ok(())
}

async fn run(env: &Env, sql: &SqlStorage, workspace_id: &str) -> Result<()> {
    let queue = env.queue("SEARCH_QUEUE")?;
    while let Some(Progress { phase, cursor }) = progress(sql)? {
        let (batch, next) = match phase.as_str() {
            "contacts" => {
                let rows: Vec<ContactRow> = sql
                    .exec(
                        "SELECT id, data, updated_at FROM contacts WHERE id > ? ORDER BY id LIMIT ?",
                        vec![cursor.into(), CONTACTS_PER_MESSAGE.into()],
                    )?
                    .to_array()?;
                let Some(last) = rows.last().map(|r| r.id.clone()) else {
                    advance(sql, "conversations", "")?;
                    continue;
                };
                let docs = rows
                    .into_iter()
                    .filter_map(|row| {
                        let c: Contact = serde_json::from_str(&row.data).ok()?;
                        Some(IndexDoc::Contact {
                            text: contact_text(
                                c.name.as_deref().unwrap_or_default(),
                                c.email.as_deref(),
                                c.phone.as_deref(),
                            ),
                            contact_id: row.id,
                            at: row.updated_at,
                        })
                    })
                    .collect();
                let batch = IndexBatch {
                    workspace_id: workspace_id.to_owned(),
                    docs,
                    wake: Vec::new(),
                };
                (batch, ("contacts", last))
            }
            _ => {
                let rows: Vec<IdRow> = sql
                    .exec(
                        "SELECT id FROM conversations WHERE id > ? ORDER BY id LIMIT ?",
                        vec![cursor.into(), (WAKE_PER_MESSAGE as i64).into()],
                    )?
                    .to_array()?;
                let Some(last) = rows.last().map(|r| r.id.clone()) else {
                    sql.exec("DELETE FROM search_backfill", None)?;
                    return Ok(());
                };
                let batch = IndexBatch {
                    workspace_id: workspace_id.to_owned(),
                    docs: Vec::new(),
                    wake: rows.into_iter().map(|r| r.id).collect(),
                };
                (batch, ("conversations", last))
            }
        };
        queue.send(serde_json::to_string(&batch)?).await?;
        advance(sql, next.0, &next.1)?;
    }
    Ok(())
}
