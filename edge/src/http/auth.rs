//! Who is calling: tokens from the `Authorization` header (HTTP) or the WebSocket subprotocol
//! list (never the URL), verified with the workspace-wide HMAC secret.

use charla_shared::protocol::{token_from_subprotocols, AgentStatus, Role};
use charla_shared::token::{self, Claims};
use worker::{Env, Request};

use super::input::agent_id_checked;
use crate::error::{EdgeError, Result};
use crate::ids::now_millis;
use crate::internal::workspace::{self, SessionRef, WorkspaceCall};

/// Agent sessions last a working day; the inbox signs in again after that.
pub const AGENT_SESSION_MILLIS: i64 = 12 * 60 * 60 * 1000;

/// A verified agent token: who it names, and the session generation it was signed in. Not
/// yet a caller: [`agent`] asks the Workspace whether that session still stands.
pub struct AgentToken {
    pub workspace_id: String,
    pub agent_id: String,
    pub session: u32,
}

impl AgentToken {
    /// The token's agent and generation, for a Workspace call; the id is checked first.
    pub fn session_ref(&self) -> Result<SessionRef> {
        Ok(SessionRef {
            agent_id: agent_id_checked(&self.agent_id)?.to_owned(),
            session: self.session,
        })
    }
}

/// The caller of an agent route, as the Workspace knows them now: name, role and access from
/// its table (not the token), so a rename, a demotion or a deactivation applies at once.
pub struct AgentSession {
    pub workspace_id: String,
    pub agent_id: String,
    pub name: String,
    pub role: Role,
    /// The generation the caller's token was signed in.
    pub session: u32,
    pub now: AgentStatus,
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

/// The agent token a request carries, verified (signature, expiry) but not yet checked
/// against the Workspace: only for the inbox socket, whose Workspace call checks the session
/// itself in the turn it accepts the socket. Every other route takes [`agent`].
pub fn agent_token(req: &Request, env: &Env) -> Result<AgentToken> {
    match token::verify(&presented_token(req)?, &secret(env)?, now_millis())? {
        Claims::Agent {
            ws, sub, session, ..
        } => Ok(AgentToken {
            workspace_id: ws,
            agent_id: sub,
            session,
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

/// The caller of every agent route: a verified token whose session the Workspace still
/// accepts (the agent exists, is not deactivated, and has not ended that session generation
/// by a new password or a reset). A token issued before any of those is a 401 here, on every
/// route that calls this.
pub async fn agent(req: &Request, env: &Env) -> Result<AgentSession> {
    resolve(env, agent_token(req, env)?, None).await
}

/// [`agent`]; the Workspace also notes that this agent is opening a socket on that
/// conversation, so a later change of their access or role, or the end of their sessions,
/// reaches it at once (see `Workspace::propagate_access`).
pub(super) async fn agent_opening(
    req: &Request,
    env: &Env,
    conversation_id: &str,
) -> Result<AgentSession> {
    resolve(env, agent_token(req, env)?, Some(conversation_id)).await
}

async fn resolve(env: &Env, token: AgentToken, opening: Option<&str>) -> Result<AgentSession> {
    let call = WorkspaceCall::Session {
        session: token.session_ref()?,
        opening: opening.map(str::to_owned),
    };
    let now: AgentStatus = workspace::ask(env, &token.workspace_id, &call)
        .await
        .map_err(|err| match err {
            EdgeError::NotFound(_) => EdgeError::Unauthorized,
            other => other,
        })?;
    Ok(AgentSession {
        workspace_id: token.workspace_id,
        agent_id: token.agent_id,
        name: now.profile.name.clone(),
        role: now.profile.role.clone(),
        session: token.session,
        now,
    })
}

/// Owners and managers only; checked here on the server with the caller's current role,
/// whatever the inbox shows.
pub(super) async fn manager(req: &Request, env: &Env) -> Result<AgentSession> {
    let s = agent(req, env).await?;
    if !s.role.can_manage() {
        return Err(EdgeError::Forbidden(
            "only owners and managers can do this".into(),
        ));
    }
    Ok(s)
}
