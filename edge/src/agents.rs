//! Agents as the inbox shows them (presence, load, access) and who may see which conversation.
//! The Workspace DO's agents table is the authority: roles and access levels are read from it
//! on every check, so a demotion or a narrower access applies at once, not when a token expires.

use std::collections::{BTreeMap, BTreeSet};

use charla_shared::protocol::{Access, AgentProfile, AgentStatus, Role};
use serde::{Deserialize, Serialize};

use crate::error::{EdgeError, Result};
use crate::routing::presence_tag;
use crate::workspace::{parse_enum, parse_role, role_str, Workspace};

/// Internal body of `PUT /agents/{id}`: fields left out stay as they are. `by_role` is the
/// caller's current role, set by the Worker (never by the client).
#[derive(Default, Serialize, Deserialize)]
pub struct AgentChange {
    /// `Some(None)` removes the limit; `None` (not sent at all) keeps it.
    #[serde(
        default,
        with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub capacity: Option<Option<u32>>,
    #[serde(default)]
    pub away: Option<bool>,
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub access: Option<Access>,
    #[serde(default)]
    pub by_role: Option<Role>,
}

/// Distinguishes an absent field from an explicit `null` (serde's `Option<Option<T>>` alone
/// cannot).
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer, T: Serialize>(
        value: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

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
}

#[derive(Deserialize)]
struct LoadRow {
    assignee_id: String,
    n: i64,
}

const STATUS_COLUMNS: &str = "SELECT id, email, name, role, capacity, away, access FROM agents";

impl Workspace {
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
        let connected = !self
            .state
            .get_websockets_with_tag(&presence_tag(&row.id))
            .is_empty();
        AgentStatus {
            capacity: row.capacity.map(|c| c.max(0) as u32),
            away: row.away != 0,
            online: connected && row.away == 0,
            open: loads.get(&row.id).copied().unwrap_or(0),
            access: parse_enum(&row.access, Access::All),
            profile: AgentProfile {
                id: row.id,
                workspace_id: workspace_id.to_owned(),
                email: row.email,
                name: row.name,
                role: parse_role(&row.role),
            },
        }
    }

    pub(crate) fn agent_statuses(&self, workspace_id: &str) -> Result<Vec<AgentStatus>> {
        let loads = self.loads()?;
        Ok(self
            .status_rows(None)?
            .into_iter()
            .map(|row| self.to_status(workspace_id, row, &loads))
            .collect())
    }

    pub(crate) fn agent_status(&self, workspace_id: &str, agent_id: &str) -> Result<AgentStatus> {
        let row = self
            .status_rows(Some(agent_id))?
            .into_iter()
            .next()
            .ok_or_else(|| EdgeError::NotFound("unknown agent".into()))?;
        Ok(self.to_status(workspace_id, row, &self.loads()?))
    }

    /// The caller named by the Worker (`?agent=`). An agent removed since their token was
    /// signed is no longer anyone.
    pub(crate) fn viewer(&self, agent_id: &str) -> Result<Viewer> {
        let row = self
            .status_rows(Some(agent_id))?
            .into_iter()
            .next()
            .ok_or(EdgeError::Unauthorized)?;
        Ok(Viewer {
            id: row.id,
            role: parse_role(&row.role),
            access: parse_enum(&row.access, Access::All),
        })
    }

    /// Agents whose access is "mine and unassigned" (the only ones pushes must filter for).
    pub(crate) fn restricted_agents(&self) -> Result<BTreeSet<String>> {
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

    pub(crate) fn change_agent(
        &self,
        workspace_id: &str,
        agent_id: &str,
        change: &AgentChange,
    ) -> Result<AgentStatus> {
        let current = self.agent_status(workspace_id, agent_id)?;
        // Every check before the first write: a refused change changes nothing.
        if change.capacity.flatten().is_some_and(|c| c > 10_000) {
            return Err(EdgeError::BadRequest(
                "capacity is at most 10000 (or null for no limit)".into(),
            ));
        }
        if let Some(role) = &change.role {
            if *role != current.profile.role {
                let by_owner = matches!(change.by_role, Some(Role::Owner));
                if current.profile.role == Role::Owner && !by_owner {
                    return Err(EdgeError::Forbidden(
                        "only an owner can change an owner's role".into(),
                    ));
                }
                if current.profile.role == Role::Owner && self.owner_count()? <= 1 {
                    return Err(EdgeError::BadRequest(
                        "a workspace keeps at least one owner".into(),
                    ));
                }
                self.sql().exec(
                    "UPDATE agents SET role = ? WHERE id = ?",
                    vec![role_str(role).into(), agent_id.into()],
                )?;
            }
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

    fn owner_count(&self) -> Result<usize> {
        let rows: Vec<serde_json::Value> = self
            .sql()
            .exec("SELECT id FROM agents WHERE role = 'owner'", None)?
            .to_array()?;
        Ok(rows.len())
    }
}
