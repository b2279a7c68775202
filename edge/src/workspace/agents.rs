//! Agents as the inbox shows them (presence, load, access) and who may see which conversation.
//! The Workspace DO's agents table is the authority: roles and access levels are read from it
//! on every check, so a demotion or a narrower access applies at once, not when a token expires.

use std::collections::{BTreeMap, BTreeSet};

use charla_shared::protocol::{Access, AgentProfile, AgentStatus, Role};
use serde::Deserialize;

use super::schema::{parse_enum, parse_role, role_str};
use super::store::Workspace;
use crate::error::{EdgeError, Result};
use crate::ids::{new_id, now_millis};
use crate::internal::conversation::{self, ConversationCall, OpenSockets};
use crate::internal::workspace::{AgentChange, SessionRef};

/// The agent on the other end of a request, as the Workspace knows them now.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub id: String,
    pub role: Role,
    pub access: Access,
}

impl Viewer {
    pub fn sees(&self, assignee: Option<&str>) -> bool {
        self.access.allows(&self.role, &self.id, assignee)
    }

    /// Sees only their own and unassigned conversations.
    pub fn restricted(&self) -> bool {
        self.access.limits(&self.role)
    }
}

#[derive(Deserialize)]
struct StatusRow {
    id: String,
    email: String,
    name: String,
    role: String,
    capacity: Option<i64>,
    away: i64,
    access: String,
    deactivated_at: Option<i64>,
    session_gen: i64,
}

#[derive(Deserialize)]
struct LoadRow {
    assignee_id: String,
    n: i64,
}

const STATUS_COLUMNS: &str = "SELECT id, email, name, role, capacity, away, access, deactivated_at,
    session_gen FROM agents";

