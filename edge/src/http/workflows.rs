//! `/v1/inbox/workflows…`: agents read workflows (they run manual and shortcut ones);
//! owners and managers create, edit, enable, delete them and read their run lists.

use charla_shared::workflow::Template;
use serde_json::Value;
use worker::{Env, Method, Request, Response};

use super::auth::{self, manager};
use super::input::{agent_id_checked, id_checked, read_json};
use crate::error::{EdgeError, Result};
use crate::ids::IdKind;
use crate::internal::conversation::{self, ConversationCall, RunRequest, RunStarted};
use crate::internal::workspace::{self, forward, HookCheck, HookTarget, WorkspaceCall};

/// A workflow id from a URL, checked against its shape before it goes anywhere.
fn checked_workflow_id(id: &str) -> Result<&str> {
    id_checked(IdKind::Workflow, id)
}

/// The caller, for reads the Workspace shapes for them (masked credentials, runs of the
/// conversations they may see). The id comes from the verified token.
fn viewer(s: &auth::AgentSession) -> Result<String> {
    Ok(agent_id_checked(&s.agent_id)?.to_owned())
}

/// Every answer passes through as a JSON value.
pub(super) async fn handle(mut req: Request, env: &Env, rest: &[&str]) -> Result<Response> {
    let method = req.method();
    let workflow_id = match rest.first() {
        Some(id) => checked_workflow_id(id)?.to_owned(),
        None => String::new(),
    };
    let (s, call) = match (method, rest) {
        (Method::Get, []) => {
            let s = auth::agent(&req, env).await?;
            let viewer = viewer(&s)?;
            (s, WorkspaceCall::Workflows { viewer })
        }
        (Method::Get, [_]) => {
            let s = auth::agent(&req, env).await?;
            let viewer = viewer(&s)?;
            (
                s,
                WorkspaceCall::Workflow {
                    viewer,
                    workflow_id,
                },
            )
        }
        (Method::Get, [_, "runs"]) => {
            let s = manager(&req, env).await?;
            let viewer = viewer(&s)?;
            (
                s,
                WorkspaceCall::WorkflowRuns {
                    viewer,
                    workflow_id,
                },
            )
        }
        (Method::Post, []) => {
            let s = manager(&req, env).await?;
            let body: Value = read_json(&mut req).await?;
            (s, WorkspaceCall::CreateWorkflow(body))
        }
        (Method::Put, [_]) => {
            let s = manager(&req, env).await?;
            let workflow: Value = read_json(&mut req).await?;
            (
                s,
                WorkspaceCall::SaveWorkflow {
                    workflow_id,
                    workflow,
                },
            )
        }
        (Method::Delete, [_]) => {
            let s = manager(&req, env).await?;
            (s, WorkspaceCall::DeleteWorkflow { workflow_id })
        }
        (Method::Put, [_, "enabled"]) => {
            let s = manager(&req, env).await?;
            #[derive(serde::Deserialize)]
            struct Body {
                enabled: bool,
            }
            let body: Body = read_json(&mut req).await?;
            let call = WorkspaceCall::EnableWorkflow {
                workflow_id,
                enabled: body.enabled,
            };
            (s, call)
        }
        (Method::Post, [_, "secret"]) => {
            let s = manager(&req, env).await?;
            (s, WorkspaceCall::NewWebhookSecret { workflow_id })
        }
        _ => return Err(EdgeError::NotFound("no such workflow route".into())),
    };
    forward::<Value>(env, &s.workspace_id, call).await
}

/// `GET /v1/inbox/workflow-templates`: what "create from template" offers.
pub(super) async fn templates(req: &Request, env: &Env) -> Result<Response> {
    auth::agent(req, env).await?;
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
pub(super) async fn run(
    req: Request,
    env: &Env,
    conversation_id: &str,
    workflow_id: &str,
) -> Result<Response> {
    let s = auth::agent(&req, env).await?;
    if !crate::ids::valid_conversation_id(conversation_id) {
        return Err(EdgeError::NotFound("unknown conversation".into()));
    }
    let workflow_id = checked_workflow_id(workflow_id)?;
    let now = &s.now;
    let call = ConversationCall::RunWorkflow(RunRequest {
        workflow_id: workflow_id.to_owned(),
        agent_id: Some(s.agent_id.clone()),
        restricted: now.access.limits(&now.profile.role),
        body: Value::Null,
    });
    let started: RunStarted =
        conversation::ask(env, &s.workspace_id, conversation_id, &call).await?;
    Ok(Response::from_json(&started)?)
}

/// A webhook call's answer: the run's conversation and whether it started.
#[derive(serde::Serialize)]
struct HookStarted {
    conversation_id: String,
    started: bool,
}

/// Largest webhook body accepted.
const MAX_HOOK_BYTES: usize = 16 * 1024;

/// `POST /v1/hooks/{workspace}/{workflow_id}` with `X-Charla-Secret: <secret>` and a JSON body
/// naming `conversation_id` or `contact_id`: starts the workflow's run on that conversation,
/// with the body readable as `event.body.*`.
pub(super) async fn hook(
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
    let body: Value = serde_json::from_str(&text)
        .map_err(|e| EdgeError::BadRequest(format!("invalid JSON body: {e}")))?;
    let field = |k: &str| body.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let check = HookCheck {
        secret,
        conversation_id: field("conversation_id"),
        contact_id: field("contact_id"),
    };
    let call = WorkspaceCall::CheckHook {
        workflow_id: workflow_id.to_owned(),
        check,
    };
    let target: HookTarget = workspace::ask(env, workspace_id, &call).await?;
    let call = ConversationCall::RunWorkflow(RunRequest {
        workflow_id: workflow_id.to_owned(),
        agent_id: None,
        restricted: false,
        body,
    });
    let started: RunStarted =
        conversation::ask(env, workspace_id, &target.conversation_id, &call).await?;
    Ok(Response::from_json(&HookStarted {
        conversation_id: target.conversation_id,
        started: started.started,
    })?)
}
