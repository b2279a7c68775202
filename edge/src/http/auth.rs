//! Who is calling: tokens from the `Authorization` header (HTTP) or the WebSocket subprotocol
//! list (never the URL), verified with the workspace-wide HMAC secret.

use charla_shared::protocol::{token_from_subprotocols, AgentStatus, Role};
use charla_shared::token::{self, Claims};
use worker::{Env, Request};

use super::input::agent_id_checked;
use crate::error::{EdgeError, Result};
use crate::ids::now_millis;
use crate::internal::workspace::{self, WorkspaceCall};

/// Agent sessions last a working day; the inbox signs in again after that.
pub const AGENT_SESSION_MILLIS: i64 = 12 * 60 * 60 * 1000;

pub struct AgentSession {
    pub workspace_id: String,
    pub agent_id: String,
    pub name: String,
    pub role: Role,
}

pub struct VisitorSession {
    pub workspace_id: String,
    pub visitor_id: String,
    pub conversation_id: String,
}

/// The signing secret (`wrangler secret put CHARLA_SECRET`, or `.dev.vars` locally).
pub fn secret(env: &Env) -> Result<Vec<u8>> {
    let s = env
        .secret("CHARLA_SECRET")
        .map(|s| s.to_string())
        .map_err(|_| EdgeError::Config("CHARLA_SECRET is not set".into()))?;
    if s.len() < 32 {
        return Err(EdgeError::Config(
            "CHARLA_SECRET must be at least 32 characters".into(),
        ));
    }
    Ok(s.into_bytes())
}

/// The token a request carries: `Authorization: Bearer …` or, for WebSocket upgrades,
/// `Sec-WebSocket-Protocol: charla.v1, bearer.…`.
fn presented_token(req: &Request) -> Result<String> {
    let headers = req.headers();
    if let Some(auth) = headers.get("Authorization")? {
        if let Some(t) = auth.strip_prefix("Bearer ") {
            return Ok(t.trim().to_owned());
        }
    }
    if let Some(protocols) = headers.get("Sec-WebSocket-Protocol")? {
        if let Some(t) = token_from_subprotocols(&protocols) {
            return Ok(t.to_owned());
        }
    }
    Err(EdgeError::Unauthorized)
}

pub fn agent(req: &Request, env: &Env) -> Result<AgentSession> {
    match token::verify(&presented_token(req)?, &secret(env)?, now_millis())? {
        Claims::Agent {
            ws,
            sub,
            name,
            role,
            ..
        } => Ok(AgentSession {
            workspace_id: ws,
            agent_id: sub,
            name,
            role,
        }),
        Claims::Visitor { .. } => Err(EdgeError::Unauthorized),
    }
}

pub fn visitor(req: &Request, env: &Env) -> Result<VisitorSession> {
    match token::verify(&presented_token(req)?, &secret(env)?, now_millis())? {
        Claims::Visitor { ws, sub, conv, .. } => Ok(VisitorSession {
            workspace_id: ws,
            visitor_id: sub,
            conversation_id: conv,
        }),
        Claims::Agent { .. } => Err(EdgeError::Unauthorized),
    }
}

/// The caller as the Workspace knows them now (role and access from its table, not from the
/// token, so a demotion applies at once). A removed agent is no longer signed in.
pub(super) async fn current(env: &Env, s: &AgentSession) -> Result<AgentStatus> {
    current_opening(env, s, None).await
}

/// [`current`]; with `opening`, the Workspace also notes that this agent is opening a socket
/// on that conversation, so a later change of their access or role reaches it at once (see
/// `Workspace::propagate_access`).
pub(super) async fn current_opening(
    env: &Env,
    s: &AgentSession,
    opening: Option<&str>,
) -> Result<AgentStatus> {
    let agent_id = agent_id_checked(&s.agent_id)?.to_owned();
    let call = match opening {
        None => WorkspaceCall::Agent { agent_id },
        Some(conversation_id) => WorkspaceCall::OpeningSocket {
            agent_id,
            conversation_id: conversation_id.to_owned(),
        },
    };
    workspace::ask(env, &s.workspace_id, &call)
        .await
        .map_err(|err| match err {
            EdgeError::NotFound(_) => EdgeError::Unauthorized,
            other => other,
        })
}

/// Owners and managers only; checked here on the server with the caller's current role,
/// whatever the inbox shows.
pub(super) async fn manager(req: &Request, env: &Env) -> Result<AgentSession> {
    let mut s = agent(req, env)?;
    let now = current(env, &s).await?;
    if !now.profile.role.can_manage() {
        return Err(EdgeError::Forbidden(
            "only owners and managers can do this".into(),
        ));
    }
    s.role = now.profile.role;
    Ok(s)
}
