//! HTTP routes under `/v1` (see docs/API.md). Each handler checks the caller, then forwards to
//! the Durable Object that owns the data.

use charla_shared::assignment::AssignTo;
use charla_shared::contact::{Contact, ContactPatch};
use charla_shared::lifecycle::LifecycleSettings;
use charla_shared::protocol::{
    AcceptInvite, AgentProfile, AgentStatus, Author, AuthorKind, ConversationSummary,
    InviteRequest, InviteResponse, LoginRequest, LoginResponse, SessionRequest, SessionResponse,
    Team, TeamRequest,
};
use charla_shared::token::{self, Claims};
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{Env, Headers, Method, Request, Response};

use crate::auth::{self, AGENT_SESSION_MILLIS};
use crate::crypto;
use crate::error::{EdgeError, Result};
use crate::ids::{is_valid, IdKind};
use crate::ids::{new_id, now_millis, valid_conversation_id, valid_visitor_id, valid_workspace_id};
use crate::internal::conversation::{self, SocketIdentity};
use crate::internal::workspace::{
    self, AgentChange, Created, LoginRecord, NewWorkspace, PatchedContact, RedeemInvite,
    StoreInvite, WorkspaceCall,
};
use crate::limits;
use crate::report_routes;
use crate::sockets::require_upgrade;
use crate::widget_routes;
use crate::workflow_routes;

/// How long an invite link stays valid.
const INVITE_MILLIS: i64 = 7 * 24 * 60 * 60 * 1000;

/// Largest JSON body accepted on HTTP routes.
const MAX_BODY_BYTES: usize = 16 * 1024;

