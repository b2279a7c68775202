//! The Conversation Durable Object: one per conversation. Owns the message log (SQLite), the
//! conversation state and its timeline, and every socket of the conversation (visitor and
//! agents) through the hibernation API, so an idle chat costs nothing while its sockets stay
//! open. Its one alarm is the auto-close deadline.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use charla_shared::contact::ContactChange;
use charla_shared::conversation::{synced_page, ConversationState, Effect};
use charla_shared::ids::{is_valid, IdKind};
use charla_shared::lifecycle::Source;
use charla_shared::lifecycle::{ActivityEvent, ActivityKind, LifecycleSettings};
use charla_shared::limits::{MAX_CLIENT_ID_LEN, MAX_FRAME_BYTES, SYNC_PAGE};
use charla_shared::protocol::{
    decode_client_frame, mine_or_unassigned, Action, Author, AuthorKind, ClientFrame,
    ConversationSummary, Message, Millis, Seq, ServerFrame, Team,
};
use charla_shared::reports::{ReportRow, RowSubject};
use charla_shared::ErrorCode;
use serde::Deserialize;
use worker::{
    durable_object, DurableObject, Env, Request, Response, ScheduledTime, SqlStorage, State,
    WebSocket, WebSocketIncomingMessage, WebSocketPair,
};

use crate::error::{EdgeError, Result};
use crate::ids::now_millis;
use crate::internal::conversation::{
    self as calls, ContactOffered, ConversationCall, OpenSockets, RunRequest, RunStarted,
    SocketIdentity,
};
use crate::internal::workspace::{self, WorkspaceCall};
use crate::sockets;
use crate::sql::migrate;

mod automation;
mod pacing;
use automation::Happened;
use pacing::{Rate, TokenBucket, Turn};

const MIGRATIONS: &[&str] = &[
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
];

/// Timeline events sent to an agent when it connects (the newest ones).
const TIMELINE_ON_CONNECT: i64 = 200;

/// Frames the visitor's sockets of one conversation may send, together. A person typing
/// sends a few messages a minute (typing frames are throttled by the widget); a reconnecting
/// widget sends a `sync` and resends every unacked message in one burst, so 30 at once and 5
/// a second after that never refuse a real visitor, while a script flooding one conversation
/// is cut to 5 frames/s, each refusal costing only this check (no parse of the frame body,
/// no storage, no Workspace call). Pings do not count.
const VISITOR_RATE: Rate = Rate {
    burst: 30,
    per_sec: 5,
};

/// The same for each agent in a conversation: generous (quick replies, fast typists,
/// several tabs), but an agent token cannot be used to flood a conversation either.
const AGENT_RATE: Rate = Rate {
    burst: 60,
    per_sec: 20,
};

/// Agents whose buckets are remembered per conversation; beyond it, full buckets are forgotten.
const AGENT_BUCKETS_KEPT: usize = 64;

/// Open visitor sockets per conversation (= per visitor token): a few tabs and a reconnect
/// overlapping the old socket are normal; a hundred are not.
const MAX_CONTACT_SOCKETS: usize = 10;

/// `Retry-After` (seconds) for an upgrade refused by [`MAX_CONTACT_SOCKETS`].
const SOCKET_CAP_RETRY_AFTER: u64 = 60;

