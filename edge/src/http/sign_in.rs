//! Signing in and joining: password sign-in, invites (drawn here, only their fingerprint
//! stored), accepting one, and bootstrapping a workspace. Passwords are derived here in the
//! Worker (`crypto`), never in a Durable Object's turn.

use charla_shared::protocol::{
    AcceptInvite, InviteRequest, InviteResponse, LoginRequest, LoginResponse,
};
use charla_shared::token::{self, Claims};
use worker::{Env, Request, Response};

use super::auth::{self, manager, AGENT_SESSION_MILLIS};
use super::crypto;
use super::input::{read_json, workspace_id_checked};
use super::limits;
use crate::error::{EdgeError, Result};
use crate::ids::now_millis;
use crate::internal::workspace::{
    self, Created, LoginRecord, NewWorkspace, RedeemInvite, SignedIn, StoreInvite, WorkspaceCall,
};

/// How long an invite link stays valid.
const INVITE_MILLIS: i64 = 7 * 24 * 60 * 60 * 1000;

/// Sign in: limited per IP here and per account by the Workspace (which hands out the stored
/// record); the password is derived here in the Worker, never in the Durable Object's turn.
pub(super) async fn login(mut req: Request, env: &Env) -> Result<Response> {
    limits::per_ip(env, &limits::LOGIN_PER_IP, &req).await?;
    let body: LoginRequest = read_json(&mut req).await?;
    let workspace_id = workspace_id_checked(&body.workspace_id)?;
    if body.password.chars().count() > charla_shared::password::MAX_CHARS {
        return Err(EdgeError::Unauthorized);
    }
    let _turn = crypto::password_turn().await?;
    let begin = WorkspaceCall::LoginBegin {
        email: body.email.clone(),
    };
    let record: LoginRecord =
        workspace::ask(env, workspace_id, &begin)
            .await
            .map_err(|e| match e {
                EdgeError::NotFound(_) => EdgeError::Unauthorized,
                other => other,
            })?;
    let matched = crypto::verify(&body.password, &record.password_hash).await;
    let (true, Some(agent_id)) = (matched, record.agent_id) else {
        // The attempt stays counted; nothing else to tell the Workspace.
        return Err(EdgeError::Unauthorized);
    };
    let finish = WorkspaceCall::LoginFinish {
        email: body.email,
        agent_id,
    };
    signed_in(env, workspace_id, &finish).await
}

/// Ask the Workspace to verify someone (password or invite) and sign their session. An
/// unknown workspace looks the same as wrong credentials from outside.
pub(super) async fn signed_in(
    env: &Env,
    workspace_id: &str,
    call: &WorkspaceCall,
) -> Result<Response> {
    let signed: SignedIn = workspace::ask(env, workspace_id, call)
        .await
        .map_err(|e| match e {
            EdgeError::NotFound(_) => EdgeError::Unauthorized,
            other => other,
        })?;
    session_for(signed, env)
}

/// A signed agent session for a verified agent, in the session generation the Workspace
/// answered (see `Claims::Agent::session`).
pub(super) fn session_for(signed: SignedIn, env: &Env) -> Result<Response> {
    let SignedIn { agent, session } = signed;
    let token = token::sign(
        &Claims::Agent {
            ws: agent.workspace_id.clone(),
            sub: agent.id.clone(),
            name: agent.name.clone(),
            role: agent.role.clone(),
            exp: now_millis() + AGENT_SESSION_MILLIS,
            session,
        },
        &auth::secret(env)?,
    );
    Ok(Response::from_json(&LoginResponse { token, agent })?)
}

/// A one-time invite link. The token is drawn here and shown once; the Workspace keeps only
/// its fingerprint.
pub(super) async fn invite(mut req: Request, env: &Env) -> Result<Response> {
    let s = manager(&req, env).await?;
    let body: InviteRequest = read_json(&mut req).await?;
    if !s.role.may_grant(&body.role) {
        return Err(EdgeError::Forbidden(
            "you cannot invite someone with that role".into(),
        ));
    }
    let secret = one_time_secret()?;
    let expires_at = now_millis() + INVITE_MILLIS;
    let store = WorkspaceCall::StoreInvite(StoreInvite {
        fingerprint: token::fingerprint(&secret),
        email: body.email,
        role: body.role,
        expires_at,
    });
    workspace::ask::<bool>(env, &s.workspace_id, &store).await?;
    Ok(Response::from_json(&InviteResponse {
        path: format!("/inbox/#/invite/{}/{secret}", s.workspace_id),
        token: secret,
        expires_at,
    })?)
}

pub(super) async fn accept_invite(mut req: Request, env: &Env) -> Result<Response> {
    limits::per_ip(env, &limits::INVITE_PER_IP, &req).await?;
    let body: AcceptInvite = read_json(&mut req).await?;
    let workspace_id = workspace_id_checked(&body.workspace_id)?;
    let _turn = crypto::password_turn().await?;
    let redeem = WorkspaceCall::RedeemInvite(RedeemInvite {
        fingerprint: token::fingerprint(&body.token),
        name: body.name,
        password_hash: crypto::hash_new(&body.password).await?,
    });
    signed_in(env, workspace_id, &redeem).await
}

/// A one-time link's secret (invites, password resets): 32 random bytes, hex. Shown once;
/// only its fingerprint is stored.
pub(super) fn one_time_secret() -> Result<String> {
    Ok(crate::ids::random_bytes(32)?
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Bootstrap a workspace in production: `Authorization: Bearer $CHARLA_ADMIN_TOKEN`.
pub(super) async fn create_workspace(mut req: Request, env: &Env) -> Result<Response> {
    let admin = env
        .secret("CHARLA_ADMIN_TOKEN")
        .map(|s| s.to_string())
        .map_err(|_| {
            EdgeError::Forbidden("workspace creation is disabled (no CHARLA_ADMIN_TOKEN)".into())
        })?;
    let presented = req
        .headers()
        .get("Authorization")?
        .and_then(|h| h.strip_prefix("Bearer ").map(str::to_owned))
        .ok_or(EdgeError::Unauthorized)?;
    if admin.len() < 16 || !token::constant_time_eq(admin.as_bytes(), presented.as_bytes()) {
        return Err(EdgeError::Unauthorized);
    }
    #[derive(serde::Deserialize)]
    struct Body {
        workspace_id: String,
        owner_email: String,
        owner_name: String,
        owner_password: String,
    }
    let body: Body = read_json(&mut req).await?;
    let workspace_id = workspace_id_checked(&body.workspace_id)?;
    let _turn = crypto::password_turn().await?;
    let owner = NewWorkspace {
        owner_email: body.owner_email,
        owner_name: body.owner_name,
        owner_password_hash: crypto::hash_new(&body.owner_password).await?,
    };
    let created: Created = workspace::ask(env, workspace_id, &WorkspaceCall::Create(owner)).await?;
    Ok(Response::from_json(&created)?)
}
