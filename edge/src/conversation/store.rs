//! The Conversation Durable Object itself: what it holds in memory, and its SQLite (the message
//! log, participants, the state row and the timeline), rebuilt into memory after hibernation.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use charla_shared::basic::{Millis, Seq};
use charla_shared::conversation::ConversationState;
use charla_shared::file_index::SentFile;
use charla_shared::lifecycle::ActivityEvent;
use charla_shared::limits::SYNC_PAGE;
use charla_shared::protocol::{Author, Message};
use serde::Deserialize;
use worker::{durable_object, Env, SqlStorage, State};

use super::columns::{author_kind_of, kind_str};
use super::indexer::{Indexer, Subject};
use super::kept_settings::KeptSettings;
use super::pacing::{TokenBucket, Turn};
use super::publisher::Publisher;
use crate::error::Result;

pub(super) const MIGRATIONS: &[&str] = &[
    "
    CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
    CREATE TABLE messages (
        seq INTEGER PRIMARY KEY,
        client_id TEXT NOT NULL,
        author_kind TEXT NOT NULL,
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        text TEXT NOT NULL,
        at INTEGER NOT NULL,
        UNIQUE (author_id, client_id)
    );
    CREATE TABLE participants (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL
    );
",
    "
    CREATE TABLE activity (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        event TEXT NOT NULL
    );
",
    "
    ALTER TABLE messages ADD COLUMN buttons TEXT;
    CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        workflow TEXT NOT NULL,
        run TEXT NOT NULL,
        wakeup INTEGER,
        updated_at INTEGER NOT NULL
    );
",
    "
    CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, row TEXT NOT NULL);
",
    // The unpublished mark is gone: every activation publishes once instead.
    "
    DELETE FROM meta WHERE k = 'unpublished';
",
    // Agents' notes keep `<agent>/<client id>`, so a resent note is stored once.
    "
    ALTER TABLE activity ADD COLUMN note_key TEXT;
    CREATE UNIQUE INDEX activity_note_key ON activity (note_key) WHERE note_key IS NOT NULL;
",
    // Files: every upload (its bytes are in the FILES bucket under
    // `<workspace>/<conversation>/<id>`), `stored` once they are, `message_seq` once a message
    // references it; a message keeps its files' metadata as JSON.
    "
    ALTER TABLE messages ADD COLUMN attachments TEXT;
    CREATE TABLE files (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        content_type TEXT NOT NULL,
        width INTEGER,
        height INTEGER,
        uploader_kind TEXT NOT NULL,
        uploader_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        stored INTEGER NOT NULL DEFAULT 0,
        message_seq INTEGER
    );
    CREATE INDEX files_unsent ON files (created_at) WHERE message_seq IS NULL;
",
    // The outbox also carries sent files for the workspace's files index (`publisher`).
    "
    ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'report';
",
];

/// Timeline events sent to an agent when it connects (the newest ones).
const TIMELINE_ON_CONNECT: i64 = 200;

#[durable_object]
pub struct Conversation {
    pub(super) state: State,
    pub(super) env: Env,
    /// Cached conversation state; `None` until loaded or created. Rebuilt from SQLite after
    /// hibernation or eviction.
    pub(super) conv: RefCell<Option<ConversationState>>,
    /// The workspace's lifecycle settings (closing-note rules, auto-close): kept across
    /// activations and renewed by every publication's answer (see `KeptSettings`), fetched
    /// again before every agent action and alarm, so a change applies from the next action on.
    pub(super) settings: Rc<KeptSettings>,
    pub(super) publisher: Rc<Publisher>,
    /// Feeds the workspace's search index (see `indexer`).
    pub(super) indexer: Rc<Indexer>,
    /// Socket frames take this turn (first come, first served) from before their awaited
    /// checks until their effects are executed, so they are stored in the order they arrived
    /// even when the first of them waits for the Workspace.
    pub(super) turn: Turn,
    /// One cold settings fetch at a time: concurrent callers wait for it and share its answer.
    pub(super) settings_turn: Turn,
    /// The visitor's frames (all their sockets together), see [`VISITOR_RATE`].
    pub(super) visitor_bucket: RefCell<Option<TokenBucket>>,
    /// Each agent's frames, see [`AGENT_RATE`].
    pub(super) agent_buckets: RefCell<HashMap<String, TokenBucket>>,
    /// Dev only (`CHARLA_DEV_UNPACED=1`, never set in production): no frame buckets, so the
    /// benches can measure the message path beyond a visitor's 5 frames/s.
    pub(super) unpaced: bool,
    /// How long an upload may wait to be sent: [`ORPHAN_AFTER_MILLIS`], or in dev (tests)
    /// `CHARLA_DEV_ORPHAN_MILLIS`.
    ///
    /// [`ORPHAN_AFTER_MILLIS`]: charla_shared::files::ORPHAN_AFTER_MILLIS
    pub(super) orphan_after: i64,
    /// Whether the conversation has stored runs (`None`: not known, ask SQLite): most
    /// messages arrive where none waits for an answer, and then cost no query for it.
    pub(super) has_runs: Cell<Option<bool>>,
    /// Whether uploads wait to be sent (`None`: not known, ask SQLite): their hour-old
    /// deadline joins the alarm only then.
    pub(super) has_unsent_files: Cell<Option<bool>>,
    /// The alarm this activation set and that has not fired yet (`None`: none set here; one
    /// set by an earlier activation may still be pending and fires harmlessly, see `schedule`).
    pub(super) alarm_at: Cell<Option<Millis>>,
}

