//! One step as the form holds it, loaded from and built back into a [`Step`]. Steps with many
//! options (`ask_question`, `http_request`) are edited as JSON and checked here as typed.

use crate::workflows::i18n::wt_untracked;
use charla_shared::assignment::{Fallback, Method};
use charla_shared::basic::Millis;
use charla_shared::lifecycle::ClosingNote;
use charla_shared::workflow::{Arm, AssignTarget, Step, StepAction};
use serde_json::Value;

use super::conditions::build_nodes;
use super::{ArmForm, StepKind, WorkflowForm};
use crate::i18n::Lang;
use crate::kit::Choice;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitUnit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

impl Choice for WaitUnit {
    const ALL: &'static [WaitUnit] = &[
        WaitUnit::Seconds,
        WaitUnit::Minutes,
        WaitUnit::Hours,
        WaitUnit::Days,
    ];

    fn name(self) -> &'static str {
        match self {
            WaitUnit::Seconds => "seconds",
            WaitUnit::Minutes => "minutes",
            WaitUnit::Hours => "hours",
            WaitUnit::Days => "days",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        let t = match lang {
            Lang::En => &crate::workflows::i18n::EN,
            Lang::Es => &crate::workflows::i18n::ES,
        };
        match self {
            WaitUnit::Seconds => t.unit_seconds,
            WaitUnit::Minutes => t.unit_minutes,
            WaitUnit::Hours => t.unit_hours,
            WaitUnit::Days => t.unit_days,
        }
    }
}

impl WaitUnit {
    pub fn millis(self) -> Millis {
        match self {
            WaitUnit::Seconds => 1_000,
            WaitUnit::Minutes => 60_000,
            WaitUnit::Hours => 3_600_000,
            WaitUnit::Days => 86_400_000,
        }
    }

    /// The largest unit that holds `ms` whole (seconds at least).
    fn of(ms: Millis) -> WaitUnit {
        WaitUnit::ALL
            .iter()
            .rev()
            .copied()
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
    pub kind: StepKind,
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
    /// The step's settings as JSON (without `id`, `type`, `next`) when [`StepKind::is_json`].
    pub json: String,
}

impl StepForm {
    pub(super) fn blank(key: u32, id: String, kind: StepKind) -> Self {
        StepForm {
            key,
            id,
            kind,
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
            json: kind.default_json().to_owned(),
        }
    }

    pub fn has_next(&self) -> bool {
        self.kind.has_next()
    }

