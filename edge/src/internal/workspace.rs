//! The Workspace DO's calls: what the Worker and the Conversation DOs may ask of a workspace,
//! and the bodies and answers that go with them. The DO is named by the workspace id, which
//! every call also carries in the identity header.
//!
//! `viewer` in a call is the agent the Worker verified (from their token); the Workspace reads
//! that agent's role and access from its own table, so reads are shaped for them as they are
//! now.

use charla_shared::api_keys::NewApiKey;
use charla_shared::assignment::AssignTo;
use charla_shared::contact::{Contact, ContactChange, ContactPatch};
use charla_shared::file_index::{FileQuery, SentFile};
use charla_shared::lifecycle::LifecycleSettings;
use charla_shared::notifications::NotificationPrefs;
use charla_shared::protocol::{AgentProfile, Author, ConversationSummary, TeamRequest};
use charla_shared::reports::ReportRow;
use charla_shared::webhooks::EventType;

use super::reports::ReportCall;
use charla_shared::schedule::BusinessHours;
use charla_shared::snippets::SnippetRequest;
use charla_shared::widget_settings::{IdentifyRequest, WidgetSettings};
use charla_shared::workflow::{AgentFacts, RunLog, Workflow};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use worker::{Env, Request, Response, Stub};

pub use super::account::{AgentChange, RedeemInvite, RedeemReset, StoreInvite, StoreReset};
pub use super::api::{
    ContactPage, ConversationPage, ConversationPageAsk, CreatedContact, DeliveryRecord,
    HookManager, NewWebhook, WebhookTarget,
};
use crate::error::Result;

/// Answer of [`WorkspaceCall::SearchScope`]: the inbox lines of the asked conversations the
/// viewer may see, and of the asked contacts' conversations they may see.
#[derive(Serialize, Deserialize, Default)]
pub struct SearchScope {
    pub conversations: Vec<ConversationSummary>,
    pub of_contacts: Vec<ConversationSummary>,
}

/// Body of [`WorkspaceCall::Mentioned`].
#[derive(Serialize, Deserialize)]
pub struct Mentioned {
    pub conversation_id: String,
    pub by: Author,
    pub text: String,
    pub agents: Vec<String>,
}