#[derive(Deserialize)]
struct MessageRow {
    seq: i64,
    client_id: String,
    author_kind: String,
    author_id: String,
    author_name: String,
    text: String,
    at: i64,
    #[serde(default)]
    buttons: Option<String>,
    #[serde(default)]
    attachments: Option<String>,
}

impl MessageRow {
    fn into_message(self) -> Message {
        let kind = author_kind_of(&self.author_kind);
        Message {
            seq: self.seq as Seq,
            client_id: self.client_id,
            author: Author {
                kind,
                id: self.author_id,
                name: self.author_name,
            },
            text: self.text,
            at: self.at,
            buttons: self
                .buttons
                .and_then(|b| serde_json::from_str(&b).ok())
                .unwrap_or_default(),
            attachments: self
                .attachments
                .and_then(|a| serde_json::from_str(&a).ok())
                .unwrap_or_default(),
        }
    }
}

#[derive(Deserialize)]
struct MetaRow {
    v: String,
}

#[derive(Deserialize)]
struct SeqRow {
    seq: i64,
}

#[derive(Deserialize)]
struct EventRow {
    event: String,
}

impl Conversation {
    pub(super) fn sql(&self) -> SqlStorage {
        self.state.storage().sql()
    }

    /// Load the state into the cache if it is not there yet. `Ok(false)`: never created.
    pub(super) fn load(&self) -> Result<bool> {
        if self.conv.borrow().is_some() {
            return Ok(true);
        }
        let rows: Vec<MetaRow> = self
            .sql()
            .exec("SELECT v FROM meta WHERE k = 'state'", None)?
            .to_array()?;
        match rows.into_iter().next() {
            Some(row) => {
                let state: ConversationState = serde_json::from_str(&row.v)?;
                // The last activation may have ended before the Workspace had its last change
                // (and its outbox rows): every activation publishes once (see `publisher`).
                self.publisher
                    .republish(state.summary(), &state.workspace_id);
                self.state
                    .wait_until(Rc::clone(&self.publisher).flush(state.workspace_id.clone()));
                // A batch may have been lost with the last activation: send from the mark.
                self.index(&state, state.last_seq);
                *self.conv.borrow_mut() = Some(state);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// The search backfill's wake: send the index what it has not had from this
    /// conversation. Not an activation like [`Self::load`] (no republishing to the Workspace:
    /// a backfill wakes every conversation of a workspace, and their summaries are current).
    /// `false` for a conversation that does not exist.
    pub(super) fn index_backlog(&self) -> Result<bool> {
        if let Some(state) = self.conv.borrow().as_ref() {
            self.index(state, state.last_seq);
            return Ok(true);
        }
        let rows: Vec<MetaRow> = self
            .sql()
            .exec("SELECT v FROM meta WHERE k = 'state'", None)?
            .to_array()?;
        let Some(row) = rows.into_iter().next() else {
            return Ok(false);
        };
        let state: ConversationState = serde_json::from_str(&row.v)?;
        self.index(&state, state.last_seq);
        Ok(true)
    }

    /// The workspace of the loaded conversation (empty if none is loaded).
    pub(super) fn workspace_id(&self) -> String {
        self.conv
            .borrow()
            .as_ref()
            .map(|s| s.workspace_id.clone())
            .unwrap_or_default()
    }

    /// Messages up to `seq` are stored: the search index gets them soon, off this path.
    pub(super) fn index(&self, state: &ConversationState, seq: Seq) {
        if seq == 0 {
            return;
        }
        let subject = Subject {
            workspace_id: state.workspace_id.clone(),
            conversation_id: state.id.clone(),
            contact_id: state.contact.id.clone(),
        };
        if let Some(task) = self.indexer.stored(seq, &subject) {
            self.state.wait_until(task);
        }
    }

    pub(super) fn save_state(&self, state: &ConversationState) -> Result<()> {
        self.sql().exec(
            "INSERT INTO meta (k, v) VALUES ('state', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
            vec![serde_json::to_string(state)?.into()],
        )?;
        Ok(())
    }

    pub(super) fn store_message(&self, m: &Message, state: &ConversationState) -> Result<()> {
        // No await between these writes: the runtime commits them together.
        self.sql().exec(
            "INSERT INTO messages (seq, client_id, author_kind, author_id, author_name, text, at, buttons, attachments)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            vec![
                (m.seq as i64).into(),
                m.client_id.as_str().into(),
                kind_str(m.author.kind).into(),
                m.author.id.as_str().into(),
                m.author.name.as_str().into(),
                m.text.as_str().into(),
                m.at.into(),
                if m.buttons.is_empty() {
                    None
                } else {
                    Some(serde_json::to_string(&m.buttons)?)
                }
                .into(),
                if m.attachments.is_empty() {
                    None
                } else {
                    Some(serde_json::to_string(&m.attachments)?)
                }
                .into(),
            ],
        )?;
        self.mark_sent(m)?;
        for file in &m.attachments {
            self.publisher.queue_file(&SentFile {
                file: file.clone(),
                conversation_id: state.id.clone(),
                contact_id: state.contact.id.clone(),
                sender: m.author.kind,
                sender_id: m.author.id.clone(),
                sender_name: m.author.name.clone(),
                seq: m.seq,
                sent_at: m.at,
            })?;
        }
        self.save_state(state)
    }

    pub(super) fn stored_seq(&self, author_id: &str, client_id: &str) -> Option<Seq> {
        let rows: Vec<SeqRow> = self
            .sql()
            .exec(
                "SELECT seq FROM messages WHERE author_id = ? AND client_id = ?",
                vec![author_id.into(), client_id.into()],
            )
            .and_then(|c| c.to_array())
            .ok()?;
        rows.first().map(|r| r.seq as Seq)
    }

    pub(super) fn messages_after(&self, after: Seq) -> Result<Vec<Message>> {
        let rows: Vec<MessageRow> = self
            .sql()
            .exec(
                "SELECT * FROM messages WHERE seq > ? ORDER BY seq LIMIT ?",
                vec![(after as i64).into(), (SYNC_PAGE as i64 + 1).into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().map(MessageRow::into_message).collect())
    }

    pub(super) fn store_event(&self, event: &ActivityEvent) -> Result<()> {
        self.sql().exec(
            "INSERT INTO activity (at, event) VALUES (?, ?)",
            vec![event.at.into(), serde_json::to_string(event)?.into()],
        )?;
        Ok(())
    }

    pub(super) fn timeline(&self) -> Result<Vec<ActivityEvent>> {
        let rows: Vec<EventRow> = self
            .sql()
            .exec(
                "SELECT event FROM (SELECT id, event FROM activity ORDER BY id DESC LIMIT ?) ORDER BY id",
                vec![TIMELINE_ON_CONNECT.into()],
            )?
            .to_array()?;
        rows.iter()
            .map(|r| Ok(serde_json::from_str(&r.event)?))
            .collect()
    }

    pub(super) fn touch_participant(&self, author: &Author, now: i64) -> Result<()> {
        self.sql().exec(
            "INSERT INTO participants (id, kind, name, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, last_seen = excluded.last_seen",
            vec![
                author.id.as_str().into(),
                kind_str(author.kind).into(),
                author.name.as_str().into(),
                now.into(),
                now.into(),
            ],
        )?;
        Ok(())
    }
}
