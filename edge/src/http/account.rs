//! Accounts: an agent's own name and password (`/v1/inbox/me`, `/v1/inbox/me/password`),
//! deactivation, reactivation and password-reset links for owners and managers
//! (`/v1/inbox/agents/{id}/…`), and using a reset link (`/v1/auth/reset-password`). Passwords
//! are derived here in the Worker (`crypto`), never in the Workspace's turn; the Workspace
//! checks who may do what and ends sessions by bumping the agent's session generation.

use charla_shared::protocol::{
    AgentStatus, PasswordChange, ProfileChange, ResetLink, ResetPassword,
};
use charla_shared::token;
use worker::{Env, Request, Response};

use super::auth::{self, manager};
use super::crypto;
use super::input::{agent_id_checked, read_json, workspace_id_checked};
use super::limits;
use super::sign_in::{one_time_secret, session_for, signed_in};
use crate::error::{EdgeError, Result};
use crate::ids::now_millis;
use crate::internal::workspace::{
    self, forward, LoginRecord, RedeemReset, SessionRef, SetActive, SignedIn, StoreReset,
    WorkspaceCall,
};

/// How long a password-reset link stays valid: long enough to hand it over the same day,
/// short enough that a forgotten one is soon worth nothing.
const RESET_MILLIS: i64 = 24 * 60 * 60 * 1000;

fn session_of(s: &auth::AgentSession) -> Result<SessionRef> {
    Ok(SessionRef {
        agent_id: agent_id_checked(&s.agent_id)?.to_owned(),
        session: s.session,
    })
}

/// `PUT /v1/inbox/me`: the caller's own name. Answers a fresh session (token + profile) that
/// carries the new name; other sessions go on and show it on their next read.
pub(super) async fn set_name(mut req: Request, env: &Env) -> Result<Response> {
    let s = auth::agent(&req, env).await?;
    let body: ProfileChange = read_json(&mut req).await?;
    let call = WorkspaceCall::SetName {
        session: session_of(&s)?,
        name: body.name,
    };
    let signed: SignedIn = workspace::ask(env, &s.workspace_id, &call).await?;
    session_for(signed, env)
}

/// `PUT /v1/inbox/me/password`: the current password is verified like a sign-in (per IP,
/// per account, derived in slices), then every session of the agent ends and the caller gets
/// a new one. A wrong current password is a 403 (the session itself is fine).
pub(super) async fn set_password(mut req: Request, env: &Env) -> Result<Response> {
    let s = auth::agent(&req, env).await?;
    limits::per_ip(env, &limits::LOGIN_PER_IP, &req).await?;
    let body: PasswordChange = read_json(&mut req).await?;
    charla_shared::password::check_new(&body.new_password).map_err(EdgeError::BadRequest)?;
    if body.current_password.chars().count() > charla_shared::password::MAX_CHARS {
        return Err(wrong_password());
    }
    let session = session_of(&s)?;
    let _turn = crypto::password_turn().await?;
    let begin = WorkspaceCall::PasswordBegin(session.clone());
    let record: LoginRecord = workspace::ask(env, &s.workspace_id, &begin).await?;
    if !crypto::verify(&body.current_password, &record.password_hash).await {
        // The attempt stays counted against the account.
        return Err(wrong_password());
    }
    let call = WorkspaceCall::SetPassword {
        session,
        password_hash: crypto::hash_new(&body.new_password).await?,
    };
    signed_in(env, &s.workspace_id, &call).await
}

fn wrong_password() -> EdgeError {
    EdgeError::Forbidden("the current password is not right".into())
}

/// `POST /v1/inbox/agents/{id}/deactivate` and `…/reactivate` (owner/manager, for someone
/// they may change, never themselves).
pub(super) async fn set_active(
    req: Request,
    env: &Env,
    agent_id: &str,
    active: bool,
) -> Result<Response> {
    let s = manager(&req, env).await?;
    let call = WorkspaceCall::SetActive(SetActive {
        by: agent_id_checked(&s.agent_id)?.to_owned(),
        agent_id: agent_id_checked(agent_id)?.to_owned(),
        active,
    });
    forward::<AgentStatus>(env, &s.workspace_id, call).await
}

/// `POST /v1/inbox/agents/{id}/password-reset` (owner/manager, for someone they may change):
/// a one-time link, drawn here and shown once; the Workspace keeps only its fingerprint.
pub(super) async fn reset_link(req: Request, env: &Env, agent_id: &str) -> Result<Response> {
    let s = manager(&req, env).await?;
    let secret = one_time_secret()?;
    let expires_at = now_millis() + RESET_MILLIS;
    let store = WorkspaceCall::StoreReset(StoreReset {
        by: agent_id_checked(&s.agent_id)?.to_owned(),
        agent_id: agent_id_checked(agent_id)?.to_owned(),
        fingerprint: token::fingerprint(&secret),
        expires_at,
    });
    workspace::ask::<bool>(env, &s.workspace_id, &store).await?;
    Ok(Response::from_json(&ResetLink {
        path: format!("/inbox/#/reset/{}/{secret}", s.workspace_id),
        token: secret,
        expires_at,
    })?)
}

/// `POST /v1/auth/reset-password`: use a reset link once. Limited per IP like invite
/// acceptance (each use derives a hash); ends every earlier session and signs the agent in.
pub(super) async fn reset_password(mut req: Request, env: &Env) -> Result<Response> {
    limits::per_ip(env, &limits::RESET_PER_IP, &req).await?;
    let body: ResetPassword = read_json(&mut req).await?;
    let workspace_id = workspace_id_checked(&body.workspace_id)?;
    let _turn = crypto::password_turn().await?;
    let redeem = WorkspaceCall::RedeemReset(RedeemReset {
        fingerprint: token::fingerprint(&body.token),
        password_hash: crypto::hash_new(&body.password).await?,
    });
    signed_in(env, workspace_id, &redeem).await
}
