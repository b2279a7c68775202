//! The conversation lifecycle as a value: commands in, timeline events out.
//!
//! The Conversation Durable Object owns one [`Lifecycle`] beside its
//! [`crate::conversation::ConversationState`], calls [`Lifecycle::apply`] for every lifecycle
//! command and every message, stores the returned [`ActivityEvent`]s in the timeline, and sets
//! its alarm to [`Lifecycle::next_deadline`]. Nothing here reads a clock or storage.
//!
//! # Decisions
//!
//! - **Periods.** A conversation is a sequence of periods; each runs from an open to a close.
//!   A contact message on a closed conversation reopens it and starts the next period (numbers
//!   count from 1), with fresh timestamps and counters. The last [`PAST_KEPT`] closed periods
//!   are kept in [`Lifecycle::past`] unchanged; older ones live on in the timeline and in the
//!   report rows written when they closed (which is what reports read), because the lifecycle
//!   is stored with every message and a contact who returns every week would make each
//!   message pay for all their history.
//!   A human agent's message (source [`Source::User`]) on a closed conversation reopens it too;
//!   outgoing messages from workflows, the API or the system do not (a broadcast must not pull
//!   every old conversation back into the inbox) and are not counted in any period.
//! - **Ownership is per period.** Assignee, team and the bot pause belong to the current period:
//!   a reopened conversation starts unassigned, in no team, with the bot active, so routing runs
//!   again (a dedicated-agent rule is how a returning contact reaches the same agent). The last
//!   period keeps who held it at close, for reports; [`Lifecycle::assignee`] is `None` once
//!   closed.
//! - **Invalid transitions are errors, never silent no-ops** (close when closed, reopen when
//!   open, assign the agent already assigned, unassign when unassigned, pause a paused bot,
//!   resume a running one, any ownership change on a closed conversation). The state is left
//!   untouched. A caller for whom the outcome is the same either way (a workflow closing an
//!   already closed conversation) can treat the error as success; a person in the inbox sees
//!   why nothing happened. The one at-least-once input, the alarm, goes through
//!   [`Lifecycle::on_deadline`], which is idempotent instead.
//! - **Closing notes.** Fields the workspace has disabled are dropped, not refused: settings can
//!   change between the inbox drawing the close dialog and the agent pressing it, and losing the
//!   close over a field nobody will read is worse than dropping the field. Required fields are
//!   enforced for people and API callers only; a timeout or a workflow has no one to write the
//!   note. A category must be one of the workspace's categories whatever the source, so reports
//!   never see free-form categories.
//! - **Activity** is anything applied successfully: messages either way and lifecycle actions.
//!   The auto-close deadline is the last activity plus the configured timeout.
//! - **Contacts** may only send messages; every other command with [`Source::Contact`] is
//!   refused as forbidden.

use serde::{Deserialize, Serialize};

use crate::reports::{MessageAuthor, ResponseTracker};

use crate::basic::{ConversationStatus, Millis};
use crate::error::ErrorCode;

/// Longest closing summary, in Unicode scalar values.
pub const MAX_SUMMARY_CHARS: usize = 1_000;
const MINUTE: Millis = 60 * 1000;
/// Shortest auto-close timeout a workspace may set.
pub const MIN_AUTO_CLOSE: Millis = 30 * MINUTE;
/// Longest auto-close timeout a workspace may set.
pub const MAX_AUTO_CLOSE: Millis = 14 * 24 * 60 * MINUTE;
/// Auto-close timeout of a workspace that never changed it.
pub const DEFAULT_AUTO_CLOSE: Millis = 24 * 60 * MINUTE;

/// Where an action came from. Reports and workflow triggers branch on it (e.g. "closed by a
/// person" versus "closed by timeout").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// An agent working in the inbox.
    User,
    Workflow,
    Api,
    /// The platform itself, e.g. the inactivity timeout.
    System,
    /// The visitor.
    Contact,
}

/// Who did it. Together with [`Source`]: an agent can act through the inbox (`User`) or
/// through an API token (`Api`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Actor {
    Agent {
        id: String,
    },
    Contact {
        id: String,
    },
    Workflow {
        id: String,
    },
    /// An API client that does not act as a particular agent.
    Integration {
        id: String,
    },
    System,
}

