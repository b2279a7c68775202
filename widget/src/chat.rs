//! The visitor's chat: the session's life (create, renew, identify, reset, pre-chat) and the
//! one conversation socket, kept alive (reconnect with backoff, pings, silence) and resumed
//! through the shared client replica, which decides what to ask for and what to resend.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::time::Duration;

use charla_shared::protocol::{
    AuthorKind, ClientFrame, ServerFrame, SessionResponse, BEARER_PREFIX, SUBPROTOCOL,
};
use charla_shared::widget_settings::PublicWidgetConfig;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use web_sys::{Event, MessageEvent, WebSocket};

use crate::session::{self, Failure, Keys};
use crate::ui::{Prechat, Status, Ui};
use crate::{attachments, events, prechat, thread, wire};

const FIRST_BACKOFF_MS: u32 = 500;
const MAX_BACKOFF_MS: u32 = 10_000;
/// A session refused for rate (429) is asked for again after the edge's `retry_after`, within
/// these bounds (seconds).
const BUSY_RETRY_S: (u32, u32) = (2, 300);
/// Consecutive sockets refused before `hello` after which the token is checked over HTTP.
const HANDSHAKES_BEFORE_CHECK: u32 = 2;
/// Typing "on" is repeated at most this often while the visitor keeps typing.
const TYPING_EVERY_MS: f64 = 3_000.0;
/// An agent's typing indicator dies on its own if their "off" frame is lost.
const TYPING_SHOWN_MS: u64 = 6_000;
/// Below typical proxy idle timeouts (60 s and up), so idle sockets are not cut.
pub const PING_EVERY: Duration = Duration::from_secs(25);
/// Nothing heard for two pings: the socket is dead even if the browser has not noticed
/// (common after a laptop sleeps or a phone switches networks).
const SILENCE_MS: f64 = 60_000.0;

pub struct Chat {
    edge: String,
    workspace: String,
    pub keys: Keys,
    pub ui: Ui,
    /// The workspace's public config, as the loader fetched it (fixed for the page's life).
    pub config: &'static PublicWidgetConfig,
    ws: RefCell<Option<WebSocket>>,
    session: RefCell<Option<SessionResponse>>,
    /// Bumped whenever the session is replaced (`identify` merge) or forgotten (`reset`): an
    /// answer to a request made for an earlier session is dropped.
    epoch: Cell<u32>,
    /// `identify` called before there was a session (its request body): sent right after it
    /// is created.
    pending_identify: RefCell<Option<String>>,
    /// Pre-chat answers waiting for the session.
    pending_prechat: RefCell<Option<Vec<(String, String)>>>,
    /// `hello` received on the current socket: frames may be sent.
    ready: Cell<bool>,
    /// A connection is wanted: set on first connect, so waking up never creates a session
    /// for a visitor who has not opened the chat.
    wanted: Cell<bool>,
    fetching: Cell<bool>,
    backoff: Cell<u32>,
    retry: Cell<Option<TimeoutHandle>>,
    /// Sockets that closed before `hello`: after a few, the token itself is checked.
    failed_handshakes: Cell<u32>,
    /// The stored token's age was checked on this page load (renewed if older than a day).
    renew_checked: Cell<bool>,
    last_heard: Cell<f64>,
    typing_since: Cell<f64>,
    typing_generation: Cell<u32>,
    /// Created once and shared by every socket, so reconnecting allocates no closures.
    on_message: Closure<dyn Fn(MessageEvent)>,
    on_close: Closure<dyn Fn(Event)>,
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// `crypto.randomUUID` exists only in secure contexts; plain-http host pages still need ids.
fn client_id() -> String {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    match crypto {
        Some(c) if js_sys::Reflect::has(&c, &"randomUUID".into()).unwrap_or(false) => {
            c.random_uuid()
        }
        _ => {
            let mut id = String::new();
            wire::hex(&mut id, now() as u64);
            id.push('-');
            wire::hex(&mut id, (js_sys::Math::random() * 9e15) as u64);
            id
        }
    }
}

/// `edge.replacen("http", "ws", 1)` (`https://` → `wss://`) without a substring searcher.
fn socket_origin(edge: &str) -> String {
    match edge.as_bytes().windows(4).position(|w| w == b"http") {
        Some(at) => [&edge[..at], "ws", &edge[at + 4..]].concat(),
        None => edge.to_owned(),
    }
}

impl Chat {
    pub fn new(
        edge: String,
        workspace: String,
        config: &'static PublicWidgetConfig,
        ui: Ui,
    ) -> Rc<Self> {
        let keys = Keys::new(&workspace);
        let session = session::load(&keys);
        Rc::new_cyclic(|me: &Weak<Chat>| {
            let (m, c) = (me.clone(), me.clone());
            Chat {
                edge,
                workspace,
                keys,
                ui,
                config,
                ws: RefCell::new(None),
                session: RefCell::new(session),
                epoch: Cell::new(0),
                pending_identify: RefCell::new(None),
                pending_prechat: RefCell::new(None),
                ready: Cell::new(false),
                wanted: Cell::new(false),
                fetching: Cell::new(false),
                backoff: Cell::new(FIRST_BACKOFF_MS),
                retry: Cell::new(None),
                failed_handshakes: Cell::new(0),
                renew_checked: Cell::new(false),
                last_heard: Cell::new(0.0),
                typing_since: Cell::new(0.0),
                typing_generation: Cell::new(0),
                on_message: Closure::new(move |e: MessageEvent| {
                    if let (Some(me), Some(text)) = (m.upgrade(), e.data().as_string()) {
                        me.on_text(&text);
                    }
                }),
                on_close: Closure::new(move |_: Event| {
                    if let Some(me) = c.upgrade() {
                        me.lost();
                    }
                }),
            }
        })
    }

