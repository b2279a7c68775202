//! The "Assignment" settings form and the workspace's `AssignTo` rule it reads and writes
//! (`shared/src/assignment.rs`; `null` = automatic assignment off).
//!
//! The rule travels as JSON built here rather than as `AssignTo`, so the form keeps working
//! while the dedicated rule's `field` key (the contact field naming the owner) is added to
//! the shared type: unknown rules read as "off" and are only replaced when someone saves.

use charla_shared::assignment::{Method, OnUnavailable};
use serde_json::{json, Value};

use crate::i18n::Lang;
use crate::kit::Choice;
use crate::settings::i18n::st_untracked;
use crate::shell::roster::parse_limit;

/// Whom new conversations go to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    #[default]
    Off,
    /// An agent of one team.
    Team,
    /// Any agent of the workspace.
    Workspace,
    /// The contact's owner, named by a contact field.
    Dedicated,
}

impl Choice for Mode {
    const ALL: &'static [Mode] = &[Mode::Off, Mode::Team, Mode::Workspace, Mode::Dedicated];

    fn name(self) -> &'static str {
        match self {
            Mode::Off => "off",
            Mode::Team => "team",
            Mode::Workspace => "workspace",
            Mode::Dedicated => "dedicated",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        let es = lang == Lang::Es;
        match self {
            Mode::Off => {
                if es {
                    "Desactivada (no se asigna a nadie automáticamente)"
                } else {
                    "Off (nobody is assigned automatically)"
                }
            }
            Mode::Team => {
                if es {
                    "Un agente de un equipo"
                } else {
                    "An agent of a team"
                }
            }
            Mode::Workspace => {
                if es {
                    "Cualquier agente"
                } else {
                    "Any agent"
                }
            }
            Mode::Dedicated => {
                if es {
                    "El responsable del contacto (de un campo del contacto)"
                } else {
                    "The contact's owner (from a contact field)"
                }
            }
        }
    }
}

/// Where a dedicated rule sends a conversation whose owner cannot take it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FallbackMode {
    Team,
    #[default]
    Workspace,
    WaitForOwner,
}