/// Every request the Workspace DO answers; each says what it answers.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceCall {
    // The workspace and signing in.
    /// Bootstrap (admin route) → [`Created`].
    Create(NewWorkspace),
    /// Count a sign-in attempt and hand out the record to verify → [`LoginRecord`].
    LoginBegin { email: String },
    /// The Worker's derivation matched `agent_id`'s record → [`SignedIn`] (401: deactivated).
    LoginFinish { email: String, agent_id: String },
    /// Keep an invite's fingerprint → `true`.
    StoreInvite(StoreInvite),
    /// Create the invited agent, once → [`SignedIn`].
    RedeemInvite(RedeemInvite),
    /// An agent's own password change: count an attempt against their account (as a sign-in
    /// does) and hand out their record → [`LoginRecord`].
    PasswordBegin(SessionRef),
    /// The current password matched: store the new hash, clear the attempts and end every
    /// session of the agent → [`SignedIn`] (a session of the new generation).
    SetPassword {
        session: SessionRef,
        password_hash: String,
    },
    /// The agent's own display name → [`SignedIn`] (same generation: other sessions go on).
    SetName { session: SessionRef, name: String },
    /// Deactivate (`active: false`) or reactivate an agent for the caller → `AgentStatus`.
    SetActive(SetActive),
    /// Keep a password-reset link's fingerprint for an agent the caller may change → `true`.
    StoreReset(StoreReset),
    /// Use a reset link once: new hash, every earlier session ended → [`SignedIn`].
    RedeemReset(RedeemReset),

    // Agents and teams.
    /// → `Vec<AgentStatus>`.
    Agents,
    /// One active agent as the table says now → `AgentStatus` (404: no such agent, or
    /// deactivated: what an assignment may name).
    Agent { agent_id: String },
    /// The caller behind a verified token, as the table says now → `AgentStatus`; 401 when
    /// the agent is gone, deactivated, or the token's session generation is over. With
    /// `opening`, also note that the agent is opening a socket on that conversation, so a
    /// later change of their access reaches it.
    Session {
        session: SessionRef,
        opening: Option<String>,
    },
    /// → `AgentStatus`.
    ChangeAgent {
        agent_id: String,
        change: AgentChange,
    },
    /// The agent's notification choices → `NotificationPrefs`.
    NotificationPrefs { agent_id: String },
    /// → `NotificationPrefs`.
    SetNotificationPrefs {
        agent_id: String,
        prefs: NotificationPrefs,
    },
    /// → `Vec<Team>`.
    Teams,
    /// Create (`team_id: None`) or replace a team → `Team`.
    SaveTeam {
        team_id: Option<String>,
        team: TeamRequest,
    },

    // Snippets.
    /// The workspace's snippets and the viewer's own → `Vec<Snippet>`.
    Snippets { viewer: String },
    /// Create (`snippet_id: None`) or replace a snippet; the Workspace checks the viewer's role
    /// for workspace snippets and ownership for personal ones → `Snippet`.
    SaveSnippet {
        viewer: String,
        snippet_id: Option<String>,
        snippet: SnippetRequest,
    },
    /// → `true`.
    DeleteSnippet { viewer: String, snippet_id: String },

    // The REST API's keys (owners only; the Worker drew the secret, the DO keeps its hash).
    /// → `Vec<ApiKey>`, newest first.
    ApiKeys { viewer: String },
    /// → `ApiKey`; 400 past [`charla_shared::api_keys::MAX_KEYS`].
    CreateApiKey {
        viewer: String,
        key_id: String,
        key: NewApiKey,
        fingerprint: String,
        hint: String,
    },
    /// → `ApiKey` (revoked; revoking twice keeps the first time).
    RevokeApiKey { viewer: String, key_id: String },
    /// A REST request's key → `ApiCaller`; 401 for an unknown, revoked or wrong key.
    ApiCaller { key_id: String, fingerprint: String },
    /// A page of contacts for the REST API, by id after `after`, optionally those whose name,
    /// email or phone contain `query` → `ContactPage`.
    ContactPage {
        after: Option<String>,
        limit: u32,
        query: Option<String>,
    },
    /// Inbox lines for the REST API → [`ConversationPage`].
    ConversationPage(ConversationPageAsk),
    /// One contact for the REST API (no access levels: a key is workspace-wide) → `Contact`.
    ApiContact { contact_id: String },
    /// A new contact through the REST API (the Worker drew its id) → [`CreatedContact`]. With
    /// an idempotency key already used by this key, the contact made then, `created: false`.
    ApiCreateContact {
        key_id: String,
        contact_id: String,
        idempotency_key: Option<String>,
        patch: ContactPatch,
    },
    /// A REST API change to a contact (source `api`) → [`PatchedContact`].
    ApiPatchContact {
        contact_id: String,
        patch: ContactPatch,
    },

    // Outbound webhooks (`workspace/webhooks.rs`); `by` is an owner or an API key.
    /// → `Vec<Webhook>`.
    Webhooks { by: HookManager },
    /// → `Webhook`; the Worker drew the id and the secret.
    CreateWebhook(NewWebhook),
    /// → `true`; its deliveries in the queue are dropped when their turn comes.
    DeleteWebhook { by: HookManager, webhook_id: String },
    /// The subscription's latest deliveries, newest first → `Vec<Delivery>`.
    WebhookDeliveries { by: HookManager, webhook_id: String },
    /// Send a logged delivery's event again, as a first try → `true`.
    Redeliver { by: HookManager, delivery_id: i64 },
    /// Where and how to deliver (the queue consumer) → `Option<WebhookTarget>`, `None` for a
    /// subscription deleted meanwhile.
    WebhookTarget { webhook_id: String },
    /// Subscriptions hearing `event` (the queue consumer) → `Vec<String>`.
    WebhookSubscribers { event: EventType },
    /// One try's outcome, for the log → `true`.
    RecordDelivery(Box<DeliveryRecord>),

    // The inbox.
    /// The caller's inbox socket (Worker, forwarding the client's upgrade) → the upgrade;
    /// refused like [`WorkspaceCall::Session`], in the same turn the socket is accepted, so
    /// no session that just ended slips a socket in.
    OpenInbox { session: SessionRef },
    /// The inbox index as the viewer may see it → `Vec<ConversationSummary>`.
    Conversations { viewer: String },
    /// A Conversation DO's new inbox line → `true`.
    Summary(ConversationSummary),
    /// Which of the search index's hits the viewer may see → [`SearchScope`].
    SearchScope {
        viewer: String,
        conversation_ids: Vec<String>,
        contact_ids: Vec<String>,
    },
    /// A note mentioned these agents (the Worker checked they may see the conversation): each
    /// of their open inboxes gets an `InboxFrame::Mention` → `true`.
    Mentioned(Mentioned),
    /// What a Conversation DO has to tell its workspace since its last publication, coalesced:
    /// its newest inbox line and the report rows of periods that opened or closed meanwhile
    /// → [`PublishAnswer`].
    Publish(Box<Publication>),
    /// A Conversation DO's link for its publications (see `internal::link`) → the upgrade.
    OpenLink,
    /// The files sent in the conversations the viewer may see, newest first, one page
    /// → `FilePage`.
    Files { viewer: String, query: FileQuery },
    /// An owner deleted a conversation (its Conversation DO is already empty): drop its inbox
    /// line, files index rows, socket notes and known-user links, and tell every inbox
    /// → `true`.
    ConversationDeleted { conversation_id: String },
    /// A contact was deleted (its conversations first, each as above): its record, its
    /// identities and what API keys made of it go → `true`.
    ContactDeleted { contact_id: String },
    /// → `Contact`.
    Contact { viewer: String, contact_id: String },
    /// → [`PatchedContact`].
    PatchContact {
        viewer: String,
        contact_id: String,
        patch: ContactPatch,
    },

    // Settings.
    /// What files the workspace accepts → `FileRules`.
    FileRules,
    /// → `FileRules`.
    SetFileRules(charla_shared::files::FileRules),
    /// → `LifecycleSettings`.
    LifecycleSettings,
    /// → `LifecycleSettings`.
    SetLifecycleSettings(LifecycleSettings),
    /// The automatic assignment rule → `Option<AssignTo>`.
    Assignment,
    /// → `Option<AssignTo>`.
    SetAssignment(Option<AssignTo>),
    /// → [`WorkspaceSettings`].
    WorkspaceSettings,
    /// → [`WorkspaceSettings`].
    SetWorkspaceSettings(WorkspaceSettings),
    /// → `Option<BusinessHours>`.
    BusinessHours,
    /// → `Option<BusinessHours>`.
    SetBusinessHours(Option<BusinessHours>),

    // The widget.
    /// Whether a page on `origin` may use the widget → `true` (403 otherwise).
    CheckOrigin { origin: Option<String> },
    /// The public config the loader fetches → `PublicWidgetConfig`.
    WidgetConfig,
    /// The owner's connection check for a site's origin → `ConnectionCheck`.
    ConnectionCheck { origin: Option<String> },
    /// → `WidgetSettings`.
    WidgetSettings,
    /// → `WidgetSettings`.
    SetWidgetSettings(WidgetSettings),
    /// → [`Secret`].
    IdentitySecret,
    /// → [`Secret`].
    RotateIdentitySecret,
    /// The visitor's pre-chat answers → `Contact`.
    Prechat(PrechatAnswers),
    /// → [`IdentifiedSession`].
    Identify(IdentifyVisitor),

    // Workflows, as the inbox edits them.
    /// → `Vec<WorkflowListing>`.
    Workflows { viewer: String },
    /// → `Workflow` (credentials masked unless the viewer edits workflows).
    Workflow { viewer: String, workflow_id: String },
    /// A definition, or `{"template": …}` → `Workflow`.
    CreateWorkflow(serde_json::Value),
    /// A new version → `Workflow`.
    SaveWorkflow {
        workflow_id: String,
        workflow: serde_json::Value,
    },
    /// → `true`.
    DeleteWorkflow { workflow_id: String },
    /// → `Workflow`.
    EnableWorkflow { workflow_id: String, enabled: bool },
    /// A new webhook secret, shown once → [`Secret`].
    NewWebhookSecret { workflow_id: String },
    /// → `Vec<RunSummary>`.
    WorkflowRuns { viewer: String, workflow_id: String },
    /// A webhook call's secret and target → [`HookTarget`].
    CheckHook {
        workflow_id: String,
        check: HookCheck,
    },

    // Workflows, as the Conversation DOs run them.
    /// What running workflows for one event needs → [`AutomationContext`].
    AutomationContext { contact_id: String },
    /// An Assign To step, decided by the single writer of the assignment state → `Decision`.
    Decide(DecideRequest),
    /// An Update Contact step → [`PatchedContact`].
    PatchContactFor {
        contact_id: String,
        patch: ContactPatch,
    },
    /// A run's line in its workflow's run list → `true`.
    RecordRun(RunSummary),

    // Reports.
    /// A period's row from a Conversation DO → `true`.
    ReportRow(Box<ReportRow>),
    /// A report view → JSON, or `text/csv` for the export.
    Report(ReportCall),
    /// Bulk rows for benches, only with `CHARLA_DEV_SEED=1` → [`Seeded`].
    SeedReportRows(Vec<ReportRow>),
    /// Requests this Workspace DO answered since it started, only with `CHARLA_DEV_SEED=1`
    /// (what the scale bench divides by messages) → [`CallCount`].
    DevCallCount,
}

