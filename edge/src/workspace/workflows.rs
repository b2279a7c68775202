//! The workflow store in the Workspace DO: definitions with every saved version kept (a run
//! pins the version it started with), enable/disable, templates, webhook secrets, and the
//! per-workflow run list the Conversation DOs report into. Running is the Conversation DO's job
//! (`conversation/automation.rs`); the rules are `charla_shared::workflow`.

use charla_shared::assignment::{Decision, Who};
use charla_shared::contact::Contact;
use charla_shared::token;
use charla_shared::workflow::{AgentFacts, Template, Trigger, Workflow};
use serde::Deserialize;

use super::agents::Viewer;
use super::masking::{masked, unmasked};
use super::store::Workspace;
use crate::error::{EdgeError, Result};
use crate::ids::{new_id, now_millis, random_bytes};
use crate::internal::workspace::{
    AutomationContext, DecideRequest, HookCheck, HookTarget, MessageWorkflows, RunSummary,
    WorkflowListing,
};

/// Most workflows per workspace (each event is matched against all enabled ones).
const MAX_WORKFLOWS: usize = 100;
/// Run-list entries kept per workflow.
const RUNS_KEPT: i64 = 200;

/// A definition the editor sent that is not a workflow.
fn invalid(e: serde_json::Error) -> EdgeError {
    EdgeError::BadRequest(format!("invalid workflow: {e}"))
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
    pub(super) fn workflow(&self, id: &str) -> Result<Workflow> {
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

    /// The list every agent reads: credentials masked for everyone (an editor opens one
    /// workflow to see them), runs only of conversations the viewer may see.
    pub(super) fn workflow_listings(&self, viewer: &Viewer) -> Result<Vec<WorkflowListing>> {
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
                let last_runs = self.workflow_runs(&workflow.id, 5, viewer)?;
                Ok(WorkflowListing {
                    workflow: masked(workflow),
                    updated_at: row.updated_at,
                    last_runs,
                })
            })
            .collect()
    }

    /// The enabled workflows, every event is offered to.
    /// Which contact messages the enabled workflows listen for (kept until a workflow changes).
    pub(super) fn message_workflows(&self) -> Result<MessageWorkflows> {
        if let Some(known) = self.message_workflows.get() {
            return Ok(known);
        }
        let listening = self
            .active_workflows()?
            .iter()
            .filter_map(|w| match w.trigger {
                Trigger::ContactMessage {
                    first_in_period_only: true,
                } => Some(MessageWorkflows::FirstOnly),
                Trigger::ContactMessage { .. } => Some(MessageWorkflows::Any),
                _ => None,
            })
            .max_by_key(|m| *m == MessageWorkflows::Any)
            .unwrap_or_default();
        self.message_workflows.set(Some(listening));
        Ok(listening)
    }

    fn active_workflows(&self) -> Result<Vec<Workflow>> {
        let rows: Vec<WorkflowRow> = self
            .sql()
            .exec(
                "SELECT data, updated_at FROM workflows WHERE enabled = 1 ORDER BY id",
                None,
            )?
            .to_array()?;
        Ok(rows
            .into_iter()
            .map(|r| serde_json::from_str(&r.data))
            .collect::<std::result::Result<_, _>>()?)
    }

    /// One workflow, credentials only to those who edit workflows.
    pub(super) fn workflow_for(&self, viewer: &Viewer, id: &str) -> Result<Workflow> {
        let wf = self.workflow(id)?;
        Ok(if viewer.role.can_manage() {
            wf
        } else {
            masked(wf)
        })
    }

    /// A new workflow from `{"template": "…"}` or from a definition. It gets its id here;
    /// whatever the client sent is ignored.
    pub(super) fn create_workflow(&self, mut body: serde_json::Value) -> Result<Workflow> {
        if let Some(obj) = body.as_object_mut() {
            obj.insert("id".into(), "new".into());
        }
        match body.get("template") {
            Some(template) => {
                let template: Template = serde_json::from_value(template.clone())
                    .map_err(|e| EdgeError::BadRequest(format!("unknown template: {e}")))?;
                self.workflow_from_template(template)
            }
            None => self.save_workflow(None, serde_json::from_value(body).map_err(invalid)?),
        }
    }

    /// A new version of workflow `id` from the editor's definition.
    pub(super) fn edit_workflow(&self, id: &str, body: &serde_json::Value) -> Result<Workflow> {
        // Parsed from its text, so a refusal says where (line and column) it went wrong.
        let wf: Workflow = serde_json::from_str(&body.to_string()).map_err(invalid)?;
        self.save_workflow(Some(id), wf)
    }

    /// Create (`id: None`) or save a new version. Validation problems come back itemised
    /// (step id + message) for the editor; a webhook trigger keeps its stored fingerprint
    /// (the editor never sees the secret).
    fn save_workflow(&self, id: Option<&str>, mut wf: Workflow) -> Result<Workflow> {
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
        let mut wf = unmasked(wf, previous.as_ref())?;
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
        Ok(())
    }

    fn workflow_count(&self) -> Result<usize> {
        let rows: Vec<serde_json::Value> = self
            .sql()
            .exec("SELECT id FROM workflows", None)?
            .to_array()?;
        Ok(rows.len())
    }

    fn workflow_from_template(&self, template: Template) -> Result<Workflow> {
        let wf = template.build("new");
        self.save_workflow(None, wf)
    }

    /// Enabling or disabling is not an edit of the steps: the version stays.
    pub(super) fn set_workflow_enabled(&self, id: &str, enabled: bool) -> Result<Workflow> {
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

    pub(super) fn delete_workflow(&self, id: &str) -> Result<()> {
        self.workflow(id)?;
        self.sql()
            .exec("DELETE FROM workflows WHERE id = ?", vec![id.into()])?;
        Ok(())
    }

    /// A new webhook secret, shown once; only its fingerprint is stored.
    pub(super) fn new_webhook_secret(&self, id: &str) -> Result<String> {
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

    pub(super) fn record_run(&self, run: &RunSummary) -> Result<()> {
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

    pub(super) fn automation_context(&self, contact_id: &str) -> Result<AutomationContext> {
        let workflows = self.active_workflows()?;
        if workflows.is_empty() {
            // The common case for every new conversation: answer without building the roster.
            return Ok(AutomationContext {
                workflows,
                contact: Contact::new(contact_id),
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
                .stored_contact(contact_id)?
                .unwrap_or_else(|| Contact::new(contact_id)),
            agents,
            time_zone: self
                .setting("time_zone")?
                .unwrap_or_else(|| "UTC".to_owned()),
            business_hours: self.business_hours()?,
        })
    }

    /// Decide in the same turn as every other assignment (no double booking); the
    /// conversation applies an `Assign` decision itself, as the workflow.
    pub(super) fn decide_for_workflow(&self, ask: DecideRequest) -> Result<Decision> {
        self.check_references(&ask.request.who)?;
        let request = self.with_owner(ask.request, &ask.contact_id)?;
        let mut state = self.assignment_state()?;
        let decision = state.decide(&ask.conversation_id, &request, &self.roster()?);
        self.save_assignment_state(&state)?;
        Ok(decision)
    }

    /// The agent and team an Assign To step names must exist in this workspace now (a step
    /// saved before one was removed fails, rather than queueing for or storing a ghost).
    fn check_references(&self, who: &Who) -> Result<()> {
        match self.missing_reference(who)? {
            Some((kind, _)) => Err(EdgeError::NotFound(format!(
                "the {} this step assigns to is not in the workspace",
                kind.noun()
            ))),
            None => Ok(()),
        }
    }

    /// A webhook call: the workflow must exist, be enabled, have a webhook trigger and accept
    /// the secret (constant time); then the conversation it is about must be known here.
    pub(super) fn check_hook(&self, id: &str, check: &HookCheck) -> Result<HookTarget> {
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

    /// A workflow's run list (as many as are kept) for `viewer`.
    pub(super) fn run_list(&self, viewer: &Viewer, workflow_id: &str) -> Result<Vec<RunSummary>> {
        self.workflow(workflow_id)?;
        self.workflow_runs(workflow_id, RUNS_KEPT, viewer)
    }

    /// A workflow's latest runs among those on conversations `viewer` may see (by the inbox
    /// index, as the conversation list applies it).
    fn workflow_runs(
        &self,
        workflow_id: &str,
        limit: i64,
        viewer: &Viewer,
    ) -> Result<Vec<RunSummary>> {
        let all = !viewer.restricted();
        let rows: Vec<RunRow> = self
            .sql()
            .exec(
                "SELECT r.data FROM workflow_runs r
                 LEFT JOIN conversations c ON c.id = json_extract(r.data, '$.conversation_id')
                 WHERE r.workflow_id = ?
                   AND (? OR (c.id IS NOT NULL AND (c.assignee_id IS NULL OR c.assignee_id = ?)))
                 ORDER BY r.started_at DESC LIMIT ?",
                vec![
                    workflow_id.into(),
                    i64::from(all).into(),
                    viewer.id.as_str().into(),
                    limit.into(),
                ],
            )?
            .to_array()?;
        rows.into_iter()
            .map(|r| serde_json::from_str(&r.data).map_err(EdgeError::from))
            .collect()
    }
}
