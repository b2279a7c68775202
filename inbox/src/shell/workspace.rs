//! What many views of the signed-in inbox read: who is signed in, the workspace's agents and
//! teams, its closing-note settings and the snippets the reply box offers. The shell loads them once and provides this as
//! context; views reload the part they are about to show (the assign menu reloads agents
//! when it opens, so presence and load are fresh when someone decides).

use charla_shared::lifecycle::LifecycleSettings;
use charla_shared::protocol::{AgentProfile, AgentStatus, Role, Team};
use charla_shared::snippets::Snippet;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::chat::summaries;
use crate::shell::roster;
use crate::shell::session::Session;

#[derive(Clone, Copy)]
pub struct Workspace {
    token: StoredValue<String>,
    me: StoredValue<AgentProfile>,
    pub agents: RwSignal<Vec<AgentStatus>>,
    pub teams: RwSignal<Vec<Team>>,
    /// Workflow (id, name) pairs, so timeline lines name the workflow that acted.
    pub workflows: RwSignal<Vec<(String, String)>>,
    /// `None` until loaded (the close dialog then offers free text).
    pub closing: RwSignal<Option<LifecycleSettings>>,
    /// The workspace's snippets and this agent's own: loaded once per session for the reply
    /// box's `/` list, reloaded by the snippets settings after every change.
    pub snippets: RwSignal<Vec<Snippet>>,
    /// Bumped per agents request, so an older answer never overwrites a newer one.
    agents_generation: StoredValue<u32>,
    sign_out: Callback<()>,
}

impl Workspace {
    pub fn new(session: &Session, sign_out: Callback<()>) -> Self {
        Workspace {
            token: StoredValue::new(session.token.clone()),
            me: StoredValue::new(session.agent.clone()),
            agents: RwSignal::new(Vec::new()),
            teams: RwSignal::new(Vec::new()),
            workflows: RwSignal::new(Vec::new()),
            closing: RwSignal::new(None),
            snippets: RwSignal::new(Vec::new()),
            agents_generation: StoredValue::new(0),
            sign_out,
        }
    }

    pub fn token(&self) -> String {
        self.token.get_value()
    }

    pub fn workspace_id(&self) -> String {
        self.me.with_value(|m| m.workspace_id.clone())
    }

    /// The signed-in agent's name as their session says it.
    pub fn me_name(&self) -> String {
        self.me.with_value(|m| m.name.clone())
    }

    pub fn me_id(&self) -> String {
        self.me.with_value(|m| m.id.clone())
    }

    /// The signed-in agent's role as the workspace knows it now (an owner may have changed
    /// it since sign-in; the edge checks the current one too), else the one from sign-in.
    pub fn role(&self) -> Role {
        self.my_status()
            .map(|s| s.profile.role)
            .unwrap_or_else(|| self.me.with_value(|m| m.role.clone()))
    }

    /// Owners and managers: invites, teams, settings. The edge checks the same rule.
    pub fn can_manage(&self) -> bool {
        self.role().can_manage()
    }

    /// The signed-in agent's own entry in the agents list (away, access).
    pub fn my_status(&self) -> Option<AgentStatus> {
        let id = self.me_id();
        self.agents.with(|list| roster::find(list, &id).cloned())
    }

    /// Whether the list may offer "All". Until the agents list says otherwise an agent is
    /// assumed to see everything (the default access), which is also what the edge sends.
    pub fn sees_all(&self) -> bool {
        let access = self.my_status().map(|s| s.access).unwrap_or_default();
        summaries::sees_all(&self.role(), access)
    }

    pub fn agent_name(&self, id: &str) -> Option<String> {
        if self.me.with_value(|m| m.id == id) {
            return Some(self.me.with_value(|m| m.name.clone()));
        }
        self.agents.with(|list| roster::name_of(list, id))
    }

    pub fn team_name(&self, id: &str) -> Option<String> {
        self.teams.with(|teams| roster::team_name(teams, id))
    }

    pub fn workflow_name(&self, id: &str) -> Option<String> {
        self.workflows.with(|list| {
            list.iter()
                .find(|(wid, _)| wid == id)
                .map(|(_, name)| name.clone())
        })
    }

    pub fn reload_workflows(&self) {
        let this = *self;
        spawn_local(async move {
            match api::workflows(&this.token()).await {
                Ok(list) => this.workflows.set(
                    list.into_iter()
                        .map(|l| (l.workflow.id, l.workflow.name))
                        .collect(),
                ),
                Err(e) => this.report("workflows", e),
            }
        });
    }

    pub fn reload_agents(&self) {
        let this = *self;
        let generation = self.agents_generation.get_value().wrapping_add(1);
        self.agents_generation.set_value(generation);
        spawn_local(async move {
            let result = api::agents(&this.token()).await;
            if this.agents_generation.try_get_value() != Some(generation) {
                return;
            }
            match result {
                Ok(list) => this.agents.set(list),
                Err(e) => this.report("agents", e),
            }
        });
    }

    pub fn reload_teams(&self) {
        let this = *self;
        spawn_local(async move {
            match api::teams(&this.token()).await {
                Ok(list) => this.teams.set(list),
                Err(e) => this.report("teams", e),
            }
        });
    }

    pub fn reload_closing(&self) {
        let this = *self;
        spawn_local(async move {
            match api::lifecycle_settings(&this.token()).await {
                Ok(settings) => this.closing.set(Some(settings)),
                Err(e) => this.report("closing settings", e),
            }
        });
    }

    pub fn reload_snippets(&self) {
        let this = *self;
        spawn_local(async move {
            match api::snippets(&this.token()).await {
                Ok(list) => this.snippets.set(list),
                Err(e) => this.report("snippets", e),
            }
        });
    }

    /// The text to show for a failed call, in the agent's language (the server's own text goes
    /// to the console only); a 401 also signs out (the session is over).
    pub fn failure(&self, e: ApiError) -> String {
        leptos::logging::warn!("refused: {e}");
        if e.is_unauthorized() {
            self.sign_out.run(());
        }
        crate::i18n::tr_untracked().error(&e)
    }

    fn report(&self, what: &str, e: ApiError) {
        leptos::logging::warn!("{what}: {e}");
        if e.is_unauthorized() {
            self.sign_out.run(());
        }
    }
}
