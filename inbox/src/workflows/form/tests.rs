use super::conditions::value_text;
use super::*;
use crate::i18n::Lang;
use crate::kit::Choice;
use crate::workflows::i18n as wt;
use charla_shared::assignment::{Fallback, Method};
use charla_shared::workflow::{AssignTarget, Op, StepAction, Template};
use serde_json::json;
use serde_json::Value;

fn round_trip(wf: &Workflow) -> Workflow {
    WorkflowForm::from_workflow(wf)
        .to_workflow()
        .expect("builds")
}

#[test]
fn every_template_survives_the_form() {
    for t in Template::ALL {
        let wf = t.build("w_1");
        let back = round_trip(&wf);
        // Values are sent as texts (the server compares numbers as text too), so compare
        // the conditions by what they say, and everything else exactly.
        let norm = |w: &Workflow| {
            let mut v = serde_json::to_value(w).unwrap();
            normalise_values(&mut v);
            v
        };
        assert_eq!(norm(&back), norm(&wf), "{t:?}");
    }
}

/// Numbers and flags in condition values as the texts the form sends; an `all` of one
/// condition as that condition.
fn normalise_values(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.get("type").and_then(Value::as_str) == Some("compare") {
                if let Some(val) = map.get_mut("value") {
                    *val = match val.take() {
                        Value::Array(items) => Value::Array(
                            items
                                .into_iter()
                                .map(|i| Value::String(value_text(&i)))
                                .collect(),
                        ),
                        other => Value::String(value_text(&other)),
                    };
                }
            }
            for (_, child) in map.iter_mut() {
                normalise_values(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalise_values),
        _ => {}
    }
}

#[test]
fn unassign_after_close_loads_as_rows_and_fields() {
    let form = WorkflowForm::from_workflow(&Template::UnassignAfterClose.build("w_1"));
    assert_eq!(form.trigger, "conversation_closed");
    assert_eq!(form.conditions.len(), 1);
    let CondNode::Compare(row) = &form.conditions[0] else {
        panic!("a row");
    };
    assert_eq!(
        (row.var.as_str(), row.op, row.value.as_str()),
        ("event.source", Op::Equals, "user")
    );
    assert_eq!(form.steps.len(), 1);
    assert_eq!(form.steps[0].kind, StepKind::Assign);
    assert_eq!(form.steps[0].assign_to, "unassign");
    assert_eq!(form.start, "unassign");
}

#[test]
fn a_new_workflow_builds_to_the_wire_shape() {
    let mut form = WorkflowForm::new();
    form.name = "  Greet  ".into();
    form.trigger = "contact_message".into();
    form.first_in_period_only = true;
    let key = form.steps[0].key;
    form.step_mut(key).unwrap().text = "Hola {{contact.first_name | there}}".into();
    let wait = form.add_step(StepKind::Wait);
    form.step_mut(wait).unwrap().wait_amount = "2".into();
    form.step_mut(wait).unwrap().wait_unit = WaitUnit::Hours;
    let tag = form.add_step(StepKind::AddTag);
    form.step_mut(tag).unwrap().tags = " vip, , Lead ".into();
    form.add_step(StepKind::End);
    form.add_condition(CondList::Trigger, None);
    let row = form.conditions[0].key();
    let r = form.row_mut(CondList::Trigger, row).unwrap();
    r.var = "contact.tags".into();
    r.op = Op::OneOf;
    r.value = "vip, gold".into();
    let wf = form.to_workflow().unwrap();
    assert_eq!(
        serde_json::to_value(&wf).unwrap(),
        json!({
            "id": "new", "version": 1, "name": "Greet", "enabled": false,
            "trigger": {"type": "contact_message", "first_in_period_only": true},
            "conditions": [{"type": "compare", "var": "contact.tags", "op": "one_of", "value": ["vip", "gold"]}],
            "start": "step_1",
            "steps": [
                {"id": "step_1", "type": "send_message", "text": "Hola {{contact.first_name | there}}", "next": "step_2"},
                {"id": "step_2", "type": "wait", "duration_ms": 7_200_000, "next": "step_3"},
                {"id": "step_3", "type": "add_tag", "tags": ["vip", "Lead"], "next": "step_4"},
                {"id": "step_4", "type": "end"}
            ]
        })
    );
}