    pub fn has_session(&self) -> bool {
        self.session.borrow().is_some()
    }

    pub fn token(&self) -> Option<String> {
        self.session.borrow().as_ref().map(|s| s.token.clone())
    }

    /// The edge's origin, for HTTP requests.
    pub fn edge(&self) -> &str {
        &self.edge
    }

    /// The stored session's pre-chat answers are stored too.
    pub fn prechat_answered(&self) -> bool {
        let stored = session::get(session::local(), &self.keys.prechat);
        let session = self.session.borrow();
        session
            .as_ref()
            .is_some_and(|s| Some(&s.visitor_id) == stored.as_ref())
    }

    /// Open the socket if there is none, creating the visitor session first if needed.
    pub fn connect(self: &Rc<Self>) {
        self.wanted.set(true);
        if let Some(h) = self.retry.take() {
            h.clear();
        }
        if self.ws.borrow().is_some() {
            return;
        }
        let Some(token) = self.token() else {
            if !self.fetching.replace(true) {
                let (me, epoch) = (Rc::clone(self), self.epoch.get());
                spawn_local(async move {
                    let created = session::session(&me.edge, &me.workspace, None).await;
                    me.fetching.set(false);
                    if me.epoch.get() != epoch {
                        // Reset meanwhile: this session belongs to the visitor who left.
                        if me.wanted.get() {
                            me.connect();
                        }
                        return;
                    }
                    match created {
                        Ok(s) => {
                            me.ui.write().busy = false;
                            session::save(&me.keys, &s);
                            *me.session.borrow_mut() = Some(s);
                            // Identify first: it may switch to the known user's conversation.
                            let identify = me.pending_identify.take();
                            if let Some(body) = identify {
                                me.identify_now(body).await;
                            }
                            me.flush_prechat();
                            me.connect();
                        }
                        Err(failure @ Failure::Refused { .. }) => {
                            // Final (origin not allowed, unknown workspace): say why, store
                            // nothing, and try again only when the visitor opens the chat again.
                            me.wanted.set(false);
                            me.ui.write().status = Status::Unavailable;
                            events::report("session", &failure);
                        }
                        Err(Failure::Limited(seconds)) => {
                            // Too many new visitors from here: say so and ask again later.
                            me.ui.write().busy = true;
                            let (min, max) = BUSY_RETRY_S;
                            me.retry_in(seconds.clamp(min, max) * 1000);
                        }
                        Err(Failure::Network) => me.retry_later(),
                    }
                });
            }
            return;
        };
        let url = [&socket_origin(&self.edge), "/v1/widget/ws"].concat();
        let protocols = js_sys::Array::of2(
            &SUBPROTOCOL.into(),
            &[BEARER_PREFIX, &token].concat().into(),
        );
        match WebSocket::new_with_str_sequence(&url, &protocols) {
            Ok(ws) => {
                ws.set_onmessage(Some(self.on_message.as_ref().unchecked_ref()));
                ws.set_onclose(Some(self.on_close.as_ref().unchecked_ref()));
                self.last_heard.set(now());
                *self.ws.borrow_mut() = Some(ws);
            }
            Err(_) => self.retry_later(),
        }
    }

