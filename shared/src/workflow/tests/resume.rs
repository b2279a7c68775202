//! Suspend and resume: persisted runs, at-least-once alarms, refused inputs, versions.

use serde_json::json;

use super::harness::World;
use super::*;
use crate::assignment::Decision;

fn waiting_workflow() -> Workflow {
    steps(json!([
        {"id": "w1", "type": "wait", "duration_ms": 60_000, "next": "m1"},
        {"id": "m1", "type": "send_message", "text": "one", "next": "q"},
        {"id": "q", "type": "ask_question", "prompt": "Name?", "save_as": "name",
         "timeout_ms": 3_600_000, "next": "w2"},
        {"id": "w2", "type": "wait", "duration_ms": 86_400_000, "next": "m2"},
        {"id": "m2", "type": "send_message", "text": "bye {{vars.name}}"}
    ]))
}

/// Persist and reload between every call, as the DO does across evictions.
fn reload(run: &Run) -> Run {
    serde_json::from_str(&serde_json::to_string(run).unwrap()).unwrap()
}

#[test]
fn a_run_survives_eviction_between_every_call() {
    let w = waiting_workflow();
    let e = Engine::default();
    let s = snapshot();
    let Started { run, effects } = start(&w, &opened());
    assert!(effects.is_empty());
    let mut run = reload(&run);
    assert_eq!(run.next_wakeup(), Some(T0 + MIN));
    let effects = e.resume(&w, &mut run, Input::Wakeup, &s, T0 + MIN).unwrap();
    assert_eq!(effects.len(), 2); // "one" and the question
    let mut run = reload(&run);
    assert!(run.is_waiting_for_answer());
    assert_eq!(run.next_wakeup(), Some(T0 + MIN + HOUR));
    let answer = Input::Answer {
        text: "Marta".into(),
        button: None,
    };
    assert!(e
        .resume(&w, &mut run, answer, &s, T0 + 2 * MIN)
        .unwrap()
        .is_empty());
    let mut run = reload(&run);
    assert_eq!(run.next_wakeup(), Some(T0 + 2 * MIN + DAY));
    let effects = e
        .resume(&w, &mut run, Input::Wakeup, &s, T0 + 2 * MIN + DAY)
        .unwrap();
    assert_eq!(texts(&effects), ["bye Marta"]);
    assert_eq!(trail(&run), ["w1", "m1", "q", "w2", "m2"]);
    assert_eq!(run.outcome(), Some(&Outcome::Completed));
    assert_eq!(run.log.finished_at, Some(T0 + 2 * MIN + DAY));
}

#[test]
fn alarms_are_idempotent() {
    let w = waiting_workflow();
    let e = Engine::default();
    let s = snapshot();
    let Started { mut run, .. } = start(&w, &opened());
    // Early: nothing.
    assert_eq!(
        e.resume(&w, &mut run, Input::Wakeup, &s, T0 + 1),
        Ok(vec![])
    );
    let before = run.clone();
    // Due: one step on; the same alarm again changes nothing.
    assert_eq!(
        e.resume(&w, &mut run, Input::Wakeup, &s, T0 + MIN)
            .unwrap()
            .len(),
        2
    );
    let after = run.clone();
    assert_eq!(
        e.resume(&w, &mut run, Input::Wakeup, &s, T0 + MIN),
        Ok(vec![])
    );
    assert_eq!(run, after);
    assert_ne!(before, after);
    // A finished run ignores alarms too.
    let mut done = start(&steps(json!([{"id": "e", "type": "end"}])), &opened()).run;
    let w2 = steps(json!([{"id": "e", "type": "end"}]));
    assert_eq!(
        e.resume(&w2, &mut done, Input::Wakeup, &s, T0 + DAY),
        Ok(vec![])
    );
}

#[test]
fn inputs_the_run_does_not_wait_for_are_refused_and_change_nothing() {
    let w = waiting_workflow();
    let e = Engine::default();
    let s = snapshot();
    let Started { mut run, .. } = start(&w, &opened());
    let before = run.clone();
    let refused = [
        Input::Answer {
            text: "hi".into(),
            button: None,
        },
        Input::Assignment {
            decision: Decision::Unassign,
        },
        Input::HttpResponse {
            status: 200,
            body: String::new(),
        },
        Input::HttpFailed { error: "x".into() },
    ];
    for input in refused {
        let name = input.name();
        assert_eq!(
            e.resume(&w, &mut run, input, &s, T0 + 1),
            Err(WorkflowError::UnexpectedInput {
                waiting: "a timer",
                input: name
            })
        );
        assert_eq!(run, before);
    }
}

#[test]
fn a_run_keeps_its_version() {
    let w = waiting_workflow();
    let Started { mut run, .. } = start(&w, &opened());
    let mut edited = w.clone();
    edited.version = 2;
    let err = Engine::default()
        .resume(&edited, &mut run, Input::Wakeup, &snapshot(), T0 + MIN)
        .unwrap_err();
    assert!(matches!(
        err,
        WorkflowError::WrongWorkflow {
            run_version: 1,
            version: 2,
            ..
        }
    ));
    assert_eq!(err.code(), crate::ErrorCode::NotFound);
    // A new run starts on the new version.
    assert_eq!(start(&edited, &opened()).run.version, 2);
}

#[test]
fn cancel_ends_a_waiting_run() {
    let w = waiting_workflow();
    let e = Engine::default();
    let Started { mut run, .. } = start(&w, &opened());
    let cancel = Input::Cancel {
        reason: "workflow deleted".into(),
    };
    assert_eq!(
        e.resume(&w, &mut run, cancel.clone(), &snapshot(), T0),
        Ok(vec![])
    );
    assert_eq!(
        run.outcome(),
        Some(&Outcome::Cancelled {
            reason: "workflow deleted".into()
        })
    );
    assert_eq!(run.next_wakeup(), None);
    assert_eq!(
        e.resume(&w, &mut run, cancel, &snapshot(), T0),
        Err(WorkflowError::Finished)
    );
}

#[test]
fn the_alarm_is_the_earliest_wakeup_of_all_runs() {
    let short = steps(json!([{"id": "w", "type": "wait", "duration_ms": 1000}]));
    let long = steps(json!([{"id": "w", "type": "wait", "duration_ms": 5000}]));
    let none = steps(json!([{"id": "q", "type": "ask_question", "prompt": "?"}]));
    let runs: Vec<Run> = [&long, &short, &none]
        .into_iter()
        .map(|w| start(w, &opened()).run)
        .collect();
    assert_eq!(next_wakeup(&runs), Some(T0 + 1000));
    assert_eq!(next_wakeup(&runs[2..]), None);
}

#[test]
fn the_harness_resumes_waits_through_its_alarm() {
    let w = waiting_workflow();
    let mut world = World::new(vec![w]).open();
    assert!(world.messages().is_empty());
    world.advance(MIN);
    assert_eq!(world.messages(), ["one", "Name?"]);
    world.contact_says("Marta");
    world.advance(DAY);
    assert_eq!(world.messages(), ["one", "Name?", "bye Marta"]);
    assert!(world.run(0).is_finished());
}
