//! The workflow editor's model: a [`Workflow`] as the form edits it (texts as typed, a flat
//! record per step, condition rows and groups), back and forth. Pure, so loading, building,
//! the step list operations and the mapping of the server's itemised problems are tested
//! natively; the view only binds fields to it.
//!
//! Steps with many options (`ask_question`, `http_request`) and conditions the rows cannot
//! show (`not`, groups inside groups) are edited as JSON, checked when the workflow is built.

use std::collections::BTreeMap;

use charla_shared::assignment::{Fallback, Method};
use charla_shared::lifecycle::ClosingNote;
use charla_shared::protocol::Millis;
use charla_shared::workflow::{Action, Arm, AssignTarget, Condition, Op, Step, Trigger, Workflow};
use serde_json::Value;

/// Trigger types, as the wire names them, with what the editor calls them.
pub const TRIGGERS: [(&str, &str); 8] = [
    ("conversation_opened", "Conversation opened"),
    ("conversation_closed", "Conversation closed"),
    ("contact_message", "Contact sends a message"),
    ("contact_tag_updated", "Contact tag updated"),
    ("contact_field_updated", "Contact field updated"),
    ("manual", "Run manually from a conversation"),
    ("shortcut", "Shortcut in a conversation"),
    ("webhook", "Incoming webhook"),
];

/// Step types, as the wire names them, with what the editor calls them.
pub const STEP_KINDS: [(&str, &str); 18] = [
    ("send_message", "Send message"),
    ("ask_question", "Ask a question"),
    ("assign", "Assign to"),
    ("branch", "Branch"),
    ("add_tag", "Add tags"),
    ("remove_tag", "Remove tags"),
    ("update_field", "Update contact field"),
    ("open_conversation", "Open conversation"),
    ("close_conversation", "Close conversation"),
    ("internal_comment", "Internal comment"),
    ("pause_bot", "Pause bot"),
    ("resume_bot", "Resume bot"),
    ("wait", "Wait"),
    ("wait_for_business_hours", "Wait for business hours"),
    ("http_request", "HTTP request"),
    ("jump", "Jump to step"),
    ("trigger_workflow", "Trigger another workflow"),
    ("end", "End"),
];

/// Step types edited as JSON rather than with their own fields.
pub const JSON_KINDS: [&str; 2] = ["ask_question", "http_request"];

/// Comparison operators with their labels, in the order the select lists them.
pub const OPS: [(Op, &str); 15] = [
    (Op::Equals, "equals"),
    (Op::NotEquals, "does not equal"),
    (Op::Contains, "contains"),
    (Op::NotContains, "does not contain"),
    (Op::StartsWith, "starts with"),
    (Op::EndsWith, "ends with"),
    (Op::OneOf, "is one of"),
    (Op::NotOneOf, "is not one of"),
    (Op::IsSet, "is set"),
    (Op::IsNotSet, "is not set"),
    (Op::GreaterThan, "is greater than"),
    (Op::LessThan, "is less than"),
    (Op::Between, "is between"),
    (Op::IsTrue, "is true"),
    (Op::IsFalse, "is false"),
];

pub fn trigger_label(name: &str) -> &'static str {
    TRIGGERS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("Unknown trigger", |(_, label)| label)
}

pub fn step_label(kind: &str) -> &'static str {
    STEP_KINDS
        .iter()
        .find(|(n, _)| *n == kind)
        .map_or("Unknown step", |(_, label)| label)
}

pub fn op_label(op: Op) -> &'static str {
    OPS.iter()
        .find(|(o, _)| *o == op)
        .map_or("?", |(_, label)| label)
}

pub fn parse_op(name: &str) -> Option<Op> {
    Op::ALL.into_iter().find(|op| op.name() == name)
}

/// Whether an operator takes a value, and what kind of value the field should hint at.
pub fn op_value_hint(op: Op) -> Option<&'static str> {
    match op {
        Op::IsSet | Op::IsNotSet | Op::IsTrue | Op::IsFalse => None,
        Op::OneOf | Op::NotOneOf => Some("values, separated by commas"),
        Op::Between => Some("low, high"),
        _ => Some("value"),
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

/// One comparison row: `var op value`, the value as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareRow {
    pub key: u32,
    pub var: String,
    pub op: Op,
    pub value: String,
}

/// One line of a condition list: a comparison, a group of comparisons (all/any), or JSON for
/// what rows cannot show.
#[derive(Debug, Clone, PartialEq)]
pub enum CondNode {
    Compare(CompareRow),
    Group {
        key: u32,
        any: bool,
        rows: Vec<CompareRow>,
    },
    Raw {
        key: u32,
        json: String,
    },
}

impl CondNode {
    pub fn key(&self) -> u32 {
        match self {
            CondNode::Compare(row) => row.key,
            CondNode::Group { key, .. } | CondNode::Raw { key, .. } => *key,
        }
    }
}

/// A branch arm: conditions that must all hold, and where it leads.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmForm {
    pub key: u32,
    pub conditions: Vec<CondNode>,
    pub next: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitUnit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

impl WaitUnit {
    pub const ALL: [WaitUnit; 4] = [
        WaitUnit::Seconds,
        WaitUnit::Minutes,
        WaitUnit::Hours,
        WaitUnit::Days,
    ];

