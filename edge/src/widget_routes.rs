//! Widget-facing HTTP routes beyond the session itself: the public config the loader fetches,
//! the pre-chat form, `identify`, and the owner's widget settings. Visitor routes are CORS-open
//! (they authenticate with the visitor token, never cookies) but honour the allowed origins.

use std::collections::BTreeMap;

use charla_shared::contact::Contact;
use charla_shared::protocol::SessionResponse;
use charla_shared::token::{self, Claims};
use charla_shared::widget_settings::{IdentifyRequest, PublicWidgetConfig, WidgetSettings};
use charla_shared::workflow::BusinessHours;
use worker::{Env, Method, Request, Response};

use crate::auth;
use crate::error::Result;
use crate::ids::now_millis;
use crate::internal::workspace::{
    self, IdentifiedSession, IdentifyVisitor, PrechatAnswers, Secret, WorkspaceCall,
};
use crate::routes::{forward, manager, read_json};

/// The page's `Origin` (browsers always send it on cross-origin fetches).
pub fn origin(req: &Request) -> Result<Option<String>> {
    Ok(req.headers().get("Origin")?)
}

/// `GET /v1/widget/config/{workspace}`: small (< 1 KB) and public. Browsers revalidate it on
/// every page view (`no-cache`), so what an owner saves in the inbox shows on the visitor's next
/// page load and the header's presence is current.
pub async fn config(env: &Env, workspace_id: &str) -> Result<Response> {
    let config: PublicWidgetConfig =
        workspace::ask(env, workspace_id, &WorkspaceCall::WidgetConfig).await?;
    let mut resp = Response::from_json(&config)?;
    resp.headers_mut()
        .set("Cache-Control", "public, no-cache")?;
    Ok(resp)
}

/// `POST /v1/widget/prechat` (visitor token): `{"answers": {key: value}}`.
pub async fn prechat(mut req: Request, env: &Env) -> Result<Response> {
    let s = auth::visitor(&req, env)?;
    #[derive(serde::Deserialize)]
    struct Body {
        answers: BTreeMap<String, String>,
    }
    let body: Body = read_json(&mut req).await?;
    let call = WorkspaceCall::Prechat(PrechatAnswers {
        visitor_id: s.visitor_id,
        conversation_id: Some(s.conversation_id),
        origin: origin(&req)?,
        answers: body.answers,
    });
    forward::<Contact>(env, &s.workspace_id, call).await
}

/// `POST /v1/widget/identify` (visitor token): answers the session the widget should use from
/// now on — a new token when a verified user already has a conversation here.
pub async fn identify(mut req: Request, env: &Env) -> Result<Response> {
    let s = auth::visitor(&req, env)?;
    let request: IdentifyRequest = read_json(&mut req).await?;
    let call = WorkspaceCall::Identify(IdentifyVisitor {
        visitor_id: s.visitor_id,
        conversation_id: s.conversation_id,
        origin: origin(&req)?,
        request,
    });
    let session: IdentifiedSession = workspace::ask(env, &s.workspace_id, &call).await?;
    let token = token::sign(
        &Claims::visitor(
            s.workspace_id,
            session.visitor_id.clone(),
            session.conversation_id.clone(),
            now_millis(),
        ),
        &auth::secret(env)?,
    );
    Ok(Response::from_json(&serde_json::json!({
        "session": SessionResponse {
            visitor_id: session.visitor_id,
            conversation_id: session.conversation_id,
            token,
        },
        "merged": session.merged,
    }))?)
}

/// `GET /v1/inbox/settings/widget` (any agent) and `PUT` (owner/manager).
pub async fn settings(mut req: Request, env: &Env) -> Result<Response> {
    if req.method() == Method::Get {
        let s = auth::agent(&req, env)?;
        return forward::<WidgetSettings>(env, &s.workspace_id, WorkspaceCall::WidgetSettings)
            .await;
    }
    let s = manager(&req, env).await?;
    let body: WidgetSettings = read_json(&mut req).await?;
    let call = WorkspaceCall::SetWidgetSettings(body);
    forward::<WidgetSettings>(env, &s.workspace_id, call).await
}

/// `GET /v1/inbox/settings/business-hours` (any agent) and `PUT` (owner/manager): a
/// `BusinessHours` schedule, or `null` for always open.
pub async fn business_hours(mut req: Request, env: &Env) -> Result<Response> {
    if req.method() == Method::Get {
        let s = auth::agent(&req, env)?;
        return forward::<Option<BusinessHours>>(
            env,
            &s.workspace_id,
            WorkspaceCall::BusinessHours,
        )
        .await;
    }
    let s = manager(&req, env).await?;
    let body: Option<BusinessHours> = read_json(&mut req).await?;
    let call = WorkspaceCall::SetBusinessHours(body);
    forward::<Option<BusinessHours>>(env, &s.workspace_id, call).await
}

/// `GET /v1/inbox/settings/identity-secret` shows it; `POST` rotates it (owner/manager).
pub async fn identity_secret(req: Request, env: &Env) -> Result<Response> {
    let s = manager(&req, env).await?;
    let call = if req.method() == Method::Post {
        WorkspaceCall::RotateIdentitySecret
    } else {
        WorkspaceCall::IdentitySecret
    };
    forward::<Secret>(env, &s.workspace_id, call).await
}
