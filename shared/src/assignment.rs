//! Automatic assignment: which agent gets a conversation, and who waits in which queue.
//!
//! The Workspace Durable Object is the single writer of one [`AssignmentState`]. It passes the
//! current roster ([`AgentInfo`]: presence, capacity, teams) on every call and executes the
//! [`Decision`]s and [`Placement`]s by sending `Assign` commands to the conversations.
//!
//! # Who counts open conversations
//!
//! The state itself, as a map from conversation to the agent holding it, not as counters: the
//! updates arrive from conversations at least once, and setting "conversation C is held by A"
//! twice is harmless where adding one twice is not. The state records a holder the moment it
//! decides (so the next decision, made before the conversation has answered, already sees the
//! slot taken), and the shell reports every change of a conversation's assignee with
//! [`AssignmentState::on_assignee_changed`] (manual assignments included) and every close with
//! [`AssignmentState::on_closed`]. If a conversation refuses an assignment (it closed in the
//! meantime), the shell reports the truth the same way.
//!
//! # Rules
//!
//! - Capacity (`AgentInfo::capacity`) and the request's `max_open` filter only bind automatic
//!   assignment: a person may hand an agent one more, and that agent is then skipped until
//!   below the limit again.
//! - Round robin keeps, per scope (each team, and the whole workspace), the last agent it
//!   picked, and picks the next eligible agent after it in id order, wrapping. Keeping an id
//!   rather than an index survives agents joining and leaving. An agent that is always
//!   eligible can never be jumped over, which is what keeps the rotation fair.
//! - Fewest open conversations breaks ties in the same rotation order and moves the same
//!   cursor, so equally loaded agents still take turns.
//! - Queues are FIFO: when capacity frees or an agent comes online, the oldest waiting
//!   conversation that can now be placed is placed first. A conversation that cannot be
//!   placed does not block later ones that can (they asked for different agents).
//! - Nobody to queue for (an empty team, an unknown agent) is reported as
//!   [`Unavailable::NoAgents`] and never queued: that queue would never drain.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// An agent as the Workspace Durable Object knows them right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentInfo {
    pub id: String,
    /// Present in the inbox. Away and offline agents are both `false`.
    pub online: bool,
    /// Most open conversations automatic assignment may give them; `None` = no limit.
    #[serde(default)]
    pub capacity: Option<u32>,
    #[serde(default)]
    pub teams: Vec<String>,
}

/// Whom to assign to (respond.io's "Assign To").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Who {
    Agent {
        agent_id: String,
    },
    /// An agent of the team.
    Team {
        team_id: String,
    },
    /// Any agent of the workspace.
    Workspace,
    /// The contact's owner, read by the caller from a contact field (`None` when empty).
    /// The owner gets it when online and below capacity; otherwise `fallback` applies.
    Dedicated {
        owner: Option<String>,
        fallback: Fallback,
        /// The contact field naming the owner (an agent id or email), for callers that fill
        /// `owner` from the contact; stored rules keep `owner` empty and name the field.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<String>,
    },
    Unassign,
}

