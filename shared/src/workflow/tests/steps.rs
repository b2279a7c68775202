//! Every step type, driven through the engine directly.

use serde_json::json;

use super::*;
use crate::assignment::{AssignTo, Decision, Fallback, Method, OnUnavailable, Unavailable, Who};
use crate::contact::ContactPatch;
use crate::schedule::{BusinessHours, TimeZone};

fn resume(w: &Workflow, run: &mut Run, input: Input, now: Millis) -> Vec<Effect> {
    Engine::default()
        .resume(w, run, input, &snapshot(), now)
        .expect("the input is accepted")
}

fn answer(text: &str) -> Input {
    Input::Answer {
        text: text.into(),
        button: None,
    }
}

#[test]
fn send_message_fills_in_variables() {
    let w = steps(json!([
        {"id": "hi", "type": "send_message", "text": "  Hi {{contact.first_name}}, I'm {{agent.name}} ({{contact.plan}}) ", "next": "bye"},
        {"id": "bye", "type": "send_message", "text": "Bye {{contact.phone | friend}}"}
    ]));
    let Started { run, effects } = start(&w, &opened());
    assert_eq!(
        texts(&effects),
        ["Hi Marta, I'm Ana García (gold)", "Bye friend"]
    );
    assert_eq!(trail(&run), ["hi", "bye"]);
    assert_eq!(run.outcome(), Some(&Outcome::Completed));
}

#[test]
fn a_message_that_renders_empty_is_logged_not_sent() {
    let w = steps(json!([{"id": "m", "type": "send_message", "text": "{{contact.phone}}"}]));
    let Started { run, effects } = start(&w, &opened());
    assert!(effects.is_empty());
    assert_eq!(run.log.errors.len(), 1);
    assert_eq!(run.log.errors[0].step_id.as_deref(), Some("m"));
    assert_eq!(run.outcome(), Some(&Outcome::Completed));
}

#[test]
fn a_long_message_is_clipped_to_the_message_limit() {
    let long = "é".repeat(crate::limits::MAX_TEXT_CHARS + 10);
    let w = steps(json!([{"id": "m", "type": "send_message", "text": long}]));
    // Validation refuses it; the engine still never emits an oversize message.
    assert!(!w.validate().is_empty());
    let Started { effects, .. } = start(&w, &opened());
    assert_eq!(
        texts(&effects)[0].chars().count(),
        crate::limits::MAX_TEXT_CHARS
    );
}

#[test]
fn questions_validate_save_and_route() {
    // (kind, buttons, answers given in order, saved value, next step reached)
    type Row = (
        &'static str,
        serde_json::Value,
        Vec<Input>,
        Option<&'static str>,
        &'static str,
    );
    let table: Vec<Row> = vec![
        (
            "text",
            json!([]),
            vec![answer("  Marta  ")],
            Some("Marta"),
            "after",
        ),
        (
            "text",
            json!([]),
            vec![answer("  "), answer("ok")],
            Some("ok"),
            "after",
        ),
        (
            "email",
            json!([]),
            vec![answer("nope"), answer("m@example.com")],
            Some("m@example.com"),
            "after",
        ),
        (
            "phone",
            json!([]),
            vec![answer("600 111 222"), answer("+34 600-111-222")],
            Some("+34600111222"),
            "after",
        ),
        (
            "buttons",
            json!([{"label": "Sales", "value": "sales", "next": "sales"}, {"label": "Support"}]),
            vec![Input::Answer {
                text: "Sales".into(),
                button: Some("sales".into()),
            }],
            Some("sales"),
            "sales",
        ),
        // Typing a label counts; a button without its own path uses the step's next.
        (
            "buttons",
            json!([{"label": "Sales", "value": "sales", "next": "sales"}, {"label": "Support"}]),
            vec![answer("support")],
            Some("Support"),
            "after",
        ),
        (
            "buttons",
            json!([{"label": "Sales", "value": "sales", "next": "sales"}, {"label": "Support"}]),
            vec![answer("billing"), answer("SALES")],
            Some("sales"),
            "sales",
        ),
        // Three invalid answers: the invalid path.
        (
            "email",
            json!([]),
            vec![answer("a"), answer("b"), answer("c")],
            None,
            "invalid",
        ),
    ];
    for (kind, buttons, answers, saved, reached) in table {
        let w = steps(json!([
            {"id": "q", "type": "ask_question", "kind": kind, "prompt": "Question?",
             "buttons": buttons, "save_as": "answer", "on_invalid": "invalid", "next": "after"},
            {"id": "after", "type": "end"},
            {"id": "sales", "type": "end"},
            {"id": "invalid", "type": "end"}
        ]));
        let Started { mut run, effects } = start(&w, &opened());
        assert!(matches!(&effects[..], [Effect::AskQuestion { step_id, .. }] if step_id == "q"));
        assert!(run.is_waiting_for_answer());
        let count = answers.len();
        for (i, input) in answers.into_iter().enumerate() {
            let effects = resume(&w, &mut run, input, T0 + MIN);
            if i + 1 < count {
                // An invalid answer: the retry message and the question again.
                assert_eq!(texts(&effects).len(), 1, "{kind}");
                assert!(matches!(effects.last(), Some(Effect::AskQuestion { .. })));
            }
        }
        assert_eq!(run.vars.get("answer").map(String::as_str), saved, "{kind}");
        assert_eq!(trail(&run).last(), Some(&reached), "{kind}");
        assert!(run.is_finished());
    }
}

