//! The Conversation DO's calls: what the Worker and the Workspace DO may ask of one
//! conversation, and the bodies that go with them. The DO is named `<workspace>/<conversation>`.

use charla_shared::basic::Seq;
use charla_shared::contact::ContactChange;
use charla_shared::files::Attachment;
use charla_shared::lifecycle::{Action, ActivityEvent, Source};
use charla_shared::notes::Mention;
use charla_shared::protocol::{Author, LifecycleView, Message};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::{Env, Request, Response, Stub};

use crate::error::Result;

/// Every request a Conversation DO answers.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationCall {
    /// A socket on the conversation (Worker, forwarding the client's upgrade): the identity
    /// header holds its [`SocketIdentity`]. Answers the upgrade (101).
    Open,
    /// The Workspace's automatic assignment (source `system`). Answers `true`; a refusal
    /// (closed meanwhile, already assigned) is a 400, so the Workspace corrects its books.
    Assign {
        agent_id: String,
        team_id: Option<String>,
    },
    /// `agent_id` was deactivated: give the conversation back to nobody if they still hold it
    /// (source `system`). Answers `true` when it was theirs and now is nobody's.
    Unassign { agent_id: String },
    /// A manual/shortcut run from the inbox or a webhook call (the Worker checked the
    /// caller). Answers [`RunStarted`].
    RunWorkflow(RunRequest),
    /// The Workspace changed this conversation's contact (an agent, the pre-chat form): offer
    /// the changes to "contact field/tag updated" workflows. Answers [`ContactOffered`].
    ContactChanged {
        changes: Vec<ContactChange>,
        source: Source,
    },
    /// An agent's access changed (or the agent was removed): their open sockets here take the
    /// new `restricted` flag, and those that may no longer see the conversation are closed
    /// (4403). Answers [`OpenSockets`].
    AgentAccess {
        agent_id: String,
        restricted: bool,
        removed: bool,
    },
    /// An agent's internal note (the Worker checked the caller and found the mentions).
    /// Answers [`NoteStored`]; a 400 names the mentioned agents who cannot see the
    /// conversation, and nothing is stored.
    Note(NoteCall),
    /// The search backfill (the `SEARCH_QUEUE` consumer): send the index what it has not had
    /// from this conversation. Answers `false` for a conversation that does not exist.
    Index,
    /// An upload is about to be streamed into the bucket (the Worker checked the caller,
    /// the size and the sniffed type): record it, not yet stored nor sent. Refused (403/404)
    /// for a caller who may not see the conversation, `too_many_files` when too many uploads
    /// wait to be sent. Answers `true`.
    FileUpload(FileUpload),
    /// The upload's bytes are in the bucket: a message may now reference it. Answers `true`.
    FileStored { file_id: String },
    /// The upload failed: forget it (nothing references it). Answers `true`.
    FileDropped { file_id: String },
    /// May `viewer` see this file (for a download link)? Answers its [`Attachment`]; 404 for
    /// a file not in this conversation, or not sent yet and uploaded by the other side.
    FileAccess(FileViewer),
    /// An owner deletes the conversation (the Worker checked the role): its sockets are
    /// closed, its files' bytes deleted from the bucket, everything it stored dropped.
    /// Answers `conversation::deletion::Deleted`; 404 for a conversation that does not exist.
    Delete,
    /// A REST API request on this conversation (the Worker checked the key and its scope).
    Api(ApiCall),
}

/// Body of [`ConversationCall::Api`].
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiCall {
    /// The conversation as the API shows it → [`ApiConversation`].
    Get,
    /// Messages after `after`, at most `limit` → [`MessagePage`].
    Messages { after: Seq, limit: u32 },
    /// A lifecycle action by the key (source `api`) → [`ApiConversation`]; refusals (closed
    /// already, a closing note required) are 400 with the lifecycle's reason.
    Act { key_id: String, action: Action },
    /// A message by the key, as `author` (an agent the Worker found, or the key itself) →
    /// [`ApiPosted`]. The same `client_id` from the same author answers the stored seq.
    Post {
        key_id: String,
        author: Author,
        client_id: String,
        text: String,
    },
}

/// A conversation as the REST API shows it.
#[derive(Serialize, Deserialize)]
pub struct ApiConversation {
    pub id: String,
    pub contact_id: String,
    pub last_seq: Seq,
    pub lifecycle: LifecycleView,
}

/// Answer of [`ApiCall::Messages`]: `next` is the `after` of the following page.
#[derive(Serialize, Deserialize)]
pub struct MessagePage {
    pub messages: Vec<Message>,
    pub next: Option<Seq>,
}

/// Answer of [`ApiCall::Post`].
#[derive(Serialize, Deserialize)]
pub struct ApiPosted {
    pub seq: Seq,
    /// The client id was already stored: nothing new was sent.
    pub duplicate: bool,
}

/// Body of [`ConversationCall::FileUpload`].
#[derive(Serialize, Deserialize)]
pub struct FileUpload {
    pub file: Attachment,
    pub uploader: Author,
    /// An agent who sees only their own and unassigned conversations.
    pub restricted: bool,
}

