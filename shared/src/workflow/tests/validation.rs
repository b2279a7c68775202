//! Workflow::validate: what the editor shows inline.

use serde_json::{json, Value};

use super::*;

/// Problems as (step id, message), for compact expectations.
fn problems(w: &Workflow) -> Vec<(Option<String>, String)> {
    w.validate()
        .into_iter()
        .map(|p| (p.step_id, p.message))
        .collect()
}

fn only(w: Value, step: Option<&str>, needle: &str) {
    let w = wf(w);
    let found = problems(&w);
    assert!(
        found.len() == 1 && found[0].0.as_deref() == step && found[0].1.contains(needle),
        "expected only {step:?}: {needle:?}, got {found:?}"
    );
}

fn step(s: Value) -> Value {
    json!({"steps": [s, {"id": "x", "type": "end"}]})
}

#[test]
fn templates_and_a_minimal_workflow_are_valid() {
    for t in Template::ALL {
        let w = t.build("wf1");
        assert_eq!(w.validate(), vec![], "{t:?}");
    }
    assert!(problems(&steps(json!([{"id": "a", "type": "end"}]))).is_empty());
}

#[test]
fn workflow_level_problems() {
    let table: Vec<(Value, &str)> = vec![
        (
            json!({"id": " ", "steps": [{"id": "a", "type": "end"}]}),
            "no id",
        ),
        (
            json!({"name": "", "steps": [{"id": "a", "type": "end"}]}),
            "needs a name",
        ),
        (
            json!({"name": "n".repeat(101), "steps": [{"id": "a", "type": "end"}]}),
            "longer than 100",
        ),
        (
            json!({"version": 0, "steps": [{"id": "a", "type": "end"}]}),
            "versions start at 1",
        ),
        (
            json!({"start": "nope", "steps": [{"id": "a", "type": "end"}]}),
            "start: there is no step \"nope\"",
        ),
        (json!({"start": "a", "steps": []}), "no steps"),
        (
            json!({"trigger": {"type": "webhook", "secret_fingerprint": ""}, "steps": [{"id": "a", "type": "end"}]}),
            "no secret",
        ),
        (
            json!({"conditions": [{"type": "compare", "var": "event.sorce", "op": "equals", "value": "user"}], "steps": [{"id": "a", "type": "end"}]}),
            "not a property of conversation_opened",
        ),
        (
            json!({"conditions": [{"type": "compare", "var": "event.source", "op": "equals", "value": "usr"}], "steps": [{"id": "a", "type": "end"}]}),
            "never \"usr\"",
        ),
        (
            json!({"conditions": [{"type": "compare", "var": "event.closing_category", "op": "equals", "value": "x"}], "steps": [{"id": "a", "type": "end"}]}),
            "not a property of conversation_opened",
        ),
        (
            json!({"conditions": [{"type": "any", "conditions": []}], "steps": [{"id": "a", "type": "end"}]}),
            "empty",
        ),
    ];
    for (w, needle) in table {
        only(w, None, needle);
    }
    let many: Vec<Value> = (0..=MAX_STEPS)
        .map(|i| json!({"id": format!("s{i}"), "type": "end"}))
        .collect();
    only(json!({"steps": many}), None, "at most 200 steps");
}

#[test]
fn dangling_references_name_their_step() {
    let table: Vec<(Value, &str)> = vec![
        (
            json!({"id": "s", "type": "send_message", "text": "hi", "next": "gone"}),
            "next: there is no step \"gone\"",
        ),
        (
            json!({"id": "s", "type": "jump", "target": "gone"}),
            "jump: there is no step \"gone\"",
        ),
        (
            json!({"id": "s", "type": "branch", "arms": [{"condition": {"type": "compare", "var": "contact.email", "op": "is_set"}, "next": "gone"}]}),
            "branch: there is no step",
        ),
        (
            json!({"id": "s", "type": "ask_question", "prompt": "?", "timeout_ms": 1000, "on_timeout": "gone"}),
            "on timeout: there is no step",
        ),
        (
            json!({"id": "s", "type": "ask_question", "prompt": "?", "on_invalid": "gone"}),
            "on invalid: there is no step",
        ),
        (
            json!({"id": "s", "type": "ask_question", "kind": "buttons", "prompt": "?", "buttons": [{"label": "A", "next": "gone"}]}),
            "button: there is no step",
        ),
        (
            json!({"id": "s", "type": "assign", "to": {"type": "workspace"}, "on_unavailable": "gone"}),
            "on unavailable: there is no step",
        ),
        (
            json!({"id": "s", "type": "http_request", "url": "https://example.com", "on_error": "gone"}),
            "on error: there is no step",
        ),
    ];
    for (s, needle) in table {
        only(step(s), Some("s"), needle);
    }
}