impl Workspace {
    /// `hash` was derived by the Worker (`http/crypto.rs`).
    pub(super) fn insert_agent(
        &self,
        email: &str,
        name: &str,
        role: &Role,
        hash: &str,
    ) -> Result<String> {
        if charla_shared::password::Stored::parse(hash).is_none() {
            return Err(EdgeError::BadRequest("invalid password hash".into()));
        }
        let name = charla_shared::protocol::agent_name(name).map_err(EdgeError::BadRequest)?;
        let email = email.trim().to_lowercase();
        let taken: Vec<serde_json::Value> = self
            .sql()
            .exec(
                "SELECT id FROM agents WHERE email = ?",
                vec![email.as_str().into()],
            )?
            .to_array()?;
        if !taken.is_empty() {
            return Err(EdgeError::BadRequest(
                "an agent with this email already exists".into(),
            ));
        }
        let id = new_id("a")?;
        self.sql().exec(
            "INSERT INTO agents (id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            vec![
                id.as_str().into(),
                email.into(),
                name.into(),
                role_str(role).into(),
                hash.into(),
                now_millis().into(),
            ],
        )?;
        Ok(id)
    }

    fn status_rows(&self, agent_id: Option<&str>) -> Result<Vec<StatusRow>> {
        let cursor = match agent_id {
            Some(id) => self
                .sql()
                .exec(&format!("{STATUS_COLUMNS} WHERE id = ?"), vec![id.into()])?,
            None => self
                .sql()
                .exec(&format!("{STATUS_COLUMNS} ORDER BY name"), None)?,
        };
        Ok(cursor.to_array()?)
    }

    fn loads(&self) -> Result<BTreeMap<String, u32>> {
        let rows: Vec<LoadRow> = self
            .sql()
            .exec(
                "SELECT assignee_id, COUNT(*) AS n FROM conversations
                 WHERE status = 'open' AND assignee_id IS NOT NULL GROUP BY assignee_id",
                None,
            )?
            .to_array()?;
        Ok(rows
            .into_iter()
            .map(|r| (r.assignee_id, r.n.max(0) as u32))
            .collect())
    }

    fn to_status(
        &self,
        workspace_id: &str,
        row: StatusRow,
        loads: &BTreeMap<String, u32>,
    ) -> AgentStatus {
        let connected = self.has_inbox_open(&row.id);
        AgentStatus {
            capacity: row.capacity.map(|c| c.max(0) as u32),
            away: row.away != 0,
            online: connected && row.away == 0,
            open: loads.get(&row.id).copied().unwrap_or(0),
            access: parse_enum(&row.access, Access::All),
            deactivated: row.deactivated_at.is_some(),
            profile: AgentProfile {
                id: row.id,
                workspace_id: workspace_id.to_owned(),
                email: row.email,
                name: row.name,
                role: parse_role(&row.role),
            },
        }
    }

    pub(super) fn agent_statuses(&self, workspace_id: &str) -> Result<Vec<AgentStatus>> {
        let loads = self.loads()?;
        Ok(self
            .status_rows(None)?
            .into_iter()
            .map(|row| self.to_status(workspace_id, row, &loads))
            .collect())
    }

    /// The caller behind a verified token: refused (401) when the agent is gone, deactivated,
    /// or every session of the generation the token was signed in has been ended.
    pub(super) fn session_status(
        &self,
        workspace_id: &str,
        session: &SessionRef,
    ) -> Result<AgentStatus> {
        let row = self
            .status_rows(Some(&session.agent_id))?
            .into_iter()
            .next()
            .filter(|r| r.deactivated_at.is_none() && r.session_gen == i64::from(session.session))
            .ok_or(EdgeError::Unauthorized)?;
        Ok(self.to_status(workspace_id, row, &self.loads()?))
    }

    /// An active agent: what an assignment may name.
    pub(super) fn active_agent_status(
        &self,
        workspace_id: &str,
        agent_id: &str,
    ) -> Result<AgentStatus> {
        Some(self.agent_status(workspace_id, agent_id)?)
            .filter(|a| !a.deactivated)
            .ok_or_else(|| EdgeError::NotFound("unknown agent".into()))
    }

    pub(super) fn agent_status(&self, workspace_id: &str, agent_id: &str) -> Result<AgentStatus> {
        let row = self
            .status_rows(Some(agent_id))?
            .into_iter()
            .next()
            .ok_or_else(|| EdgeError::NotFound("unknown agent".into()))?;
        Ok(self.to_status(workspace_id, row, &self.loads()?))
    }

    /// The caller the Worker names (from a verified token), as the agents table says now:
    /// reads are shaped for them. An agent removed or deactivated since their token was signed
    /// is no longer anyone.
    pub(super) fn viewer(&self, agent_id: &str) -> Result<Viewer> {
        let row = self
            .status_rows(Some(agent_id))?
            .into_iter()
            .next()
            .filter(|r| r.deactivated_at.is_none())
            .ok_or(EdgeError::Unauthorized)?;
        Ok(Viewer {
            id: row.id,
            role: parse_role(&row.role),
            access: parse_enum(&row.access, Access::All),
        })
    }

    /// Agents whose access is "mine and unassigned" (the only ones pushes must filter for).
    pub(super) fn restricted_agents(&self) -> Result<BTreeSet<String>> {
        #[derive(Deserialize)]
        struct IdRow {
            id: String,
        }
        let rows: Vec<IdRow> = self
            .sql()
            .exec(
                "SELECT id FROM agents WHERE role = 'agent' AND access = 'mine_and_unassigned'",
                None,
            )?
            .to_array()?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    pub(super) fn change_agent(
        &self,
        workspace_id: &str,
        agent_id: &str,
        change: &AgentChange,
    ) -> Result<AgentStatus> {
        let current = self.agent_status(workspace_id, agent_id)?;
        // Every check before the first write: a refused change changes nothing.
        let administrative =
            change.role.is_some() || change.access.is_some() || change.capacity.is_some();
        match &change.by_role {
            // The Worker sets `by_role` for administration; without it only the agent's own
            // away status can change (PUT /v1/inbox/me/status).
            None if administrative => {
                return Err(EdgeError::Forbidden(
                    "only owners and managers can do this".into(),
                ))
            }
            Some(by) if !by.may_change(&current.profile.role) => {
                return Err(EdgeError::Forbidden(
                    "managers can change agents only, not owners or managers".into(),
                ))
            }
            _ => {}
        }
        if change.capacity.flatten().is_some_and(|c| c > 10_000) {
            return Err(EdgeError::BadRequest(
                "capacity is at most 10000 (or null for no limit)".into(),
            ));
        }
        let new_role = change.role.as_ref().filter(|r| **r != current.profile.role);
        if new_role.is_some() && current.profile.role == Role::Owner && self.owner_count()? <= 1 {
            return Err(EdgeError::BadRequest(
                "a workspace keeps at least one owner".into(),
            ));
        }
        if let Some(role) = new_role {
            self.sql().exec(
                "UPDATE agents SET role = ? WHERE id = ?",
                vec![role_str(role).into(), agent_id.into()],
            )?;
        }
        if let Some(access) = change.access {
            let access = serde_json::to_value(access)?;
            self.sql().exec(
                "UPDATE agents SET access = ? WHERE id = ?",
                vec![access.as_str().unwrap_or("all").into(), agent_id.into()],
            )?;
        }
        if let Some(capacity) = change.capacity {
            self.sql().exec(
                "UPDATE agents SET capacity = ? WHERE id = ?",
                vec![capacity.map(i64::from).into(), agent_id.into()],
            )?;
        }
        if let Some(away) = change.away {
            self.sql().exec(
                "UPDATE agents SET away = ? WHERE id = ?",
                vec![i64::from(away).into(), agent_id.into()],
            )?;
        }
        self.agent_status(workspace_id, agent_id)
    }

    /// Owners who can still sign in: the workspace keeps at least one.
    pub(super) fn owner_count(&self) -> Result<usize> {
        let rows: Vec<serde_json::Value> = self
            .sql()
            .exec(
                "SELECT id FROM agents WHERE role = 'owner' AND deactivated_at IS NULL",
                None,
            )?
            .to_array()?;
        Ok(rows.len())
    }
}

