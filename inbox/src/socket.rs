//! A WebSocket that stays connected: authenticated by subprotocol (the token never goes in a
//! URL), reconnecting with jittered exponential backoff, pinging every 25 s so idle proxies
//! keep it open, and dropping a connection that has gone silent.
//!
//! The owner gets [`SocketEvent`]s and the current [`Status`] as a signal. Dropping the last
//! handle does not close the socket (its callbacks hold it alive); call [`Socket::close`].

use crate::i18n::Texts;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;

use charla_shared::protocol::{ClientFrame, BEARER_PREFIX, SUBPROTOCOL};
use leptos::prelude::{
    set_interval_with_handle, set_timeout_with_handle, IntervalHandle, RwSignal, Set, TimeoutHandle,
};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use crate::browser;

const PING_EVERY: Duration = Duration::from_secs(25);
/// Twice the ping interval plus slack: a live edge answers every ping with a pong.
const SILENCE_LIMIT_MS: i64 = 60_000;
const BACKOFF_BASE_MS: f64 = 500.0;
const BACKOFF_MAX_MS: f64 = 30_000.0;

/// Connection state as the header shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Connecting,
    Online,
    Offline,
}

impl Status {
    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Status::Connecting => t.status_connecting,
            Status::Online => t.status_online,
            Status::Offline => t.status_offline,
        }
    }
}

pub enum SocketEvent {
    Opened,
    Text(String),
    /// The connection ended; `refused` when it never opened, which is how a browser reports a
    /// rejected upgrade (401, 404): the owner may want to check its token. `code` is the
    /// close code the server sent (4403: this agent may no longer see the conversation),
    /// 0 when the connection was lost without one.
    Closed {
        refused: bool,
        code: u16,
    },
}

type Handler = dyn Fn(&Socket, SocketEvent);

#[derive(Clone)]
pub struct Socket(Rc<Inner>);

struct Inner {
    url: String,
    token: String,
    status: RwSignal<Status>,
    on_event: Box<Handler>,
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    conn: Option<Connection>,
    /// Consecutive failed attempts; reset once the server has spoken on a connection.
    attempt: u32,
    retry: Option<TimeoutHandle>,
    ping: Option<IntervalHandle>,
    last_heard: i64,
    closed: bool,
}

/// One browser WebSocket and the callbacks it holds; detached before it is dropped so no
/// callback runs after its closure is freed.
struct Connection {
    ws: WebSocket,
    opened: bool,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Connection {
    fn detach(self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close_with_code(1000);
    }
}

impl Socket {
    /// Start connecting to the API `path` on this origin. `status` is kept up to date.
    pub fn open(
        path: &str,
        token: &str,
        status: RwSignal<Status>,
        on_event: impl Fn(&Socket, SocketEvent) + 'static,
    ) -> Socket {
        let socket = Socket(Rc::new(Inner {
            url: browser::ws_url(path),
            token: token.to_owned(),
            status,
            on_event: Box::new(on_event),
            state: RefCell::new(State::default()),
        }));
        socket.connect();
        socket
    }

    /// Send a frame if connected; `false` means it was not sent.
    pub fn send(&self, frame: &ClientFrame) -> bool {
        let state = self.0.state.borrow();
        match &state.conn {
            Some(c) if c.ws.ready_state() == WebSocket::OPEN => {
                serde_json::to_string(frame).is_ok_and(|json| c.ws.send_with_str(&json).is_ok())
            }
            _ => false,
        }
    }

    /// Reconnect now instead of waiting out the backoff (tab visible again, network back).
    pub fn resume(&self) {
        {
            let mut state = self.0.state.borrow_mut();
            if state.closed || state.conn.is_some() {
                return;
            }
            if let Some(retry) = state.retry.take() {
                retry.clear();
            }
            state.attempt = 0;
        }
        self.connect();
    }

    /// Close for good: no more events, no reconnects.
    pub fn close(&self) {
        let (conn, retry, ping) = {
            let mut state = self.0.state.borrow_mut();
            state.closed = true;
            (state.conn.take(), state.retry.take(), state.ping.take())
        };
        if let Some(retry) = retry {
            retry.clear();
        }
        if let Some(ping) = ping {
            ping.clear();
        }
        if let Some(conn) = conn {
            conn.detach();
        }
    }

    fn weak(&self) -> Weak<Inner> {
        Rc::downgrade(&self.0)
    }

    fn emit(&self, event: SocketEvent) {
        (self.0.on_event)(self, event);
    }

