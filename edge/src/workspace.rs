//! The Workspace Durable Object: one per workspace. Holds the agents, the inbox index (one
//! summary per conversation) and the inbox sockets it pushes live changes to. Single writer for
//! everything workspace-wide.

use charla_shared::assignment::Who;
use charla_shared::lifecycle::{LifecycleSettings, Source};
use charla_shared::protocol::{
    decode_client_frame, AgentProfile, AuthorKind, ClientFrame, ConversationStatus,
    ConversationSummary, InboxFrame, Role,
};
use charla_shared::protocol::{mine_or_unassigned, Team, TeamRequest};
use serde::{Deserialize, Serialize};
use worker::{
    durable_object, DurableObject, Env, Request, Response, SqlStorage, State, WebSocket,
    WebSocketIncomingMessage, WebSocketPair,
};

use crate::agents::Viewer;
use crate::error::{EdgeError, Result};
use crate::ids::{is_valid, new_id, now_millis, IdKind};
use crate::internal;
use crate::internal::workspace::{
    Created, NewWorkspace, RedeemInvite, Secret, Seeded, StoreInvite, WorkspaceCall,
    WorkspaceSettings,
};
use crate::routing::{presence_tag, Pending};
use crate::sockets::{self, require_upgrade};
use crate::sql::migrate;
use std::cell::RefCell;

