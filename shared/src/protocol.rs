//! Wire frames between clients (visitor widget, agent inbox) and the edge.
//!
//! All frames are JSON objects tagged by `"type"`. A client opens a WebSocket with the
//! subprotocols `[`[`SUBPROTOCOL`]`, "bearer.<token>"]` (the token never travels in a URL), then
//! sends [`ClientFrame::Sync`] with the last sequence number it has seen; the server answers with
//! every later message. Each message a client sends carries a client-generated id; the
//! conversation assigns the next sequence number, and a resent id is acknowledged with the seq it
//! already has instead of being stored twice.

use serde::{Deserialize, Serialize};

use crate::basic::{ConversationStatus, Millis, Seq};
use crate::error::{Error, ErrorCode};
use crate::files::Attachment;
use crate::lifecycle::{Action, ActivityEvent};
use crate::limits::MAX_FRAME_BYTES;

/// The WebSocket subprotocol the edge selects; clients offer it beside `bearer.<token>`.
pub const SUBPROTOCOL: &str = "charla.v1";
/// Prefix of the subprotocol entry that carries the session token.
pub const BEARER_PREFIX: &str = "bearer.";

/// Who wrote a message or is typing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorKind {
    /// The site visitor (respond.io calls them contacts).
    Contact,
    /// A human agent answering from the inbox.
    Agent,
    /// The platform itself (automations, notices).
    System,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub kind: AuthorKind,
    pub id: String,
    pub name: String,
}

/// One stored message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub seq: Seq,
    pub client_id: String,
    pub author: Author,
    /// Plain text. Clients must render it as text, never as HTML. Empty only when the
    /// message carries attachments.
    pub text: String,
    pub at: Millis,
    /// Quick replies offered with a workflow's question. The widget shows them as buttons
    /// and sends the chosen label as the visitor's next message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<QuickReply>,
    /// Files sent with the message (uploaded first, see docs/API.md "Files"). Absent when
    /// none, so clients that predate files read every other message as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickReply {
    pub label: String,
    pub value: String,
}

/// Frames a client (widget or inbox) sends on a conversation socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// Ask for every message with `seq > after_seq` (0 = the whole history).
    Sync {
        after_seq: Seq,
    },
    /// Post a message. Resending the same `client_id` is safe. `attachments` are ids of
    /// files this side uploaded to the conversation and has not sent yet; with attachments
    /// the text may be empty.
    Send {
        client_id: String,
        text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<String>,
    },
    /// Typing indicator on/off.
    Typing {
        active: bool,
    },
    /// The sender has read everything up to `seq`.
    Read {
        seq: Seq,
    },
    /// A lifecycle action. Agents only; a contact gets a `forbidden` error frame.
    Action {
        action: Action,
    },
    Ping,
}

/// Who owns a conversation and whether it is open: what the inbox shows above the thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifecycleView {
    pub status: ConversationStatus,
    pub period: u32,
    pub assignee_id: Option<String>,
    pub team_id: Option<String>,
    pub bot_paused: bool,
}

/// How far each side of a conversation has read (any agent for the agents' side): "seen" is
/// drawn under the other side's last message at or below its mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReadMarks {
    pub agent: Seq,
    pub contact: Seq,
}

impl ReadMarks {
    /// The mark of `kind`'s side (the system reads nothing).
    pub fn of(&self, kind: AuthorKind) -> Seq {
        match kind {
            AuthorKind::Agent => self.agent,
            AuthorKind::Contact => self.contact,
            AuthorKind::System => 0,
        }
    }

    fn of_mut(&mut self, kind: AuthorKind) -> Option<&mut Seq> {
        match kind {
            AuthorKind::Agent => Some(&mut self.agent),
            AuthorKind::Contact => Some(&mut self.contact),
            AuthorKind::System => None,
        }
    }

    /// Move `kind`'s mark up to `seq`: `true` if it moved (a mark never goes back).
    pub fn advance(&mut self, kind: AuthorKind, seq: Seq) -> bool {
        match self.of_mut(kind) {
            Some(mark) if seq > *mark => {
                *mark = seq;
                true
            }
            _ => false,
        }
    }
}

/// Frames the edge sends on a conversation socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// Sent once when the socket opens: who you are in this conversation.
    Hello {
        conversation_id: String,
        you: Author,
        last_seq: Seq,
        status: ConversationStatus,
        /// How far each side has read, so a client shows "seen" at once after a reconnect.
        #[serde(default)]
        read: ReadMarks,
    },
    /// Answer to [`ClientFrame::Sync`]: messages after the requested seq, in order. When
    /// `more` is true the client asks again after the last one it got.
    Synced {
        messages: Vec<Message>,
        last_seq: Seq,
        more: bool,
    },
    /// A new message, to every socket of the conversation (the sender included).
    Message {
        message: Message,
    },
    /// The sender's message is stored as `seq` (`duplicate`: it was already stored before).
    Ack {
        client_id: String,
        seq: Seq,
        duplicate: bool,
    },
    Typing {
        author: Author,
        active: bool,
    },
    /// A participant read up to `seq` (lets the widget show "seen").
    Read {
        author_kind: AuthorKind,
        seq: Seq,
    },
    /// Agents only: the conversation's current owner and status (on connect and on change).
    Lifecycle {
        state: LifecycleView,
    },
    /// Agents only: one new timeline event (assigned, closed with its note, reopened, …).
    Activity {
        event: ActivityEvent,
    },
    /// Agents only, on connect: the newest timeline events, oldest first.
    Timeline {
        events: Vec<ActivityEvent>,
    },
    /// The frame was refused; the socket stays open. `client_id` names the message it concerns.
    Error {
        code: ErrorCode,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_id: Option<String>,
    },
    Pong,
}

