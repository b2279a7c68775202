//! The Conversation DO's sockets (visitor and agents, through the hibernation API): accepting
//! them, each frame's way in (its sender's rate first, then its turn, visibility and the
//! checks that need the Workspace, then the core), and closing those whose agent may no longer
//! see the conversation.

use std::rc::Rc;

use charla_shared::basic::Millis;
use charla_shared::conversation::ConversationState;
use charla_shared::ids::{is_valid, IdKind};
use charla_shared::lifecycle::Action;
use charla_shared::lifecycle::LifecycleSettings;
use charla_shared::limits::{MAX_CLIENT_ID_LEN, MAX_FRAME_BYTES};
use charla_shared::protocol::{
    decode_client_frame, mine_or_unassigned, Author, AuthorKind, ClientFrame, ServerFrame, Team,
};
use charla_shared::ErrorCode;
use serde::Deserialize;
use worker::{Response, WebSocket, WebSocketIncomingMessage, WebSocketPair};

use super::automation::Happened;
use super::columns::kind_str;
use super::effects::report_row;
use super::pacing::{Rate, TokenBucket};
use super::store::Conversation;
use crate::error::{EdgeError, Result};
use crate::ids::now_millis;
use crate::internal::conversation::{OpenSockets, SocketIdentity};
use crate::internal::workspace::{self, WorkspaceCall};
use crate::sockets;

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

fn error_frame(code: ErrorCode, message: impl Into<String>) -> ServerFrame {
    ServerFrame::Error {
        code,
        message: message.into(),
        client_id: None,
    }
}

impl Conversation {
    pub(super) fn send(ws: &WebSocket, frame: &ServerFrame) {
        // A socket closing under us is not an error worth failing the others for.
        let _ = ws.send_with_str(frame.to_json());
    }

    pub(super) fn send_all(
        sockets: Vec<WebSocket>,
        frame: &ServerFrame,
        except: Option<&WebSocket>,
    ) {
        let json = frame.to_json();
        for ws in sockets {
            if except != Some(&ws) {
                let _ = ws.send_with_str(&json);
            }
        }
    }

    pub(super) fn to_agents(&self, frame: &ServerFrame) {
        Self::send_all(self.state.get_websockets_with_tag("agent"), frame, None);
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

    pub(super) async fn accept(&self, identity: SocketIdentity) -> Result<Response> {
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
                self.publisher.queue_row(&row)?;
                self.state
                    .wait_until(Rc::clone(&self.publisher).flush(identity.workspace_id.clone()));
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
        identity.attach_to(&server)?;
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

    /// Agents limited to their own and unassigned conversations lose the socket the moment it
    /// goes to someone else: they get a `forbidden` error and a close, and no later frames.
    pub(super) fn evict_hidden(&self, state: &ConversationState) {
        for ws in self
            .state
            .get_websockets_with_tag(kind_str(AuthorKind::Agent))
        {
            let Some(identity) = SocketIdentity::of(&ws) else {
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

    /// Take a token from the sender's bucket: the visitor's (all their sockets together) or
    /// this agent's. `Err(ms)`: refused, a token is back in `ms` milliseconds.
    pub(super) fn take_token(&self, author: &Author, now: Millis) -> std::result::Result<(), u64> {
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
    pub(super) fn agent_access(
        &self,
        agent_id: &str,
        restricted: bool,
        removed: bool,
    ) -> Result<OpenSockets> {
        let _ = self.load()?;
        let mut open = 0;
        for ws in self
            .state
            .get_websockets_with_tag(kind_str(AuthorKind::Agent))
        {
            let Some(mut identity) = SocketIdentity::of(&ws) else {
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
                identity.attach_to(&ws)?;
                open += 1;
                continue;
            }
            // Revoked: a frame still in flight on this socket is refused too. (Kept as an
            // identity rather than cleared: the close frame must still go out at once.)
            identity.revoked = true;
            identity.attach_to(&ws)?;
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
        frame: &ClientFrame,
    ) -> std::result::Result<LifecycleSettings, ServerFrame> {
        let action = match frame {
            ClientFrame::Action { action } => Some(action),
            _ => None,
        };
        let settings = self
            .settings(&identity.workspace_id, action.is_some())
            .await;
        if identity.author.kind != AuthorKind::Agent {
            return Ok(settings);
        }
        let (agent, team) = action.map_or((None, None), Action::references);
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

    /// A frame from one of the conversation's sockets.
    pub(super) async fn on_frame(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> worker::Result<()> {
        let identity = match SocketIdentity::of(&ws) {
            Some(identity) => identity,
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
        if !self.unpaced && !text.is_some_and(is_ping) {
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
        // Decoded once, here: the checks below and the core take the same frame.
        let frame = match decode_client_frame(&raw) {
            Ok(frame) => frame,
            Err(err) => {
                Self::send(&ws, &ServerFrame::error(&err, None));
                return Ok(());
            }
        };
        let settings = match self.prepare(&identity, &frame).await {
            Ok(settings) => settings,
            Err(refusal) => {
                Self::send(&ws, &refusal);
                return Ok(());
            }
        };
        let outcome = self
            .load()
            .and_then(|_| self.apply(&ws, &identity.author, frame, &settings));
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
}
