//! Runaway protection: the step limit, self-retriggering and chains.

use serde_json::json;

use super::harness::World;
use super::*;

#[test]
fn a_loop_without_a_wait_stops_at_the_step_limit() {
    let w = steps(json!([
        {"id": "a", "type": "send_message", "text": "again", "next": "b"},
        {"id": "b", "type": "jump", "target": "a"}
    ]));
    let Started { run, effects } = start(&w, &opened());
    assert_eq!(
        run.outcome(),
        Some(&Outcome::StepLimit {
            limit: DEFAULT_STEP_LIMIT
        })
    );
    assert_eq!(run.steps_taken(), DEFAULT_STEP_LIMIT);
    assert_eq!(run.log.steps.len(), DEFAULT_STEP_LIMIT as usize);
    assert_eq!(texts(&effects).len(), DEFAULT_STEP_LIMIT as usize / 2);
    assert!(run.log.errors[0].message.contains("loop"));
    assert_eq!(run.next_wakeup(), None);
}

#[test]
fn the_limit_counts_across_waits() {
    let w = steps(json!([
        {"id": "w", "type": "wait", "duration_ms": 1000, "next": "j"},
        {"id": "j", "type": "jump", "target": "w"}
    ]));
    let engine = Engine {
        step_limit: 7,
        ..Engine::default()
    };
    let mut run = engine.start(&w, &opened(), &snapshot(), T0).unwrap().run;
    let mut now = T0;
    while let Some(at) = run.next_wakeup() {
        now = at;
        engine
            .resume(&w, &mut run, Input::Wakeup, &snapshot(), now)
            .unwrap();
    }
    assert_eq!(run.outcome(), Some(&Outcome::StepLimit { limit: 7 }));
    assert_eq!(now, T0 + 4000);
}

/// A workflow that tags the contact on every tag change would retrigger itself forever; its
/// own events never start it.
#[test]
fn a_workflow_never_reacts_to_its_own_effects() {
    let tagger = wf(json!({
        "id": "tagger",
        "trigger": {"type": "contact_tag_updated"},
        "steps": [{"id": "t", "type": "add_tag", "tags": ["touched"]}]
    }));
    let mut world = World::new(vec![tagger]);
    world.offer(Event::new(
        WorkflowEvent::ContactTagUpdated {
            tag: "lead".into(),
            added: true,
        },
        Source::User,
    ));
    assert_eq!(world.runs().len(), 1);
    assert!(world.contact.has_tag("touched"));
}

/// Two workflows that trigger each other (A adds a tag → B removes it → A …) stop after
/// MAX_CHAIN_DEPTH hops.
#[test]
fn chains_of_workflows_stop() {
    let ping = wf(json!({
        "id": "ping",
        "trigger": {"type": "contact_tag_updated"},
        "conditions": [{"type": "compare", "var": "event.tag_change", "op": "equals", "value": "removed"}],
        "steps": [{"id": "t", "type": "add_tag", "tags": ["ball"]}]
    }));
    let pong = wf(json!({
        "id": "pong",
        "trigger": {"type": "contact_tag_updated"},
        "conditions": [{"type": "compare", "var": "event.tag_change", "op": "equals", "value": "added"}],
        "steps": [{"id": "t", "type": "remove_tag", "tags": ["ball"]}]
    }));
    let mut world = World::new(vec![ping, pong]);
    world.contact.tags.insert("ball".into());
    world.offer(Event::new(
        WorkflowEvent::ContactTagUpdated {
            tag: "ball".into(),
            added: true,
        },
        Source::User,
    ));
    let runs = world.runs();
    let depths: Vec<(&str, u32)> = runs
        .iter()
        .map(|r| (r.workflow_id.as_str(), r.depth))
        .collect();
    assert_eq!(depths, [("pong", 0), ("ping", 1), ("pong", 2), ("ping", 3)]);
    assert_eq!(MAX_CHAIN_DEPTH, 3);
}

#[test]
fn trigger_workflow_chains_stop_too() {
    let a = wf(json!({
        "id": "a", "trigger": {"type": "manual"},
        "steps": [{"id": "m", "type": "send_message", "text": "a", "next": "t"},
                  {"id": "t", "type": "trigger_workflow", "workflow_id": "b"}]
    }));
    let b = wf(json!({
        "id": "b", "trigger": {"type": "shortcut"},
        "steps": [{"id": "m", "type": "send_message", "text": "b", "next": "t"},
                  {"id": "t", "type": "trigger_workflow", "workflow_id": "a"}]
    }));
    let mut world = World::new(vec![a, b]);
    world.offer(Event::new(
        WorkflowEvent::Manual {
            workflow_id: "a".into(),
            agent_id: "a1".into(),
        },
        Source::User,
    ));
    assert_eq!(world.messages(), ["a", "b", "a", "b"]);
}

#[test]
fn workflow_sourced_events_without_a_cause_count_as_one_hop() {
    let w = wf(
        json!({"trigger": {"type": "conversation_closed"}, "steps": [{"id": "e", "type": "end"}]}),
    );
    let e = closed(Source::Workflow, None);
    assert!(Engine::default().triggers(&w, &e, &snapshot(), T0));
    let strict = Engine {
        max_chain_depth: 0,
        ..Engine::default()
    };
    assert!(!strict.triggers(&w, &e, &snapshot(), T0));
}
