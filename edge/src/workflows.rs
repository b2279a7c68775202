//! The workflow store in the Workspace DO: definitions with every saved version kept (a run
//! pins the version it started with), enable/disable, templates, webhook secrets, and the
//! per-workflow run list the Conversation DOs report into. Running is the Conversation DO's job
//! (`edge/src/automation.rs`); the rules are `charla_shared::workflow`.

use charla_shared::assignment::{AssignTo, Decision};
use charla_shared::contact::{Contact, ContactPatch};
use charla_shared::token;
use charla_shared::workflow::{AgentFacts, BusinessHours, RunLog, Template, Trigger, Workflow};
use serde::{Deserialize, Serialize};

use crate::error::{EdgeError, Result};
use crate::ids::{new_id, now_millis, random_bytes};
use crate::workspace::Workspace;

/// Most workflows per workspace (each event is matched against all enabled ones).
const MAX_WORKFLOWS: usize = 100;
/// Run-list entries kept per workflow.
const RUNS_KEPT: i64 = 200;

/// `GET /v1/inbox/workflows` line: the definition plus its latest runs' outcomes.
#[derive(Serialize, Deserialize)]
pub struct WorkflowListing {
    pub workflow: Workflow,
    pub updated_at: i64,
    pub last_runs: Vec<RunSummary>,
}

/// One run as the workflow's run list shows it: the engine's log under the id the
/// Conversation DO gave the run. Reported when a run starts waiting and when it ends.
#[derive(Clone, Serialize, Deserialize)]
pub struct RunSummary {
    pub run_id: String,
    #[serde(flatten)]
    pub log: RunLog,
}

/// What the Conversation DOs cache: the enabled workflows and the revision they belong to.
#[derive(Serialize, Deserialize, Default, Clone)]
pub struct ActiveWorkflows {
    pub rev: i64,
    pub workflows: Vec<Workflow>,
}

/// What a Conversation DO needs to run workflows for one event: the enabled workflows, the
/// contact and the agents as they are now, the workspace's time zone.
#[derive(Serialize, Deserialize)]
pub struct AutomationContext {
    pub workflows: Vec<Workflow>,
    pub contact: Contact,
    pub agents: Vec<AgentFacts>,
    pub time_zone: String,
    #[serde(default)]
    pub business_hours: Option<BusinessHours>,
}

#[derive(Serialize, Deserialize)]
pub struct ContextRequest {
    pub contact_id: String,
}

/// A workflow's Assign To step: decided by the single writer of the assignment state.
#[derive(Serialize, Deserialize)]
pub struct DecideRequest {
    pub conversation_id: String,
    pub contact_id: String,
    pub request: AssignTo,
}

#[derive(Serialize, Deserialize)]
pub struct ContactRequest {
    pub contact_id: String,
    pub patch: ContactPatch,
}

/// Internal body of `POST /workflows/{id}/hook`: the presented secret and which conversation
/// the call is about (a conversation id, or a contact whose latest conversation it is).
#[derive(Serialize, Deserialize)]
pub struct HookCheck {
    pub secret: String,
    #[serde(default)]
    pub conversation_id: Option<String>,
    #[serde(default)]
    pub contact_id: Option<String>,
}

#[derive(Serialize, Deserialize)]
pub struct HookTarget {
    pub conversation_id: String,
}

#[derive(Deserialize)]
struct WorkflowRow {
    data: String,
    updated_at: i64,
}

#[derive(Deserialize)]
struct RunRow {
    data: String,
}

