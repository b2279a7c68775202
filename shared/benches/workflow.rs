//! Workflow engine throughput, natively: events (and resume inputs) per second.
//!
//! `cargo bench -p charla-shared --bench workflow`. Each case is what one DO call does: start
//! runs for an event, or resume a run with an input; persisting the run (JSON) is measured
//! separately because the DO pays it once per call whatever the workflow.

use std::hint::black_box;

use charla_shared::assignment::{AgentInfo, Decision};
use charla_shared::basic::ConversationStatus;
use charla_shared::contact::Contact;
use charla_shared::lifecycle::{ClosingNote, Source};
use charla_shared::schedule::BusinessHours;
use charla_shared::workflow::{
    AgentFacts, ConversationFacts, Engine, Event, Input, Run, Snapshot, Started, Template,
    Workflow, WorkflowEvent,
};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const T0: i64 = 1_700_000_000_000;

fn snapshot() -> Snapshot {
    let mut contact = Contact::new("v_1");
    contact.name = Some("Marta López".into());
    contact.email = Some("marta@example.com".into());
    contact.tags.insert("vip".into());
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
        contact,
    );
    s.agents = (1..=20)
        .map(|i| AgentFacts {
            info: AgentInfo {
                id: format!("a{i}"),
                online: i % 3 != 0,
                capacity: Some(5),
                teams: vec![["sales", "support", "billing"][i % 3].into()],
            },
            name: format!("Agent {i}"),
            open: (i % 5) as u32,
        })
        .collect();
    s.business_hours = Some(
        serde_json::from_value::<BusinessHours>(serde_json::json!({
            "time_zone": "Europe/Madrid",
            "week": {
                "mon": [{"from": "09:00", "to": "18:00"}],
                "tue": [{"from": "09:00", "to": "18:00"}],
                "wed": [{"from": "09:00", "to": "18:00"}],
                "thu": [{"from": "09:00", "to": "18:00"}],
                "fri": [{"from": "09:00", "to": "15:00"}]
            },
            "holidays": [{"date": "2023-12-25"}]
        }))
        .unwrap(),
    );
    s
}

fn enabled(t: Template) -> Workflow {
    let mut w = t.build(&format!("wf_{t:?}"));
    w.enabled = true;
    w
}

fn closed(source: Source) -> Event {
    Event::new(
        WorkflowEvent::ConversationClosed {
            note: ClosingNote::default(),
        },
        source,
    )
}

fn opened() -> Event {
    Event::new(
        WorkflowEvent::ConversationOpened { period: 1 },
        Source::Contact,
    )
}

fn bench(c: &mut Criterion) {
    let engine = Engine::default();
    let snap = snapshot();
    let mut g = c.benchmark_group("workflow");
    g.throughput(Throughput::Elements(1));

    let unassign = enabled(Template::UnassignAfterClose);
    g.bench_function("unassign_after_close: closed by user → run", |b| {
        let event = closed(Source::User);
        b.iter(|| black_box(engine.start(&unassign, black_box(&event), &snap, T0)))
    });
    g.bench_function("unassign_after_close: closed by workflow → no run", |b| {
        let event = closed(Source::Workflow);
        b.iter(|| black_box(engine.start(&unassign, black_box(&event), &snap, T0)))
    });

    let out_of_hours = enabled(Template::OutOfHours);
    g.bench_function("out_of_hours: opened at night → message", |b| {
        let event = opened();
        b.iter(|| black_box(engine.start(&out_of_hours, black_box(&event), &snap, T0)))
    });

    let all: Vec<Workflow> = Template::ALL.into_iter().map(enabled).collect();
    g.bench_function("opened offered to all 9 templates", |b| {
        let event = opened();
        b.iter(|| black_box(engine.start_all(&all, black_box(&event), &snap, T0)))
    });

    // A whole routed conversation: start, the visitor's button, the assignment decision.
    let routing = enabled(Template::RoutingByChoice);
    g.throughput(Throughput::Elements(3));
    g.bench_function(
        "routing_by_choice: open + answer + decision (3 events)",
        |b| {
            let event = opened();
            b.iter(|| {
                let Started { mut run, .. } = engine.start(&routing, &event, &snap, T0).unwrap();
                let answer = Input::Answer {
                    text: "Billing".into(),
                    button: Some("billing".into()),
                };
                engine
                    .resume(&routing, &mut run, answer, &snap, T0 + 5_000)
                    .unwrap();
                let decision = Input::Assignment {
                    decision: Decision::Assign {
                        agent_id: "a2".into(),
                        team_id: Some("billing".into()),
                    },
                };
                black_box(
                    engine
                        .resume(&routing, &mut run, decision, &snap, T0 + 5_100)
                        .unwrap(),
                )
            })
        },
    );

    // What the DO adds per call: persisting and reloading the waiting run.
    g.throughput(Throughput::Elements(1));
    let waiting = engine.start(&routing, &opened(), &snap, T0).unwrap().run;
    g.bench_function("run JSON round trip (persist + load)", |b| {
        b.iter(|| {
            let text = serde_json::to_string(black_box(&waiting)).unwrap();
            black_box(serde_json::from_str::<Run>(&text).unwrap())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
