//! Variable paths: the one way conditions and `{{templates}}` read the world.
//!
//! A path is `namespace.name`: `contact.first_name`, `agent.name`, `event.source`,
//! `vars.plan`, `business_hours.open`, `now.weekday`. One resolver serves both conditions and
//! messages, so whatever an editor can test it can also print, and the validator knows every
//! path either may use.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDateTime, Timelike};
use serde_json::Value;

use super::snapshot::{AgentFacts, ConversationFacts, Snapshot};
use super::trigger::Trigger;
use super::trigger::{Event, WorkflowEvent};
use crate::basic::{ConversationStatus, Millis};
use crate::contact::Contact;
use crate::lifecycle::Source;
use crate::schedule::ZoneRules as _;
use crate::schedule::{ClockTime, Day};

/// A resolved value. Unset paths resolve to `None`, never to an empty text, so `is_set` means
/// something.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val<'a> {
    Text(Cow<'a, str>),
    Number(f64),
    Bool(bool),
    List(Vec<&'a str>),
}

impl Val<'_> {
    pub(crate) fn text(&self) -> Cow<'_, str> {
        match self {
            Val::Text(t) => Cow::Borrowed(t.as_ref()),
            Val::Number(n) => Cow::Owned(number_text(*n)),
            Val::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Val::List(items) => Cow::Owned(items.join(", ")),
        }
    }
}

/// Whole numbers print without a decimal point ("3", not "3.0").
pub(crate) fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// What a run can see at one moment. The conversation and the contact may be the engine's
/// updated copies rather than the snapshot's, so they are held apart from it.
pub(crate) struct Scope<'a> {
    pub snapshot: &'a Snapshot,
    pub conversation: &'a ConversationFacts,
    pub contact: &'a Contact,
    /// `None` for texts written outside any run (an agent's snippet): `event.*` is unset.
    pub event: Option<&'a Event>,
    pub vars: &'a BTreeMap<String, String>,
    pub now: Millis,
}

fn text(s: &str) -> Option<Val<'_>> {
    Some(Val::Text(Cow::Borrowed(s)))
}

fn opt(s: Option<&str>) -> Option<Val<'_>> {
    s.filter(|s| !s.is_empty()).and_then(text)
}

pub(crate) fn source_name(source: Source) -> &'static str {
    match source {
        Source::User => "user",
        Source::Workflow => "workflow",
        Source::Api => "api",
        Source::System => "system",
        Source::Contact => "contact",
    }
}

fn clock_text(local: NaiveDateTime) -> String {
    format!("{:02}:{:02}", local.hour(), local.minute())
}

fn date_text(local: NaiveDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        local.year(),
        local.month(),
        local.day()
    )
}

impl<'a> Scope<'a> {
    /// Everything as the snapshot has it.
    pub(crate) fn of(
        snapshot: &'a Snapshot,
        event: &'a Event,
        vars: &'a BTreeMap<String, String>,
        now: Millis,
    ) -> Self {
        Scope {
            snapshot,
            conversation: &snapshot.conversation,
            contact: &snapshot.contact,
            event: Some(event),
            vars,
            now,
        }
    }

