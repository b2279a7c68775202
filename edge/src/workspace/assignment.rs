//! Automatic assignment in the Workspace Durable Object: the shell around
//! `charla_shared::assignment`. The Workspace is the single writer of the one
//! [`AssignmentState`], so two conversations opening at once can never take the same last slot:
//! every decision loads, decides and saves with no await in between.
//!
//! Inputs are the conversation summaries (in order per conversation, see the Conversation DO's
//! publisher): a new open period with nobody assigned is routed once; an assignee change or a
//! close frees or takes slots; an agent coming online drains the queues. Decisions are sent to
//! the conversation as a `system` assignment; a refusal is reported back as the truth.

use charla_shared::assignment::{AgentInfo, AssignTo, AssignmentState, Decision, Placement, Who};
use charla_shared::basic::ConversationStatus;
use charla_shared::protocol::ConversationSummary;
use serde::Deserialize;

use super::schema::enum_str;
use super::store::Workspace;
use crate::error::{EdgeError, Result};
use crate::internal::conversation::{self, ConversationCall};

#[derive(Deserialize)]
struct RosterRow {
    id: String,
    capacity: Option<i64>,
    away: i64,
}

#[derive(Deserialize)]
struct RoutedRow {
    routed_period: i64,
}

/// What assignment reads from an inbox line, as it was before a summary replaced it.
#[derive(Deserialize, PartialEq)]
struct OwnershipRow {
    status: String,
    assignee_id: Option<String>,
    period: i64,
    routed_period: i64,
}

impl Workspace {
    /// Agents as assignment sees them right now (deactivated agents take nothing).
    pub(super) fn roster(&self) -> Result<Vec<AgentInfo>> {
        let rows: Vec<RosterRow> = self
            .sql()
            .exec(
                "SELECT id, capacity, away FROM agents WHERE deactivated_at IS NULL ORDER BY id",
                None,
            )?
            .to_array()?;
        let teams = self.teams()?;
        Ok(rows
            .into_iter()
            .map(|r| AgentInfo {
                online: r.away == 0 && self.has_inbox_open(&r.id),
                capacity: r.capacity.map(|c| c.max(0) as u32),
                teams: teams
                    .iter()
                    .filter(|t| t.members.contains(&r.id))
                    .map(|t| t.id.clone())
                    .collect(),
                id: r.id,
            })
            .collect())
    }

    /// `None`: automatic assignment is off (the default).
    pub(super) fn auto_assign(&self) -> Result<Option<AssignTo>> {
        Ok(match self.setting("assignment")? {
            Some(json) => serde_json::from_str(&json)?,
            None => None,
        })
    }

    /// A new rule (`None` turns automatic assignment off); an agent or team it names must be
    /// in the workspace.
    pub(super) fn set_auto_assign(&self, rule: Option<AssignTo>) -> Result<Option<AssignTo>> {
        if let Some((kind, id)) = rule
            .as_ref()
            .map(|r| self.missing_reference(&r.who))
            .transpose()?
            .flatten()
        {
            return Err(EdgeError::NotFound(format!(
                "unknown {} {id:?}",
                kind.noun()
            )));
        }
        self.put_setting("assignment", &serde_json::to_string(&rule)?)?;
        Ok(rule)
    }

    pub(super) fn assignment_state(&self) -> Result<AssignmentState> {
        Ok(match self.setting("assignment_state")? {
            Some(json) => serde_json::from_str(&json)?,
            None => AssignmentState::new(),
        })
    }

    pub(super) fn save_assignment_state(&self, state: &AssignmentState) -> Result<()> {
        self.put_setting("assignment_state", &serde_json::to_string(state)?)
    }

