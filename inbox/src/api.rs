//! The inbox's HTTP calls (see docs/API.md). Every error is typed so callers can tell an
//! expired session (sign in again) from a network blip (retry later).

use charla_shared::api_keys::{ApiKey, CreatedApiKey, NewApiKey};
use charla_shared::contact::{Contact, ContactChange, ContactPatch};
use charla_shared::file_index::{FilePage, FileQuery};
use charla_shared::files::FileRules;
use charla_shared::lifecycle::{ActivityEvent, LifecycleSettings};
use charla_shared::notes::NoteRequest;
use charla_shared::notifications::NotificationPrefs;
use charla_shared::protocol::{
    AcceptInvite, Access, AgentProfile, AgentStatus, ConversationSummary, ErrorBody, InviteRequest,
    InviteResponse, LoginRequest, LoginResponse, PasswordChange, ProfileChange, ResetLink,
    ResetPassword, Role, Team, TeamRequest,
};
use charla_shared::schedule::BusinessHours;
use charla_shared::search::SearchResult;
use charla_shared::snippets::{Snippet, SnippetRequest};
use charla_shared::webhooks::{CreatedWebhook, Delivery, Webhook, WebhookRequest};
use charla_shared::widget_settings::WidgetSettings;
use charla_shared::workflow::Workflow;
use charla_shared::ErrorCode;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

use crate::browser;
use crate::workflows::list::{RunSummary, TemplateInfo, WorkflowListing};

/// A failed call. Its `Display` is for the console only (it carries the server's English
/// `message`); what the agent reads comes from [`crate::i18n::Texts::error`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 401: wrong credentials at sign-in, or the token is no longer accepted.
    #[error("401: {message}")]
    Unauthorized { message: String },
    /// `code`: the stable code of the error body, `None` when the answer had none (a proxy's
    /// page). `details`: itemised problems (a workflow's validation errors) when sent.
    #[error("{status} {code:?}: {message}")]
    Refused {
        status: u16,
        code: Option<ErrorCode>,
        message: String,
        details: Vec<serde_json::Value>,
    },
    /// 429: too many requests; `retry_after` seconds until one can succeed.
    #[error("429: retry after {retry_after} s")]
    RateLimited { retry_after: u64 },
    #[error("network error")]
    Network,
    #[error("unreadable answer")]
    Decode,
}

impl ApiError {
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Unauthorized { .. })
    }

    /// The seconds a 429 asks to wait.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ApiError::RateLimited { retry_after } => Some(*retry_after),
            _ => None,
        }
    }

    /// The stable code of a refusal other than 401 and 429, when the edge sent one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Refused { code, .. } => *code,
            _ => None,
        }
    }

    /// The HTTP status of a refusal other than 401.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Refused { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The itemised problems of a refusal (empty when it has none).
    pub fn details(&self) -> &[serde_json::Value] {
        match self {
            ApiError::Refused { details, .. } => details,
            _ => &[],
        }
    }
}

pub async fn login(body: &LoginRequest) -> Result<LoginResponse, ApiError> {
    post("/v1/auth/login", None, body).await
}

pub async fn me(token: &str) -> Result<AgentProfile, ApiError> {
    request("GET", "/v1/inbox/me", Some(token), None).await
}

pub async fn conversations(token: &str) -> Result<Vec<ConversationSummary>, ApiError> {
    request("GET", "/v1/inbox/conversations", Some(token), None).await
}

pub async fn accept_invite(body: &AcceptInvite) -> Result<LoginResponse, ApiError> {
    post("/v1/auth/accept-invite", None, body).await
}

pub async fn agents(token: &str) -> Result<Vec<AgentStatus>, ApiError> {
    request("GET", "/v1/inbox/agents", Some(token), None).await
}

/// `PUT /v1/inbox/agents/{id}`: only the fields that are set change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AgentChange {
    /// `Some(None)` removes the limit, so it is always sent when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<Option<u32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access: Option<Access>,
}

pub async fn update_agent(
    token: &str,
    id: &str,
    change: &AgentChange,
) -> Result<AgentStatus, ApiError> {
    let path = format!("/v1/inbox/agents/{}", encode(id));
    send_json("PUT", &path, Some(token), change).await
}

