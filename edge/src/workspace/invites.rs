//! New agents: the workspace's first owner (the admin route, or the local demo seeded on first
//! use) and invites, kept as the fingerprint of a one-time token and redeemed once.

use charla_shared::protocol::Role;
use serde::Deserialize;

use super::schema::{parse_role, role_str};
use super::store::Workspace;
use crate::error::{EdgeError, Result};
use crate::ids::now_millis;
use crate::internal::workspace::{NewWorkspace, RedeemInvite, SignedIn, StoreInvite};

#[derive(Deserialize)]
struct InviteRow {
    email: String,
    role: String,
    expires_at: i64,
    used_at: Option<i64>,
}

/// The agent the local demo workspace is seeded with (only where `CHARLA_DEMO_WORKSPACE` is set,
/// i.e. in `.dev.vars`, never in production).
const DEMO_EMAIL: &str = "demo@charla.dev";
/// `charla-demo`, derived once ahead of time so seeding never hashes inside the DO.
const DEMO_PASSWORD_HASH: &str =
    "pbkdf2-sha256$100000$Y2hhcmxhLWRlbW8tc2FsdA$uSfz8uWV3gz4WkQdGA38mAj0YSKF/JwQNJtPz5dkaKI";

impl Workspace {
    pub(super) fn create(&self, owner: &NewWorkspace) -> Result<()> {
        if self.exists()? {
            return Err(EdgeError::BadRequest("workspace already exists".into()));
        }
        self.insert_agent(
            &owner.owner_email,
            &owner.owner_name,
            &Role::Owner,
            &owner.owner_password_hash,
        )?;
        self.sql().exec(
            "INSERT INTO settings (k, v) VALUES ('created_at', ?)",
            vec![now_millis().to_string().into()],
        )?;
        Ok(())
    }

    /// Seed the local demo workspace on first use (dev only; see `CHARLA_DEMO_WORKSPACE`).
    pub(super) fn seed_demo_if_configured(&self, workspace_id: &str) -> Result<()> {
        let demo = self
            .env
            .var("CHARLA_DEMO_WORKSPACE")
            .map(|v| v.to_string())
            .or_else(|_| {
                self.env
                    .secret("CHARLA_DEMO_WORKSPACE")
                    .map(|v| v.to_string())
            })
            .unwrap_or_default();
        if demo == workspace_id && !self.exists()? {
            self.create(&NewWorkspace {
                owner_email: DEMO_EMAIL.into(),
                owner_name: "Demo Agent".into(),
                owner_password_hash: DEMO_PASSWORD_HASH.into(),
            })?;
        }
        Ok(())
    }

    pub(super) fn store_invite(&self, invite: &StoreInvite) -> Result<()> {
        let email = invite.email.trim().to_lowercase();
        if !email.contains('@') || email.len() > 254 {
            return Err(EdgeError::BadRequest("a valid email is required".into()));
        }
        self.sql().exec(
            "INSERT INTO invites (fingerprint, email, role, expires_at) VALUES (?, ?, ?, ?)",
            vec![
                invite.fingerprint.as_str().into(),
                email.into(),
                role_str(&invite.role).into(),
                invite.expires_at.into(),
            ],
        )?;
        Ok(())
    }

    /// One use only: the invite is marked used in the same (await-free) turn the agent is
    /// created, so two concurrent accepts cannot both succeed.
    pub(super) fn redeem_invite(
        &self,
        workspace_id: &str,
        redeem: &RedeemInvite,
    ) -> Result<SignedIn> {
        let rows: Vec<InviteRow> = self
            .sql()
            .exec(
                "SELECT email, role, expires_at, used_at FROM invites WHERE fingerprint = ?",
                vec![redeem.fingerprint.as_str().into()],
            )?
            .to_array()?;
        let invite = rows
            .into_iter()
            .next()
            .filter(|i| i.used_at.is_none() && i.expires_at > now_millis())
            .ok_or(EdgeError::Unauthorized)?;
        let role = parse_role(&invite.role);
        let id = self.insert_agent(&invite.email, &redeem.name, &role, &redeem.password_hash)?;
        self.sql().exec(
            "UPDATE invites SET used_at = ? WHERE fingerprint = ?",
            vec![now_millis().into(), redeem.fingerprint.as_str().into()],
        )?;
        self.signed_in(workspace_id, &id)
    }
}