    pub fn millis(self) -> Millis {
        match self {
            WaitUnit::Seconds => 1_000,
            WaitUnit::Minutes => 60_000,
            WaitUnit::Hours => 3_600_000,
            WaitUnit::Days => 86_400_000,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            WaitUnit::Seconds => "seconds",
            WaitUnit::Minutes => "minutes",
            WaitUnit::Hours => "hours",
            WaitUnit::Days => "days",
        }
    }

    pub fn parse(name: &str) -> Option<WaitUnit> {
        WaitUnit::ALL.into_iter().find(|u| u.name() == name)
    }

    /// The largest unit that holds `ms` whole (seconds at least).
    fn of(ms: Millis) -> WaitUnit {
        WaitUnit::ALL
            .into_iter()
            .rev()
            .find(|u| ms % u.millis() == 0)
            .unwrap_or(WaitUnit::Seconds)
    }
}

/// One step as the form holds it: the fields of every type (switching type keeps what was
/// typed), only those of `kind` are used when building.
#[derive(Debug, Clone, PartialEq)]
pub struct StepForm {
    pub key: u32,
    pub id: String,
    pub kind: String,
    /// Next step id; empty ends the run.
    pub next: String,
    /// `send_message`, `internal_comment`.
    pub text: String,
    /// `assign`: `agent`, `team`, `workspace`, `dedicated` or `unassign`.
    pub assign_to: String,
    pub agent_id: String,
    pub team_id: String,
    pub owner_field: String,
    /// `team`, `workspace` or `wait_for_owner`.
    pub fallback: String,
    pub fallback_team: String,
    pub method: Method,
    pub online_only: bool,
    pub queue: bool,
    pub max_open: String,
    pub on_unavailable: String,
    /// `add_tag`, `remove_tag`: comma-separated.
    pub tags: String,
    /// `update_field`.
    pub field: String,
    pub value: String,
    /// `close_conversation`.
    pub category: String,
    pub summary: String,
    /// `wait`.
    pub wait_amount: String,
    pub wait_unit: WaitUnit,
    /// `branch`.
    pub arms: Vec<ArmForm>,
    /// `jump`.
    pub target: String,
    /// `trigger_workflow`.
    pub workflow_id: String,
    /// The step's settings as JSON (without `id`, `type`, `next`) for [`JSON_KINDS`].
    pub json: String,
}

impl StepForm {
    fn blank(key: u32, id: String, kind: &str) -> Self {
        StepForm {
            key,
            id,
            kind: kind.to_owned(),
            next: String::new(),
            text: String::new(),
            assign_to: "agent".to_owned(),
            agent_id: String::new(),
            team_id: String::new(),
            owner_field: "owner".to_owned(),
            fallback: "workspace".to_owned(),
            fallback_team: String::new(),
            method: Method::default(),
            online_only: false,
            queue: false,
            max_open: String::new(),
            on_unavailable: String::new(),
            tags: String::new(),
            field: String::new(),
            value: String::new(),
            category: String::new(),
            summary: String::new(),
            wait_amount: "5".to_owned(),
            wait_unit: WaitUnit::Minutes,
            arms: Vec::new(),
            target: String::new(),
            workflow_id: String::new(),
            json: default_json(kind),
        }
    }

    /// Whether the step may have a next step (`jump` and `end` may not).
    pub fn has_next(&self) -> bool {
        !matches!(self.kind.as_str(), "jump" | "end")
    }

    pub fn is_json(&self) -> bool {
        JSON_KINDS.contains(&self.kind.as_str())
    }

    /// Every step id this step points to, for renames and removals.
    fn references_mut(&mut self) -> Vec<&mut String> {
        let mut refs = vec![&mut self.next, &mut self.on_unavailable, &mut self.target];
        refs.extend(self.arms.iter_mut().map(|a| &mut a.next));
        refs
    }
}

fn default_json(kind: &str) -> String {
    match kind {
        "ask_question" => {
            "{\n  \"prompt\": \"\",\n  \"kind\": \"text\",\n  \"save_as\": \"answer\"\n}"
        }
        "http_request" => "{\n  \"method\": \"GET\",\n  \"url\": \"https://\"\n}",
        _ => "",
    }
    .to_owned()
}

/// A problem to show: on a step (by its id) or on the workflow as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub step_id: Option<String>,
    pub message: String,
}

impl Problem {
    fn step(id: &str, message: impl Into<String>) -> Self {
        Problem {
            step_id: Some(id.to_owned()),
            message: message.into(),
        }
    }

    fn general(message: impl Into<String>) -> Self {
        Problem {
            step_id: None,
            message: message.into(),
        }
    }
}

/// The server's itemised problems (`details` of a 400: `[{step_id?, message}]`), split into
/// those about a step of the form and the rest. A step id the form no longer has counts as
/// general, so no problem is ever hidden.
pub fn problems_from_details(details: &[Value], step_ids: &[String]) -> Vec<Problem> {
    details
        .iter()
        .filter_map(|d| {
            let message = d.get("message")?.as_str()?.to_owned();
            let step_id = d
                .get("step_id")
                .and_then(Value::as_str)
                .filter(|id| step_ids.iter().any(|s| s == id))
                .map(str::to_owned);
            Some(Problem { step_id, message })
        })
        .collect()
}