    /// Every step id this step points to, for renames and removals.
    pub(super) fn references_mut(&mut self) -> Vec<&mut String> {
        let mut refs = vec![&mut self.next, &mut self.on_unavailable, &mut self.target];
        refs.extend(self.arms.iter_mut().map(|a| &mut a.next));
        refs
    }
}
impl WorkflowForm {
    pub(super) fn step_from(&mut self, step: &Step) -> StepForm {
        let key = self.key();
        let mut f = StepForm::blank(key, step.id.clone(), StepKind::of(&step.action));
        f.json.clear();
        f.next = step.next.clone().unwrap_or_default();
        match &step.action {
            StepAction::SendMessage { text } | StepAction::InternalComment { text } => {
                f.text = text.clone();
            }
            StepAction::Assign {
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
            StepAction::Branch { arms } => {
                f.arms = arms
                    .iter()
                    .map(|arm| ArmForm {
                        key: self.key(),
                        conditions: self.arm_nodes(&arm.condition),
                        next: arm.next.clone().unwrap_or_default(),
                    })
                    .collect();
            }
            StepAction::AddTag { tags } | StepAction::RemoveTag { tags } => {
                f.tags = tags.join(", ")
            }
            StepAction::UpdateField { field, value } => {
                f.field = field.clone();
                f.value = value.clone();
            }
            StepAction::CloseConversation { note } => {
                f.category = note.category.clone().unwrap_or_default();
                f.summary = note.summary.clone().unwrap_or_default();
            }
            StepAction::Wait { duration_ms } => {
                let unit = WaitUnit::of(*duration_ms);
                f.wait_unit = unit;
                f.wait_amount = (duration_ms / unit.millis()).to_string();
                if duration_ms % unit.millis() != 0 {
                    f.wait_amount = format!("{}", *duration_ms as f64 / unit.millis() as f64);
                }
            }
            StepAction::Jump { target } => f.target = target.clone(),
            StepAction::TriggerWorkflow { workflow_id } => f.workflow_id = workflow_id.clone(),
            StepAction::AskQuestion(_) | StepAction::HttpRequest(_) => f.json = step_json(step),
            StepAction::OpenConversation
            | StepAction::PauseBot
            | StepAction::ResumeBot
            | StepAction::WaitForBusinessHours
            | StepAction::End => {}
        }
        if f.json.is_empty() {
            f.json = f.kind.default_json().to_owned();
        }
        f
    }
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

pub(super) fn build_step(f: &StepForm) -> Result<Step, Vec<String>> {
    let mut problems = Vec::new();
    let action = match f.kind {
        StepKind::SendMessage => StepAction::SendMessage {
            text: f.text.trim().to_owned(),
        },
        StepKind::InternalComment => StepAction::InternalComment {
            text: f.text.trim().to_owned(),
        },
        StepKind::Assign => {
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
                        problems.push(wt_untracked().not_whole_conversations(&t));
                        None
                    }
                },
            };
            StepAction::Assign {
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
        StepKind::Branch => {
            let mut arms = Vec::new();
            for (i, arm) in f.arms.iter().enumerate() {
                if arm.conditions.is_empty() {
                    problems.push(wt_untracked().arm_has_no_condition(i + 1));
                    continue;
                }
                match build_nodes(&arm.conditions) {
                    Ok(condition) => arms.push(Arm {
                        condition,
                        next: opt(&arm.next),
                    }),
                    Err(e) => problems.push(wt_untracked().arm_problem(i + 1, &e)),
                }
            }
            StepAction::Branch { arms }
        }
        StepKind::AddTag => StepAction::AddTag {
            tags: tags(&f.tags),
        },
        StepKind::RemoveTag => StepAction::RemoveTag {
            tags: tags(&f.tags),
        },
        StepKind::UpdateField => StepAction::UpdateField {
            field: f.field.trim().to_owned(),
            value: f.value.clone(),
        },
        StepKind::OpenConversation => StepAction::OpenConversation,
        StepKind::CloseConversation => StepAction::CloseConversation {
            note: ClosingNote {
                category: opt(&f.category),
                summary: opt(&f.summary),
            },
        },
        StepKind::PauseBot => StepAction::PauseBot,
        StepKind::ResumeBot => StepAction::ResumeBot,
        StepKind::Wait => {
            let amount = f.wait_amount.trim().replace(',', ".");
            match amount.parse::<f64>() {
                Ok(n) if n.is_finite() && n > 0.0 => StepAction::Wait {
                    duration_ms: (n * f.wait_unit.millis() as f64).round() as Millis,
                },
                _ => {
                    problems.push(wt_untracked().not_a_duration(
                        f.wait_amount.trim(),
                        f.wait_unit.label(wt_untracked().lang),
                    ));
                    StepAction::End
                }
            }
        }
        StepKind::WaitForBusinessHours => StepAction::WaitForBusinessHours,
        StepKind::Jump => StepAction::Jump {
            target: f.target.clone(),
        },
        StepKind::TriggerWorkflow => StepAction::TriggerWorkflow {
            workflow_id: f.workflow_id.clone(),
        },
        StepKind::End => StepAction::End,
        kind @ (StepKind::AskQuestion | StepKind::HttpRequest) => {
            match json_action(kind, &f.json) {
                Ok(action) => action,
                Err(e) => {
                    problems.push(e);
                    StepAction::End
                }
            }
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
pub fn json_step_problem(kind: StepKind, json: &str) -> Option<String> {
    json_action(kind, json).err()
}

fn json_action(kind: StepKind, json: &str) -> Result<StepAction, String> {
    let mut value: Value = serde_json::from_str(json)
        .map_err(|e| format!("the step's settings are not valid JSON: {e}"))?;
    let obj = value
        .as_object_mut()
        .ok_or_else(|| "the step's settings must be a JSON object ({ … })".to_owned())?;
    obj.insert("type".into(), Value::String(kind.name().to_owned()));
    obj.insert("id".into(), Value::String("x".to_owned()));
    obj.remove("next");
    let step: Step = serde_json::from_value(value)
        .map_err(|e| format!("the step's settings do not fit a {} step: {e}", kind.name()))?;
    Ok(step.action)
}