#[test]
fn an_answer_saved_to_a_field_is_readable_by_the_next_step() {
    let w = steps(json!([
        {"id": "q", "type": "ask_question", "kind": "email", "prompt": "Email?",
         "save_to_field": "email", "next": "thanks"},
        {"id": "thanks", "type": "send_message", "text": "We'll write to {{contact.email}}"}
    ]));
    let Started { mut run, .. } = start(&w, &opened());
    let effects = resume(&w, &mut run, answer(" new@example.com "), T0 + MIN);
    assert_eq!(
        effects,
        vec![
            Effect::UpdateContact {
                patch: ContactPatch {
                    email: Some("new@example.com".into()),
                    ..ContactPatch::default()
                }
            },
            Effect::SendMessage {
                text: "We'll write to new@example.com".into()
            }
        ]
    );
}

#[test]
fn a_question_times_out_into_its_timeout_path() {
    let w = steps(json!([
        {"id": "q", "type": "ask_question", "prompt": "Name?", "timeout_ms": 600_000,
         "on_timeout": "late", "next": "after"},
        {"id": "late", "type": "send_message", "text": "No worries."},
        {"id": "after", "type": "end"}
    ]));
    let Started { mut run, .. } = start(&w, &opened());
    assert_eq!(run.next_wakeup(), Some(T0 + 10 * MIN));
    assert!(resume(&w, &mut run, Input::Wakeup, T0 + 9 * MIN).is_empty());
    assert!(run.is_waiting_for_answer());
    let effects = resume(&w, &mut run, Input::Wakeup, T0 + 10 * MIN);
    assert_eq!(texts(&effects), ["No worries."]);
    assert_eq!(run.log.steps[0].note.as_deref(), Some("timed out"));
    // Without a timeout path the run just ends.
    let w = steps(json!([
        {"id": "q", "type": "ask_question", "prompt": "Name?", "timeout_ms": 1000, "next": "after"},
        {"id": "after", "type": "send_message", "text": "never"}
    ]));
    let Started { mut run, .. } = start(&w, &opened());
    assert!(resume(&w, &mut run, Input::Wakeup, T0 + SEC).is_empty());
    assert_eq!(run.outcome(), Some(&Outcome::Completed));
}

fn request(who: Who) -> AssignTo {
    AssignTo {
        who,
        method: Method::RoundRobin,
        online_only: false,
        max_open: None,
        on_unavailable: OnUnavailable::Report,
    }
}

