//! `/v1/inbox/workflows…`: agents read workflows (they run manual and shortcut ones);
//! owners and managers create, edit, enable, delete them and read their run lists.

use charla_shared::workflow::Template;
use worker::{Env, Method, Request, Response};

use crate::auth;
use crate::error::{EdgeError, Result};
use crate::internal;
use crate::routes::{manager, read_json};

/// Forward to the Workspace DO and pass its JSON (or its error, details included) through.
async fn forward(
    env: &Env,
    workspace_id: &str,
    method: Method,
    path: &str,
    body: Option<&serde_json::Value>,
) -> Result<Response> {
    let stub = internal::workspace_stub(env, workspace_id)?;
    let resp = internal::call(&stub, method, path, Some(&workspace_id), body).await?;
    let value: serde_json::Value = internal::json_or_error(resp).await?;
    Ok(Response::from_json(&value)?)
}

pub async fn handle(mut req: Request, env: &Env, rest: &[&str]) -> Result<Response> {
    let method = req.method();
    match (method, rest) {
        (Method::Get, []) | (Method::Get, [_]) => {
            let s = auth::agent(&req, env)?;
            let path = format!("/workflows/{}", rest.join("/"));
            forward(
                env,
                &s.workspace_id,
                Method::Get,
                path.trim_end_matches('/'),
                None,
            )
            .await
        }
        (Method::Get, [id, "runs"]) => {
            let s = manager(&req, env).await?;
            forward(
                env,
                &s.workspace_id,
                Method::Get,
                &format!("/workflows/{id}/runs"),
                None,
            )
            .await
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
