//! The workflow editor's model: a [`Workflow`] as the form edits it (texts as typed, a flat
//! record per step, condition rows and groups), back and forth. Pure, so loading, building,
//! the step list operations and the mapping of the server's itemised problems are tested
//! natively; the view only binds fields to it.
//!
//! Steps with many options (`ask_question`, `http_request`) and conditions the rows cannot
//! show (`not`, groups inside groups) are edited as JSON, checked when the workflow is built.

mod conditions;
mod problems;
mod step;
#[cfg(test)]
mod tests;

use charla_shared::workflow::{Condition, Step, Trigger, Workflow};

pub use super::step_kind::{step_label, StepKind};
pub use conditions::{
    op_label, op_value_hint, parse_op, value_json, ArmForm, CompareRow, CondList, CondNode, OPS,
};
pub use problems::{group_problems, problems_from_details, Problem};
pub use step::{json_step_problem, StepForm, WaitUnit};

use crate::workflows::i18n::{wt, wt_untracked, WorkflowTexts};
use conditions::build_node;
use step::build_step;

/// Trigger types, as the wire names them, in the editor's order.
pub const TRIGGERS: [&str; 8] = [
    "conversation_opened",
    "conversation_closed",
    "contact_message",
    "contact_tag_updated",
    "contact_field_updated",
    "manual",
    "shortcut",
    "webhook",
];

/// What the editor calls a trigger type, in the current language (tracked).
pub fn trigger_label(name: &str) -> &'static str {
    trigger_label_in(wt(), name)
}

pub fn trigger_label_in(t: &WorkflowTexts, name: &str) -> &'static str {
    match name {
        "conversation_opened" => t.trigger_conversation_opened,
        "conversation_closed" => t.trigger_conversation_closed,
        "contact_message" => t.trigger_contact_message,
        "contact_tag_updated" => t.trigger_contact_tag_updated,
        "contact_field_updated" => t.trigger_contact_field_updated,
        "manual" => t.trigger_manual,
        "shortcut" => t.trigger_shortcut,
        "webhook" => t.trigger_webhook,
        _ => t.trigger_unknown,
    }
}
/// Variables worth suggesting for a trigger (any other valid path may be typed).
pub fn variable_suggestions(trigger: &str) -> Vec<&'static str> {
    let mut vars = vec![
        "event.source",
        "event.type",
        "contact.name",
        "contact.email",
        "contact.phone",
        "contact.tags",
        "conversation.status",
        "conversation.assignee",
        "conversation.assigned",
        "conversation.team",
        "conversation.bot_paused",
        "agent.online",
        "agent.at_capacity",
        "agents.online_count",
        "business_hours.open",
        "now.weekday",
        "now.time",
        "vars.assignment.result",
        "vars.assignment.reason",
    ];
    let event: &[&'static str] = match trigger {
        "conversation_opened" => &["event.period"],
        "conversation_closed" => &["event.closing_category", "event.closing_summary"],
        "contact_message" => &["event.text", "event.first_in_period", "event.button"],
        "contact_tag_updated" => &["event.tag", "event.tag_change"],
        "contact_field_updated" => &["event.field", "event.old", "event.new"],
        "manual" | "shortcut" => &["event.agent_id", "event.agent_name"],
        "webhook" => &["event.body"],
        _ => &[],
    };
    vars.splice(2..2, event.iter().copied());
    vars
}
#[derive(Debug, Clone, PartialEq)]
pub struct WorkflowForm {
    /// `None` until the server has stored it.
    pub id: Option<String>,
    pub version: u32,
    pub enabled: bool,
    pub name: String,
    pub description: String,
    pub trigger: String,
    pub first_in_period_only: bool,
    /// Kept as stored (the server keeps its own anyway); never shown.
    pub secret_fingerprint: String,
    pub conditions: Vec<CondNode>,
    pub start: String,
    pub steps: Vec<StepForm>,
    next_key: u32,
}

impl Default for WorkflowForm {
    fn default() -> Self {
        WorkflowForm::new()
    }
}

impl WorkflowForm {
    /// A new workflow: run by hand, with one message step.
    pub fn new() -> Self {
        let mut form = WorkflowForm {
            id: None,
            version: 1,
            enabled: false,
            name: String::new(),
            description: String::new(),
            trigger: "manual".to_owned(),
            first_in_period_only: false,
            secret_fingerprint: String::new(),
            conditions: Vec::new(),
            start: String::new(),
            steps: Vec::new(),
            next_key: 1,
        };
        form.add_step(StepKind::SendMessage);
        form
    }

    fn key(&mut self) -> u32 {
        let key = self.next_key;
        self.next_key += 1;
        key
    }

    pub fn from_workflow(wf: &Workflow) -> Self {
        let mut form = WorkflowForm {
            id: Some(wf.id.clone()),
            version: wf.version,
            enabled: wf.enabled,
            name: wf.name.clone(),
            description: wf.description.clone(),
            trigger: wf.trigger.name().to_owned(),
            first_in_period_only: matches!(
                wf.trigger,
                Trigger::ContactMessage {
                    first_in_period_only: true
                }
            ),
            secret_fingerprint: match &wf.trigger {
                Trigger::Webhook { secret_fingerprint } => secret_fingerprint.clone(),
                _ => String::new(),
            },
            conditions: Vec::new(),
            start: wf.start.clone(),
            steps: Vec::new(),
            next_key: 1,
        };
        let conditions = wf.conditions.iter().map(|c| form.node_from(c)).collect();
        let steps = wf.steps.iter().map(|s| form.step_from(s)).collect();
        form.conditions = conditions;
        form.steps = steps;
        form
    }