impl Workspace {
    pub(crate) fn workflows_rev(&self) -> Result<i64> {
        Ok(self
            .setting("workflows_rev")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    fn bump_rev(&self) -> Result<()> {
        let rev = self.workflows_rev()? + 1;
        self.put_setting("workflows_rev", &rev.to_string())
    }

    pub(crate) fn workflow(&self, id: &str) -> Result<Workflow> {
        let rows: Vec<WorkflowRow> = self
            .sql()
            .exec(
                "SELECT data, updated_at FROM workflows WHERE id = ?",
                vec![id.into()],
            )?
            .to_array()?;
        let row = rows
            .into_iter()
            .next()
            .ok_or_else(|| EdgeError::NotFound("unknown workflow".into()))?;
        Ok(serde_json::from_str(&row.data)?)
    }

    /// A pinned version, for runs that started before an edit.
    pub(crate) fn workflow_version(&self, id: &str, version: u32) -> Result<Workflow> {
        let rows: Vec<RunRow> = self
            .sql()
            .exec(
                "SELECT data FROM workflow_versions WHERE id = ? AND version = ?",
                vec![id.into(), i64::from(version).into()],
            )?
            .to_array()?;
        let row = rows
            .into_iter()
            .next()
            .ok_or_else(|| EdgeError::NotFound("unknown workflow version".into()))?;
        Ok(serde_json::from_str(&row.data)?)
    }

    pub(crate) fn workflow_listings(&self) -> Result<Vec<WorkflowListing>> {
        let rows: Vec<WorkflowRow> = self
            .sql()
            .exec(
                "SELECT data, updated_at FROM workflows ORDER BY updated_at DESC",
                None,
            )?
            .to_array()?;
        rows.into_iter()
            .map(|row| {
                let workflow: Workflow = serde_json::from_str(&row.data)?;
                let last_runs = self.workflow_runs(&workflow.id, 5)?;
                Ok(WorkflowListing {
                    workflow,
                    updated_at: row.updated_at,
                    last_runs,
                })
            })
            .collect()
    }

    pub(crate) fn active_workflows(&self) -> Result<ActiveWorkflows> {
        let rows: Vec<WorkflowRow> = self
            .sql()
            .exec(
                "SELECT data, updated_at FROM workflows WHERE enabled = 1 ORDER BY id",
                None,
            )?
            .to_array()?;
        Ok(ActiveWorkflows {
            rev: self.workflows_rev()?,
            workflows: rows
                .into_iter()
                .map(|r| serde_json::from_str(&r.data))
                .collect::<std::result::Result<_, _>>()?,
        })
    }

    /// Create (`id: None`) or save a new version. Validation problems come back itemised
    /// (step id + message) for the editor; a webhook trigger keeps its stored fingerprint
    /// (the editor never sees the secret).
    pub(crate) fn save_workflow(&self, id: Option<&str>, mut wf: Workflow) -> Result<Workflow> {
        let previous = match id {
            Some(id) => Some(self.workflow(id)?),
            None => None,
        };
        if previous.is_none() && self.workflow_count()? >= MAX_WORKFLOWS {
            return Err(EdgeError::BadRequest(format!(
                "a workspace has at most {MAX_WORKFLOWS} workflows"
            )));
        }
        wf.id = match id {
            Some(id) => id.to_owned(),
            None => new_id("w")?,
        };
        wf.version = previous.as_ref().map_or(1, |p| p.version + 1);
        if let Trigger::Webhook { secret_fingerprint } = &mut wf.trigger {
            *secret_fingerprint = match previous.as_ref().map(|p| &p.trigger) {
                Some(Trigger::Webhook { secret_fingerprint }) => secret_fingerprint.clone(),
                _ => String::new(),
            };
        }
        // A new webhook workflow has no secret until one is drawn (shown once, after saving);
        // enabling it still requires one.
        let problems = match &wf.trigger {
            Trigger::Webhook { secret_fingerprint } if secret_fingerprint.is_empty() => {
                let mut probe = wf.clone();
                probe.trigger = Trigger::Webhook {
                    secret_fingerprint: "0".repeat(64),
                };
                probe.validate()
            }
            _ => wf.validate(),
        };
        if !problems.is_empty() {
            return Err(EdgeError::Invalid {
                message: format!(
                    "the workflow has {} problem(s); nothing was saved",
                    problems.len()
                ),
                details: problems
                    .iter()
                    .map(serde_json::to_value)
                    .collect::<std::result::Result<_, _>>()?,
            });
        }
        self.store_workflow(&wf)?;
        Ok(wf)
    }

    fn store_workflow(&self, wf: &Workflow) -> Result<()> {
        let data = serde_json::to_string(wf)?;
        let now = now_millis();
        self.sql().exec(
            "INSERT INTO workflows (id, version, enabled, data, updated_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET version = excluded.version,
               enabled = excluded.enabled, data = excluded.data, updated_at = excluded.updated_at",
            vec![
                wf.id.as_str().into(),
                i64::from(wf.version).into(),
                i64::from(wf.enabled).into(),
                data.as_str().into(),
                now.into(),
            ],
        )?;
        self.sql().exec(
            "INSERT OR REPLACE INTO workflow_versions (id, version, data) VALUES (?, ?, ?)",
            vec![
                wf.id.as_str().into(),
                i64::from(wf.version).into(),
                data.into(),
            ],
        )?;
        self.bump_rev()
    }

    fn workflow_count(&self) -> Result<usize> {
        let rows: Vec<serde_json::Value> = self
            .sql()
            .exec("SELECT id FROM workflows", None)?
            .to_array()?;
        Ok(rows.len())
    }

    pub(crate) fn workflow_from_template(&self, template: Template) -> Result<Workflow> {
        let wf = template.build("new");
        self.save_workflow(None, wf)
    }

    /// Enabling or disabling is not an edit of the steps: the version stays.
    pub(crate) fn set_workflow_enabled(&self, id: &str, enabled: bool) -> Result<Workflow> {
        let mut wf = self.workflow(id)?;
        if enabled {
            let problems = wf.validate();
            if !problems.is_empty() {
                return Err(EdgeError::BadRequest(format!(
                    "fix the workflow before enabling it: {}",
                    problems[0].message
                )));
            }
        }
        wf.enabled = enabled;
        self.store_workflow(&wf)?;
        Ok(wf)
    }

    pub(crate) fn delete_workflow(&self, id: &str) -> Result<()> {
        self.workflow(id)?;
        self.sql()
            .exec("DELETE FROM workflows WHERE id = ?", vec![id.into()])?;
        self.bump_rev()
    }

    /// A new webhook secret, shown once; only its fingerprint is stored.
    pub(crate) fn new_webhook_secret(&self, id: &str) -> Result<String> {
        let mut wf = self.workflow(id)?;
        let Trigger::Webhook { secret_fingerprint } = &mut wf.trigger else {
            return Err(EdgeError::BadRequest(
                "only workflows with a webhook trigger have a secret".into(),
            ));
        };
        let secret: String = random_bytes(24)?
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        *secret_fingerprint = token::fingerprint(&secret);
        self.store_workflow(&wf)?;
        Ok(secret)
    }

    pub(crate) fn record_run(&self, run: &RunSummary) -> Result<()> {
        self.sql().exec(
            "INSERT OR REPLACE INTO workflow_runs (run_id, workflow_id, started_at, data)
             VALUES (?, ?, ?, ?)",
            vec![
                run.run_id.as_str().into(),
                run.log.workflow_id.as_str().into(),
                run.log.started_at.into(),
                serde_json::to_string(run)?.into(),
            ],
        )?;
        self.sql().exec(
            "DELETE FROM workflow_runs WHERE workflow_id = ? AND run_id NOT IN (
               SELECT run_id FROM workflow_runs WHERE workflow_id = ?
               ORDER BY started_at DESC LIMIT ?)",
            vec![
                run.log.workflow_id.as_str().into(),
                run.log.workflow_id.as_str().into(),
                RUNS_KEPT.into(),
            ],
        )?;
        Ok(())
    }

    pub(crate) fn automation_context(&self, ask: &ContextRequest) -> Result<AutomationContext> {
        let workflows = self.active_workflows()?.workflows;
        if workflows.is_empty() {
            // The common case for every new conversation: answer without building the roster.
            return Ok(AutomationContext {
                workflows,
                contact: Contact::new(&ask.contact_id),
                agents: Vec::new(),
                time_zone: "UTC".into(),
                business_hours: None,
            });
        }
        let statuses = self.agent_statuses("")?;
        let agents = self
            .roster()?
            .into_iter()
            .map(|info| {
                let status = statuses.iter().find(|s| s.profile.id == info.id);
                AgentFacts {
                    name: status.map(|s| s.profile.name.clone()).unwrap_or_default(),
                    open: status.map_or(0, |s| s.open),
                    info,
                }
            })
            .collect();
        Ok(AutomationContext {
            workflows,
            contact: self
                .stored_contact(&ask.contact_id)?
                .unwrap_or_else(|| Contact::new(&ask.contact_id)),
            agents,
            time_zone: self
                .setting("time_zone")?
                .unwrap_or_else(|| "UTC".to_owned()),
            business_hours: self.business_hours()?,
        })
    }

    /// Decide in the same turn as every other assignment (no double booking); the
    /// conversation applies an `Assign` decision itself, as the workflow.
    pub(crate) fn decide_for_workflow(&self, ask: DecideRequest) -> Result<Decision> {
        let request = self.with_owner(ask.request, &ask.contact_id)?;
        let mut state = self.assignment_state()?;
        let decision = state.decide(&ask.conversation_id, &request, &self.roster()?);
        self.save_assignment_state(&state)?;
        Ok(decision)
    }

    /// A webhook call: the workflow must exist, be enabled, have a webhook trigger and accept
    /// the secret (constant time); then the conversation it is about must be known here.
    pub(crate) fn check_hook(&self, id: &str, check: &HookCheck) -> Result<HookTarget> {
        let wf = self.workflow(id).map_err(|_| EdgeError::Unauthorized)?;
        if !matches!(wf.trigger, Trigger::Webhook { .. })
            || !wf.accepts_webhook_secret(&check.secret)
        {
            return Err(EdgeError::Unauthorized);
        }
        if !wf.enabled {
            return Err(EdgeError::Forbidden("this workflow is disabled".into()));
        }
        #[derive(Deserialize)]
        struct IdRow {
            id: String,
        }
        let found = match (&check.conversation_id, &check.contact_id) {
            (Some(cid), _) => self
                .sql()
                .exec(
                    "SELECT id FROM conversations WHERE id = ?",
                    vec![cid.as_str().into()],
                )?
                .to_array::<IdRow>()?
                .into_iter()
                .next()
                .map(|r| r.id),
            (None, Some(contact)) => self.latest_conversation_of(contact)?,
            (None, None) => {
                return Err(EdgeError::BadRequest(
                    "the body must name a conversation_id or a contact_id".into(),
                ))
            }
        };
        found
            .map(|conversation_id| HookTarget { conversation_id })
            .ok_or_else(|| EdgeError::NotFound("unknown conversation or contact".into()))
    }

    pub(crate) fn workflow_runs(&self, workflow_id: &str, limit: i64) -> Result<Vec<RunSummary>> {
        let rows: Vec<RunRow> = self
            .sql()
            .exec(
                "SELECT data FROM workflow_runs WHERE workflow_id = ?
                 ORDER BY started_at DESC LIMIT ?",
                vec![workflow_id.into(), limit.into()],
            )?
            .to_array()?;
        rows.into_iter()
            .map(|r| serde_json::from_str(&r.data).map_err(EdgeError::from))
            .collect()
    }
}

impl Workspace {
    /// Internal routes under `/workflows` and `/runs` (the Worker checks roles first).
    pub(crate) async fn workflow_route(
        &self,
        method: worker::Method,
        path: &str,
        mut req: worker::Request,
    ) -> Result<worker::Response> {
        use worker::{Method, Response};
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let bad = |e: serde_json::Error| EdgeError::BadRequest(format!("invalid workflow: {e}"));
        match (method, parts.as_slice()) {
            (Method::Get, ["workflows"]) => Ok(Response::from_json(&self.workflow_listings()?)?),
            (Method::Get, ["workflows", "active"]) => {
                Ok(Response::from_json(&self.active_workflows()?)?)
            }
            (Method::Post, ["workflows", "context"]) => {
                let ask: ContextRequest = req.json().await?;
                Ok(Response::from_json(&self.automation_context(&ask)?)?)
            }
            (Method::Post, ["workflows", "decide"]) => {
                let ask: DecideRequest = req.json().await?;
                Ok(Response::from_json(&self.decide_for_workflow(ask)?)?)
            }
            (Method::Post, ["workflows", "contact"]) => {
                let ask: ContactRequest = req.json().await?;
                Ok(Response::from_json(
                    &self.apply_contact_patch(&ask.contact_id, &ask.patch)?,
                )?)
            }
            (Method::Post, ["workflows"]) => {
                // `{"template": "…"}` starts from a template; anything else is a definition.
                let mut body: serde_json::Value = req.json().await?;
                // A new workflow gets its id here; whatever the client sent is ignored.
                if let Some(obj) = body.as_object_mut() {
                    obj.insert("id".into(), "new".into());
                }
                let wf = match body.get("template") {
                    Some(template) => {
                        let template: Template = serde_json::from_value(template.clone())
                            .map_err(|e| EdgeError::BadRequest(format!("unknown template: {e}")))?;
                        self.workflow_from_template(template)?
                    }
                    None => self.save_workflow(None, serde_json::from_value(body).map_err(bad)?)?,
                };
                Ok(Response::from_json(&wf)?)
            }
            (Method::Get, ["workflows", id]) => Ok(Response::from_json(&self.workflow(id)?)?),
            (Method::Put, ["workflows", id]) => {
                let text = req.text().await?;
                let wf: Workflow = serde_json::from_str(&text).map_err(bad)?;
                Ok(Response::from_json(&self.save_workflow(Some(id), wf)?)?)
            }
            (Method::Delete, ["workflows", id]) => {
                self.delete_workflow(id)?;
                Ok(Response::from_json(&true)?)
            }
            (Method::Post, ["workflows", id, "hook"]) => {
                let check: HookCheck = req.json().await?;
                Ok(Response::from_json(&self.check_hook(id, &check)?)?)
            }
            (Method::Put, ["workflows", id, "enabled"]) => {
                let enabled: bool = req.json().await?;
                Ok(Response::from_json(
                    &self.set_workflow_enabled(id, enabled)?,
                )?)
            }
            (Method::Post, ["workflows", id, "secret"]) => Ok(Response::from_json(
                &serde_json::json!({ "secret": self.new_webhook_secret(id)? }),
            )?),
            (Method::Get, ["workflows", id, "versions", version]) => {
                let version: u32 = version
                    .parse()
                    .map_err(|_| EdgeError::NotFound("unknown workflow version".into()))?;
                Ok(Response::from_json(&self.workflow_version(id, version)?)?)
            }
            (Method::Get, ["workflows", id, "runs"]) => {
                self.workflow(id)?;
                Ok(Response::from_json(&self.workflow_runs(id, RUNS_KEPT)?)?)
            }
            (Method::Post, ["runs"]) => {
                let run: RunSummary = req.json().await?;
                self.record_run(&run)?;
                Ok(Response::from_json(&true)?)
            }
            _ => Err(EdgeError::NotFound("no such workflow route".into())),
        }
    }
}