pub async fn handle(req: Request, env: &Env) -> Result<Response> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = req.method();
    match (method, segments.as_slice()) {
        (Method::Options, ["v1", "widget", ..]) => {
            with_cors(Ok(Response::empty()?.with_status(204)))
        }
        (Method::Post, ["v1", "widget", "session"]) => with_cors(widget_session(req, env).await),
        (Method::Get, ["v1", "widget", "session"]) => {
            let ip = limits::client_ip(&req);
            public(env, ip, async { widget_session_renew(&req, env) }).await
        }
        (Method::Get, ["v1", "widget", "ws"]) => widget_socket(req, env).await,
        (Method::Get, ["v1", "widget", "config", workspace]) => {
            let ip = limits::client_ip(&req);
            let workspace = *workspace;
            public(env, ip, async move {
                widget_routes::config(env, workspace_id_checked(workspace)?).await
            })
            .await
        }
        (Method::Post, ["v1", "widget", "prechat"]) => {
            let ip = limits::client_ip(&req);
            public(env, ip, widget_routes::prechat(req, env)).await
        }
        (Method::Post, ["v1", "widget", "identify"]) => {
            let ip = limits::client_ip(&req);
            public(env, ip, widget_routes::identify(req, env)).await
        }
        (Method::Get | Method::Put, ["v1", "inbox", "settings", "business-hours"]) => {
            widget_routes::business_hours(req, env).await
        }
        (Method::Get | Method::Put, ["v1", "inbox", "settings", "widget"]) => {
            widget_routes::settings(req, env).await
        }
        (Method::Get | Method::Post, ["v1", "inbox", "settings", "identity-secret"]) => {
            widget_routes::identity_secret(req, env).await
        }
        (Method::Post, ["v1", "auth", "login"]) => login(req, env).await,
        (Method::Get, ["v1", "inbox", "me"]) => me(req, env).await,
        (Method::Get, ["v1", "inbox", "conversations"]) => conversations(req, env).await,
        (Method::Get, ["v1", "inbox", "ws"]) => inbox_socket(req, env).await,
        (Method::Get, ["v1", "inbox", "conversations", id, "ws"]) => {
            agent_conversation_socket(&req, env, id).await
        }
        (Method::Get, ["v1", "inbox", "agents"]) => agents(req, env).await,
        (Method::Post, ["v1", "inbox", "invites"]) => invite(req, env).await,
        (Method::Post, ["v1", "auth", "accept-invite"]) => accept_invite(req, env).await,
        (Method::Get, ["v1", "inbox", "settings", "lifecycle"]) => {
            get_lifecycle_settings(req, env).await
        }
        (Method::Put, ["v1", "inbox", "settings", "lifecycle"]) => {
            put_lifecycle_settings(req, env).await
        }
        (Method::Get, ["v1", "inbox", "settings", "assignment"]) => {
            let s = auth::agent(&req, env)?;
            forward::<Option<AssignTo>>(env, &s.workspace_id, WorkspaceCall::Assignment).await
        }
        (Method::Put, ["v1", "inbox", "settings", "assignment"]) => put_assignment(req, env).await,
        (Method::Put, ["v1", "inbox", "agents", id]) => change_agent(req, env, id).await,
        (Method::Get, ["v1", "inbox", "contacts", id]) => contact(req, env, id, None).await,
        (Method::Patch, ["v1", "inbox", "contacts", id]) => {
            let mut req = req;
            let patch: ContactPatch = read_json(&mut req).await?;
            contact(req, env, id, Some(patch)).await
        }
        (Method::Get, ["v1", "inbox", "teams"]) => {
            let s = auth::agent(&req, env)?;
            forward::<Vec<Team>>(env, &s.workspace_id, WorkspaceCall::Teams).await
        }
        (Method::Post, ["v1", "inbox", "teams"]) => save_team(req, env, None).await,
        (Method::Put, ["v1", "inbox", "teams", id]) => save_team(req, env, Some(id)).await,
        (Method::Put, ["v1", "inbox", "me", "status"]) => set_status(req, env).await,
        (Method::Post, ["v1", "inbox", "conversations", id, "workflows", wf, "run"]) => {
            workflow_routes::run(req, env, id, wf).await
        }
        (Method::Post, ["v1", "hooks", workspace, wf]) => {
            limits::per_ip(env, &limits::PUBLIC_PER_IP, &req).await?;
            workflow_routes::hook(req, env, workspace, wf).await
        }
        (Method::Get, ["v1", "inbox", "workflow-templates"]) => {
            workflow_routes::templates(&req, env)
        }
        (_, ["v1", "inbox", "workflows", rest @ ..]) => {
            let rest = rest.to_vec();
            workflow_routes::handle(req, env, &rest).await
        }
        (
            _,
            ["v1", "inbox", "reports", ..]
            | ["v1", "inbox", "settings", "workspace"]
            | ["v1", "dev", ..],
        ) => report_routes::handle(req, env, &segments).await,
        (Method::Post, ["v1", "admin", "workspaces"]) => create_workspace(req, env).await,
        (Method::Get, ["v1", "health"]) => {
            Ok(Response::from_json(&serde_json::json!({"ok": true}))?)
        }
        (Method::Get, [""]) => {
            let mut url = req.url()?;
            url.set_path("/inbox/");
            Ok(Response::redirect(url)?)
        }
        _ => Err(EdgeError::NotFound(format!("no route for {path}"))),
    }
}

/// A public widget route: at most [`limits::PUBLIC_PER_IP`] calls from `ip`, answered (refusal
/// included) with the widget's CORS headers. `handler` runs only within the limit.
async fn public(
    env: &Env,
    ip: String,
    handler: impl std::future::Future<Output = Result<Response>>,
) -> Result<Response> {
    with_cors(
        async {
            limits::check(env, &limits::PUBLIC_PER_IP, &ip).await?;
            handler.await
        }
        .await,
    )
}

/// The widget runs on any site; it authenticates with its token, not cookies, so `*` is safe.
fn with_cors(result: Result<Response>) -> Result<Response> {
    let resp = result.unwrap_or_else(EdgeError::into_response);
    let headers = Headers::new();
    for (k, v) in resp.headers().entries() {
        headers.set(&k, &v)?;
    }
    headers.set("Access-Control-Allow-Origin", "*")?;
    headers.set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")?;
    headers.set(
        "Access-Control-Allow-Headers",
        "Content-Type, Authorization",
    )?;
    headers.set("Access-Control-Max-Age", "86400")?;
    // Lets the widget read how long to wait after a 429.
    headers.set("Access-Control-Expose-Headers", "Retry-After")?;
    Ok(resp.with_headers(headers))
}

pub(crate) async fn read_json<T: serde::de::DeserializeOwned>(req: &mut Request) -> Result<T> {
    let text = req.text().await?;
    if text.len() > MAX_BODY_BYTES {
        return Err(EdgeError::BadRequest("request body too large".into()));
    }
    serde_json::from_str(&text)
        .map_err(|e| EdgeError::BadRequest(format!("invalid JSON body: {e}")))
}