    /// Book-keeping for one summary; returns the assignments to send. Synchronous, so the
    /// state is read, changed and written in one turn. Most summaries are plain new messages
    /// that change no ownership: those return before the roster is built or anything is
    /// written (every event that can free a slot drains the queues where it happens).
    pub(super) fn route_summary(&self, s: &ConversationSummary) -> Result<Vec<Placement>> {
        let pending = self.pending.borrow().get(&s.id).cloned();
        let mut state = self.assignment_state()?;
        let placements = match (&s.status, s.assignee_id.as_deref(), pending) {
            (ConversationStatus::Closed, _, _) => {
                self.pending.borrow_mut().remove(&s.id);
                state.on_closed(&s.id, &self.roster()?)
            }
            // Our own assignment not applied yet: this summary predates it.
            (_, None, Some(_)) => return Ok(Vec::new()),
            (_, Some(agent), Some(expected)) if agent == expected => {
                self.pending.borrow_mut().remove(&s.id);
                return Ok(Vec::new());
            }
            (_, None, None) if self.needs_routing(s)? => {
                self.sql().exec(
                    "UPDATE conversations SET routed_period = ? WHERE id = ?",
                    vec![(s.period as i64).into(), s.id.as_str().into()],
                )?;
                let Some(request) = self.auto_assign()? else {
                    return Ok(Vec::new());
                };
                let request = self.with_owner(request, &s.contact_id)?;
                match state.decide(&s.id, &request, &self.roster()?) {
                    Decision::Assign { agent_id, team_id } => vec![Placement {
                        conversation_id: s.id.clone(),
                        agent_id,
                        team_id,
                    }],
                    _ => Vec::new(),
                }
            }
            (_, assignee, _) => {
                self.pending.borrow_mut().remove(&s.id);
                if state.holder(&s.id) == assignee && state.position(&s.id).is_none() {
                    return Ok(Vec::new());
                }
                state.on_assignee_changed(&s.id, assignee, &self.roster()?)
            }
        };
        self.save_assignment_state(&state)?;
        Ok(placements)
    }

    /// A dedicated-agent rule names a contact field; the owner is the agent whose id or email
    /// that field holds (no match or no value: the rule's fallback applies).
    pub(super) fn with_owner(&self, mut request: AssignTo, contact_id: &str) -> Result<AssignTo> {
        if let Who::Dedicated {
            owner,
            field: Some(field),
            ..
        } = &mut request.who
        {
            let value = self
                .stored_contact(contact_id)?
                .and_then(|c| c.field(field).map(|v| v.trim().to_lowercase()));
            *owner = match value {
                Some(value) if !value.is_empty() => self
                    .agent_statuses("")?
                    .into_iter()
                    .find(|a| {
                        !a.deactivated
                            && (a.profile.id.to_lowercase() == value || a.profile.email == value)
                    })
                    .map(|a| a.profile.id),
                _ => None,
            };
        }
        Ok(request)
    }

    fn needs_routing(&self, s: &ConversationSummary) -> Result<bool> {
        let rows: Vec<RoutedRow> = self
            .sql()
            .exec(
                "SELECT routed_period FROM conversations WHERE id = ?",
                vec![s.id.as_str().into()],
            )?
            .to_array()?;
        Ok(rows.first().map_or(0, |r| r.routed_period) < s.period as i64)
    }

    /// Someone came online or got capacity: place whoever waits.
    fn drain(&self) -> Result<Vec<Placement>> {
        let mut state = self.assignment_state()?;
        let placements = state.drain(&self.roster()?);
        self.save_assignment_state(&state)?;
        Ok(placements)
    }

    /// A deleted conversation neither holds an agent nor waits; a slot it freed is placed.
    pub(super) async fn forget_for_assignment(
        &self,
        workspace_id: &str,
        conversation_id: &str,
    ) -> Result<()> {
        self.pending.borrow_mut().remove(conversation_id);
        let mut state = self.assignment_state()?;
        let placements = state.on_closed(conversation_id, &self.roster()?);
        self.save_assignment_state(&state)?;
        self.place(workspace_id, placements).await;
        Ok(())
    }

    /// Someone came online or got capacity: place whoever waits, at once.
    pub(super) async fn place_waiting(&self, workspace_id: &str) -> Result<()> {
        let placements = self.drain()?;
        self.place(workspace_id, placements).await;
        Ok(())
    }