/// Body of [`ConversationCall::FileAccess`].
#[derive(Serialize, Deserialize)]
pub struct FileViewer {
    pub file_id: String,
    pub viewer: Author,
    pub restricted: bool,
}

/// Body of [`ConversationCall::Note`].
#[derive(Serialize, Deserialize)]
pub struct NoteCall {
    pub author: Author,
    /// The writer sees only their own and unassigned conversations.
    pub restricted: bool,
    pub client_id: String,
    pub text: String,
    pub mentions: Vec<MentionTarget>,
}

/// A mentioned agent, and whether their access level limits what they see.
#[derive(Serialize, Deserialize)]
pub struct MentionTarget {
    pub mention: Mention,
    pub restricted: bool,
}

/// Answer of [`ConversationCall::Note`] (and, as it is, of the inbox's note route):
/// `duplicate` when the same client id was stored before (nobody is notified again).
#[derive(Serialize, Deserialize)]
pub struct NoteStored {
    pub event: ActivityEvent,
    pub duplicate: bool,
}

/// Who is on the other end of a conversation socket, fixed when the socket is accepted and
/// kept as the socket's hibernation attachment (stored: keep its serde shape).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SocketIdentity {
    pub workspace_id: String,
    pub conversation_id: String,
    pub author: Author,
    /// An agent whose access is "mine and unassigned": refused (and evicted) once the
    /// conversation belongs to someone else. Fixed when the socket opens.
    #[serde(default)]
    pub restricted: bool,
    /// Set when the agent's access was withdrawn while the socket was open: it speaks for
    /// nobody any more (a frame still in flight is refused) and is being closed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revoked: bool,
}

impl SocketIdentity {
    /// Keep this identity as the socket's attachment: one JSON string, because the runtime
    /// hands a string across to wasm in one call where an object costs a call per field
    /// (reading it back was 0.15 ms of every frame).
    pub fn attach_to(&self, ws: &worker::WebSocket) -> worker::Result<()> {
        let json =
            serde_json::to_string(self).map_err(|e| worker::Error::RustError(e.to_string()))?;
        ws.serialize_attachment(json)
    }

    /// The identity attached to a socket; `None` if it has none. Sockets accepted before
    /// attachments were strings (an object) still read.
    pub fn of(ws: &worker::WebSocket) -> Option<SocketIdentity> {
        if let Ok(Some(json)) = ws.deserialize_attachment::<String>() {
            return serde_json::from_str(&json).ok();
        }
        ws.deserialize_attachment::<SocketIdentity>().ok().flatten()
    }
}

/// Body of [`ConversationCall::RunWorkflow`].
#[derive(Serialize, Deserialize)]
pub struct RunRequest {
    pub workflow_id: String,
    /// Who asked: an agent (manual / shortcut) or nobody (a webhook call with its body).
    pub agent_id: Option<String>,
    /// The asking agent sees only their own and unassigned conversations.
    pub restricted: bool,
    /// A webhook call's JSON body (`event.body.*`); `null` for agents.
    pub body: serde_json::Value,
}

/// Answer of [`ConversationCall::RunWorkflow`] (and, as it is, of the inbox's run route).
#[derive(Serialize, Deserialize)]
pub struct RunStarted {
    pub started: bool,
}

/// Answer of [`ConversationCall::ContactChanged`]: how many runs the changes started.
#[derive(Serialize, Deserialize)]
pub struct ContactOffered {
    pub started: usize,
}

/// Answer of [`ConversationCall::AgentAccess`]: the agent's sockets still open here.
#[derive(Serialize, Deserialize)]
pub struct OpenSockets {
    pub sockets: u32,
}

fn stub(env: &Env, workspace_id: &str, conversation_id: &str) -> Result<Stub> {
    Ok(env
        .durable_object("CONVERSATION")?
        .id_from_name(&format!("{workspace_id}/{conversation_id}"))?
        .get_stub()?)
}

/// Ask a conversation and read its JSON answer, or the error it answered with.
pub async fn ask<T: DeserializeOwned>(
    env: &Env,
    workspace_id: &str,
    conversation_id: &str,
    call: &ConversationCall,
) -> Result<T> {
    let stub = stub(env, workspace_id, conversation_id)?;
    super::json_or_error(super::post(&stub, None::<&()>, call).await?).await
}

/// Open a socket on the identity's conversation with the client's upgrade request.
pub async fn open(req: &Request, env: &Env, identity: &SocketIdentity) -> Result<Response> {
    let stub = stub(env, &identity.workspace_id, &identity.conversation_id)?;
    super::forward_upgrade(req, &stub, identity, &ConversationCall::Open).await
}

/// The call a Conversation DO was sent.
pub async fn receive(req: &mut Request) -> Result<ConversationCall> {
    super::receive(req).await
}

/// The identity of the socket a [`ConversationCall::Open`] asks for.
pub fn socket_identity(req: &Request) -> Result<SocketIdentity> {
    super::identity(req)
}