#[derive(Deserialize)]
struct SocketRow {
    conversation_id: String,
}

impl Workspace {
    /// The Worker is about to open `agent_id`'s socket on a conversation: remember where, so a
    /// later change of their access or role can reach that socket (`propagate_access`).
    pub(super) fn note_socket(&self, agent_id: &str, conversation_id: &str) -> Result<()> {
        self.sql().exec(
            "INSERT INTO agent_sockets (agent_id, conversation_id, opened_at) VALUES (?, ?, ?)
             ON CONFLICT (agent_id, conversation_id) DO UPDATE SET opened_at = excluded.opened_at",
            vec![
                agent_id.into(),
                conversation_id.into(),
                crate::ids::now_millis().into(),
            ],
        )?;
        Ok(())
    }

    /// Apply an agent's current role and access to every socket they have open, at once: the
    /// Conversation DOs evict sockets on conversations they may no longer see (4403), and their
    /// inbox gets a fresh snapshot of what they may see now. Conversations where they have no
    /// socket left are forgotten.
    pub(super) async fn propagate_access(&self, workspace_id: &str, agent_id: &str) -> Result<()> {
        self.propagate(workspace_id, agent_id, false).await
    }

    /// Every session of `agent_id` just ended (deactivation, a new password): each of their
    /// sockets closes at once, inbox (4401) and conversations alike; they sign in again.
    pub(super) async fn end_sockets(&self, workspace_id: &str, agent_id: &str) -> Result<()> {
        self.propagate(workspace_id, agent_id, true).await
    }

    async fn propagate(&self, workspace_id: &str, agent_id: &str, ended: bool) -> Result<()> {
        let viewer = self.viewer(agent_id).and_then(|v| {
            if ended {
                Err(EdgeError::Unauthorized)
            } else {
                Ok(v)
            }
        });
        let (restricted, removed) = match &viewer {
            Ok(v) => (v.restricted(), false),
            Err(_) => (true, true),
        };
        let rows: Vec<SocketRow> = self
            .sql()
            .exec(
                "SELECT conversation_id FROM agent_sockets WHERE agent_id = ?",
                vec![agent_id.into()],
            )?
            .to_array()?;
        let call = ConversationCall::AgentAccess {
            agent_id: agent_id.to_owned(),
            restricted,
            removed,
        };
        let calls = rows.iter().map(|row| {
            conversation::ask::<OpenSockets>(&self.env, workspace_id, &row.conversation_id, &call)
        });
        let answers = futures_util::future::join_all(calls).await;
        for (row, answer) in rows.iter().zip(answers) {
            let gone = match answer {
                Ok(open) => open.sockets == 0,
                Err(EdgeError::NotFound(_)) => true,
                Err(err) => {
                    worker::console_error!(
                        "access change not applied to {}: {err:?}",
                        row.conversation_id
                    );
                    false
                }
            };
            if gone {
                self.sql().exec(
                    "DELETE FROM agent_sockets WHERE agent_id = ? AND conversation_id = ?",
                    vec![agent_id.into(), row.conversation_id.as_str().into()],
                )?;
            }
        }
        let inboxes = self.inbox_sockets(agent_id);
        match viewer {
            Ok(viewer) if !inboxes.is_empty() => {
                let snapshot = charla_shared::protocol::InboxFrame::Snapshot {
                    conversations: self.conversations(&viewer)?,
                }
                .to_json();
                for ws in inboxes {
                    let _ = ws.send_with_str(&snapshot);
                }
            }
            Err(_) => {
                for ws in inboxes {
                    let _ = ws.close(Some(4401), Some("signed out"));
                }
            }
            _ => {}
        }
        Ok(())
    }
}
