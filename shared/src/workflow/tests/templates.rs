//! Each template against a scripted conversation, through the DO stand-in.

use serde_json::json;

use super::harness::{Seen, World};
use super::*;
use crate::assignment::{AssignTo, Method, OnUnavailable, Who};
use crate::lifecycle::{Action, ActivityKind};
use crate::schedule::BusinessHours;

/// The template with placeholders replaced by this workspace's ids.
fn build(t: Template, replace: &[(&str, &str)]) -> Workflow {
    let mut text = serde_json::to_string(&t.build("wf1")).unwrap();
    for (from, to) in replace {
        text = text.replace(from, to);
    }
    serde_json::from_str(&text).unwrap()
}

fn world(t: Template, replace: &[(&str, &str)]) -> World {
    World::new(vec![build(t, replace)])
}

/// Another conversation holds `agent`, so they have one open.
fn busy(world: &mut World, conversation: &str, agent: &str) {
    let infos: Vec<_> = world.agents.iter().map(|a| a.info.clone()).collect();
    let request = AssignTo {
        who: Who::Agent {
            agent_id: agent.into(),
        },
        method: Method::RoundRobin,
        online_only: false,
        max_open: None,
        on_unavailable: OnUnavailable::Report,
    };
    world.assignment.decide(conversation, &request, &infos);
}

#[test]
fn t1_unassign_after_close() {
    let mut w = world(Template::UnassignAfterClose, &[]).open();
    w.agent_does(
        "a2",
        Action::Assign {
            agent_id: "a2".into(),
            team_id: None,
        },
    );
    w.agent_closes("a2");
    assert_eq!(w.assignee(), None);
    assert_eq!(w.runs().len(), 1);
}

#[test]
fn t2_close_and_turn_the_bot_back_on() {
    let shortcut = || {
        Event::new(
            WorkflowEvent::Shortcut {
                workflow_id: "wf1".into(),
                agent_id: "a2".into(),
            },
            Source::User,
        )
    };
    let mut w = world(Template::CloseAndResumeBot, &[]).open();
    w.agent_does("a2", Action::PauseBot);
    w.offer(shortcut());
    assert!(!w.lifecycle.is_open());
    let kinds: Vec<&ActivityKind> = w.timeline.iter().map(|e| &e.kind).collect();
    assert_eq!(kinds[kinds.len() - 2], &ActivityKind::BotResumed);
    assert_eq!(
        kinds[kinds.len() - 1],
        &ActivityKind::Closed {
            note: ClosingNote {
                category: None,
                summary: Some("Closed by Bruno Díaz".into())
            }
        }
    );
    // Bot already on: just close.
    let mut w = world(Template::CloseAndResumeBot, &[]).open();
    w.offer(shortcut());
    assert!(!w.lifecycle.is_open());
    assert_eq!(trail(&w.run(0)), ["bot_paused", "close"]);
}

#[test]
fn t3_assign_to_an_agent() {
    let replace = [("\"agent_id\":\"agent\"", "\"agent_id\":\"a2\"")];
    let w = world(Template::AssignToAgent, &replace).open();
    assert_eq!(w.assignee(), Some("a2"));
    assert!(w.messages().is_empty());
    // At capacity: the visitor is told instead.
    let mut w = world(Template::AssignToAgent, &replace);
    w.agents[1].info.capacity = Some(1);
    busy(&mut w, "other", "a2");
    let w = w.open();
    assert_eq!(w.assignee(), None);
    assert_eq!(
        w.messages(),
        ["Thanks for your message! We'll get back to you as soon as possible."]
    );
}

#[test]
fn t4_sales_asks_first_then_round_robin() {
    let mut w = world(Template::SalesAutoAssignment, &[]).open();
    w.contact_says("Marta López");
    w.contact_says("marta(at)example");
    w.contact_says("marta@example.com");
    w.contact_says("+34 600 111 222");
    assert_eq!(
        w.messages(),
        [
            "Hi! Before we connect you with our sales team: what's your name?",
            "Thanks, Marta! What's your email address?",
            "That doesn't look like an email address. Please try again.",
            "Thanks, Marta! What's your email address?",
            "And your phone number, with the country code (e.g. +34600111222)?",
        ]
    );
    assert_eq!(w.contact.name.as_deref(), Some("Marta López"));
    assert_eq!(w.contact.email.as_deref(), Some("marta@example.com"));
    assert_eq!(w.contact.phone.as_deref(), Some("+34600111222"));
    assert_eq!(w.assignee(), Some("a1")); // the one online sales agent
    assert_eq!(w.run(0).outcome(), Some(&Outcome::Completed));

    // Round robin across two sales agents, conversation after conversation.
    let mut picks = Vec::new();
    let mut state = crate::assignment::AssignmentState::new();
    for _ in 0..3 {
        let mut w = world(Template::SalesAutoAssignment, &[]);
        w.agents[1].info.teams.push("sales".into());
        w.assignment = state.clone();
        let mut w = w.open();
        w.advance(10 * MIN); // no answers: the timeout goes straight to assignment
        picks.push(w.assignee().unwrap().to_owned());
        state = w.assignment.clone();
        state.on_closed("c1", &[]);
    }
    assert_eq!(picks, ["a1", "a2", "a1"]);

    // Nobody online in sales: the busy message, with the name given.
    let mut w = world(Template::SalesAutoAssignment, &[]);
    w.agents[0].info.online = false;
    let mut w = w.open();
    w.contact_says("Marta");
    w.advance(20 * MIN);
    assert_eq!(
        w.messages().last(),
        Some(&"All our sales agents are busy right now. We'll get back to you as soon as possible, Marta.")
    );
    assert_eq!(w.assignee(), None);
}