#[durable_object]
pub struct Conversation {
    state: State,
    env: Env,
    /// Cached conversation state; `None` until loaded or created. Rebuilt from SQLite after
    /// hibernation or eviction.
    conv: RefCell<Option<ConversationState>>,
    /// The workspace's lifecycle settings (closing-note rules, auto-close), fetched from the
    /// Workspace DO once per activation and again before every agent action and alarm, so a
    /// change applies from the next action on.
    settings: RefCell<Option<LifecycleSettings>>,
    publisher: Rc<SummaryPublisher>,
    /// When the workspace was last seen to have no enabled workflows: a plain visitor message
    /// then skips asking the Workspace again for a few seconds (lifecycle events always ask).
    no_workflows_seen: Cell<Option<Millis>>,
    /// Socket frames take this turn (first come, first served) from before their awaited
    /// checks until their effects are executed, so they are stored in the order they arrived
    /// even when the first of them waits for the Workspace.
    turn: Turn,
    /// One cold settings fetch at a time: concurrent callers wait for it and share its answer.
    settings_turn: Turn,
    /// The visitor's frames (all their sockets together), see [`VISITOR_RATE`].
    visitor_bucket: RefCell<Option<TokenBucket>>,
    /// Each agent's frames, see [`AGENT_RATE`].
    agent_buckets: RefCell<HashMap<String, TokenBucket>>,
}

/// Pushes conversation summaries to the Workspace DO (the inbox index) off the message path:
/// the frame handler returns as soon as the message is stored and sent, so delivery never waits
/// for the inbox. Coalesced: while one publish is in flight, later changes only replace
/// `pending`, and the loop sends the newest when the current one returns; a burst costs the
/// Workspace a handful of writes instead of one per message, always in order.
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
            self.send(summary, &workspace_id).await;
        }
        self.busy.set(false);
    }

    /// Failure only delays the inbox line until the next change; the message itself is
    /// already stored and delivered.
    async fn send(&self, summary: ConversationSummary, workspace_id: &str) {
        let id = summary.id.clone();
        let call = WorkspaceCall::Summary(summary);
        if let Err(err) = workspace::ask::<bool>(&self.env, workspace_id, &call).await {
            worker::console_error!("publishing summary of {id} failed: {err:?}");
        }
    }
}

/// What executing effects leaves to do asynchronously.
#[derive(Default)]
struct Outcome {
    publish: Option<ConversationSummary>,
    /// Report rows of periods that opened or closed (written by the Workspace, idempotently).
    reports: Vec<ReportRow>,
    /// What workflows may react to (taken by the caller before `follow_up`).
    happened: Happened,
    /// `Some(None)`: clear the alarm; `None`: leave it as it is.
    schedule: Option<Option<Millis>>,
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
            buttons: self
                .buttons
                .and_then(|b| serde_json::from_str(&b).ok())
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

fn kind_str(kind: AuthorKind) -> &'static str {
    match kind {
        AuthorKind::Contact => "contact",
        AuthorKind::Agent => "agent",
        AuthorKind::System => "system",
    }
}

/// The current period's report row (the one that just opened or closed).
fn report_row(state: &ConversationState) -> ReportRow {
    let period = &state.lifecycle.current;
    ReportRow::build(
        RowSubject {
            conversation_id: &state.id,
            contact_id: &state.contact.id,
            contact_name: &state.contact.name,
        },
        period,
        &period.responses,
    )
}

async fn send_report(env: &Env, workspace_id: &str, row: ReportRow) -> Result<()> {
    workspace::ask::<bool>(env, workspace_id, &WorkspaceCall::ReportRow(Box::new(row)))
        .await
        .map(|_| ())
}

/// Whether the socket's owner may see the conversation now (see `Access::allows`).
fn sees(identity: &SocketIdentity, state: &ConversationState) -> bool {
    !identity.revoked
        && (!identity.restricted
            || mine_or_unassigned(&identity.author.id, state.lifecycle.assignee()))
}

/// A ping (kept out of the rate: it carries nothing and keeps idle connections alive).
fn is_ping(raw: &str) -> bool {
    raw.len() <= 64 && matches!(decode_client_frame(raw), Ok(ClientFrame::Ping))
}

/// The client id of a `send` frame, read without validating the rest, so a refused send can
/// be matched to the message the client will resend.
fn send_client_id(raw: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(rename = "type")]
        kind: String,
        #[serde(default)]
        client_id: Option<String>,
    }
    if raw.len() > MAX_FRAME_BYTES {
        return None;
    }
    let probe: Probe = serde_json::from_str(raw).ok()?;
    (probe.kind == "send")
        .then_some(probe.client_id?)
        .filter(|id| !id.is_empty() && id.len() <= MAX_CLIENT_ID_LEN)
}