#[test]
fn assign_asks_the_workspace_and_waits_for_the_decision() {
    let table = vec![
        (
            json!({"type": "agent", "agent_id": "a2"}),
            json!({}),
            request(Who::Agent {
                agent_id: "a2".into(),
            }),
        ),
        (
            json!({"type": "team", "team_id": "sales"}),
            json!({"method": "fewest_open", "online_only": true, "max_open": 5, "queue": true}),
            AssignTo {
                method: Method::FewestOpen,
                online_only: true,
                max_open: Some(5),
                on_unavailable: OnUnavailable::Queue,
                ..request(Who::Team {
                    team_id: "sales".into(),
                })
            },
        ),
        (
            json!({"type": "workspace"}),
            json!({}),
            request(Who::Workspace),
        ),
        // The owner is read from the contact when the step runs.
        (
            json!({"type": "dedicated", "owner_field": "plan", "fallback": {"type": "workspace"}}),
            json!({}),
            request(Who::Dedicated {
                owner: Some("gold".into()),
                fallback: Fallback::Workspace,
                field: Some("plan".into()),
            }),
        ),
        (
            json!({"type": "dedicated", "owner_field": "owner", "fallback": {"type": "wait_for_owner"}}),
            json!({}),
            request(Who::Dedicated {
                owner: None,
                fallback: Fallback::WaitForOwner,
                field: Some("owner".into()),
            }),
        ),
    ];
    for (to, extra, expected) in table {
        let mut step = json!({"id": "assign", "type": "assign", "to": to});
        step.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let w = steps(json!([step]));
        let Started { run, effects } = start(&w, &opened());
        assert_eq!(effects, vec![Effect::Assign { request: expected }]);
        assert_eq!(
            run.waiting,
            Some(Waiting::Assignment {
                deadline: T0 + ASSIGNMENT_TIMEOUT
            })
        );
        assert_eq!(run.next_wakeup(), Some(T0 + ASSIGNMENT_TIMEOUT));
    }
}

#[test]
fn unassign_does_not_wait() {
    let w = steps(json!([
        {"id": "u", "type": "assign", "to": {"type": "unassign"}, "next": "m"},
        {"id": "m", "type": "send_message", "text": "[{{conversation.assigned}}]"}
    ]));
    let Started { run, effects } = start(&w, &opened());
    assert_eq!(
        effects,
        vec![
            Effect::Unassign,
            Effect::SendMessage {
                text: "[false]".into()
            }
        ]
    );
    assert!(run.is_finished());
}

#[test]
fn assignment_decisions_choose_the_path() {
    let w = steps(json!([
        {"id": "assign", "type": "assign", "to": {"type": "team", "team_id": "support"},
         "on_unavailable": "sorry", "next": "hello"},
        {"id": "hello", "type": "send_message", "text": "I'm {{agent.first_name}} [{{vars.assignment.result}}]"},
        {"id": "sorry", "type": "send_message", "text": "Nobody: {{vars.assignment.reason}}"}
    ]));
    let table = vec![
        (
            Input::Assignment {
                decision: Decision::Assign {
                    agent_id: "a2".into(),
                    team_id: Some("support".into()),
                },
            },
            0,
            "I'm Bruno [assigned]",
        ),
        (
            Input::Assignment {
                decision: Decision::Queued {
                    queue: crate::assignment::Queue::Workspace,
                    position: 3,
                },
            },
            0,
            "I'm Ana [queued]",
        ),
        (
            Input::Assignment {
                decision: Decision::NoneAvailable {
                    reason: Unavailable::AtCapacity,
                },
            },
            0,
            "Nobody: at_capacity",
        ),
        (
            Input::Assignment {
                decision: Decision::NoneAvailable {
                    reason: Unavailable::Offline,
                },
            },
            0,
            "Nobody: offline",
        ),
        // No decision within the timeout: the unavailable path.
        (Input::Wakeup, ASSIGNMENT_TIMEOUT, "Nobody: timeout"),
    ];
    for (input, after, expected) in table {
        let Started { mut run, .. } = start(&w, &opened());
        let effects = resume(&w, &mut run, input, T0 + after);
        assert_eq!(texts(&effects), [expected]);
        assert!(run.is_finished());
    }
}

