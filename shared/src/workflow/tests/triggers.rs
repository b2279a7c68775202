//! Every trigger, and trigger conditions on event properties.

use serde_json::json;

use super::*;
use crate::contact::ContactChange;
use crate::lifecycle::{ActivityEvent, ActivityKind, Actor};

fn message(text: &str, first: bool) -> Event {
    Event::contact_message(text, first)
}
fn tag(t: &str, added: bool) -> Event {
    Event::new(
        WorkflowEvent::ContactTagUpdated {
            tag: t.into(),
            added,
        },
        Source::User,
    )
}
fn field(f: &str, new: Option<&str>) -> Event {
    Event::new(
        WorkflowEvent::ContactFieldUpdated {
            field: f.into(),
            old: None,
            new: new.map(Into::into),
        },
        Source::Api,
    )
}
fn manual(workflow: &str) -> Event {
    Event::new(
        WorkflowEvent::Manual {
            workflow_id: workflow.into(),
            agent_id: "a2".into(),
        },
        Source::User,
    )
}
fn shortcut(workflow: &str) -> Event {
    Event::new(
        WorkflowEvent::Shortcut {
            workflow_id: workflow.into(),
            agent_id: "a2".into(),
        },
        Source::User,
    )
}
fn webhook(workflow: &str) -> Event {
    Event::new(
        WorkflowEvent::Webhook {
            workflow_id: workflow.into(),
            body: json!({"order": {"id": 42, "status": "paid"}}),
        },
        Source::Api,
    )
}
fn triggered(workflow: &str) -> Event {
    Event::new(
        WorkflowEvent::Triggered {
            workflow_id: workflow.into(),
        },
        Source::Workflow,
    )
    .with_cause(Some(Cause {
        workflow_id: "other".into(),
        depth: 1,
    }))
}

fn on(trigger: serde_json::Value) -> Workflow {
    wf(json!({"trigger": trigger, "steps": [{"id": "s", "type": "end"}]}))
}

#[test]
fn each_trigger_starts_on_its_own_event_only() {
    let secret = crate::token::fingerprint("s3cret");
    let triggers = [
        json!({"type": "conversation_opened"}),
        json!({"type": "conversation_closed"}),
        json!({"type": "contact_message"}),
        json!({"type": "contact_message", "first_in_period_only": true}),
        json!({"type": "contact_tag_updated"}),
        json!({"type": "contact_field_updated"}),
        json!({"type": "manual"}),
        json!({"type": "shortcut"}),
        json!({"type": "webhook", "secret_fingerprint": secret}),
    ];
    // Which triggers (by index above) each event starts.
    let table: Vec<(Event, Vec<usize>)> = vec![
        (opened(), vec![0]),
        (closed(Source::User, None), vec![1]),
        (message("hola", true), vec![2, 3]),
        (message("otra vez", false), vec![2]),
        (tag("vip", true), vec![4]),
        (tag("vip", false), vec![4]),
        (field("plan", Some("gold")), vec![5]),
        (manual("wf1"), vec![6]),
        (manual("other"), vec![]),
        (shortcut("wf1"), vec![7]),
        (shortcut("other"), vec![]),
        (webhook("wf1"), vec![8]),
        (webhook("other"), vec![]),
        (triggered("wf1"), vec![6, 7]),
        (triggered("other"), vec![]),
    ];
    let engine = Engine::default();
    for (event, expected) in table {
        let started: Vec<usize> = triggers
            .iter()
            .enumerate()
            .filter(|(_, t)| engine.triggers(&on((*t).clone()), &event, &snapshot(), T0))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(started, expected, "{}", event.kind.name());
    }
}

#[test]
fn a_disabled_workflow_starts_nothing() {
    let mut w = on(json!({"type": "conversation_opened"}));
    w.enabled = false;
    assert!(Engine::default()
        .start(&w, &opened(), &snapshot(), T0)
        .is_none());
}

/// The example, as JSON: trigger conversation closed, condition Source = User.
#[test]
fn closed_with_source_user_is_expressible() {
    let w: Workflow = serde_json::from_value(json!({
        "id": "wf1", "name": "x", "enabled": true,
        "trigger": {"type": "conversation_closed"},
        "conditions": [{"type": "compare", "var": "event.source", "op": "equals", "value": "user"}],
        "start": "s", "steps": [{"id": "s", "type": "end"}]
    }))
    .unwrap();
    assert!(w.validate().is_empty());
    let e = Engine::default();
    assert!(e.triggers(&w, &closed(Source::User, None), &snapshot(), T0));
    assert!(!e.triggers(&w, &closed(Source::Workflow, None), &snapshot(), T0));
}

