//! Teams in the Workspace DO, and the check every rule that names an agent or a team goes
//! through: it must name one of this workspace's.

use charla_shared::assignment::Who;
use charla_shared::protocol::{Team, TeamRequest};
use serde::Deserialize;

use super::store::Workspace;
use crate::error::{EdgeError, Result};
use crate::ids::{is_valid, new_id, now_millis, IdKind};

impl Workspace {
    pub(super) fn teams(&self) -> Result<Vec<Team>> {
        #[derive(Deserialize)]
        struct TeamRow {
            id: String,
            name: String,
        }
        #[derive(Deserialize)]
        struct MemberRow {
            team_id: String,
            agent_id: String,
        }
        let teams: Vec<TeamRow> = self
            .sql()
            .exec("SELECT id, name FROM teams ORDER BY name", None)?
            .to_array()?;
        let members: Vec<MemberRow> = self
            .sql()
            .exec(
                "SELECT team_id, agent_id FROM team_members ORDER BY agent_id",
                None,
            )?
            .to_array()?;
        Ok(teams
            .into_iter()
            .map(|t| Team {
                members: members
                    .iter()
                    .filter(|m| m.team_id == t.id)
                    .map(|m| m.agent_id.clone())
                    .collect(),
                id: t.id,
                name: t.name,
            })
            .collect())
    }

    /// Create (`id: None`) or replace a team. Members must be agents of the workspace.
    pub(super) fn save_team(&self, id: Option<&str>, body: &TeamRequest) -> Result<Team> {
        let name = body.name.trim();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(EdgeError::BadRequest(
                "team name must be 1-60 characters".into(),
            ));
        }
        for agent_id in &body.members {
            if !self.agent_exists(agent_id)? {
                return Err(EdgeError::BadRequest(format!("unknown agent {agent_id}")));
            }
        }
        let same_name: Vec<serde_json::Value> = self
            .sql()
            .exec(
                "SELECT id FROM teams WHERE name = ? AND id != ?",
                vec![name.into(), id.unwrap_or("").into()],
            )?
            .to_array()?;
        if !same_name.is_empty() {
            return Err(EdgeError::BadRequest("a team with this name exists".into()));
        }
        let id = match id {
            Some(id) => {
                if !self.team_exists(id)? {
                    return Err(EdgeError::NotFound("unknown team".into()));
                }
                self.sql().exec(
                    "UPDATE teams SET name = ? WHERE id = ?",
                    vec![name.into(), id.into()],
                )?;
                id.to_owned()
            }
            None => {
                let id = new_id("t")?;
                self.sql().exec(
                    "INSERT INTO teams (id, name, created_at) VALUES (?, ?, ?)",
                    vec![id.as_str().into(), name.into(), now_millis().into()],
                )?;
                id
            }
        };
        self.sql().exec(
            "DELETE FROM team_members WHERE team_id = ?",
            vec![id.as_str().into()],
        )?;
        for agent_id in &body.members {
            self.sql().exec(
                "INSERT OR IGNORE INTO team_members (team_id, agent_id) VALUES (?, ?)",
                vec![id.as_str().into(), agent_id.as_str().into()],
            )?;
        }
        Ok(Team {
            id,
            name: name.to_owned(),
            members: body.members.clone(),
        })
    }

    /// Whether `sql` (one bound id) finds a row.
    fn has_row(&self, sql: &str, id: &str) -> Result<bool> {
        let found: Vec<serde_json::Value> = self.sql().exec(sql, vec![id.into()])?.to_array()?;
        Ok(!found.is_empty())
    }

    /// Whether an agent of this workspace has this id (a malformed id names none and is
    /// never looked up).
    fn agent_exists(&self, agent_id: &str) -> Result<bool> {
        Ok(is_valid(IdKind::Agent, agent_id)
            && self.has_row("SELECT id FROM agents WHERE id = ?", agent_id)?)
    }

    /// Whether a team of this workspace has this id (likewise).
    fn team_exists(&self, team_id: &str) -> Result<bool> {
        Ok(is_valid(IdKind::Team, team_id)
            && self.has_row("SELECT id FROM teams WHERE id = ?", team_id)?)
    }

    /// The first agent or team `who` names that is not in this workspace, if any: assignment
    /// rules and Assign To steps are refused (or fail) rather than route to an id that names
    /// nothing.
    pub(super) fn missing_reference<'a>(&self, who: &'a Who) -> Result<Option<(IdKind, &'a str)>> {
        let (agent, team) = who.references();
        if let Some(agent_id) = agent {
            if !self.agent_exists(agent_id)? {
                return Ok(Some((IdKind::Agent, agent_id)));
            }
        }
        if let Some(team_id) = team {
            if !self.team_exists(team_id)? {
                return Ok(Some((IdKind::Team, team_id)));
            }
        }
        Ok(None)
    }
}
