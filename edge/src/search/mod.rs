//! The Search Durable Object: one per workspace, the full-text index of its messages and
//! contacts (SQLite FTS5 with `unicode61 remove_diacritics 2`: case and accents do not matter).
//!
//! It is fed only through the `SEARCH_QUEUE` consumer (`crate::indexing`), in batches, so no
//! message waits for it and the Workspace DO is never asked once per message; it answers the
//! Worker's search route. It knows nothing of access levels: the Worker asks the Workspace
//! which of the hits the caller may see.

use charla_shared::search::{clean_text, IndexDoc, IndexHit, MARK_END, MARK_START};
use serde::Deserialize;
use worker::{durable_object, DurableObject, Env, Request, Response, SqlStorage, State};

use crate::error::{EdgeError, Result};
use crate::internal::search::SearchCall;
use crate::sql::migrate;

const MIGRATIONS: &[&str] = &["
    CREATE TABLE docs_keys (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
    CREATE VIRTUAL TABLE docs USING fts5(
        text,
        conversation_id UNINDEXED,
        contact_id UNINDEXED,
        seq UNINDEXED,
        at UNINDEXED,
        tokenize = 'unicode61 remove_diacritics 2'
    );
"];

/// Words of context on each side of a match in a snippet.
const SNIPPET_TOKENS: i64 = 16;
/// Matches ranked per query: the newest ones. A word in a third of 100,000 messages would
/// otherwise cost a bm25 score (and a snippet) for each of them; an agent looks for recent
/// conversations, and a rarer word or a second word reaches further back.
const RANKED: i64 = 2_000;

#[durable_object]
pub struct Search {
    state: State,
}

#[derive(Deserialize)]
struct HitRow {
    conversation_id: Option<String>,
    contact_id: String,
    seq: Option<i64>,
    snip: String,
    at: i64,
}

#[derive(Deserialize)]
struct IdRow {
    id: i64,
}

#[derive(Deserialize)]
struct CountRow {
    n: i64,
}

impl Search {
    fn sql(&self) -> SqlStorage {
        self.state.storage().sql()
    }

    async fn serve(&self, mut req: Request) -> Result<Response> {
        let call: SearchCall = crate::internal::search::receive(&mut req).await?;
        match call {
            SearchCall::Index(docs) => {
                self.index(docs)?;
                Ok(Response::from_json(&true)?)
            }
            SearchCall::Query { fts, limit } => Ok(Response::from_json(&self.query(&fts, limit)?)?),
            SearchCall::Count => {
                let rows: Vec<CountRow> = self
                    .sql()
                    .exec("SELECT count(*) AS n FROM docs_keys", None)?
                    .to_array()?;
                Ok(Response::from_json(&rows.first().map_or(0, |r| r.n))?)
            }
            SearchCall::ForgetConversation { conversation_id } => {
                self.forget_conversation(&conversation_id)?;
                Ok(Response::from_json(&true)?)
            }
        }
    }

    /// A deleted conversation's messages (`m/<conversation>/<seq>`: one range of the keys'
    /// index). A batch the queue still held indexes them again, unseen: search results are
    /// kept to conversations of the inbox index, where a deleted one no longer is.
    fn forget_conversation(&self, conversation_id: &str) -> Result<()> {
        let (from, to) = (
            format!("m/{conversation_id}/"),
            format!("m/{conversation_id}0"),
        );
        let sql = self.sql();
        sql.exec(
            "DELETE FROM docs WHERE rowid IN (SELECT id FROM docs_keys WHERE key >= ? AND key < ?)",
            vec![from.as_str().into(), to.as_str().into()],
        )?;
        sql.exec(
            "DELETE FROM docs_keys WHERE key >= ? AND key < ?",
            vec![from.into(), to.into()],
        )?;
        Ok(())
    }

    /// One synchronous turn for the whole batch (the runtime commits it as one transaction).
    fn index(&self, docs: Vec<IndexDoc>) -> Result<()> {
        let sql = self.sql();
        for doc in docs {
            let key = doc.key();
            if let IndexDoc::Contact { .. } = doc {
                // A contact's details replace the old ones.
                let old: Vec<IdRow> = sql
                    .exec(
                        "SELECT id FROM docs_keys WHERE key = ?",
                        vec![key.as_str().into()],
                    )?
                    .to_array()?;
                if let Some(old) = old.first() {
                    sql.exec("DELETE FROM docs WHERE rowid = ?", vec![old.id.into()])?;
                    sql.exec("DELETE FROM docs_keys WHERE id = ?", vec![old.id.into()])?;
                }
            }
            let added: Vec<IdRow> = sql
                .exec(
                    "INSERT INTO docs_keys (key) VALUES (?) ON CONFLICT (key) DO NOTHING RETURNING id",
                    vec![key.into()],
                )?
                .to_array()?;
            let Some(row) = added.first() else {
                continue; // Redelivered: already indexed.
            };
            let (text, conversation, contact, seq, at) = match doc {
                IndexDoc::Message {
                    conversation_id,
                    contact_id,
                    seq,
                    text,
                    at,
                    ..
                } => (
                    text,
                    Some(conversation_id),
                    contact_id,
                    Some(seq as i64),
                    at,
                ),
                IndexDoc::Contact {
                    contact_id,
                    text,
                    at,
                } => (text, None, contact_id, None, at),
            };
            sql.exec(
                "INSERT INTO docs (rowid, text, conversation_id, contact_id, seq, at) VALUES (?, ?, ?, ?, ?, ?)",
                vec![
                    row.id.into(),
                    clean_text(&text).into(),
                    conversation.into(),
                    contact.into(),
                    seq.into(),
                    at.into(),
                ],
            )?;
        }
        Ok(())
    }

    fn query(&self, fts: &str, limit: u32) -> Result<Vec<IndexHit>> {
        let refused =
            |e: worker::Error| EdgeError::BadRequest(format!("search query refused: {e}"));
        // The oldest of the newest matches: FTS5 walks matches in rowid order and stops.
        let newest: Vec<IdRow> = self
            .sql()
            .exec(
                "SELECT rowid AS id FROM docs WHERE docs MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                vec![fts.into(), (RANKED - 1).into()],
            )
            .map_err(refused)?
            .to_array()?;
        let from = newest.first().map_or(0, |r| r.id);
        // A rowid range is a constraint FTS5 applies while it reads the index.
        let rows: Vec<HitRow> = self
            .sql()
            .exec(
                "SELECT conversation_id, contact_id, seq, at,
                        snippet(docs, 0, ?, ?, '…', ?) AS snip
                 FROM docs WHERE docs MATCH ? AND rowid >= ?
                 ORDER BY rank, at DESC LIMIT ?",
                vec![
                    MARK_START.to_string().into(),
                    MARK_END.to_string().into(),
                    SNIPPET_TOKENS.into(),
                    fts.into(),
                    from.into(),
                    i64::from(limit).into(),
                ],
            )
            .map_err(refused)?
            .to_array()?;
        Ok(rows
            .into_iter()
            .map(|r| IndexHit {
                conversation_id: r.conversation_id,
                contact_id: r.contact_id,
                seq: r.seq.map(|s| s as u64),
                snippet: r.snip,
                at: r.at,
            })
            .collect())
    }
}

impl DurableObject for Search {
    fn new(state: State, _env: Env) -> Self {
        if let Err(err) = migrate(&state.storage().sql(), MIGRATIONS) {
            worker::console_error!("search migration failed: {err:?}");
        }
        Search { state }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        Ok(self
            .serve(req)
            .await
            .unwrap_or_else(EdgeError::into_response))
    }
}
