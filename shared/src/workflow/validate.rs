//! Checks the editor shows inline before a workflow is saved or enabled.
//!
//! Everything that can be known from the workflow alone is checked here: references to steps
//! that do not exist, empty texts, variables that do not exist for the trigger, conditions
//! whose operator does not fit, limits. Unreachable steps are fine (a draft may hold steps not
//! yet connected). Ids outside the workflow (agents, teams, other workflows) are listed by
//! [`Workflow::references`] for the store to check against the workspace.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::engine::Engine;
use super::http::{self, MAX_HTTP_TIMEOUT};
use super::model::{AnswerKind, AssignTarget, SaveTarget, Step, StepAction, Workflow};
use super::render;
use super::trigger::Trigger;
use super::vars;
use crate::basic::Millis;
use crate::contact::{normalize_tag, MAX_TAG_CHARS};
use crate::lifecycle::MAX_SUMMARY_CHARS;
use crate::limits::MAX_TEXT_CHARS;

pub const MAX_STEPS: usize = 200;
pub const MAX_BUTTONS: usize = 10;
pub const MAX_BUTTON_CHARS: usize = 20;
pub const MAX_ATTEMPTS: u32 = 10;
/// Longest wait or question timeout.
pub const MAX_WAIT: Millis = 30 * 24 * 60 * 60 * 1000;
pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_STEP_ID_LEN: usize = 64;

/// One problem, on a step (`step_id`) or on the workflow as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationError {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_id: Option<String>,
    pub message: String,
}

struct Problems<'w> {
    workflow: &'w Workflow,
    ids: BTreeSet<&'w str>,
    out: Vec<ValidationError>,
    step: Option<String>,
}

impl Problems<'_> {
    fn add(&mut self, message: impl Into<String>) {
        self.out.push(ValidationError {
            step_id: self.step.clone(),
            message: message.into(),
        });
    }

    fn target(&mut self, what: &str, target: Option<&String>) {
        if let Some(t) = target {
            if !self.ids.contains(t.as_str()) {
                self.add(format!("{what}: there is no step {t:?}"));
            }
        }
    }

    /// A text with variables: not blank (when `required`), within `max` characters, every
    /// variable known.
    fn text(&mut self, what: &str, text: &str, required: bool, max: usize) {
        if required && text.trim().is_empty() {
            self.add(format!("{what} is empty"));
        }
        if text.chars().count() > max {
            self.add(format!("{what} is longer than {max} characters"));
        }
        if let Err(problem) = render::check(text, &self.workflow.trigger) {
            self.add(format!("{what}: {problem}"));
        }
    }

    fn condition(&mut self, condition: &super::condition::Condition) {
        let mut found = Vec::new();
        condition.check(&self.workflow.trigger, &mut found);
        for problem in found {
            self.add(problem);
        }
    }

    fn field(&mut self, what: &str, field: &str) {
        if !is_settable_field(field) {
            self.add(format!(
                "{what}: {field:?} is not a contact field (name, email, phone or a custom key of a-z, 0-9, _)"
            ));
        }
    }

    fn duration(&mut self, what: &str, ms: Millis) {
        if ms <= 0 || ms > MAX_WAIT {
            self.add(format!("{what} must be between 1 ms and 30 days"));
        }
    }
}

/// Fields a workflow may write: the standard ones but `id` and `first_name` (derived), and
/// custom keys.
pub(crate) fn is_settable_field(field: &str) -> bool {
    matches!(field, "name" | "email" | "phone")
        || (vars::is_field_key(field) && !matches!(field, "id" | "first_name"))
}