/// The signed-in agent's own name; answers a fresh session carrying it.
pub async fn set_name(token: &str, body: &ProfileChange) -> Result<LoginResponse, ApiError> {
    send_json("PUT", "/v1/inbox/me", Some(token), body).await
}

/// The signed-in agent's own password; every session ends and the answer is the new one. A
/// wrong current password is a 403 refusal, not a 401 (the session is fine).
pub async fn change_password(
    token: &str,
    body: &PasswordChange,
) -> Result<LoginResponse, ApiError> {
    send_json("PUT", "/v1/inbox/me/password", Some(token), body).await
}

/// Deactivate (`active: false`) or reactivate an agent (owner/manager).
pub async fn set_active(token: &str, id: &str, active: bool) -> Result<AgentStatus, ApiError> {
    let verb = if active { "reactivate" } else { "deactivate" };
    let path = format!("/v1/inbox/agents/{}/{verb}", encode(id));
    request("POST", &path, Some(token), None).await
}

/// A one-time password-reset link for an agent (owner/manager), shown once.
pub async fn reset_link(token: &str, id: &str) -> Result<ResetLink, ApiError> {
    let path = format!("/v1/inbox/agents/{}/password-reset", encode(id));
    request("POST", &path, Some(token), None).await
}

/// Use a reset link: the new password, and a session.
pub async fn reset_password(body: &ResetPassword) -> Result<LoginResponse, ApiError> {
    post("/v1/auth/reset-password", None, body).await
}

/// The signed-in agent's "away" toggle; answers their updated entry.
pub async fn set_away(token: &str, away: bool) -> Result<AgentStatus, ApiError> {
    #[derive(Serialize)]
    struct Body {
        away: bool,
    }
    send_json("PUT", "/v1/inbox/me/status", Some(token), &Body { away }).await
}

/// The signed-in agent's notification switches.
pub async fn notification_prefs(token: &str) -> Result<NotificationPrefs, ApiError> {
    request("GET", "/v1/inbox/me/notifications", Some(token), None).await
}

pub async fn save_notification_prefs(
    token: &str,
    prefs: &NotificationPrefs,
) -> Result<NotificationPrefs, ApiError> {
    send_json("PUT", "/v1/inbox/me/notifications", Some(token), prefs).await
}

pub async fn invite(token: &str, body: &InviteRequest) -> Result<InviteResponse, ApiError> {
    post("/v1/inbox/invites", Some(token), body).await
}

pub async fn teams(token: &str) -> Result<Vec<Team>, ApiError> {
    request("GET", "/v1/inbox/teams", Some(token), None).await
}

/// Create a team (`id: None`) or rename / change the members of one.
pub async fn save_team(
    token: &str,
    id: Option<&str>,
    body: &TeamRequest,
) -> Result<Team, ApiError> {
    match id {
        Some(id) => {
            let path = format!("/v1/inbox/teams/{}", encode(id));
            send_json("PUT", &path, Some(token), body).await
        }
        None => post("/v1/inbox/teams", Some(token), body).await,
    }
}

/// The workspace's snippets and the signed-in agent's own.
pub async fn snippets(token: &str) -> Result<Vec<Snippet>, ApiError> {
    request("GET", "/v1/inbox/snippets", Some(token), None).await
}

/// Create a snippet (`id: None`) or replace one.
pub async fn save_snippet(
    token: &str,
    id: Option<&str>,
    body: &SnippetRequest,
) -> Result<Snippet, ApiError> {
    match id {
        Some(id) => {
            let path = format!("/v1/inbox/snippets/{}", encode(id));
            send_json("PUT", &path, Some(token), body).await
        }
        None => post("/v1/inbox/snippets", Some(token), body).await,
    }
}

pub async fn delete_snippet(token: &str, id: &str) -> Result<serde_json::Value, ApiError> {
    let path = format!("/v1/inbox/snippets/{}", encode(id));
    request("DELETE", &path, Some(token), None).await
}

pub async fn api_keys(token: &str) -> Result<Vec<ApiKey>, ApiError> {
    request("GET", "/v1/inbox/api-keys", Some(token), None).await
}

