//! The Conversation DO's publications travel to the Workspace DO over one WebSocket per
//! conversation (a "link"), not as a `fetch` each.
//!
//! Why: in workerd a Durable Object → Durable Object `fetch` is dear: measured on the local
//! runtime (`bench/roundtrip.mjs`, and a JS twin of the floor that publishes to a second DO
//! each way), a room storing 3,000 messages with 64 in flight managed 465–558 messages/s when
//! each message made a `fetch` to the hub, 1,190 when the fetches were coalesced one in flight
//! at a time, and 2,000–2,900 when the same publications were frames on a WebSocket between
//! the two objects (1,840–3,400 with no publication at all). Charla's own message path went
//! from ≈950 to ≈1,800 messages/s without the `fetch` (the Workspace's work on a publication
//! measured as noise). A frame is a message on an open connection; a request is a new
//! request context, headers, a body stream and a response each time.
//!
//! The wire: the conversation opens the link with a [`WorkspaceCall::OpenLink`] upgrade; each
//! publication is a [`LinkAsk`] frame, each answer a [`LinkReply`] naming the ask's id. The
//! Workspace accepts its end with the hibernation API (it may sleep with links open); the
//! conversation's end is an outgoing socket, which keeps its object awake, so it closes an idle
//! link after [`IDLE_MS`] and opens a new one with the next publication. If the link fails
//! (not open, closed under a waiting ask, a frame that cannot be sent), the publication goes
//! as a plain `fetch` instead: a publication is idempotent at the Workspace (a summary older
//! than the line is ignored, a report row replaces its period's row), so one delivered twice
//! costs nothing wrong.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use charla_shared::basic::Millis;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use worker::wasm_bindgen_futures::spawn_local;
use worker::{Delay, Env, Headers, Stub, WebSocket, WebsocketEvent};

use super::workspace::{Publication, PublishAnswer, WorkspaceCall};
use crate::error::{EdgeError, Result};
use crate::ids::now_millis;
use crate::oneshot::Slot;

/// A link unused this long is closed, so the conversation may hibernate (an object holding
/// an outgoing socket stays in memory): long enough that a conversation with a message every
/// few seconds keeps one link, short beside the minutes a chat lasts. `CHARLA_DEV_LINK_IDLE_MS`
/// (dev only) shortens it for the tests.
const IDLE_MS: Millis = 30_000;

/// The tag of a link's end in the Workspace DO (inbox sockets are tagged `agent`).
pub const LINK_TAG: &str = "link";

/// A publication on the link.
#[derive(Serialize, Deserialize)]
pub struct LinkAsk {
    pub id: u64,
    pub publication: Publication,
}

/// The Workspace's answer to the [`LinkAsk`] with the same id: `answer`, or `error` if the
/// Workspace could not take the publication.
#[derive(Serialize, Deserialize)]
pub struct LinkReply {
    pub id: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<PublishAnswer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What an ask gets back.
type Reply = std::result::Result<PublishAnswer, LinkFailure>;

/// Why a publication did not get its answer over the link.
enum LinkFailure {
    /// The link could not carry it: send it another way.
    Transport(String),
    /// The Workspace answered with an error: sending it again would not help.
    Refused(String),
}

/// One open link: the conversation's end and the asks waiting on it.
struct Socket {
    ws: WebSocket,
    open: Cell<bool>,
    next_id: Cell<u64>,
    waiting: RefCell<HashMap<u64, Rc<Slot<Reply>>>>,
    last_used: Cell<Millis>,
}

impl Socket {
    /// The link is gone: every waiting ask goes another way.
    fn fail_all(&self, why: &str) {
        self.open.set(false);
        let waiting: Vec<Rc<Slot<Reply>>> =
            self.waiting.borrow_mut().drain().map(|(_, w)| w).collect();
        for w in waiting {
            w.fill(Err(LinkFailure::Transport(why.to_owned())));
        }
    }

    fn on_text(&self, text: &str) {
        let Ok(reply) = serde_json::from_str::<LinkReply>(text) else {
            worker::console_error!("a link reply could not be read");
            return;
        };
        let Some(waiting) = self.waiting.borrow_mut().remove(&reply.id) else {
            return;
        };
        waiting.fill(match (reply.answer, reply.error) {
            (Some(answer), _) => Ok(answer),
            (None, error) => Err(LinkFailure::Refused(
                error.unwrap_or_else(|| "no answer".into()),
            )),
        });
    }
}

/// The conversation's link to its Workspace, kept across publications (with the workspace's
/// stub: getting one costs a namespace lookup and an id hash each time): opened with the first
/// publication, reopened after it closed or failed. Only inside a Durable Object: a Worker's
/// stub belongs to the request that made it.
pub struct Link {
    workspace_id: String,
    stub: Stub,
    idle_ms: Millis,
    socket: RefCell<Option<Rc<Socket>>>,
}

impl Link {
    pub fn new(env: &Env, workspace_id: &str) -> Result<Self> {
        Ok(Link {
            workspace_id: workspace_id.to_owned(),
            stub: super::workspace::stub(env, workspace_id)?,
            idle_ms: env
                .var("CHARLA_DEV_LINK_IDLE_MS")
                .ok()
                .and_then(|v| v.to_string().parse().ok())
                .unwrap_or(IDLE_MS),
            socket: RefCell::new(None),
        })
    }

