//! `/v1/inbox/workflows…`: agents read workflows (they run manual and shortcut ones);
//! owners and managers create, edit, enable, delete them and read their run lists.

use charla_shared::workflow::Template;
use worker::{Env, Method, Request, Response};

use crate::auth;
use crate::conversation::RunRequest;
use crate::error::{EdgeError, Result};
use crate::ids::IdKind;
use crate::internal;
use crate::routes::{self, current, manager, read_json};
use crate::workflows::{HookCheck, HookTarget};

/// Forward to the Workspace DO and pass its JSON (or its error, details included) through.
async fn forward(
    env: &Env,
    workspace_id: &str,
    method: Method,
    path: &str,
    body: Option<&serde_json::Value>,
) -> Result<Response> {
    let stub = internal::workspace_stub(env, workspace_id)?;
    let value: serde_json::Value =
        internal::call_json(&stub, method, path, Some(&workspace_id), body).await?;
    Ok(Response::from_json(&value)?)
}

/// A workflow id from a URL, checked before it becomes part of an internal path (so `active`,
/// `context` or `x?agent=…` never reach the Workspace's other routes).
fn checked_workflow_id(id: &str) -> Result<&str> {
    routes::id_checked(IdKind::Workflow, id)
}

/// `?agent=` for reads the Workspace shapes for the caller (masked credentials, runs of the
/// conversations they may see). The id comes from the verified token.
fn as_agent(path: &str, s: &auth::AgentSession) -> Result<String> {
    Ok(format!(
        "{path}?agent={}",
        routes::agent_id_checked(&s.agent_id)?
    ))
}

pub async fn handle(mut req: Request, env: &Env, rest: &[&str]) -> Result<Response> {
    let method = req.method();
    if let Some(id) = rest.first() {
        checked_workflow_id(id)?;
    }
    match (method, rest) {
        (Method::Get, []) => {
            let s = auth::agent(&req, env)?;
            let path = as_agent("/workflows", &s)?;
            forward(env, &s.workspace_id, Method::Get, &path, None).await
        }
        (Method::Get, [id]) => {
            let s = auth::agent(&req, env)?;
            let path = as_agent(&format!("/workflows/{id}"), &s)?;
            forward(env, &s.workspace_id, Method::Get, &path, None).await
        }
        (Method::Get, [id, "runs"]) => {
            let s = manager(&req, env).await?;
            let path = as_agent(&format!("/workflows/{id}/runs"), &s)?;
            forward(env, &s.workspace_id, Method::Get, &path, None).await
        }
        (Method::Post, []) => {
            let s = manager(&req, env).await?;
            let body: serde_json::Value = read_json(&mut req).await?;
            forward(
                env,
                &s.workspace_id,
                Method::Post,
                "/workflows",
                Some(&body),
            )
            .await
        }
        (Method::Put, [id]) => {
            let s = manager(&req, env).await?;
            let body: serde_json::Value = read_json(&mut req).await?;
            forward(
                env,
                &s.workspace_id,
                Method::Put,
                &format!("/workflows/{id}"),
                Some(&body),
            )
            .await
        }
        (Method::Delete, [id]) => {
            let s = manager(&req, env).await?;
            forward(
                env,
                &s.workspace_id,
                Method::Delete,
                &format!("/workflows/{id}"),
                None,
            )
            .await
        }
        (Method::Put, [id, "enabled"]) => {
            let s = manager(&req, env).await?;
            #[derive(serde::Deserialize)]
            struct Body {
                enabled: bool,
            }
            let body: Body = read_json(&mut req).await?;
            let value = serde_json::Value::Bool(body.enabled);
            let path = format!("/workflows/{id}/enabled");
            forward(env, &s.workspace_id, Method::Put, &path, Some(&value)).await
        }
        (Method::Post, [id, "secret"]) => {
            let s = manager(&req, env).await?;
            let path = format!("/workflows/{id}/secret");
            forward(env, &s.workspace_id, Method::Post, &path, None).await
        }
        _ => Err(EdgeError::NotFound("no such workflow route".into())),
    }
}