impl Who {
    /// The agent and the team this names by id, if any: what must exist in the workspace
    /// before a rule or step using it is accepted (a dedicated owner comes from contact data,
    /// not from the rule, so only its fallback team counts).
    pub fn references(&self) -> (Option<&str>, Option<&str>) {
        match self {
            Who::Agent { agent_id } => (Some(agent_id), None),
            Who::Team { team_id }
            | Who::Dedicated {
                fallback: Fallback::Team { team_id },
                ..
            } => (None, Some(team_id)),
            _ => (None, None),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Fallback {
    Team {
        team_id: String,
    },
    Workspace,
    /// Keep it for the owner: queue for them (or report, per [`AssignTo::on_unavailable`]).
    WaitForOwner,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    #[default]
    RoundRobin,
    FewestOpen,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnUnavailable {
    /// Answer [`Decision::NoneAvailable`] so a workflow can take its other branch.
    #[default]
    Report,
    /// Wait in the queue until someone can take it.
    Queue,
}

/// One assignment request: who, how, with which filters, and what to do when nobody can.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignTo {
    pub who: Who,
    #[serde(default)]
    pub method: Method,
    /// Skip agents who are not online. The dedicated owner must be online regardless.
    #[serde(default)]
    pub online_only: bool,
    /// Only agents with fewer than this many open conversations.
    #[serde(default)]
    pub max_open: Option<u32>,
    #[serde(default)]
    pub on_unavailable: OnUnavailable,
}

/// A waiting line. Assignments to a specific agent wait for that agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Queue {
    Agent { agent_id: String },
    Team { team_id: String },
    Workspace,
}

/// Why nobody could take a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unavailable {
    /// No agent matches at all (empty team, unknown agent).
    NoAgents,
    /// Every matching agent is offline and the request wants online agents.
    Offline,
    /// Every matching agent that may be used is at capacity or over `max_open`.
    AtCapacity,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Decision {
    /// Assign to `agent_id`; `team_id` is the team it was chosen from, if any.
    Assign {
        agent_id: String,
        team_id: Option<String>,
    },
    Unassign,
    /// Waiting; `position` counts from 1 within `queue`.
    Queued {
        queue: Queue,
        position: usize,
    },
    NoneAvailable {
        reason: Unavailable,
    },
}

/// A queued conversation that now has an agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub conversation_id: String,
    pub agent_id: String,
    pub team_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    pub conversation_id: String,
    pub queue: Queue,
    /// Re-evaluated whole when a slot frees, so a dedicated owner still comes first.
    pub request: AssignTo,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentState {
    /// Open conversation → the agent holding it.
    holders: BTreeMap<String, String>,
    /// Last agent picked by rotation in the whole workspace.
    workspace_cursor: Option<String>,
    /// Last agent picked by rotation, per team.
    team_cursors: BTreeMap<String, String>,
    /// Every waiting conversation, oldest first, across all queues.
    waiting: Vec<Waiting>,
}

#[derive(Clone, Copy)]
enum Scope<'a> {
    Team(&'a str),
    Workspace,
}

struct Pick {
    agent_id: String,
    /// The team it was chosen from; with `rotated`, names the cursor to move.
    team_id: Option<String>,
    /// Chosen by rotation (moves the scope's cursor) rather than by name.
    rotated: bool,
}

impl AssignmentState {
    pub fn new() -> Self {
        Self::default()
    }

    /// Decide for one conversation. Records the holder on `Assign` and the wait on `Queued`;
    /// a conversation already waiting is taken out of its queue first (a new request replaces
    /// the old one). `Unassign` only cancels waiting: the holder is released when the
    /// conversation reports the change through [`Self::on_assignee_changed`]. Reassigning a
    /// held conversation that cannot be placed leaves it with its current agent.
    pub fn decide(
        &mut self,
        conversation_id: &str,
        request: &AssignTo,
        agents: &[AgentInfo],
    ) -> Decision {
        self.waiting
            .retain(|w| w.conversation_id != conversation_id);
        if request.who == Who::Unassign {
            return Decision::Unassign;
        }
        let counts = self.open_counts();
        match self.pick(conversation_id, request, agents, &counts) {
            Ok(pick) => {
                let (agent_id, team_id) = self.take(conversation_id, pick);
                Decision::Assign { agent_id, team_id }
            }
            Err((reason, queue)) => match (request.on_unavailable, queue) {
                (OnUnavailable::Queue, Some(queue)) if reason != Unavailable::NoAgents => {
                    self.waiting.push(Waiting {
                        conversation_id: conversation_id.to_owned(),
                        queue: queue.clone(),
                        request: request.clone(),
                    });
                    let position = self.waiting.iter().filter(|w| w.queue == queue).count();
                    Decision::Queued { queue, position }
                }
                _ => Decision::NoneAvailable { reason },
            },
        }
    }

    /// The conversation's assignee is now `assignee` (from
    /// [`Lifecycle::assignee`](crate::lifecycle::Lifecycle::assignee)). Idempotent. An agent
    /// given the conversation stops it waiting; a freed slot goes to the queues.
    pub fn on_assignee_changed(
        &mut self,
        conversation_id: &str,
        assignee: Option<&str>,
        agents: &[AgentInfo],
    ) -> Vec<Placement> {
        match assignee {
            Some(agent_id) => {
                self.waiting
                    .retain(|w| w.conversation_id != conversation_id);
                self.holders
                    .insert(conversation_id.to_owned(), agent_id.to_owned());
            }
            None => {
                self.holders.remove(conversation_id);
            }
        }
        self.drain(agents)
    }

    /// The conversation closed: it neither holds an agent nor waits. Idempotent.
    pub fn on_closed(&mut self, conversation_id: &str, agents: &[AgentInfo]) -> Vec<Placement> {
        self.waiting
            .retain(|w| w.conversation_id != conversation_id);
        self.holders.remove(conversation_id);
        self.drain(agents)
    }

    /// Place whatever waiting conversations can be placed now, oldest first. Call it when the
    /// roster changes (an agent comes online, a capacity goes up); the other entry points call
    /// it themselves.
    pub fn drain(&mut self, agents: &[AgentInfo]) -> Vec<Placement> {
        let mut placed = Vec::new();
        let mut counts = self.open_counts();
        let mut i = 0;
        while i < self.waiting.len() {
            let waiting = &self.waiting[i];
            match self.pick(&waiting.conversation_id, &waiting.request, agents, &counts) {
                Ok(pick) => {
                    let waiting = self.waiting.remove(i);
                    if let Some(old) = self.holders.get(&waiting.conversation_id) {
                        if let Some(n) = counts.get_mut(old) {
                            *n -= 1;
                        }
                    }
                    let (agent_id, team_id) = self.take(&waiting.conversation_id, pick);
                    *counts.entry(agent_id.clone()).or_default() += 1;
                    placed.push(Placement {
                        conversation_id: waiting.conversation_id,
                        agent_id,
                        team_id,
                    });
                }
                Err(_) => i += 1,
            }
        }
        placed
    }

    /// Open conversations the agent holds.
    pub fn open_count(&self, agent_id: &str) -> u32 {
        self.holders.values().filter(|a| *a == agent_id).count() as u32
    }

    pub fn holder(&self, conversation_id: &str) -> Option<&str> {
        self.holders.get(conversation_id).map(String::as_str)
    }

    /// Everything waiting, oldest first.
    pub fn waiting(&self) -> &[Waiting] {
        &self.waiting
    }

    /// Position (from 1) of the conversation in its queue, e.g. for "you are number 3".
    pub fn position(&self, conversation_id: &str) -> Option<usize> {
        let me = self
            .waiting
            .iter()
            .position(|w| w.conversation_id == conversation_id)?;
        let queue = &self.waiting[me].queue;
        Some(
            self.waiting[..=me]
                .iter()
                .filter(|w| &w.queue == queue)
                .count(),
        )
    }

    fn open_counts(&self) -> BTreeMap<String, u32> {
        let mut counts = BTreeMap::new();
        for agent in self.holders.values() {
            *counts.entry(agent.clone()).or_default() += 1;
        }
        counts
    }

    fn take(&mut self, conversation_id: &str, pick: Pick) -> (String, Option<String>) {
        if pick.rotated {
            match &pick.team_id {
                Some(team) => {
                    self.team_cursors
                        .insert(team.clone(), pick.agent_id.clone());
                }
                None => self.workspace_cursor = Some(pick.agent_id.clone()),
            }
        }
        self.holders
            .insert(conversation_id.to_owned(), pick.agent_id.clone());
        (pick.agent_id, pick.team_id)
    }

    /// Choose without changing anything. The error names why and the queue to wait in
    /// (`None`: there is nothing to wait for).
    fn pick(
        &self,
        conversation_id: &str,
        request: &AssignTo,
        agents: &[AgentInfo],
        counts: &BTreeMap<String, u32>,
    ) -> Result<Pick, (Unavailable, Option<Queue>)> {
        // A conversation being reassigned does not count against its current holder.
        let held_by = self.holders.get(conversation_id);
        let open = |id: &str| {
            let n = counts.get(id).copied().unwrap_or(0);
            n - u32::from(held_by.is_some_and(|h| h == id))
        };
        let check = |agent: &AgentInfo, online_only: bool| -> Result<(), Unavailable> {
            if online_only && !agent.online {
                return Err(Unavailable::Offline);
            }
            let n = open(&agent.id);
            let full =
                agent.capacity.is_some_and(|c| n >= c) || request.max_open.is_some_and(|m| n >= m);
            if full {
                Err(Unavailable::AtCapacity)
            } else {
                Ok(())
            }
        };
        let one = |agent_id: &str, online_only: bool| -> Result<Pick, Unavailable> {
            let agent = agents
                .iter()
                .find(|a| a.id == agent_id)
                .ok_or(Unavailable::NoAgents)?;
            check(agent, online_only)?;
            Ok(Pick {
                agent_id: agent.id.clone(),
                team_id: None,
                rotated: false,
            })
        };
        let among = |scope: Scope| -> Result<Pick, (Unavailable, Option<Queue>)> {
            let queue = match scope {
                Scope::Team(team_id) => Queue::Team {
                    team_id: team_id.to_owned(),
                },
                Scope::Workspace => Queue::Workspace,
            };
            self.rotate(scope, request, agents, &open, &check)
                .map_err(|reason| (reason, Some(queue)))
        };
        match &request.who {
            Who::Agent { agent_id } => one(agent_id, request.online_only).map_err(|reason| {
                let queue = Queue::Agent {
                    agent_id: agent_id.clone(),
                };
                (reason, Some(queue))
            }),
            Who::Team { team_id } => among(Scope::Team(team_id)),
            Who::Workspace => among(Scope::Workspace),
            Who::Dedicated {
                owner, fallback, ..
            } => {
                let owner_miss = match owner {
                    Some(owner) => match one(owner, true) {
                        Ok(pick) => return Ok(pick),
                        Err(reason) => Some(reason),
                    },
                    None => None,
                };
                match fallback {
                    Fallback::Team { team_id } => among(Scope::Team(team_id)),
                    Fallback::Workspace => among(Scope::Workspace),
                    Fallback::WaitForOwner => match (owner, owner_miss) {
                        (Some(owner), Some(reason)) => Err((
                            reason,
                            Some(Queue::Agent {
                                agent_id: owner.clone(),
                            }),
                        )),
                        _ => Err((Unavailable::NoAgents, None)),
                    },
                }
            }
            Who::Unassign => Err((Unavailable::NoAgents, None)),
        }
    }

    fn rotate(
        &self,
        scope: Scope,
        request: &AssignTo,
        agents: &[AgentInfo],
        open: &dyn Fn(&str) -> u32,
        check: &dyn Fn(&AgentInfo, bool) -> Result<(), Unavailable>,
    ) -> Result<Pick, Unavailable> {
        let mut members: Vec<&AgentInfo> = agents
            .iter()
            .filter(|a| match scope {
                Scope::Team(team) => a.teams.iter().any(|t| t == team),
                Scope::Workspace => true,
            })
            .collect();
        members.sort_by(|a, b| a.id.cmp(&b.id));
        members.dedup_by(|a, b| a.id == b.id);
        if members.is_empty() {
            return Err(Unavailable::NoAgents);
        }
        // Rotation order: the agents after the cursor, then from the start.
        let cursor = match scope {
            Scope::Team(team) => self.team_cursors.get(team),
            Scope::Workspace => self.workspace_cursor.as_ref(),
        };
        let split = cursor.map_or(0, |c| members.partition_point(|a| a.id <= *c));
        members.rotate_left(split);
        let mut worst = Unavailable::Offline;
        let mut eligible = Vec::with_capacity(members.len());
        for agent in members {
            match check(agent, request.online_only) {
                Ok(()) => eligible.push(agent),
                Err(reason) if reason == Unavailable::AtCapacity => worst = reason,
                Err(_) => {}
            }
        }
        let chosen = match request.method {
            Method::RoundRobin => eligible.first().copied(),
            // `min_by_key` keeps the first of equals: the next in rotation.
            Method::FewestOpen => eligible.iter().copied().min_by_key(|a| open(&a.id)),
        };
        let agent = chosen.ok_or(worst)?;
        Ok(Pick {
            agent_id: agent.id.clone(),
            team_id: match scope {
                Scope::Team(team) => Some(team.to_owned()),
                Scope::Workspace => None,
            },
            rotated: true,
        })
    }
}