/// Body of [`WorkspaceCall::Publish`]: one request however many messages it covers.
#[derive(Serialize, Deserialize, Default)]
pub struct Publication {
    pub summary: Option<ConversationSummary>,
    pub report_rows: Vec<ReportRow>,
    /// Files sent with messages since the last publication, for the files index.
    #[serde(default)]
    pub files: Vec<SentFile>,
}

/// What the conversation needs to know to skip asking for its workflow context, as it was
/// when a publication was handled (so a workflow enabled before a message was sent applies to
/// that message).
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Published {
    pub message_workflows: MessageWorkflows,
}

/// Answer of [`WorkspaceCall::Publish`]: [`Published`], and the lifecycle settings as they are
/// now, so a conversation that keeps them (in its SQLite, across hibernation) learns of a
/// change from the next publication instead of asking for them on every wake.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct PublishAnswer {
    pub message_workflows: MessageWorkflows,
    #[serde(default)]
    pub lifecycle: Option<LifecycleSettings>,
}

/// Which contact messages an enabled workflow of the workspace listens for.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum MessageWorkflows {
    #[default]
    None,
    /// Only the first contact message of a period.
    FirstOnly,
    Any,
}

impl MessageWorkflows {
    /// Whether a contact message (the period's first or not) may start a workflow.
    pub fn may_start(self, first_in_period: bool) -> bool {
        match self {
            MessageWorkflows::None => false,
            MessageWorkflows::FirstOnly => first_in_period,
            MessageWorkflows::Any => true,
        }
    }
}