/// Who did something, and through which door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    pub actor: Actor,
    pub source: Source,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosingNote {
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteRequirement {
    /// The field is not asked for; a value sent anyway is dropped.
    Disabled,
    #[default]
    Optional,
    /// People and API callers must fill it; workflows and the system need not.
    Required,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteField {
    Category,
    Summary,
}

impl NoteField {
    fn as_str(self) -> &'static str {
        match self {
            NoteField::Category => "category",
            NoteField::Summary => "summary",
        }
    }
}

/// An auto-close timeout that is known to be within the allowed range; workspace settings
/// holding an out-of-range value fail to deserialize instead of misbehaving later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct AutoCloseAfter(Millis);

impl AutoCloseAfter {
    pub fn from_millis(millis: Millis) -> Result<Self, LifecycleError> {
        if (MIN_AUTO_CLOSE..=MAX_AUTO_CLOSE).contains(&millis) {
            Ok(AutoCloseAfter(millis))
        } else {
            Err(LifecycleError::AutoCloseOutOfRange { millis })
        }
    }

    pub fn millis(self) -> Millis {
        self.0
    }
}

impl Default for AutoCloseAfter {
    fn default() -> Self {
        AutoCloseAfter(DEFAULT_AUTO_CLOSE)
    }
}

impl TryFrom<i64> for AutoCloseAfter {
    type Error = LifecycleError;
    fn try_from(millis: i64) -> Result<Self, Self::Error> {
        AutoCloseAfter::from_millis(millis)
    }
}

impl From<AutoCloseAfter> for i64 {
    fn from(t: AutoCloseAfter) -> i64 {
        t.0
    }
}

/// The workspace settings the lifecycle obeys. Passed in on every call rather than stored, so
/// a settings change applies to every conversation at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LifecycleSettings {
    pub closing_category: NoteRequirement,
    pub closing_summary: NoteRequirement,
    /// The only categories a closing note may name (e.g. "Ventas", "Soporte", "Reclamo").
    pub categories: Vec<String>,
    /// `None` turns auto-close off.
    pub auto_close_after: Option<AutoCloseAfter>,
}

impl Default for LifecycleSettings {
    fn default() -> Self {
        LifecycleSettings {
            closing_category: NoteRequirement::Optional,
            closing_summary: NoteRequirement::Optional,
            categories: Vec::new(),
            auto_close_after: Some(AutoCloseAfter::default()),
        }
    }
}

impl LifecycleSettings {
    /// The note as it will be stored: trimmed, blanks as absent, disabled fields dropped.
    /// Public so the inbox can check a close dialog before sending it.
    pub fn validate_note(
        &self,
        note: ClosingNote,
        source: Source,
    ) -> Result<ClosingNote, LifecycleError> {
        let waived = matches!(source, Source::System | Source::Workflow);
        let category = settle(
            self.closing_category,
            NoteField::Category,
            note.category,
            waived,
        )?;
        if let Some(c) = &category {
            if !self.categories.iter().any(|known| known == c) {
                return Err(LifecycleError::UnknownCategory(c.clone()));
            }
        }
        let summary = settle(
            self.closing_summary,
            NoteField::Summary,
            note.summary,
            waived,
        )?;
        if let Some(s) = &summary {
            let chars = s.chars().count();
            if chars > MAX_SUMMARY_CHARS {
                return Err(LifecycleError::SummaryTooLong {
                    chars,
                    limit: MAX_SUMMARY_CHARS,
                });
            }
        }
        Ok(ClosingNote { category, summary })
    }
}

fn settle(
    requirement: NoteRequirement,
    field: NoteField,
    value: Option<String>,
    waived: bool,
) -> Result<Option<String>, LifecycleError> {
    let value = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    match (requirement, value) {
        (NoteRequirement::Disabled, _) => Ok(None),
        (NoteRequirement::Required, None) if !waived => {
            Err(LifecycleError::NoteFieldRequired(field))
        }
        (_, value) => Ok(value),
    }
}

