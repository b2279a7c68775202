//! What the workflows page and the conversation's "Run workflow" menu show: the list the edge
//! answers, how a trigger and a run's outcome read, which workflows an agent may run by hand.
//! Pure, so the wording is tested natively.

use charla_shared::workflow::{Outcome, RunLog, Trigger, Workflow};
use serde::Deserialize;

use crate::workflows::form::trigger_label;
use crate::workflows::i18n::wt;

/// `GET /v1/inbox/workflows` line.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct WorkflowListing {
    pub workflow: Workflow,
    #[serde(default)]
    pub updated_at: i64,
    #[serde(default)]
    pub last_runs: Vec<RunSummary>,
}

/// One run as the run lists show it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RunSummary {
    pub run_id: String,
    #[serde(flatten)]
    pub log: RunLog,
}

/// `GET /v1/inbox/workflow-templates` line.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TemplateInfo {
    pub template: String,
    pub name: String,
    pub description: String,
}

/// The trigger in words, with its option.
pub fn trigger_summary(trigger: &Trigger) -> String {
    let label = trigger_label(trigger.name()).to_owned();
    match trigger {
        Trigger::ContactMessage {
            first_in_period_only: true,
        } => format!("{label}{}", wt().first_message_suffix),
        _ => label,
    }
}

/// `data-outcome` of a run: `running` until it has an outcome.
pub fn outcome_attr(outcome: Option<&Outcome>) -> &'static str {
    match outcome {
        None => "running",
        Some(Outcome::Completed) => "completed",
        Some(Outcome::StepLimit { .. }) => "step_limit",
        Some(Outcome::Failed { .. }) => "failed",
        Some(Outcome::Cancelled { .. }) => "cancelled",
    }
}

/// A run's outcome in words (the reason of a failure or cancellation is the run log's own).
pub fn outcome_label(outcome: Option<&Outcome>) -> String {
    let t = wt();
    match outcome {
        None => t.running.to_owned(),
        Some(Outcome::Completed) => t.completed.to_owned(),
        Some(Outcome::StepLimit { limit }) => t.stopped_after(*limit),
        Some(Outcome::Failed {
            step_id,
            reason,
            problem,
        }) => {
            let why = match problem {
                Some(p) => t.run_problem(p, reason),
                None => reason.clone(),
            };
            match step_id {
                Some(step) => t.failed_at(step, &why),
                None => t.failed(&why),
            }
        }
        Some(Outcome::Cancelled { reason }) => t.cancelled(reason),
    }
}

/// Workflows an agent may start from a conversation: enabled, run by hand or by shortcut;
/// by name.
pub fn runnable(listings: &[WorkflowListing]) -> Vec<Workflow> {
    let mut list: Vec<Workflow> = listings
        .iter()
        .map(|l| &l.workflow)
        .filter(|w| w.enabled && matches!(w.trigger, Trigger::Manual | Trigger::Shortcut))
        .cloned()
        .collect();
    list.sort_by_key(|w| w.name.to_lowercase());
    list
}

/// The path a webhook workflow is called at (the edge's origin goes in front).
pub fn webhook_path(workspace_id: &str, workflow_id: &str) -> String {
    format!("/v1/hooks/{workspace_id}/{workflow_id}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use charla_shared::workflow::Template;
    use serde_json::json;

    #[test]
    fn reads_the_edge_listing() {
        let wf = Template::UnassignAfterClose.build("w_1");
        let line = json!({
            "workflow": wf,
            "updated_at": 5,
            "last_runs": [{
                "run_id": "r_1", "workflow_id": "w_1", "version": 1, "conversation_id": "c_1",
                "trigger": "conversation_closed", "started_at": 10, "finished_at": 11,
                "steps_taken": 1,
                "steps": [{"step_id": "unassign", "action": "assign", "at": 10}],
                "errors": [], "outcome": {"type": "completed"}
            }]
        });
        let listing: WorkflowListing = serde_json::from_value(line).unwrap();
        let run = &listing.last_runs[0];
        assert_eq!(run.run_id, "r_1");
        assert_eq!(run.log.conversation_id, "c_1");
        assert_eq!(outcome_attr(run.log.outcome.as_ref()), "completed");
        assert_eq!(outcome_label(run.log.outcome.as_ref()), "Completed");
    }

    #[test]
    fn outcomes_in_words() {
        assert_eq!(outcome_label(None), "Running");
        assert_eq!(
            outcome_label(Some(&Outcome::StepLimit { limit: 100 })),
            "Stopped after 100 steps"
        );
        assert_eq!(
            outcome_label(Some(&Outcome::Failed {
                step_id: Some("http".into()),
                reason: "timed out".into(),
                problem: None,
            })),
            "Failed at http: timed out",
            "a run logged before the codes shows its English reason"
        );
        assert_eq!(
            outcome_label(Some(&Outcome::Failed {
                step_id: Some("http".into()),
                reason: "HTTP 503".into(),
                problem: Some(charla_shared::workflow::RunProblem::Http),
            })),
            "Failed at http: The HTTP request failed: HTTP 503"
        );
        assert_eq!(
            outcome_attr(Some(&Outcome::Cancelled { reason: "x".into() })),
            "cancelled"
        );
        assert_eq!(wt().steps_text(1), "1 step");
        assert_eq!(wt().steps_text(0), "0 steps");
        assert_eq!(
            crate::workflows::i18n::ES.stopped_after(100),
            "Detenida tras 100 pasos"
        );
    }

    #[test]
    fn only_enabled_manual_and_shortcut_workflows_are_runnable() {
        let listing = |t: Template, id: &str, enabled: bool| {
            let mut workflow = t.build(id);
            workflow.enabled = enabled;
            WorkflowListing {
                workflow,
                updated_at: 0,
                last_runs: Vec::new(),
            }
        };
        let mut manual = listing(Template::UnassignAfterClose, "w_m", true);
        manual.workflow.trigger = Trigger::Manual;
        manual.workflow.name = "b manual".into();
        let shortcut = listing(Template::CloseAndResumeBot, "w_s", true);
        let off = listing(Template::CloseAndResumeBot, "w_off", false);
        let closed = listing(Template::UnassignAfterClose, "w_c", true);
        let ids: Vec<String> = runnable(&[manual, shortcut.clone(), off, closed])
            .into_iter()
            .map(|w| w.id)
            .collect();
        assert_eq!(
            ids,
            ["w_m", "w_s"],
            "sorted by name: {:?}",
            shortcut.workflow.name
        );
    }

    #[test]
    fn triggers_and_webhooks() {
        assert_eq!(
            trigger_summary(&Trigger::ContactMessage {
                first_in_period_only: true
            }),
            "Contact sends a message (first message only)"
        );
        assert_eq!(
            trigger_summary(&Trigger::Shortcut),
            "Shortcut in a conversation"
        );
        assert_eq!(webhook_path("demo", "w_1"), "/v1/hooks/demo/w_1");
    }
}
