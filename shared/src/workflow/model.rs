//! The workflow definition as the inbox editor saves it and the edge stores it (JSON).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::condition::Condition;
use super::trigger::Trigger;
use crate::assignment::{AssignTo, Fallback, Method, OnUnavailable, Who};
use crate::basic::Millis;
use crate::lifecycle::ClosingNote;

/// Step ids are chosen by the editor and are stable across versions, so a run log still
/// names the step a person sees.
pub type StepId = String;

/// A trigger, the conditions its event must meet, and a graph of steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workflow {
    pub id: String,
    /// Bumped by the store on every saved edit. A run keeps the version it started with.
    #[serde(default = "first_version")]
    pub version: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// A disabled workflow starts no runs; runs already going continue.
    #[serde(default)]
    pub enabled: bool,
    pub trigger: Trigger,
    /// All must hold for the event to start a run (use `any` inside for "or").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// The first step.
    pub start: StepId,
    pub steps: Vec<Step>,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

fn first_version() -> u32 {
    1
}

/// One node of the graph. `next` is where the run goes afterwards (`None`: the run ends);
/// for a branch it is the "else" path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub id: StepId,
    #[serde(flatten)]
    pub action: StepAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<StepId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StepAction {
    /// `text` may hold `{{variables}}`.
    SendMessage {
        text: String,
    },
    AskQuestion(Question),
    /// Assign To. Every target but `unassign` waits for the Workspace DO's
    /// [`Decision`](crate::assignment::Decision); nobody available goes to `on_unavailable`
    /// (or `next` when unset).
    Assign {
        to: AssignTarget,
        #[serde(default, skip_serializing_if = "is_default")]
        method: Method,
        #[serde(default, skip_serializing_if = "is_default")]
        online_only: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_open: Option<u32>,
        /// Wait in the queue instead of taking the unavailable path.
        #[serde(default, skip_serializing_if = "is_default")]
        queue: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on_unavailable: Option<StepId>,
    },
    /// The first arm whose condition holds wins; none goes to `next`.
    Branch {
        arms: Vec<Arm>,
    },
    AddTag {
        tags: Vec<String>,
    },
    RemoveTag {
        tags: Vec<String>,
    },
    /// `field` is `name`, `email`, `phone` or a custom key; `value` may hold `{{variables}}`
    /// and an empty result clears the field.
    UpdateField {
        field: String,
        value: String,
    },
    OpenConversation,
    CloseConversation {
        /// The summary may hold `{{variables}}`.
        #[serde(default)]
        note: ClosingNote,
    },
    /// A note only agents see.
    InternalComment {
        text: String,
    },
    PauseBot,
    ResumeBot,
    Wait {
        duration_ms: Millis,
    },
    /// Continue now when open, else at the next opening (the Conversation DO's alarm).
    WaitForBusinessHours,
    HttpRequest(HttpStep),
    Jump {
        target: StepId,
    },
    /// Start another workflow (which must have a manual or shortcut trigger) on this
    /// conversation, then continue here.
    TriggerWorkflow {
        workflow_id: String,
    },
    End,
}