    pub fn workspace_id(&self) -> &str {
        &self.workspace_id
    }

    /// Publish over the link, or as a [`WorkspaceCall::Publish`] request if the link cannot
    /// carry it.
    pub async fn publish(&self, publication: Publication) -> Result<PublishAnswer> {
        let frame = LinkAsk { id: 0, publication };
        match self.ask(frame).await {
            Ok(answer) => Ok(answer),
            Err((LinkFailure::Refused(why), _)) => Err(EdgeError::Config(format!(
                "the workspace refused a publication: {why}"
            ))),
            Err((LinkFailure::Transport(why), frame)) => {
                worker::console_log!("workspace link unavailable ({why}); publishing by fetch");
                *self.socket.borrow_mut() = None;
                let call = WorkspaceCall::Publish(Box::new(frame.publication));
                let resp = super::post(&self.stub, Some(&self.workspace_id), &call).await?;
                super::json_or_error(resp).await
            }
        }
    }

    async fn ask(
        &self,
        mut frame: LinkAsk,
    ) -> std::result::Result<PublishAnswer, (LinkFailure, LinkAsk)> {
        let socket = match self.socket().await {
            Ok(socket) => socket,
            Err(err) => return Err((LinkFailure::Transport(err.to_string()), frame)),
        };
        let id = socket.next_id.get() + 1;
        socket.next_id.set(id);
        socket.last_used.set(now_millis());
        frame.id = id;
        let (slot, reply) = Slot::new();
        socket.waiting.borrow_mut().insert(id, slot);
        let sent = serde_json::to_string(&frame)
            .map_err(|e| e.to_string())
            .and_then(|text| socket.ws.send_with_str(text).map_err(|e| e.to_string()));
        if let Err(why) = sent {
            socket.waiting.borrow_mut().remove(&id);
            socket.fail_all(&why);
            return Err((LinkFailure::Transport(why), frame));
        }
        reply.await.map_err(|failure| (failure, frame))
    }

    /// The open link, opened now if there is none.
    async fn socket(&self) -> Result<Rc<Socket>> {
        if let Some(socket) = self.socket.borrow().as_ref() {
            if socket.open.get() {
                return Ok(Rc::clone(socket));
            }
        }
        let socket = self.open().await?;
        // Two publications never open links at once (one is in flight at a time), but keep the
        // newest either way.
        *self.socket.borrow_mut() = Some(Rc::clone(&socket));
        Ok(socket)
    }

    async fn open(&self) -> Result<Rc<Socket>> {
        let headers = Headers::new();
        headers.set("Upgrade", "websocket")?;
        let req = super::upgrade_request(headers, &self.workspace_id, &WorkspaceCall::OpenLink)?;
        let resp = self.stub.fetch_with_request(req).await?;
        let status = resp.status_code();
        let Some(ws) = resp.websocket() else {
            return Err(EdgeError::Config(format!(
                "the workspace did not open a link ({status})"
            )));
        };
        ws.accept()?;
        let socket = Rc::new(Socket {
            ws,
            open: Cell::new(true),
            next_id: Cell::new(0),
            waiting: RefCell::new(HashMap::new()),
            last_used: Cell::new(now_millis()),
        });
        spawn_local(read(Rc::clone(&socket)));
        spawn_local(close_when_idle(Rc::clone(&socket), self.idle_ms));
        Ok(socket)
    }
}

/// Hand each reply to its ask until the link closes or fails; then fail whoever still waits.
async fn read(socket: Rc<Socket>) {
    let ws = socket.ws.clone();
    let mut events = match ws.events() {
        Ok(events) => events,
        Err(err) => {
            socket.fail_all(&format!("link events: {err:?}"));
            return;
        }
    };
    while let Some(event) = events.next().await {
        match event {
            Ok(WebsocketEvent::Message(message)) => {
                if let Some(text) = message.text() {
                    socket.on_text(&text);
                }
            }
            Ok(WebsocketEvent::Close(_)) => break,
            Err(err) => {
                worker::console_error!("workspace link failed: {err:?}");
                break;
            }
        }
    }
    socket.fail_all("the link closed");
}

/// Close the link once nothing has used it for `idle_ms`.
async fn close_when_idle(socket: Rc<Socket>, idle_ms: Millis) {
    loop {
        let idle_for = now_millis() - socket.last_used.get();
        let wait = (idle_ms - idle_for).max(1);
        Delay::from(Duration::from_millis(wait as u64)).await;
        if !socket.open.get() {
            return;
        }
        if now_millis() - socket.last_used.get() >= idle_ms && socket.waiting.borrow().is_empty() {
            socket.open.set(false);
            let _ = socket.ws.close(Some(1000), Some("idle"));
            return;
        }
    }
}
