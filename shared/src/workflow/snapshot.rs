//! What a run may read: the conversation, its contact, the agents, the clock's context.
//!
//! The DO builds a fresh snapshot for every call, so a run always reads the present (a wait of
//! a day sees the contact as it is a day later). Within one call the engine applies its own
//! effects to a private copy, so a step reads what the steps before it changed.

use serde::{Deserialize, Serialize};

use crate::assignment::AgentInfo;
use crate::basic::ConversationStatus;
use crate::contact::Contact;
use crate::lifecycle::Lifecycle;
use crate::schedule::{BusinessHours, TimeZone};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub conversation: ConversationFacts,
    pub contact: Contact,
    #[serde(default)]
    pub agents: Vec<AgentFacts>,
    /// `None`: the workspace set no hours, and counts as always open.
    #[serde(default)]
    pub business_hours: Option<BusinessHours>,
    /// For `now.*` (date and time conditions).
    #[serde(default)]
    pub time_zone: TimeZone,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationFacts {
    pub id: String,
    pub status: ConversationStatus,
    /// The agent holding it; for a closed conversation, the agent who held it at close (so
    /// "unassign after close" and a goodbye naming the agent have someone to name).
    #[serde(default)]
    pub assignee: Option<String>,
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub bot_paused: bool,
    #[serde(default = "first_period")]
    pub period: u32,
    #[serde(default = "web")]
    pub channel: String,
}

fn first_period() -> u32 {
    1
}

fn web() -> String {
    "web".to_owned()
}

impl ConversationFacts {
    pub fn from_lifecycle(id: impl Into<String>, lifecycle: &Lifecycle) -> Self {
        let period = &lifecycle.current;
        ConversationFacts {
            id: id.into(),
            status: lifecycle.status(),
            assignee: period.assignee.clone(),
            team: period.team.clone(),
            bot_paused: period.bot_paused,
            period: period.number,
            channel: web(),
        }
    }

    pub fn is_open(&self) -> bool {
        self.status == ConversationStatus::Open
    }
}

/// An agent as assignment sees them, plus what messages and conditions read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentFacts {
    #[serde(flatten)]
    pub info: AgentInfo,
    pub name: String,
    /// Open conversations they hold now.
    #[serde(default)]
    pub open: u32,
}

impl Snapshot {
    pub fn new(conversation: ConversationFacts, contact: Contact) -> Self {
        Snapshot {
            conversation,
            contact,
            agents: Vec::new(),
            business_hours: None,
            time_zone: TimeZone::UTC,
        }
    }

    pub fn agent(&self, id: &str) -> Option<&AgentFacts> {
        self.agents.iter().find(|a| a.info.id == id)
    }

    pub fn assignee(&self) -> Option<&AgentFacts> {
        self.conversation
            .assignee
            .as_deref()
            .and_then(|id| self.agent(id))
    }
}