impl StepAction {
    pub fn name(&self) -> &'static str {
        match self {
            StepAction::SendMessage { .. } => "send_message",
            StepAction::AskQuestion(_) => "ask_question",
            StepAction::Assign { .. } => "assign",
            StepAction::Branch { .. } => "branch",
            StepAction::AddTag { .. } => "add_tag",
            StepAction::RemoveTag { .. } => "remove_tag",
            StepAction::UpdateField { .. } => "update_field",
            StepAction::OpenConversation => "open_conversation",
            StepAction::CloseConversation { .. } => "close_conversation",
            StepAction::InternalComment { .. } => "internal_comment",
            StepAction::PauseBot => "pause_bot",
            StepAction::ResumeBot => "resume_bot",
            StepAction::Wait { .. } => "wait",
            StepAction::WaitForBusinessHours => "wait_for_business_hours",
            StepAction::HttpRequest(_) => "http_request",
            StepAction::Jump { .. } => "jump",
            StepAction::TriggerWorkflow { .. } => "trigger_workflow",
            StepAction::End => "end",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arm {
    pub condition: Condition,
    /// `None` ends the run.
    #[serde(default)]
    pub next: Option<StepId>,
}

/// Whom an Assign To step asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AssignTarget {
    Agent {
        agent_id: String,
    },
    Team {
        team_id: String,
    },
    Workspace,
    /// The contact's owner, read from a contact field when the step runs.
    Dedicated {
        #[serde(default = "owner_field")]
        owner_field: String,
        fallback: Fallback,
    },
    Unassign,
}

fn owner_field() -> String {
    "owner".to_owned()
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerKind {
    #[default]
    Text,
    /// One of the step's buttons (the widget shows them; typing a label counts too).
    Buttons,
    Email,
    /// E.164 after removing spaces and dashes.
    Phone,
}

impl AnswerKind {
    pub fn name(self) -> &'static str {
        match self {
            AnswerKind::Text => "text",
            AnswerKind::Buttons => "buttons",
            AnswerKind::Email => "email",
            AnswerKind::Phone => "phone",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub prompt: String,
    #[serde(default)]
    pub kind: AnswerKind,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    /// Run variable the answer is kept in (`{{vars.<name>}}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub save_as: Option<String>,
    /// Contact field the answer is written to (`name`, `email`, `phone` or a custom key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub save_to_field: Option<String>,
    /// No answer within this long goes to `on_timeout` (or ends the run when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<Millis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_timeout: Option<StepId>,
    /// Answers accepted in total before giving up (invalid ones are asked again).
    #[serde(default = "default_attempts")]
    pub max_attempts: u32,
    /// Sent before asking again; a default per kind when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_message: Option<String>,
    /// After `max_attempts` invalid answers (`None`: the run ends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_invalid: Option<StepId>,
}

fn default_attempts() -> u32 {
    3
}

impl Question {
    pub fn new(prompt: impl Into<String>, kind: AnswerKind) -> Self {
        Question {
            prompt: prompt.into(),
            kind,
            buttons: Vec::new(),
            save_as: None,
            save_to_field: None,
            timeout_ms: None,
            on_timeout: None,
            max_attempts: default_attempts(),
            invalid_message: None,
            on_invalid: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub label: String,
    /// What the widget sends back and what is saved; the label when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Where this choice leads (`None`: the step's `next`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<StepId>,
}

impl Button {
    pub fn value(&self) -> &str {
        self.value.as_deref().unwrap_or(&self.label)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    #[default]
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpStep {
    #[serde(default)]
    pub method: HttpMethod,
    /// `https://` only. Variables are percent-encoded into it.
    pub url: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Variables are JSON-escaped into it unless a non-JSON `content-type` header is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default = "default_http_timeout")]
    pub timeout_ms: Millis,
    /// Values picked out of a JSON response.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub map: Vec<ResponseMap>,
    /// A refused URL, a failure, a timeout or a non-2xx status (`None`: the run fails).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_error: Option<StepId>,
}

pub const DEFAULT_HTTP_TIMEOUT: Millis = 10_000;

fn default_http_timeout() -> Millis {
    DEFAULT_HTTP_TIMEOUT
}

/// `path` is dot-separated into the JSON response (`data.items.0.plan`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseMap {
    pub path: String,
    pub to: SaveTarget,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SaveTarget {
    Variable { name: String },
    ContactField { field: String },
}

/// Ids a workflow names outside itself, for the store to check against the workspace (an
/// agent deleted since, a team renamed) before enabling it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct References {
    pub agents: BTreeSet<String>,
    pub teams: BTreeSet<String>,
    pub workflows: BTreeSet<String>,
}

impl Workflow {
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// Whether `presented` is this webhook workflow's secret. Constant-time in the secret's
    /// fingerprint, so response timing does not leak it.
    pub fn accepts_webhook_secret(&self, presented: &str) -> bool {
        use subtle::ConstantTimeEq;
        match &self.trigger {
            Trigger::Webhook { secret_fingerprint } if !secret_fingerprint.is_empty() => {
                let got = crate::token::fingerprint(presented);
                got.as_bytes().ct_eq(secret_fingerprint.as_bytes()).into()
            }
            _ => false,
        }
    }

    pub fn references(&self) -> References {
        let mut refs = References::default();
        for step in &self.steps {
            match &step.action {
                StepAction::Assign { to, .. } => match to {
                    AssignTarget::Agent { agent_id } => {
                        refs.agents.insert(agent_id.clone());
                    }
                    AssignTarget::Team { team_id }
                    | AssignTarget::Dedicated {
                        fallback: Fallback::Team { team_id },
                        ..
                    } => {
                        refs.teams.insert(team_id.clone());
                    }
                    _ => {}
                },
                StepAction::TriggerWorkflow { workflow_id } => {
                    refs.workflows.insert(workflow_id.clone());
                }
                _ => {}
            }
        }
        refs
    }
}

/// The request an Assign To step sends, with the dedicated owner read from the contact.
pub(crate) fn assign_request(
    to: &AssignTarget,
    method: Method,
    online_only: bool,
    max_open: Option<u32>,
    queue: bool,
    owner: Option<String>,
) -> AssignTo {
    let who = match to {
        AssignTarget::Agent { agent_id } => Who::Agent {
            agent_id: agent_id.clone(),
        },
        AssignTarget::Team { team_id } => Who::Team {
            team_id: team_id.clone(),
        },
        AssignTarget::Workspace => Who::Workspace,
        AssignTarget::Dedicated {
            owner_field,
            fallback,
        } => Who::Dedicated {
            owner,
            fallback: fallback.clone(),
            field: Some(owner_field.clone()),
        },
        AssignTarget::Unassign => Who::Unassign,
    };
    AssignTo {
        who,
        method,
        online_only,
        max_open,
        on_unavailable: if queue {
            OnUnavailable::Queue
        } else {
            OnUnavailable::Report
        },
    }
}