/// Answer of [`WorkspaceCall::DevCallCount`].
#[derive(Serialize, Deserialize)]
pub struct CallCount {
    pub calls: u64,
}

/// Body of [`WorkspaceCall::Create`]; the Worker derived the owner's hash.
#[derive(Serialize, Deserialize)]
pub struct NewWorkspace {
    pub owner_email: String,
    pub owner_name: String,
    pub owner_password_hash: String,
}

/// Answer of [`WorkspaceCall::Create`] (and of the admin route, as it is).
#[derive(Serialize, Deserialize)]
pub struct Created {
    pub created: String,
}

/// Answer of [`WorkspaceCall::LoginBegin`]: the record to verify against (a dummy one for
/// unknown emails).
#[derive(Serialize, Deserialize)]
pub struct LoginRecord {
    pub agent_id: Option<String>,
    pub password_hash: String,
}

/// A verified token's agent and session generation (see `Claims::Agent::session`).
#[derive(Serialize, Deserialize, Clone)]
pub struct SessionRef {
    pub agent_id: String,
    pub session: u32,
}

/// Answer of the calls that sign an agent in: who, and the session generation to sign their
/// token with.
#[derive(Serialize, Deserialize)]
pub struct SignedIn {
    pub agent: AgentProfile,
    pub session: u32,
}

/// Body of [`WorkspaceCall::SetActive`]: `by` is the caller as the Worker verified them.
#[derive(Serialize, Deserialize)]
pub struct SetActive {
    pub by: String,
    pub agent_id: String,
    pub active: bool,
}

/// A contact now and what changed (also the answer of `PATCH /v1/inbox/contacts/{id}`).
#[derive(Serialize, Deserialize)]
pub struct PatchedContact {
    pub contact: Contact,
    pub changes: Vec<ContactChange>,
}

/// `GET`/`PUT /v1/inbox/settings/workspace`. An IANA zone name, e.g. `Europe/Madrid`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceSettings {
    pub time_zone: String,
}

/// A secret shown once (identity secret, webhook secret), as the inbox routes answer it.
#[derive(Serialize, Deserialize)]
pub struct Secret {
    pub secret: String,
}