    fn retry_later(self: &Rc<Self>) {
        let delay = self.backoff.get();
        self.backoff.set((delay * 2).min(MAX_BACKOFF_MS));
        self.retry_in(delay);
    }

    fn retry_in(self: &Rc<Self>, delay: u32) {
        let me = Rc::clone(self);
        let handle =
            set_timeout_with_handle(move || me.connect(), Duration::from_millis(delay.into()));
        if let Some(old) = self.retry.replace(handle.ok()) {
            old.clear();
        }
    }

    /// Close the socket for good, its handlers first, so a late event from it can never touch
    /// the next one. Whether it had been greeted.
    fn drop_socket(&self) -> bool {
        if let Some(ws) = self.ws.take() {
            ws.set_onmessage(None);
            ws.set_onclose(None);
            let _ = ws.close();
        }
        self.ready.replace(false)
    }

    /// The socket closed or went silent: drop it and schedule the next attempt.
    fn lost(self: &Rc<Self>) {
        let was_ready = self.drop_socket();
        {
            let mut s = self.ui.write();
            s.status = Status::Offline;
            s.thread.disconnected();
        }
        if was_ready {
            self.failed_handshakes.set(0);
        } else if self.failed_handshakes.get() + 1 == HANDSHAKES_BEFORE_CHECK {
            self.failed_handshakes.set(0);
            self.check_token();
        } else {
            self.failed_handshakes.set(self.failed_handshakes.get() + 1);
        }
        self.retry_later();
    }

    /// Renew the stored token (same visitor and conversation, a fresh expiry). If the edge no
    /// longer accepts it (a definite 401), forget the session and the old thread (its
    /// conversation is unreachable) but keep unsent messages, which go to the new conversation.
    /// Any other failure (offline, edge down, rate) changes nothing.
    fn check_token(self: &Rc<Self>) {
        let Some(token) = self.token() else { return };
        let (me, epoch) = (Rc::clone(self), self.epoch.get());
        spawn_local(async move {
            let renewed = session::session(&me.edge, &me.workspace, Some(&token)).await;
            if me.epoch.get() != epoch {
                return;
            }
            match renewed {
                Ok(next) => {
                    let mut current = me.session.borrow_mut();
                    if let Some(s) = current.as_mut().filter(|s| {
                        s.visitor_id == next.visitor_id && s.conversation_id == next.conversation_id
                    }) {
                        s.token = next.token;
                        session::save(&me.keys, s);
                    }
                }
                Err(Failure::Refused { status: 401, .. }) => {
                    session::forget(&me.keys);
                    me.replace_session(None);
                }
                Err(_) => {}
            }
        });
    }

