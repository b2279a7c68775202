use super::*;
use crate::reports::AgentShare;

use MessageAuthor::{Api, Bot, Contact, System, Workflow};

fn agent(id: &str) -> MessageAuthor {
    MessageAuthor::Agent(id.into())
}

/// What a tracker should say after a message sequence.
#[derive(Debug, PartialEq)]
struct Expect {
    messages_in: u32,
    messages_out: u32,
    first_response_at: Option<Millis>,
    responses: u32,
    response_total_ms: i64,
    avg: Option<i64>,
    waiting_since: Option<Millis>,
}

/// Messages in order, with their times.
type Script = Vec<(MessageAuthor, Millis)>;

#[test]
fn response_tracking() {
    let cases: Vec<(&str, Script, Expect)> = vec![
        (
            "no response yet",
            vec![(Contact, 0), (Contact, 10)],
            Expect {
                messages_in: 2,
                messages_out: 0,
                first_response_at: None,
                responses: 0,
                response_total_ms: 0,
                avg: None,
                waiting_since: Some(0),
            },
        ),
        (
            "one answer",
            vec![(Contact, 0), (agent("a1"), 60)],
            Expect {
                messages_in: 1,
                messages_out: 1,
                first_response_at: Some(60),
                responses: 1,
                response_total_ms: 60,
                avg: Some(60),
                waiting_since: None,
            },
        ),
        (
            "bot, workflow, API and notices answer nobody",
            vec![
                (Contact, 0),
                (Bot, 5),
                (Workflow, 6),
                (Api, 7),
                (System, 8),
                (agent("a1"), 100),
            ],
            Expect {
                messages_in: 1,
                messages_out: 5,
                first_response_at: Some(100),
                responses: 1,
                response_total_ms: 100,
                avg: Some(100),
                waiting_since: None,
            },
        ),
        (
            "a wait starts at the first unanswered message of a run",
            vec![
                (Contact, 0),
                (Contact, 10),
                (agent("a1"), 30),
                (Contact, 100),
                (Bot, 110),
                (Contact, 120),
                (agent("a2"), 160),
            ],
            Expect {
                messages_in: 4,
                messages_out: 3,
                first_response_at: Some(30),
                responses: 2,
                response_total_ms: 30 + 60,
                avg: Some(45),
                waiting_since: None,
            },
        ),
        (
            "follow-up replies are messages, not responses",
            vec![(Contact, 0), (agent("a1"), 10), (agent("a1"), 20)],
            Expect {
                messages_in: 1,
                messages_out: 2,
                first_response_at: Some(10),
                responses: 1,
                response_total_ms: 10,
                avg: Some(10),
                waiting_since: None,
            },
        ),
        (
            "agent writes first: first response is theirs, the wait starts later",
            vec![(agent("a1"), 0), (Contact, 10), (agent("a1"), 25)],
            Expect {
                messages_in: 1,
                messages_out: 2,
                first_response_at: Some(0),
                responses: 1,
                response_total_ms: 15,
                avg: Some(15),
                waiting_since: None,
            },
        ),
        (
            "a wait still open at the end is not averaged",
            vec![(Contact, 0), (agent("a1"), 40), (Contact, 50)],
            Expect {
                messages_in: 2,
                messages_out: 1,
                first_response_at: Some(40),
                responses: 1,
                response_total_ms: 40,
                avg: Some(40),
                waiting_since: Some(50),
            },
        ),
        (
            "clock going backwards never makes a negative wait",
            vec![(Contact, 100), (agent("a1"), 50)],
            Expect {
                messages_in: 1,
                messages_out: 1,
                first_response_at: Some(50),
                responses: 1,
                response_total_ms: 0,
                avg: Some(0),
                waiting_since: None,
            },
        ),
        (
            "average rounds down",
            vec![
                (Contact, 0),
                (agent("a1"), 1),
                (Contact, 10),
                (agent("a1"), 12),
            ],
            Expect {
                messages_in: 2,
                messages_out: 2,
                first_response_at: Some(1),
                responses: 2,
                response_total_ms: 3,
                avg: Some(1),
                waiting_since: None,
            },
        ),
    ];
    for (name, messages, want) in cases {
        let mut t = ResponseTracker::default();
        for (author, at) in &messages {
            t.on_message(author, *at);
        }
        let got = Expect {
            messages_in: t.messages_in,
            messages_out: t.messages_out,
            first_response_at: t.first_response_at,
            responses: t.responses,
            response_total_ms: t.response_total_ms,
            avg: t.avg_response_ms(),
            waiting_since: t.waiting_since,
        };
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn agents_share_and_first_responder() {
    let mut t = ResponseTracker::default();
    t.on_message(&Contact, 0);
    t.on_assigned("a1");
    t.on_message(&agent("a2"), 5);
    t.on_message(&agent("a1"), 6);
    t.on_message(&agent("a1"), 7);
    assert_eq!(t.first_responder.as_deref(), Some("a2"));
    assert_eq!(
        t.agents.get("a1"),
        Some(&AgentShare {
            assigned: true,
            messages: 2
        })
    );
    assert_eq!(
        t.agents.get("a2"),
        Some(&AgentShare {
            assigned: false,
            messages: 1
        })
    );
}

#[test]
fn authors_from_lifecycle_attribution() {
    let cases = [
        (Actor::Contact { id: "v".into() }, Source::Contact, Contact),
        (Actor::Agent { id: "a1".into() }, Source::User, agent("a1")),
        // An agent's API token is not a person in the inbox.
        (Actor::Agent { id: "a1".into() }, Source::Api, Api),
        (
            Actor::Workflow { id: "w".into() },
            Source::Workflow,
            Workflow,
        ),
        (Actor::System, Source::System, System),
    ];
    for (actor, source, want) in cases {
        assert_eq!(MessageAuthor::from_attribution(&actor, source), want);
    }
}

#[test]
fn tracker_round_trips_and_old_state_loads() {
    let mut t = ResponseTracker::default();
    t.on_message(&Contact, 1);
    t.on_assigned("a1");
    let json = serde_json::to_string(&t).unwrap();
    assert_eq!(serde_json::from_str::<ResponseTracker>(&json).unwrap(), t);
    // A period stored before the tracker existed deserializes to an empty one.
    assert_eq!(
        serde_json::from_str::<ResponseTracker>("{}").unwrap(),
        ResponseTracker::default()
    );
}

/// The tracker's mirrored counters agree with the lifecycle's when fed as documented.
#[test]
fn tracker_mirrors_lifecycle_counts() {
    let mut sim = Sim::new(T0);
    sim.bot(T0 + SEC)
        .agent("a1", T0 + MIN)
        .workflow_message(T0 + 2 * MIN)
        .close("a1", T0 + HOUR)
        .workflow_message(T0 + 2 * HOUR) // closed: not counted anywhere
        .contact(T0 + DAY)
        .agent("a2", T0 + DAY + MIN);
    assert_eq!(sim.trackers.len(), 2);
    for (p, t) in sim.lc.periods().zip(&sim.trackers) {
        assert_eq!(
            (p.messages_in, p.messages_out, p.first_agent_response_at),
            (t.messages_in, t.messages_out, t.first_response_at),
            "period {}",
            p.number
        );
    }
}
