//! The stored shape of one conversation period, and the SQL that keeps it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::hours::OpenHours;
use super::tracker::{AgentShare, ResponseTracker};
use super::{SqlQuery, SqlValue};
use crate::basic::Millis;
use crate::lifecycle::{Actor, Attribution, Period, Source};

/// Tables and indexes of the Workspace Durable Object's reports, as one migration step.
///
/// `report_rows` is one line per (conversation, period). Every view filters on a time column
/// first. `report_rows_closed` covers every column the aggregations read, so they scan index
/// entries in time order and never seek into the table: with 100,000 rows in range that is
/// the difference between tens and hundreds of milliseconds (measured). The
/// `(filter, closed_at)` pairs serve the paged list when one agent, team or category is
/// picked. `report_row_agents` is who was assigned or wrote in a closed period, for the
/// leaderboard; it repeats the period's close time, team and category (final once closed) so
/// the leaderboard aggregates it alone, without a join.
pub const SCHEMA: &str = "
CREATE TABLE report_rows (
    conversation_id TEXT NOT NULL,
    period INTEGER NOT NULL,
    contact_id TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    assignee_id TEXT,
    team_id TEXT,
    opened_at INTEGER NOT NULL,
    opened_by_kind TEXT NOT NULL,
    opened_by_source TEXT NOT NULL,
    closed_at INTEGER,
    first_assigned_at INTEGER,
    first_response_at INTEGER,
    first_responder_id TEXT,
    first_response_ms INTEGER,
    first_assignment_to_response_ms INTEGER,
    avg_response_ms INTEGER,
    responses INTEGER NOT NULL,
    response_total_ms INTEGER NOT NULL,
    waiting_since INTEGER,
    resolution_ms INTEGER,
    first_response_business_ms INTEGER,
    resolution_business_ms INTEGER,
    messages_in INTEGER NOT NULL,
    messages_out INTEGER NOT NULL,
    assignments INTEGER NOT NULL,
    closed_by_kind TEXT,
    closed_by_id TEXT,
    closed_by_source TEXT,
    category TEXT,
    summary TEXT,
    PRIMARY KEY (conversation_id, period)
);
CREATE INDEX report_rows_closed ON report_rows (
    closed_at, team_id, category, assignee_id, first_responder_id, closed_by_kind,
    closed_by_id, first_response_at, first_response_ms, first_assignment_to_response_ms,
    resolution_ms, first_response_business_ms, resolution_business_ms, messages_in,
    messages_out, assignments, responses, response_total_ms
);
CREATE INDEX report_rows_opened ON report_rows (opened_at, team_id, category, assignee_id);
CREATE INDEX report_rows_assignee ON report_rows (assignee_id, closed_at);
CREATE INDEX report_rows_team ON report_rows (team_id, closed_at);
CREATE INDEX report_rows_category ON report_rows (category, closed_at);
CREATE TABLE report_row_agents (
    conversation_id TEXT NOT NULL,
    period INTEGER NOT NULL,
    agent_id TEXT NOT NULL,
    assigned INTEGER NOT NULL,
    messages_sent INTEGER NOT NULL,
    closed_at INTEGER NOT NULL,
    team_id TEXT,
    category TEXT,
    PRIMARY KEY (conversation_id, period, agent_id)
) WITHOUT ROWID;
CREATE INDEX report_row_agents_closed ON report_row_agents (
    closed_at, team_id, category, agent_id, assigned, messages_sent
);
";

/// Columns of `report_rows`, in [`SCHEMA`] order; also the field names of [`ReportRow`], so a
/// row read back with `SELECT <these>` deserializes straight into it.
pub const ROW_COLUMNS: &[&str] = &[
    "conversation_id",
    "period",
    "contact_id",
    "contact_name",
    "assignee_id",
    "team_id",
    "opened_at",
    "opened_by_kind",
    "opened_by_source",
    "closed_at",
    "first_assigned_at",
    "first_response_at",
    "first_responder_id",
    "first_response_ms",
    "first_assignment_to_response_ms",
    "avg_response_ms",
    "responses",
    "response_total_ms",
    "waiting_since",
    "resolution_ms",
    "first_response_business_ms",
    "resolution_business_ms",
    "messages_in",
    "messages_out",
    "assignments",
    "closed_by_kind",
    "closed_by_id",
    "closed_by_source",
    "category",
    "summary",
    "attachments",
];

/// The migration that added `attachments` (files sent in the period) to `report_rows`.
pub const ATTACHMENTS_SCHEMA: &str = "
ALTER TABLE report_rows ADD COLUMN attachments INTEGER NOT NULL DEFAULT 0;
";

/// [`Actor`] without its id, as a column value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    Agent,
    Contact,
    Workflow,
    Integration,
    System,
}

