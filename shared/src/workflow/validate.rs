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

/// One problem, on a step (`step_id`) or on the workflow as a whole. `kind` (with `part`,
/// `value` and `max` where the kind has them) is what a client words it from, in its own
/// language; `message` is the same in English prose, for logs and API users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationError {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_id: Option<String>,
    pub kind: ProblemKind,
    /// The part of the step or workflow the problem is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<Part>,
    /// What is at fault, when it is a value: a step id, a variable or field name, a header
    /// name, a button's answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The limit broken, for the kinds that have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
    pub message: String,
}

/// What is wrong, as a stable code (`snake_case` on the wire). A new kind is a new name; a
/// client that does not know one shows `message`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    NoId,
    NoName,
    /// `max`
    NameTooLong,
    BadVersion,
    NoWebhookSecret,
    /// A trigger or branch condition that does not fit its variable (unknown variable, an
    /// operator that does not apply, a missing or malformed value, an empty group).
    BadCondition,
    NoSteps,
    /// `part` (which link), `value` (the missing step id)
    NoSuchStep,
    /// `max`
    TooManySteps,
    /// `max`
    BadStepId,
    DuplicateStepId,
    /// `part`
    Empty,
    /// `part`, `max`
    TooLong,
    /// `part`: a `{{variable}}` that does not exist for the trigger, or a malformed one.
    BadVariable,
    /// `part`, `value`
    NotAField,
    /// `part`: a wait or timeout outside 1 ms..30 days.
    BadDuration,
    NeedsButtons,
    /// `max`
    TooManyButtons,
    /// Only a buttons question has buttons.
    ButtonsNotAllowed,
    /// `max`
    BadButtonLabel,
    EmptyButtonValue,
    /// `value`
    DuplicateButton,
    /// `part`, `value`
    BadVariableName,
    TimeoutPathNeedsTimeout,
    /// `max`
    BadAttempts,
    ChooseAgent,
    ChooseTeam,
    UnassignHasNoPath,
    EmptyBranch,
    NoTags,
    /// `max`
    BadTag,
    EmptyCategory,
    /// `value`
    BadHeaderName,
    BadHttpTimeout,
    EmptyMapPath,
    /// A URL that may not be requested (not https, private host, credentials, malformed).
    UrlRefused,
    JumpsToItself,
    ChooseWorkflow,
    TriggersItself,
    /// An end or jump step with a next step.
    HasNoNext,
}

/// The part of a step (or of the workflow) a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Start,
    Next,
    Message,
    Question,
    RetryMessage,
    Button,
    SaveAs,
    SaveTo,
    Timeout,
    OnTimeout,
    OnInvalid,
    OwnerField,
    OnUnavailable,
    Branch,
    Field,
    Value,
    Summary,
    Comment,
    Wait,
    Url,
    Header,
    Body,
    Map,
    OnError,
    Jump,
}

impl Part {
    /// How `message` names it.
    fn english(self) -> &'static str {
        match self {
            Part::Start => "start",
            Part::Next => "next",
            Part::Message => "the message",
            Part::Question => "the question",
            Part::RetryMessage => "the retry message",
            Part::Button => "button",
            Part::SaveAs => "save as",
            Part::SaveTo => "save to",
            Part::Timeout => "the timeout",
            Part::OnTimeout => "on timeout",
            Part::OnInvalid => "on invalid",
            Part::OwnerField => "owner field",
            Part::OnUnavailable => "on unavailable",
            Part::Branch => "branch",
            Part::Field => "field",
            Part::Value => "the value",
            Part::Summary => "the summary",
            Part::Comment => "the comment",
            Part::Wait => "the wait",
            Part::Url => "the URL",
            Part::Header => "a header",
            Part::Body => "the body",
            Part::Map => "map",
            Part::OnError => "on error",
            Part::Jump => "jump",
        }
    }
}

/// One problem as [`Problems::report`] builds it.
struct Found {
    kind: ProblemKind,
    part: Option<Part>,
    value: Option<String>,
    max: Option<usize>,
}

impl Found {
    fn new(kind: ProblemKind) -> Self {
        Found {
            kind,
            part: None,
            value: None,
            max: None,
        }
    }

    fn part(mut self, part: Part) -> Self {
        self.part = Some(part);
        self
    }

    fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    fn max(mut self, max: usize) -> Self {
        self.max = Some(max);
        self
    }
}