#[test]
fn trigger_conditions_on_event_properties() {
    let cond = |var: &str, op: &str, value: serde_json::Value| json!([{"type": "compare", "var": var, "op": op, "value": value}]);
    let table: Vec<(serde_json::Value, serde_json::Value, Event, bool)> = vec![
        // Source.
        (
            json!({"type": "conversation_closed"}),
            cond("event.source", "one_of", json!(["user", "api"])),
            closed(Source::Api, None),
            true,
        ),
        (
            json!({"type": "conversation_closed"}),
            cond("event.source", "equals", json!("user")),
            closed(Source::System, None),
            false,
        ),
        // Closing-note category.
        (
            json!({"type": "conversation_closed"}),
            cond("event.closing_category", "equals", json!("ventas")),
            closed(Source::User, Some("Ventas")),
            true,
        ),
        (
            json!({"type": "conversation_closed"}),
            cond("event.closing_category", "equals", json!("ventas")),
            closed(Source::User, Some("Soporte")),
            false,
        ),
        (
            json!({"type": "conversation_closed"}),
            cond("event.closing_category", "equals", json!("ventas")),
            closed(Source::User, None),
            false,
        ),
        // Channel.
        (
            json!({"type": "conversation_opened"}),
            cond("conversation.channel", "equals", json!("web")),
            opened(),
            true,
        ),
        (
            json!({"type": "conversation_opened"}),
            cond("conversation.channel", "equals", json!("whatsapp")),
            opened(),
            false,
        ),
        // Tag.
        (
            json!({"type": "contact_tag_updated"}),
            cond("event.tag", "equals", json!("VIP")),
            tag("vip", true),
            true,
        ),
        (
            json!({"type": "contact_tag_updated"}),
            cond("event.tag_change", "equals", json!("added")),
            tag("vip", false),
            false,
        ),
        // Contact field (of the event, and of the contact).
        (
            json!({"type": "contact_field_updated"}),
            cond("event.field", "equals", json!("plan")),
            field("plan", Some("gold")),
            true,
        ),
        (
            json!({"type": "contact_field_updated"}),
            cond("event.new", "equals", json!("silver")),
            field("plan", Some("gold")),
            false,
        ),
        (
            json!({"type": "conversation_opened"}),
            cond("contact.plan", "equals", json!("gold")),
            opened(),
            true,
        ),
        // Message text contains.
        (
            json!({"type": "contact_message"}),
            cond("event.text", "contains", json!("PRECIO")),
            message("¿Cuál es el precio?", true),
            true,
        ),
        (
            json!({"type": "contact_message"}),
            cond("event.text", "contains", json!("precio")),
            message("hola", true),
            false,
        ),
        // Manual: who ran it.
        (
            json!({"type": "manual"}),
            cond("event.agent_name", "starts_with", json!("bruno")),
            manual("wf1"),
            true,
        ),
        // Webhook body.
        (
            json!({"type": "webhook", "secret_fingerprint": crate::token::fingerprint("x")}),
            cond("event.body.order.status", "equals", json!("paid")),
            webhook("wf1"),
            true,
        ),
        (
            json!({"type": "webhook", "secret_fingerprint": crate::token::fingerprint("x")}),
            cond("event.body.order.id", "greater_than", json!(100)),
            webhook("wf1"),
            false,
        ),
    ];
    for (trigger, conditions, event, expected) in table {
        let w = wf(
            json!({"trigger": trigger, "conditions": conditions, "steps": [{"id": "s", "type": "end"}]}),
        );
        assert!(w.validate().is_empty(), "{:?}", w.validate());
        assert_eq!(
            Engine::default().triggers(&w, &event, &snapshot(), T0),
            expected,
            "{conditions}"
        );
    }
}

#[test]
fn events_from_the_timeline_and_contact_changes() {
    let activity = |kind: ActivityKind, actor: Actor, source: Source| ActivityEvent {
        at: T0,
        source,
        actor,
        kind,
    };
    let closed = activity(
        ActivityKind::Closed {
            note: ClosingNote::default(),
        },
        Actor::Workflow { id: "wf9".into() },
        Source::Workflow,
    );
    let e = Event::from_activity(&closed, None).unwrap();
    assert_eq!(e.source, Source::Workflow);
    assert_eq!(
        e.cause,
        Some(Cause {
            workflow_id: "wf9".into(),
            depth: 1
        })
    );
    let reopened = activity(
        ActivityKind::Reopened { period: 3 },
        Actor::Contact { id: "v".into() },
        Source::Contact,
    );
    assert_eq!(
        Event::from_activity(&reopened, None).unwrap().kind,
        WorkflowEvent::ConversationOpened { period: 3 }
    );
    let paused = activity(ActivityKind::BotPaused, Actor::System, Source::System);
    assert_eq!(Event::from_activity(&paused, None), None);

    let changes = [
        ContactChange::TagAdded { tag: "vip".into() },
        ContactChange::Field {
            field: "plan".into(),
            old: None,
            new: Some("gold".into()),
        },
    ];
    let events = Event::from_contact_changes(&changes, Source::User, None);
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].kind.name(), "contact_tag_updated");
    assert_eq!(events[1].kind.name(), "contact_field_updated");
}

#[test]
fn webhook_secrets_are_checked_against_the_fingerprint() {
    let w =
        on(json!({"type": "webhook", "secret_fingerprint": crate::token::fingerprint("s3cret")}));
    assert!(w.accepts_webhook_secret("s3cret"));
    assert!(!w.accepts_webhook_secret("s3cret "));
    assert!(!w.accepts_webhook_secret(""));
    assert!(!on(json!({"type": "manual"})).accepts_webhook_secret("s3cret"));
}