#[test]
fn t5_support_vip_and_regular() {
    let dora = agent("a4", "Dora Vidal", true, &["priority_support"]);
    // VIP with an online owner: the owner.
    let mut w = world(Template::SupportAutoAssignment, &[]);
    w.agents.push(dora.clone());
    w.contact.tags.insert("vip".into());
    w.contact.fields.insert("owner".into(), "a2".into());
    assert_eq!(w.open().assignee(), Some("a2"));
    // VIP whose owner is offline: the priority team.
    let mut w = world(Template::SupportAutoAssignment, &[]);
    w.agents.push(dora.clone());
    w.contact.tags.insert("vip".into());
    w.contact.fields.insert("owner".into(), "a3".into());
    assert_eq!(w.open().assignee(), Some("a4"));
    // Not VIP: the least busy support agent.
    let mut w = world(Template::SupportAutoAssignment, &[]);
    w.agents.push(dora);
    busy(&mut w, "other", "a1");
    assert_eq!(w.open().assignee(), Some("a2"));
    // Everyone offline: waiting in the support queue, silently.
    let mut w = world(Template::SupportAutoAssignment, &[]);
    for a in &mut w.agents {
        a.info.online = false;
    }
    let w = w.open();
    assert_eq!(w.assignee(), None);
    assert_eq!(w.assignment.position("c1"), Some(1));
    assert_eq!(w.run(0).vars["assignment.result"], "queued");
}

#[test]
fn t6_assigned_agent_message() {
    let w = world(Template::AssignedAgentMessage, &[]).open();
    assert_eq!(w.assignee(), Some("a1"));
    assert_eq!(w.messages(), ["Hi, I'm Ana García and I'll help you."]);
    let mut w = world(Template::AssignedAgentMessage, &[]);
    for a in &mut w.agents {
        a.info.online = false;
    }
    let w = w.open();
    assert_eq!(
        w.messages(),
        ["Thanks for your message! An agent will be with you shortly."]
    );
}

#[test]
fn t7_out_of_hours() {
    let hours: BusinessHours = serde_json::from_value(json!({
        "time_zone": "Europe/Madrid",
        "week": {"mon": [{"from": "09:00", "to": "18:00"}], "wed": [{"from": "09:00", "to": "18:00"}]}
    }))
    .unwrap();
    // T0 is Tuesday 23:13 in Madrid.
    let mut w = world(Template::OutOfHours, &[]);
    w.hours = Some(hours.clone());
    let w = w.open();
    assert_eq!(
        w.messages(),
        ["Thanks for reaching out! We're closed right now. We'll be back on Wednesday at 09:00 and will answer you then."]
    );
    // Wednesday 10:00 Madrid: open, no message.
    let mut w = world(Template::OutOfHours, &[]);
    w.hours = Some(hours);
    w.now = T0 + 10 * HOUR + 47 * MIN - 20 * SEC;
    let w = w.open();
    assert!(w.messages().is_empty());
    assert_eq!(w.run(0).log.steps[0].note.as_deref(), Some("otherwise"));
}

#[test]
fn t8_agents_at_maximum_capacity() {
    let mut w = world(Template::AgentsAtCapacity, &[]);
    for a in &mut w.agents {
        a.info.capacity = Some(1);
    }
    busy(&mut w, "x1", "a1");
    busy(&mut w, "x2", "a2");
    let w = w.open();
    assert_eq!(
        w.messages(),
        ["All our agents are helping other customers right now. We'll reply as soon as someone is free."]
    );
    let mut w = world(Template::AgentsAtCapacity, &[]);
    for a in &mut w.agents {
        a.info.online = false;
    }
    let w = w.open();
    assert_eq!(
        w.messages(),
        ["None of our agents is available right now. Leave us a message and we'll get back to you."]
    );
    // Someone free: assigned, no message.
    let w = world(Template::AgentsAtCapacity, &[]).open();
    assert_eq!(w.assignee(), Some("a1"));
    assert!(w.messages().is_empty());
}

#[test]
fn t9_routing_by_the_visitors_choice() {
    let mut w = world(Template::RoutingByChoice, &[]).open();
    assert_eq!(
        w.seen[0],
        Seen::Question {
            prompt: "Hi! What can we help you with?".into(),
            buttons: vec!["Sales".into(), "Support".into(), "Billing".into()]
        }
    );
    w.contact_presses("Billing", "billing");
    assert_eq!(w.assignee(), Some("a3"));
    assert_eq!(
        w.messages().last(),
        Some(&"You're now talking to Carla Ruiz from billing.")
    );
    // Typed instead of pressed.
    let mut w = world(Template::RoutingByChoice, &[]).open();
    w.contact_says("sales");
    assert_eq!(w.assignee(), Some("a1"));
    // Three answers that fit no button: support.
    let mut w = world(Template::RoutingByChoice, &[]).open();
    w.contact_says("hello?");
    w.contact_says("I have a question");
    w.contact_says("please");
    assert_eq!(w.assignee(), Some("a1"));
    assert_eq!(
        w.messages()
            .iter()
            .filter(|m| **m == "Please choose one of the options.")
            .count(),
        2
    );
    // An empty billing team: the busy message.
    let mut w = world(Template::RoutingByChoice, &[]);
    w.agents.retain(|a| a.info.id != "a3");
    let mut w = w.open();
    w.contact_presses("Billing", "billing");
    assert_eq!(
        w.messages().last(),
        Some(&"Everyone in billing is busy right now; we'll get back to you shortly.")
    );
}