/// `GET /v1/inbox/workflow-templates`: what "create from template" offers.
pub fn templates(req: &Request, env: &Env) -> Result<Response> {
    auth::agent(req, env)?;
    let list: Vec<serde_json::Value> = Template::ALL
        .iter()
        .map(|t| {
            serde_json::json!({
                "template": t,
                "name": t.name(),
                "description": t.description(),
            })
        })
        .collect();
    Ok(Response::from_json(&list)?)
}

/// `POST /v1/inbox/conversations/{id}/workflows/{workflow_id}/run`: an agent runs a manual
/// or shortcut workflow on a conversation they may see.
pub async fn run(
    req: Request,
    env: &Env,
    conversation_id: &str,
    workflow_id: &str,
) -> Result<Response> {
    let s = auth::agent(&req, env)?;
    if !crate::ids::valid_conversation_id(conversation_id) {
        return Err(EdgeError::NotFound("unknown conversation".into()));
    }
    let workflow_id = checked_workflow_id(workflow_id)?;
    let now = current(env, &s).await?;
    let ask = RunRequest {
        workflow_id: workflow_id.to_owned(),
        agent_id: Some(s.agent_id.clone()),
        restricted: now.access.limits(&now.profile.role),
        body: serde_json::Value::Null,
    };
    let stub = internal::conversation_stub(env, &s.workspace_id, conversation_id)?;
    let value: serde_json::Value = internal::call_json(
        &stub,
        Method::Post,
        "/workflows/run",
        None::<&()>,
        Some(&ask),
    )
    .await?;
    Ok(Response::from_json(&value)?)
}

/// Largest webhook body accepted.
const MAX_HOOK_BYTES: usize = 16 * 1024;

/// `POST /v1/hooks/{workspace}/{workflow_id}` with `X-Charla-Secret: <secret>` and a JSON body
/// naming `conversation_id` or `contact_id`: starts the workflow's run on that conversation,
/// with the body readable as `event.body.*`.
pub async fn hook(
    mut req: Request,
    env: &Env,
    workspace_id: &str,
    workflow_id: &str,
) -> Result<Response> {
    if !crate::ids::valid_workspace_id(workspace_id) {
        return Err(EdgeError::NotFound("unknown workspace".into()));
    }
    // Unknown and malformed ids answer alike (no secret was checked for either).
    let workflow_id = checked_workflow_id(workflow_id).map_err(|_| EdgeError::Unauthorized)?;
    let secret = req
        .headers()
        .get("X-Charla-Secret")?
        .ok_or(EdgeError::Unauthorized)?;
    let text = req.text().await?;
    if text.len() > MAX_HOOK_BYTES {
        return Err(EdgeError::BadRequest(format!(
            "webhook bodies are at most {MAX_HOOK_BYTES} bytes"
        )));
    }
    let body: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| EdgeError::BadRequest(format!("invalid JSON body: {e}")))?;
    let field = |k: &str| body.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let check = HookCheck {
        secret,
        conversation_id: field("conversation_id"),
        contact_id: field("contact_id"),
    };
    let stub = internal::workspace_stub(env, workspace_id)?;
    let path = format!("/workflows/{workflow_id}/hook");
    let target: HookTarget = internal::call_json(
        &stub,
        Method::Post,
        &path,
        Some(&workspace_id),
        Some(&check),
    )
    .await?;
    let ask = RunRequest {
        workflow_id: workflow_id.to_owned(),
        agent_id: None,
        restricted: false,
        body,
    };
    let stub = internal::conversation_stub(env, workspace_id, &target.conversation_id)?;
    let mut value: serde_json::Value = internal::call_json(
        &stub,
        Method::Post,
        "/workflows/run",
        None::<&()>,
        Some(&ask),
    )
    .await?;
    value["conversation_id"] = target.conversation_id.into();
    Ok(Response::from_json(&value)?)
}