fn is_step_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_STEP_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Workflow {
    /// Every problem, for production settings.
    pub fn validate(&self) -> Vec<ValidationError> {
        self.validate_with(&Engine::default())
    }

    /// Every problem; `engine` decides whether private HTTP targets are allowed.
    pub fn validate_with(&self, engine: &Engine) -> Vec<ValidationError> {
        let mut p = Problems {
            workflow: self,
            ids: self.steps.iter().map(|s| s.id.as_str()).collect(),
            out: Vec::new(),
            step: None,
        };
        if self.id.trim().is_empty() {
            p.add("the workflow has no id");
        }
        if self.name.trim().is_empty() {
            p.add("the workflow needs a name");
        } else if self.name.chars().count() > MAX_NAME_CHARS {
            p.add(format!(
                "the name is longer than {MAX_NAME_CHARS} characters"
            ));
        }
        if self.version == 0 {
            p.add("versions start at 1");
        }
        if let Trigger::Webhook { secret_fingerprint } = &self.trigger {
            let ok = secret_fingerprint.len() == 64
                && secret_fingerprint.bytes().all(|b| b.is_ascii_hexdigit());
            if !ok {
                p.add("the webhook has no secret");
            }
        }
        for condition in &self.conditions {
            p.condition(condition);
        }
        if self.steps.is_empty() {
            p.add("the workflow has no steps");
        } else if !p.ids.contains(self.start.as_str()) {
            let start = self.start.clone();
            p.add(format!("start: there is no step {start:?}"));
        }
        if self.steps.len() > MAX_STEPS {
            p.add(format!("a workflow has at most {MAX_STEPS} steps"));
        }
        let mut seen = BTreeSet::new();
        for step in &self.steps {
            p.step = Some(step.id.clone());
            if !is_step_id(&step.id) {
                p.add(format!(
                    "step ids are 1-{MAX_STEP_ID_LEN} of A-Z, a-z, 0-9, - and _"
                ));
            }
            if !seen.insert(step.id.as_str()) {
                p.add("two steps have this id");
            }
            check_step(&mut p, step, engine);
        }
        p.out
    }
}