#[test]
fn step_problems() {
    let cmp = |var: &str, op: &str, value: Value| json!({"type": "compare", "var": var, "op": op, "value": value});
    let branch =
        |c: Value| json!({"id": "s", "type": "branch", "arms": [{"condition": c, "next": "x"}]});
    let table: Vec<(Value, &str)> = vec![
        (json!({"id": "bad id!", "type": "end"}), "step ids are"),
        (
            json!({"id": "s", "type": "send_message", "text": "  "}),
            "the message is empty",
        ),
        (
            json!({"id": "s", "type": "send_message", "text": "Hi {{contact.first_name"}),
            "never closed",
        ),
        (
            json!({"id": "s", "type": "send_message", "text": "Hi {{}}"}),
            "empty {{ }}",
        ),
        (
            json!({"id": "s", "type": "send_message", "text": "Hi {{agent.nickname}}"}),
            "unknown variable \"agent.nickname\"",
        ),
        (
            json!({"id": "s", "type": "send_message", "text": "{{event.text}}"}),
            "not a property of conversation_opened",
        ),
        (
            json!({"id": "s", "type": "send_message", "text": "x".repeat(4001)}),
            "longer than 4000",
        ),
        (
            json!({"id": "s", "type": "ask_question", "prompt": ""}),
            "the question is empty",
        ),
        (
            json!({"id": "s", "type": "ask_question", "kind": "buttons", "prompt": "?"}),
            "needs buttons",
        ),
        (
            json!({"id": "s", "type": "ask_question", "kind": "email", "prompt": "?", "buttons": [{"label": "A"}]}),
            "a email question has no buttons",
        ),
        (
            json!({"id": "s", "type": "ask_question", "kind": "buttons", "prompt": "?", "buttons": [{"label": "A"}, {"label": "B", "value": "a"}]}),
            "two buttons answer",
        ),
        (
            json!({"id": "s", "type": "ask_question", "kind": "buttons", "prompt": "?", "buttons": [{"label": "An extremely long label"}]}),
            "button labels are 1-20",
        ),
        (
            json!({"id": "s", "type": "ask_question", "kind": "buttons", "prompt": "?", "buttons": (0..11).map(|i| json!({"label": format!("b{i}")})).collect::<Vec<_>>()}),
            "at most 10 buttons",
        ),
        (
            json!({"id": "s", "type": "ask_question", "kind": "buttons", "prompt": "?", "buttons": [{"label": "A", "value": " "}]}),
            "value is empty",
        ),
        (
            json!({"id": "s", "type": "ask_question", "prompt": "?", "save_as": "Bad Name"}),
            "not a variable name",
        ),
        (
            json!({"id": "s", "type": "ask_question", "prompt": "?", "save_to_field": "first_name"}),
            "not a contact field",
        ),
        (
            json!({"id": "s", "type": "ask_question", "prompt": "?", "on_timeout": "x"}),
            "needs a timeout",
        ),
        (
            json!({"id": "s", "type": "ask_question", "prompt": "?", "timeout_ms": 0}),
            "between 1 ms and 30 days",
        ),
        (
            json!({"id": "s", "type": "ask_question", "prompt": "?", "max_attempts": 0}),
            "attempts are 1 to 10",
        ),
        (
            json!({"id": "s", "type": "assign", "to": {"type": "agent", "agent_id": ""}}),
            "choose an agent",
        ),
        (
            json!({"id": "s", "type": "assign", "to": {"type": "team", "team_id": " "}}),
            "choose a team",
        ),
        (
            json!({"id": "s", "type": "assign", "to": {"type": "unassign"}, "on_unavailable": "x"}),
            "no unavailable path",
        ),
        (
            json!({"id": "s", "type": "assign", "to": {"type": "dedicated", "owner_field": "Owner!", "fallback": {"type": "workspace"}}}),
            "not a contact field",
        ),
        (
            json!({"id": "s", "type": "branch", "arms": []}),
            "at least one condition",
        ),
        (
            branch(cmp("contact.email", "is_set", json!("x"))),
            "takes no value",
        ),
        (
            branch(cmp("contact.email", "equals", json!(null))),
            "the value is missing",
        ),
        (
            branch(cmp("contact.email", "equals", json!(" "))),
            "the value is missing",
        ),
        (
            branch(cmp("contact.plan", "one_of", json!([]))),
            "one or more values",
        ),
        (
            branch(cmp("contact.plan", "one_of", json!("gold"))),
            "one or more values",
        ),
        (
            branch(cmp("now.time", "between", json!(["09:00"]))),
            "[low, high]",
        ),
        (
            branch(cmp("now.time", "greater_than", json!("9:00"))),
            "not a time (HH:MM)",
        ),
        (
            branch(cmp("now.weekday", "equals", json!("monday"))),
            "never \"monday\"",
        ),
        (
            branch(cmp("contact.name", "is_true", json!(null))),
            "is_true does not apply",
        ),
        (
            branch(cmp("contact.tags", "greater_than", json!(1))),
            "greater_than does not apply",
        ),
        (
            branch(cmp("agent.online", "contains", json!("x"))),
            "contains does not apply",
        ),
        (
            branch(cmp("agents.online", "is_true", json!(null))),
            "unknown variable",
        ),
        (
            branch(cmp("vars.assignment.result", "equals", json!("ok"))),
            "never \"ok\"",
        ),
        (
            json!({"id": "s", "type": "add_tag", "tags": []}),
            "at least one tag",
        ),
        (
            json!({"id": "s", "type": "remove_tag", "tags": ["  "]}),
            "tags are 1-40",
        ),
        (
            json!({"id": "s", "type": "update_field", "field": "id", "value": "x"}),
            "not a contact field",
        ),
        (
            json!({"id": "s", "type": "update_field", "field": "plan", "value": "{{vars.}}"}),
            "unknown variable",
        ),
        (
            json!({"id": "s", "type": "close_conversation", "note": {"category": " "}}),
            "category is empty",
        ),
        (
            json!({"id": "s", "type": "internal_comment", "text": ""}),
            "the comment is empty",
        ),
        (
            json!({"id": "s", "type": "wait", "duration_ms": 0}),
            "between 1 ms and 30 days",
        ),
        (
            json!({"id": "s", "type": "wait", "duration_ms": 31u64 * 86_400_000}),
            "between 1 ms and 30 days",
        ),
        (
            json!({"id": "s", "type": "http_request", "url": "http://example.com/"}),
            "only https://",
        ),
        (
            json!({"id": "s", "type": "http_request", "url": "http://{{vars.host}}/"}),
            "only https://",
        ),
        (
            json!({"id": "s", "type": "http_request", "url": "https://localhost:8787/hook"}),
            "local host names",
        ),
        (
            json!({"id": "s", "type": "http_request", "url": "https://10.0.0.8/"}),
            "private",
        ),
        (
            json!({"id": "s", "type": "http_request", "url": "https://example.com", "timeout_ms": 60_000}),
            "between 1 ms and 30 s",
        ),
        (
            json!({"id": "s", "type": "http_request", "url": "https://example.com", "headers": {"Bad Header": "x"}}),
            "not a header name",
        ),
        (
            json!({"id": "s", "type": "http_request", "url": "https://example.com", "map": [{"path": "", "to": {"type": "variable", "name": "x"}}]}),
            "has no path",
        ),
        (
            json!({"id": "s", "type": "http_request", "url": "https://example.com", "map": [{"path": "a", "to": {"type": "variable", "name": "a.b"}}]}),
            "not a variable name",
        ),
        (
            json!({"id": "s", "type": "http_request", "url": "https://example.com", "map": [{"path": "a", "to": {"type": "contact_field", "field": "x y"}}]}),
            "not a contact field",
        ),
        (
            json!({"id": "s", "type": "jump", "target": "s"}),
            "jumps to itself",
        ),
        (
            json!({"id": "s", "type": "jump", "target": "x", "next": "x"}),
            "a jump step has no next",
        ),
        (
            json!({"id": "s", "type": "end", "next": "x"}),
            "a end step has no next",
        ),
        (
            json!({"id": "s", "type": "trigger_workflow", "workflow_id": "wf1"}),
            "cannot trigger itself",
        ),
        (
            json!({"id": "s", "type": "trigger_workflow", "workflow_id": ""}),
            "choose a workflow",
        ),
    ];
    for (s, needle) in table {
        let id = if s["id"] == "bad id!" { "bad id!" } else { "s" };
        only(step(s), Some(id), needle);
    }
}