#[test]
fn values_follow_the_operator() {
    assert_eq!(value_json(Op::IsSet, "x"), Value::Null);
    assert_eq!(
        value_json(Op::Between, "09:00, 17:00"),
        json!(["09:00", "17:00"])
    );
    assert_eq!(value_json(Op::Equals, " vip "), json!("vip"));
    assert_eq!(value_text(&json!(3)), "3");
    assert_eq!(value_text(&json!(true)), "true");
    assert_eq!(value_text(&json!(["a", 2])), "a, 2");
}

#[test]
fn groups_and_raw_conditions() {
    let wf = Workflow {
        conditions: vec![
            Condition::Any {
                conditions: vec![
                    Condition::compare("contact.tags", Op::Contains, "vip"),
                    Condition::compare("contact.email", Op::EndsWith, "@acme.com"),
                ],
            },
            Condition::Not {
                condition: Box::new(Condition::test("business_hours.open", Op::IsTrue)),
            },
        ],
        ..Template::UnassignAfterClose.build("w")
    };
    let mut form = WorkflowForm::from_workflow(&wf);
    assert!(
        matches!(&form.conditions[0], CondNode::Group { any: true, rows, .. } if rows.len() == 2)
    );
    assert!(matches!(&form.conditions[1], CondNode::Raw { .. }));
    assert_eq!(round_trip(&wf).conditions, wf.conditions);

    // Rows are added to and removed from groups; an emptied group goes.
    let group = form.conditions[0].key();
    form.add_group_row(CondList::Trigger, group);
    let CondNode::Group { rows, .. } = &form.conditions[0] else {
        panic!()
    };
    assert_eq!(rows.len(), 3);
    let keys: Vec<u32> = rows.iter().map(|r| r.key).collect();
    for k in keys {
        form.remove_group_row(CondList::Trigger, group, k);
    }
    assert_eq!(form.conditions.len(), 1);

    // Broken JSON is the form's own problem, before anything is sent.
    let raw = form.conditions[0].key();
    if let Some(CondNode::Raw { json, .. }) = form.node_mut(CondList::Trigger, raw) {
        *json = "{ nope".into();
    }
    let problems = form.to_workflow().unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].step_id, None);
    assert!(problems[0].message.starts_with("Trigger conditions:"));
}

#[test]
fn branch_arms_round_trip_and_build() {
    let wf = Template::SupportAutoAssignment.build("w");
    let form = WorkflowForm::from_workflow(&wf);
    let branch = form
        .steps
        .iter()
        .find(|s| s.kind == StepKind::Branch)
        .expect("a branch");
    assert!(!branch.arms.is_empty());
    assert_eq!(round_trip(&wf).steps, wf.steps);

    let mut form = WorkflowForm::new();
    let b = form.add_step(StepKind::Branch);
    form.add_arm(b);
    let arm = form.step(b).unwrap().arms[0].key;
    let list = CondList::Arm { step: b, arm };
    let row = form.conditions(list).unwrap()[0].key();
    let r = form.row_mut(list, row).unwrap();
    r.var = "business_hours.open".into();
    r.op = Op::IsTrue;
    r.value = "ignored".into();
    form.add_condition(list, None);
    form.step_mut(b).unwrap().arms[0].next = "step_1".into();
    let wf = form.to_workflow().unwrap();
    let step = wf.steps.iter().find(|s| s.id == "step_2").unwrap();
    assert_eq!(
        serde_json::to_value(step).unwrap(),
        json!({"id": "step_2", "type": "branch", "arms": [{
            "condition": {"type": "all", "conditions": [
                {"type": "compare", "var": "business_hours.open", "op": "is_true"},
                {"type": "compare", "var": "", "op": "equals", "value": ""}
            ]},
            "next": "step_1"
        }]})
    );
}

