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
use crate::internal;
use crate::routes::{manager, read_json, workspace_json};
use crate::widget_config::{IdentifiedSession, IdentifyInternal, PrechatInternal};

/// The page's `Origin` (browsers always send it on cross-origin fetches).
pub fn origin(req: &Request) -> Result<Option<String>> {
    Ok(req.headers().get("Origin")?)
}

/// `GET /v1/widget/config/{workspace}`: small (< 1 KB) and public. Browsers revalidate it on
/// every page view (`no-cache`), so what an owner saves in the inbox shows on the visitor's next
/// page load and the header's presence is current.
pub async fn config(env: &Env, workspace_id: &str) -> Result<Response> {
    let stub = internal::workspace_stub(env, workspace_id)?;
    let config: PublicWidgetConfig = internal::call_json::<_, (), _>(
        &stub,
        Method::Get,
        "/widget/config",
        Some(&workspace_id),
        None,
    )
    .await?;
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
    let internal_body = PrechatInternal {
        visitor_id: s.visitor_id,
        conversation_id: Some(s.conversation_id),
        origin: origin(&req)?,
        answers: body.answers,
    };
    workspace_json::<_, Contact>(
        env,
        &s.workspace_id,
        Method::Post,
        "/widget/prechat",
        Some(&internal_body),
    )
    .await
}

/// `POST /v1/widget/identify` (visitor token): answers the session the widget should use from
/// now on — a new token when a verified user already has a conversation here.
pub async fn identify(mut req: Request, env: &Env) -> Result<Response> {
    let s = auth::visitor(&req, env)?;
    let request: IdentifyRequest = read_json(&mut req).await?;
    let body = IdentifyInternal {
        visitor_id: s.visitor_id,
        conversation_id: s.conversation_id,
        origin: origin(&req)?,
        request,
    };
    let stub = internal::workspace_stub(env, &s.workspace_id)?;
    let session: IdentifiedSession = internal::call_json(
        &stub,
        Method::Post,
        "/widget/identify",
        Some(&s.workspace_id),
        Some(&body),
    )
    .await?;
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
        return workspace_json::<(), WidgetSettings>(
            env,
            &s.workspace_id,
            Method::Get,
            "/settings/widget",
            None,
        )
        .await;
    }
    let s = manager(&req, env).await?;
    let body: WidgetSettings = read_json(&mut req).await?;
    workspace_json::<_, WidgetSettings>(
        env,
        &s.workspace_id,
        Method::Put,
        "/settings/widget",
        Some(&body),
    )
    .await
}

/// `GET /v1/inbox/settings/business-hours` (any agent) and `PUT` (owner/manager): a
/// `BusinessHours` schedule, or `null` for always open.
pub async fn business_hours(mut req: Request, env: &Env) -> Result<Response> {
    if req.method() == Method::Get {
        let s = auth::agent(&req, env)?;
        return workspace_json::<(), Option<BusinessHours>>(
            env,
            &s.workspace_id,
            Method::Get,
            "/settings/business-hours",
            None,
        )
        .await;
    }
    let s = manager(&req, env).await?;
    let body: Option<BusinessHours> = read_json(&mut req).await?;
    workspace_json::<_, Option<BusinessHours>>(
        env,
        &s.workspace_id,
        Method::Put,
        "/settings/business-hours",
        Some(&body),
    )
    .await
}

/// `GET /v1/inbox/settings/identity-secret` shows it; `POST` rotates it (owner/manager).
pub async fn identity_secret(req: Request, env: &Env) -> Result<Response> {
    let s = manager(&req, env).await?;
    let method = if req.method() == Method::Post {
        Method::Post
    } else {
        Method::Get
    };
    workspace_json::<(), serde_json::Value>(
        env,
        &s.workspace_id,
        method,
        "/settings/identity-secret",
        None,
    )
    .await
}