/// What can be done to a conversation: by an agent from the inbox (recorded with source
/// `user`), by a workflow step or by the system. The one vocabulary of the wire
/// ([`ClientFrame::Action`](crate::protocol::ClientFrame::Action)) and of the lifecycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// Give the conversation to an agent of the workspace (`team_id: None` keeps the team).
    Assign {
        agent_id: String,
        #[serde(default)]
        team_id: Option<String>,
    },
    AssignTeam {
        team_id: String,
    },
    Unassign,
    Close {
        #[serde(default)]
        note: ClosingNote,
    },
    Reopen,
    PauseBot,
    ResumeBot,
}

impl Action {
    /// The agent and the team this action names by id, if any.
    pub fn references(&self) -> (Option<&str>, Option<&str>) {
        match self {
            Action::Assign { agent_id, team_id } => (Some(agent_id), team_id.as_deref()),
            Action::AssignTeam { team_id } => (None, Some(team_id)),
            _ => (None, None),
        }
    }

    /// Ids an action carries must have the shape of their kind before anything looks them up
    /// (they end up in internal URLs and SQL parameters). Existence is checked by the edge.
    pub fn check_ids(&self) -> Result<(), crate::error::Error> {
        use crate::ids::{is_valid, IdKind};
        let (agent, team) = self.references();
        if agent.is_some_and(|a| !is_valid(IdKind::Agent, a)) {
            return Err(crate::error::Error::Unknown(IdKind::Agent.noun()));
        }
        if team.is_some_and(|t| !is_valid(IdKind::Team, t)) {
            return Err(crate::error::Error::Unknown(IdKind::Team.noun()));
        }
        Ok(())
    }
}

/// What a caller asks the lifecycle to do or tells it happened: an [`Action`] someone took
/// (an agent from the inbox, a workflow, the system), or a message that was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Act(Action),
    /// The contact wrote (already stored by the conversation).
    ContactMessage,
    /// An outgoing message. It is a human reply only when the source is [`Source::User`];
    /// workflow, bot and API messages are counted as outgoing but are not a first response.
    AgentMessage,
}

impl From<Action> for Command {
    fn from(action: Action) -> Self {
        Command::Act(action)
    }
}

/// On the wire a command is one flat object tagged by `"type"` (`{"type":"assign",
/// "agent_id":..}`, `{"type":"contact_message"}`): the action's own fields under the command's
/// tag, so there is one list of actions and one JSON shape for each.
impl Serialize for Command {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error as _;
        let value = match self {
            Command::Act(action) => {
                let mut value = serde_json::to_value(action).map_err(S::Error::custom)?;
                if let Some(map) = value.as_object_mut() {
                    if let Some(kind) = map.remove("kind") {
                        map.insert("type".into(), kind);
                    }
                }
                value
            }
            Command::ContactMessage => serde_json::json!({"type": "contact_message"}),
            Command::AgentMessage => serde_json::json!({"type": "agent_message"}),
        };
        value.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Command {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut value = serde_json::Value::deserialize(deserializer)?;
        let map = value
            .as_object_mut()
            .ok_or_else(|| D::Error::custom("a command is an object"))?;
        let kind = map
            .remove("type")
            .ok_or_else(|| D::Error::missing_field("type"))?;
        match kind.as_str() {
            Some("contact_message") => Ok(Command::ContactMessage),
            Some("agent_message") => Ok(Command::AgentMessage),
            _ => {
                map.insert("kind".into(), kind);
                Action::deserialize(value)
                    .map(Command::Act)
                    .map_err(D::Error::custom)
            }
        }
    }
}

/// One line of the conversation's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEvent {
    pub at: Millis,
    pub source: Source,
    pub actor: Actor,
    pub kind: ActivityKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ActivityKind {
    Opened,
    Reopened {
        period: u32,
    },
    /// `team_id` is the team after the assignment; `previous` the agent it was taken from.
    Assigned {
        agent_id: String,
        team_id: Option<String>,
        previous: Option<String>,
    },
    Unassigned {
        previous: String,
    },
    TeamAssigned {
        team_id: String,
        previous: Option<String>,
    },
    /// The note as stored (validated, disabled fields dropped).
    Closed {
        note: ClosingNote,
    },
    BotPaused,
    BotResumed,
    /// A workflow run ended (`outcome`: completed, step_limit, failed, cancelled).
    WorkflowRan {
        workflow_id: String,
        name: String,
        outcome: String,
        steps: u32,
    },
    /// An internal note only agents see: an agent's note from the inbox, or a workflow's
    /// "add internal comment". `mentions` are the agents it notified.
    Comment {
        text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        mentions: Vec<crate::notes::Mention>,
    },
}