/// One line of the agents' inbox: enough to list and sort conversations without opening them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub id: String,
    pub contact_id: String,
    pub contact_name: String,
    pub status: ConversationStatus,
    pub last_seq: Seq,
    pub last_text: String,
    pub last_author: AuthorKind,
    pub last_at: Millis,
    /// Contact messages no agent has read yet.
    pub unread: u32,
    pub created_at: Millis,
    #[serde(default)]
    pub assignee_id: Option<String>,
    #[serde(default)]
    pub team_id: Option<String>,
    #[serde(default)]
    pub bot_paused: bool,
    /// Conversation period (1 for the first; +1 each time a closed conversation reopens).
    #[serde(default = "first_period")]
    pub period: u32,
}

fn first_period() -> u32 {
    1
}

/// Frames the Workspace Durable Object pushes to a connected inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum InboxFrame {
    /// The whole inbox index, newest activity first; sent when the socket opens.
    Snapshot {
        conversations: Vec<ConversationSummary>,
    },
    /// One conversation changed (new message, read, status).
    Summary {
        conversation: ConversationSummary,
    },
    /// This agent may no longer see the conversation (it was assigned to someone else and
    /// their access is "mine and unassigned"): drop it from the list.
    Hidden {
        id: String,
    },
    /// An internal note in `conversation_id` mentioned this agent (`by` wrote it).
    Mention {
        conversation_id: String,
        by: Author,
        text: String,
    },
    Error {
        code: ErrorCode,
        message: String,
    },
    Pong,
}

/// `POST /v1/widget/session` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRequest {
    pub workspace_id: String,
}

/// A new visitor identity. The token opens only `conversation_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionResponse {
    pub visitor_id: String,
    pub conversation_id: String,
    pub token: String,
}

/// `POST /v1/auth/login` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub workspace_id: String,
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Manager,
    Agent,
}

impl Role {
    /// Owners and managers run the workspace: invites, teams, settings.
    pub fn can_manage(&self) -> bool {
        matches!(self, Role::Owner | Role::Manager)
    }

    /// Whether someone with this role may give `role` to another person. Only an owner makes
    /// owners; a manager can bring in managers and agents; an agent grants nothing.
    pub fn may_grant(&self, role: &Role) -> bool {
        match self {
            Role::Owner => true,
            Role::Manager => !matches!(role, Role::Owner),
            Role::Agent => false,
        }
    }

    /// Whether someone with this role may change the role, access level or capacity of a
    /// person whose role is now `target` (docs/API.md, "Who may change whom"). Owners change
    /// anyone (the last owner stays an owner: checked with the data); managers change only
    /// agents — not owners, not other managers, not themselves; agents change no one.
    pub fn may_change(&self, target: &Role) -> bool {
        match self {
            Role::Owner => true,
            Role::Manager => matches!(target, Role::Agent),
            Role::Agent => false,
        }
    }
}

/// Why `by` may not deactivate, reactivate or send a password-reset link to `target`, or
/// `None` when they may: the rule of [`Role::may_change`], and never oneself (an agent who
/// deactivated themselves could not undo it; their own password changes on their profile).
/// Keeping the last active owner is checked with the data.
pub fn account_refusal(
    by_id: &str,
    by_role: &Role,
    target_id: &str,
    target_role: &Role,
) -> Option<&'static str> {
    if !by_role.can_manage() {
        return Some("only owners and managers can do this");
    }
    if by_id == target_id {
        return Some("you cannot do this to your own account");
    }
    if !by_role.may_change(target_role) {
        return Some("managers can change agents only, not owners or managers");
    }
    None
}

/// Longest agent name, in characters.
pub const MAX_AGENT_NAME: usize = 80;

/// An agent's display name as stored: trimmed, 1–[`MAX_AGENT_NAME`] characters. The same rule
/// for invites, the admin route and a name changed later.
pub fn agent_name(name: &str) -> Result<&str, String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_AGENT_NAME {
        return Err(format!("name must be 1-{MAX_AGENT_NAME} characters"));
    }
    Ok(name)
}

/// Which conversations an agent may see and act on. Owners and managers always see all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    #[default]
    All,
    /// Only conversations assigned to them and unassigned ones.
    MineAndUnassigned,
}