/// An id from a URL or token, checked against its kind's shape before it goes anywhere.
pub(crate) fn id_checked(kind: IdKind, id: &str) -> Result<&str> {
    if is_valid(kind, id) {
        Ok(id)
    } else {
        Err(EdgeError::NotFound(format!("unknown {}", kind.noun())))
    }
}

pub(crate) fn agent_id_checked(id: &str) -> Result<&str> {
    id_checked(IdKind::Agent, id)
}

fn workspace_id_checked(id: &str) -> Result<&str> {
    if valid_workspace_id(id) {
        Ok(id)
    } else {
        Err(EdgeError::BadRequest(
            "workspace_id must be 1-64 characters of a-z, 0-9, - and _".into(),
        ))
    }
}

/// A new visitor identity. Called by the widget the first time the visitor opens the chat.
async fn widget_session(mut req: Request, env: &Env) -> Result<Response> {
    limits::per_ip(env, &limits::SESSION_PER_IP, &req).await?;
    let body: SessionRequest = read_json(&mut req).await?;
    let workspace_id = workspace_id_checked(&body.workspace_id)?;
    // Unknown workspace → 404; an origin outside the allowed list → 403 with the reason.
    let origin = widget_routes::origin(&req)?;
    workspace::ask::<bool>(env, workspace_id, &WorkspaceCall::CheckOrigin { origin }).await?;
    let visitor_id = new_id("v")?;
    let conversation_id = new_id("c")?;
    let token = token::sign(
        &Claims::visitor(
            workspace_id.to_owned(),
            visitor_id.clone(),
            conversation_id.clone(),
            now_millis(),
        ),
        &auth::secret(env)?,
    );
    Ok(Response::from_json(&SessionResponse {
        visitor_id,
        conversation_id,
        token,
    })?)
}

/// Is this stored visitor token still good, and a renewed one for the same visitor and
/// conversation. The widget calls it while the chat is in use, so a token in use never
/// expires, and after repeated socket failures (a browser cannot see why a WebSocket handshake
/// failed): on 401 (expired, or the secret was rotated) it starts a new session instead of
/// retrying a dead token forever.
fn widget_session_renew(req: &Request, env: &Env) -> Result<Response> {
    let s = auth::visitor(req, env)?;
    let claims = Claims::visitor(
        s.workspace_id,
        s.visitor_id.clone(),
        s.conversation_id.clone(),
        now_millis(),
    );
    let expires_at = claims.expires_at();
    let token = token::sign(&claims, &auth::secret(env)?);
    Ok(Response::from_json(&serde_json::json!({
        "visitor_id": s.visitor_id, "conversation_id": s.conversation_id,
        "token": token, "expires_at": expires_at,
    }))?)
}

/// Visitors get a readable name until they tell us theirs.
fn visitor_name(visitor_id: &str) -> String {
    let tail = visitor_id.trim_start_matches("v_");
    format!("Visitor {}", &tail[..tail.len().min(4)])
}

async fn widget_socket(req: Request, env: &Env) -> Result<Response> {
    require_upgrade(&req)?;
    let session = auth::visitor(&req, env)?;
    let identity = SocketIdentity {
        workspace_id: session.workspace_id.clone(),
        conversation_id: session.conversation_id.clone(),
        author: Author {
            kind: AuthorKind::Contact,
            name: visitor_name(&session.visitor_id),
            id: session.visitor_id,
        },
        restricted: false,
        revoked: false,
    };
    conversation::open(&req, env, &identity).await
}

