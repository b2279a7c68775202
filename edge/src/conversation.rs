//! The Conversation Durable Object: one per conversation. Owns the message log (SQLite), the
//! conversation state, and every socket of the conversation (visitor and agents) through the
//! hibernation API, so an idle chat costs nothing while its sockets stay open.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use charla_shared::conversation::{synced_page, ConversationState, Effect};
use charla_shared::limits::SYNC_PAGE;
use charla_shared::protocol::{
    Author, AuthorKind, ConversationSummary, Message, Seq, ServerFrame, SUBPROTOCOL,
};
use serde::Deserialize;
use worker::{
    durable_object, DurableObject, Env, Method, Request, Response, SqlStorage, State, WebSocket,
    WebSocketIncomingMessage, WebSocketPair,
};

use crate::error::{EdgeError, Result};
use crate::ids::now_millis;
use crate::internal::{self, SocketIdentity};
use crate::sql::migrate;

const MIGRATIONS: &[&str] = &["
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
"];

#[durable_object]
pub struct Conversation {
    state: State,
    /// Cached conversation state; `None` until loaded or created. Rebuilt from SQLite after
    /// hibernation or eviction.
    conv: RefCell<Option<ConversationState>>,
    publisher: Rc<SummaryPublisher>,
}

/// Pushes conversation summaries to the Workspace DO (the inbox index) off the message path:
/// the frame handler returns as soon as the message is stored and sent, so delivery never waits
/// for the inbox. Coalesced: while one publish is in flight, later changes only replace
/// `pending`, and the loop sends the newest when the current one returns; a burst costs the
/// Workspace a handful of writes instead of one per message.
struct SummaryPublisher {
    env: Env,
    busy: Cell<bool>,
    pending: RefCell<Option<(ConversationSummary, String)>>,
}

impl SummaryPublisher {
    async fn publish(self: Rc<Self>, summary: ConversationSummary, workspace_id: String) {
        *self.pending.borrow_mut() = Some((summary, workspace_id));
        if self.busy.replace(true) {
            return;
        }
        loop {
            let next = self.pending.borrow_mut().take();
            let Some((summary, workspace_id)) = next else {
                break;
            };
            self.send(&summary, &workspace_id).await;
        }
        self.busy.set(false);
    }

    /// Failure only delays the inbox line until the next change; the message itself is
    /// already stored and delivered.
    async fn send(&self, summary: &ConversationSummary, workspace_id: &str) {
        let result = async {
            let stub = internal::workspace_stub(&self.env, workspace_id)?;
            let resp = internal::call(
                &stub,
                Method::Post,
                "/summary",
                Some(&workspace_id),
                Some(summary),
            )
            .await?;
            internal::json_or_error::<serde_json::Value>(resp).await
        }
        .await;
        if let Err(err) = result {
            worker::console_error!("publishing summary of {} failed: {err:?}", summary.id);
        }
    }
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
}

impl MessageRow {
    fn into_message(self) -> Message {
        let kind = match self.author_kind.as_str() {
            "agent" => AuthorKind::Agent,
            "contact" => AuthorKind::Contact,
            _ => AuthorKind::System,
        };
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

fn kind_str(kind: AuthorKind) -> &'static str {
    match kind {
        AuthorKind::Contact => "contact",
        AuthorKind::Agent => "agent",
        AuthorKind::System => "system",
    }
}

impl Conversation {
    fn sql(&self) -> SqlStorage {
        self.state.storage().sql()
    }

    /// Load the state into the cache if it is not there yet. `Ok(false)`: never created.
    fn load(&self) -> Result<bool> {
        if self.conv.borrow().is_some() {
            return Ok(true);
        }
        let rows: Vec<MetaRow> = self
            .sql()
            .exec("SELECT v FROM meta WHERE k = 'state'", None)?
            .to_array()?;
        match rows.into_iter().next() {
            Some(row) => {
                *self.conv.borrow_mut() = Some(serde_json::from_str(&row.v)?);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    fn save_state(&self, state: &ConversationState) -> Result<()> {
        self.sql().exec(
            "INSERT INTO meta (k, v) VALUES ('state', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
            vec![serde_json::to_string(state)?.into()],
        )?;
        Ok(())
    }

    fn store_message(&self, m: &Message, state: &ConversationState) -> Result<()> {
        // No await between these writes: the runtime commits them together.
        self.sql().exec(
            "INSERT INTO messages (seq, client_id, author_kind, author_id, author_name, text, at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            vec![
                (m.seq as i64).into(),
                m.client_id.as_str().into(),
                kind_str(m.author.kind).into(),
                m.author.id.as_str().into(),
                m.author.name.as_str().into(),
                m.text.as_str().into(),
                m.at.into(),
            ],
        )?;
        self.save_state(state)
    }

    fn stored_seq(&self, author_id: &str, client_id: &str) -> Option<Seq> {
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

    fn messages_after(&self, after: Seq) -> Result<Vec<Message>> {
        let rows: Vec<MessageRow> = self
            .sql()
            .exec(
                "SELECT * FROM messages WHERE seq > ? ORDER BY seq LIMIT ?",
                vec![(after as i64).into(), (SYNC_PAGE as i64 + 1).into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().map(MessageRow::into_message).collect())
    }

    fn touch_participant(&self, author: &Author, now: i64) -> Result<()> {
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

    fn send(ws: &WebSocket, frame: &ServerFrame) {
        // A socket closing under us is not an error worth failing the others for.
        let _ = ws.send_with_str(frame.to_json());
    }

    fn broadcast(&self, frame: &ServerFrame, sender: &WebSocket, include_sender: bool) {
        let json = frame.to_json();
        for ws in self.state.get_websockets() {
            if include_sender || ws != *sender {
                let _ = ws.send_with_str(&json);
            }
        }
    }

    async fn accept(&self, req: Request) -> Result<Response> {
        let identity: SocketIdentity = internal::decode_header(&req)?;
        let now = now_millis();
        if !self.load()? {
            // Only the visitor's first connection creates the conversation; agents can only
            // open conversations that exist.
            if identity.author.kind != AuthorKind::Contact {
                return Err(EdgeError::NotFound("unknown conversation".into()));
            }
            let state = ConversationState::new(
                identity.conversation_id.clone(),
                identity.workspace_id.clone(),
                identity.author.clone(),
                now,
            );
            self.save_state(&state)?;
            *self.conv.borrow_mut() = Some(state);
        }
        let hello = {
            let guard = self.conv.borrow();
            let state = guard.as_ref().expect("loaded above");
            if state.workspace_id != identity.workspace_id || state.id != identity.conversation_id {
                return Err(EdgeError::NotFound("unknown conversation".into()));
            }
            if identity.author.kind == AuthorKind::Contact && state.contact.id != identity.author.id
            {
                return Err(EdgeError::Forbidden("not your conversation".into()));
            }
            state.hello(identity.author.clone())
        };
        self.touch_participant(&identity.author, now)?;
        let pair = WebSocketPair::new()?;
        let server = pair.server;
        self.state
            .accept_websocket_with_tags(&server, &[kind_str(identity.author.kind)]);
        server.serialize_attachment(&identity)?;
        Self::send(&server, &hello);
        let mut resp = Response::from_websocket(pair.client)?;
        resp.headers_mut()
            .set("Sec-WebSocket-Protocol", SUBPROTOCOL)?;
        Ok(resp)
    }

    /// Run the core on one frame, execute its effects, and return the summary to publish (if
    /// any). Synchronous: no borrow of the state is ever held across an await.
    fn apply(
        &self,
        ws: &WebSocket,
        author: &Author,
        raw: &str,
    ) -> Result<Option<ConversationSummary>> {
        let mut guard = self.conv.borrow_mut();
        let Some(state) = guard.as_mut() else {
            return Err(EdgeError::NotFound("conversation not loaded".into()));
        };
        let effects = state.handle_raw(
            author,
            raw,
            |client_id| self.stored_seq(&author.id, client_id),
            now_millis(),
        );
        let mut publish = None;
        for effect in effects {
            match effect {
                Effect::Store(message) => self.store_message(&message, state)?,
                Effect::SaveState => self.save_state(state)?,
                Effect::Reply(frame) => Self::send(ws, &frame),
                Effect::Broadcast {
                    frame,
                    include_sender,
                } => self.broadcast(&frame, ws, include_sender),
                Effect::Replay { after_seq } => {
                    let page = self.messages_after(after_seq)?;
                    Self::send(ws, &synced_page(page, state.last_seq));
                }
                Effect::PublishSummary => publish = Some(state.summary()),
            }
        }
        Ok(publish)
    }
}

impl DurableObject for Conversation {
    fn new(state: State, env: Env) -> Self {
        if let Err(err) = migrate(&state.storage().sql(), MIGRATIONS) {
            worker::console_error!("conversation migration failed: {err:?}");
        }
        Conversation {
            state,
            conv: RefCell::new(None),
            publisher: Rc::new(SummaryPublisher {
                env,
                busy: Cell::new(false),
                pending: RefCell::new(None),
            }),
        }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        let result = match (req.method(), req.path().as_str()) {
            (Method::Get, "/ws") => self.accept(req).await,
            _ => Err(EdgeError::NotFound("no such conversation route".into())),
        };
        Ok(result.unwrap_or_else(EdgeError::into_response))
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> worker::Result<()> {
        let Some(identity) = ws.deserialize_attachment::<SocketIdentity>()? else {
            ws.close(Some(1011), Some("lost identity"))?;
            return Ok(());
        };
        let raw = match message {
            WebSocketIncomingMessage::String(s) => s,
            WebSocketIncomingMessage::Binary(_) => {
                let err =
                    charla_shared::Error::MalformedFrame("binary frames are not supported".into());
                Self::send(&ws, &ServerFrame::error(&err, None));
                return Ok(());
            }
        };
        let publish = match self
            .load()
            .and_then(|_| self.apply(&ws, &identity.author, &raw))
        {
            Ok(p) => p,
            Err(err) => {
                worker::console_error!("conversation frame failed: {err:?}");
                Self::send(
                    &ws,
                    &ServerFrame::Error {
                        code: charla_shared::ErrorCode::Internal,
                        message: "the server could not handle this frame; it was not stored".into(),
                        client_id: None,
                    },
                );
                None
            }
        };
        if let Some(summary) = publish {
            let publisher = Rc::clone(&self.publisher);
            self.state
                .wait_until(publisher.publish(summary, identity.workspace_id));
        }
        Ok(())
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        code: usize,
        _reason: String,
        _was_clean: bool,
    ) -> worker::Result<()> {
        // Complete the closing handshake; 1005/1006 are reserved and cannot be sent back.
        let code = if code == 1005 || code == 1006 {
            1000
        } else {
            code as u16
        };
        let _ = ws.close(Some(code), Some("closing"));
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> worker::Result<()> {
        let _ = ws.close(Some(1011), Some("socket error"));
        Ok(())
    }

    async fn alarm(&self) -> worker::Result<Response> {
        // No timers yet (auto-close arrives with the lifecycle issue); acknowledge stray alarms.
        Response::ok("no timers")
    }
}