const MIGRATIONS: &[&str] = &[
    "
    CREATE TABLE settings (k TEXT PRIMARY KEY, v TEXT NOT NULL);
    CREATE TABLE agents (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        contact_id TEXT NOT NULL,
        contact_name TEXT NOT NULL,
        status TEXT NOT NULL,
        last_seq INTEGER NOT NULL,
        last_text TEXT NOT NULL,
        last_author TEXT NOT NULL,
        last_at INTEGER NOT NULL,
        unread INTEGER NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX conversations_by_activity ON conversations (last_at DESC);
",
    "
    ALTER TABLE conversations ADD COLUMN assignee_id TEXT;
    ALTER TABLE conversations ADD COLUMN team_id TEXT;
    ALTER TABLE conversations ADD COLUMN bot_paused INTEGER NOT NULL DEFAULT 0;
",
    "
    ALTER TABLE conversations ADD COLUMN period INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE conversations ADD COLUMN routed_period INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE agents ADD COLUMN capacity INTEGER;
    ALTER TABLE agents ADD COLUMN away INTEGER NOT NULL DEFAULT 0;
",
    "
    CREATE TABLE teams (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE team_members (
        team_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        PRIMARY KEY (team_id, agent_id)
    );
",
    "
    CREATE TABLE invites (
        fingerprint TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        role TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
    );
",
    "
    ALTER TABLE agents ADD COLUMN access TEXT NOT NULL DEFAULT 'all';
    CREATE TABLE contacts (
        id TEXT PRIMARY KEY,
        name TEXT,
        data TEXT NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX conversations_by_contact ON conversations (contact_id);
",
    "
    CREATE TABLE identities (
        user_id TEXT PRIMARY KEY,
        visitor_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
",
    "
    CREATE TABLE workflows (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        enabled INTEGER NOT NULL,
        data TEXT NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE TABLE workflow_versions (
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (id, version)
    );
    CREATE TABLE workflow_runs (
        run_id TEXT PRIMARY KEY,
        workflow_id TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX workflow_runs_by_workflow ON workflow_runs (workflow_id, started_at DESC);
",
    charla_shared::reports::SCHEMA,
    "
    CREATE TABLE login_attempts (
        email TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        window_start INTEGER NOT NULL
    );
    CREATE TABLE agent_sockets (
        agent_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        opened_at INTEGER NOT NULL,
        PRIMARY KEY (agent_id, conversation_id)
    );
",
];

#[derive(Deserialize)]
struct InviteRow {
    email: String,
    role: String,
    expires_at: i64,
    used_at: Option<i64>,
}

/// The agent the local demo workspace is seeded with (only where `CHARLA_DEMO_WORKSPACE` is set,
/// i.e. in `.dev.vars`, never in production).
pub const DEMO_EMAIL: &str = "demo@charla.dev";
/// `charla-demo`, derived once ahead of time so seeding never hashes inside the DO.
const DEMO_PASSWORD_HASH: &str =
    "pbkdf2-sha256$100000$Y2hhcmxhLWRlbW8tc2FsdA$uSfz8uWV3gz4WkQdGA38mAj0YSKF/JwQNJtPz5dkaKI";

#[derive(Deserialize)]
struct AgentRow {
    id: String,
    email: String,
    name: String,
    role: String,
}

#[derive(Deserialize)]
struct SummaryRow {
    id: String,
    contact_id: String,
    contact_name: String,
    status: String,
    last_seq: i64,
    last_text: String,
    last_author: String,
    last_at: i64,
    unread: i64,
    created_at: i64,
    assignee_id: Option<String>,
    team_id: Option<String>,
    bot_paused: i64,
    period: i64,
}

/// Inbox lines with the contact's name (when agents set one) over the visitor's label.
const SUMMARY_SELECT: &str =
    "SELECT c.id, c.contact_id, COALESCE(k.name, c.contact_name) AS contact_name,
    c.status, c.last_seq, c.last_text, c.last_author, c.last_at, c.unread, c.created_at,
    c.assignee_id, c.team_id, c.bot_paused, c.period
    FROM conversations c LEFT JOIN contacts k ON k.id = c.contact_id";

#[derive(Deserialize)]
struct SettingRow {
    v: String,
}

pub(crate) fn role_str(role: &Role) -> &'static str {
    match role {
        Role::Owner => "owner",
        Role::Manager => "manager",
        Role::Agent => "agent",
    }
}

pub(crate) fn parse_role(s: &str) -> Role {
    match s {
        "owner" => Role::Owner,
        "manager" => Role::Manager,
        _ => Role::Agent,
    }
}

fn enum_str<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub(crate) fn parse_enum<T: for<'de> Deserialize<'de>>(s: &str, fallback: T) -> T {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).unwrap_or(fallback)
}

impl AgentRow {
    fn into_profile(self, workspace_id: &str) -> AgentProfile {
        AgentProfile {
            id: self.id,
            workspace_id: workspace_id.to_owned(),
            email: self.email,
            name: self.name,
            role: parse_role(&self.role),
        }
    }
}

impl SummaryRow {
    fn into_summary(self) -> ConversationSummary {
        ConversationSummary {
            id: self.id,
            contact_id: self.contact_id,
            contact_name: self.contact_name,
            status: parse_enum(&self.status, ConversationStatus::Open),
            period: self.period.max(1) as u32,
            last_seq: self.last_seq as u64,
            last_text: self.last_text,
            last_author: parse_enum(&self.last_author, AuthorKind::System),
            last_at: self.last_at,
            unread: self.unread as u32,
            created_at: self.created_at,
            assignee_id: self.assignee_id,
            team_id: self.team_id,
            bot_paused: self.bot_paused != 0,
        }
    }
}

#[durable_object]
pub struct Workspace {
    pub(crate) state: State,
    pub(crate) env: Env,
    /// Automatic assignments sent but not yet confirmed by a summary (see `routing`).
    pub(crate) pending: RefCell<Pending>,
}

impl Workspace {
    pub(crate) fn put_setting(&self, key: &str, value: &str) -> Result<()> {
        self.sql().exec(
            "INSERT INTO settings (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
            vec![key.into(), value.into()],
        )?;
        Ok(())
    }

    pub(crate) fn sql(&self) -> SqlStorage {
        self.state.storage().sql()
    }

    pub(crate) fn setting(&self, key: &str) -> Result<Option<String>> {
        let rows: Vec<SettingRow> = self
            .sql()
            .exec("SELECT v FROM settings WHERE k = ?", vec![key.into()])?
            .to_array()?;
        Ok(rows.into_iter().next().map(|r| r.v))
    }

    /// The workspace id this object serves, recorded by the first call (the Worker sends it in
    /// the identity header of every internal call).
    fn ensure_id(&self, workspace_id: &str) -> Result<()> {
        match self.setting("workspace_id")? {
            Some(id) if id == workspace_id => Ok(()),
            Some(_) => Err(EdgeError::Forbidden("workspace mismatch".into())),
            None => {
                self.sql().exec(
                    "INSERT INTO settings (k, v) VALUES ('workspace_id', ?)",
                    vec![workspace_id.into()],
                )?;
                Ok(())
            }
        }
    }

    fn exists(&self) -> Result<bool> {
        Ok(self.setting("created_at")?.is_some())
    }

    fn create(&self, owner: &NewWorkspace) -> Result<()> {
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
    fn seed_demo_if_configured(&self, workspace_id: &str) -> Result<()> {
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

    /// Closing-note rules and auto-close for every conversation of the workspace. Defaults
    /// (optional note, auto-close after 24 h) until an owner changes them.
    fn lifecycle_settings(&self) -> Result<LifecycleSettings> {
        match self.setting("lifecycle")? {
            Some(json) => Ok(serde_json::from_str(&json)?),
            None => Ok(LifecycleSettings::default()),
        }
    }

    pub(crate) fn agent(&self, workspace_id: &str, agent_id: &str) -> Result<AgentProfile> {
        let rows: Vec<AgentRow> = self
            .sql()
            .exec(
                "SELECT id, email, name, role FROM agents WHERE id = ?",
                vec![agent_id.into()],
            )?
            .to_array()?;
        let agent = rows
            .into_iter()
            .next()
            .ok_or_else(|| EdgeError::NotFound("unknown agent".into()))?;
        Ok(agent.into_profile(workspace_id))
    }

    /// `hash` was derived by the Worker (`crate::crypto::hash_new`).
    fn insert_agent(&self, email: &str, name: &str, role: &Role, hash: &str) -> Result<String> {
        if charla_shared::password::Stored::parse(hash).is_none() {
            return Err(EdgeError::BadRequest("invalid password hash".into()));
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(EdgeError::BadRequest("name must be 1-80 characters".into()));
        }
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

    fn store_invite(&self, invite: &StoreInvite) -> Result<()> {
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
    fn redeem_invite(&self, workspace_id: &str, redeem: &RedeemInvite) -> Result<AgentProfile> {
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
        self.agent(workspace_id, &id)
    }

    pub(crate) fn teams(&self) -> Result<Vec<Team>> {
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
    fn save_team(&self, id: Option<&str>, body: &TeamRequest) -> Result<Team> {
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
    pub(crate) fn agent_exists(&self, agent_id: &str) -> Result<bool> {
        Ok(is_valid(IdKind::Agent, agent_id)
            && self.has_row("SELECT id FROM agents WHERE id = ?", agent_id)?)
    }

    /// Whether a team of this workspace has this id (likewise).
    pub(crate) fn team_exists(&self, team_id: &str) -> Result<bool> {
        Ok(is_valid(IdKind::Team, team_id)
            && self.has_row("SELECT id FROM teams WHERE id = ?", team_id)?)
    }

    /// The first agent or team `who` names that is not in this workspace, if any: assignment
    /// rules and Assign To steps are refused (or fail) rather than route to an id that names
    /// nothing.
    pub(crate) fn missing_reference<'a>(&self, who: &'a Who) -> Result<Option<(IdKind, &'a str)>> {
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

    fn set_lifecycle_settings(&self, settings: &LifecycleSettings) -> Result<()> {
        if settings.categories.len() > 50
            || settings
                .categories
                .iter()
                .any(|c| c.trim().is_empty() || c.chars().count() > 40)
        {
            return Err(EdgeError::BadRequest(
                "closing-note categories: at most 50, each 1-40 characters".into(),
            ));
        }
        self.sql().exec(
            "INSERT INTO settings (k, v) VALUES ('lifecycle', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
            vec![serde_json::to_string(settings)?.into()],
        )?;
        Ok(())
    }

    /// The inbox index as `viewer` may see it (their access level applied in the query).
    pub(crate) fn conversations(&self, viewer: &Viewer) -> Result<Vec<ConversationSummary>> {
        let all = !viewer.restricted();
        let rows: Vec<SummaryRow> = self
            .sql()
            .exec(
                &format!(
                    "{SUMMARY_SELECT} WHERE ? OR c.assignee_id IS NULL OR c.assignee_id = ?
                     ORDER BY c.last_at DESC LIMIT 500"
                ),
                vec![i64::from(all).into(), viewer.id.as_str().into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().map(SummaryRow::into_summary).collect())
    }

    pub(crate) fn summaries_of_contact(
        &self,
        contact_id: &str,
    ) -> Result<Vec<ConversationSummary>> {
        let rows: Vec<SummaryRow> = self
            .sql()
            .exec(
                &format!("{SUMMARY_SELECT} WHERE c.contact_id = ?"),
                vec![contact_id.into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().map(SummaryRow::into_summary).collect())
    }

    /// Push one inbox line to every connected inbox that may see it; an agent who may not
    /// (any more) is told to drop it.
    pub(crate) fn push_summary(&self, s: &ConversationSummary) -> Result<()> {
        let mut s = s.clone();
        if let Some(name) = self.display_name(&s)? {
            s.contact_name = name;
        }
        let visible = InboxFrame::Summary {
            conversation: s.clone(),
        }
        .to_json();
        let sockets = self.state.get_websockets_with_tag("agent");
        let restricted = if sockets.is_empty() {
            Default::default()
        } else {
            self.restricted_agents()?
        };
        let hidden = InboxFrame::Hidden { id: s.id.clone() }.to_json();
        for ws in sockets {
            let agent: Option<String> = ws.deserialize_attachment().ok().flatten();
            let sees = match agent {
                Some(id) if restricted.contains(&id) => {
                    mine_or_unassigned(&id, s.assignee_id.as_deref())
                }
                _ => true,
            };
            let _ = ws.send_with_str(if sees { &visible } else { &hidden });
        }
        Ok(())
    }

    /// Upsert one inbox line and push it to every connected inbox. Summaries may arrive out of
    /// order (each is its own fetch); an older `last_seq` never overwrites a newer one.
    fn upsert(&self, s: &ConversationSummary) -> Result<()> {
        self.sql().exec(
            "INSERT INTO conversations (id, contact_id, contact_name, status, last_seq, last_text, last_author, last_at, unread, created_at, assignee_id, team_id, bot_paused, period)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET
               contact_name = excluded.contact_name, status = excluded.status,
               last_seq = excluded.last_seq, last_text = excluded.last_text,
               last_author = excluded.last_author, last_at = excluded.last_at,
               unread = excluded.unread, assignee_id = excluded.assignee_id,
               team_id = excluded.team_id, bot_paused = excluded.bot_paused,
               period = excluded.period
             WHERE excluded.last_seq >= conversations.last_seq",
            vec![
                s.id.as_str().into(),
                s.contact_id.as_str().into(),
                s.contact_name.as_str().into(),
                enum_str(&s.status).into(),
                (s.last_seq as i64).into(),
                s.last_text.as_str().into(),
                enum_str(&s.last_author).into(),
                s.last_at.into(),
                (s.unread as i64).into(),
                s.created_at.into(),
                s.assignee_id.clone().into(),
                s.team_id.clone().into(),
                i64::from(s.bot_paused).into(),
                (s.period as i64).into(),
            ],
        )?;
        self.push_summary(s)
    }

    /// An agent's inbox socket. Its tags say "an agent" (for broadcasts) and which one (for
    /// presence: an agent with an open inbox and not away is online for assignment).
    fn accept_inbox(&self, viewer: &Viewer) -> Result<Response> {
        let pair = WebSocketPair::new()?;
        let presence = presence_tag(&viewer.id);
        self.state
            .accept_websocket_with_tags(&pair.server, &["agent", presence.as_str()]);
        pair.server.serialize_attachment(&viewer.id)?;
        let snapshot = InboxFrame::Snapshot {
            conversations: self.conversations(viewer)?,
        };
        let _ = pair.server.send_with_str(snapshot.to_json());
        sockets::upgraded(pair.client)
    }

    /// One internal call (see `crate::internal::workspace`), answered by the feature that owns
    /// it. Every call names this workspace; only `Create` may find it not yet created.
    async fn serve(&self, mut req: Request) -> Result<Response> {
        let (workspace_id, call) = internal::workspace::receive(&mut req).await?;
        self.ensure_id(&workspace_id)?;
        self.seed_demo_if_configured(&workspace_id)?;
        if !matches!(call, WorkspaceCall::Create(_)) && !self.exists()? {
            return Err(EdgeError::NotFound("unknown workspace".into()));
        }
        let ws = workspace_id.as_str();
        match call {
            WorkspaceCall::Create(owner) => {
                self.create(&owner)?;
                json(&Created {
                    created: workspace_id.clone(),
                })
            }
            WorkspaceCall::LoginBegin { email } => json(&self.login_begin(&email)?),
            WorkspaceCall::LoginFinish { email, agent_id } => {
                json(&self.login_finish(ws, &email, &agent_id)?)
            }
            WorkspaceCall::StoreInvite(invite) => {
                self.store_invite(&invite)?;
                json(&true)
            }
            WorkspaceCall::RedeemInvite(redeem) => json(&self.redeem_invite(ws, &redeem)?),
            WorkspaceCall::Agents => json(&self.agent_statuses(ws)?),
            WorkspaceCall::Agent { agent_id } => json(&self.agent_status(ws, &agent_id)?),
            WorkspaceCall::OpeningSocket {
                agent_id,
                conversation_id,
            } => {
                let status = self.agent_status(ws, &agent_id)?;
                self.note_socket(&agent_id, &conversation_id)?;
                json(&status)
            }
            WorkspaceCall::ChangeAgent { agent_id, change } => {
                let agent = self.change_agent(ws, &agent_id, &change)?;
                if change.role.is_some() || change.access.is_some() {
                    self.propagate_access(ws, &agent_id).await?;
                }
                self.place_waiting(ws).await?;
                json(&agent)
            }
            WorkspaceCall::Teams => json(&self.teams()?),
            WorkspaceCall::SaveTeam { team_id, team } => {
                let team = self.save_team(team_id.as_deref(), &team)?;
                self.place_waiting(ws).await?;
                json(&team)
            }
            WorkspaceCall::OpenInbox { viewer } => {
                // Only a real upgrade forwarded by the Worker opens an inbox socket (a call that
                // lands here otherwise must not make anyone look online).
                require_upgrade(&req)?;
                let resp = self.accept_inbox(&self.viewer(&viewer)?)?;
                // Someone came online: whoever waits for them may be placed now.
                self.place_waiting(ws).await?;
                Ok(resp)
            }
            WorkspaceCall::Conversations { viewer } => {
                json(&self.conversations(&self.viewer(&viewer)?)?)
            }
            WorkspaceCall::Summary(summary) => {
                self.upsert(&summary)?;
                let placements = self.route_summary(&summary)?;
                self.place(ws, placements).await;
                json(&true)
            }
            WorkspaceCall::Contact { viewer, contact_id } => {
                json(&self.contact_for(&self.viewer(&viewer)?, &contact_id)?)
            }
            WorkspaceCall::PatchContact {
                viewer,
                contact_id,
                patch,
            } => {
                let patched = self.patch_contact(&self.viewer(&viewer)?, &contact_id, &patch)?;
                self.notify_contact_changes(ws, &contact_id, None, &patched.changes, Source::User)
                    .await;
                json(&patched)
            }
            WorkspaceCall::LifecycleSettings => json(&self.lifecycle_settings()?),
            WorkspaceCall::SetLifecycleSettings(settings) => {
                self.set_lifecycle_settings(&settings)?;
                json(&settings)
            }
            WorkspaceCall::Assignment => json(&self.auto_assign()?),
            WorkspaceCall::SetAssignment(rule) => json(&self.set_auto_assign(rule)?),
            WorkspaceCall::WorkspaceSettings => json(&WorkspaceSettings {
                time_zone: self.time_zone()?,
            }),
            WorkspaceCall::SetWorkspaceSettings(settings) => {
                json(&self.set_workspace_settings(settings)?)
            }
            WorkspaceCall::BusinessHours => json(&self.business_hours()?),
            WorkspaceCall::SetBusinessHours(hours) => json(&self.set_business_hours(hours)?),
            WorkspaceCall::CheckOrigin { origin } => {
                self.check_origin(origin.as_deref())?;
                json(&true)
            }
            WorkspaceCall::WidgetConfig => json(&self.public_config(ws)?),
            WorkspaceCall::WidgetSettings => json(&self.widget_settings()?),
            WorkspaceCall::SetWidgetSettings(settings) => {
                json(&self.set_widget_settings(settings)?)
            }
            WorkspaceCall::IdentitySecret => json(&Secret {
                secret: self.identity_secret()?,
            }),
            WorkspaceCall::RotateIdentitySecret => json(&Secret {
                secret: self.rotate_identity_secret()?,
            }),
            WorkspaceCall::Prechat(answers) => {
                let patched = self.prechat(&answers)?;
                self.notify_contact_changes(
                    ws,
                    &answers.visitor_id,
                    answers.conversation_id.as_deref(),
                    &patched.changes,
                    Source::Contact,
                )
                .await;
                json(&patched.contact)
            }
            WorkspaceCall::Identify(body) => json(&self.identify(&body)?),
            WorkspaceCall::Workflows { viewer } => {
                json(&self.workflow_listings(&self.viewer(&viewer)?)?)
            }
            WorkspaceCall::Workflow {
                viewer,
                workflow_id,
            } => json(&self.workflow_for(&self.viewer(&viewer)?, &workflow_id)?),
            WorkspaceCall::CreateWorkflow(body) => json(&self.create_workflow(body)?),
            WorkspaceCall::SaveWorkflow {
                workflow_id,
                workflow,
            } => json(&self.edit_workflow(&workflow_id, &workflow)?),
            WorkspaceCall::DeleteWorkflow { workflow_id } => {
                self.delete_workflow(&workflow_id)?;
                json(&true)
            }
            WorkspaceCall::EnableWorkflow {
                workflow_id,
                enabled,
            } => json(&self.set_workflow_enabled(&workflow_id, enabled)?),
            WorkspaceCall::NewWebhookSecret { workflow_id } => json(&Secret {
                secret: self.new_webhook_secret(&workflow_id)?,
            }),
            WorkspaceCall::WorkflowRuns {
                viewer,
                workflow_id,
            } => json(&self.run_list(&self.viewer(&viewer)?, &workflow_id)?),
            WorkspaceCall::CheckHook { workflow_id, check } => {
                json(&self.check_hook(&workflow_id, &check)?)
            }
            WorkspaceCall::AutomationContext { contact_id } => {
                json(&self.automation_context(&contact_id)?)
            }
            WorkspaceCall::Decide(ask) => json(&self.decide_for_workflow(ask)?),
            WorkspaceCall::PatchContactFor { contact_id, patch } => {
                json(&self.apply_contact_patch(&contact_id, &patch)?)
            }
            WorkspaceCall::RecordRun(run) => {
                self.record_run(&run)?;
                json(&true)
            }
            WorkspaceCall::ReportRow(row) => {
                self.receive_report_row(*row)?;
                json(&true)
            }
            WorkspaceCall::Report(call) => self.report(&call),
            WorkspaceCall::SeedReportRows(rows) => json(&Seeded {
                stored: self.seed_report_rows(&rows)?,
            }),
        }
    }
}

fn json<T: Serialize>(value: &T) -> Result<Response> {
    Ok(Response::from_json(value)?)
}

impl DurableObject for Workspace {
    fn new(state: State, env: Env) -> Self {
        if let Err(err) = migrate(&state.storage().sql(), MIGRATIONS) {
            worker::console_error!("workspace migration failed: {err:?}");
        }
        Workspace {
            state,
            env,
            pending: RefCell::new(Pending::new()),
        }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        Ok(self
            .serve(req)
            .await
            .unwrap_or_else(EdgeError::into_response))
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> worker::Result<()> {
        let reply = match message {
            WebSocketIncomingMessage::String(s)
                if matches!(decode_client_frame(&s), Ok(ClientFrame::Ping)) =>
            {
                InboxFrame::Pong
            }
            _ => InboxFrame::Error {
                code: charla_shared::ErrorCode::MalformedFrame,
                message: "the inbox socket only accepts {\"type\":\"ping\"}".into(),
            },
        };
        let _ = ws.send_with_str(reply.to_json());
        Ok(())
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        code: usize,
        _reason: String,
        _was_clean: bool,
    ) -> worker::Result<()> {
        sockets::closed(&ws, code);
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> worker::Result<()> {
        sockets::failed(&ws);
        Ok(())
    }

    async fn alarm(&self) -> worker::Result<Response> {
        Response::ok("no timers")
    }
}