    fn connect(&self) {
        if self.0.state.borrow().closed {
            return;
        }
        self.0.status.set(Status::Connecting);
        let protocols = js_sys::Array::of2(
            &JsValue::from_str(SUBPROTOCOL),
            &JsValue::from_str(&format!("{BEARER_PREFIX}{}", self.0.token)),
        );
        let ws = match WebSocket::new_with_str_sequence(&self.0.url, &protocols) {
            Ok(ws) => ws,
            Err(_) => return self.connection_lost(false, 0),
        };

        let weak = self.weak();
        let on_open = Closure::<dyn FnMut()>::new(move || {
            if let Some(socket) = upgrade(&weak) {
                socket.opened();
            }
        });
        let weak = self.weak();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            if let (Some(socket), Some(text)) = (upgrade(&weak), ev.data().as_string()) {
                socket.heard();
                socket.emit(SocketEvent::Text(text));
            }
        });
        let weak = self.weak();
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |ev: CloseEvent| {
            if let Some(socket) = upgrade(&weak) {
                let conn = socket.0.state.borrow_mut().conn.take();
                let refused = conn.as_ref().is_some_and(|c| !c.opened);
                if let Some(conn) = conn {
                    conn.detach();
                }
                socket.connection_lost(refused, ev.code());
            }
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));

        let old = self.0.state.borrow_mut().conn.replace(Connection {
            ws,
            opened: false,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        });
        if let Some(old) = old {
            old.detach();
        }
    }

    fn opened(&self) {
        {
            let mut state = self.0.state.borrow_mut();
            if let Some(conn) = state.conn.as_mut() {
                conn.opened = true;
            }
            state.last_heard = browser::now();
            let weak = self.weak();
            let ping = set_interval_with_handle(
                move || {
                    if let Some(socket) = upgrade(&weak) {
                        socket.keep_alive();
                    }
                },
                PING_EVERY,
            )
            .ok();
            if let Some(old) = std::mem::replace(&mut state.ping, ping) {
                old.clear();
            }
        }
        self.0.status.set(Status::Online);
        self.emit(SocketEvent::Opened);
    }

    fn heard(&self) {
        let mut state = self.0.state.borrow_mut();
        state.last_heard = browser::now();
        state.attempt = 0;
    }

    fn keep_alive(&self) {
        let silent_for = browser::now() - self.0.state.borrow().last_heard;
        if silent_for > SILENCE_LIMIT_MS {
            // A half-open TCP connection can take minutes to report its close; don't wait.
            let conn = self.0.state.borrow_mut().conn.take();
            if let Some(conn) = conn {
                conn.detach();
            }
            self.connection_lost(false, 0);
        } else {
            self.send(&ClientFrame::Ping);
        }
    }

    fn connection_lost(&self, refused: bool, code: u16) {
        let delay = {
            let mut state = self.0.state.borrow_mut();
            if let Some(ping) = state.ping.take() {
                ping.clear();
            }
            if state.closed {
                return;
            }
            let delay = backoff_ms(state.attempt, js_sys::Math::random());
            state.attempt = state.attempt.saturating_add(1);
            let weak = self.weak();
            state.retry = set_timeout_with_handle(
                move || {
                    if let Some(socket) = upgrade(&weak) {
                        socket.0.state.borrow_mut().retry = None;
                        socket.connect();
                    }
                },
                Duration::from_millis(delay),
            )
            .ok();
            delay
        };
        // The first quick retries read as "connecting"; a longer wait or no network is offline.
        let status = if delay < 2_000 && browser::is_online() {
            Status::Connecting
        } else {
            Status::Offline
        };
        self.0.status.set(status);
        self.emit(SocketEvent::Closed { refused, code });
    }
}

fn upgrade(weak: &Weak<Inner>) -> Option<Socket> {
    weak.upgrade().map(Socket)
}

/// Delay before reconnect attempt `attempt` (0-based): doubling from 0.5 s up to 30 s, with
/// the upper half randomised (`jitter` in 0..1) so a fleet of inboxes does not reconnect in
/// lockstep after an edge restart.
fn backoff_ms(attempt: u32, jitter: f64) -> u64 {
    let ceiling = (BACKOFF_BASE_MS * 2f64.powi(attempt.min(16) as i32)).min(BACKOFF_MAX_MS);
    (ceiling * (0.5 + 0.5 * jitter.clamp(0.0, 1.0))) as u64
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter() {
        let cases = [
            (0, 0.0, 250),
            (0, 1.0, 500),
            (1, 1.0, 1_000),
            (3, 0.5, 3_000),
            (6, 1.0, 30_000),
            (40, 0.0, 15_000),
            (u32::MAX, 1.0, 30_000),
        ];
        for (attempt, jitter, expected) in cases {
            assert_eq!(backoff_ms(attempt, jitter), expected, "attempt {attempt}");
        }
    }
}
