//! Webhook subscriptions over HTTP: `/v1/inbox/webhooks` for owners (the Workspace checks
//! the role) and `/v1/api/webhooks` for API keys with the `webhooks` scope (checked in
//! `api.rs`). The signing secret is drawn here and answered once.

use charla_shared::webhooks::{CreatedWebhook, Delivery, Webhook, WebhookRequest};
use worker::{Env, Method, Request, Response};

use super::input::{id_checked, read_json};
use super::sign_in::one_time_secret;
use crate::error::{EdgeError, Result};
use crate::ids::{new_id, IdKind};
use crate::internal::workspace::{self, forward, HookManager, NewWebhook, WorkspaceCall};
use crate::switches;

/// `rest` is the path after `…/webhooks`; `by` the verified caller.
pub(super) async fn handle(
    mut req: Request,
    env: &Env,
    ws: &str,
    by: HookManager,
    rest: &[&str],
) -> Result<Response> {
    match (req.method(), rest) {
        (Method::Get, []) => forward::<Vec<Webhook>>(env, ws, WorkspaceCall::Webhooks { by }).await,
        (Method::Post, []) => {
            let request: WebhookRequest = read_json(&mut req).await?;
            let secret = format!("whsec_{}", one_time_secret()?);
            let new = NewWebhook {
                by,
                webhook_id: new_id(IdKind::Webhook.prefix())?,
                request,
                secret: secret.clone(),
                allow_private: switches::on(env, "CHARLA_ALLOW_PRIVATE_HTTP"),
            };
            let webhook: Webhook =
                workspace::ask(env, ws, &WorkspaceCall::CreateWebhook(new)).await?;
            Ok(Response::from_json(&CreatedWebhook { webhook, secret })?.with_status(201))
        }
        (Method::Delete, [id]) => {
            let webhook_id = id_checked(IdKind::Webhook, id)?.to_owned();
            forward::<bool>(env, ws, WorkspaceCall::DeleteWebhook { by, webhook_id }).await
        }
        (Method::Get, [id, "deliveries"]) => {
            let webhook_id = id_checked(IdKind::Webhook, id)?.to_owned();
            let call = WorkspaceCall::WebhookDeliveries { by, webhook_id };
            forward::<Vec<Delivery>>(env, ws, call).await
        }
        (Method::Post, ["deliveries", delivery, "redeliver"]) => {
            let delivery_id = delivery
                .parse::<i64>()
                .ok()
                .filter(|d| *d > 0)
                .ok_or_else(|| EdgeError::NotFound("unknown delivery".into()))?;
            forward::<bool>(env, ws, WorkspaceCall::Redeliver { by, delivery_id }).await
        }
        _ => Err(EdgeError::NotFound("no such webhook route".into())),
    }
}

/// An agent as a manager of webhooks (the Workspace checks they are an owner).
pub(super) fn by_agent(agent_id: &str) -> Result<HookManager> {
    Ok(HookManager::Agent(
        super::input::agent_id_checked(agent_id)?.to_owned(),
    ))
}