impl Choice for FallbackMode {
    const ALL: &'static [FallbackMode] = &[
        FallbackMode::Team,
        FallbackMode::Workspace,
        FallbackMode::WaitForOwner,
    ];

    fn name(self) -> &'static str {
        match self {
            FallbackMode::Team => "team",
            FallbackMode::Workspace => "workspace",
            FallbackMode::WaitForOwner => "wait_for_owner",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        let es = lang == Lang::Es;
        match self {
            FallbackMode::Team => {
                if es {
                    "Un agente de un equipo"
                } else {
                    "An agent of a team"
                }
            }
            FallbackMode::Workspace => {
                if es {
                    "Cualquier agente"
                } else {
                    "Any agent"
                }
            }
            FallbackMode::WaitForOwner => {
                if es {
                    "Esperar al responsable"
                } else {
                    "Wait for the owner"
                }
            }
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssignmentForm {
    pub mode: Mode,
    /// The team of [`Mode::Team`].
    pub team_id: String,
    /// The contact field naming the owner (agent id or email), for [`Mode::Dedicated`].
    pub field: String,
    pub fallback: FallbackMode,
    pub fallback_team_id: String,
    pub method: Method,
    pub online_only: bool,
    /// As typed; empty = no limit.
    pub max_open: String,
    pub on_unavailable: OnUnavailable,
}

impl AssignmentForm {
    /// Read the stored rule (`null` or anything this form does not know reads as off).
    pub fn from_rule(rule: &Value) -> Self {
        let who = &rule["who"];
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let mut form = AssignmentForm {
            method: serde_json::from_value(rule["method"].clone()).unwrap_or_default(),
            online_only: rule["online_only"].as_bool().unwrap_or(false),
            max_open: rule["max_open"]
                .as_u64()
                .map(|n| n.to_string())
                .unwrap_or_default(),
            on_unavailable: serde_json::from_value(rule["on_unavailable"].clone())
                .unwrap_or_default(),
            ..AssignmentForm::default()
        };
        match who["type"].as_str() {
            Some("team") => {
                form.mode = Mode::Team;
                form.team_id = text(&who["team_id"]);
            }
            Some("workspace") => form.mode = Mode::Workspace,
            Some("dedicated") => {
                form.mode = Mode::Dedicated;
                form.field = text(&who["field"]);
                let fallback = &who["fallback"];
                form.fallback = fallback["type"]
                    .as_str()
                    .and_then(FallbackMode::parse)
                    .unwrap_or_default();
                form.fallback_team_id = text(&fallback["team_id"]);
            }
            _ => return AssignmentForm::default(),
        }
        form
    }

    /// The rule to store (`null` when off), or what is missing.
    pub fn to_rule(&self) -> Result<Value, String> {
        let who = match self.mode {
            Mode::Off => return Ok(Value::Null),
            Mode::Team => json!({"type": "team", "team_id": required_team(&self.team_id)?}),
            Mode::Workspace => json!({"type": "workspace"}),
            Mode::Dedicated => {
                let field = self.field.trim();
                if field.is_empty() {
                    return Err(st_untracked().name_owner_field.to_owned());
                }
                let fallback = match self.fallback {
                    FallbackMode::Team => {
                        json!({"type": "team", "team_id": required_team(&self.fallback_team_id)?})
                    }
                    FallbackMode::Workspace => json!({"type": "workspace"}),
                    FallbackMode::WaitForOwner => json!({"type": "wait_for_owner"}),
                };
                json!({"type": "dedicated", "field": field, "owner": null, "fallback": fallback})
            }
        };
        Ok(json!({
            "who": who,
            "method": self.method,
            "online_only": self.online_only,
            "max_open": parse_limit(&self.max_open)
                .map_err(|_| st_untracked().max_open_not_whole.to_owned())?,
            "on_unavailable": self.on_unavailable,
        }))
    }
}

fn required_team(team_id: &str) -> Result<&str, String> {
    if team_id.is_empty() {
        Err(st_untracked().choose_a_team.to_owned())
    } else {
        Ok(team_id)
    }
}

impl Choice for Method {
    const ALL: &'static [Method] = &[Method::RoundRobin, Method::FewestOpen];

    fn name(self) -> &'static str {
        match self {
            Method::RoundRobin => "round_robin",
            Method::FewestOpen => "fewest_open",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        let es = lang == Lang::Es;
        match self {
            Method::RoundRobin => {
                if es {
                    "Por turnos (round robin)"
                } else {
                    "Round robin"
                }
            }
            Method::FewestOpen => {
                if es {
                    "Menos conversaciones abiertas"
                } else {
                    "Fewest open conversations"
                }
            }
        }
    }
}

impl Choice for OnUnavailable {
    const ALL: &'static [OnUnavailable] = &[OnUnavailable::Report, OnUnavailable::Queue];

    fn name(self) -> &'static str {
        match self {
            OnUnavailable::Report => "report",
            OnUnavailable::Queue => "queue",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        let es = lang == Lang::Es;
        match self {
            OnUnavailable::Report => {
                if es {
                    "Dejarla sin asignar"
                } else {
                    "Leave it unassigned"
                }
            }
            OnUnavailable::Queue => {
                if es {
                    "Ponerla en cola hasta que alguien esté libre"
                } else {
                    "Queue it until someone is free"
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use charla_shared::assignment::AssignTo;

    #[test]
    fn null_reads_as_off_and_off_writes_null() {
        let form = AssignmentForm::from_rule(&Value::Null);
        assert_eq!(form, AssignmentForm::default());
        assert_eq!(form.to_rule(), Ok(Value::Null));
    }

    #[test]
    fn team_rule_round_trips_and_is_an_assign_to() {
        let form = AssignmentForm {
            mode: Mode::Team,
            team_id: "t_sales".into(),
            method: Method::FewestOpen,
            online_only: true,
            max_open: " 4 ".into(),
            on_unavailable: OnUnavailable::Queue,
            ..AssignmentForm::default()
        };
        let rule = form.to_rule().unwrap();
        assert_eq!(
            rule,
            json!({"who": {"type": "team", "team_id": "t_sales"}, "method": "fewest_open",
                   "online_only": true, "max_open": 4, "on_unavailable": "queue"})
        );
        // The edge reads exactly this shape.
        let parsed: AssignTo = serde_json::from_value(rule.clone()).unwrap();
        assert_eq!(parsed.max_open, Some(4));
        let back = AssignmentForm::from_rule(&rule);
        assert_eq!(back.max_open, "4");
        assert_eq!(back.to_rule(), Ok(rule));
    }

    #[test]
    fn workspace_rule_with_no_limit() {
        let form = AssignmentForm {
            mode: Mode::Workspace,
            ..AssignmentForm::default()
        };
        let rule = form.to_rule().unwrap();
        assert_eq!(rule["who"], json!({"type": "workspace"}));
        assert_eq!(rule["max_open"], Value::Null);
        assert_eq!(rule["method"], "round_robin");
        assert_eq!(rule["on_unavailable"], "report");
        assert!(serde_json::from_value::<AssignTo>(rule).is_ok());
    }

    #[test]
    fn dedicated_rule_names_its_field_and_fallback() {
        let form = AssignmentForm {
            mode: Mode::Dedicated,
            field: " account_owner ".into(),
            fallback: FallbackMode::Team,
            fallback_team_id: "t_support".into(),
            ..AssignmentForm::default()
        };
        let rule = form.to_rule().unwrap();
        assert_eq!(
            rule["who"],
            json!({"type": "dedicated", "field": "account_owner", "owner": null,
                   "fallback": {"type": "team", "team_id": "t_support"}})
        );
        assert!(serde_json::from_value::<AssignTo>(rule.clone()).is_ok());
        let back = AssignmentForm::from_rule(&rule);
        assert_eq!(back.field, "account_owner");
        assert_eq!(back.fallback, FallbackMode::Team);
        assert_eq!(back.fallback_team_id, "t_support");

        let waiting = AssignmentForm {
            fallback: FallbackMode::WaitForOwner,
            ..back
        };
        assert_eq!(
            waiting.to_rule().unwrap()["who"]["fallback"],
            json!({"type": "wait_for_owner"})
        );
    }

    #[test]
    fn missing_choices_are_explained() {
        let team = AssignmentForm {
            mode: Mode::Team,
            ..AssignmentForm::default()
        };
        assert_eq!(team.to_rule(), Err("Choose a team.".to_owned()));
        let dedicated = AssignmentForm {
            mode: Mode::Dedicated,
            ..AssignmentForm::default()
        };
        assert!(dedicated.to_rule().unwrap_err().contains("contact field"));
        let bad_limit = AssignmentForm {
            mode: Mode::Workspace,
            max_open: "lots".into(),
            ..AssignmentForm::default()
        };
        assert!(bad_limit.to_rule().unwrap_err().starts_with("Max open"));
    }

    #[test]
    fn rules_this_form_cannot_show_read_as_off() {
        let rule = json!({"who": {"type": "agent", "agent_id": "a1"}, "method": "fewest_open"});
        assert_eq!(AssignmentForm::from_rule(&rule), AssignmentForm::default());
    }

    #[test]
    fn names_round_trip() {
        for &m in Mode::ALL {
            assert_eq!(Mode::parse(m.name()), Some(m));
        }
        for &f in FallbackMode::ALL {
            assert_eq!(FallbackMode::parse(f.name()), Some(f));
        }
        for &m in Method::ALL {
            assert_eq!(Method::parse(m.name()), Some(m));
            assert_eq!(serde_json::to_value(m).unwrap(), m.name());
        }
        for &u in OnUnavailable::ALL {
            assert_eq!(OnUnavailable::parse(u.name()), Some(u));
            assert_eq!(serde_json::to_value(u).unwrap(), u.name());
        }
    }
}