/// Body of [`WorkspaceCall::Prechat`].
#[derive(Serialize, Deserialize)]
pub struct PrechatAnswers {
    pub visitor_id: String,
    /// The visitor's conversation (from their token), where field-updated workflows run.
    pub conversation_id: Option<String>,
    pub origin: Option<String>,
    pub answers: BTreeMap<String, String>,
}

/// Body of [`WorkspaceCall::Identify`]: the visitor's current session and the request.
#[derive(Serialize, Deserialize)]
pub struct IdentifyVisitor {
    pub visitor_id: String,
    pub conversation_id: String,
    pub origin: Option<String>,
    pub request: IdentifyRequest,
}

/// The session the widget should use after `identify`: the known user's own (merged) or the
/// current one.
#[derive(Serialize, Deserialize)]
pub struct IdentifiedSession {
    pub visitor_id: String,
    pub conversation_id: String,
    pub merged: bool,
}

/// `GET /v1/inbox/workflows` line: the definition plus its latest runs' outcomes.
#[derive(Serialize, Deserialize)]
pub struct WorkflowListing {
    pub workflow: Workflow,
    pub updated_at: i64,
    pub last_runs: Vec<RunSummary>,
}

/// One run as the workflow's run list shows it: the engine's log under the id the
/// Conversation DO gave the run. Reported when a run starts waiting and when it ends; stored
/// as it is (keep its serde shape).
#[derive(Clone, Serialize, Deserialize)]
pub struct RunSummary {
    pub run_id: String,
    #[serde(flatten)]
    pub log: RunLog,
}

/// Body of [`WorkspaceCall::CheckHook`]: the presented secret and which conversation the call
/// is about (a conversation id, or a contact whose latest conversation it is).
#[derive(Serialize, Deserialize)]
pub struct HookCheck {
    pub secret: String,
    pub conversation_id: Option<String>,
    pub contact_id: Option<String>,
}

/// Answer of [`WorkspaceCall::CheckHook`].
#[derive(Serialize, Deserialize)]
pub struct HookTarget {
    pub conversation_id: String,
}

/// What a Conversation DO needs to run workflows for one event: the enabled workflows, the
/// contact and the agents as they are now, the workspace's time zone.
#[derive(Serialize, Deserialize)]
pub struct AutomationContext {
    pub workflows: Vec<Workflow>,
    pub contact: Contact,
    pub agents: Vec<AgentFacts>,
    pub time_zone: String,
    pub business_hours: Option<BusinessHours>,
}

/// Body of [`WorkspaceCall::Decide`].
#[derive(Serialize, Deserialize)]
pub struct DecideRequest {
    pub conversation_id: String,
    pub contact_id: String,
    pub request: AssignTo,
}

pub(super) fn stub(env: &Env, workspace_id: &str) -> Result<Stub> {
    Ok(env
        .durable_object("WORKSPACE")?
        .id_from_name(workspace_id)?
        .get_stub()?)
}

/// Send a call to a workspace and take its answer as it comes (a report's CSV, say).
pub async fn send(env: &Env, workspace_id: &str, call: &WorkspaceCall) -> Result<Response> {
    super::post(&stub(env, workspace_id)?, Some(&workspace_id), call).await
}

/// Ask a workspace and read its JSON answer, or the error it answered with.
pub async fn ask<T: DeserializeOwned>(
    env: &Env,
    workspace_id: &str,
    call: &WorkspaceCall,
) -> Result<T> {
    super::json_or_error(send(env, workspace_id, call).await?).await
}

/// Ask a workspace and hand its answer (`T`) on as the response: the Worker's pass-through
/// routes ("authenticate, build the call, forward").
pub async fn forward<T: DeserializeOwned + Serialize>(
    env: &Env,
    workspace_id: &str,
    call: WorkspaceCall,
) -> Result<Response> {
    let answer: T = ask(env, workspace_id, &call).await?;
    Ok(Response::from_json(&answer)?)
}

/// Open the caller's inbox socket with the client's upgrade request.
pub async fn open_inbox(
    req: &Request,
    env: &Env,
    workspace_id: &str,
    session: SessionRef,
) -> Result<Response> {
    let call = WorkspaceCall::OpenInbox { session };
    super::forward_upgrade(req, &stub(env, workspace_id)?, &workspace_id, &call).await
}

/// The call a Workspace DO was sent, and the workspace id its caller named.
pub async fn receive(req: &mut Request) -> Result<(String, WorkspaceCall)> {
    let workspace_id = super::identity(req)?;
    Ok((workspace_id, super::receive(req).await?))
}