    /// One summary from a Conversation DO: the inbox line, then assignment's book-keeping when
    /// the summary changes what assignment reads (status, assignee, period) or it is waiting for
    /// this conversation's summary. Most summaries are new messages in a conversation whose
    /// ownership did not move: those never load the assignment state, which grows with the
    /// workspace's open conversations.
    pub(super) async fn take_summary(
        &self,
        workspace_id: &str,
        s: &ConversationSummary,
    ) -> Result<()> {
        if !self.pending.borrow().contains_key(&s.id) && self.update_if_owned_alike(s)? {
            return self.push_summary(s);
        }
        let before: Option<OwnershipRow> = self
            .sql()
            .exec(
                "SELECT status, assignee_id, period, routed_period FROM conversations WHERE id = ?",
                vec![s.id.as_str().into()],
            )?
            .to_array::<OwnershipRow>()?
            .into_iter()
            .next();
        self.upsert(s)?;
        let unchanged = before.is_some_and(|b| {
            b.status == enum_str(&s.status)
                && b.assignee_id == s.assignee_id
                && b.period == s.period as i64
                && (s.assignee_id.is_some() || b.routed_period >= s.period as i64)
        });
        if unchanged && !self.pending.borrow().contains_key(&s.id) {
            return Ok(());
        }
        let placements = self.route_summary(s)?;
        self.place(workspace_id, placements).await;
        Ok(())
    }

    /// The common summary, a new message where ownership did not move, in one statement: the
    /// line is updated only if status, assignee and period are what it already holds (and it
    /// is not older than the stored line). `false`: anything else, for the full path.
    fn update_if_owned_alike(&self, s: &ConversationSummary) -> Result<bool> {
        let updated = self
            .sql()
            .exec(
                "UPDATE conversations SET
                   contact_name = ?, last_seq = ?, last_text = ?, last_author = ?, last_at = ?,
                   unread = ?, team_id = ?, bot_paused = ?
                 WHERE id = ? AND last_seq <= ? AND status = ? AND assignee_id IS ? AND period = ?
                   AND (assignee_id IS NOT NULL OR routed_period >= period)",
                vec![
                    s.contact_name.as_str().into(),
                    (s.last_seq as i64).into(),
                    s.last_text.as_str().into(),
                    enum_str(&s.last_author).into(),
                    s.last_at.into(),
                    (s.unread as i64).into(),
                    s.team_id.clone().into(),
                    i64::from(s.bot_paused).into(),
                    s.id.as_str().into(),
                    (s.last_seq as i64).into(),
                    enum_str(&s.status).into(),
                    s.assignee_id.clone().into(),
                    (s.period as i64).into(),
                ],
            )?
            .rows_written();
        Ok(updated > 0)
    }

    /// Send each decision to its conversation. A refusal means the conversation changed
    /// meanwhile; the state is corrected from the truth (no holder) and any freed slot reused.
    pub(super) async fn place(&self, workspace_id: &str, placements: Vec<Placement>) {
        let mut queue = placements;
        while let Some(p) = queue.pop() {
            self.pending
                .borrow_mut()
                .insert(p.conversation_id.clone(), p.agent_id.clone());
            let call = ConversationCall::Assign {
                agent_id: p.agent_id.clone(),
                team_id: p.team_id.clone(),
            };
            let sent =
                conversation::ask::<bool>(&self.env, workspace_id, &p.conversation_id, &call).await;
            if let Err(err) = sent {
                worker::console_log!("assignment of {} refused: {err}", p.conversation_id);
                self.pending.borrow_mut().remove(&p.conversation_id);
                let more = (|| -> Result<Vec<Placement>> {
                    let mut state = self.assignment_state()?;
                    let roster = self.roster()?;
                    let more = state.on_assignee_changed(&p.conversation_id, None, &roster);
                    self.save_assignment_state(&state)?;
                    Ok(more)
                })();
                match more {
                    Ok(more) => queue.extend(more),
                    Err(err) => worker::console_error!("assignment bookkeeping failed: {err:?}"),
                }
            }
        }
    }
}
