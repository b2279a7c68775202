//! Widget-facing HTTP routes: the visitor's session and socket, the public config the loader
//! fetches, the pre-chat form, `identify`, and the owner's widget settings. Visitor routes are CORS-open
//! (they authenticate with the visitor token, never cookies) but honour the allowed origins.

use std::collections::BTreeMap;

use charla_shared::contact::Contact;
use charla_shared::protocol::{Author, AuthorKind, SessionRequest, SessionResponse};
use charla_shared::schedule::BusinessHours;
use charla_shared::token::{self, Claims};
use charla_shared::widget_settings::{
    site_origin, ConnectionCheck, IdentifyRequest, PublicWidgetConfig, WidgetSettings,
};
use worker::{Env, Method, Request, Response};

use super::auth::{self, manager};
use super::input::{query, read_json, workspace_id_checked};
use super::limits;
use crate::error::{EdgeError, Result};
use crate::ids::{new_id, now_millis};
use crate::internal::conversation::{self, SocketIdentity};
use crate::internal::workspace::{
    self, forward, IdentifiedSession, IdentifyVisitor, PrechatAnswers, Secret, WorkspaceCall,
};
use crate::sockets::require_upgrade;

/// A new visitor identity. Called by the widget the first time the visitor opens the chat.
pub(super) async fn session(mut req: Request, env: &Env) -> Result<Response> {
    limits::per_ip(env, &limits::SESSION_PER_IP, &req).await?;
    let body: SessionRequest = read_json(&mut req).await?;
    let workspace_id = workspace_id_checked(&body.workspace_id)?;
    // Unknown workspace → 404; an origin outside the allowed list → 403 with the reason.
    let origin = origin(&req)?;
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
pub(super) fn renew_session(req: &Request, env: &Env) -> Result<Response> {
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

pub(super) async fn socket(req: Request, env: &Env) -> Result<Response> {
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

/// The page's `Origin` (browsers always send it on cross-origin fetches).
fn origin(req: &Request) -> Result<Option<String>> {
    Ok(req.headers().get("Origin")?)
}

/// `GET /v1/widget/config/{workspace}`: small (< 1 KB) and public. Browsers revalidate it on
/// every page view (`no-cache`), so what an owner saves in the inbox shows on the visitor's next
/// page load and the header's presence is current.
pub(super) async fn config(env: &Env, workspace_id: &str) -> Result<Response> {
    let config: PublicWidgetConfig =
        workspace::ask(env, workspace_id, &WorkspaceCall::WidgetConfig).await?;
    let mut resp = Response::from_json(&config)?;
    resp.headers_mut()
        .set("Cache-Control", "public, no-cache")?;
    Ok(resp)
}

/// `GET /v1/widget/check/{workspace}[?site=https://…]`: the owner's connection check (the
/// WordPress settings page, the inbox). The origin checked is the `site` parameter's, else the
/// browser's `Origin`; a 404 says the workspace does not exist. Never cached: it is asked
/// right after a change.
pub(super) async fn check(req: &Request, env: &Env, workspace_id: &str) -> Result<Response> {
    let site = query(req, "site")?;
    let origin = match site {
        Some(site) => Some(site_origin(&site).ok_or_else(|| {
            EdgeError::BadRequest(
                "site must be an http(s) address, e.g. https://shop.example.com".into(),
            )
        })?),
        None => origin(req)?.as_deref().and_then(site_origin),
    };
    let check: ConnectionCheck = workspace::ask(
        env,
        workspace_id,
        &WorkspaceCall::ConnectionCheck { origin },
    )
    .await?;
    let mut resp = Response::from_json(&check)?;
    resp.headers_mut().set("Cache-Control", "no-store")?;
    Ok(resp)
}

/// `POST /v1/widget/prechat` (visitor token): `{"answers": {key: value}}`.
pub(super) async fn prechat(mut req: Request, env: &Env) -> Result<Response> {
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
pub(super) async fn identify(mut req: Request, env: &Env) -> Result<Response> {
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
pub(super) async fn settings(mut req: Request, env: &Env) -> Result<Response> {
    if req.method() == Method::Get {
        let s = auth::agent(&req, env).await?;
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
pub(super) async fn business_hours(mut req: Request, env: &Env) -> Result<Response> {
    if req.method() == Method::Get {
        let s = auth::agent(&req, env).await?;
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
pub(super) async fn identity_secret(req: Request, env: &Env) -> Result<Response> {
    let s = manager(&req, env).await?;
    let call = if req.method() == Method::Post {
        WorkspaceCall::RotateIdentitySecret
    } else {
        WorkspaceCall::IdentitySecret
    };
    forward::<Secret>(env, &s.workspace_id, call).await
}