    pub(crate) fn get(&self, path: &str) -> Option<Val<'a>> {
        let (ns, rest) = path.split_once('.')?;
        match ns {
            "contact" => self.contact(rest),
            "conversation" => self.conversation(rest),
            "agent" => {
                let id = self.conversation.assignee.as_deref()?;
                agent(self.snapshot.agent(id)?, rest)
            }
            "agents" => {
                if rest == "online_count" {
                    let n = self
                        .snapshot
                        .agents
                        .iter()
                        .filter(|a| a.info.online)
                        .count();
                    return Some(Val::Number(n as f64));
                }
                let (id, prop) = rest.rsplit_once('.')?;
                agent(self.snapshot.agent(id)?, prop)
            }
            "teams" => {
                let (team, prop) = rest.rsplit_once('.')?;
                (prop == "online_count").then(|| {
                    let n = self
                        .snapshot
                        .agents
                        .iter()
                        .filter(|a| a.info.online && a.info.teams.iter().any(|t| t == team))
                        .count();
                    Val::Number(n as f64)
                })
            }
            "event" => self.event(rest),
            "vars" => opt(self.vars.get(rest).map(String::as_str)),
            "business_hours" => self.business_hours(rest),
            "now" => self.clock(rest),
            _ => None,
        }
    }

    fn contact(&self, key: &str) -> Option<Val<'a>> {
        contact(self.contact, key)
    }

    fn conversation(&self, key: &str) -> Option<Val<'a>> {
        let c = self.conversation;
        match key {
            "id" => text(&c.id),
            "status" => text(match c.status {
                ConversationStatus::Open => "open",
                ConversationStatus::Closed => "closed",
            }),
            "assignee" => opt(c.assignee.as_deref()),
            "assigned" => Some(Val::Bool(c.assignee.is_some())),
            "team" => opt(c.team.as_deref()),
            "bot_paused" => Some(Val::Bool(c.bot_paused)),
            "period" => Some(Val::Number(f64::from(c.period))),
            "channel" => text(&c.channel),
            _ => None,
        }
    }

    fn event(&self, key: &str) -> Option<Val<'a>> {
        let event = self.event?;
        match key {
            "type" => return text(event.kind.name()),
            "source" => return text(source_name(event.source)),
            "by_workflow" => return opt(event.cause.as_ref().map(|c| c.workflow_id.as_str())),
            _ => {}
        }
        match (&event.kind, key) {
            (WorkflowEvent::ConversationOpened { period }, "period") => {
                Some(Val::Number(f64::from(*period)))
            }
            (WorkflowEvent::ConversationClosed { note }, "closing_category") => {
                opt(note.category.as_deref())
            }
            (WorkflowEvent::ConversationClosed { note }, "closing_summary") => {
                opt(note.summary.as_deref())
            }
            (WorkflowEvent::ContactMessage { text: t, .. }, "text") => opt(Some(t)),
            (
                WorkflowEvent::ContactMessage {
                    first_in_period, ..
                },
                "first_in_period",
            ) => Some(Val::Bool(*first_in_period)),
            (WorkflowEvent::ContactMessage { button, .. }, "button") => opt(button.as_deref()),
            (
                WorkflowEvent::ContactMessage {
                    attachment_types, ..
                },
                "attachments",
            ) => Some(Val::Number(attachment_types.len() as f64)),
            (
                WorkflowEvent::ContactMessage {
                    attachment_types, ..
                },
                "attachment_types",
            ) => Some(Val::Text(Cow::Owned(attachment_types.join(", ")))),
            (WorkflowEvent::ContactTagUpdated { tag, .. }, "tag") => opt(Some(tag)),
            (WorkflowEvent::ContactTagUpdated { added, .. }, "tag_change") => {
                text(if *added { "added" } else { "removed" })
            }
            (WorkflowEvent::ContactFieldUpdated { field, .. }, "field") => opt(Some(field)),
            (WorkflowEvent::ContactFieldUpdated { old, .. }, "old") => opt(old.as_deref()),
            (WorkflowEvent::ContactFieldUpdated { new, .. }, "new") => opt(new.as_deref()),
            (
                WorkflowEvent::Manual { agent_id, .. } | WorkflowEvent::Shortcut { agent_id, .. },
                "agent_id",
            ) => opt(Some(agent_id)),
            (
                WorkflowEvent::Manual { agent_id, .. } | WorkflowEvent::Shortcut { agent_id, .. },
                "agent_name",
            ) => opt(self.snapshot.agent(agent_id).map(|a| a.name.as_str())),
            (WorkflowEvent::Webhook { body, .. }, _) => {
                let path = match key {
                    "body" => "",
                    _ => key.strip_prefix("body.")?,
                };
                json_val(json_at(body, path)?)
            }
            _ => None,
        }
    }

    fn business_hours(&self, key: &str) -> Option<Val<'a>> {
        let hours = self.snapshot.business_hours.as_ref();
        if key == "open" {
            return Some(Val::Bool(hours.is_none_or(|h| h.is_open(self.now))));
        }
        let hours = hours?;
        let at = hours.next_open(self.now)?;
        let local = hours.time_zone.local(at)?;
        let value = match key {
            "next_open" => format!("{} {}", date_text(local), clock_text(local)),
            "next_open_day" => Day::from(local.weekday()).name().to_owned(),
            "next_open_time" => clock_text(local),
            _ => return None,
        };
        Some(Val::Text(Cow::Owned(value)))
    }

    fn clock(&self, key: &str) -> Option<Val<'a>> {
        if key == "timestamp" {
            return Some(Val::Number(self.now as f64));
        }
        let local = self.snapshot.time_zone.local(self.now)?;
        Some(match key {
            "weekday" => Val::Text(Cow::Borrowed(Day::from(local.weekday()).as_str())),
            "time" => Val::Text(Cow::Owned(clock_text(local))),
            "date" => Val::Text(Cow::Owned(date_text(local))),
            "hour" => Val::Number(f64::from(local.hour())),
            _ => return None,
        })
    }
}