/// Problems grouped for display: general ones, and per step id.
pub fn group_problems(problems: &[Problem]) -> (Vec<String>, BTreeMap<String, Vec<String>>) {
    let mut general = Vec::new();
    let mut by_step: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in problems {
        match &p.step_id {
            Some(id) => by_step
                .entry(id.clone())
                .or_default()
                .push(p.message.clone()),
            None => general.push(p.message.clone()),
        }
    }
    (general, by_step)
}

/// Which condition list an edit is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CondList {
    Trigger,
    Arm { step: u32, arm: u32 },
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
        form.add_step("send_message");
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

    fn row_from(&mut self, var: &str, op: Op, value: &Value) -> CompareRow {
        CompareRow {
            key: self.key(),
            var: var.to_owned(),
            op,
            value: value_text(value),
        }
    }

    fn node_from(&mut self, condition: &Condition) -> CondNode {
        match condition {
            Condition::Compare { var, op, value } => {
                CondNode::Compare(self.row_from(var, *op, value))
            }
            Condition::All { conditions } | Condition::Any { conditions }
                if !conditions.is_empty()
                    && conditions
                        .iter()
                        .all(|c| matches!(c, Condition::Compare { .. })) =>
            {
                let any = matches!(condition, Condition::Any { .. });
                let rows = conditions
                    .iter()
                    .filter_map(|c| match c {
                        Condition::Compare { var, op, value } => {
                            Some(self.row_from(var, *op, value))
                        }
                        _ => None,
                    })
                    .collect();
                CondNode::Group {
                    key: self.key(),
                    any,
                    rows,
                }
            }
            other => CondNode::Raw {
                key: self.key(),
                json: serde_json::to_string_pretty(other).unwrap_or_default(),
            },
        }
    }

    /// An arm's condition as a list that must all hold: `all` of several is shown as its rows.
    fn arm_nodes(&mut self, condition: &Condition) -> Vec<CondNode> {
        match condition {
            Condition::All { conditions } if !conditions.is_empty() => {
                conditions.iter().map(|c| self.node_from(c)).collect()
            }
            other => vec![self.node_from(other)],
        }
    }

    fn step_from(&mut self, step: &Step) -> StepForm {
        let key = self.key();
        let mut f = StepForm::blank(key, step.id.clone(), step.action.name());
        f.json.clear();
        f.next = step.next.clone().unwrap_or_default();
        match &step.action {
            Action::SendMessage { text } | Action::InternalComment { text } => {
                f.text = text.clone();
            }
            Action::Assign {
                to,
                method,
                online_only,
                max_open,
                queue,
                on_unavailable,
            } => {
                f.assign_to = match to {
                    AssignTarget::Agent { agent_id } => {
                        f.agent_id = agent_id.clone();
                        "agent"
                    }
                    AssignTarget::Team { team_id } => {
                        f.team_id = team_id.clone();
                        "team"
                    }
                    AssignTarget::Workspace => "workspace",
                    AssignTarget::Dedicated {
                        owner_field,
                        fallback,
                    } => {
                        f.owner_field = owner_field.clone();
                        f.fallback = match fallback {
                            Fallback::Team { team_id } => {
                                f.fallback_team = team_id.clone();
                                "team"
                            }
                            Fallback::Workspace => "workspace",
                            Fallback::WaitForOwner => "wait_for_owner",
                        }
                        .to_owned();
                        "dedicated"
                    }
                    AssignTarget::Unassign => "unassign",
                }
                .to_owned();
                f.method = *method;
                f.online_only = *online_only;
                f.queue = *queue;
                f.max_open = max_open.map(|m| m.to_string()).unwrap_or_default();
                f.on_unavailable = on_unavailable.clone().unwrap_or_default();
            }
            Action::Branch { arms } => {
                f.arms = arms
                    .iter()
                    .map(|arm| ArmForm {
                        key: self.key(),
                        conditions: self.arm_nodes(&arm.condition),
                        next: arm.next.clone().unwrap_or_default(),
                    })
                    .collect();
            }
            Action::AddTag { tags } | Action::RemoveTag { tags } => f.tags = tags.join(", "),
            Action::UpdateField { field, value } => {
                f.field = field.clone();
                f.value = value.clone();
            }
            Action::CloseConversation { note } => {
                f.category = note.category.clone().unwrap_or_default();
                f.summary = note.summary.clone().unwrap_or_default();
            }
            Action::Wait { duration_ms } => {
                let unit = WaitUnit::of(*duration_ms);
                f.wait_unit = unit;
                f.wait_amount = (duration_ms / unit.millis()).to_string();
                if duration_ms % unit.millis() != 0 {
                    f.wait_amount = format!("{}", *duration_ms as f64 / unit.millis() as f64);
                }
            }
            Action::Jump { target } => f.target = target.clone(),
            Action::TriggerWorkflow { workflow_id } => f.workflow_id = workflow_id.clone(),
            Action::AskQuestion(_) | Action::HttpRequest(_) => f.json = step_json(step),
            Action::OpenConversation
            | Action::PauseBot
            | Action::ResumeBot
            | Action::WaitForBusinessHours
            | Action::End => {}
        }
        if f.json.is_empty() {
            f.json = default_json(&f.kind);
        }
        f
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
    pub fn add_step(&mut self, kind: &str) -> u32 {
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

    pub fn set_kind(&mut self, key: u32, kind: &str) {
        if let Some(step) = self.step_mut(key) {
            step.kind = kind.to_owned();
            if step.is_json() && step.json.trim().is_empty() {
                step.json = default_json(kind);
            }
            if !step.has_next() {
                step.next.clear();
            }
        }
    }

    pub fn add_arm(&mut self, step: u32) {
        let arm = self.key();
        let row = self.key();
        if let Some(s) = self.step_mut(step) {
            s.arms.push(ArmForm {
                key: arm,
                conditions: vec![CondNode::Compare(CompareRow {
                    key: row,
                    var: String::new(),
                    op: Op::Equals,
                    value: String::new(),
                })],
                next: String::new(),
            });
        }
    }

    pub fn remove_arm(&mut self, step: u32, arm: u32) {
        if let Some(s) = self.step_mut(step) {
            s.arms.retain(|a| a.key != arm);
        }
    }

    pub fn conditions(&self, list: CondList) -> Option<&Vec<CondNode>> {
        match list {
            CondList::Trigger => Some(&self.conditions),
            CondList::Arm { step, arm } => self
                .step(step)?
                .arms
                .iter()
                .find(|a| a.key == arm)
                .map(|a| &a.conditions),
        }
    }

    pub fn conditions_mut(&mut self, list: CondList) -> Option<&mut Vec<CondNode>> {
        match list {
            CondList::Trigger => Some(&mut self.conditions),
            CondList::Arm { step, arm } => self
                .step_mut(step)?
                .arms
                .iter_mut()
                .find(|a| a.key == arm)
                .map(|a| &mut a.conditions),
        }
    }

    fn blank_row(&mut self) -> CompareRow {
        CompareRow {
            key: self.key(),
            var: String::new(),
            op: Op::Equals,
            value: String::new(),
        }
    }

    /// Add a comparison to a list, or a group of one comparison (`group: Some(any)`).
    pub fn add_condition(&mut self, list: CondList, group: Option<bool>) {
        let node = match group {
            None => CondNode::Compare(self.blank_row()),
            Some(any) => CondNode::Group {
                key: self.key(),
                any,
                rows: vec![self.blank_row()],
            },
        };
        if let Some(nodes) = self.conditions_mut(list) {
            nodes.push(node);
        }
    }

    pub fn remove_condition(&mut self, list: CondList, node: u32) {
        if let Some(nodes) = self.conditions_mut(list) {
            nodes.retain(|n| n.key() != node);
        }
    }

    /// Add a comparison inside a group.
    pub fn add_group_row(&mut self, list: CondList, group: u32) {
        let row = self.blank_row();
        if let Some(CondNode::Group { rows, .. }) = self
            .conditions_mut(list)
            .and_then(|nodes| nodes.iter_mut().find(|n| n.key() == group))
        {
            rows.push(row);
        }
    }

    /// Remove a comparison from a group; an emptied group goes too.
    pub fn remove_group_row(&mut self, list: CondList, group: u32, row: u32) {
        if let Some(nodes) = self.conditions_mut(list) {
            for n in nodes.iter_mut() {
                if let CondNode::Group { key, rows, .. } = n {
                    if *key == group {
                        rows.retain(|r| r.key != row);
                    }
                }
            }
            nodes.retain(|n| !matches!(n, CondNode::Group { rows, .. } if rows.is_empty()));
        }
    }

    /// A comparison row wherever it is in a list (top level or inside a group).
    pub fn row_mut(&mut self, list: CondList, row: u32) -> Option<&mut CompareRow> {
        self.conditions_mut(list)?.iter_mut().find_map(|n| match n {
            CondNode::Compare(r) if r.key == row => Some(r),
            CondNode::Group { rows, .. } => rows.iter_mut().find(|r| r.key == row),
            _ => None,
        })
    }

    pub fn row(&self, list: CondList, row: u32) -> Option<&CompareRow> {
        self.conditions(list)?.iter().find_map(|n| match n {
            CondNode::Compare(r) if r.key == row => Some(r),
            CondNode::Group { rows, .. } => rows.iter().find(|r| r.key == row),
            _ => None,
        })
    }

    pub fn node_mut(&mut self, list: CondList, node: u32) -> Option<&mut CondNode> {
        self.conditions_mut(list)?
            .iter_mut()
            .find(|n| n.key() == node)
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
                    problems.push(Problem::general(format!("Trigger conditions: {e}")));
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

/// A condition value as the field shows it.
fn value_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// The value to send for what was typed: nothing for tests without a value, a list for
/// `one_of`/`between`, else the text (the server compares numbers and flags as text too).
pub fn value_json(op: Op, text: &str) -> Value {
    match op {
        Op::IsSet | Op::IsNotSet | Op::IsTrue | Op::IsFalse => Value::Null,
        Op::OneOf | Op::NotOneOf | Op::Between => Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_owned()))
                .collect(),
        ),
        _ => Value::String(text.trim().to_owned()),
    }
}

