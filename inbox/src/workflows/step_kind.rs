//! A step's type as the editor knows it: one value per [`StepAction`] variant, so a new action in
//! `shared` fails to compile here until the editor says how to show it.

use charla_shared::workflow::StepAction;

use crate::i18n::Lang;
use crate::kit::Choice;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepKind {
    SendMessage,
    AskQuestion,
    Assign,
    Branch,
    AddTag,
    RemoveTag,
    UpdateField,
    OpenConversation,
    CloseConversation,
    InternalComment,
    PauseBot,
    ResumeBot,
    Wait,
    WaitForBusinessHours,
    HttpRequest,
    Jump,
    TriggerWorkflow,
    End,
}

impl Choice for StepKind {
    const ALL: &'static [StepKind] = &[
        StepKind::SendMessage,
        StepKind::AskQuestion,
        StepKind::Assign,
        StepKind::Branch,
        StepKind::AddTag,
        StepKind::RemoveTag,
        StepKind::UpdateField,
        StepKind::OpenConversation,
        StepKind::CloseConversation,
        StepKind::InternalComment,
        StepKind::PauseBot,
        StepKind::ResumeBot,
        StepKind::Wait,
        StepKind::WaitForBusinessHours,
        StepKind::HttpRequest,
        StepKind::Jump,
        StepKind::TriggerWorkflow,
        StepKind::End,
    ];

    /// The wire name (a step's `type`), as serde writes it.
    fn name(self) -> &'static str {
        match self {
            StepKind::SendMessage => "send_message",
            StepKind::AskQuestion => "ask_question",
            StepKind::Assign => "assign",
            StepKind::Branch => "branch",
            StepKind::AddTag => "add_tag",
            StepKind::RemoveTag => "remove_tag",
            StepKind::UpdateField => "update_field",
            StepKind::OpenConversation => "open_conversation",
            StepKind::CloseConversation => "close_conversation",
            StepKind::InternalComment => "internal_comment",
            StepKind::PauseBot => "pause_bot",
            StepKind::ResumeBot => "resume_bot",
            StepKind::Wait => "wait",
            StepKind::WaitForBusinessHours => "wait_for_business_hours",
            StepKind::HttpRequest => "http_request",
            StepKind::Jump => "jump",
            StepKind::TriggerWorkflow => "trigger_workflow",
            StepKind::End => "end",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        let es = lang == Lang::Es;
        match self {
            StepKind::SendMessage => {
                if es {
                    "Enviar mensaje"
                } else {
                    "Send message"
                }
            }
            StepKind::AskQuestion => {
                if es {
                    "Hacer una pregunta"
                } else {
                    "Ask a question"
                }
            }
            StepKind::Assign => {
                if es {
                    "Asignar a"
                } else {
                    "Assign to"
                }
            }
            StepKind::Branch => {
                if es {
                    "Ramificar"
                } else {
                    "Branch"
                }
            }
            StepKind::AddTag => {
                if es {
                    "Añadir etiquetas"
                } else {
                    "Add tags"
                }
            }
            StepKind::RemoveTag => {
                if es {
                    "Quitar etiquetas"
                } else {
                    "Remove tags"
                }
            }
            StepKind::UpdateField => {
                if es {
                    "Actualizar campo del contacto"
                } else {
                    "Update contact field"
                }
            }
            StepKind::OpenConversation => {
                if es {
                    "Abrir conversación"
                } else {
                    "Open conversation"
                }
            }
            StepKind::CloseConversation => {
                if es {
                    "Cerrar conversación"
                } else {
                    "Close conversation"
                }
            }
            StepKind::InternalComment => {
                if es {
                    "Comentario interno"
                } else {
                    "Internal comment"
                }
            }
            StepKind::PauseBot => {
                if es {
                    "Pausar bot"
                } else {
                    "Pause bot"
                }
            }
            StepKind::ResumeBot => {
                if es {
                    "Reanudar bot"
                } else {
                    "Resume bot"
                }
            }
            StepKind::Wait => {
                if es {
                    "Esperar"
                } else {
                    "Wait"
                }
            }
            StepKind::WaitForBusinessHours => {
                if es {
                    "Esperar al horario de atención"
                } else {
                    "Wait for business hours"
                }
            }
            StepKind::HttpRequest => {
                if es {
                    "Solicitud HTTP"
                } else {
                    "HTTP request"
                }
            }
            StepKind::Jump => {
                if es {
                    "Saltar al paso"
                } else {
                    "Jump to step"
                }
            }
            StepKind::TriggerWorkflow => {
                if es {
                    "Iniciar otro flujo de trabajo"
                } else {
                    "Trigger another workflow"
                }
            }
            StepKind::End => {
                if es {
                    "Fin"
                } else {
                    "End"
                }
            }
        }
    }
}

impl StepKind {
    /// The type of a stored step.
    pub fn of(action: &StepAction) -> StepKind {
        match action {
            StepAction::SendMessage { .. } => StepKind::SendMessage,
            StepAction::AskQuestion(_) => StepKind::AskQuestion,
            StepAction::Assign { .. } => StepKind::Assign,
            StepAction::Branch { .. } => StepKind::Branch,
            StepAction::AddTag { .. } => StepKind::AddTag,
            StepAction::RemoveTag { .. } => StepKind::RemoveTag,
            StepAction::UpdateField { .. } => StepKind::UpdateField,
            StepAction::OpenConversation => StepKind::OpenConversation,
            StepAction::CloseConversation { .. } => StepKind::CloseConversation,
            StepAction::InternalComment { .. } => StepKind::InternalComment,
            StepAction::PauseBot => StepKind::PauseBot,
            StepAction::ResumeBot => StepKind::ResumeBot,
            StepAction::Wait { .. } => StepKind::Wait,
            StepAction::WaitForBusinessHours => StepKind::WaitForBusinessHours,
            StepAction::HttpRequest(_) => StepKind::HttpRequest,
            StepAction::Jump { .. } => StepKind::Jump,
            StepAction::TriggerWorkflow { .. } => StepKind::TriggerWorkflow,
            StepAction::End => StepKind::End,
        }
    }

    /// Whether a step of this type may lead somewhere (`jump` and `end` may not).
    pub fn has_next(self) -> bool {
        !matches!(self, StepKind::Jump | StepKind::End)
    }

    /// Types with many options, edited as JSON rather than with their own fields.
    pub fn is_json(self) -> bool {
        matches!(self, StepKind::AskQuestion | StepKind::HttpRequest)
    }

    /// What a new JSON step starts with, so the fields it needs are already there.
    pub fn default_json(self) -> &'static str {
        match self {
            StepKind::AskQuestion => {
                "{\n  \"prompt\": \"\",\n  \"kind\": \"text\",\n  \"save_as\": \"answer\"\n}"
            }
            StepKind::HttpRequest => "{\n  \"method\": \"GET\",\n  \"url\": \"https://\"\n}",
            _ => "",
        }
    }
}

/// A run's step as the list of runs names it (the wire name of its type).
pub fn step_label(lang: Lang, name: &str) -> &'static str {
    match StepKind::parse(name) {
        Some(kind) => kind.label(lang),
        None if lang == Lang::Es => "Paso desconocido",
        None => "Unknown step",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use charla_shared::workflow::Template;

    #[test]
    fn names_are_the_wire_names() {
        for kind in StepKind::ALL {
            assert_eq!(StepKind::parse(kind.name()), Some(*kind));
        }
        for t in Template::ALL {
            for step in t.build("w_1").steps {
                assert_eq!(StepKind::of(&step.action).name(), step.action.name());
            }
        }
    }
}
