//! Accounts after sign-up: an agent's own name and password, deactivation and reactivation by
//! an owner or manager, and one-time password-reset links (kept like invites, as the
//! fingerprint of a token the Worker drew). Passwords are derived by the Worker; this object
//! only checks who may do what, stores the outcome and ends sessions.
//!
//! Sessions end by generation: every agent row has a `session_gen`, every token carries the
//! generation it was signed in (`Claims::Agent::session`), and [`Workspace::session_status`]
//! refuses any other. Bumping it ends every session of the agent at once, on every route.

use charla_shared::protocol::{account_refusal, agent_name, AgentStatus, Role};
use serde::Deserialize;

use super::store::Workspace;
use crate::error::{EdgeError, Result};
use crate::ids::now_millis;
use crate::internal::conversation::{self, ConversationCall};
use crate::internal::workspace::{
    LoginRecord, RedeemReset, SessionRef, SetActive, SignedIn, StoreReset,
};

#[derive(Deserialize)]
struct ResetRow {
    agent_id: String,
    expires_at: i64,
    used_at: Option<i64>,
}

#[derive(Deserialize)]
struct IdRow {
    id: String,
}

impl Workspace {
    /// `agent_id` signs in now: who they are and the generation to sign their token with.
    /// A deactivated agent does not.
    pub(super) fn signed_in(&self, workspace_id: &str, agent_id: &str) -> Result<SignedIn> {
        let status = self.agent_status(workspace_id, agent_id)?;
        if status.deactivated {
            return Err(EdgeError::SignedOut(
                "this account has been deactivated; ask an owner or manager".into(),
            ));
        }
        Ok(SignedIn {
            agent: status.profile,
            session: self.session_gen(agent_id)?,
        })
    }

    fn session_gen(&self, agent_id: &str) -> Result<u32> {
        #[derive(Deserialize)]
        struct GenRow {
            session_gen: i64,
        }
        let rows: Vec<GenRow> = self
            .sql()
            .exec(
                "SELECT session_gen FROM agents WHERE id = ?",
                vec![agent_id.into()],
            )?
            .to_array()?;
        let gen = rows.first().map_or(0, |r| r.session_gen);
        Ok(u32::try_from(gen).unwrap_or(0))
    }

    /// End every session of `agent_id` (their tokens stop working on every route) and store
    /// what else changes with it in the same statement.
    fn bump_sessions(&self, agent_id: &str, password_hash: Option<&str>) -> Result<()> {
        match password_hash {
            Some(hash) => self.sql().exec(
                "UPDATE agents SET password_hash = ?, session_gen = session_gen + 1 WHERE id = ?",
                vec![hash.into(), agent_id.into()],
            )?,
            None => self.sql().exec(
                "UPDATE agents SET session_gen = session_gen + 1 WHERE id = ?",
                vec![agent_id.into()],
            )?,
        };
        Ok(())
    }

    /// A password change starts like a sign-in: the attempt counts against the account, so
    /// a stolen session cannot be used to guess the password faster than the sign-in form.
    pub(super) fn password_begin(
        &self,
        workspace_id: &str,
        session: &SessionRef,
    ) -> Result<LoginRecord> {
        let me = self.session_status(workspace_id, session)?;
        self.login_begin(&me.profile.email)
    }

    /// The current password matched (the Worker derived both): the new hash replaces it, the
    /// attempts are forgotten and every session ends; the caller's new one is signed by the
    /// Worker with the generation answered.
    pub(super) fn set_password(
        &self,
        workspace_id: &str,
        session: &SessionRef,
        password_hash: &str,
    ) -> Result<SignedIn> {
        let me = self.session_status(workspace_id, session)?;
        check_hash(password_hash)?;
        self.forget_attempts(&me.profile.email)?;
        self.bump_sessions(&me.profile.id, Some(password_hash))?;
        self.signed_in(workspace_id, &me.profile.id)
    }

    pub(super) fn set_name(
        &self,
        workspace_id: &str,
        session: &SessionRef,
        name: &str,
    ) -> Result<SignedIn> {
        let me = self.session_status(workspace_id, session)?;
        let name = agent_name(name).map_err(EdgeError::BadRequest)?;
        self.sql().exec(
            "UPDATE agents SET name = ? WHERE id = ?",
            vec![name.into(), me.profile.id.as_str().into()],
        )?;
        self.signed_in(workspace_id, &me.profile.id)
    }

    /// The caller (`by`, an active agent) and the target, once the rules allow it.
    fn administrable(&self, workspace_id: &str, by: &str, agent_id: &str) -> Result<AgentStatus> {
        let caller = self.viewer(by)?;
        let target = self.agent_status(workspace_id, agent_id)?;
        if let Some(refusal) = account_refusal(by, &caller.role, agent_id, &target.profile.role) {
            return Err(EdgeError::Forbidden(refusal.into()));
        }
        Ok(target)
    }