/// One open-to-close stretch of a conversation, with what reports need about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// 1 for the first period.
    pub number: u32,
    pub opened_at: Millis,
    pub opened_by: Attribution,
    /// The agent holding the conversation (at close, for a closed period).
    pub assignee: Option<String>,
    pub team: Option<String>,
    pub bot_paused: bool,
    pub first_assigned_at: Option<Millis>,
    /// First human agent message of the period, assigned or not; bot and workflow messages do
    /// not count. For a period an agent opened by writing, it is that message.
    pub first_agent_response_at: Option<Millis>,
    pub closed_at: Option<Millis>,
    pub closed_by: Option<Attribution>,
    pub closing_note: Option<ClosingNote>,
    /// Agent assignments (team-only moves excluded).
    pub assignments: u32,
    pub messages_in: u32,
    pub messages_out: u32,
    /// Files sent in the period's messages (both sides).
    #[serde(default)]
    pub attachments: u32,
    /// Response-time accounting for reports (`docs/REPORTS.md`).
    #[serde(default)]
    pub responses: ResponseTracker,
}

impl Period {
    fn new(number: u32, opened_by: Attribution, now: Millis) -> Self {
        Period {
            number,
            opened_at: now,
            opened_by,
            assignee: None,
            team: None,
            bot_paused: false,
            first_assigned_at: None,
            first_agent_response_at: None,
            closed_at: None,
            closed_by: None,
            closing_note: None,
            assignments: 0,
            messages_in: 0,
            messages_out: 0,
            attachments: 0,
            responses: ResponseTracker::default(),
        }
    }

    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    #[error("the conversation is already closed")]
    AlreadyClosed,
    #[error("the conversation is already open")]
    AlreadyOpen,
    #[error("the conversation is closed; reopen it first")]
    Closed,
    #[error("the conversation is already assigned to {agent_id}")]
    AlreadyAssigned { agent_id: String },
    #[error("the conversation is already in team {team_id}")]
    AlreadyInTeam { team_id: String },
    #[error("the conversation is not assigned")]
    NotAssigned,
    #[error("the bot is already paused")]
    BotAlreadyPaused,
    #[error("the bot is not paused")]
    BotNotPaused,
    #[error("the closing {} is required", .0.as_str())]
    NoteFieldRequired(NoteField),
    #[error("{0:?} is not one of the workspace's closing categories")]
    UnknownCategory(String),
    #[error("the closing summary is {chars} characters; the limit is {limit}")]
    SummaryTooLong { chars: usize, limit: usize },
    #[error("contacts can only send messages")]
    NotAllowed { by: Source },
    #[error("auto-close must be between 30 minutes and 14 days; got {millis} ms")]
    AutoCloseOutOfRange { millis: Millis },
}

impl LifecycleError {
    pub fn code(&self) -> ErrorCode {
        match self {
            LifecycleError::NotAllowed { .. } => ErrorCode::Forbidden,
            _ => ErrorCode::BadRequest,
        }
    }
}

/// Closed periods a [`Lifecycle`] keeps (see "Periods" above).
pub const PAST_KEPT: usize = 10;

/// Lifecycle of one conversation. `current` is the period in progress (or the last one, when
/// closed); `past` holds the [`PAST_KEPT`] periods before it, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lifecycle {
    pub current: Period,
    pub past: Vec<Period>,
    /// Newest activity; never goes backwards even if clocks do.
    pub last_activity_at: Millis,
}

impl Lifecycle {
    /// A conversation opens when it is created; the event is the first line of its timeline.
    pub fn open(actor: Actor, source: Source, now: Millis) -> (Self, ActivityEvent) {
        let lifecycle = Lifecycle {
            current: Period::new(
                1,
                Attribution {
                    actor: actor.clone(),
                    source,
                },
                now,
            ),
            past: Vec::new(),
            last_activity_at: now,
        };
        let event = ActivityEvent {
            at: now,
            source,
            actor,
            kind: ActivityKind::Opened,
        };
        (lifecycle, event)
    }