    /// Send what the edge refused for rate again after the replica's pause. Not connected
    /// then: the next `hello` sends it anyway.
    fn resend_later(self: &Rc<Self>, delay: u32) {
        let me = Rc::clone(self);
        set_timeout(
            move || {
                let frames = me.ui.write().thread.resend_held();
                me.send_all(&frames);
            },
            Duration::from_millis(delay.into()),
        );
    }

    fn send_all(&self, frames: &[ClientFrame]) {
        for frame in frames {
            self.send(frame);
        }
    }

    /// Start over with another session (`None`: a new one is created): the old thread goes
    /// (its conversation is another one now) but unsent messages stay and go to the new one.
    fn replace_session(self: &Rc<Self>, next: Option<SessionResponse>) {
        self.epoch.set(self.epoch.get().wrapping_add(1));
        self.drop_socket();
        self.failed_handshakes.set(0);
        self.backoff.set(FIRST_BACKOFF_MS);
        if let Some(h) = self.retry.take() {
            h.clear();
        }
        *self.session.borrow_mut() = next;
        {
            let mut s = self.ui.write();
            s.thread.restart();
            s.seen = 0;
            s.agent_typing = false;
            s.status = Status::Connecting;
            s.busy = false;
        }
        if self.wanted.get() {
            self.connect();
        }
    }

    /// `charla("reset")`: forget the visitor, their identity and everything about the
    /// conversation (a shared computer after logout). Nothing is created until the chat is
    /// opened again.
    pub fn reset(self: &Rc<Self>) {
        session::forget(&self.keys);
        self.wanted.set(false);
        self.pending_identify.take();
        self.pending_prechat.take();
        self.replace_session(None);
        attachments::tell(self, attachments::Op::Reset);
        let mut s = self.ui.write();
        s.thread = thread::new();
        s.prechat = Prechat::default();
    }

    /// `charla("identify", …)`: now when there is a session, else right after it is created
    /// (only the latest call is remembered, and only in memory).
    /// `body`: the `IdentifyRequest` JSON ([`wire::identify`]).
    pub fn identify(self: &Rc<Self>, body: String) {
        if self.has_session() {
            let me = Rc::clone(self);
            spawn_local(async move { me.identify_now(body).await });
        } else {
            *self.pending_identify.borrow_mut() = Some(body);
        }
    }

    async fn identify_now(self: &Rc<Self>, body: String) {
        let Some(current) = self.session.borrow().clone() else {
            return;
        };
        let done = |visitor: &str| [visitor, "\n", &body].concat();
        if session::get(session::local(), &self.keys.identity) == Some(done(&current.visitor_id)) {
            return;
        }
        let epoch = self.epoch.get();
        let result = session::identify(&self.edge, &current.token, &body).await;
        if self.epoch.get() != epoch {
            return;
        }
        match result {
            Ok((next, merged)) => {
                session::set(
                    session::local(),
                    &self.keys.identity,
                    &done(&next.visitor_id),
                );
                if merged {
                    // The known user's conversation, with its history: the pre-chat form is
                    // for people we know nothing about.
                    session::save(&self.keys, &next);
                    session::remove(session::local(), &self.keys.seen);
                    session::set(session::local(), &self.keys.prechat, &next.visitor_id);
                    {
                        let mut s = self.ui.write();
                        s.prechat.answered = true;
                        s.prechat.busy = false;
                    }
                    self.replace_session(Some(next));
                }
            }
            Err(failure) => events::report("identify", &failure),
        }
    }

    /// Check the pre-chat answers here first (the edge's rules), then store them as the
    /// visitor's contact; the composer appears once they are stored.
    pub fn submit_prechat(self: &Rc<Self>, answers: Vec<(String, String)>) {
        let problems = prechat::check(&self.config.prechat.fields, &answers);
        {
            let mut s = self.ui.write();
            if s.prechat.busy {
                return;
            }
            s.prechat.error = None;
            s.prechat.busy = problems.is_empty();
            s.prechat.problems = problems;
            if !s.prechat.busy {
                return;
            }
        }
        *self.pending_prechat.borrow_mut() = Some(answers);
        self.flush_prechat();
    }