/// Sign in: limited per IP here and per account by the Workspace (which hands out the stored
/// record); the password is derived here in the Worker, never in the Durable Object's turn.
async fn login(mut req: Request, env: &Env) -> Result<Response> {
    limits::per_ip(env, &limits::LOGIN_PER_IP, &req).await?;
    let body: LoginRequest = read_json(&mut req).await?;
    let workspace_id = workspace_id_checked(&body.workspace_id)?;
    if body.password.chars().count() > charla_shared::password::MAX_CHARS {
        return Err(EdgeError::Unauthorized);
    }
    let _turn = crypto::password_turn().await?;
    let begin = WorkspaceCall::LoginBegin {
        email: body.email.clone(),
    };
    let record: LoginRecord =
        workspace::ask(env, workspace_id, &begin)
            .await
            .map_err(|e| match e {
                EdgeError::NotFound(_) => EdgeError::Unauthorized,
                other => other,
            })?;
    let matched = crypto::verify(&body.password, &record.password_hash).await;
    let (true, Some(agent_id)) = (matched, record.agent_id) else {
        // The attempt stays counted; nothing else to tell the Workspace.
        return Err(EdgeError::Unauthorized);
    };
    let finish = WorkspaceCall::LoginFinish {
        email: body.email,
        agent_id,
    };
    signed_in(env, workspace_id, &finish).await
}

/// Ask the Workspace to verify someone (password or invite) and sign their session. An
/// unknown workspace looks the same as wrong credentials from outside.
async fn signed_in(env: &Env, workspace_id: &str, call: &WorkspaceCall) -> Result<Response> {
    let agent: AgentProfile =
        workspace::ask(env, workspace_id, call)
            .await
            .map_err(|e| match e {
                EdgeError::NotFound(_) => EdgeError::Unauthorized,
                other => other,
            })?;
    session_for(agent, env)
}

/// A signed agent session for a verified agent.
fn session_for(agent: AgentProfile, env: &Env) -> Result<Response> {
    let token = token::sign(
        &Claims::Agent {
            ws: agent.workspace_id.clone(),
            sub: agent.id.clone(),
            name: agent.name.clone(),
            role: agent.role.clone(),
            exp: now_millis() + AGENT_SESSION_MILLIS,
        },
        &auth::secret(env)?,
    );
    Ok(Response::from_json(&LoginResponse { token, agent })?)
}

/// The caller as the Workspace knows them now (role and access from its table, not from the
/// token, so a demotion applies at once). A removed agent is no longer signed in.
pub(crate) async fn current(env: &Env, s: &auth::AgentSession) -> Result<AgentStatus> {
    current_opening(env, s, None).await
}

/// [`current`]; with `opening`, the Workspace also notes that this agent is opening a socket
/// on that conversation, so a later change of their access or role reaches it at once (see
/// `Workspace::propagate_access`).
async fn current_opening(
    env: &Env,
    s: &auth::AgentSession,
    opening: Option<&str>,
) -> Result<AgentStatus> {
    let agent_id = agent_id_checked(&s.agent_id)?.to_owned();
    let call = match opening {
        None => WorkspaceCall::Agent { agent_id },
        Some(conversation_id) => WorkspaceCall::OpeningSocket {
            agent_id,
            conversation_id: conversation_id.to_owned(),
        },
    };
    workspace::ask(env, &s.workspace_id, &call)
        .await
        .map_err(|err| match err {
            EdgeError::NotFound(_) => EdgeError::Unauthorized,
            other => other,
        })
}

/// Owners and managers only; checked here on the server with the caller's current role,
/// whatever the inbox shows.
pub(crate) async fn manager(req: &Request, env: &Env) -> Result<auth::AgentSession> {
    let mut s = auth::agent(req, env)?;
    let now = current(env, &s).await?;
    if !now.profile.role.can_manage() {
        return Err(EdgeError::Forbidden(
            "only owners and managers can do this".into(),
        ));
    }
    s.role = now.profile.role;
    Ok(s)
}

/// Forward an agent's request to its Workspace DO and pass the answer (`T`) through.
pub(crate) async fn forward<T: DeserializeOwned + Serialize>(
    env: &Env,
    workspace_id: &str,
    call: WorkspaceCall,
) -> Result<Response> {
    let value: T = workspace::ask(env, workspace_id, &call).await?;
    Ok(Response::from_json(&value)?)
}

async fn agents(req: Request, env: &Env) -> Result<Response> {
    let s = auth::agent(&req, env)?;
    forward::<Vec<AgentStatus>>(env, &s.workspace_id, WorkspaceCall::Agents).await
}

