//! Workflow tests. `harness` plays the Conversation DO with the real lifecycle, contact and
//! assignment modules, so scripted conversations exercise the whole execution contract.

mod business_hours;
mod conditions;
mod harness;
mod loops;
mod render;
mod resume;
mod seed;
mod shapes;
mod steps;
mod templates;
mod triggers;
mod urls;
mod validation;

use serde_json::{json, Value};

use super::*;
use crate::assignment::AgentInfo;
use crate::basic::{ConversationStatus, Millis};
use crate::contact::Contact;
use crate::lifecycle::{ClosingNote, Source};

/// Tue 14 Nov 2023 22:13:20 UTC.
pub(crate) const T0: Millis = 1_700_000_000_000;
pub(crate) const SEC: Millis = 1_000;
pub(crate) const MIN: Millis = 60 * SEC;
pub(crate) const HOUR: Millis = 60 * MIN;
pub(crate) const DAY: Millis = 24 * HOUR;

pub(crate) fn agent(id: &str, name: &str, online: bool, teams: &[&str]) -> AgentFacts {
    AgentFacts {
        info: AgentInfo {
            id: id.into(),
            online,
            capacity: None,
            teams: teams.iter().map(|t| t.to_string()).collect(),
        },
        name: name.into(),
        open: 0,
    }
}

/// Ana (sales, support, online), Bruno (support, online), Carla (billing, offline).
pub(crate) fn agents() -> Vec<AgentFacts> {
    vec![
        agent("a1", "Ana García", true, &["sales", "support"]),
        agent("a2", "Bruno Díaz", true, &["support"]),
        agent("a3", "Carla Ruiz", false, &["billing"]),
    ]
}

pub(crate) fn contact() -> Contact {
    let mut c = Contact::new("v_1");
    c.name = Some("Marta López".into());
    c.email = Some("marta@example.com".into());
    c.fields.insert("plan".into(), "gold".into());
    c.tags.insert("vip".into());
    c
}

/// An open conversation assigned to Ana, in support.
pub(crate) fn snapshot() -> Snapshot {
    let mut s = Snapshot::new(
        ConversationFacts {
            id: "c1".into(),
            status: ConversationStatus::Open,
            assignee: Some("a1".into()),
            team: Some("support".into()),
            bot_paused: false,
            period: 1,
            channel: "web".into(),
        },
        contact(),
    );
    s.agents = agents();
    s
}

pub(crate) fn wf(value: Value) -> Workflow {
    let mut value = value;
    let obj = value.as_object_mut().expect("a workflow object");
    obj.entry("id").or_insert(json!("wf1"));
    obj.entry("name").or_insert(json!("Test"));
    obj.entry("enabled").or_insert(json!(true));
    obj.entry("trigger")
        .or_insert(json!({"type": "conversation_opened"}));
    if !obj.contains_key("start") {
        let first = obj["steps"][0]["id"].clone();
        obj.insert("start".into(), first);
    }
    serde_json::from_value(value).expect("test workflow")
}

/// A workflow of `steps` on conversation opened, starting at the first.
pub(crate) fn steps(steps: Value) -> Workflow {
    wf(json!({ "steps": steps }))
}

pub(crate) fn opened() -> Event {
    Event::new(
        WorkflowEvent::ConversationOpened { period: 1 },
        Source::Contact,
    )
}

pub(crate) fn closed(source: Source, category: Option<&str>) -> Event {
    Event::new(
        WorkflowEvent::ConversationClosed {
            note: ClosingNote {
                category: category.map(Into::into),
                summary: None,
            },
        },
        source,
    )
}

/// Start `workflow` on `event` at T0 with the default snapshot; panics if it does not start.
pub(crate) fn start(workflow: &Workflow, event: &Event) -> Started {
    start_with(workflow, event, &snapshot())
}

pub(crate) fn start_with(workflow: &Workflow, event: &Event, snapshot: &Snapshot) -> Started {
    Engine::default()
        .start(workflow, event, snapshot, T0)
        .expect("the workflow starts")
}

pub(crate) fn texts(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::SendMessage { text } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// The step ids a run took, in order.
pub(crate) fn trail(run: &Run) -> Vec<&str> {
    run.log.steps.iter().map(|s| s.step_id.as_str()).collect()
}