    pub fn is_open(&self) -> bool {
        self.current.is_open()
    }

    pub fn status(&self) -> ConversationStatus {
        if self.is_open() {
            ConversationStatus::Open
        } else {
            ConversationStatus::Closed
        }
    }

    /// The agent holding the conversation now: `None` when unassigned or closed. The Workspace
    /// Durable Object feeds this to
    /// [`AssignmentState::on_assignee_changed`](crate::assignment::AssignmentState::on_assignee_changed).
    /// Who holds the conversation; a closed one keeps the agent who held it at close until
    /// someone (e.g. "unassign after close") lets go of it, so the inbox and access levels
    /// still know whose it was.
    pub fn assignee(&self) -> Option<&str> {
        self.current.assignee.as_deref()
    }

    pub fn team(&self) -> Option<&str> {
        self.open_period().and_then(|p| p.team.as_deref())
    }

    pub fn bot_paused(&self) -> bool {
        self.open_period().is_some_and(|p| p.bot_paused)
    }

    /// The periods kept (the last [`PAST_KEPT`] closed ones and the current), oldest first.
    pub fn periods(&self) -> impl Iterator<Item = &Period> {
        self.past.iter().chain(std::iter::once(&self.current))
    }

    fn open_period(&self) -> Option<&Period> {
        Some(&self.current).filter(|p| p.is_open())
    }

    /// Apply one command. On error nothing changed. The events are in timeline order and all
    /// carry `now` (or the last activity time, if the clock went backwards), `actor` and
    /// `source`.
    pub fn apply(
        &mut self,
        cmd: impl Into<Command>,
        actor: Actor,
        source: Source,
        settings: &LifecycleSettings,
        now: Millis,
    ) -> Result<Vec<ActivityEvent>, LifecycleError> {
        let cmd = cmd.into();
        if source == Source::Contact && cmd != Command::ContactMessage {
            return Err(LifecycleError::NotAllowed { by: source });
        }
        let now = now.max(self.last_activity_at);
        let by = Attribution {
            actor: actor.clone(),
            source,
        };
        let kinds = match cmd {
            Command::Act(Action::Assign { agent_id, team_id }) => {
                self.assign(agent_id, team_id, now)?
            }
            Command::Act(Action::AssignTeam { team_id }) => self.assign_team(team_id)?,
            Command::Act(Action::Unassign) => self.unassign()?,
            Command::Act(Action::Close { note }) => {
                if !self.is_open() {
                    return Err(LifecycleError::AlreadyClosed);
                }
                let note = settings.validate_note(note, source)?;
                vec![self.close(note, by, now)]
            }
            Command::Act(Action::Reopen) => {
                if self.is_open() {
                    return Err(LifecycleError::AlreadyOpen);
                }
                vec![self.start_period(by, now)]
            }
            Command::Act(Action::PauseBot) => {
                let period = self.open_period_mut()?;
                if period.bot_paused {
                    return Err(LifecycleError::BotAlreadyPaused);
                }
                period.bot_paused = true;
                vec![ActivityKind::BotPaused]
            }
            Command::Act(Action::ResumeBot) => {
                let period = self.open_period_mut()?;
                if !period.bot_paused {
                    return Err(LifecycleError::BotNotPaused);
                }
                period.bot_paused = false;
                vec![ActivityKind::BotResumed]
            }
            Command::ContactMessage => {
                let mut kinds = Vec::new();
                if !self.is_open() {
                    kinds.push(self.start_period(by, now));
                }
                self.current.messages_in += 1;
                self.current
                    .responses
                    .on_message(&MessageAuthor::Contact, now);
                kinds
            }
            Command::AgentMessage => {
                let human = source == Source::User;
                let mut kinds = Vec::new();
                if !self.is_open() {
                    if !human {
                        self.last_activity_at = now;
                        return Ok(Vec::new());
                    }
                    kinds.push(self.start_period(by, now));
                }
                self.current.messages_out += 1;
                self.current
                    .responses
                    .on_message(&MessageAuthor::from_attribution(&actor, source), now);
                if human {
                    self.current.first_agent_response_at.get_or_insert(now);
                }
                kinds
            }
        };
        self.last_activity_at = now;
        Ok(kinds
            .into_iter()
            .map(|kind| ActivityEvent {
                at: now,
                source,
                actor: actor.clone(),
                kind,
            })
            .collect())
    }

