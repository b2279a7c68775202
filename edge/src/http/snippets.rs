//! `/v1/inbox/snippets`: every signed-in agent lists, and creates their own; the Workspace
//! decides who may change which (workspace snippets: owners and managers; personal ones: their
//! owner), with the caller's role as it is now rather than as the token says.

use charla_shared::snippets::{Snippet, SnippetRequest};
use worker::{Env, Method, Request, Response};

use super::auth;
use super::input::{agent_id_checked, id_checked, read_json};
use crate::error::{EdgeError, Result};
use crate::ids::IdKind;
use crate::internal::workspace::{forward, WorkspaceCall};

/// `rest` is the path after `/v1/inbox/snippets`.
pub(super) async fn handle(mut req: Request, env: &Env, rest: &[&str]) -> Result<Response> {
    let s = auth::agent(&req, env).await?;
    let viewer = agent_id_checked(&s.agent_id)?.to_owned();
    let ws = s.workspace_id.as_str();
    match (req.method(), rest) {
        (Method::Get, []) => {
            forward::<Vec<Snippet>>(env, ws, WorkspaceCall::Snippets { viewer }).await
        }
        (Method::Post, []) => {
            let snippet: SnippetRequest = read_json(&mut req).await?;
            let call = WorkspaceCall::SaveSnippet {
                viewer,
                snippet_id: None,
                snippet,
            };
            forward::<Snippet>(env, ws, call).await
        }
        (Method::Put, [id]) => {
            let snippet_id = id_checked(IdKind::Snippet, id)?.to_owned();
            let snippet: SnippetRequest = read_json(&mut req).await?;
            let call = WorkspaceCall::SaveSnippet {
                viewer,
                snippet_id: Some(snippet_id),
                snippet,
            };
            forward::<Snippet>(env, ws, call).await
        }
        (Method::Delete, [id]) => {
            let snippet_id = id_checked(IdKind::Snippet, id)?.to_owned();
            let call = WorkspaceCall::DeleteSnippet { viewer, snippet_id };
            forward::<bool>(env, ws, call).await
        }
        _ => Err(EdgeError::NotFound(format!("no route for {}", req.path()))),
    }
}
