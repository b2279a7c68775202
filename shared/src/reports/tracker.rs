//! What a period's messages say about responsiveness, accumulated as they arrive.
//!
//! Kept per period by the Conversation Durable Object (ideally inside the lifecycle
//! [`Period`](crate::lifecycle::Period), fed where the lifecycle counts messages), so closing a
//! period never has to read its message log back.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::basic::Millis;
use crate::lifecycle::{Actor, Source};

/// Who wrote a message, as far as reports care. Only [`MessageAuthor::Agent`] is a human
/// reply: bots, workflows, API calls and platform notices are outgoing messages that answer
/// nobody (as in respond.io).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum MessageAuthor {
    Contact,
    /// A person writing from the inbox; the id is the agent's.
    Agent(String),
    Workflow,
    Bot,
    Api,
    System,
}

impl MessageAuthor {
    /// The lifecycle's view of a message author. Mirrors its rule that only
    /// [`Source::User`] is a human reply, so the tracker and the lifecycle never disagree on
    /// what counts as a first response.
    pub fn from_attribution(actor: &Actor, source: Source) -> Self {
        match (source, actor) {
            (Source::Contact, _) => MessageAuthor::Contact,
            (Source::User, Actor::Agent { id }) => MessageAuthor::Agent(id.clone()),
            (Source::Workflow, _) => MessageAuthor::Workflow,
            (Source::Api, _) => MessageAuthor::Api,
            (Source::User | Source::System, _) => MessageAuthor::System,
        }
    }
}

/// One agent's part in a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgentShare {
    /// They were assigned the conversation at some point of the period.
    pub assigned: bool,
    /// Messages they wrote in the period.
    pub messages: u32,
}

/// Response figures of one period.
///
/// Average response time: every run of contact messages that no human agent has answered yet
/// starts a wait at its first message; the next human agent message ends it. The average is
/// the mean of the ended waits. A wait still running at close is not averaged in (it has no
/// end); it shows as [`ResponseTracker::waiting_since`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResponseTracker {
    /// Contact messages. Mirrors `Period::messages_in` so the tracker stands on its own.
    pub messages_in: u32,
    /// Every outgoing message: agents, bots, workflows, API, platform.
    pub messages_out: u32,
    /// First human agent message. Mirrors `Period::first_agent_response_at`.
    pub first_response_at: Option<Millis>,
    pub first_responder: Option<String>,
    /// First contact message of the wait in progress, if any.
    pub waiting_since: Option<Millis>,
    /// Ended waits.
    pub responses: u32,
    /// Sum of the ended waits, so averages over many periods weigh every response equally.
    pub response_total_ms: i64,
    /// Agents who were assigned or wrote, by id. A handful per period, so a map is small.
    pub agents: BTreeMap<String, AgentShare>,
}

impl ResponseTracker {
    pub fn on_message(&mut self, author: &MessageAuthor, at: Millis) {
        match author {
            MessageAuthor::Contact => {
                self.messages_in = self.messages_in.saturating_add(1);
                self.waiting_since.get_or_insert(at);
            }
            MessageAuthor::Agent(id) => {
                self.messages_out = self.messages_out.saturating_add(1);
                if self.first_response_at.is_none() {
                    self.first_response_at = Some(at);
                    self.first_responder = Some(id.clone());
                }
                let share = self.agents.entry(id.clone()).or_default();
                share.messages = share.messages.saturating_add(1);
                if let Some(since) = self.waiting_since.take() {
                    self.responses = self.responses.saturating_add(1);
                    self.response_total_ms = self
                        .response_total_ms
                        .saturating_add(at.saturating_sub(since).max(0));
                }
            }
            MessageAuthor::Workflow
            | MessageAuthor::Bot
            | MessageAuthor::Api
            | MessageAuthor::System => {
                self.messages_out = self.messages_out.saturating_add(1);
            }
        }
    }

    /// An agent was assigned (team-only moves are not assignments).
    pub fn on_assigned(&mut self, agent_id: &str) {
        self.agents.entry(agent_id.to_owned()).or_default().assigned = true;
    }

    /// Mean of the ended waits, rounded down; `None` when nothing was answered.
    pub fn avg_response_ms(&self) -> Option<i64> {
        average(self.response_total_ms, self.responses.into())
    }
}

/// `total / count` rounded down, `None` for no samples: the one averaging rule of reports.
pub(crate) fn average(total: i64, count: u64) -> Option<i64> {
    let count = i64::try_from(count).ok().filter(|&c| c > 0)?;
    Some(total.div_euclid(count))
}