    /// When the alarm should fire: last activity plus the timeout, while open and enabled.
    pub fn next_deadline(&self, settings: &LifecycleSettings) -> Option<Millis> {
        let after = settings.auto_close_after?;
        self.is_open()
            .then(|| self.last_activity_at.saturating_add(after.millis()))
    }

    /// The alarm fired. Closes (source `System`, empty note) only if the deadline has really
    /// passed; an early, stale or repeated alarm returns no events and changes nothing.
    pub fn on_deadline(&mut self, settings: &LifecycleSettings, now: Millis) -> Vec<ActivityEvent> {
        match self.next_deadline(settings) {
            Some(deadline) if now >= deadline => {}
            _ => return Vec::new(),
        }
        let by = Attribution {
            actor: Actor::System,
            source: Source::System,
        };
        // An empty note from the system passes any settings, so no validation is needed.
        let kind = self.close(ClosingNote::default(), by, now);
        vec![ActivityEvent {
            at: now,
            source: Source::System,
            actor: Actor::System,
            kind,
        }]
    }

    fn open_period_mut(&mut self) -> Result<&mut Period, LifecycleError> {
        if self.current.is_open() {
            Ok(&mut self.current)
        } else {
            Err(LifecycleError::Closed)
        }
    }

    fn assign(
        &mut self,
        agent_id: String,
        team_id: Option<String>,
        now: Millis,
    ) -> Result<Vec<ActivityKind>, LifecycleError> {
        let period = self.open_period_mut()?;
        if period.assignee.as_deref() == Some(agent_id.as_str()) {
            // Same agent: only a team change is news.
            return match team_id {
                Some(team) if period.team.as_deref() != Some(team.as_str()) => {
                    let previous = period.team.replace(team.clone());
                    Ok(vec![ActivityKind::TeamAssigned {
                        team_id: team,
                        previous,
                    }])
                }
                _ => Err(LifecycleError::AlreadyAssigned { agent_id }),
            };
        }
        let previous = period.assignee.replace(agent_id.clone());
        if team_id.is_some() {
            period.team = team_id;
        }
        period.assignments += 1;
        period.responses.on_assigned(&agent_id);
        period.first_assigned_at.get_or_insert(now);
        Ok(vec![ActivityKind::Assigned {
            agent_id,
            team_id: period.team.clone(),
            previous,
        }])
    }

    fn assign_team(&mut self, team_id: String) -> Result<Vec<ActivityKind>, LifecycleError> {
        let period = self.open_period_mut()?;
        if period.team.as_deref() == Some(team_id.as_str()) {
            return Err(LifecycleError::AlreadyInTeam { team_id });
        }
        let previous = period.team.replace(team_id.clone());
        Ok(vec![ActivityKind::TeamAssigned { team_id, previous }])
    }

    /// Allowed on a closed conversation too ("unassign after close"): the agent stops holding
    /// it, which frees their slot; the closed period's report row already recorded who held it.
    fn unassign(&mut self) -> Result<Vec<ActivityKind>, LifecycleError> {
        let period = &mut self.current;
        let previous = period.assignee.take().ok_or(LifecycleError::NotAssigned)?;
        Ok(vec![ActivityKind::Unassigned { previous }])
    }

    /// Close the current period with an already validated note.
    fn close(&mut self, note: ClosingNote, by: Attribution, now: Millis) -> ActivityKind {
        let period = &mut self.current;
        period.closed_at = Some(now);
        period.closed_by = Some(by);
        period.closing_note = Some(note.clone());
        ActivityKind::Closed { note }
    }

    fn start_period(&mut self, by: Attribution, now: Millis) -> ActivityKind {
        let next = Period::new(self.current.number + 1, by, now);
        let closed = std::mem::replace(&mut self.current, next);
        self.past.push(closed);
        if self.past.len() > PAST_KEPT {
            self.past.drain(..self.past.len() - PAST_KEPT);
        }
        ActivityKind::Reopened {
            period: self.current.number,
        }
    }
}