/// `contact.<key>`: a standard field, `tags`, or `fields.<custom>`.
pub(crate) fn contact<'a>(contact: &'a Contact, key: &str) -> Option<Val<'a>> {
    match key {
        "tags" => Some(Val::List(contact.tags.iter().map(String::as_str).collect())),
        _ => match key.strip_prefix("fields.") {
            Some(custom) => opt(contact.fields.get(custom).map(String::as_str)),
            None => opt(contact.field(key)),
        },
    }
}

/// `agent.<key>` of one agent.
pub(crate) fn agent<'a>(agent: &'a AgentFacts, key: &str) -> Option<Val<'a>> {
    match key {
        "id" => text(&agent.info.id),
        "name" => opt(Some(&agent.name)),
        "first_name" => opt(agent.name.split_whitespace().next()),
        "online" => Some(Val::Bool(agent.info.online)),
        "open" => Some(Val::Number(f64::from(agent.open))),
        "capacity" => agent.info.capacity.map(|c| Val::Number(f64::from(c))),
        "at_capacity" => Some(Val::Bool(
            agent.info.capacity.is_some_and(|c| agent.open >= c),
        )),
        _ => None,
    }
}

/// `a.b.0.c` into a JSON value; numeric segments index arrays. The empty path is the value.
pub(crate) fn json_at<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    if path.is_empty() {
        return Some(value);
    }
    path.split('.').try_fold(value, |v, key| match v {
        Value::Object(map) => map.get(key),
        Value::Array(items) => items.get(key.parse::<usize>().ok()?),
        _ => None,
    })
}

fn json_val(value: &Value) -> Option<Val<'_>> {
    match value {
        Value::Null => None,
        Value::String(s) => opt(Some(s)),
        Value::Number(n) => n.as_f64().map(Val::Number),
        Value::Bool(b) => Some(Val::Bool(*b)),
        other => Some(Val::Text(Cow::Owned(other.to_string()))),
    }
}

/// A JSON value as text to save: strings as they are, other scalars printed, objects and
/// arrays as JSON; `None` for null.
pub(crate) fn json_text(value: &Value) -> Option<String> {
    json_val(value).map(|v| v.text().into_owned())
}

/// What a path holds, so the validator can refuse "is true" on a name or "contains" on a
/// flag before anyone runs the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Number,
    Bool,
    List,
    /// Variables and webhook bodies: whatever was put there.
    Any,
}

const CONVERSATION: &[(&str, Kind)] = &[
    ("id", Kind::Text),
    ("status", Kind::Text),
    ("assignee", Kind::Text),
    ("assigned", Kind::Bool),
    ("team", Kind::Text),
    ("bot_paused", Kind::Bool),
    ("period", Kind::Number),
    ("channel", Kind::Text),
];
const AGENT: &[(&str, Kind)] = &[
    ("id", Kind::Text),
    ("name", Kind::Text),
    ("first_name", Kind::Text),
    ("online", Kind::Bool),
    ("open", Kind::Number),
    ("capacity", Kind::Number),
    ("at_capacity", Kind::Bool),
];
const BUSINESS_HOURS: &[(&str, Kind)] = &[
    ("open", Kind::Bool),
    ("next_open", Kind::Text),
    ("next_open_day", Kind::Text),
    ("next_open_time", Kind::Text),
];
const NOW: &[(&str, Kind)] = &[
    ("weekday", Kind::Text),
    ("time", Kind::Text),
    ("date", Kind::Text),
    ("hour", Kind::Number),
    ("timestamp", Kind::Number),
];
/// Event properties every event has.
const EVENT_ALWAYS: &[(&str, Kind)] = &[
    ("type", Kind::Text),
    ("source", Kind::Text),
    ("by_workflow", Kind::Text),
];

/// Event properties by the trigger that produces them.
fn event_props(trigger: &Trigger) -> &'static [(&'static str, Kind)] {
    match trigger {
        Trigger::ConversationOpened => &[("period", Kind::Number)],
        Trigger::ConversationClosed => &[
            ("closing_category", Kind::Text),
            ("closing_summary", Kind::Text),
        ],
        Trigger::ContactMessage { .. } => &[
            ("text", Kind::Text),
            ("first_in_period", Kind::Bool),
            ("button", Kind::Text),
            ("attachments", Kind::Number),
            ("attachment_types", Kind::Text),
        ],
        Trigger::ContactTagUpdated => &[("tag", Kind::Text), ("tag_change", Kind::Text)],
        Trigger::ContactFieldUpdated => &[
            ("field", Kind::Text),
            ("old", Kind::Text),
            ("new", Kind::Text),
        ],
        Trigger::Manual | Trigger::Shortcut => {
            &[("agent_id", Kind::Text), ("agent_name", Kind::Text)]
        }
        Trigger::Webhook { .. } => &[("body", Kind::Any)],
    }
}