#[test]
fn branch_takes_the_first_arm_that_holds() {
    let w = steps(json!([
        {"id": "b", "type": "branch", "arms": [
            {"condition": {"type": "compare", "var": "contact.plan", "op": "equals", "value": "silver"}, "next": "silver"},
            {"condition": {"type": "compare", "var": "contact.tags", "op": "contains", "value": "vip"}, "next": "vip"},
            {"condition": {"type": "compare", "var": "contact.email", "op": "is_set"}, "next": "email"}
        ], "next": "other"},
        {"id": "silver", "type": "end"}, {"id": "vip", "type": "end"},
        {"id": "email", "type": "end"}, {"id": "other", "type": "end"}
    ]));
    let Started { run, .. } = start(&w, &opened());
    assert_eq!(trail(&run), ["b", "vip"]);
    assert_eq!(run.log.steps[0].note.as_deref(), Some("arm 2"));

    let mut plain = snapshot();
    plain.contact.tags.clear();
    plain.contact.email = None;
    let Started { run, .. } = start_with(&w, &opened(), &plain);
    assert_eq!(trail(&run), ["b", "other"]);
    assert_eq!(run.log.steps[0].note.as_deref(), Some("otherwise"));
}

#[test]
fn branch_on_business_hours_agent_online_and_date() {
    let hours: BusinessHours = serde_json::from_value(json!({
        "time_zone": "Europe/Madrid",
        "week": {"tue": [{"from": "09:00", "to": "18:00"}]}
    }))
    .unwrap();
    let w = steps(json!([
        {"id": "b", "type": "branch", "arms": [
            {"condition": {"type": "all", "conditions": [
                {"type": "compare", "var": "business_hours.open", "op": "is_true"},
                {"type": "compare", "var": "agent.online", "op": "is_true"},
                {"type": "compare", "var": "now.date", "op": "between", "value": ["2023-11-01", "2023-12-01"]}
            ]}, "next": "open"}
        ], "next": "closed"},
        {"id": "open", "type": "end"}, {"id": "closed", "type": "end"}
    ]));
    let mut s = snapshot();
    s.business_hours = Some(hours);
    s.time_zone = TimeZone::parse("Europe/Madrid").unwrap();
    // T0 is Tuesday 23:13 in Madrid: closed. Tuesday 10:00 Madrid = 09:00 UTC.
    let tuesday_10 = T0 - 13 * HOUR - 13 * MIN - 20 * SEC;
    for (now, expected) in [(T0, "closed"), (tuesday_10, "open")] {
        let run = Engine::default().start(&w, &opened(), &s, now).unwrap().run;
        assert_eq!(trail(&run)[1], expected);
    }
    let mut offline = s.clone();
    offline.agents[0].info.online = false;
    let run = Engine::default()
        .start(&w, &opened(), &offline, tuesday_10)
        .unwrap()
        .run;
    assert_eq!(trail(&run)[1], "closed");
}

#[test]
fn tags_and_fields_become_contact_patches() {
    let w = steps(json!([
        {"id": "add", "type": "add_tag", "tags": ["Lead", "vip", "plan-{{contact.plan}}", "{{contact.missing}}"], "next": "rm"},
        {"id": "rm", "type": "remove_tag", "tags": ["VIP"], "next": "set"},
        {"id": "set", "type": "update_field", "field": "stage", "value": "{{contact.plan}}-lead", "next": "name"},
        {"id": "name", "type": "update_field", "field": "name", "value": "Marta L.", "next": "clear"},
        {"id": "clear", "type": "update_field", "field": "plan", "value": "", "next": "show"},
        {"id": "show", "type": "send_message", "text": "{{contact.tags}} {{contact.stage}} {{contact.first_name}} {{contact.plan | none}}"}
    ]));
    let Started { run, effects } = start(&w, &opened());
    let patch = |p: serde_json::Value| Effect::UpdateContact {
        patch: serde_json::from_value(p).unwrap(),
    };
    assert_eq!(
        effects,
        vec![
            patch(json!({"add_tags": ["Lead", "vip", "plan-gold"]})),
            patch(json!({"remove_tags": ["VIP"]})),
            patch(json!({"fields": {"stage": "gold-lead"}})),
            patch(json!({"name": "Marta L."})),
            patch(json!({"fields": {"plan": null}})),
            Effect::SendMessage {
                text: "lead, plan-gold gold-lead Marta none".into()
            },
        ]
    );
    assert!(run.log.errors.is_empty());
}