fn check_step(p: &mut Problems<'_>, step: &Step, engine: &Engine) {
    p.target("next", step.next.as_ref());
    match &step.action {
        StepAction::SendMessage { text } => p.text("the message", text, true, MAX_TEXT_CHARS),
        StepAction::AskQuestion(q) => {
            p.text("the question", &q.prompt, true, MAX_TEXT_CHARS);
            match (q.kind, q.buttons.len()) {
                (AnswerKind::Buttons, 0) => p.add("a buttons question needs buttons"),
                (AnswerKind::Buttons, n) if n > MAX_BUTTONS => {
                    p.add(format!("at most {MAX_BUTTONS} buttons"))
                }
                (AnswerKind::Buttons, _) => {}
                (_, 0) => {}
                (kind, _) => p.add(format!("a {} question has no buttons", kind.name())),
            }
            let mut values = BTreeSet::new();
            for button in &q.buttons {
                let label = button.label.trim();
                if label.is_empty() || label.chars().count() > MAX_BUTTON_CHARS {
                    p.add(format!("button labels are 1-{MAX_BUTTON_CHARS} characters"));
                }
                if button.value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                    p.add("a button's value is empty");
                }
                if !values.insert(button.value().trim().to_lowercase()) {
                    p.add(format!("two buttons answer {:?}", button.value()));
                }
                p.target("button", button.next.as_ref());
            }
            if let Some(name) = &q.save_as {
                if !vars::is_var_name(name) {
                    p.add(format!(
                        "save as: {name:?} is not a variable name (a-z, 0-9, _)"
                    ));
                }
            }
            if let Some(field) = &q.save_to_field {
                p.field("save to", field);
            }
            match q.timeout_ms {
                Some(t) => p.duration("the timeout", t),
                None if q.on_timeout.is_some() => p.add("a timeout path needs a timeout"),
                None => {}
            }
            p.target("on timeout", q.on_timeout.as_ref());
            if !(1..=MAX_ATTEMPTS).contains(&q.max_attempts) {
                p.add(format!("attempts are 1 to {MAX_ATTEMPTS}"));
            }
            if let Some(m) = &q.invalid_message {
                p.text("the retry message", m, true, MAX_TEXT_CHARS);
            }
            p.target("on invalid", q.on_invalid.as_ref());
        }
        StepAction::Assign {
            to, on_unavailable, ..
        } => {
            match to {
                AssignTarget::Agent { agent_id } if agent_id.trim().is_empty() => {
                    p.add("choose an agent")
                }
                AssignTarget::Team { team_id } if team_id.trim().is_empty() => {
                    p.add("choose a team")
                }
                AssignTarget::Dedicated { owner_field, .. } => p.field("owner field", owner_field),
                AssignTarget::Unassign if on_unavailable.is_some() => {
                    p.add("unassigning always succeeds; it has no unavailable path")
                }
                _ => {}
            }
            p.target("on unavailable", on_unavailable.as_ref());
        }
        StepAction::Branch { arms } => {
            if arms.is_empty() {
                p.add("a branch needs at least one condition");
            }
            for arm in arms {
                p.condition(&arm.condition);
                p.target("branch", arm.next.as_ref());
            }
        }
        StepAction::AddTag { tags } | StepAction::RemoveTag { tags } => {
            if tags.is_empty() {
                p.add("choose at least one tag");
            }
            for tag in tags {
                let t = normalize_tag(tag);
                if t.is_empty()
                    || t.chars().count() > MAX_TAG_CHARS
                    || t.chars().any(char::is_control)
                {
                    p.add(format!("tags are 1-{MAX_TAG_CHARS} characters"));
                }
            }
        }
        StepAction::UpdateField { field, value } => {
            p.field("field", field);
            p.text("the value", value, false, crate::contact::MAX_VALUE_CHARS);
        }
        StepAction::CloseConversation { note } => {
            if let Some(summary) = &note.summary {
                p.text("the summary", summary, false, MAX_SUMMARY_CHARS);
            }
            if note
                .category
                .as_deref()
                .is_some_and(|c| c.trim().is_empty())
            {
                p.add("the closing category is empty");
            }
        }
        StepAction::InternalComment { text } => p.text("the comment", text, true, MAX_TEXT_CHARS),
        StepAction::Wait { duration_ms } => p.duration("the wait", *duration_ms),
        StepAction::HttpRequest(h) => {
            p.text("the URL", &h.url, true, 2_000);
            check_static_url(p, &h.url, engine);
            for (name, value) in &h.headers {
                let token = !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
                if !token {
                    p.add(format!("{name:?} is not a header name"));
                }
                p.text("a header", value, false, 2_000);
            }
            if let Some(body) = &h.body {
                p.text("the body", body, false, 16 * 1024);
            }
            if !(1..=MAX_HTTP_TIMEOUT).contains(&h.timeout_ms) {
                p.add("the timeout must be between 1 ms and 30 s");
            }
            for m in &h.map {
                if m.path.trim().is_empty() {
                    p.add("a response mapping has no path");
                }
                match &m.to {
                    SaveTarget::Variable { name } if !vars::is_var_name(name) => p.add(format!(
                        "map: {name:?} is not a variable name (a-z, 0-9, _)"
                    )),
                    SaveTarget::ContactField { field } => p.field("map", field),
                    _ => {}
                }
            }
            p.target("on error", h.on_error.as_ref());
        }
        StepAction::Jump { target } => {
            if !p.ids.contains(target.as_str()) {
                p.add(format!("jump: there is no step {target:?}"));
            } else if *target == step.id {
                p.add("a step that jumps to itself loops forever");
            }
        }
        StepAction::TriggerWorkflow { workflow_id } => {
            if workflow_id.trim().is_empty() {
                p.add("choose a workflow");
            } else if *workflow_id == p.workflow.id {
                p.add("a workflow cannot trigger itself");
            }
        }
        StepAction::OpenConversation
        | StepAction::PauseBot
        | StepAction::ResumeBot
        | StepAction::WaitForBusinessHours
        | StepAction::End => {}
    }
    if matches!(step.action, StepAction::Jump { .. } | StepAction::End) && step.next.is_some() {
        p.add(format!("a {} step has no next step", step.action.name()));
    }
}

/// The parts of a URL known before variables are filled in: the scheme always, the whole URL
/// when it has no variables.
fn check_static_url(p: &mut Problems<'_>, url: &str, engine: &Engine) {
    if !url.contains("{{") {
        if let Err(err) = http::check_url(url, engine.allow_private_http) {
            p.add(err.to_string());
        }
        return;
    }
    let lower = url.trim_start().to_ascii_lowercase();
    let ok = lower.starts_with("https://")
        || (engine.allow_private_http && lower.starts_with("http://"));
    if !ok {
        p.add("request refused: only https:// URLs may be requested");
    }
}
