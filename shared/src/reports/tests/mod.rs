//! Table-driven tests of the reports maths. `Sim` drives a real [`Lifecycle`] and feeds the
//! [`ResponseTracker`] exactly where the Conversation DO is asked to (see `docs/REPORTS.md`),
//! so the rows here are the rows production would write.

mod aggregate;
mod csv;
mod hours;
mod query;
mod rollup;
mod rows;
mod stats;
mod time;
mod tracker;

use crate::basic::Millis;
use crate::lifecycle::{
    Action, ActivityKind, Actor, ClosingNote, Command, Lifecycle, LifecycleSettings, Source,
};

use super::{MessageAuthor, OpenHours, ReportRow, ResponseTracker, RowSubject};

/// 2024-03-04T09:00:00Z, a Monday.
pub(super) const T0: Millis = 1_709_542_800_000;
pub(super) const SEC: Millis = 1_000;
pub(super) const MIN: Millis = 60 * SEC;
pub(super) const HOUR: Millis = 60 * MIN;
pub(super) const DAY: Millis = 24 * HOUR;

pub(super) fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

/// One conversation: the lifecycle plus one tracker per period, fed as the DO would.
pub(super) struct Sim {
    pub lc: Lifecycle,
    pub trackers: Vec<ResponseTracker>,
    settings: LifecycleSettings,
}

impl Sim {
    /// Opened by the contact's first message at `at`.
    pub fn new(at: Millis) -> Sim {
        let (lc, _) = Lifecycle::open(Actor::Contact { id: "v1".into() }, Source::Contact, at);
        let mut sim = Sim {
            lc,
            trackers: vec![ResponseTracker::default()],
            settings: LifecycleSettings {
                categories: vec!["Ventas".into(), "Soporte".into()],
                ..LifecycleSettings::default()
            },
        };
        sim.contact(at);
        sim
    }

    fn apply(
        &mut self,
        cmd: impl Into<Command>,
        actor: Actor,
        source: Source,
        at: Millis,
    ) -> Vec<ActivityKind> {
        let kinds: Vec<ActivityKind> = self
            .lc
            .apply(cmd, actor, source, &self.settings, at)
            .unwrap_or_else(|e| panic!("refused: {e}"))
            .into_iter()
            .map(|e| e.kind)
            .collect();
        while self.trackers.len() < self.lc.current.number as usize {
            self.trackers.push(ResponseTracker::default());
        }
        kinds
    }

    fn tracker(&mut self) -> &mut ResponseTracker {
        self.trackers.last_mut().expect("one tracker per period")
    }

    /// A message, fed to the tracker only if the lifecycle counted it in a period.
    fn message(&mut self, author: MessageAuthor, actor: Actor, source: Source, at: Millis) {
        let cmd = if author == MessageAuthor::Contact {
            Command::ContactMessage
        } else {
            Command::AgentMessage
        };
        let counted_before = self.counted();
        self.apply(cmd, actor, source, at);
        if self.counted() != counted_before {
            self.tracker().on_message(&author, at);
        }
    }

    /// (period number, messages in + out) of the current period.
    fn counted(&self) -> (u32, u32) {
        let p = &self.lc.current;
        (p.number, p.messages_in + p.messages_out)
    }

    pub fn contact(&mut self, at: Millis) -> &mut Self {
        let actor = Actor::Contact { id: "v1".into() };
        self.message(MessageAuthor::Contact, actor, Source::Contact, at);
        self
    }

    pub fn agent(&mut self, id: &str, at: Millis) -> &mut Self {
        let actor = Actor::Agent { id: id.into() };
        self.message(MessageAuthor::Agent(id.into()), actor, Source::User, at);
        self
    }

    pub fn bot(&mut self, at: Millis) -> &mut Self {
        self.message(MessageAuthor::Bot, Actor::System, Source::System, at);
        self
    }

    pub fn workflow_message(&mut self, at: Millis) -> &mut Self {
        let actor = Actor::Workflow { id: "wf1".into() };
        self.message(MessageAuthor::Workflow, actor, Source::Workflow, at);
        self
    }

    pub fn assign(&mut self, id: &str, team: Option<&str>, at: Millis) -> &mut Self {
        let cmd = Action::Assign {
            agent_id: id.into(),
            team_id: team.map(Into::into),
        };
        self.apply(cmd, Actor::System, Source::System, at);
        self.tracker().on_assigned(id);
        self
    }

    pub fn close_by(
        &mut self,
        actor: Actor,
        source: Source,
        note: ClosingNote,
        at: Millis,
    ) -> &mut Self {
        self.apply(Action::Close { note }, actor, source, at);
        self
    }

    pub fn close(&mut self, agent: &str, at: Millis) -> &mut Self {
        let actor = Actor::Agent { id: agent.into() };
        self.close_by(actor, Source::User, ClosingNote::default(), at)
    }

    pub fn reopen_by_agent(&mut self, agent: &str, at: Millis) -> &mut Self {
        let actor = Actor::Agent { id: agent.into() };
        self.apply(Action::Reopen, actor, Source::User, at);
        self
    }

    /// The rows as the Workspace DO stores them: built by the conversation, business-hours
    /// figures filled from the workspace's schedule.
    pub fn rows_with(&self, hours: Option<&dyn OpenHours>) -> Vec<ReportRow> {
        let subject = RowSubject {
            conversation_id: "c1",
            contact_id: "v1",
            contact_name: "Ana",
        };
        self.lc
            .periods()
            .zip(&self.trackers)
            .map(|(p, t)| {
                let mut row = ReportRow::build(subject, p, t);
                row.count_business_hours(hours);
                row
            })
            .collect()
    }

    pub fn rows(&self) -> Vec<ReportRow> {
        self.rows_with(None)
    }

    pub fn row(&self) -> ReportRow {
        self.rows().pop().expect("at least one period")
    }
}