fn lookup(table: &[(&str, Kind)], key: &str) -> Option<Kind> {
    table.iter().find(|(k, _)| *k == key).map(|(_, kind)| *kind)
}

/// Custom field keys as [`crate::contact`] accepts them.
pub(crate) fn is_field_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 40
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Names a step may save into: `[a-z0-9_]`, up to 40. Names with dots belong to the engine
/// (`assignment.result`, `http.status`).
pub(crate) fn is_var_name(name: &str) -> bool {
    is_field_key(name)
}

/// Variables the engine itself sets, and what they hold.
const ENGINE_VARS: &[(&str, Kind)] = &[
    ("assignment.result", Kind::Text),
    ("assignment.reason", Kind::Text),
    ("assignment.agent_id", Kind::Text),
    ("assignment.position", Kind::Number),
    ("http.status", Kind::Number),
    ("http.error", Kind::Text),
];

/// The kind a path holds, or why it is not a path. `trigger` limits `event.*` to what that
/// trigger's events carry.
pub(crate) fn check_path(path: &str, trigger: &Trigger) -> Result<Kind, String> {
    let unknown = || format!("unknown variable {path:?}");
    let (ns, rest) = path.split_once('.').ok_or_else(unknown)?;
    let found = match ns {
        "contact" => match rest {
            "tags" => Some(Kind::List),
            "name" | "first_name" | "email" | "phone" | "id" => Some(Kind::Text),
            _ => is_field_key(rest.strip_prefix("fields.").unwrap_or(rest)).then_some(Kind::Text),
        },
        "conversation" => lookup(CONVERSATION, rest),
        "agent" => lookup(AGENT, rest),
        "agents" if rest == "online_count" => Some(Kind::Number),
        "agents" => rest
            .rsplit_once('.')
            .and_then(|(id, prop)| (!id.is_empty()).then(|| lookup(AGENT, prop)).flatten()),
        "teams" => match rest.rsplit_once('.') {
            Some((team, "online_count")) if !team.is_empty() => Some(Kind::Number),
            _ => None,
        },
        "vars" => lookup(ENGINE_VARS, rest).or_else(|| is_var_name(rest).then_some(Kind::Any)),
        "business_hours" => lookup(BUSINESS_HOURS, rest),
        "now" => lookup(NOW, rest),
        "event" => {
            if let Some(kind) = lookup(EVENT_ALWAYS, rest) {
                Some(kind)
            } else {
                let props = event_props(trigger);
                let base = rest.split_once('.').map_or(rest, |(base, _)| base);
                match lookup(props, base) {
                    Some(Kind::Any) => Some(Kind::Any),
                    Some(kind) if base == rest => Some(kind),
                    _ => {
                        return Err(format!(
                            "{path:?} is not a property of {} events",
                            trigger.name()
                        ))
                    }
                }
            }
        }
        _ => None,
    };
    found.ok_or_else(unknown)
}

/// The only values some paths can hold, so a typo ("usr") is caught when saving.
pub(crate) fn allowed_values(path: &str) -> Option<&'static [&'static str]> {
    Some(match path {
        "event.source" => &["user", "workflow", "api", "system", "contact"],
        "event.type" => &[
            "conversation_opened",
            "conversation_closed",
            "contact_message",
            "contact_tag_updated",
            "contact_field_updated",
            "manual",
            "shortcut",
            "webhook",
            "triggered",
        ],
        "event.tag_change" => &["added", "removed"],
        "conversation.status" => &["open", "closed"],
        "now.weekday" => &["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "vars.assignment.result" => &["assigned", "queued", "none_available"],
        "vars.assignment.reason" => &["no_agents", "offline", "at_capacity", "timeout"],
        _ => return None,
    })
}

/// Values of `now.time` must be times of day, so "9:00" (which sorts after "17:00") is
/// refused rather than silently wrong.
pub(crate) fn is_clock_path(path: &str) -> bool {
    matches!(path, "now.time")
}

pub(crate) fn is_clock(text: &str) -> bool {
    ClockTime::parse(text).is_ok()
}