#[test]
fn a_patch_the_contact_refuses_is_logged_and_skipped() {
    let w = steps(json!([
        {"id": "email", "type": "update_field", "field": "email", "value": "not an email", "next": "tag"},
        {"id": "tag", "type": "add_tag", "tags": ["ok"]}
    ]));
    let Started { run, effects } = start(&w, &opened());
    assert_eq!(effects.len(), 1);
    assert_eq!(run.log.errors.len(), 1);
    assert_eq!(run.log.errors[0].step_id.as_deref(), Some("email"));
    assert!(run.log.errors[0].message.contains("not an email address"));
}

#[test]
fn conversation_steps() {
    let w = wf(json!({
        "trigger": {"type": "manual"},
        "steps": [
            {"id": "pause", "type": "pause_bot", "next": "note"},
            {"id": "note", "type": "internal_comment", "text": "Run by {{event.agent_name}}", "next": "resume"},
            {"id": "resume", "type": "resume_bot", "next": "close"},
            {"id": "close", "type": "close_conversation",
             "note": {"category": "Ventas", "summary": "{{contact.first_name}} bought {{contact.plan}}"}, "next": "open"},
            {"id": "open", "type": "open_conversation", "next": "status"},
            {"id": "status", "type": "send_message", "text": "{{conversation.status}} {{conversation.period}}"}
        ]
    }));
    let event = Event::new(
        WorkflowEvent::Manual {
            workflow_id: "wf1".into(),
            agent_id: "a2".into(),
        },
        Source::User,
    );
    let Started { effects, .. } = start(&w, &event);
    assert_eq!(
        effects,
        vec![
            Effect::PauseBot,
            Effect::InternalComment {
                text: "Run by Bruno Díaz".into()
            },
            Effect::ResumeBot,
            Effect::Close {
                note: ClosingNote {
                    category: Some("Ventas".into()),
                    summary: Some("Marta bought gold".into())
                }
            },
            Effect::Reopen,
            Effect::SendMessage {
                text: "open 2".into()
            },
        ]
    );
}

#[test]
fn wait_pauses_until_the_alarm() {
    let w = steps(json!([
        {"id": "w", "type": "wait", "duration_ms": 3_600_000, "next": "m"},
        {"id": "m", "type": "send_message", "text": "An hour later"}
    ]));
    let Started { mut run, effects } = start(&w, &opened());
    assert!(effects.is_empty());
    assert_eq!(run.waiting, Some(Waiting::Timer { until: T0 + HOUR }));
    assert_eq!(run.next_wakeup(), Some(T0 + HOUR));
    assert!(resume(&w, &mut run, Input::Wakeup, T0 + HOUR - 1).is_empty());
    assert_eq!(
        texts(&resume(&w, &mut run, Input::Wakeup, T0 + HOUR)),
        ["An hour later"]
    );
    assert_eq!(run.next_wakeup(), None);
}

#[test]
fn wait_for_business_hours() {
    let hours: BusinessHours = serde_json::from_value(json!({
        "time_zone": "UTC",
        "week": {"wed": [{"from": "09:00", "to": "17:00"}]}
    }))
    .unwrap();
    let w = steps(json!([
        {"id": "w", "type": "wait_for_business_hours", "next": "m"},
        {"id": "m", "type": "send_message", "text": "Good morning"}
    ]));
    let mut s = snapshot();
    s.business_hours = Some(hours);
    // Tuesday 22:13 UTC → Wednesday 09:00 UTC.
    let wednesday_9 = T0 + 10 * HOUR + 47 * MIN - 20 * SEC;
    let Started { mut run, effects } = Engine::default().start(&w, &opened(), &s, T0).unwrap();
    assert!(effects.is_empty());
    assert_eq!(run.next_wakeup(), Some(wednesday_9));
    let effects = Engine::default()
        .resume(&w, &mut run, Input::Wakeup, &s, wednesday_9)
        .unwrap();
    assert_eq!(texts(&effects), ["Good morning"]);
    // Already open, or no hours set: straight on.
    for (snapshot, now) in [(s.clone(), wednesday_9 + HOUR), (super::snapshot(), T0)] {
        let Started { effects, .. } = Engine::default()
            .start(&w, &opened(), &snapshot, now)
            .unwrap();
        assert_eq!(texts(&effects), ["Good morning"]);
    }
}