#[test]
fn assign_fields_build_each_target() {
    let mut form = WorkflowForm::new();
    let k = form.steps[0].key;
    form.set_kind(k, StepKind::Assign);
    let s = form.step_mut(k).unwrap();
    s.assign_to = "team".into();
    s.team_id = "t_1".into();
    s.method = Method::FewestOpen;
    s.online_only = true;
    s.max_open = "x".into();
    let problems = form.to_workflow().unwrap_err();
    assert_eq!(problems[0].step_id.as_deref(), Some("step_1"));
    assert!(problems[0].message.contains("whole number"), "{problems:?}");

    let s = form.step_mut(k).unwrap();
    s.max_open = "4".into();
    s.on_unavailable = "step_1".into();
    let step = &form.to_workflow().unwrap().steps[0];
    assert_eq!(
        serde_json::to_value(step).unwrap(),
        json!({"id": "step_1", "type": "assign", "to": {"type": "team", "team_id": "t_1"},
               "method": "fewest_open", "online_only": true, "max_open": 4,
               "on_unavailable": "step_1"})
    );

    // Unassigning takes none of the picking options.
    form.step_mut(k).unwrap().assign_to = "unassign".into();
    let step = &form.to_workflow().unwrap().steps[0];
    assert_eq!(
        serde_json::to_value(step).unwrap(),
        json!({"id": "step_1", "type": "assign", "to": {"type": "unassign"}})
    );

    let s = form.step_mut(k).unwrap();
    s.assign_to = "dedicated".into();
    s.owner_field = "".into();
    s.fallback = "team".into();
    s.fallback_team = "t_2".into();
    let step = &form.to_workflow().unwrap().steps[0];
    assert_eq!(
        step.action,
        StepAction::Assign {
            to: AssignTarget::Dedicated {
                owner_field: "owner".into(),
                fallback: Fallback::Team {
                    team_id: "t_2".into()
                }
            },
            method: Method::FewestOpen,
            online_only: true,
            max_open: Some(4),
            queue: false,
            on_unavailable: Some("step_1".into()),
        }
    );
}

#[test]
fn json_steps_are_checked_locally() {
    let mut form = WorkflowForm::new();
    let k = form.steps[0].key;
    form.set_kind(k, StepKind::AskQuestion);
    assert!(form.step(k).unwrap().json.contains("prompt"));
    form.step_mut(k).unwrap().json = "[1]".into();
    let p = form.to_workflow().unwrap_err();
    assert!(p[0].message.contains("JSON object"), "{p:?}");
    form.step_mut(k).unwrap().json = r#"{"prompt": "Email?", "kind": "emial"}"#.into();
    let p = form.to_workflow().unwrap_err();
    assert!(p[0].message.contains("ask_question"), "{p:?}");
    assert_eq!(
        json_step_problem(StepKind::AskQuestion, &form.step(k).unwrap().json),
        Some(p[0].message.clone())
    );
    form.step_mut(k).unwrap().json =
        r#"{"prompt": "Email?", "kind": "email", "save_to_field": "email"}"#.into();
    let wf = form.to_workflow().unwrap();
    assert_eq!(wf.steps[0].action.name(), "ask_question");

    let back = WorkflowForm::from_workflow(&wf);
    let json: Value = serde_json::from_str(&back.steps[0].json).unwrap();
    assert_eq!(json["prompt"], "Email?");
    assert!(json.get("id").is_none() && json.get("type").is_none());
}

#[test]
fn waits_show_in_the_largest_whole_unit() {
    let mut wf = Template::UnassignAfterClose.build("w");
    wf.steps[0].action = StepAction::Wait {
        duration_ms: 2 * 86_400_000,
    };
    let form = WorkflowForm::from_workflow(&wf);
    assert_eq!(
        (form.steps[0].wait_amount.as_str(), form.steps[0].wait_unit),
        ("2", WaitUnit::Days)
    );
    wf.steps[0].action = StepAction::Wait {
        duration_ms: 90_000,
    };
    let form = WorkflowForm::from_workflow(&wf);
    assert_eq!(
        (form.steps[0].wait_amount.as_str(), form.steps[0].wait_unit),
        ("90", WaitUnit::Seconds)
    );
    wf.steps[0].action = StepAction::Wait { duration_ms: 1_500 };
    let form = WorkflowForm::from_workflow(&wf);
    assert_eq!(
        (form.steps[0].wait_amount.as_str(), form.steps[0].wait_unit),
        ("1.5", WaitUnit::Seconds)
    );
    assert_eq!(round_trip(&wf).steps, wf.steps);
}