fn build_row(row: &CompareRow) -> Condition {
    Condition::Compare {
        var: row.var.trim().to_owned(),
        op: row.op,
        value: value_json(row.op, &row.value),
    }
}

fn build_node(node: &CondNode) -> Result<Condition, String> {
    match node {
        CondNode::Compare(row) => Ok(build_row(row)),
        CondNode::Group { any, rows, .. } => {
            let conditions = rows.iter().map(build_row).collect();
            Ok(if *any {
                Condition::Any { conditions }
            } else {
                Condition::All { conditions }
            })
        }
        CondNode::Raw { json, .. } => {
            serde_json::from_str(json).map_err(|e| format!("the JSON condition is not valid: {e}"))
        }
    }
}

fn build_nodes(nodes: &[CondNode]) -> Result<Condition, String> {
    let mut built = nodes
        .iter()
        .map(build_node)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(if built.len() == 1 {
        built.remove(0)
    } else {
        Condition::All { conditions: built }
    })
}

fn opt(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn tags(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A JSON step's settings: the step as serde writes it, without what has its own field.
fn step_json(step: &Step) -> String {
    let mut value = serde_json::to_value(step).unwrap_or(Value::Null);
    if let Some(obj) = value.as_object_mut() {
        for key in ["id", "type", "next"] {
            obj.remove(key);
        }
    }
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

fn build_step(f: &StepForm) -> Result<Step, Vec<String>> {
    let mut problems = Vec::new();
    let action = match f.kind.as_str() {
        "send_message" => Action::SendMessage {
            text: f.text.trim().to_owned(),
        },
        "internal_comment" => Action::InternalComment {
            text: f.text.trim().to_owned(),
        },
        "assign" => {
            let to = match f.assign_to.as_str() {
                "team" => AssignTarget::Team {
                    team_id: f.team_id.clone(),
                },
                "workspace" => AssignTarget::Workspace,
                "unassign" => AssignTarget::Unassign,
                "dedicated" => AssignTarget::Dedicated {
                    owner_field: opt(&f.owner_field).unwrap_or_else(|| "owner".to_owned()),
                    fallback: match f.fallback.as_str() {
                        "team" => Fallback::Team {
                            team_id: f.fallback_team.clone(),
                        },
                        "wait_for_owner" => Fallback::WaitForOwner,
                        _ => Fallback::Workspace,
                    },
                },
                _ => AssignTarget::Agent {
                    agent_id: f.agent_id.clone(),
                },
            };
            let unassign = matches!(to, AssignTarget::Unassign);
            let max_open = match opt(&f.max_open) {
                None => None,
                Some(t) => match t.parse::<u32>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        problems.push(format!("“{t}” is not a whole number of conversations"));
                        None
                    }
                },
            };
            Action::Assign {
                to,
                method: if unassign {
                    Method::default()
                } else {
                    f.method
                },
                online_only: !unassign && f.online_only,
                max_open: if unassign { None } else { max_open },
                queue: !unassign && f.queue,
                on_unavailable: if unassign {
                    None
                } else {
                    opt(&f.on_unavailable)
                },
            }
        }
        "branch" => {
            let mut arms = Vec::new();
            for (i, arm) in f.arms.iter().enumerate() {
                if arm.conditions.is_empty() {
                    problems.push(format!("arm {} has no condition", i + 1));
                    continue;
                }
                match build_nodes(&arm.conditions) {
                    Ok(condition) => arms.push(Arm {
                        condition,
                        next: opt(&arm.next),
                    }),
                    Err(e) => problems.push(format!("arm {}: {e}", i + 1)),
                }
            }
            Action::Branch { arms }
        }
        "add_tag" => Action::AddTag {
            tags: tags(&f.tags),
        },
        "remove_tag" => Action::RemoveTag {
            tags: tags(&f.tags),
        },
        "update_field" => Action::UpdateField {
            field: f.field.trim().to_owned(),
            value: f.value.clone(),
        },
        "open_conversation" => Action::OpenConversation,
        "close_conversation" => Action::CloseConversation {
            note: ClosingNote {
                category: opt(&f.category),
                summary: opt(&f.summary),
            },
        },
        "pause_bot" => Action::PauseBot,
        "resume_bot" => Action::ResumeBot,
        "wait" => {
            let amount = f.wait_amount.trim().replace(',', ".");
            match amount.parse::<f64>() {
                Ok(n) if n.is_finite() && n > 0.0 => Action::Wait {
                    duration_ms: (n * f.wait_unit.millis() as f64).round() as Millis,
                },
                _ => {
                    problems.push(format!(
                        "“{}” is not a duration: type a number of {}",
                        f.wait_amount.trim(),
                        f.wait_unit.name()
                    ));
                    Action::End
                }
            }
        }
        "wait_for_business_hours" => Action::WaitForBusinessHours,
        "jump" => Action::Jump {
            target: f.target.clone(),
        },
        "trigger_workflow" => Action::TriggerWorkflow {
            workflow_id: f.workflow_id.clone(),
        },
        "end" => Action::End,
        kind @ ("ask_question" | "http_request") => match json_action(kind, &f.json) {
            Ok(action) => action,
            Err(e) => {
                problems.push(e);
                Action::End
            }
        },
        other => {
            problems.push(format!("unknown step type “{other}”"));
            Action::End
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Step {
        id: f.id.trim().to_owned(),
        action,
        next: if f.has_next() { opt(&f.next) } else { None },
    })
}

/// Why a JSON step's settings do not fit its type, as they are typed.
pub fn json_step_problem(kind: &str, json: &str) -> Option<String> {
    json_action(kind, json).err()
}

fn json_action(kind: &str, json: &str) -> Result<Action, String> {
    let mut value: Value = serde_json::from_str(json)
        .map_err(|e| format!("the step's settings are not valid JSON: {e}"))?;
    let obj = value
        .as_object_mut()
        .ok_or_else(|| "the step's settings must be a JSON object ({ … })".to_owned())?;
    obj.insert("type".into(), Value::String(kind.to_owned()));
    obj.insert("id".into(), Value::String("x".to_owned()));
    obj.remove("next");
    let step: Step = serde_json::from_value(value)
        .map_err(|e| format!("the step's settings do not fit a {kind} step: {e}"))?;
    Ok(step.action)
}

#[cfg(test)]
mod tests {
    use super::*;
    use charla_shared::workflow::Template;
    use serde_json::json;

    fn round_trip(wf: &Workflow) -> Workflow {
        WorkflowForm::from_workflow(wf)
            .to_workflow()
            .expect("builds")
    }

    #[test]
    fn every_template_survives_the_form() {
        for t in Template::ALL {
            let wf = t.build("w_1");
            let back = round_trip(&wf);
            // Values are sent as texts (the server compares numbers as text too), so compare
            // the conditions by what they say, and everything else exactly.
            let norm = |w: &Workflow| {
                let mut v = serde_json::to_value(w).unwrap();
                normalise_values(&mut v);
                v
            };
            assert_eq!(norm(&back), norm(&wf), "{t:?}");
        }
    }

    /// Numbers and flags in condition values as the texts the form sends; an `all` of one
    /// condition as that condition.
    fn normalise_values(v: &mut Value) {
        match v {
            Value::Object(map) => {
                if map.get("type").and_then(Value::as_str) == Some("compare") {
                    if let Some(val) = map.get_mut("value") {
                        *val = match val.take() {
                            Value::Array(items) => Value::Array(
                                items
                                    .into_iter()
                                    .map(|i| Value::String(value_text(&i)))
                                    .collect(),
                            ),
                            other => Value::String(value_text(&other)),
                        };
                    }
                }
                for (_, child) in map.iter_mut() {
                    normalise_values(child);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(normalise_values),
            _ => {}
        }
    }

    #[test]
    fn unassign_after_close_loads_as_rows_and_fields() {
        let form = WorkflowForm::from_workflow(&Template::UnassignAfterClose.build("w_1"));
        assert_eq!(form.trigger, "conversation_closed");
        assert_eq!(form.conditions.len(), 1);
        let CondNode::Compare(row) = &form.conditions[0] else {
            panic!("a row");
        };
        assert_eq!(
            (row.var.as_str(), row.op, row.value.as_str()),
            ("event.source", Op::Equals, "user")
        );
        assert_eq!(form.steps.len(), 1);
        assert_eq!(form.steps[0].kind, "assign");
        assert_eq!(form.steps[0].assign_to, "unassign");
        assert_eq!(form.start, "unassign");
    }

    #[test]
    fn a_new_workflow_builds_to_the_wire_shape() {
        let mut form = WorkflowForm::new();
        form.name = "  Greet  ".into();
        form.trigger = "contact_message".into();
        form.first_in_period_only = true;
        let key = form.steps[0].key;
        form.step_mut(key).unwrap().text = "Hola {{contact.first_name | there}}".into();
        let wait = form.add_step("wait");
        form.step_mut(wait).unwrap().wait_amount = "2".into();
        form.step_mut(wait).unwrap().wait_unit = WaitUnit::Hours;
        let tag = form.add_step("add_tag");
        form.step_mut(tag).unwrap().tags = " vip, , Lead ".into();
        form.add_step("end");
        form.add_condition(CondList::Trigger, None);
        let row = form.conditions[0].key();
        let r = form.row_mut(CondList::Trigger, row).unwrap();
        r.var = "contact.tags".into();
        r.op = Op::OneOf;
        r.value = "vip, gold".into();
        let wf = form.to_workflow().unwrap();
        assert_eq!(
            serde_json::to_value(&wf).unwrap(),
            json!({
                "id": "new", "version": 1, "name": "Greet", "enabled": false,
                "trigger": {"type": "contact_message", "first_in_period_only": true},
                "conditions": [{"type": "compare", "var": "contact.tags", "op": "one_of", "value": ["vip", "gold"]}],
                "start": "step_1",
                "steps": [
                    {"id": "step_1", "type": "send_message", "text": "Hola {{contact.first_name | there}}", "next": "step_2"},
                    {"id": "step_2", "type": "wait", "duration_ms": 7_200_000, "next": "step_3"},
                    {"id": "step_3", "type": "add_tag", "tags": ["vip", "Lead"], "next": "step_4"},
                    {"id": "step_4", "type": "end"}
                ]
            })
        );
    }

    #[test]
    fn values_follow_the_operator() {
        assert_eq!(value_json(Op::IsSet, "x"), Value::Null);
        assert_eq!(
            value_json(Op::Between, "09:00, 17:00"),
            json!(["09:00", "17:00"])
        );
        assert_eq!(value_json(Op::Equals, " vip "), json!("vip"));
        assert_eq!(value_text(&json!(3)), "3");
        assert_eq!(value_text(&json!(true)), "true");
        assert_eq!(value_text(&json!(["a", 2])), "a, 2");
    }

    #[test]
    fn groups_and_raw_conditions() {
        let wf = Workflow {
            conditions: vec![
                Condition::Any {
                    conditions: vec![
                        Condition::compare("contact.tags", Op::Contains, "vip"),
                        Condition::compare("contact.email", Op::EndsWith, "@acme.com"),
                    ],
                },
                Condition::Not {
                    condition: Box::new(Condition::test("business_hours.open", Op::IsTrue)),
                },
            ],
            ..Template::UnassignAfterClose.build("w")
        };
        let mut form = WorkflowForm::from_workflow(&wf);
        assert!(
            matches!(&form.conditions[0], CondNode::Group { any: true, rows, .. } if rows.len() == 2)
        );
        assert!(matches!(&form.conditions[1], CondNode::Raw { .. }));
        assert_eq!(round_trip(&wf).conditions, wf.conditions);

        // Rows are added to and removed from groups; an emptied group goes.
        let group = form.conditions[0].key();
        form.add_group_row(CondList::Trigger, group);
        let CondNode::Group { rows, .. } = &form.conditions[0] else {
            panic!()
        };
        assert_eq!(rows.len(), 3);
        let keys: Vec<u32> = rows.iter().map(|r| r.key).collect();
        for k in keys {
            form.remove_group_row(CondList::Trigger, group, k);
        }
        assert_eq!(form.conditions.len(), 1);

        // Broken JSON is the form's own problem, before anything is sent.
        let raw = form.conditions[0].key();
        if let Some(CondNode::Raw { json, .. }) = form.node_mut(CondList::Trigger, raw) {
            *json = "{ nope".into();
        }
        let problems = form.to_workflow().unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].step_id, None);
        assert!(problems[0].message.starts_with("Trigger conditions:"));
    }

    #[test]
    fn branch_arms_round_trip_and_build() {
        let wf = Template::SupportAutoAssignment.build("w");
        let form = WorkflowForm::from_workflow(&wf);
        let branch = form
            .steps
            .iter()
            .find(|s| s.kind == "branch")
            .expect("a branch");
        assert!(!branch.arms.is_empty());
        assert_eq!(round_trip(&wf).steps, wf.steps);

        let mut form = WorkflowForm::new();
        let b = form.add_step("branch");
        form.add_arm(b);
        let arm = form.step(b).unwrap().arms[0].key;
        let list = CondList::Arm { step: b, arm };
        let row = form.conditions(list).unwrap()[0].key();
        let r = form.row_mut(list, row).unwrap();
        r.var = "business_hours.open".into();
        r.op = Op::IsTrue;
        r.value = "ignored".into();
        form.add_condition(list, None);
        form.step_mut(b).unwrap().arms[0].next = "step_1".into();
        let wf = form.to_workflow().unwrap();
        let step = wf.steps.iter().find(|s| s.id == "step_2").unwrap();
        assert_eq!(
            serde_json::to_value(step).unwrap(),
            json!({"id": "step_2", "type": "branch", "arms": [{
                "condition": {"type": "all", "conditions": [
                    {"type": "compare", "var": "business_hours.open", "op": "is_true"},
                    {"type": "compare", "var": "", "op": "equals", "value": ""}
                ]},
                "next": "step_1"
            }]})
        );
    }

    #[test]
    fn assign_fields_build_each_target() {
        let mut form = WorkflowForm::new();
        let k = form.steps[0].key;
        form.set_kind(k, "assign");
        let s = form.step_mut(k).unwrap();
        s.assign_to = "team".into();
        s.team_id = "t_1".into();
        s.method = Method::FewestOpen;
        s.online_only = true;
        s.max_open = "x".into();
        let problems = form.to_workflow().unwrap_err();
        assert_eq!(problems[0].step_id.as_deref(), Some("step_1"));
        assert!(problems[0].message.contains("whole number"), "{problems:?}");

        let s = form.step_mut(k).unwrap();
        s.max_open = "4".into();
        s.on_unavailable = "step_1".into();
        let step = &form.to_workflow().unwrap().steps[0];
        assert_eq!(
            serde_json::to_value(step).unwrap(),
            json!({"id": "step_1", "type": "assign", "to": {"type": "team", "team_id": "t_1"},
                   "method": "fewest_open", "online_only": true, "max_open": 4,
                   "on_unavailable": "step_1"})
        );

        // Unassigning takes none of the picking options.
        form.step_mut(k).unwrap().assign_to = "unassign".into();
        let step = &form.to_workflow().unwrap().steps[0];
        assert_eq!(
            serde_json::to_value(step).unwrap(),
            json!({"id": "step_1", "type": "assign", "to": {"type": "unassign"}})
        );

        let s = form.step_mut(k).unwrap();
        s.assign_to = "dedicated".into();
        s.owner_field = "".into();
        s.fallback = "team".into();
        s.fallback_team = "t_2".into();
        let step = &form.to_workflow().unwrap().steps[0];
        assert_eq!(
            step.action,
            Action::Assign {
                to: AssignTarget::Dedicated {
                    owner_field: "owner".into(),
                    fallback: Fallback::Team {
                        team_id: "t_2".into()
                    }
                },
                method: Method::FewestOpen,
                online_only: true,
                max_open: Some(4),
                queue: false,
                on_unavailable: Some("step_1".into()),
            }
        );
    }

    #[test]
    fn json_steps_are_checked_locally() {
        let mut form = WorkflowForm::new();
        let k = form.steps[0].key;
        form.set_kind(k, "ask_question");
        assert!(form.step(k).unwrap().json.contains("prompt"));
        form.step_mut(k).unwrap().json = "[1]".into();
        let p = form.to_workflow().unwrap_err();
        assert!(p[0].message.contains("JSON object"), "{p:?}");
        form.step_mut(k).unwrap().json = r#"{"prompt": "Email?", "kind": "emial"}"#.into();
        let p = form.to_workflow().unwrap_err();
        assert!(p[0].message.contains("ask_question"), "{p:?}");
        assert_eq!(
            json_step_problem("ask_question", &form.step(k).unwrap().json),
            Some(p[0].message.clone())
        );
        form.step_mut(k).unwrap().json =
            r#"{"prompt": "Email?", "kind": "email", "save_to_field": "email"}"#.into();
        let wf = form.to_workflow().unwrap();
        assert_eq!(wf.steps[0].action.name(), "ask_question");

        let back = WorkflowForm::from_workflow(&wf);
        let json: Value = serde_json::from_str(&back.steps[0].json).unwrap();
        assert_eq!(json["prompt"], "Email?");
        assert!(json.get("id").is_none() && json.get("type").is_none());
    }

    #[test]
    fn waits_show_in_the_largest_whole_unit() {
        let mut wf = Template::UnassignAfterClose.build("w");
        wf.steps[0].action = Action::Wait {
            duration_ms: 2 * 86_400_000,
        };
        let form = WorkflowForm::from_workflow(&wf);
        assert_eq!(
            (form.steps[0].wait_amount.as_str(), form.steps[0].wait_unit),
            ("2", WaitUnit::Days)
        );
        wf.steps[0].action = Action::Wait {
            duration_ms: 90_000,
        };
        let form = WorkflowForm::from_workflow(&wf);
        assert_eq!(
            (form.steps[0].wait_amount.as_str(), form.steps[0].wait_unit),
            ("90", WaitUnit::Seconds)
        );
        wf.steps[0].action = Action::Wait { duration_ms: 1_500 };
        let form = WorkflowForm::from_workflow(&wf);
        assert_eq!(
            (form.steps[0].wait_amount.as_str(), form.steps[0].wait_unit),
            ("1.5", WaitUnit::Seconds)
        );
        assert_eq!(round_trip(&wf).steps, wf.steps);
    }

    #[test]
    fn step_list_operations_keep_references_straight() {
        let mut form = WorkflowForm::new();
        let a = form.steps[0].key;
        let b = form.add_step("branch");
        let c = form.add_step("jump");
        let d = form.add_step("end");
        assert_eq!(form.step(a).unwrap().next, "step_2");
        assert_eq!(form.step(b).unwrap().next, "step_3");
        // A jump has no next, so the end is not linked after it.
        assert_eq!(form.step(c).unwrap().next, "");
        form.add_arm(b);
        form.step_mut(b).unwrap().arms[0].next = "step_4".into();
        form.step_mut(c).unwrap().target = "step_1".into();

        form.rename_step(a, "greet");
        assert_eq!(form.start, "greet");
        assert_eq!(form.step(c).unwrap().target, "greet");
        // Typing over another step's id does not drag references along.
        form.rename_step(d, "greet");
        assert_eq!(form.step(b).unwrap().arms[0].next, "step_4");
        form.rename_step(d, "bye");
        assert_eq!(
            form.step(b).unwrap().arms[0].next,
            "step_4",
            "step_4 was not renamed"
        );
        form.rename_step(d, "step_4");
        form.rename_step(d, "bye");
        assert_eq!(form.step(b).unwrap().arms[0].next, "bye");

        form.move_step(d, -1);
        assert_eq!(form.step_ids(), ["greet", "step_2", "bye", "step_3"]);
        form.move_step(a, -1);
        assert_eq!(form.step_ids()[0], "greet", "the first stays first");

        form.remove_step(a);
        assert_eq!(form.start, "step_2");
        assert_eq!(form.step(c).unwrap().target, "");
        form.set_kind(b, "end");
        assert_eq!(form.step(b).unwrap().next, "", "an end step has no next");
    }

    #[test]
    fn server_details_map_to_steps() {
        let details = vec![
            json!({"step_id": "unassign", "message": "next: there is no step \"nowhere\""}),
            json!({"message": "the workflow needs a name"}),
            json!({"step_id": "gone", "message": "about a step the form no longer has"}),
            json!("not an object"),
        ];
        let problems = problems_from_details(&details, &["unassign".to_owned()]);
        let (general, by_step) = group_problems(&problems);
        assert_eq!(
            general,
            [
                "the workflow needs a name",
                "about a step the form no longer has"
            ]
        );
        assert_eq!(by_step["unassign"], ["next: there is no step \"nowhere\""]);
    }

    #[test]
    fn labels() {
        assert_eq!(trigger_label("conversation_closed"), "Conversation closed");
        assert_eq!(step_label("assign"), "Assign to");
        assert_eq!(op_label(Op::NotOneOf), "is not one of");
        assert_eq!(parse_op("between"), Some(Op::Between));
        assert_eq!(op_value_hint(Op::IsTrue), None);
        let vars = variable_suggestions("conversation_closed");
        assert!(vars.contains(&"event.closing_category") && vars.contains(&"contact.tags"));
        assert_eq!(STEP_KINDS.len(), 18);
    }
}