    pub fn step(&self, key: u32) -> Option<&StepForm> {
        self.steps.iter().find(|s| s.key == key)
    }

    pub fn step_mut(&mut self, key: u32) -> Option<&mut StepForm> {
        self.steps.iter_mut().find(|s| s.key == key)
    }

    pub fn step_ids(&self) -> Vec<String> {
        self.steps.iter().map(|s| s.id.clone()).collect()
    }

    fn fresh_id(&self) -> String {
        (self.steps.len() + 1..)
            .map(|n| format!("step_{n}"))
            .find(|id| self.steps.iter().all(|s| s.id != *id))
            .unwrap_or_default()
    }

    /// Append a step of `kind`. The first step becomes the start; a last step that ended the
    /// run now leads to the new one, so a list built top to bottom runs top to bottom.
    pub fn add_step(&mut self, kind: StepKind) -> u32 {
        let key = self.key();
        let id = self.fresh_id();
        if let Some(last) = self.steps.last_mut() {
            if last.next.is_empty() && last.has_next() {
                last.next = id.clone();
            }
        }
        if self.steps.is_empty() {
            self.start = id.clone();
        }
        self.steps.push(StepForm::blank(key, id, kind));
        key
    }

    /// Remove a step; whatever pointed to it now ends the run (the start moves to the first
    /// remaining step).
    pub fn remove_step(&mut self, key: u32) {
        let Some(pos) = self.steps.iter().position(|s| s.key == key) else {
            return;
        };
        let removed = self.steps.remove(pos);
        let still_used = self.steps.iter().any(|s| s.id == removed.id);
        if !still_used {
            for step in &mut self.steps {
                for r in step.references_mut() {
                    if *r == removed.id {
                        r.clear();
                    }
                }
            }
            if self.start == removed.id {
                self.start = self.steps.first().map(|s| s.id.clone()).unwrap_or_default();
            }
        }
    }

    /// Move a step up (`-1`) or down (`1`) in the list. Order is only how it reads: the run
    /// follows `next`.
    pub fn move_step(&mut self, key: u32, delta: isize) {
        let Some(pos) = self.steps.iter().position(|s| s.key == key) else {
            return;
        };
        let Some(to) = pos
            .checked_add_signed(delta)
            .filter(|&t| t < self.steps.len())
        else {
            return;
        };
        self.steps.swap(pos, to);
    }

    /// Give a step a new id. References follow when the new id is free (typing over another
    /// step's id is left for the server to report).
    pub fn rename_step(&mut self, key: u32, new_id: &str) {
        let new_id = new_id.trim().to_owned();
        let Some(old) = self.step(key).map(|s| s.id.clone()) else {
            return;
        };
        if old == new_id {
            return;
        }
        let taken = self.steps.iter().any(|s| s.key != key && s.id == new_id);
        let shared = self.steps.iter().any(|s| s.key != key && s.id == old);
        if let Some(step) = self.step_mut(key) {
            step.id = new_id.clone();
        }
        if taken || shared || new_id.is_empty() {
            return;
        }
        for step in &mut self.steps {
            for r in step.references_mut() {
                if *r == old {
                    *r = new_id.clone();
                }
            }
        }
        if self.start == old {
            self.start = new_id;
        }
    }

    pub fn set_kind(&mut self, key: u32, kind: StepKind) {
        if let Some(step) = self.step_mut(key) {
            step.kind = kind;
            if kind.is_json() && step.json.trim().is_empty() {
                step.json = kind.default_json().to_owned();
            }
            if !step.has_next() {
                step.next.clear();
            }
        }
    }

    /// The workflow to send, or every problem the form itself can see (JSON that does not
    /// parse, a wait that is not a number). Everything else is the server's to check.
    pub fn to_workflow(&self) -> Result<Workflow, Vec<Problem>> {
        let mut problems = Vec::new();
        let trigger = match self.trigger.as_str() {
            "conversation_opened" => Trigger::ConversationOpened,
            "conversation_closed" => Trigger::ConversationClosed,
            "contact_message" => Trigger::ContactMessage {
                first_in_period_only: self.first_in_period_only,
            },
            "contact_tag_updated" => Trigger::ContactTagUpdated,
            "contact_field_updated" => Trigger::ContactFieldUpdated,
            "shortcut" => Trigger::Shortcut,
            "webhook" => Trigger::Webhook {
                secret_fingerprint: self.secret_fingerprint.clone(),
            },
            _ => Trigger::Manual,
        };
        let conditions: Vec<Condition> = self
            .conditions
            .iter()
            .filter_map(|n| match build_node(n) {
                Ok(c) => Some(c),
                Err(e) => {
                    problems.push(Problem::general(format!(
                        "{}{e}",
                        wt_untracked().form_trigger_conditions
                    )));
                    None
                }
            })
            .collect();
        let steps: Vec<Step> = self
            .steps
            .iter()
            .filter_map(|s| match build_step(s) {
                Ok(step) => Some(step),
                Err(e) => {
                    problems.extend(e.into_iter().map(|m| Problem::step(&s.id, m)));
                    None
                }
            })
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Workflow {
            id: self.id.clone().unwrap_or_else(|| "new".to_owned()),
            version: self.version,
            name: self.name.trim().to_owned(),
            description: self.description.trim().to_owned(),
            enabled: self.enabled,
            trigger,
            conditions,
            start: self.start.clone(),
            steps,
        })
    }
}
