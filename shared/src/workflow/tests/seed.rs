//! The seed scenario: an agent closes → the agent is unassigned; a workflow closes → nothing.

use serde_json::json;

use super::harness::World;
use super::*;
use crate::lifecycle::Action;

fn unassign_after_close() -> Workflow {
    let mut w = Template::UnassignAfterClose.build("wf_unassign");
    w.enabled = true;
    w
}

#[test]
fn only_a_close_by_a_person_unassigns() {
    let w = unassign_after_close();
    for (source, starts) in [
        (Source::User, true),
        (Source::Workflow, false),
        (Source::Api, false),
        (Source::System, false),
        (Source::Contact, false),
    ] {
        let started = Engine::default().start(&w, &closed(source, None), &snapshot(), T0);
        assert_eq!(started.is_some(), starts, "{source:?}");
        if let Some(Started { run, effects }) = started {
            assert_eq!(effects, vec![Effect::Unassign]);
            assert_eq!(run.outcome(), Some(&Outcome::Completed));
            assert_eq!(trail(&run), ["unassign"]);
            assert_eq!(run.next_wakeup(), None);
        }
    }
}

#[test]
fn agent_closes_and_the_agent_is_unassigned() {
    let mut world = World::new(vec![unassign_after_close()]).open();
    world.agent_does(
        "a1",
        Action::Assign {
            agent_id: "a1".into(),
            team_id: None,
        },
    );
    assert_eq!(world.assignee(), Some("a1"));
    world.agent_closes("a1");
    assert_eq!(world.assignee(), None);
    let runs = world.runs();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].log.trigger, "conversation_closed");
    assert_eq!(runs[0].outcome(), Some(&Outcome::Completed));
    assert_eq!(world.assignment.open_count("a1"), 0);
}

#[test]
fn workflow_closes_and_nothing_happens() {
    let closer = wf(json!({
        "id": "wf_bye",
        "trigger": {"type": "contact_message"},
        "conditions": [{"type": "compare", "var": "event.text", "op": "contains", "value": "bye"}],
        "steps": [{"id": "close", "type": "close_conversation"}]
    }));
    let mut world = World::new(vec![unassign_after_close(), closer]).open();
    world.agent_does(
        "a1",
        Action::Assign {
            agent_id: "a1".into(),
            team_id: None,
        },
    );
    world.contact_says("ok, bye!");
    assert!(!world.lifecycle.is_open());
    // The closed period still names its agent: the unassign workflow did not run.
    assert_eq!(world.assignee(), Some("a1"));
    let runs = world.runs();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].workflow_id, "wf_bye");
}