/// A new key: the answer holds the whole key, this once.
pub async fn create_api_key(token: &str, body: &NewApiKey) -> Result<CreatedApiKey, ApiError> {
    post("/v1/inbox/api-keys", Some(token), body).await
}

pub async fn revoke_api_key(token: &str, id: &str) -> Result<ApiKey, ApiError> {
    let path = format!("/v1/inbox/api-keys/{}", encode(id));
    request("DELETE", &path, Some(token), None).await
}

pub async fn webhooks(token: &str) -> Result<Vec<Webhook>, ApiError> {
    request("GET", "/v1/inbox/webhooks", Some(token), None).await
}

/// A new subscription: the answer holds its signing secret, this once.
pub async fn create_webhook(
    token: &str,
    body: &WebhookRequest,
) -> Result<CreatedWebhook, ApiError> {
    post("/v1/inbox/webhooks", Some(token), body).await
}

pub async fn delete_webhook(token: &str, id: &str) -> Result<bool, ApiError> {
    let path = format!("/v1/inbox/webhooks/{}", encode(id));
    request("DELETE", &path, Some(token), None).await
}

pub async fn webhook_deliveries(token: &str, id: &str) -> Result<Vec<Delivery>, ApiError> {
    let path = format!("/v1/inbox/webhooks/{}/deliveries", encode(id));
    request("GET", &path, Some(token), None).await
}

pub async fn redeliver(token: &str, delivery_id: i64) -> Result<bool, ApiError> {
    let path = format!("/v1/inbox/webhooks/deliveries/{delivery_id}/redeliver");
    request("POST", &path, Some(token), None).await
}

pub async fn lifecycle_settings(token: &str) -> Result<LifecycleSettings, ApiError> {
    request("GET", "/v1/inbox/settings/lifecycle", Some(token), None).await
}

pub async fn save_lifecycle_settings(
    token: &str,
    settings: &LifecycleSettings,
) -> Result<LifecycleSettings, ApiError> {
    send_json("PUT", "/v1/inbox/settings/lifecycle", Some(token), settings).await
}

/// The workspace's automatic assignment rule, as JSON (see [`crate::settings::assignment_form`]);
/// `null` = off.
pub async fn assignment_rule(token: &str) -> Result<serde_json::Value, ApiError> {
    request("GET", "/v1/inbox/settings/assignment", Some(token), None).await
}

pub async fn save_assignment_rule(
    token: &str,
    rule: &serde_json::Value,
) -> Result<serde_json::Value, ApiError> {
    send_json("PUT", "/v1/inbox/settings/assignment", Some(token), rule).await
}

pub async fn contact(token: &str, id: &str) -> Result<Contact, ApiError> {
    let path = format!("/v1/inbox/contacts/{}", encode(id));
    request("GET", &path, Some(token), None).await
}

/// `PATCH /v1/inbox/contacts/{id}` answer.
#[derive(Debug, Clone, Deserialize)]
pub struct ContactSaved {
    pub contact: Contact,
    #[serde(default)]
    pub changes: Vec<ContactChange>,
}

pub async fn patch_contact(
    token: &str,
    id: &str,
    patch: &ContactPatch,
) -> Result<ContactSaved, ApiError> {
    let path = format!("/v1/inbox/contacts/{}", encode(id));
    send_json("PATCH", &path, Some(token), patch).await
}

pub async fn workflow_templates(token: &str) -> Result<Vec<TemplateInfo>, ApiError> {
    request("GET", "/v1/inbox/workflow-templates", Some(token), None).await
}

pub async fn workflows(token: &str) -> Result<Vec<WorkflowListing>, ApiError> {
    request("GET", "/v1/inbox/workflows", Some(token), None).await
}

pub async fn workflow(token: &str, id: &str) -> Result<Workflow, ApiError> {
    let path = format!("/v1/inbox/workflows/{}", encode(id));
    request("GET", &path, Some(token), None).await
}

/// A new workflow from a template (`{"template": key}`), disabled.
pub async fn create_from_template(token: &str, template: &str) -> Result<Workflow, ApiError> {
    post(
        "/v1/inbox/workflows",
        Some(token),
        &serde_json::json!({ "template": template }),
    )
    .await
}