    /// Deactivate or reactivate. Deactivation keeps the row (reports, timelines and exports
    /// keep naming the agent) and ends every session; answers the agent as they are now and
    /// the open conversations they held, which the caller hands back to assignment
    /// ([`Workspace::release_conversations`]).
    pub(super) fn set_active(
        &self,
        workspace_id: &str,
        set: &SetActive,
    ) -> Result<(AgentStatus, Vec<String>)> {
        let target = self.administrable(workspace_id, &set.by, &set.agent_id)?;
        if set.active != target.deactivated {
            return Ok((target, Vec::new()));
        }
        if set.active {
            self.sql().exec(
                "UPDATE agents SET deactivated_at = NULL WHERE id = ?",
                vec![set.agent_id.as_str().into()],
            )?;
            return Ok((self.agent_status(workspace_id, &set.agent_id)?, Vec::new()));
        }
        if target.profile.role == Role::Owner && self.owner_count()? <= 1 {
            return Err(EdgeError::BadRequest(
                "a workspace keeps at least one owner".into(),
            ));
        }
        self.sql().exec(
            "UPDATE agents SET deactivated_at = ? WHERE id = ?",
            vec![now_millis().into(), set.agent_id.as_str().into()],
        )?;
        self.bump_sessions(&set.agent_id, None)?;
        let held: Vec<IdRow> = self
            .sql()
            .exec(
                "SELECT id FROM conversations WHERE status = 'open' AND assignee_id = ?",
                vec![set.agent_id.as_str().into()],
            )?
            .to_array()?;
        // Routed again when their summary says nobody holds them: the normal path, which
        // assigns or queues them under the workspace's rule.
        self.sql().exec(
            "UPDATE conversations SET routed_period = 0 WHERE status = 'open' AND assignee_id = ?",
            vec![set.agent_id.as_str().into()],
        )?;
        Ok((
            self.agent_status(workspace_id, &set.agent_id)?,
            held.into_iter().map(|r| r.id).collect(),
        ))
    }

    /// Each conversation a deactivated agent held goes back to nobody through its
    /// Conversation DO (source `system`: the timeline says so, report rows stay right); its
    /// summary then reaches assignment like any other. The books forget the agent's holds
    /// now, so their slots are free if they come back.
    pub(super) async fn release_conversations(
        &self,
        workspace_id: &str,
        agent_id: &str,
        conversations: &[String],
    ) -> Result<()> {
        let placements = {
            let mut state = self.assignment_state()?;
            let roster = self.roster()?;
            let mut placements = Vec::new();
            for id in conversations {
                placements.extend(state.on_assignee_changed(id, None, &roster));
            }
            self.save_assignment_state(&state)?;
            placements
        };
        let call = ConversationCall::Unassign {
            agent_id: agent_id.to_owned(),
        };
        let calls = conversations
            .iter()
            .map(|id| conversation::ask::<bool>(&self.env, workspace_id, id, &call));
        for (id, answer) in conversations
            .iter()
            .zip(futures_util::future::join_all(calls).await)
        {
            if let Err(err) = answer {
                worker::console_error!("unassigning {id} from {agent_id} failed: {err:?}");
            }
        }
        self.place(workspace_id, placements).await;
        Ok(())
    }

    pub(super) fn store_reset(&self, workspace_id: &str, reset: &StoreReset) -> Result<()> {
        let target = self.administrable(workspace_id, &reset.by, &reset.agent_id)?;
        if target.deactivated {
            return Err(EdgeError::BadRequest(
                "reactivate this agent before sending them a reset link".into(),
            ));
        }
        self.sql().exec(
            "INSERT INTO password_resets (fingerprint, agent_id, expires_at) VALUES (?, ?, ?)",
            vec![
                reset.fingerprint.as_str().into(),
                reset.agent_id.as_str().into(),
                reset.expires_at.into(),
            ],
        )?;
        Ok(())
    }

    /// One use only: the link is marked used in the same (await-free) turn the password
    /// changes, so two concurrent uses cannot both succeed. Every earlier session ends.
    pub(super) fn redeem_reset(
        &self,
        workspace_id: &str,
        redeem: &RedeemReset,
    ) -> Result<SignedIn> {
        let rows: Vec<ResetRow> = self
            .sql()
            .exec(
                "SELECT agent_id, expires_at, used_at FROM password_resets WHERE fingerprint = ?",
                vec![redeem.fingerprint.as_str().into()],
            )?
            .to_array()?;
        let reset = rows
            .into_iter()
            .next()
            .filter(|r| r.used_at.is_none() && r.expires_at > now_millis())
            .ok_or_else(|| {
                EdgeError::SignedOut(
                    "this reset link was already used, has expired or is not valid; \
                     ask for a new one"
                        .into(),
                )
            })?;
        check_hash(&redeem.password_hash)?;
        let agent = self.signed_in(workspace_id, &reset.agent_id)?.agent;
        self.sql().exec(
            "UPDATE password_resets SET used_at = ? WHERE fingerprint = ?",
            vec![now_millis().into(), redeem.fingerprint.as_str().into()],
        )?;
        self.forget_attempts(&agent.email)?;
        self.bump_sessions(&agent.id, Some(&redeem.password_hash))?;
        self.signed_in(workspace_id, &agent.id)
    }
}

/// The Worker derives every hash; anything that is not one is refused before it is stored.
fn check_hash(hash: &str) -> Result<()> {
    match charla_shared::password::Stored::parse(hash) {
        Some(_) => Ok(()),
        None => Err(EdgeError::BadRequest("invalid password hash".into())),
    }
}