impl ActorKind {
    pub fn split(actor: &Actor) -> (ActorKind, Option<&str>) {
        match actor {
            Actor::Agent { id } => (ActorKind::Agent, Some(id)),
            Actor::Contact { id } => (ActorKind::Contact, Some(id)),
            Actor::Workflow { id } => (ActorKind::Workflow, Some(id)),
            Actor::Integration { id } => (ActorKind::Integration, Some(id)),
            Actor::System => (ActorKind::System, None),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Agent => "agent",
            ActorKind::Contact => "contact",
            ActorKind::Workflow => "workflow",
            ActorKind::Integration => "integration",
            ActorKind::System => "system",
        }
    }
}

pub(crate) fn source_str(source: Source) -> &'static str {
    match source {
        Source::User => "user",
        Source::Workflow => "workflow",
        Source::Api => "api",
        Source::System => "system",
        Source::Contact => "contact",
    }
}

/// Facts about the conversation that the period does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowSubject<'a> {
    pub conversation_id: &'a str,
    pub contact_id: &'a str,
    /// As it was when the row was written; a later rename does not rewrite history.
    pub contact_name: &'a str,
}

/// One conversation period as reports see it. Durations are milliseconds, wall-clock unless
/// named `_business_ms`; see `docs/REPORTS.md` for every definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    pub conversation_id: String,
    pub period: u32,
    pub contact_id: String,
    pub contact_name: String,
    /// Who held the conversation when the row was written (at close: the last assignee).
    pub assignee_id: Option<String>,
    pub team_id: Option<String>,
    pub opened_at: Millis,
    pub opened_by_kind: ActorKind,
    pub opened_by_source: Source,
    /// `None` while the period is open.
    pub closed_at: Option<Millis>,
    pub first_assigned_at: Option<Millis>,
    /// First human agent message, whoever opened the period.
    pub first_response_at: Option<Millis>,
    pub first_responder_id: Option<String>,
    /// Opened → first human agent message; `None` if none yet or if a person in the inbox
    /// opened the period (nobody was waiting for them).
    pub first_response_ms: Option<i64>,
    /// First assignment → first human agent message; 0 if someone answered before anyone was
    /// assigned, `None` if never assigned or never answered.
    pub first_assignment_to_response_ms: Option<i64>,
    pub avg_response_ms: Option<i64>,
    pub responses: u32,
    pub response_total_ms: i64,
    /// The contact's unanswered wait at the time of writing (at close: left without a reply).
    pub waiting_since: Option<Millis>,
    /// Opened → closed.
    pub resolution_ms: Option<i64>,
    pub first_response_business_ms: Option<i64>,
    pub resolution_business_ms: Option<i64>,
    pub messages_in: u32,
    pub messages_out: u32,
    pub assignments: u32,
    pub closed_by_kind: Option<ActorKind>,
    pub closed_by_id: Option<String>,
    pub closed_by_source: Option<Source>,
    pub category: Option<String>,
    pub summary: Option<String>,
    /// Files sent in the period's messages (rows written before files existed read 0).
    #[serde(default)]
    pub attachments: u32,
    /// Per-agent part (`report_row_agents`); empty when read back from `report_rows` alone.
    #[serde(default)]
    pub agents: BTreeMap<String, AgentShare>,
}

impl ReportRow {
    /// The row of `period` as it stands. The lifecycle's own fields (timestamps, counts,
    /// owner, note) come from the period, which decides what belongs to it; the tracker adds
    /// what the period does not keep. The business-hours figures stay empty here: the
    /// workspace, not the conversation, holds the schedule ([`Self::count_business_hours`]).
    pub fn build(subject: RowSubject<'_>, period: &Period, tracker: &ResponseTracker) -> ReportRow {
        let (opened_by_kind, _) = ActorKind::split(&period.opened_by.actor);
        let someone_waited = period.opened_by.source != Source::User;
        let response_at = period.first_agent_response_at;
        let first_response_ms = response_at
            .filter(|_| someone_waited)
            .map(|r| (r - period.opened_at).max(0));
        let first_assignment_to_response_ms = match (period.first_assigned_at, response_at) {
            (Some(assigned), Some(r)) if someone_waited => Some((r - assigned).max(0)),
            _ => None,
        };
        let resolution_ms = period.closed_at.map(|c| (c - period.opened_at).max(0));
        let (closed_by_kind, closed_by_id, closed_by_source) = match &period.closed_by {
            Some(Attribution { actor, source }) => {
                let (kind, id) = ActorKind::split(actor);
                (Some(kind), id.map(str::to_owned), Some(*source))
            }
            None => (None, None, None),
        };
        let note = period.closing_note.clone().unwrap_or_default();
        ReportRow {
            conversation_id: subject.conversation_id.to_owned(),
            period: period.number,
            contact_id: subject.contact_id.to_owned(),
            contact_name: subject.contact_name.to_owned(),
            assignee_id: period.assignee.clone(),
            team_id: period.team.clone(),
            opened_at: period.opened_at,
            opened_by_kind,
            opened_by_source: period.opened_by.source,
            closed_at: period.closed_at,
            first_assigned_at: period.first_assigned_at,
            first_response_at: response_at,
            first_responder_id: tracker.first_responder.clone(),
            first_response_ms,
            first_assignment_to_response_ms,
            avg_response_ms: tracker.avg_response_ms(),
            responses: tracker.responses,
            response_total_ms: tracker.response_total_ms,
            waiting_since: tracker.waiting_since,
            resolution_ms,
            first_response_business_ms: None,
            resolution_business_ms: None,
            messages_in: period.messages_in,
            messages_out: period.messages_out,
            assignments: period.assignments,
            closed_by_kind,
            closed_by_id,
            closed_by_source,
            category: note.category,
            summary: note.summary,
            attachments: period.attachments,
            agents: tracker.agents.clone(),
        }
    }

