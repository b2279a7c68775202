//! `/v1/inbox/api-keys`: owners list, create and revoke the REST API's keys. The secret is
//! drawn here and answered once; the Workspace keeps only its SHA-256 (it decides, with the
//! caller's current role, that only owners may do any of this).

use charla_shared::api_keys::{self, ApiKey, CreatedApiKey, NewApiKey};
use charla_shared::token;
use worker::{Env, Method, Request, Response};

use super::auth;
use super::input::{agent_id_checked, id_checked, read_json};
use super::sign_in::one_time_secret;
use crate::error::{EdgeError, Result};
use crate::ids::{new_id, IdKind};
use crate::internal::workspace::{self, forward, WorkspaceCall};

/// `rest` is the path after `/v1/inbox/api-keys`.
pub(super) async fn handle(mut req: Request, env: &Env, rest: &[&str]) -> Result<Response> {
    let s = auth::agent(&req, env).await?;
    let viewer = agent_id_checked(&s.agent_id)?.to_owned();
    let ws = s.workspace_id.as_str();
    match (req.method(), rest) {
        (Method::Get, []) => {
            forward::<Vec<ApiKey>>(env, ws, WorkspaceCall::ApiKeys { viewer }).await
        }
        (Method::Post, []) => {
            let key: NewApiKey = read_json(&mut req).await?;
            let secret = one_time_secret()?;
            let key_id = new_id(IdKind::ApiKey.prefix())?;
            let call = WorkspaceCall::CreateApiKey {
                viewer,
                key_id: key_id.clone(),
                key,
                fingerprint: token::fingerprint(&secret),
                hint: api_keys::hint(&secret),
            };
            let key: ApiKey = workspace::ask(env, ws, &call).await?;
            let created = CreatedApiKey {
                secret: api_keys::format_key(ws, &key_id, &secret),
                key,
            };
            Ok(Response::from_json(&created)?.with_status(201))
        }
        (Method::Delete, [id]) => {
            let key_id = id_checked(IdKind::ApiKey, id)?.to_owned();
            forward::<ApiKey>(env, ws, WorkspaceCall::RevokeApiKey { viewer, key_id }).await
        }
        _ => Err(EdgeError::NotFound("no such API key route".into())),
    }
}