impl Access {
    /// Whether this level limits someone with `role` (owners and managers always see all).
    pub fn limits(self, role: &Role) -> bool {
        self == Access::MineAndUnassigned && !role.can_manage()
    }

    /// Whether `agent_id` (with `role` and this access level) may see a conversation held by
    /// `assignee`. The one rule every route, frame and push applies.
    pub fn allows(self, role: &Role, agent_id: &str, assignee: Option<&str>) -> bool {
        !self.limits(role) || mine_or_unassigned(agent_id, assignee)
    }
}

/// What a limited agent may see: conversations held by nobody or by them. Where only "is this
/// socket limited" is known (a socket's identity, the inbox push), this is the whole check.
pub fn mine_or_unassigned(agent_id: &str, assignee: Option<&str>) -> bool {
    assignee.is_none_or(|holder| holder == agent_id)
}

/// An agent as the inbox's agent list, assign menu and settings show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentStatus {
    #[serde(flatten)]
    pub profile: AgentProfile,
    /// Most open conversations automatic assignment gives them; `None` = no limit.
    #[serde(default)]
    pub capacity: Option<u32>,
    /// Their own "away" toggle.
    #[serde(default)]
    pub away: bool,
    /// An inbox is open and they are not away.
    #[serde(default)]
    pub online: bool,
    /// Open conversations assigned to them now.
    #[serde(default)]
    pub open: u32,
    #[serde(default)]
    pub access: Access,
    /// Deactivated by an owner or manager: they cannot sign in and get no conversations, but
    /// stay listed so reports and timelines keep naming them and they can be reactivated.
    #[serde(default)]
    pub deactivated: bool,
}

/// A team: conversations can be routed to "an agent of this team".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: String,
    pub name: String,
    /// Agent ids.
    pub members: Vec<String>,
}

/// `POST /v1/inbox/teams` and `PUT /v1/inbox/teams/{id}` body (owner/manager).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamRequest {
    pub name: String,
    #[serde(default)]
    pub members: Vec<String>,
}

/// `POST /v1/inbox/invites` body (owner/manager).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteRequest {
    pub email: String,
    pub role: Role,
}

/// A one-time invite. `token` is shown once (the edge keeps only its fingerprint); `path` is
/// the inbox link to send to the invitee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteResponse {
    pub token: String,
    pub path: String,
    pub expires_at: Millis,
}

/// `POST /v1/auth/accept-invite` body: the invitee picks a name and password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptInvite {
    pub workspace_id: String,
    pub token: String,
    pub name: String,
    pub password: String,
}

/// `PUT /v1/inbox/me` body: the signed-in agent's own details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileChange {
    pub name: String,
}

/// `PUT /v1/inbox/me/password` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// `POST /v1/auth/reset-password` body: a reset link's token and the new password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetPassword {
    pub workspace_id: String,
    pub token: String,
    pub password: String,
}

/// A one-time password-reset link (`POST /v1/inbox/agents/{id}/password-reset`). `token` is
/// shown once (the edge keeps only its fingerprint); `path` is the inbox link to hand over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetLink {
    pub token: String,
    pub path: String,
    pub expires_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentProfile {
    pub id: String,
    pub workspace_id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
    pub agent: AgentProfile,
}

/// JSON body of every HTTP error the edge returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    /// Field- or step-level problems (e.g. a workflow's validation errors) for inline display.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<serde_json::Value>,
    /// With `rate_limited`: seconds until a retry can succeed (also the `Retry-After` header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

/// Parse a raw text frame, enforcing the frame-size limit before touching JSON.
pub fn decode_client_frame(raw: &str) -> Result<ClientFrame, Error> {
    if raw.len() > MAX_FRAME_BYTES {
        return Err(Error::FrameTooLarge {
            size: raw.len(),
            limit: MAX_FRAME_BYTES,
        });
    }
    let frame: ClientFrame =
        serde_json::from_str(raw).map_err(|e| Error::MalformedFrame(e.to_string()))?;
    if let ClientFrame::Action { action } = &frame {
        action.check_ids()?;
    }
    Ok(frame)
}

impl ServerFrame {
    pub fn error(err: &Error, client_id: Option<String>) -> Self {
        ServerFrame::Error {
            code: err.code(),
            message: err.to_string(),
            client_id,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("server frames always serialize")
    }
}

impl InboxFrame {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("inbox frames always serialize")
    }
}

/// Pick the session token out of a `Sec-WebSocket-Protocol` request header.
/// Returns `None` unless the client also offered [`SUBPROTOCOL`].
pub fn token_from_subprotocols(header: &str) -> Option<&str> {
    let mut offered_ours = false;
    let mut token = None;
    for part in header.split(',').map(str::trim) {
        if part == SUBPROTOCOL {
            offered_ours = true;
        } else if let Some(t) = part.strip_prefix(BEARER_PREFIX) {
            token = Some(t);
        }
    }
    if offered_ours {
        token
    } else {
        None
    }
}