struct Problems<'w> {
    workflow: &'w Workflow,
    ids: BTreeSet<&'w str>,
    out: Vec<ValidationError>,
    step: Option<String>,
}

impl Problems<'_> {
    fn report(&mut self, found: Found, message: impl Into<String>) {
        self.out.push(ValidationError {
            step_id: self.step.clone(),
            kind: found.kind,
            part: found.part,
            value: found.value,
            max: found.max.map(|m| m as u64),
            message: message.into(),
        });
    }

    fn add(&mut self, kind: ProblemKind, message: impl Into<String>) {
        self.report(Found::new(kind), message);
    }

    fn target(&mut self, part: Part, target: Option<&String>) {
        if let Some(t) = target {
            if !self.ids.contains(t.as_str()) {
                let what = part.english();
                self.report(
                    Found::new(ProblemKind::NoSuchStep).part(part).value(t),
                    format!("{what}: there is no step {t:?}"),
                );
            }
        }
    }

    /// A text with variables: not blank (when `required`), within `max` characters, every
    /// variable known.
    fn text(&mut self, part: Part, text: &str, required: bool, max: usize) {
        let what = part.english();
        if required && text.trim().is_empty() {
            self.report(
                Found::new(ProblemKind::Empty).part(part),
                format!("{what} is empty"),
            );
        }
        if text.chars().count() > max {
            self.report(
                Found::new(ProblemKind::TooLong).part(part).max(max),
                format!("{what} is longer than {max} characters"),
            );
        }
        if let Err(problem) = render::check(text, &self.workflow.trigger) {
            self.report(
                Found::new(ProblemKind::BadVariable).part(part),
                format!("{what}: {problem}"),
            );
        }
    }

    fn condition(&mut self, condition: &super::condition::Condition) {
        let mut found = Vec::new();
        condition.check(&self.workflow.trigger, &mut found);
        for problem in found {
            self.add(ProblemKind::BadCondition, problem);
        }
    }

    fn field(&mut self, part: Part, field: &str) {
        if !is_settable_field(field) {
            let what = part.english();
            self.report(
                Found::new(ProblemKind::NotAField).part(part).value(field),
                format!(
                    "{what}: {field:?} is not a contact field (name, email, phone or a custom key of a-z, 0-9, _)"
                ),
            );
        }
    }

    fn duration(&mut self, part: Part, ms: Millis) {
        if ms <= 0 || ms > MAX_WAIT {
            let what = part.english();
            self.report(
                Found::new(ProblemKind::BadDuration).part(part),
                format!("{what} must be between 1 ms and 30 days"),
            );
        }
    }

    fn var_name(&mut self, part: Part, name: &str) {
        if !vars::is_var_name(name) {
            let what = part.english();
            self.report(
                Found::new(ProblemKind::BadVariableName)
                    .part(part)
                    .value(name),
                format!("{what}: {name:?} is not a variable name (a-z, 0-9, _)"),
            );
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
            p.add(ProblemKind::NoId, "the workflow has no id");
        }
        if self.name.trim().is_empty() {
            p.add(ProblemKind::NoName, "the workflow needs a name");
        } else if self.name.chars().count() > MAX_NAME_CHARS {
            p.report(
                Found::new(ProblemKind::NameTooLong).max(MAX_NAME_CHARS),
                format!("the name is longer than {MAX_NAME_CHARS} characters"),
            );
        }
        if self.version == 0 {
            p.add(ProblemKind::BadVersion, "versions start at 1");
        }
        if let Trigger::Webhook { secret_fingerprint } = &self.trigger {
            let ok = secret_fingerprint.len() == 64
                && secret_fingerprint.bytes().all(|b| b.is_ascii_hexdigit());
            if !ok {
                p.add(ProblemKind::NoWebhookSecret, "the webhook has no secret");
            }
        }
        for condition in &self.conditions {
            p.condition(condition);
        }
        if self.steps.is_empty() {
            p.add(ProblemKind::NoSteps, "the workflow has no steps");
        } else if !p.ids.contains(self.start.as_str()) {
            let start = self.start.clone();
            p.target(Part::Start, Some(&start));
        }
        if self.steps.len() > MAX_STEPS {
            p.report(
                Found::new(ProblemKind::TooManySteps).max(MAX_STEPS),
                format!("a workflow has at most {MAX_STEPS} steps"),
            );
        }
        let mut seen = BTreeSet::new();
        for step in &self.steps {
            p.step = Some(step.id.clone());
            if !is_step_id(&step.id) {
                p.report(
                    Found::new(ProblemKind::BadStepId).max(MAX_STEP_ID_LEN),
                    format!("step ids are 1-{MAX_STEP_ID_LEN} of A-Z, a-z, 0-9, - and _"),
                );
            }
            if !seen.insert(step.id.as_str()) {
                p.add(ProblemKind::DuplicateStepId, "two steps have this id");
            }
            check_step(&mut p, step, engine);
        }
        p.out
    }
}