/// Create (`wf.id` is ignored by the server) or save a new version of a workflow. A 400 carries
/// the problems per step in [`ApiError::details`].
pub async fn save_workflow(
    token: &str,
    id: Option<&str>,
    wf: &Workflow,
) -> Result<Workflow, ApiError> {
    match id {
        Some(id) => {
            let path = format!("/v1/inbox/workflows/{}", encode(id));
            send_json("PUT", &path, Some(token), wf).await
        }
        None => post("/v1/inbox/workflows", Some(token), wf).await,
    }
}

pub async fn delete_workflow(token: &str, id: &str) -> Result<serde_json::Value, ApiError> {
    let path = format!("/v1/inbox/workflows/{}", encode(id));
    request("DELETE", &path, Some(token), None).await
}

pub async fn set_workflow_enabled(
    token: &str,
    id: &str,
    enabled: bool,
) -> Result<Workflow, ApiError> {
    let path = format!("/v1/inbox/workflows/{}/enabled", encode(id));
    send_json(
        "PUT",
        &path,
        Some(token),
        &serde_json::json!({ "enabled": enabled }),
    )
    .await
}

/// A new webhook secret, shown once.
pub async fn new_webhook_secret(token: &str, id: &str) -> Result<String, ApiError> {
    #[derive(Deserialize)]
    struct Answer {
        secret: String,
    }
    let path = format!("/v1/inbox/workflows/{}/secret", encode(id));
    let answer: Answer = request("POST", &path, Some(token), None).await?;
    Ok(answer.secret)
}

pub async fn workflow_runs(token: &str, id: &str) -> Result<Vec<RunSummary>, ApiError> {
    let path = format!("/v1/inbox/workflows/{}/runs", encode(id));
    request("GET", &path, Some(token), None).await
}

/// Start a manual or shortcut workflow on a conversation; `Ok(false)` when it did not start
/// (its conditions did not hold).
pub async fn run_workflow(
    token: &str,
    conversation_id: &str,
    workflow_id: &str,
) -> Result<bool, ApiError> {
    #[derive(Deserialize)]
    struct Answer {
        #[serde(default)]
        started: bool,
    }
    let path = format!(
        "/v1/inbox/conversations/{}/workflows/{}/run",
        encode(conversation_id),
        encode(workflow_id)
    );
    let answer: Answer = request("POST", &path, Some(token), Some("{}".to_owned())).await?;
    Ok(answer.started)
}

/// Conversations and messages matching what the agent typed, best first.
pub async fn search(token: &str, query: &str) -> Result<Vec<SearchResult>, ApiError> {
    let path = format!("/v1/inbox/search?q={}", encode(query));
    request("GET", &path, Some(token), None).await
}

/// Post an internal note; the stored note comes back (also when it was stored before).
pub async fn post_note(
    token: &str,
    conversation_id: &str,
    note: &NoteRequest,
) -> Result<ActivityEvent, ApiError> {
    #[derive(Deserialize)]
    struct Stored {
        event: ActivityEvent,
    }
    let path = format!("/v1/inbox/conversations/{}/notes", encode(conversation_id));
    let body = serde_json::to_string(note).map_err(|_| ApiError::Decode)?;
    let stored: Stored = request("POST", &path, Some(token), Some(body)).await?;
    Ok(stored.event)
}

/// `GET`/`PUT /v1/inbox/settings/workspace`: the time zone reports count days in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceSettings {
    pub time_zone: String,
}

pub async fn workspace_settings(token: &str) -> Result<WorkspaceSettings, ApiError> {
    request("GET", "/v1/inbox/settings/workspace", Some(token), None).await
}

pub async fn save_workspace_settings(
    token: &str,
    settings: &WorkspaceSettings,
) -> Result<WorkspaceSettings, ApiError> {
    send_json("PUT", "/v1/inbox/settings/workspace", Some(token), settings).await
}

/// `GET /v1/inbox/settings/business-hours`: the schedule, or `None` for always open.
pub async fn business_hours(token: &str) -> Result<Option<BusinessHours>, ApiError> {
    request(
        "GET",
        "/v1/inbox/settings/business-hours",
        Some(token),
        None,
    )
    .await
}