/// A one-time invite link. The token is drawn here and shown once; the Workspace keeps only
/// its fingerprint.
async fn invite(mut req: Request, env: &Env) -> Result<Response> {
    let s = manager(&req, env).await?;
    let body: InviteRequest = read_json(&mut req).await?;
    if !s.role.may_grant(&body.role) {
        return Err(EdgeError::Forbidden(
            "you cannot invite someone with that role".into(),
        ));
    }
    let secret: String = crate::ids::random_bytes(32)?
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let expires_at = now_millis() + INVITE_MILLIS;
    let store = WorkspaceCall::StoreInvite(StoreInvite {
        fingerprint: token::fingerprint(&secret),
        email: body.email,
        role: body.role,
        expires_at,
    });
    workspace::ask::<bool>(env, &s.workspace_id, &store).await?;
    Ok(Response::from_json(&InviteResponse {
        path: format!("/inbox/#/invite/{}/{secret}", s.workspace_id),
        token: secret,
        expires_at,
    })?)
}

async fn accept_invite(mut req: Request, env: &Env) -> Result<Response> {
    limits::per_ip(env, &limits::INVITE_PER_IP, &req).await?;
    let body: AcceptInvite = read_json(&mut req).await?;
    let workspace_id = workspace_id_checked(&body.workspace_id)?;
    let _turn = crypto::password_turn().await?;
    let redeem = WorkspaceCall::RedeemInvite(RedeemInvite {
        fingerprint: token::fingerprint(&body.token),
        name: body.name,
        password_hash: crypto::hash_new(&body.password).await?,
    });
    signed_in(env, workspace_id, &redeem).await
}

/// Automatic assignment rule for new conversations (`null` turns it off). Owner/manager.
async fn put_assignment(mut req: Request, env: &Env) -> Result<Response> {
    let s = manager(&req, env).await?;
    let rule: Option<AssignTo> = read_json(&mut req).await?;
    forward::<Option<AssignTo>>(env, &s.workspace_id, WorkspaceCall::SetAssignment(rule)).await
}

/// Change an agent's role, access level or capacity (owner/manager). Granting a role needs
/// the right to grant it; the Workspace refuses to change an owner unless an owner asks and
/// always keeps one owner.
async fn change_agent(mut req: Request, env: &Env, agent_id: &str) -> Result<Response> {
    let s = manager(&req, env).await?;
    let agent_id = agent_id_checked(agent_id)?;
    let mut change: AgentChange = read_json(&mut req).await?;
    if change.away.is_some() {
        return Err(EdgeError::BadRequest(
            "agents set their own away status (PUT /v1/inbox/me/status)".into(),
        ));
    }
    if let Some(role) = &change.role {
        if !s.role.may_grant(role) {
            return Err(EdgeError::Forbidden(
                "you cannot give someone that role".into(),
            ));
        }
    }
    change.by_role = Some(s.role.clone());
    let call = WorkspaceCall::ChangeAgent {
        agent_id: agent_id.to_owned(),
        change,
    };
    forward::<AgentStatus>(env, &s.workspace_id, call).await
}

/// Read (`patch: None`) or update a contact. The Workspace checks the caller may see one of
/// the contact's conversations.
async fn contact(
    req: Request,
    env: &Env,
    contact_id: &str,
    patch: Option<ContactPatch>,
) -> Result<Response> {
    let s = auth::agent(&req, env)?;
    if !valid_visitor_id(contact_id) {
        return Err(EdgeError::NotFound("unknown contact".into()));
    }
    let viewer = agent_id_checked(&s.agent_id)?.to_owned();
    let contact_id = contact_id.to_owned();
    match patch {
        None => {
            let call = WorkspaceCall::Contact { viewer, contact_id };
            forward::<Contact>(env, &s.workspace_id, call).await
        }
        Some(patch) => {
            let call = WorkspaceCall::PatchContact {
                viewer,
                contact_id,
                patch,
            };
            forward::<PatchedContact>(env, &s.workspace_id, call).await
        }
    }
}

/// Create or replace a team (owner/manager).
async fn save_team(mut req: Request, env: &Env, id: Option<&str>) -> Result<Response> {
    let s = manager(&req, env).await?;
    let team: TeamRequest = read_json(&mut req).await?;
    let team_id = id
        .map(|id| id_checked(IdKind::Team, id).map(str::to_owned))
        .transpose()?;
    forward::<Team>(
        env,
        &s.workspace_id,
        WorkspaceCall::SaveTeam { team_id, team },
    )
    .await
}

