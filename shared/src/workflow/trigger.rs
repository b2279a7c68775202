//! Events that may start runs, and which workflows they start.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::contact::ContactChange;
use crate::lifecycle::{ActivityEvent, ActivityKind, Actor, ClosingNote, Source};

/// How many workflow hops one original event may cause (A's effect triggers B, whose effect
/// triggers C, …). Past it, workflow-caused events start nothing.
pub const MAX_CHAIN_DEPTH: u32 = 3;

/// Something that happened, where it came from, and which run (if any) caused it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    #[serde(flatten)]
    pub kind: WorkflowEvent,
    pub source: Source,
    /// Set on events caused by a run's effects; it is what stops a workflow from retriggering
    /// itself and chains from running away.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
}

/// The run behind a workflow-caused event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cause {
    pub workflow_id: String,
    /// 1 for an event caused by a run that an outside event started.
    pub depth: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WorkflowEvent {
    /// Opened, or reopened as period `period`.
    ConversationOpened {
        #[serde(default = "first_period")]
        period: u32,
    },
    ConversationClosed {
        #[serde(default)]
        note: ClosingNote,
    },
    ContactMessage {
        text: String,
        /// The contact's first message of this conversation period.
        #[serde(default)]
        first_in_period: bool,
        /// The value of the widget button the contact pressed, if the message is one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        button: Option<String>,
        /// The media types of the files sent with the message, in order.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachment_types: Vec<String>,
    },
    ContactTagUpdated {
        tag: String,
        added: bool,
    },
    ContactFieldUpdated {
        field: String,
        #[serde(default)]
        old: Option<String>,
        #[serde(default)]
        new: Option<String>,
    },
    Manual {
        workflow_id: String,
        agent_id: String,
    },
    Shortcut {
        workflow_id: String,
        agent_id: String,
    },
    /// The JSON body of an accepted webhook call (the edge checked the secret and the size).
    Webhook {
        workflow_id: String,
        #[serde(default)]
        body: Value,
    },
    /// Another workflow's `trigger_workflow` step.
    Triggered {
        workflow_id: String,
    },
}

fn first_period() -> u32 {
    1
}

impl WorkflowEvent {
    pub fn name(&self) -> &'static str {
        match self {
            WorkflowEvent::ConversationOpened { .. } => "conversation_opened",
            WorkflowEvent::ConversationClosed { .. } => "conversation_closed",
            WorkflowEvent::ContactMessage { .. } => "contact_message",
            WorkflowEvent::ContactTagUpdated { .. } => "contact_tag_updated",
            WorkflowEvent::ContactFieldUpdated { .. } => "contact_field_updated",
            WorkflowEvent::Manual { .. } => "manual",
            WorkflowEvent::Shortcut { .. } => "shortcut",
            WorkflowEvent::Webhook { .. } => "webhook",
            WorkflowEvent::Triggered { .. } => "triggered",
        }
    }
}

impl Event {
    pub fn new(kind: WorkflowEvent, source: Source) -> Self {
        Event {
            kind,
            source,
            cause: None,
        }
    }

    /// A contact message (source `contact`).
    pub fn contact_message(text: impl Into<String>, first_in_period: bool) -> Self {
        Event::new(
            WorkflowEvent::ContactMessage {
                text: text.into(),
                first_in_period,
                button: None,
                attachment_types: Vec::new(),
            },
            Source::Contact,
        )
    }

    /// A contact message's files, by media type (`event.attachments` counts them).
    pub fn with_attachment_types(mut self, types: Vec<String>) -> Self {
        if let WorkflowEvent::ContactMessage {
            attachment_types, ..
        } = &mut self.kind
        {
            *attachment_types = types;
        }
        self
    }

    pub fn with_cause(mut self, cause: Option<Cause>) -> Self {
        self.cause = cause;
        self
    }

    /// The workflow event behind a timeline event, if any: opened/reopened and closed. `cause`
    /// is the run that executed the command ([`super::Run::cause`]); when the DO does not know
    /// it, an actor that is a workflow still counts as one hop.
    pub fn from_activity(activity: &ActivityEvent, cause: Option<Cause>) -> Option<Event> {
        let kind = match &activity.kind {
            ActivityKind::Opened => WorkflowEvent::ConversationOpened { period: 1 },
            ActivityKind::Reopened { period } => {
                WorkflowEvent::ConversationOpened { period: *period }
            }
            ActivityKind::Closed { note } => {
                WorkflowEvent::ConversationClosed { note: note.clone() }
            }
            _ => return None,
        };
        let cause = cause.or_else(|| match &activity.actor {
            Actor::Workflow { id } => Some(Cause {
                workflow_id: id.clone(),
                depth: 1,
            }),
            _ => None,
        });
        Some(Event {
            kind,
            source: activity.source,
            cause,
        })
    }

