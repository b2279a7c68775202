//! The Worker's public HTTP routes under `/v1` (docs/API.md): each checks the caller, then
//! builds the call for the Durable Object that owns the data and forwards it
//! (`crate::internal`). The routes themselves are in the files beside this one, by what they
//! reach; this file is the routing table.

mod account;
mod api;
mod api_keys;
mod auth;
mod crypto;
mod files;
mod inbox;
mod input;
mod limits;
mod notes;
mod reports;
mod search;
mod sign_in;
mod snippets;
mod webhooks;
mod widget;
mod workflows;

use charla_shared::assignment::AssignTo;
use charla_shared::contact::ContactPatch;
use charla_shared::protocol::Team;
use worker::{Env, Headers, Method, Request, Response};

use crate::error::{EdgeError, Result};
use crate::internal::reports::dev_seed_enabled;
use crate::internal::workspace::{forward, CallCount, WorkspaceCall};
use input::{read_json, workspace_id_checked};

pub async fn handle(req: Request, env: &Env) -> Result<Response> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = req.method();
    match (method, segments.as_slice()) {
        (Method::Options, ["v1", "widget", ..]) => {
            with_cors(Ok(Response::empty()?.with_status(204)))
        }
        (Method::Post, ["v1", "widget", "session"]) => with_cors(widget::session(req, env).await),
        (Method::Get, ["v1", "widget", "session"]) => {
            let ip = limits::client_ip(&req);
            public(env, ip, async { widget::renew_session(&req, env) }).await
        }
        (Method::Get, ["v1", "widget", "ws"]) => widget::socket(req, env).await,
        (Method::Get, ["v1", "widget", "config", workspace]) => {
            let ip = limits::client_ip(&req);
            let workspace = *workspace;
            public(env, ip, async move {
                widget::config(env, workspace_id_checked(workspace)?).await
            })
            .await
        }
        (Method::Get, ["v1", "widget", "check", workspace]) => {
            let ip = limits::client_ip(&req);
            let workspace = *workspace;
            public(env, ip, async {
                widget::check(&req, env, workspace_id_checked(workspace)?).await
            })
            .await
        }
        (Method::Post, ["v1", "widget", "prechat"]) => {
            let ip = limits::client_ip(&req);
            public(env, ip, widget::prechat(req, env)).await
        }
        (Method::Post, ["v1", "widget", "files"]) => {
            let ip = limits::client_ip(&req);
            public(env, ip, async {
                let who = files::Caller::visitor(&req, env)?;
                files::upload(req, env, who).await
            })
            .await
        }
        (Method::Get, ["v1", "widget", "files", "rules"]) => {
            let ip = limits::client_ip(&req);
            public(env, ip, files::visitor_rules(req, env)).await
        }
        (Method::Get, ["v1", "widget", "files", file, "link"]) => {
            let ip = limits::client_ip(&req);
            let file = *file;
            public(env, ip, async move {
                let who = files::Caller::visitor(&req, env)?;
                files::link(req, env, who, file).await
            })
            .await
        }
        (Method::Post, ["v1", "inbox", "conversations", id, "files"]) => {
            let who = files::Caller::agent(&req, env, id).await?;
            files::upload(req, env, who).await
        }
        (Method::Get, ["v1", "inbox", "conversations", id, "files", file, "link"]) => {
            let who = files::Caller::agent(&req, env, id).await?;
            files::link(req, env, who, file).await
        }
        (Method::Get, ["v1", "inbox", "files"]) => files::list(req, env).await,
        (Method::Delete, ["v1", "inbox", "conversations", id]) => {
            inbox::delete_conversation(req, env, id).await
        }
        (Method::Get | Method::Put, ["v1", "inbox", "settings", "files"]) => {
            files::settings(req, env).await
        }
        (Method::Get, ["v1", "files", workspace, conversation, file]) => {
            limits::per_ip(env, &limits::PUBLIC_PER_IP, &req).await?;
            files::download(req, env, workspace, conversation, file).await
        }
        (Method::Post, ["v1", "widget", "identify"]) => {
            let ip = limits::client_ip(&req);
            public(env, ip, widget::identify(req, env)).await
        }
        (Method::Get | Method::Put, ["v1", "inbox", "settings", "business-hours"]) => {
            widget::business_hours(req, env).await
        }
        (Method::Get | Method::Put, ["v1", "inbox", "settings", "widget"]) => {
            widget::settings(req, env).await
        }
        (Method::Get | Method::Post, ["v1", "inbox", "settings", "identity-secret"]) => {
            widget::identity_secret(req, env).await
        }
        (Method::Post, ["v1", "auth", "login"]) => sign_in::login(req, env).await,
        (Method::Get, ["v1", "inbox", "me"]) => inbox::me(req, env).await,
        (Method::Put, ["v1", "inbox", "me"]) => account::set_name(req, env).await,
        (Method::Put, ["v1", "inbox", "me", "password"]) => account::set_password(req, env).await,
        (Method::Post, ["v1", "inbox", "agents", id, "deactivate"]) => {
            account::set_active(req, env, id, false).await
        }
        (Method::Post, ["v1", "inbox", "agents", id, "reactivate"]) => {
            account::set_active(req, env, id, true).await
        }
        (Method::Post, ["v1", "inbox", "agents", id, "password-reset"]) => {
            account::reset_link(req, env, id).await
        }
        (Method::Post, ["v1", "auth", "reset-password"]) => account::reset_password(req, env).await,
        (Method::Get, ["v1", "inbox", "conversations"]) => inbox::conversations(req, env).await,
        (Method::Get, ["v1", "inbox", "ws"]) => inbox::inbox_socket(req, env).await,
        (Method::Get, ["v1", "inbox", "conversations", id, "ws"]) => {
            inbox::agent_conversation_socket(&req, env, id).await
        }
        (Method::Get, ["v1", "inbox", "agents"]) => inbox::agents(req, env).await,
        (Method::Get, ["v1", "inbox", "search"]) => search::search(req, env).await,
        (Method::Post, ["v1", "inbox", "invites"]) => sign_in::invite(req, env).await,
        (Method::Post, ["v1", "auth", "accept-invite"]) => sign_in::accept_invite(req, env).await,
        (Method::Get, ["v1", "inbox", "settings", "lifecycle"]) => {
            inbox::get_lifecycle_settings(req, env).await
        }
        (Method::Put, ["v1", "inbox", "settings", "lifecycle"]) => {
            inbox::put_lifecycle_settings(req, env).await
        }
        (Method::Get, ["v1", "inbox", "settings", "assignment"]) => {
            let s = auth::agent(&req, env).await?;
            forward::<Option<AssignTo>>(env, &s.workspace_id, WorkspaceCall::Assignment).await
        }
        (Method::Put, ["v1", "inbox", "settings", "assignment"]) => {
            inbox::put_assignment(req, env).await
        }
        (Method::Put, ["v1", "inbox", "agents", id]) => inbox::change_agent(req, env, id).await,
        (Method::Get, ["v1", "inbox", "contacts", id]) => inbox::contact(req, env, id, None).await,
        (Method::Delete, ["v1", "inbox", "contacts", id]) => {
            let s = auth::agent(&req, env).await?;
            if s.role != charla_shared::protocol::Role::Owner {
                return Err(EdgeError::Forbidden(
                    "only owners can delete contacts".into(),
                ));
            }
            let contact_id = input::id_checked(crate::ids::IdKind::Visitor, id)?;
            let conversations = inbox::delete_contact(env, &s.workspace_id, contact_id).await?;
            Ok(Response::from_json(&serde_json::json!({
                "deleted": true,
                "conversations": conversations,
            }))?)
        }
        (Method::Patch, ["v1", "inbox", "contacts", id]) => {
            let mut req = req;
            let patch: ContactPatch = read_json(&mut req).await?;
            inbox::contact(req, env, id, Some(patch)).await
        }
        (Method::Get, ["v1", "inbox", "teams"]) => {
            let s = auth::agent(&req, env).await?;
            forward::<Vec<Team>>(env, &s.workspace_id, WorkspaceCall::Teams).await
        }
        (Method::Post, ["v1", "inbox", "teams"]) => inbox::save_team(req, env, None).await,
        (Method::Put, ["v1", "inbox", "teams", id]) => inbox::save_team(req, env, Some(id)).await,
        (Method::Put, ["v1", "inbox", "me", "status"]) => inbox::set_status(req, env).await,
        (Method::Get | Method::Put, ["v1", "inbox", "me", "notifications"]) => {
            inbox::notification_prefs(req, env).await
        }
        (Method::Post, ["v1", "inbox", "conversations", id, "workflows", wf, "run"]) => {
            workflows::run(req, env, id, wf).await
        }
        (Method::Post, ["v1", "inbox", "conversations", id, "notes"]) => {
            notes::post(req, env, id).await
        }
        (Method::Post, ["v1", "hooks", workspace, wf]) => {
            limits::per_ip(env, &limits::PUBLIC_PER_IP, &req).await?;
            workflows::hook(req, env, workspace, wf).await
        }
        (_, ["v1", "inbox", "api-keys", rest @ ..]) => {
            let rest = rest.to_vec();
            api_keys::handle(req, env, &rest).await
        }
        (Method::Get, ["v1", "openapi.json"]) => {
            let ip = limits::client_ip(&req);
            public(env, ip, async {
                let mut resp = Response::ok(api::OPENAPI)?;
                resp.headers_mut().set("Content-Type", "application/json")?;
                Ok(resp)
            })
            .await
        }
        (_, ["v1", "inbox", "webhooks", rest @ ..]) => {
            let rest = rest.to_vec();
            let s = auth::agent(&req, env).await?;
            let by = webhooks::by_agent(&s.agent_id)?;
            let ws = s.workspace_id.clone();
            webhooks::handle(req, env, &ws, by, &rest).await
        }
        (_, ["v1", "api", rest @ ..]) => {
            let rest = rest.to_vec();
            api::handle(req, env, &rest).await
        }
        (_, ["v1", "inbox", "snippets", rest @ ..]) => {
            let rest = rest.to_vec();
            snippets::handle(req, env, &rest).await
        }
        (Method::Get, ["v1", "inbox", "workflow-templates"]) => {
            workflows::templates(&req, env).await
        }
        (_, ["v1", "inbox", "workflows", rest @ ..]) => {
            let rest = rest.to_vec();
            workflows::handle(req, env, &rest).await
        }
        (Method::Get, ["v1", "dev", "search-count"]) if dev_seed_enabled(env) => {
            let s = auth::agent(&req, env).await?;
            let count: u64 = crate::internal::search::ask(
                env,
                &s.workspace_id,
                &crate::internal::search::SearchCall::Count,
            )
            .await?;
            Ok(Response::from_json(&count)?)
        }
        (Method::Get, ["v1", "dev", "workspace-calls"]) if dev_seed_enabled(env) => {
            let s = auth::agent(&req, env).await?;
            forward::<CallCount>(env, &s.workspace_id, WorkspaceCall::DevCallCount).await
        }
        (
            _,
            ["v1", "inbox", "reports", ..]
            | ["v1", "inbox", "settings", "workspace"]
            | ["v1", "dev", ..],
        ) => reports::handle(req, env, &segments).await,
        (Method::Post, ["v1", "admin", "workspaces"]) => sign_in::create_workspace(req, env).await,
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