#[test]
fn duplicate_ids_and_several_problems_at_once() {
    let w = steps(json!([
        {"id": "a", "type": "send_message", "text": "", "next": "b"},
        {"id": "a", "type": "end"}
    ]));
    let found = problems(&w);
    assert_eq!(
        found,
        vec![
            (Some("a".into()), "next: there is no step \"b\"".into()),
            (Some("a".into()), "the message is empty".into()),
            (Some("a".into()), "two steps have this id".into()),
        ]
    );
}

#[test]
fn local_dev_accepts_private_http_targets() {
    let w =
        steps(json!([{"id": "s", "type": "http_request", "url": "http://127.0.0.1:8787/hook"}]));
    assert!(!w.validate().is_empty());
    assert!(w.validate_with(&Engine::local_dev()).is_empty());
}

#[test]
fn event_variables_follow_the_trigger() {
    let text = |trigger: Value, var: &str| {
        wf(
            json!({"trigger": trigger, "steps": [{"id": "s", "type": "send_message", "text": format!("{{{{{var}}}}}")}]}),
        )
    };
    let secret = crate::token::fingerprint("x");
    for (trigger, var) in [
        (json!({"type": "conversation_opened"}), "event.period"),
        (
            json!({"type": "conversation_closed"}),
            "event.closing_summary",
        ),
        (json!({"type": "contact_message"}), "event.button"),
        (json!({"type": "contact_message"}), "event.attachments"),
        (json!({"type": "contact_message"}), "event.attachment_types"),
        (json!({"type": "contact_tag_updated"}), "event.tag"),
        (json!({"type": "contact_field_updated"}), "event.old"),
        (json!({"type": "manual"}), "event.agent_id"),
        (json!({"type": "shortcut"}), "event.agent_name"),
        (
            json!({"type": "webhook", "secret_fingerprint": secret}),
            "event.body.order.items.0.sku",
        ),
        (json!({"type": "manual"}), "event.by_workflow"),
    ] {
        assert_eq!(
            text(trigger.clone(), var).validate(),
            vec![],
            "{trigger} {var}"
        );
        let other = if trigger["type"] == "manual" || trigger["type"] == "shortcut" {
            json!({"type": "conversation_opened"})
        } else {
            json!({"type": "manual"})
        };
        let ok = var == "event.by_workflow";
        assert_eq!(text(other, var).validate().is_empty(), ok, "{var}");
    }
}