    /// One event per change that [`crate::contact::Contact::apply`] reported.
    pub fn from_contact_changes(
        changes: &[ContactChange],
        source: Source,
        cause: Option<Cause>,
    ) -> Vec<Event> {
        changes
            .iter()
            .map(|change| {
                let kind = match change {
                    ContactChange::Field { field, old, new } => {
                        WorkflowEvent::ContactFieldUpdated {
                            field: field.clone(),
                            old: old.clone(),
                            new: new.clone(),
                        }
                    }
                    ContactChange::TagAdded { tag } => WorkflowEvent::ContactTagUpdated {
                        tag: tag.clone(),
                        added: true,
                    },
                    ContactChange::TagRemoved { tag } => WorkflowEvent::ContactTagUpdated {
                        tag: tag.clone(),
                        added: false,
                    },
                };
                Event {
                    kind,
                    source,
                    cause: cause.clone(),
                }
            })
            .collect()
    }
}

/// What starts a run. Event properties are tested by the workflow's conditions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Trigger {
    /// A conversation opened or a closed one reopened (a new period).
    ConversationOpened,
    ConversationClosed,
    ContactMessage {
        /// Only the contact's first message of a conversation period.
        #[serde(default)]
        first_in_period_only: bool,
    },
    ContactTagUpdated,
    ContactFieldUpdated,
    /// An agent runs this workflow from the inbox.
    Manual,
    /// An agent picks this workflow from the conversation's shortcut menu.
    Shortcut,
    /// `POST` to the workflow's webhook URL with the secret whose fingerprint
    /// ([`crate::token::fingerprint`]) is stored here; the secret itself is never stored.
    Webhook {
        secret_fingerprint: String,
    },
}

impl Trigger {
    pub fn name(&self) -> &'static str {
        match self {
            Trigger::ConversationOpened => "conversation_opened",
            Trigger::ConversationClosed => "conversation_closed",
            Trigger::ContactMessage { .. } => "contact_message",
            Trigger::ContactTagUpdated => "contact_tag_updated",
            Trigger::ContactFieldUpdated => "contact_field_updated",
            Trigger::Manual => "manual",
            Trigger::Shortcut => "shortcut",
            Trigger::Webhook { .. } => "webhook",
        }
    }
}

impl Trigger {
    /// Whether an event of this kind is what the trigger listens for (conditions aside).
    /// Manual, shortcut, webhook and triggered events name their workflow.
    pub fn accepts(&self, workflow_id: &str, event: &WorkflowEvent) -> bool {
        match (self, event) {
            (Trigger::ConversationOpened, WorkflowEvent::ConversationOpened { .. })
            | (Trigger::ConversationClosed, WorkflowEvent::ConversationClosed { .. })
            | (Trigger::ContactTagUpdated, WorkflowEvent::ContactTagUpdated { .. })
            | (Trigger::ContactFieldUpdated, WorkflowEvent::ContactFieldUpdated { .. }) => true,
            (
                Trigger::ContactMessage {
                    first_in_period_only,
                },
                WorkflowEvent::ContactMessage {
                    first_in_period, ..
                },
            ) => *first_in_period || !*first_in_period_only,
            (Trigger::Manual, WorkflowEvent::Manual { workflow_id: w, .. })
            | (Trigger::Shortcut, WorkflowEvent::Shortcut { workflow_id: w, .. })
            | (Trigger::Webhook { .. }, WorkflowEvent::Webhook { workflow_id: w, .. })
            | (Trigger::Manual | Trigger::Shortcut, WorkflowEvent::Triggered { workflow_id: w }) => {
                w == workflow_id
            }
            _ => false,
        }
    }
}

/// The loop rules, before any condition is read: a workflow never reacts to its own effects,
/// and a chain of workflow-caused events stops after `max_depth` hops.
pub(crate) fn allowed_by_loop_rules(workflow_id: &str, event: &Event, max_depth: u32) -> bool {
    match &event.cause {
        Some(cause) => cause.workflow_id != workflow_id && cause.depth <= max_depth,
        // A workflow-sourced event whose run the caller lost track of: at least one hop.
        None => event.source != Source::Workflow || max_depth >= 1,
    }
}
