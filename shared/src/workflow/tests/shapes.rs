//! The JSON the editor and the DO exchange.

use serde_json::json;

use super::*;

/// The example in docs/WORKFLOWS.md.
#[test]
fn the_documented_unassign_template() {
    let documented = json!({
        "id": "wf_unassign_after_close",
        "version": 1,
        "name": "Unassign after the conversation is closed",
        "enabled": false,
        "trigger": {"type": "conversation_closed"},
        "conditions": [
            {"type": "compare", "var": "event.source", "op": "equals", "value": "user"}
        ],
        "start": "unassign",
        "steps": [
            {"id": "unassign", "type": "assign", "to": {"type": "unassign"}}
        ]
    });
    let built = Template::UnassignAfterClose.build("wf_unassign_after_close");
    assert_eq!(serde_json::to_value(&built).unwrap(), documented);
    let doc = include_str!("../../../../docs/WORKFLOWS.md");
    let compact: String = doc.split_whitespace().collect();
    for part in [
        r#""trigger":{"type":"conversation_closed"}"#,
        r#"{"type":"compare","var":"event.source","op":"equals","value":"user"}"#,
        r#"{"id":"unassign","type":"assign","to":{"type":"unassign"}}"#,
    ] {
        assert!(compact.contains(part), "docs/WORKFLOWS.md shows {part}");
    }
}

#[test]
fn every_template_round_trips() {
    for t in Template::ALL {
        let w = t.build("wf1");
        let text = serde_json::to_string(&w).unwrap();
        let back: Workflow = serde_json::from_str(&text).unwrap();
        assert_eq!(back, w, "{t:?}");
        assert!(!w.enabled);
        assert!(!t.description().is_empty());
    }
    let keys: Vec<serde_json::Value> = Template::ALL
        .iter()
        .map(|t| serde_json::to_value(t).unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "unassign_after_close",
            "close_and_resume_bot",
            "assign_to_agent",
            "sales_auto_assignment",
            "support_auto_assignment",
            "assigned_agent_message",
            "out_of_hours",
            "agents_at_capacity",
            "routing_by_choice"
        ]
    );
}

#[test]
fn runs_effects_and_inputs_are_tagged_json() {
    let w = steps(json!([
        {"id": "q", "type": "ask_question", "kind": "buttons", "prompt": "Pick",
         "buttons": [{"label": "Yes", "value": "y"}], "timeout_ms": 1000}
    ]));
    let Started { run, effects } = start(&w, &opened());
    assert_eq!(
        serde_json::to_value(&effects).unwrap(),
        json!([{"type": "ask_question", "step_id": "q", "prompt": "Pick", "kind": "buttons",
                "buttons": [{"label": "Yes", "value": "y"}]}])
    );
    let value = serde_json::to_value(&run).unwrap();
    assert_eq!(
        value["waiting"],
        json!({"type": "question", "deadline": T0 + 1000, "attempts": 0})
    );
    assert_eq!(
        value["event"],
        json!({"type": "conversation_opened", "period": 1, "source": "contact"})
    );
    assert_eq!(value["log"]["steps"][0]["action"], "ask_question");
    let back: Run = serde_json::from_value(value).unwrap();
    assert_eq!(back, run);

    let input: Input =
        serde_json::from_value(json!({"type": "answer", "text": "Yes", "button": "y"})).unwrap();
    assert_eq!(
        input,
        Input::Answer {
            text: "Yes".into(),
            button: Some("y".into())
        }
    );
    let decision: Input = serde_json::from_value(json!({
        "type": "assignment", "decision": {"type": "none_available", "reason": "at_capacity"}
    }))
    .unwrap();
    assert_eq!(decision.name(), "an assignment decision");
    let event: Event = serde_json::from_value(json!({
        "type": "conversation_closed", "note": {"category": "Ventas"}, "source": "workflow",
        "cause": {"workflow_id": "wf2", "depth": 1}
    }))
    .unwrap();
    assert_eq!(event.cause.unwrap().workflow_id, "wf2");
}

#[test]
fn snapshots_are_json_too() {
    let s = snapshot();
    let value = serde_json::to_value(&s).unwrap();
    assert_eq!(value["agents"][0]["id"], "a1");
    assert_eq!(value["agents"][0]["name"], "Ana García");
    assert_eq!(value["time_zone"], "UTC");
    let back: Snapshot = serde_json::from_value(value).unwrap();
    assert_eq!(back, s);
    let minimal: Snapshot = serde_json::from_value(json!({
        "conversation": {"id": "c", "status": "open"},
        "contact": {"id": "v"}
    }))
    .unwrap();
    assert_eq!(minimal.conversation.channel, "web");
    assert_eq!(minimal.conversation.period, 1);
}