#[test]
fn references_list_outside_ids() {
    let refs = Template::SupportAutoAssignment.build("w").references();
    assert_eq!(
        refs.teams.into_iter().collect::<Vec<_>>(),
        ["priority_support", "support"]
    );
    let refs = Template::AssignToAgent.build("w").references();
    assert_eq!(refs.agents.into_iter().collect::<Vec<_>>(), ["agent"]);
}

/// Every problem carries a stable kind (and the part, value and limit a client words it
/// with), so the inbox never has to show `message`.
#[test]
fn problems_carry_stable_kinds_and_their_fields() {
    type Found = (ProblemKind, Option<Part>, Option<String>, Option<u64>);
    let kinds = |w: Value| -> Vec<Found> {
        wf(w)
            .validate()
            .into_iter()
            .map(|p| (p.kind, p.part, p.value, p.max))
            .collect()
    };
    assert_eq!(
        kinds(json!({"start": "nope", "steps": [{"id": "a", "type": "end"}]})),
        [(
            ProblemKind::NoSuchStep,
            Some(Part::Start),
            Some("nope".into()),
            None
        )]
    );
    assert_eq!(
        kinds(step(
            json!({"id": "s", "type": "send_message", "text": " ", "next": "x"})
        )),
        [(ProblemKind::Empty, Some(Part::Message), None, None)]
    );
    assert_eq!(
        kinds(step(
            json!({"id": "s", "type": "send_message", "text": "{{agent.nickname}}", "next": "x"})
        )),
        [(ProblemKind::BadVariable, Some(Part::Message), None, None)]
    );
    assert_eq!(
        kinds(json!({"name": "n".repeat(101), "steps": [{"id": "a", "type": "end"}]})),
        [(ProblemKind::NameTooLong, None, None, Some(100))]
    );
    assert_eq!(
        kinds(step(json!({"id": "s", "type": "jump", "target": "s"}))),
        [(ProblemKind::JumpsToItself, None, None, None)]
    );
    let wire = serde_json::to_value(
        &wf(json!({"name": "", "steps": [{"id": "a", "type": "end"}]})).validate()[0],
    )
    .unwrap();
    assert_eq!(
        wire,
        json!({"kind": "no_name", "message": "the workflow needs a name"})
    );
}