#[test]
fn step_list_operations_keep_references_straight() {
    let mut form = WorkflowForm::new();
    let a = form.steps[0].key;
    let b = form.add_step(StepKind::Branch);
    let c = form.add_step(StepKind::Jump);
    let d = form.add_step(StepKind::End);
    assert_eq!(form.step(a).unwrap().next, "step_2");
    assert_eq!(form.step(b).unwrap().next, "step_3");
    // A jump has no next, so the end is not linked after it.
    assert_eq!(form.step(c).unwrap().next, "");
    form.add_arm(b);
    form.step_mut(b).unwrap().arms[0].next = "step_4".into();
    form.step_mut(c).unwrap().target = "step_1".into();

    form.rename_step(a, "greet");
    assert_eq!(form.start, "greet");
    assert_eq!(form.step(c).unwrap().target, "greet");
    // Typing over another step's id does not drag references along.
    form.rename_step(d, "greet");
    assert_eq!(form.step(b).unwrap().arms[0].next, "step_4");
    form.rename_step(d, "bye");
    assert_eq!(
        form.step(b).unwrap().arms[0].next,
        "step_4",
        "step_4 was not renamed"
    );
    form.rename_step(d, "step_4");
    form.rename_step(d, "bye");
    assert_eq!(form.step(b).unwrap().arms[0].next, "bye");

    form.move_step(d, -1);
    assert_eq!(form.step_ids(), ["greet", "step_2", "bye", "step_3"]);
    form.move_step(a, -1);
    assert_eq!(form.step_ids()[0], "greet", "the first stays first");

    form.remove_step(a);
    assert_eq!(form.start, "step_2");
    assert_eq!(form.step(c).unwrap().target, "");
    form.set_kind(b, StepKind::End);
    assert_eq!(form.step(b).unwrap().next, "", "an end step has no next");
}

#[test]
fn server_details_map_to_steps_worded_from_their_kind() {
    let details = vec![
        json!({"step_id": "unassign", "kind": "no_such_step", "part": "next", "value": "nowhere", "message": "next: there is no step \"nowhere\""}),
        json!({"kind": "no_name", "message": "the workflow needs a name"}),
        json!({"step_id": "gone", "kind": "some_future_kind", "message": "about a step the form no longer has"}),
        json!({"message": "an older server without kinds"}),
        json!("not an object"),
    ];
    let ids = ["unassign".to_owned()];
    let problems = problems_from_details(&wt::EN, &details, &ids);
    let (general, by_step) = group_problems(&problems);
    assert_eq!(
        general,
        [
            "Give the workflow a name.",
            "about a step the form no longer has",
            "an older server without kinds"
        ]
    );
    assert_eq!(
        by_step["unassign"],
        ["The next step goes to a step that does not exist (nowhere)."]
    );
    let (general, by_step) = group_problems(&problems_from_details(&wt::ES, &details, &ids));
    assert_eq!(general[0], "Ponle un nombre al flujo de trabajo.");
    assert_eq!(
        by_step["unassign"],
        ["El paso siguiente lleva a un paso que no existe (nowhere)."]
    );
}

/// What the edge sends is what the inbox words: every problem `validate` finds has a kind
/// the inbox knows (none falls back to the English `message`).
#[test]
fn the_edge_problems_round_trip_to_worded_ones() {
    let wf: charla_shared::workflow::Workflow = serde_json::from_value(json!({
        "id": "w_1", "version": 1, "name": "", "enabled": false,
        "trigger": {"type": "manual"}, "start": "nope",
        "steps": [
            {"id": "a", "type": "send_message", "text": " ", "next": "gone"},
            {"id": "b", "type": "jump", "target": "b"}
        ]
    }))
    .unwrap();
    let found = wf.validate();
    assert!(found.len() >= 4, "{found:?}");
    let details: Vec<serde_json::Value> = found
        .iter()
        .map(|p| serde_json::to_value(p).unwrap())
        .collect();
    let ids = ["a".to_owned(), "b".to_owned()];
    for (problem, server) in problems_from_details(&wt::ES, &details, &ids)
        .iter()
        .zip(&found)
    {
        assert_ne!(problem.message, server.message, "worded from the kind");
    }
}

#[test]
fn labels() {
    assert_eq!(trigger_label("conversation_closed"), "Conversation closed");
    assert_eq!(
        trigger_label_in(&wt::ES, "conversation_closed"),
        "Conversación cerrada"
    );
    assert_eq!(step_label(Lang::En, "assign"), "Assign to");
    assert_eq!(step_label(Lang::Es, "assign"), "Asignar a");
    assert_eq!(op_label(Op::NotOneOf), "is not one of");
    assert_eq!(parse_op("between"), Some(Op::Between));
    assert_eq!(op_value_hint(Op::IsTrue), None);
    let vars = variable_suggestions("conversation_closed");
    assert!(vars.contains(&"event.closing_category") && vars.contains(&"contact.tags"));
    assert_eq!(StepKind::ALL.len(), 18);
}