fn json<T: serde::Serialize>(value: &T) -> Result<Response> {
    Ok(Response::from_json(value)?)
}

fn error_frame(code: ErrorCode, message: impl Into<String>) -> ServerFrame {
    ServerFrame::Error {
        code,
        message: message.into(),
        client_id: None,
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

    /// The workspace of the loaded conversation (empty if none is loaded).
    fn workspace_id(&self) -> String {
        self.conv
            .borrow()
            .as_ref()
            .map(|s| s.workspace_id.clone())
            .unwrap_or_default()
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
            "INSERT INTO messages (seq, client_id, author_kind, author_id, author_name, text, at, buttons)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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

    fn store_event(&self, event: &ActivityEvent) -> Result<()> {
        self.sql().exec(
            "INSERT INTO activity (at, event) VALUES (?, ?)",
            vec![event.at.into(), serde_json::to_string(event)?.into()],
        )?;
        Ok(())
    }

    fn timeline(&self) -> Result<Vec<ActivityEvent>> {
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

    fn send_all(sockets: Vec<WebSocket>, frame: &ServerFrame, except: Option<&WebSocket>) {
        let json = frame.to_json();
        for ws in sockets {
            if except != Some(&ws) {
                let _ = ws.send_with_str(&json);
            }
        }
    }

    fn to_agents(&self, frame: &ServerFrame) {
        Self::send_all(self.state.get_websockets_with_tag("agent"), frame, None);
    }

    /// The workspace's lifecycle settings: the cached copy unless `refresh`. If the Workspace
    /// cannot answer, the last known (or default) settings are used rather than failing a
    /// visitor's message. Cold, one fetch is made at a time and those who asked meanwhile take
    /// its answer instead of asking again.
    async fn settings(&self, workspace_id: &str, refresh: bool) -> LifecycleSettings {
        let _fetching = if refresh {
            None
        } else {
            if let Some(s) = self.settings.borrow().clone() {
                return s;
            }
            let guard = self.settings_turn.acquire().await;
            if let Some(s) = self.settings.borrow().clone() {
                return s;
            }
            Some(guard)
        };
        let fetched = workspace::ask::<LifecycleSettings>(
            &self.env,
            workspace_id,
            &WorkspaceCall::LifecycleSettings,
        )
        .await;
        match fetched {
            Ok(s) => {
                *self.settings.borrow_mut() = Some(s.clone());
                s
            }
            Err(err) => {
                worker::console_error!("lifecycle settings unavailable: {err:?}");
                self.settings.borrow().clone().unwrap_or_default()
            }
        }
    }

    /// An assignment must name an agent of this workspace. The id came from a client, so its
    /// shape is checked first (anything else names nobody, and is never sent on).
    async fn agent_exists(&self, workspace_id: &str, agent_id: &str) -> Result<bool> {
        if !is_valid(IdKind::Agent, agent_id) {
            return Ok(false);
        }
        let call = WorkspaceCall::Agent {
            agent_id: agent_id.to_owned(),
        };
        let resp = workspace::send(&self.env, workspace_id, &call).await?;
        Ok(resp.status_code() == 200)
    }

    /// A team named by an action must be one of this workspace's teams.
    async fn team_exists(&self, workspace_id: &str, team_id: &str) -> Result<bool> {
        if !is_valid(IdKind::Team, team_id) {
            return Ok(false);
        }
        let teams: Vec<Team> =
            workspace::ask(&self.env, workspace_id, &WorkspaceCall::Teams).await?;
        Ok(teams.iter().any(|t| t.id == team_id))
    }

    /// Set the one alarm: the lifecycle deadline `at` or a waiting run's wakeup, whichever
    /// comes first.
    async fn schedule(&self, at: Option<Millis>) -> Result<()> {
        let at = match (at, self.next_run_wakeup()) {
            (Some(a), Some(w)) => Some(a.min(w)),
            (a, w) => a.or(w),
        };
        let storage = self.state.storage();
        match at {
            Some(at) => {
                let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64));
                storage.set_alarm(ScheduledTime::new(date)).await?
            }
            None => storage.delete_alarm().await?,
        }
        Ok(())
    }

    async fn accept(&self, identity: SocketIdentity) -> Result<Response> {
        // Every contact socket of a conversation is its one visitor's (others are refused
        // below), so the "contact" tag counts that visitor's open sockets.
        if identity.author.kind == AuthorKind::Contact
            && self
                .state
                .get_websockets_with_tag(kind_str(AuthorKind::Contact))
                .len()
                >= MAX_CONTACT_SOCKETS
        {
            return Err(EdgeError::RateLimited {
                message: format!(
                    "at most {MAX_CONTACT_SOCKETS} chat connections are open at once; \
                     close one or try again later"
                ),
                retry_after: SOCKET_CAP_RETRY_AFTER,
            });
        }
        let now = now_millis();
        let mut created = false;
        let mut opened_event = None;
        if !self.load()? {
            // Only the visitor's first connection creates the conversation; agents can only
            // open conversations that exist.
            if identity.author.kind != AuthorKind::Contact {
                return Err(EdgeError::NotFound("unknown conversation".into()));
            }
            let (state, opened) = ConversationState::new(
                identity.conversation_id.clone(),
                identity.workspace_id.clone(),
                identity.author.clone(),
                now,
            );
            self.save_state(&state)?;
            self.store_event(&opened)?;
            opened_event = Some(opened);
            *self.conv.borrow_mut() = Some(state);
            created = true;
        }
        let greeting = {
            let guard = self.conv.borrow();
            let state = guard.as_ref().expect("loaded above");
            if state.workspace_id != identity.workspace_id || state.id != identity.conversation_id {
                return Err(EdgeError::NotFound("unknown conversation".into()));
            }
            if identity.author.kind == AuthorKind::Contact && state.contact.id != identity.author.id
            {
                return Err(EdgeError::Forbidden("not your conversation".into()));
            }
            if !sees(&identity, state) {
                return Err(EdgeError::Forbidden(
                    "this conversation is assigned to another agent".into(),
                ));
            }
            let mut frames = vec![state.hello(identity.author.clone())];
            if identity.author.kind == AuthorKind::Agent {
                frames.push(ServerFrame::Lifecycle {
                    state: state.lifecycle_view(),
                });
                frames.push(ServerFrame::Timeline {
                    events: self.timeline()?,
                });
            }
            frames
        };
        self.touch_participant(&identity.author, now)?;
        if created {
            let row = self.conv.borrow().as_ref().map(report_row);
            if let Some(row) = row {
                let (env, workspace) = (self.env.clone(), identity.workspace_id.clone());
                self.state.wait_until(async move {
                    if let Err(err) = send_report(&env, &workspace, row).await {
                        worker::console_error!("report row not written: {err:?}");
                    }
                });
            }
            let settings = self.settings(&identity.workspace_id, false).await;
            let deadline = self
                .conv
                .borrow()
                .as_ref()
                .and_then(|s| s.lifecycle.next_deadline(&settings));
            self.schedule(deadline).await?;
        }
        let pair = WebSocketPair::new()?;
        let server = pair.server;
        self.state
            .accept_websocket_with_tags(&server, &[kind_str(identity.author.kind)]);
        server.serialize_attachment(&identity)?;
        for frame in &greeting {
            Self::send(&server, frame);
        }
        if let Some(opened) = opened_event {
            // The socket is accepted: whatever workflows post now reaches it.
            let happened = Happened {
                activity: vec![opened],
                ..Happened::default()
            };
            self.automate(&identity.workspace_id, happened).await;
        }
        sockets::upgraded(pair.client)
    }

    /// Run the core on one frame and execute its effects. Synchronous: no borrow of the state
    /// is ever held across an await.
    fn apply(
        &self,
        ws: &WebSocket,
        author: &Author,
        raw: &str,
        settings: &LifecycleSettings,
    ) -> Result<Outcome> {
        let mut guard = self.conv.borrow_mut();
        let Some(state) = guard.as_mut() else {
            return Err(EdgeError::NotFound("conversation not loaded".into()));
        };
        let effects = state.handle_raw(
            author,
            raw,
            |client_id| self.stored_seq(&author.id, client_id),
            settings,
            now_millis(),
        );
        self.execute(effects, state, Some(ws))
    }

    /// Execute the core's effects in order. Storage writes and socket sends happen here;
    /// what needs an await (publishing, the alarm) is returned. `sender` is `None` for the
    /// alarm, which has no socket to reply to.
    fn execute(
        &self,
        effects: Vec<Effect>,
        state: &ConversationState,
        sender: Option<&WebSocket>,
    ) -> Result<Outcome> {
        let mut out = Outcome::default();
        for effect in effects {
            match effect {
                Effect::Store(message) => {
                    self.store_message(&message, state)?;
                    if message.author.kind == AuthorKind::Contact {
                        let first = state.lifecycle.current.messages_in == 1;
                        out.happened.message = Some((message.text.clone(), first));
                    }
                }
                Effect::SaveState => self.save_state(state)?,
                Effect::Reply(frame) => {
                    if let Some(ws) = sender {
                        Self::send(ws, &frame);
                    }
                }
                Effect::Broadcast {
                    frame,
                    include_sender,
                } => {
                    let except = if include_sender { None } else { sender };
                    Self::send_all(self.state.get_websockets(), &frame, except);
                }
                Effect::Replay { after_seq } => {
                    if let Some(ws) = sender {
                        let page = self.messages_after(after_seq)?;
                        Self::send(ws, &synced_page(page, state.last_seq));
                    }
                }
                Effect::Record(event) => {
                    if matches!(
                        event.kind,
                        ActivityKind::Opened
                            | ActivityKind::Reopened { .. }
                            | ActivityKind::Closed { .. }
                    ) {
                        out.reports.push(report_row(state));
                    }
                    out.happened.activity.push(event.clone());
                    self.store_event(&event)?;
                    self.to_agents(&ServerFrame::Activity { event });
                }
                Effect::ToAgents(frame) => self.to_agents(&frame),
                Effect::PublishSummary => out.publish = Some(state.summary()),
                Effect::Schedule(at) => out.schedule = Some(at),
            }
        }
        self.evict_hidden(state);
        Ok(out)
    }

    /// Agents limited to their own and unassigned conversations lose the socket the moment it
    /// goes to someone else: they get a `forbidden` error and a close, and no later frames.
    fn evict_hidden(&self, state: &ConversationState) {
        for ws in self
            .state
            .get_websockets_with_tag(kind_str(AuthorKind::Agent))
        {
            let Ok(Some(identity)) = ws.deserialize_attachment::<SocketIdentity>() else {
                continue;
            };
            if !sees(&identity, state) {
                Self::send(
                    &ws,
                    &error_frame(
                        ErrorCode::Forbidden,
                        "this conversation was assigned to another agent",
                    ),
                );
                let _ = ws.close(Some(4403), Some("assigned to another agent"));
            }
        }
    }

    /// The awaited part of a change: move the alarm, then publish the summary off the path.
    async fn follow_up(&self, out: Outcome, workspace_id: String) {
        if let Some(at) = out.schedule {
            if let Err(err) = self.schedule(at).await {
                worker::console_error!("setting the conversation alarm failed: {err:?}");
            }
        }
        if !out.reports.is_empty() {
            let env = self.env.clone();
            let workspace = workspace_id.clone();
            self.state.wait_until(async move {
                for row in out.reports {
                    if let Err(err) = send_report(&env, &workspace, row).await {
                        worker::console_error!("report row not written: {err:?}");
                    }
                }
            });
        }
        if let Some(summary) = out.publish {
            let publisher = Rc::clone(&self.publisher);
            self.state
                .wait_until(publisher.publish(summary, workspace_id));
        }
    }

    /// The Workspace changed this conversation's contact (an agent, the pre-chat form):
    /// offer the changes to "contact field/tag updated" workflows.
    async fn contact_changed(
        &self,
        changes: Vec<ContactChange>,
        source: Source,
    ) -> Result<ContactOffered> {
        if !self.load()? {
            return Err(EdgeError::NotFound("unknown conversation".into()));
        }
        let happened = Happened {
            external: charla_shared::workflow::Event::from_contact_changes(&changes, source, None),
            ..Happened::default()
        };
        let started = self.automate(&self.workspace_id(), happened).await;
        Ok(ContactOffered { started })
    }

    /// A manual/shortcut run from the inbox or a webhook call (the Worker checked the caller).
    async fn run_workflow(&self, ask: RunRequest) -> Result<RunStarted> {
        if !self.load()? {
            return Err(EdgeError::NotFound("unknown conversation".into()));
        }
        if let (true, Some(agent)) = (ask.restricted, ask.agent_id.as_deref()) {
            let theirs = self
                .conv
                .borrow()
                .as_ref()
                .is_some_and(|s| mine_or_unassigned(agent, s.lifecycle.assignee()));
            if !theirs {
                return Err(EdgeError::Forbidden(
                    "this conversation is assigned to another agent".into(),
                ));
            }
        }
        let workspace_id = self.workspace_id();
        let started = self.run_requested(&workspace_id, ask).await?;
        Ok(RunStarted {
            started: started > 0,
        })
    }

    /// The Workspace's automatic assignment. A refusal (closed meanwhile, already assigned)
    /// is a 400, so the Workspace corrects its books.
    async fn system_assign(&self, agent_id: String, team_id: Option<String>) -> Result<bool> {
        if !self.load()? {
            return Err(EdgeError::NotFound("unknown conversation".into()));
        }
        let workspace_id = self.workspace_id();
        let settings = self.settings(&workspace_id, false).await;
        let outcome = {
            let mut guard = self.conv.borrow_mut();
            let state = guard.as_mut().expect("loaded above");
            let effects = state
                .system_assign(agent_id, team_id, &settings, now_millis())
                .map_err(|e| EdgeError::BadRequest(e.to_string()))?;
            self.execute(effects, state, None)?
        };
        let mut outcome = outcome;
        let happened = std::mem::take(&mut outcome.happened);
        self.follow_up(outcome, workspace_id.clone()).await;
        self.automate(&workspace_id, happened).await;
        Ok(true)
    }

    /// One internal call (see `crate::internal::conversation`).
    async fn serve(&self, mut req: Request) -> Result<Response> {
        match calls::receive(&mut req).await? {
            ConversationCall::Open => self.accept(calls::socket_identity(&req)?).await,
            ConversationCall::Assign { agent_id, team_id } => {
                json(&self.system_assign(agent_id, team_id).await?)
            }
            ConversationCall::RunWorkflow(ask) => json(&self.run_workflow(ask).await?),
            ConversationCall::ContactChanged { changes, source } => {
                json(&self.contact_changed(changes, source).await?)
            }
            ConversationCall::AgentAccess {
                agent_id,
                restricted,
                removed,
            } => json(&self.agent_access(&agent_id, restricted, removed)?),
        }
    }

    /// Take a token from the sender's bucket: the visitor's (all their sockets together) or
    /// this agent's. `Err(ms)`: refused, a token is back in `ms` milliseconds.
    fn take_token(&self, author: &Author, now: Millis) -> std::result::Result<(), u64> {
        if author.kind == AuthorKind::Agent {
            let mut buckets = self.agent_buckets.borrow_mut();
            if !buckets.contains_key(&author.id) && buckets.len() >= AGENT_BUCKETS_KEPT {
                buckets.retain(|_, b| !b.is_full(now));
            }
            buckets
                .entry(author.id.clone())
                .or_insert_with(|| TokenBucket::new(AGENT_RATE, now))
                .take(now)
        } else {
            self.visitor_bucket
                .borrow_mut()
                .get_or_insert_with(|| TokenBucket::new(VISITOR_RATE, now))
                .take(now)
        }
    }

    /// The Workspace changed an agent's access (or removed the agent): rewrite the flag on
    /// their open sockets here and close those that may no longer see the conversation.
    fn agent_access(&self, agent_id: &str, restricted: bool, removed: bool) -> Result<OpenSockets> {
        let _ = self.load()?;
        let mut open = 0;
        for ws in self
            .state
            .get_websockets_with_tag(kind_str(AuthorKind::Agent))
        {
            let Ok(Some(mut identity)) = ws.deserialize_attachment::<SocketIdentity>() else {
                continue;
            };
            if identity.author.id != agent_id {
                continue;
            }
            identity.restricted = restricted;
            let keep = !removed
                && self
                    .conv
                    .borrow()
                    .as_ref()
                    .is_some_and(|s| sees(&identity, s));
            if keep {
                ws.serialize_attachment(&identity)?;
                open += 1;
                continue;
            }
            // Revoked: a frame still in flight on this socket is refused too. (Kept as an
            // identity rather than cleared: the close frame must still go out at once.)
            identity.revoked = true;
            ws.serialize_attachment(&identity)?;
            let (message, reason) = if removed {
                (
                    "you no longer have access to this workspace",
                    "access removed",
                )
            } else {
                (
                    "you no longer have access to this conversation",
                    "access changed",
                )
            };
            Self::send(&ws, &error_frame(ErrorCode::Forbidden, message));
            let _ = ws.close(Some(4403), Some(reason));
        }
        Ok(OpenSockets { sockets: open })
    }

    /// Checks that need the Workspace (fresh settings for actions, an existing agent for an
    /// assignment), awaited before the synchronous core runs. `Err` is the frame to refuse with.
    async fn prepare(
        &self,
        identity: &SocketIdentity,
        raw: &str,
    ) -> std::result::Result<LifecycleSettings, ServerFrame> {
        let action = match decode_client_frame(raw) {
            Ok(ClientFrame::Action { action }) => Some(action),
            _ => None,
        };
        let settings = self
            .settings(&identity.workspace_id, action.is_some())
            .await;
        if identity.author.kind != AuthorKind::Agent {
            return Ok(settings);
        }
        let (agent, team) = action.as_ref().map_or((None, None), Action::references);
        if let Some(agent_id) = agent {
            if !self
                .agent_exists(&identity.workspace_id, agent_id)
                .await
                .unwrap_or(false)
            {
                return Err(error_frame(
                    ErrorCode::NotFound,
                    "no such agent in this workspace",
                ));
            }
        }
        if let Some(team_id) = team {
            if !self
                .team_exists(&identity.workspace_id, team_id)
                .await
                .unwrap_or(false)
            {
                return Err(error_frame(
                    ErrorCode::NotFound,
                    "no such team in this workspace",
                ));
            }
        }
        Ok(settings)
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
            settings: RefCell::new(None),
            publisher: Rc::new(SummaryPublisher {
                env: env.clone(),
                busy: Cell::new(false),
                pending: RefCell::new(None),
            }),
            no_workflows_seen: Cell::new(None),
            turn: Turn::default(),
            settings_turn: Turn::default(),
            visitor_bucket: RefCell::new(None),
            agent_buckets: RefCell::new(HashMap::new()),
            env,
        }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        Ok(self
            .serve(req)
            .await
            .unwrap_or_else(EdgeError::into_response))
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> worker::Result<()> {
        let identity = match ws.deserialize_attachment::<SocketIdentity>() {
            Ok(Some(identity)) => identity,
            // Lost, or withdrawn by an access change: this socket speaks for nobody.
            _ => {
                let _ = ws.close(Some(4403), Some("no identity"));
                return Ok(());
            }
        };
        // The rate comes first: a refused frame costs no parse, no await, no Workspace call.
        let text = match &message {
            WebSocketIncomingMessage::String(s) => Some(s.as_str()),
            WebSocketIncomingMessage::Binary(_) => None,
        };
        if !text.is_some_and(is_ping) {
            if let Err(wait_ms) = self.take_token(&identity.author, now_millis()) {
                Self::send(
                    &ws,
                    &ServerFrame::Error {
                        code: ErrorCode::RateLimited,
                        message: format!(
                            "too many messages at once; wait {:.1} s and send again",
                            wait_ms as f64 / 1000.0
                        ),
                        client_id: text.and_then(send_client_id),
                    },
                );
                return Ok(());
            }
        }
        let raw = match message {
            WebSocketIncomingMessage::String(s) => s,
            WebSocketIncomingMessage::Binary(_) => {
                let err =
                    charla_shared::Error::MalformedFrame("binary frames are not supported".into());
                Self::send(&ws, &ServerFrame::error(&err, None));
                return Ok(());
            }
        };
        // In line before the first await: frames are handled in the order they arrived.
        let turn = self.turn.acquire().await;
        let visible = self.load().is_ok_and(|loaded| {
            loaded
                && self
                    .conv
                    .borrow()
                    .as_ref()
                    .is_some_and(|s| sees(&identity, s))
        });
        if !visible {
            Self::send(
                &ws,
                &error_frame(
                    ErrorCode::Forbidden,
                    "this conversation is assigned to another agent",
                ),
            );
            return Ok(());
        }
        let settings = match self.prepare(&identity, &raw).await {
            Ok(settings) => settings,
            Err(refusal) => {
                Self::send(&ws, &refusal);
                return Ok(());
            }
        };
        let outcome = self
            .load()
            .and_then(|_| self.apply(&ws, &identity.author, &raw, &settings));
        // Stored and sent: the next frame may go while this one's follow-up runs.
        drop(turn);
        match outcome {
            Ok(mut out) => {
                let happened = std::mem::take(&mut out.happened);
                self.follow_up(out, identity.workspace_id.clone()).await;
                self.automate(&identity.workspace_id, happened).await;
            }
            Err(err) => {
                worker::console_error!("conversation frame failed: {err:?}");
                Self::send(
                    &ws,
                    &error_frame(
                        ErrorCode::Internal,
                        "the server could not handle this frame; it was not stored",
                    ),
                );
            }
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
        sockets::closed(&ws, code);
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> worker::Result<()> {
        sockets::failed(&ws);
        Ok(())
    }

    /// Auto-close. Alarms are at-least-once and may be stale (the deadline moved since it was
    /// set); `on_deadline` only closes when due and always answers the next wake-up time.
    async fn alarm(&self) -> worker::Result<Response> {
        if !matches!(self.load(), Ok(true)) {
            return Response::ok("nothing to do");
        }
        let workspace_id = self.workspace_id();
        let settings = self.settings(&workspace_id, true).await;
        let outcome = {
            let mut guard = self.conv.borrow_mut();
            let state = guard.as_mut().expect("loaded above");
            let effects = state.on_deadline(&settings, now_millis());
            self.execute(effects, state, None)
        };
        match outcome {
            Ok(mut out) => {
                let happened = std::mem::take(&mut out.happened);
                self.follow_up(out, workspace_id.clone()).await;
                self.automate(&workspace_id, happened).await;
            }
            Err(err) => worker::console_error!("conversation alarm failed: {err:?}"),
        }
        self.wake_runs(&workspace_id).await;
        self.reschedule(&workspace_id).await;
        Response::ok("done")
    }
}