    /// Send waiting pre-chat answers, if there is a session to send them with.
    fn flush_prechat(self: &Rc<Self>) {
        let Some(current) = self.session.borrow().clone() else {
            return;
        };
        let Some(answers) = self.pending_prechat.take() else {
            return;
        };
        let (me, epoch) = (Rc::clone(self), self.epoch.get());
        spawn_local(async move {
            let result = session::prechat(&me.edge, &current.token, &prechat::body(&answers)).await;
            if me.epoch.get() != epoch {
                return;
            }
            let mut s = me.ui.write();
            s.prechat.busy = false;
            match result {
                Ok(()) => {
                    s.prechat.answered = true;
                    session::set(session::local(), &me.keys.prechat, &current.visitor_id);
                }
                Err(Failure::Refused { message, .. }) => {
                    match prechat::server_problem(&me.config.prechat.fields, &message) {
                        Some(problem) => s.prechat.problems = vec![problem],
                        None => s.prechat.error = Some(message),
                    }
                }
                Err(_) => s.prechat.error = Some(String::new()),
            }
        });
    }

    /// The tab came back or the network did: retry now instead of waiting out the backoff.
    pub fn wake(self: &Rc<Self>) {
        if !self.wanted.get() {
            return;
        }
        if self.ws.borrow().is_none() {
            self.backoff.set(FIRST_BACKOFF_MS);
            self.connect();
        } else {
            // A socket that slept may be dead without a close event; a pong proves otherwise.
            self.send(&ClientFrame::Ping);
        }
    }

    pub fn tick(self: &Rc<Self>) {
        let open = self.ws.borrow().is_some();
        if open && now() - self.last_heard.get() > SILENCE_MS {
            self.lost();
        } else {
            self.send(&ClientFrame::Ping);
        }
    }

    fn send(&self, frame: &ClientFrame) -> bool {
        if !self.ready.get() {
            return false;
        }
        let ws = self.ws.borrow();
        match (ws.as_ref(), wire::client_frame(frame)) {
            (Some(ws), Some(json)) => ws.send_with_str(&json).is_ok(),
            _ => false,
        }
    }

    fn on_text(self: &Rc<Self>, text: &str) {
        self.last_heard.set(now());
        let Some(frame) = wire::frame(text) else {
            return;
        };
        let ui = self.ui;
        match &frame {
            ServerFrame::Hello { .. } => {
                self.ready.set(true);
                self.backoff.set(FIRST_BACKOFF_MS);
                ui.write().status = Status::Online;
                // Once per page load, while the chat is in use: a token older than a day is
                // renewed, so an active visitor's identity never reaches its expiry.
                if !self.renew_checked.replace(true) && session::stale(&self.keys) {
                    self.check_token();
                }
            }
            ServerFrame::Synced { messages, .. } => {
                self.hide_typing_if_agent(messages.iter().map(|m| m.author.kind));
            }
            ServerFrame::Message { message } => {
                self.hide_typing_if_agent([message.author.kind].into_iter());
            }
            ServerFrame::Typing { author, active } if author.kind != AuthorKind::Contact => {
                let active = *active;
                ui.write().agent_typing = active;
                let generation = self.typing_generation.get().wrapping_add(1);
                self.typing_generation.set(generation);
                if active {
                    let me = Rc::clone(self);
                    set_timeout(
                        move || {
                            if me.typing_generation.get() == generation {
                                me.ui.write().agent_typing = false;
                            }
                        },
                        Duration::from_millis(TYPING_SHOWN_MS),
                    );
                }
                return;
            }
            ServerFrame::Ack { .. } | ServerFrame::Error { .. } => {}
            // How far agents read: "Seen" moves.
            ServerFrame::Read { author_kind, .. } if *author_kind == AuthorKind::Agent => {}
            // Nothing the thread keeps: no redraw.
            _ => return,
        }
        // A live message is news for the page, and so is what a sync brings in after the
        // history (missed while offline).
        let news =
            matches!(frame, ServerFrame::Message { .. }) || ui.read_untracked().thread.caught_up();
        let reply = ui.write().thread.receive(frame);
        self.send_all(&reply.frames);
        if let Some(delay) = reply.resend_after_ms {
            self.resend_later(delay);
        }
        if news {
            let s = ui.read_untracked();
            reply
                .added
                .iter()
                .filter_map(|&seq| s.thread.message(seq))
                .filter(|m| m.author.kind == AuthorKind::Agent)
                .for_each(|m| events::emit("message", events::message_event(m)));
        }
    }