/// `PUT /v1/inbox/settings/business-hours`; `None` = always open.
pub async fn save_business_hours(
    token: &str,
    hours: &Option<BusinessHours>,
) -> Result<Option<BusinessHours>, ApiError> {
    send_json(
        "PUT",
        "/v1/inbox/settings/business-hours",
        Some(token),
        hours,
    )
    .await
}

pub async fn widget_settings(token: &str) -> Result<WidgetSettings, ApiError> {
    request("GET", "/v1/inbox/settings/widget", Some(token), None).await
}

/// The server answers with the settings as stored (trimmed, origins normalised).
pub async fn save_widget_settings(
    token: &str,
    settings: &WidgetSettings,
) -> Result<WidgetSettings, ApiError> {
    send_json("PUT", "/v1/inbox/settings/widget", Some(token), settings).await
}

#[derive(Deserialize)]
struct IdentitySecret {
    secret: String,
}

/// The secret a site's backend signs user ids with (owners and managers only).
pub async fn identity_secret(token: &str) -> Result<String, ApiError> {
    let answer: IdentitySecret = request(
        "GET",
        "/v1/inbox/settings/identity-secret",
        Some(token),
        None,
    )
    .await?;
    Ok(answer.secret)
}

/// Draw a new secret; signatures made with the old one stop verifying at once.
pub async fn rotate_identity_secret(token: &str) -> Result<String, ApiError> {
    let answer: IdentitySecret = request(
        "POST",
        "/v1/inbox/settings/identity-secret",
        Some(token),
        Some("{}".to_owned()),
    )
    .await?;
    Ok(answer.secret)
}

/// One report (`conversations`, `overview`, `agents`, `teams`) for a query string
/// ([`crate::reports::model::Filters::query`]).
pub async fn report<T: DeserializeOwned>(
    token: &str,
    name: &str,
    query: &str,
) -> Result<T, ApiError> {
    let path = format!("/v1/inbox/reports/{name}?{query}");
    request("GET", &path, Some(token), None).await
}

/// The closed-conversations export: the file and the name the server gave it.
pub async fn report_csv(
    token: &str,
    query: &str,
) -> Result<(web_sys::Blob, Option<String>), ApiError> {
    let network = |_: JsValue| ApiError::Network;
    let headers = Headers::new().map_err(network)?;
    headers
        .set("authorization", &format!("Bearer {token}"))
        .map_err(network)?;
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_headers(&headers);
    let url = format!(
        "{}/v1/inbox/reports/conversations.csv?{query}",
        browser::origin()
    );
    let req = Request::new_with_str_and_init(&url, &init).map_err(network)?;
    let resp: Response = JsFuture::from(browser::window().fetch_with_request(&req))
        .await
        .map_err(network)?
        .dyn_into()
        .map_err(|_| ApiError::Decode)?;
    if !resp.ok() {
        let text = JsFuture::from(resp.text().map_err(network)?)
            .await
            .map_err(network)?
            .as_string()
            .unwrap_or_default();
        return Err(refusal(resp.status(), &text, &resp));
    }
    let name = resp.headers().get("content-disposition").ok().flatten();
    let blob: web_sys::Blob = JsFuture::from(resp.blob().map_err(network)?)
        .await
        .map_err(network)?
        .dyn_into()
        .map_err(|_| ApiError::Decode)?;
    Ok((blob, name))
}

/// A file's download link (`GET …/files/{file}/link`), valid five minutes.
#[derive(Debug, Clone, Deserialize)]
pub struct FileLink {
    pub url: String,
    pub expires_at: i64,
}

pub async fn file_link(
    token: &str,
    conversation_id: &str,
    file_id: &str,
) -> Result<FileLink, ApiError> {
    let path = format!(
        "/v1/inbox/conversations/{}/files/{}/link",
        encode(conversation_id),
        encode(file_id)
    );
    request("GET", &path, Some(token), None).await
}

/// What the workspace accepts (the reply box checks sizes before uploading).
pub async fn file_rules(token: &str) -> Result<FileRules, ApiError> {
    request("GET", "/v1/inbox/settings/files", Some(token), None).await
}