fn http_workflow(on_error: bool) -> Workflow {
    let mut step = json!({
        "id": "h", "type": "http_request", "method": "POST",
        "url": "https://crm.example.com/lookup?email={{contact.email}}&q={{vars.q}}",
        "headers": {"Authorization": "Bearer {{vars.token}}", "X-Name": "{{contact.name}}"},
        "body": "{\"name\": \"{{contact.name}}\", \"note\": \"{{vars.note}}\"}",
        "timeout_ms": 5000,
        "map": [
            {"path": "customer.tier", "to": {"type": "variable", "name": "tier"}},
            {"path": "customer.manager.id", "to": {"type": "contact_field", "field": "owner"}},
            {"path": "customer.orders.0.total", "to": {"type": "variable", "name": "last_total"}}
        ],
        "next": "ok"
    });
    if on_error {
        step["on_error"] = json!("failed");
    }
    steps(json!([
        step,
        {"id": "ok", "type": "send_message", "text": "{{vars.tier}} {{contact.owner}} {{vars.last_total}} {{vars.http.status}}"},
        {"id": "failed", "type": "send_message", "text": "failed: {{vars.http.error}}"}
    ]))
}

#[test]
fn http_request_renders_escaped_values_and_maps_the_response() {
    let w = http_workflow(true);
    let Started { mut run, effects } = start(&w, &opened());
    let [Effect::HttpRequest { request }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(
        request.url,
        "https://crm.example.com/lookup?email=marta%40example.com&q="
    );
    assert_eq!(request.headers["x-name"], "Marta López");
    assert_eq!(request.headers["content-type"], "application/json");
    assert_eq!(
        request.body.as_deref(),
        Some("{\"name\": \"Marta López\", \"note\": \"\"}")
    );
    assert_eq!(request.timeout_ms, 5000);
    assert_eq!(run.next_wakeup(), Some(T0 + 5000 + HTTP_GRACE));

    let body = json!({"customer": {"tier": "platinum", "manager": {"id": "a2"}, "orders": [{"total": 99.5}]}});
    let effects = resume(
        &w,
        &mut run,
        Input::HttpResponse {
            status: 200,
            body: body.to_string(),
        },
        T0 + SEC,
    );
    assert_eq!(
        effects,
        vec![
            Effect::UpdateContact {
                patch: serde_json::from_value(json!({"fields": {"owner": "a2"}})).unwrap()
            },
            Effect::SendMessage {
                text: "platinum a2 99.5 200".into()
            }
        ]
    );
}

#[test]
fn http_failures_take_the_error_path_or_fail_the_run() {
    let failures = vec![
        (
            Input::HttpResponse {
                status: 503,
                body: String::new(),
            },
            0,
            "failed: HTTP 503",
        ),
        (
            Input::HttpResponse {
                status: 200,
                body: "<html>".into(),
            },
            0,
            "failed: the response is not JSON: expected value at line 1 column 1",
        ),
        (
            Input::HttpFailed {
                error: "dns".into(),
            },
            0,
            "failed: dns",
        ),
        (Input::Wakeup, 5000 + HTTP_GRACE, "failed: timed out"),
    ];
    for (input, after, expected) in failures {
        let w = http_workflow(true);
        let Started { mut run, .. } = start(&w, &opened());
        let effects = resume(&w, &mut run, input.clone(), T0 + after);
        assert_eq!(texts(&effects), [expected]);
        assert_eq!(run.outcome(), Some(&Outcome::Completed));

        let w = http_workflow(false);
        let Started { mut run, .. } = start(&w, &opened());
        assert!(resume(&w, &mut run, input, T0 + after).is_empty());
        assert!(
            matches!(run.outcome(), Some(Outcome::Failed { step_id: Some(s), .. }) if s == "h")
        );
        assert!(!run.log.errors.is_empty());
    }
}

#[test]
fn http_to_a_private_address_is_refused_without_a_request() {
    let w = steps(json!([
        {"id": "h", "type": "http_request", "url": "https://{{vars.host}}127.0.0.1/", "on_error": "e"},
        {"id": "e", "type": "send_message", "text": "{{vars.http.error}}"}
    ]));
    let Started { effects, .. } = start(&w, &opened());
    assert_eq!(
        texts(&effects),
        ["request refused: private, loopback and link-local addresses are not allowed"]
    );
    let local = Engine::local_dev()
        .start(&w, &opened(), &snapshot(), T0)
        .unwrap();
    assert!(matches!(local.effects[..], [Effect::HttpRequest { .. }]));
}

#[test]
fn jump_and_end() {
    let w = steps(json!([
        {"id": "a", "type": "jump", "target": "c"},
        {"id": "b", "type": "send_message", "text": "skipped"},
        {"id": "c", "type": "send_message", "text": "c", "next": "d"},
        {"id": "d", "type": "end"},
        {"id": "e", "type": "send_message", "text": "after the end"}
    ]));
    let Started { run, effects } = start(&w, &opened());
    assert_eq!(texts(&effects), ["c"]);
    assert_eq!(trail(&run), ["a", "c", "d"]);
    assert_eq!(run.outcome(), Some(&Outcome::Completed));
}

#[test]
fn trigger_workflow_passes_a_caused_event() {
    let w = steps(json!([
        {"id": "t", "type": "trigger_workflow", "workflow_id": "wf2", "next": "m"},
        {"id": "m", "type": "send_message", "text": "continued"}
    ]));
    let Started { effects, .. } = start(&w, &opened());
    assert_eq!(
        effects[0],
        Effect::TriggerWorkflow {
            workflow_id: "wf2".into(),
            event: Event {
                kind: WorkflowEvent::Triggered {
                    workflow_id: "wf2".into()
                },
                source: Source::Workflow,
                cause: Some(Cause {
                    workflow_id: "wf1".into(),
                    depth: 1
                }),
            }
        }
    );
    assert_eq!(texts(&effects), ["continued"]);
}

#[test]
fn a_missing_step_fails_the_run() {
    let w = steps(json!([{"id": "a", "type": "send_message", "text": "a", "next": "ghost"}]));
    let Started { run, effects } = start(&w, &opened());
    assert_eq!(texts(&effects), ["a"]);
    assert_eq!(
        run.outcome(),
        Some(&Outcome::Failed {
            step_id: Some("ghost".into()),
            reason: "there is no step \"ghost\"".into(),
            problem: Some(RunProblem::MissingStep),
        })
    );
    assert_eq!(run.log.errors[0].problem, Some(RunProblem::MissingStep));
}

#[test]
fn steps_and_errors_carry_codes_beside_their_english() {
    // A branch that takes its second arm, then a message empty once filled in.
    let w = steps(json!([
        {"id": "b", "type": "branch", "arms": [
            {"condition": {"type": "compare", "var": "contact.email", "op": "equals", "value": "nadie@x"}, "next": "x"},
            {"condition": {"type": "compare", "var": "conversation.status", "op": "equals", "value": "open"}, "next": "m"}
        ], "next": "x"},
        {"id": "x", "type": "end"},
        {"id": "m", "type": "send_message", "text": "{{contact.fields.nada}}", "next": "x"}
    ]));
    let Started { run, .. } = start(&w, &opened());
    let first = &run.log.steps[0];
    assert_eq!(first.result, Some(StepResult::Arm { arm: 2 }));
    assert_eq!(first.note.as_deref(), Some("arm 2"));
    assert_eq!(run.log.errors[0].problem, Some(RunProblem::EmptyMessage));
    assert_eq!(
        run.log.errors[0].message,
        "the message is empty once its variables are filled in"
    );
    // Logged before the codes existed: still read.
    let old: RunError = serde_json::from_value(json!({"at": 1, "message": "x"})).unwrap();
    assert_eq!(old.problem, None);
}