    fn hide_typing_if_agent(&self, mut kinds: impl Iterator<Item = AuthorKind>) {
        if kinds.any(|k| k == AuthorKind::Agent) {
            self.typing_generation
                .set(self.typing_generation.get().wrapping_add(1));
            self.ui.write().agent_typing = false;
        }
    }

    /// Queue the visitor's message and send it if the socket is up (otherwise it goes out
    /// after the next `hello`). Returns true when the composer should be cleared.
    pub fn submit(&self, text: &str) -> bool {
        self.submit_files(text, Vec::new())
    }

    /// The composer's Send: the text with the tray's files, once every one is uploaded (until
    /// then nothing is sent, and the notice says why). The files' ids stay with the message
    /// in the outbox, so a resend after a reconnect carries them under the same client id.
    pub fn submit_composed(&self, text: &str) -> bool {
        let Some(ids) = attachments::ready(self) else {
            return false;
        };
        let with_files = !ids.is_empty();
        let queued = self.submit_files(text, ids);
        if queued && with_files {
            attachments::tell(self, attachments::Op::Take);
        }
        queued
    }

    fn submit_files(&self, text: &str, files: Vec<String>) -> bool {
        let (frame, queued) = {
            let mut s = self.ui.write();
            let before = s.thread.outbox().len();
            let frame = s.thread.send_files(client_id(), text, files);
            (frame, s.thread.outbox().len() > before)
        };
        if let Some(frame) = frame {
            self.send(&frame);
        }
        self.typing(false);
        queued
    }

    pub fn typing(&self, active: bool) {
        let since = self.typing_since.get();
        if active {
            let t = now();
            if t - since >= TYPING_EVERY_MS && self.send(&ClientFrame::Typing { active }) {
                self.typing_since.set(t);
            }
        } else if since > 0.0 {
            self.typing_since.set(0.0);
            self.send(&ClientFrame::Typing { active });
        }
    }

    /// The visitor is looking at the thread: everything shown is seen, and the agents learn
    /// it (re-sent after a reconnect, since the read may have been lost with the socket).
    pub fn mark_read(&self) {
        let (last, seen, due) = {
            let s = self.ui.read_untracked();
            (s.thread.last_seq(), s.seen, s.thread.read_due())
        };
        if last > seen {
            self.ui.write().seen = last;
            session::set(
                session::local(),
                &self.keys.seen,
                &wire::decimal_string(last),
            );
        }
        if let Some(seq) = due.filter(|&seq| self.send(&ClientFrame::Read { seq })) {
            self.ui.write().thread.read_sent(seq);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_socket_origin_is_the_edge_with_ws() {
        for edge in [
            "https://chat.example.com",
            "http://127.0.0.1:8787",
            "",
            "ftp://x/http",
            "htt",
        ] {
            assert_eq!(
                super::socket_origin(edge),
                edge.replacen("http", "ws", 1),
                "{edge}"
            );
        }
    }
}