/// One page of the Files page.
pub async fn files(token: &str, query: &FileQuery) -> Result<FilePage, ApiError> {
    let path = format!("/v1/inbox/files?{}", query.to_query());
    request("GET", &path, Some(token), None).await
}

/// Delete a conversation for good (owners).
pub async fn delete_conversation(token: &str, id: &str) -> Result<serde_json::Value, ApiError> {
    let path = format!("/v1/inbox/conversations/{}", encode(id));
    request("DELETE", &path, Some(token), None).await
}

/// Whether the server still accepts `token`. A WebSocket cannot see the HTTP status of a
/// refused upgrade, so a socket that fails before opening asks here.
pub async fn token_rejected(token: &str) -> bool {
    me(token).await.is_err_and(|e| e.is_unauthorized())
}

fn encode(segment: &str) -> String {
    String::from(js_sys::encode_uri_component(segment))
}

async fn post<B: Serialize, T: DeserializeOwned>(
    path: &str,
    token: Option<&str>,
    body: &B,
) -> Result<T, ApiError> {
    send_json("POST", path, token, body).await
}

async fn send_json<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &B,
) -> Result<T, ApiError> {
    let json = serde_json::to_string(body).map_err(|_| ApiError::Decode)?;
    request(method, path, token, Some(json)).await
}

async fn request<T: DeserializeOwned>(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<String>,
) -> Result<T, ApiError> {
    let network = |_: JsValue| ApiError::Network;
    let headers = Headers::new().map_err(network)?;
    headers.set("accept", "application/json").map_err(network)?;
    if let Some(token) = token {
        headers
            .set("authorization", &format!("Bearer {token}"))
            .map_err(network)?;
    }
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        headers
            .set("content-type", "application/json")
            .map_err(network)?;
        init.set_body(&JsValue::from_str(&body));
    }
    init.set_headers(&headers);
    let url = format!("{}{path}", browser::origin());
    let req = Request::new_with_str_and_init(&url, &init).map_err(network)?;
    let resp: Response = JsFuture::from(browser::window().fetch_with_request(&req))
        .await
        .map_err(network)?
        .dyn_into()
        .map_err(|_| ApiError::Decode)?;
    let text = JsFuture::from(resp.text().map_err(network)?)
        .await
        .map_err(network)?
        .as_string()
        .unwrap_or_default();
    let status = resp.status();
    if resp.ok() {
        // An empty success (204) reads as JSON `null`, which callers that do not need an
        // answer accept.
        let text = if text.trim().is_empty() {
            "null"
        } else {
            &text
        };
        return serde_json::from_str(text).map_err(|_| ApiError::Decode);
    }
    Err(refusal(status, &text, &resp))
}

/// The error for a non-2xx answer `resp` with body `text`.
fn refusal(status: u16, text: &str, resp: &Response) -> ApiError {
    let body = serde_json::from_str::<ErrorBody>(text).ok();
    if status == 429 {
        let header = resp.headers().get("retry-after").ok().flatten();
        let date = header
            .as_deref()
            .map(|h| js_sys::Date::parse(h.trim()))
            .filter(|d| d.is_finite());
        let body = body.and_then(|b| b.retry_after);
        return ApiError::RateLimited {
            retry_after: crate::retry::wait_seconds(
                header.as_deref(),
                date,
                browser::now() as f64,
                body,
            ),
        };
    }
    let (code, message, details) = body
        .map(|e| (Some(e.code), e.message, e.details))
        .unwrap_or_else(|| (None, format!("HTTP {status}"), Vec::new()));
    if status == 401 {
        ApiError::Unauthorized { message }
    } else {
        ApiError::Refused {
            status,
            code,
            message,
            details,
        }
    }
}

/// `GET /v1/widget/check/{workspace}?site=…`: may the chat run on that site, and who answers.
pub async fn connection_check(
    workspace_id: &str,
    site: &str,
) -> Result<charla_shared::widget_settings::ConnectionCheck, ApiError> {
    let path = format!(
        "/v1/widget/check/{}?site={}",
        encode(workspace_id),
        encode(site)
    );
    request("GET", &path, None, None).await
}