    /// Fill the business-hours variants of first response and resolution from a schedule;
    /// `None` (always open) leaves them empty. The Workspace DO calls it as it stores a row,
    /// because the workspace, not the conversation, knows its opening hours.
    pub fn count_business_hours(&mut self, hours: Option<&dyn OpenHours>) {
        let opened_at = self.opened_at;
        let within = |end: Option<Millis>| Some(hours?.open_millis_between(opened_at, end?));
        self.first_response_business_ms =
            within(self.first_response_ms.and(self.first_response_at));
        self.resolution_business_ms = within(self.closed_at);
    }

    pub fn is_closed(&self) -> bool {
        self.closed_at.is_some()
    }

    /// Values for [`ROW_COLUMNS`], in order.
    fn values(&self) -> Vec<SqlValue> {
        let text = |s: &Option<String>| SqlValue::from(s.as_deref());
        vec![
            self.conversation_id.as_str().into(),
            self.period.into(),
            self.contact_id.as_str().into(),
            self.contact_name.as_str().into(),
            text(&self.assignee_id),
            text(&self.team_id),
            self.opened_at.into(),
            self.opened_by_kind.as_str().into(),
            source_str(self.opened_by_source).into(),
            self.closed_at.into(),
            self.first_assigned_at.into(),
            self.first_response_at.into(),
            text(&self.first_responder_id),
            self.first_response_ms.into(),
            self.first_assignment_to_response_ms.into(),
            self.avg_response_ms.into(),
            self.responses.into(),
            self.response_total_ms.into(),
            self.waiting_since.into(),
            self.resolution_ms.into(),
            self.first_response_business_ms.into(),
            self.resolution_business_ms.into(),
            self.messages_in.into(),
            self.messages_out.into(),
            self.assignments.into(),
            self.closed_by_kind.map(ActorKind::as_str).into(),
            text(&self.closed_by_id),
            self.closed_by_source.map(source_str).into(),
            text(&self.category),
            text(&self.summary),
            self.attachments.into(),
        ]
    }

    /// Statements that store this row, to run in one synchronous turn (one transaction).
    ///
    /// Idempotent, and safe against reordering: delivery from the Conversation DO is
    /// at-least-once, so a late "opened" write must not undo a close. A closed row is only
    /// ever replaced by another closed one, and the per-agent lines are written with the
    /// closed row only.
    pub fn upsert_sql(&self) -> Vec<SqlQuery> {
        let placeholders = vec!["?"; ROW_COLUMNS.len()].join(", ");
        let updates = ROW_COLUMNS[2..]
            .iter()
            .map(|c| format!("{c} = excluded.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut out = vec![SqlQuery::new(
            format!(
                "INSERT INTO report_rows ({}) VALUES ({placeholders}) \
                 ON CONFLICT (conversation_id, period) DO UPDATE SET {updates} \
                 WHERE report_rows.closed_at IS NULL OR excluded.closed_at IS NOT NULL",
                ROW_COLUMNS.join(", ")
            ),
            self.values(),
        )];
        if !self.is_closed() {
            return out;
        }
        let key =
            || -> Vec<SqlValue> { vec![self.conversation_id.as_str().into(), self.period.into()] };
        out.push(SqlQuery::new(
            "DELETE FROM report_row_agents WHERE conversation_id = ? AND period = ?".into(),
            key(),
        ));
        for (agent, share) in &self.agents {
            let mut binds = key();
            binds.extend([
                agent.as_str().into(),
                i64::from(share.assigned).into(),
                share.messages.into(),
                self.closed_at.into(),
                self.team_id.as_deref().into(),
                self.category.as_deref().into(),
            ]);
            out.push(SqlQuery::new(
                "INSERT INTO report_row_agents (conversation_id, period, agent_id, assigned, \
                 messages_sent, closed_at, team_id, category) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    .into(),
                binds,
            ));
        }
        out
    }
}