fn check_step(p: &mut Problems<'_>, step: &Step, engine: &Engine) {
    p.target(Part::Next, step.next.as_ref());
    match &step.action {
        StepAction::SendMessage { text } => p.text(Part::Message, text, true, MAX_TEXT_CHARS),
        StepAction::AskQuestion(q) => {
            p.text(Part::Question, &q.prompt, true, MAX_TEXT_CHARS);
            match (q.kind, q.buttons.len()) {
                (AnswerKind::Buttons, 0) => p.add(
                    ProblemKind::NeedsButtons,
                    "a buttons question needs buttons",
                ),
                (AnswerKind::Buttons, n) if n > MAX_BUTTONS => p.report(
                    Found::new(ProblemKind::TooManyButtons).max(MAX_BUTTONS),
                    format!("at most {MAX_BUTTONS} buttons"),
                ),
                (AnswerKind::Buttons, _) => {}
                (_, 0) => {}
                (kind, _) => p.add(
                    ProblemKind::ButtonsNotAllowed,
                    format!("a {} question has no buttons", kind.name()),
                ),
            }
            let mut values = BTreeSet::new();
            for button in &q.buttons {
                let label = button.label.trim();
                if label.is_empty() || label.chars().count() > MAX_BUTTON_CHARS {
                    p.report(
                        Found::new(ProblemKind::BadButtonLabel).max(MAX_BUTTON_CHARS),
                        format!("button labels are 1-{MAX_BUTTON_CHARS} characters"),
                    );
                }
                if button.value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                    p.add(ProblemKind::EmptyButtonValue, "a button's value is empty");
                }
                if !values.insert(button.value().trim().to_lowercase()) {
                    p.report(
                        Found::new(ProblemKind::DuplicateButton).value(button.value()),
                        format!("two buttons answer {:?}", button.value()),
                    );
                }
                p.target(Part::Button, button.next.as_ref());
            }
            if let Some(name) = &q.save_as {
                p.var_name(Part::SaveAs, name);
            }
            if let Some(field) = &q.save_to_field {
                p.field(Part::SaveTo, field);
            }
            match q.timeout_ms {
                Some(t) => p.duration(Part::Timeout, t),
                None if q.on_timeout.is_some() => p.add(
                    ProblemKind::TimeoutPathNeedsTimeout,
                    "a timeout path needs a timeout",
                ),
                None => {}
            }
            p.target(Part::OnTimeout, q.on_timeout.as_ref());
            if !(1..=MAX_ATTEMPTS).contains(&q.max_attempts) {
                p.report(
                    Found::new(ProblemKind::BadAttempts).max(MAX_ATTEMPTS as usize),
                    format!("attempts are 1 to {MAX_ATTEMPTS}"),
                );
            }
            if let Some(m) = &q.invalid_message {
                p.text(Part::RetryMessage, m, true, MAX_TEXT_CHARS);
            }
            p.target(Part::OnInvalid, q.on_invalid.as_ref());
        }
        StepAction::Assign {
            to, on_unavailable, ..
        } => {
            match to {
                AssignTarget::Agent { agent_id } if agent_id.trim().is_empty() => {
                    p.add(ProblemKind::ChooseAgent, "choose an agent")
                }
                AssignTarget::Team { team_id } if team_id.trim().is_empty() => {
                    p.add(ProblemKind::ChooseTeam, "choose a team")
                }
                AssignTarget::Dedicated { owner_field, .. } => {
                    p.field(Part::OwnerField, owner_field)
                }
                AssignTarget::Unassign if on_unavailable.is_some() => p.add(
                    ProblemKind::UnassignHasNoPath,
                    "unassigning always succeeds; it has no unavailable path",
                ),
                _ => {}
            }
            p.target(Part::OnUnavailable, on_unavailable.as_ref());
        }
        StepAction::Branch { arms } => {
            if arms.is_empty() {
                p.add(
                    ProblemKind::EmptyBranch,
                    "a branch needs at least one condition",
                );
            }
            for arm in arms {
                p.condition(&arm.condition);
                p.target(Part::Branch, arm.next.as_ref());
            }
        }
        StepAction::AddTag { tags } | StepAction::RemoveTag { tags } => {
            if tags.is_empty() {
                p.add(ProblemKind::NoTags, "choose at least one tag");
            }
            for tag in tags {
                let t = normalize_tag(tag);
                if t.is_empty()
                    || t.chars().count() > MAX_TAG_CHARS
                    || t.chars().any(char::is_control)
                {
                    p.report(
                        Found::new(ProblemKind::BadTag).max(MAX_TAG_CHARS),
                        format!("tags are 1-{MAX_TAG_CHARS} characters"),
                    );
                }
            }
        }
        StepAction::UpdateField { field, value } => {
            p.field(Part::Field, field);
            p.text(Part::Value, value, false, crate::contact::MAX_VALUE_CHARS);
        }
        StepAction::CloseConversation { note } => {
            if let Some(summary) = &note.summary {
                p.text(Part::Summary, summary, false, MAX_SUMMARY_CHARS);
            }
            if note
                .category
                .as_deref()
                .is_some_and(|c| c.trim().is_empty())
            {
                p.add(ProblemKind::EmptyCategory, "the closing category is empty");
            }
        }
        StepAction::InternalComment { text } => p.text(Part::Comment, text, true, MAX_TEXT_CHARS),
        StepAction::Wait { duration_ms } => p.duration(Part::Wait, *duration_ms),
        StepAction::HttpRequest(h) => {
            p.text(Part::Url, &h.url, true, 2_000);
            check_static_url(p, &h.url, engine);
            for (name, value) in &h.headers {
                let token = !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
                if !token {
                    p.report(
                        Found::new(ProblemKind::BadHeaderName).value(name),
                        format!("{name:?} is not a header name"),
                    );
                }
                p.text(Part::Header, value, false, 2_000);
            }
            if let Some(body) = &h.body {
                p.text(Part::Body, body, false, 16 * 1024);
            }
            if !(1..=MAX_HTTP_TIMEOUT).contains(&h.timeout_ms) {
                p.add(
                    ProblemKind::BadHttpTimeout,
                    "the timeout must be between 1 ms and 30 s",
                );
            }
            for m in &h.map {
                if m.path.trim().is_empty() {
                    p.add(ProblemKind::EmptyMapPath, "a response mapping has no path");
                }
                match &m.to {
                    SaveTarget::Variable { name } => p.var_name(Part::Map, name),
                    SaveTarget::ContactField { field } => p.field(Part::Map, field),
                }
            }
            p.target(Part::OnError, h.on_error.as_ref());
        }
        StepAction::Jump { target } => {
            if !p.ids.contains(target.as_str()) {
                p.target(Part::Jump, Some(target));
            } else if *target == step.id {
                p.add(
                    ProblemKind::JumpsToItself,
                    "a step that jumps to itself loops forever",
                );
            }
        }
        StepAction::TriggerWorkflow { workflow_id } => {
            if workflow_id.trim().is_empty() {
                p.add(ProblemKind::ChooseWorkflow, "choose a workflow");
            } else if *workflow_id == p.workflow.id {
                p.add(
                    ProblemKind::TriggersItself,
                    "a workflow cannot trigger itself",
                );
            }
        }
        StepAction::OpenConversation
        | StepAction::PauseBot
        | StepAction::ResumeBot
        | StepAction::WaitForBusinessHours
        | StepAction::End => {}
    }
    if matches!(step.action, StepAction::Jump { .. } | StepAction::End) && step.next.is_some() {
        p.add(
            ProblemKind::HasNoNext,
            format!("a {} step has no next step", step.action.name()),
        );
    }
}

/// The parts of a URL known before variables are filled in: the scheme always, the whole URL
/// when it has no variables.
fn check_static_url(p: &mut Problems<'_>, url: &str, engine: &Engine) {
    if !url.contains("{{") {
        if let Err(err) = http::check_url(url, engine.allow_private_http) {
            p.add(ProblemKind::UrlRefused, err.to_string());
        }
        return;
    }
    let lower = url.trim_start().to_ascii_lowercase();
    let ok = lower.starts_with("https://")
        || (engine.allow_private_http && lower.starts_with("http://"));
    if !ok {
        p.add(
            ProblemKind::UrlRefused,
            "request refused: only https:// URLs may be requested",
        );
    }
}