/// The signed-in agent's own activity status: away agents get no automatic assignments.
async fn set_status(mut req: Request, env: &Env) -> Result<Response> {
    let s = auth::agent(&req, env)?;
    #[derive(serde::Deserialize)]
    struct Body {
        away: bool,
    }
    let body: Body = read_json(&mut req).await?;
    let change = AgentChange {
        away: Some(body.away),
        ..AgentChange::default()
    };
    let call = WorkspaceCall::ChangeAgent {
        agent_id: agent_id_checked(&s.agent_id)?.to_owned(),
        change,
    };
    forward::<AgentStatus>(env, &s.workspace_id, call).await
}

async fn get_lifecycle_settings(req: Request, env: &Env) -> Result<Response> {
    let s = auth::agent(&req, env)?;
    forward::<LifecycleSettings>(env, &s.workspace_id, WorkspaceCall::LifecycleSettings).await
}

async fn put_lifecycle_settings(mut req: Request, env: &Env) -> Result<Response> {
    let s = manager(&req, env).await?;
    let settings: LifecycleSettings = read_json(&mut req).await?;
    let call = WorkspaceCall::SetLifecycleSettings(settings);
    forward::<LifecycleSettings>(env, &s.workspace_id, call).await
}

/// The signed-in agent as the Workspace knows them now (current role, access, presence).
async fn me(req: Request, env: &Env) -> Result<Response> {
    let s = auth::agent(&req, env)?;
    Ok(Response::from_json(&current(env, &s).await?)?)
}

async fn conversations(req: Request, env: &Env) -> Result<Response> {
    let s = auth::agent(&req, env)?;
    let viewer = agent_id_checked(&s.agent_id)?.to_owned();
    let call = WorkspaceCall::Conversations { viewer };
    forward::<Vec<ConversationSummary>>(env, &s.workspace_id, call).await
}

async fn inbox_socket(req: Request, env: &Env) -> Result<Response> {
    require_upgrade(&req)?;
    let s = auth::agent(&req, env)?;
    let viewer = agent_id_checked(&s.agent_id)?;
    workspace::open_inbox(&req, env, &s.workspace_id, viewer).await
}

async fn agent_conversation_socket(req: &Request, env: &Env, id: &str) -> Result<Response> {
    require_upgrade(req)?;
    let s = auth::agent(req, env)?;
    if !valid_conversation_id(id) {
        return Err(EdgeError::NotFound("unknown conversation".into()));
    }
    let now = current_opening(env, &s, Some(id)).await?;
    let identity = SocketIdentity {
        workspace_id: s.workspace_id.clone(),
        conversation_id: id.to_owned(),
        author: Author {
            kind: AuthorKind::Agent,
            id: s.agent_id,
            name: s.name,
        },
        restricted: now.access.limits(&now.profile.role),
        revoked: false,
    };
    conversation::open(req, env, &identity).await
}

/// Bootstrap a workspace in production: `Authorization: Bearer $CHARLA_ADMIN_TOKEN`.
async fn create_workspace(mut req: Request, env: &Env) -> Result<Response> {
    let admin = env
        .secret("CHARLA_ADMIN_TOKEN")
        .map(|s| s.to_string())
        .map_err(|_| {
            EdgeError::Forbidden("workspace creation is disabled (no CHARLA_ADMIN_TOKEN)".into())
        })?;
    let presented = req
        .headers()
        .get("Authorization")?
        .and_then(|h| h.strip_prefix("Bearer ").map(str::to_owned))
        .ok_or(EdgeError::Unauthorized)?;
    if admin.len() < 16 || !constant_time_eq(admin.as_bytes(), presented.as_bytes()) {
        return Err(EdgeError::Unauthorized);
    }
    #[derive(serde::Deserialize)]
    struct Body {
        workspace_id: String,
        owner_email: String,
        owner_name: String,
        owner_password: String,
    }
    let body: Body = read_json(&mut req).await?;
    let workspace_id = workspace_id_checked(&body.workspace_id)?;
    let _turn = crypto::password_turn().await?;
    let owner = NewWorkspace {
        owner_email: body.owner_email,
        owner_name: body.owner_name,
        owner_password_hash: crypto::hash_new(&body.owner_password).await?,
    };
    let created: Created = workspace::ask(env, workspace_id, &WorkspaceCall::Create(owner)).await?;
    Ok(Response::from_json(&created)?)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
