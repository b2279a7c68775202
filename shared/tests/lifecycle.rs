use charla_shared::basic::{ConversationStatus, Millis};
use charla_shared::lifecycle::*;
use charla_shared::ErrorCode;

use ActivityKind as K;
use LifecycleError as E;
use Source::{Api, Contact, System, User, Workflow};

const T0: Millis = 1_700_000_000_000;
const MIN: Millis = 60_000;
const HOUR: Millis = 60 * MIN;
const DAY: Millis = 24 * HOUR;

/// The actor each source acts as in these tests.
fn actor(source: Source) -> Actor {
    match source {
        User => Actor::Agent { id: "a1".into() },
        Workflow => Actor::Workflow { id: "wf1".into() },
        Api => Actor::Integration { id: "key1".into() },
        System => Actor::System,
        Contact => Actor::Contact { id: "v1".into() },
    }
}

fn settings() -> LifecycleSettings {
    LifecycleSettings {
        categories: vec!["Ventas".into(), "Soporte".into(), "Reclamo".into()],
        ..LifecycleSettings::default()
    }
}

fn fresh() -> Lifecycle {
    Lifecycle::open(actor(Contact), Contact, T0).0
}

fn assign(agent: &str) -> Command {
    Command::Act(Action::Assign {
        agent_id: agent.into(),
        team_id: None,
    })
}
fn assign_in(agent: &str, team: &str) -> Command {
    Command::Act(Action::Assign {
        agent_id: agent.into(),
        team_id: Some(team.into()),
    })
}
fn team(team: &str) -> Command {
    Command::Act(Action::AssignTeam {
        team_id: team.into(),
    })
}
fn close() -> Command {
    Command::Act(Action::Close {
        note: ClosingNote::default(),
    })
}
fn note(category: Option<&str>, summary: Option<&str>) -> ClosingNote {
    ClosingNote {
        category: category.map(Into::into),
        summary: summary.map(Into::into),
    }
}
fn assigned(agent: &str, team: Option<&str>, previous: Option<&str>) -> ActivityKind {
    K::Assigned {
        agent_id: agent.into(),
        team_id: team.map(Into::into),
        previous: previous.map(Into::into),
    }
}
fn s(v: &str) -> Option<String> {
    Some(v.into())
}

type Script = Vec<(Command, Source)>;
type NoteResult = Result<ClosingNote, LifecycleError>;

/// Run `steps` (each one minute apart, all must succeed) on a fresh conversation.
fn run(steps: &[(Command, Source)]) -> Lifecycle {
    let mut lc = fresh();
    for (i, (cmd, source)) in steps.iter().enumerate() {
        let at = T0 + (i as Millis + 1) * MIN;
        lc.apply(cmd.clone(), actor(*source), *source, &settings(), at)
            .unwrap_or_else(|e| panic!("setup step {i} {cmd:?}: {e}"));
    }
    lc
}

// ---------------------------------------------------------------------------------------------
// Transitions

/// After `setup`, `cmd` from `source` yields exactly `expected`; every event carries the
/// source, its actor and the time; a refused command changes nothing.
fn check(
    setup: &[(Command, Source)],
    cmd: Command,
    source: Source,
    expected: Result<Vec<ActivityKind>, LifecycleError>,
) {
    let mut lc = run(setup);
    let before = lc.clone();
    let at = T0 + DAY;
    let got = lc.apply(cmd.clone(), actor(source), source, &settings(), at);
    match (got, expected) {
        (Ok(events), Ok(kinds)) => {
            let got_kinds: Vec<_> = events.iter().map(|e| e.kind.clone()).collect();
            assert_eq!(got_kinds, kinds, "{setup:?} then {cmd:?} by {source:?}");
            for e in &events {
                assert_eq!((e.at, e.source, &e.actor), (at, source, &actor(source)));
            }
            assert_eq!(lc.last_activity_at, at, "success is activity");
        }
        (Err(err), Err(want)) => {
            assert_eq!(err, want, "{setup:?} then {cmd:?} by {source:?}");
            assert_eq!(lc, before, "a refused command changes nothing");
        }
        (got, want) => panic!("{setup:?} then {cmd:?} by {source:?}: got {got:?}, want {want:?}"),
    }
}

#[test]
fn assignment_transitions() {
    check(
        &[],
        assign("a1"),
        User,
        Ok(vec![assigned("a1", None, None)]),
    );
    check(
        &[],
        assign_in("a1", "t1"),
        Workflow,
        Ok(vec![assigned("a1", Some("t1"), None)]),
    );
    check(
        &[(assign("a1"), User)],
        assign("a2"),
        Api,
        Ok(vec![assigned("a2", None, Some("a1"))]),
    );
    // No team given: the team stays.
    check(
        &[(assign_in("a1", "t1"), User)],
        assign("a2"),
        User,
        Ok(vec![assigned("a2", Some("t1"), Some("a1"))]),
    );
    check(
        &[(assign("a1"), User)],
        assign("a1"),
        User,
        Err(E::AlreadyAssigned {
            agent_id: "a1".into(),
        }),
    );
    check(
        &[(assign_in("a1", "t1"), User)],
        assign_in("a1", "t1"),
        Workflow,
        Err(E::AlreadyAssigned {
            agent_id: "a1".into(),
        }),
    );
    // Same agent, other team: only the team changes.
    check(
        &[(assign_in("a1", "t1"), User)],
        assign_in("a1", "t2"),
        User,
        Ok(vec![K::TeamAssigned {
            team_id: "t2".into(),
            previous: s("t1"),
        }]),
    );
    check(
        &[],
        team("t1"),
        Workflow,
        Ok(vec![K::TeamAssigned {
            team_id: "t1".into(),
            previous: None,
        }]),
    );
    check(
        &[(team("t1"), User)],
        team("t2"),
        Api,
        Ok(vec![K::TeamAssigned {
            team_id: "t2".into(),
            previous: s("t1"),
        }]),
    );
    check(
        &[(team("t1"), User)],
        team("t1"),
        User,
        Err(E::AlreadyInTeam {
            team_id: "t1".into(),
        }),
    );
    check(
        &[(assign("a1"), User)],
        Command::Act(Action::Unassign),
        System,
        Ok(vec![K::Unassigned {
            previous: "a1".into(),
        }]),
    );
    check(
        &[],
        Command::Act(Action::Unassign),
        User,
        Err(E::NotAssigned),
    );
    check(
        &[(assign("a1"), User), (Command::Act(Action::Unassign), User)],
        Command::Act(Action::Unassign),
        Workflow,
        Err(E::NotAssigned),
    );
    // A team alone is not an assignee.
    check(
        &[(team("t1"), User)],
        Command::Act(Action::Unassign),
        User,
        Err(E::NotAssigned),
    );
}

#[test]
fn open_close_transitions() {
    check(
        &[],
        close(),
        User,
        Ok(vec![K::Closed {
            note: note(None, None),
        }]),
    );
    check(
        &[],
        close(),
        System,
        Ok(vec![K::Closed {
            note: note(None, None),
        }]),
    );
    check(&[(close(), User)], close(), User, Err(E::AlreadyClosed));
    check(&[(close(), User)], close(), System, Err(E::AlreadyClosed));
    check(
        &[(close(), User)],
        Command::Act(Action::Reopen),
        User,
        Ok(vec![K::Reopened { period: 2 }]),
    );
    check(
        &[(close(), User)],
        Command::Act(Action::Reopen),
        Workflow,
        Ok(vec![K::Reopened { period: 2 }]),
    );
    check(&[], Command::Act(Action::Reopen), User, Err(E::AlreadyOpen));
    check(
        &[(close(), User), (Command::Act(Action::Reopen), Api)],
        close(),
        Api,
        Ok(vec![K::Closed {
            note: note(None, None),
        }]),
    );
    check(
        &[
            (close(), User),
            (Command::Act(Action::Reopen), User),
            (close(), User),
        ],
        Command::Act(Action::Reopen),
        User,
        Ok(vec![K::Reopened { period: 3 }]),
    );
    // Nothing about ownership changes on a closed conversation, except letting go of it
    // ("unassign after close" frees the agent's slot).
    for cmd in [
        assign("a1"),
        team("t1"),
        Command::Act(Action::PauseBot),
        Command::Act(Action::ResumeBot),
    ] {
        check(&[(close(), User)], cmd, User, Err(E::Closed));
    }
    check(
        &[(close(), User)],
        Command::Act(Action::Unassign),
        User,
        Err(E::NotAssigned),
    );
    check(
        &[(assign("a1"), User), (close(), User)],
        Command::Act(Action::Unassign),
        Workflow,
        Ok(vec![K::Unassigned {
            previous: "a1".into(),
        }]),
    );
}

#[test]
fn bot_transitions() {
    check(
        &[],
        Command::Act(Action::PauseBot),
        User,
        Ok(vec![K::BotPaused]),
    );
    check(
        &[(Command::Act(Action::PauseBot), User)],
        Command::Act(Action::PauseBot),
        Workflow,
        Err(E::BotAlreadyPaused),
    );
    check(
        &[(Command::Act(Action::PauseBot), User)],
        Command::Act(Action::ResumeBot),
        Workflow,
        Ok(vec![K::BotResumed]),
    );
    check(
        &[],
        Command::Act(Action::ResumeBot),
        User,
        Err(E::BotNotPaused),
    );
    check(
        &[
            (Command::Act(Action::PauseBot), User),
            (Command::Act(Action::ResumeBot), Api),
        ],
        Command::Act(Action::ResumeBot),
        User,
        Err(E::BotNotPaused),
    );
}

#[test]
fn message_inputs() {
    check(&[], Command::ContactMessage, Contact, Ok(vec![]));
    check(&[], Command::AgentMessage, User, Ok(vec![]));
    check(&[], Command::AgentMessage, Workflow, Ok(vec![]));
    check(
        &[(close(), User)],
        Command::ContactMessage,
        Contact,
        Ok(vec![K::Reopened { period: 2 }]),
    );
    check(
        &[(close(), System)],
        Command::AgentMessage,
        User,
        Ok(vec![K::Reopened { period: 2 }]),
    );
    // Outgoing automation does not pull a closed conversation back into the inbox.
    for source in [Workflow, Api, System] {
        check(
            &[(close(), User)],
            Command::AgentMessage,
            source,
            Ok(vec![]),
        );
    }
}

#[test]
fn contacts_may_only_send_messages() {
    let refused = [
        (vec![], assign("a1")),
        (vec![], team("t1")),
        (vec![(assign("a1"), User)], Command::Act(Action::Unassign)),
        (vec![], close()),
        (vec![(close(), User)], Command::Act(Action::Reopen)),
        (vec![], Command::Act(Action::PauseBot)),
        (
            vec![(Command::Act(Action::PauseBot), User)],
            Command::Act(Action::ResumeBot),
        ),
        (vec![], Command::AgentMessage),
    ];
    for (setup, cmd) in refused {
        check(&setup, cmd, Contact, Err(E::NotAllowed { by: Contact }));
    }
}

/// Every event of a full script carries its source and actor, whichever source drives it.
#[test]
fn every_event_records_its_source() {
    for source in [User, Workflow, Api, System] {
        let mut lc = fresh();
        let script = [
            assign_in("a1", "t1"),
            team("t2"),
            Command::Act(Action::PauseBot),
            Command::Act(Action::ResumeBot),
            assign("a2"),
            Command::Act(Action::Unassign),
            close(),
            Command::Act(Action::Reopen),
        ];
        let mut kinds = vec![];
        for (i, cmd) in script.into_iter().enumerate() {
            let at = T0 + i as Millis;
            for e in lc
                .apply(cmd, actor(source), source, &settings(), at)
                .unwrap()
            {
                assert_eq!((e.source, &e.actor, e.at), (source, &actor(source), at));
                kinds.push(e.kind);
            }
        }
        assert_eq!(
            kinds.len(),
            8,
            "{source:?}: one event per action: {kinds:?}"
        );
        let by = Attribution {
            actor: actor(source),
            source,
        };
        assert_eq!(lc.past[0].closed_by, Some(by.clone()));
        assert_eq!(lc.current.opened_by, by);
    }
}

#[test]
fn opening_event() {
    let (lc, event) = Lifecycle::open(actor(Api), Api, T0);
    assert_eq!(
        event,
        ActivityEvent {
            at: T0,
            source: Api,
            actor: actor(Api),
            kind: K::Opened
        }
    );
    assert!(lc.is_open());
    assert_eq!(lc.status(), ConversationStatus::Open);
    assert_eq!(lc.current.number, 1);
    assert_eq!(lc.current.opened_at, T0);
    assert!(lc.past.is_empty());
}

#[test]
fn accessors_follow_the_open_period() {
    use ConversationStatus::{Closed, Open};
    /// What the accessors answer after `script`: (assignee, team, bot paused, status).
    type Seen<'a> = (Option<&'a str>, Option<&'a str>, bool, ConversationStatus);
    #[rustfmt::skip]
    let cases: Vec<(Script, Seen)> = vec![
        (vec![], (None, None, false, Open)),
        (vec![(assign_in("a1", "t1"), User)], (Some("a1"), Some("t1"), false, Open)),
        (vec![(team("t1"), User), (Command::Act(Action::PauseBot), User)], (None, Some("t1"), true, Open)),
        (vec![(assign_in("a1", "t1"), User), (Command::Act(Action::Unassign), User)], (None, Some("t1"), false, Open)),
        // Closed: the agent who held it still does (until unassigned); no team queue, no bot.
        (vec![(assign_in("a1", "t1"), User), (Command::Act(Action::PauseBot), User), (close(), User)], (Some("a1"), None, false, Closed)),
        (vec![(assign_in("a1", "t1"), User), (close(), User), (Command::Act(Action::Unassign), Workflow)], (None, None, false, Closed)),
        // Reopened: a fresh period, unassigned, bot running.
        (vec![(assign_in("a1", "t1"), User), (Command::Act(Action::PauseBot), User), (close(), User), (Command::ContactMessage, Contact)], (None, None, false, Open)),
    ];
    for (script, expected) in cases {
        let lc = run(&script);
        let seen = (lc.assignee(), lc.team(), lc.bot_paused(), lc.status());
        assert_eq!(seen, expected, "{script:?}");
    }
    let lc = run(&[(assign_in("a1", "t1"), User), (close(), User)]);
    assert_eq!(lc.current.assignee.as_deref(), Some("a1"));
    assert_eq!(lc.current.team.as_deref(), Some("t1"));
}

// ---------------------------------------------------------------------------------------------
// Closing notes

/// Closing with `given` under the requirements yields the stored note or the error.
fn check_note(
    category: NoteRequirement,
    summary: NoteRequirement,
    given: ClosingNote,
    source: Source,
    expected: Result<ClosingNote, LifecycleError>,
) {
    let settings = LifecycleSettings {
        closing_category: category,
        closing_summary: summary,
        ..settings()
    };
    let mut lc = fresh();
    let before = lc.clone();
    let got = lc.apply(
        Command::Act(Action::Close {
            note: given.clone(),
        }),
        actor(source),
        source,
        &settings,
        T0 + MIN,
    );
    let ctx = format!("{category:?}/{summary:?} {given:?} by {source:?}");
    match (got, expected) {
        (Ok(events), Ok(stored)) => {
            assert_eq!(
                events.iter().map(|e| &e.kind).collect::<Vec<_>>(),
                [&K::Closed {
                    note: stored.clone()
                }],
                "{ctx}"
            );
            assert_eq!(lc.current.closing_note, Some(stored), "{ctx}");
        }
        (Err(err), Err(want)) => {
            assert_eq!(err, want, "{ctx}");
            assert_eq!(lc, before, "{ctx}");
        }
        (got, want) => panic!("{ctx}: got {got:?}, want {want:?}"),
    }
}

#[test]
fn closing_note_validation() {
    use NoteRequirement::{Disabled as D, Optional as O, Required as R};
    let long = "x".repeat(MAX_SUMMARY_CHARS + 1);
    let full = "x".repeat(MAX_SUMMARY_CHARS);
    let full_multibyte = "ñ".repeat(MAX_SUMMARY_CHARS);
    #[rustfmt::skip]
    let cases: Vec<(NoteRequirement, NoteRequirement, ClosingNote, Source, NoteResult)> = vec![
        (O, O, note(None, None), User, Ok(note(None, None))),
        (O, O, note(Some("Ventas"), Some("sold 3")), User, Ok(note(Some("Ventas"), Some("sold 3")))),
        (O, O, note(Some(" Soporte "), Some("  fixed  ")), Api, Ok(note(Some("Soporte"), Some("fixed")))),
        (O, O, note(Some(""), Some("   ")), User, Ok(note(None, None))),
        // Required, missing: people and the API must write it; automation need not.
        (R, O, note(None, None), User, Err(E::NoteFieldRequired(NoteField::Category))),
        (R, O, note(None, Some("s")), Api, Err(E::NoteFieldRequired(NoteField::Category))),
        (R, O, note(None, None), Workflow, Ok(note(None, None))),
        (R, O, note(None, None), System, Ok(note(None, None))),
        (O, R, note(None, None), User, Err(E::NoteFieldRequired(NoteField::Summary))),
        (O, R, note(Some("Ventas"), Some("  ")), User, Err(E::NoteFieldRequired(NoteField::Summary))),
        (O, R, note(None, None), System, Ok(note(None, None))),
        (R, R, note(None, None), User, Err(E::NoteFieldRequired(NoteField::Category))),
        (R, R, note(Some("Reclamo"), None), User, Err(E::NoteFieldRequired(NoteField::Summary))),
        (R, R, note(Some("Reclamo"), Some("refund")), User, Ok(note(Some("Reclamo"), Some("refund")))),
        (R, R, note(Some("Reclamo"), None), Workflow, Ok(note(Some("Reclamo"), None))),
        // Disabled fields are dropped, even when they would be invalid.
        (D, O, note(Some("Ventas"), Some("s")), User, Ok(note(None, Some("s")))),
        (D, O, note(Some("Nope"), None), User, Ok(note(None, None))),
        (O, D, note(Some("Ventas"), Some("s")), Api, Ok(note(Some("Ventas"), None))),
        (O, D, note(None, Some(&long)), User, Ok(note(None, None))),
        (D, D, note(Some("Ventas"), Some("s")), System, Ok(note(None, None))),
        (D, R, note(Some("Ventas"), None), User, Err(E::NoteFieldRequired(NoteField::Summary))),
        // The category list binds every source, and matches exactly.
        (O, O, note(Some("Nope"), None), User, Err(E::UnknownCategory("Nope".into()))),
        (O, O, note(Some("Nope"), None), Workflow, Err(E::UnknownCategory("Nope".into()))),
        (O, O, note(Some("ventas"), None), User, Err(E::UnknownCategory("ventas".into()))),
        (R, O, note(Some("Nope"), None), System, Err(E::UnknownCategory("Nope".into()))),
        // Summary length counts characters, not bytes, and binds every source.
        (O, O, note(None, Some(&full)), User, Ok(note(None, Some(&full)))),
        (O, O, note(None, Some(&full_multibyte)), User, Ok(note(None, Some(&full_multibyte)))),
        (O, O, note(None, Some(&long)), User, Err(E::SummaryTooLong { chars: 1001, limit: 1000 })),
        (O, R, note(None, Some(&long)), System, Err(E::SummaryTooLong { chars: 1001, limit: 1000 })),
    ];
    for (category, summary, given, source, expected) in cases {
        check_note(category, summary, given, source, expected);
    }
}

/// The whole matrix, requirement × requirement × present/absent × source, against the rules
/// stated in the module doc.
#[test]
fn closing_note_matrix() {
    use NoteRequirement::{Disabled, Optional, Required};
    let reqs = [Disabled, Optional, Required];
    let mut cases = 0;
    for category in reqs {
        for summary in reqs {
            for given_category in [None, Some("Soporte")] {
                for given_summary in [None, Some("done")] {
                    for source in [User, Api, Workflow, System] {
                        let waived = matches!(source, Workflow | System);
                        let missing = |req, given: Option<&str>| {
                            req == Required && given.is_none() && !waived
                        };
                        let keep = |req, given: Option<&'static str>| {
                            (req != Disabled).then_some(given).flatten()
                        };
                        let expected = if missing(category, given_category) {
                            Err(E::NoteFieldRequired(NoteField::Category))
                        } else if missing(summary, given_summary) {
                            Err(E::NoteFieldRequired(NoteField::Summary))
                        } else {
                            Ok(note(
                                keep(category, given_category),
                                keep(summary, given_summary),
                            ))
                        };
                        check_note(
                            category,
                            summary,
                            note(given_category, given_summary),
                            source,
                            expected,
                        );
                        cases += 1;
                    }
                }
            }
        }
    }
    assert_eq!(cases, 144);
}

#[test]
fn validate_note_is_usable_before_sending() {
    let settings = LifecycleSettings {
        closing_category: NoteRequirement::Required,
        ..settings()
    };
    assert_eq!(
        settings.validate_note(note(None, None), User),
        Err(E::NoteFieldRequired(NoteField::Category))
    );
    assert_eq!(
        settings.validate_note(note(Some("Ventas "), None), User),
        Ok(note(Some("Ventas"), None))
    );
}

// ---------------------------------------------------------------------------------------------
// Periods and report timestamps

#[test]
fn contact_message_reopens_into_a_fresh_period() {
    let contact_by = Attribution {
        actor: actor(Contact),
        source: Contact,
    };
    let agent_by = Attribution {
        actor: actor(User),
        source: User,
    };
    let mut lc = fresh();
    let script = [
        (10, Command::ContactMessage, Contact),
        (20, assign_in("a1", "t1"), User),
        (30, Command::AgentMessage, User),
        (40, Command::ContactMessage, Contact),
        (
            50,
            Command::Act(Action::Close {
                note: note(Some("Soporte"), Some("password reset")),
            }),
            User,
        ),
    ];
    let settings = settings();
    for (at, cmd, source) in script.clone() {
        lc.apply(cmd, actor(source), source, &settings, T0 + at)
            .unwrap();
    }
    let first = Period {
        number: 1,
        opened_at: T0,
        opened_by: contact_by.clone(),
        assignee: s("a1"),
        team: s("t1"),
        bot_paused: false,
        first_assigned_at: Some(T0 + 20),
        first_agent_response_at: Some(T0 + 30),
        closed_at: Some(T0 + 50),
        closed_by: Some(agent_by.clone()),
        closing_note: Some(note(Some("Soporte"), Some("password reset"))),
        assignments: 1,
        messages_in: 2,
        messages_out: 1,
        responses: lc.current.responses.clone(),
        attachments: 0,
    };
    assert_eq!(lc.current, first);
    let r = &first.responses;
    assert_eq!(
        (r.messages_in, r.messages_out, r.first_response_at),
        (2, 1, Some(T0 + 30)),
        "the report tracker agrees with the period"
    );

    let events = lc
        .apply(
            Command::ContactMessage,
            actor(Contact),
            Contact,
            &settings,
            T0 + 60,
        )
        .unwrap();
    assert_eq!(events[0].kind, K::Reopened { period: 2 });
    for (at, cmd, source) in [
        (70, assign("a2"), Workflow),
        (80, Command::AgentMessage, Workflow),
        (90, Command::AgentMessage, User),
    ] {
        lc.apply(cmd, actor(source), source, &settings, T0 + at)
            .unwrap();
    }
    assert_eq!(lc.past, vec![first.clone()], "period 1 is kept as it was");
    assert_eq!(
        lc.current,
        Period {
            number: 2,
            opened_at: T0 + 60,
            opened_by: contact_by,
            assignee: s("a2"),
            team: None,
            bot_paused: false,
            first_assigned_at: Some(T0 + 70),
            first_agent_response_at: Some(T0 + 90),
            closed_at: None,
            closed_by: None,
            closing_note: None,
            assignments: 1,
            messages_in: 1,
            messages_out: 2,
            responses: lc.current.responses.clone(),
            attachments: 0,
        }
    );
    let r = &lc.current.responses;
    assert_eq!(
        (r.messages_in, r.messages_out, r.first_response_at),
        (1, 2, Some(T0 + 90)),
        "a workflow message is not a response"
    );
    assert_eq!(
        lc.periods().map(|p| p.number).collect::<Vec<_>>(),
        vec![1, 2]
    );
}

#[test]
fn human_agent_message_reopens_with_the_agent_as_opener() {
    let lc = run(&[(close(), System), (Command::AgentMessage, User)]);
    assert_eq!(lc.current.number, 2);
    assert_eq!(lc.current.opened_by.source, User);
    assert_eq!(lc.current.messages_out, 1);
    assert_eq!(
        lc.current.first_agent_response_at,
        Some(lc.current.opened_at)
    );
    // A bot message on the closed conversation is in no period.
    let lc = run(&[
        (Command::AgentMessage, Workflow),
        (close(), User),
        (Command::AgentMessage, Workflow),
    ]);
    assert_eq!((lc.current.number, lc.current.messages_out), (1, 1));
}

/// Per-period counters after a script of (minute, command, source).
fn check_counters(
    script: &[(Millis, Command, Source)],
    first_assigned: Option<Millis>,
    first_response: Option<Millis>,
    assignments: u32,
    (messages_in, messages_out): (u32, u32),
) {
    let mut lc = fresh();
    for (minute, cmd, source) in script {
        lc.apply(
            cmd.clone(),
            actor(*source),
            *source,
            &settings(),
            T0 + minute * MIN,
        )
        .unwrap();
    }
    let p = &lc.current;
    assert_eq!(
        (
            p.first_assigned_at,
            p.first_agent_response_at,
            p.assignments,
            p.messages_in,
            p.messages_out
        ),
        (
            first_assigned.map(|m| T0 + m * MIN),
            first_response.map(|m| T0 + m * MIN),
            assignments,
            messages_in,
            messages_out
        ),
        "{script:?}"
    );
}

#[test]
fn first_response_and_counters() {
    use Command::{AgentMessage as Out, ContactMessage as In};
    // Workflow and bot messages are not a response.
    check_counters(
        &[(1, In, Contact), (2, Out, Workflow), (5, Out, User)],
        None,
        Some(5),
        0,
        (1, 2),
    );
    check_counters(
        &[(1, In, Contact), (2, Out, Workflow), (3, Out, Api)],
        None,
        None,
        0,
        (1, 2),
    );
    check_counters(&[(1, In, Contact), (2, Out, System)], None, None, 0, (1, 1));
    // An agent answering before anyone assigned it still responded.
    check_counters(
        &[(1, In, Contact), (2, Out, User), (4, assign("a1"), User)],
        Some(4),
        Some(2),
        1,
        (1, 1),
    );
    check_counters(
        &[
            (1, In, Contact),
            (3, assign("a1"), Workflow),
            (6, Out, User),
            (9, Out, User),
        ],
        Some(3),
        Some(6),
        1,
        (1, 2),
    );
    // Assignments count agents given the conversation; team moves do not.
    check_counters(
        &[
            (1, assign("a1"), User),
            (2, Command::Act(Action::Unassign), User),
            (3, assign("a2"), User),
        ],
        Some(1),
        None,
        2,
        (0, 0),
    );
    check_counters(
        &[(1, assign("a1"), User), (2, assign("a2"), Workflow)],
        Some(1),
        None,
        2,
        (0, 0),
    );
    check_counters(
        &[(1, team("t1"), Workflow), (2, team("t2"), Workflow)],
        None,
        None,
        0,
        (0, 0),
    );
    check_counters(
        &[
            (1, assign_in("a1", "t1"), User),
            (2, assign_in("a1", "t2"), User),
        ],
        Some(1),
        None,
        1,
        (0, 0),
    );
    check_counters(
        &[(1, In, Contact), (2, In, Contact), (3, In, Contact)],
        None,
        None,
        0,
        (3, 0),
    );
}

#[test]
fn times_never_go_backwards() {
    let mut lc = fresh();
    lc.apply(
        Command::ContactMessage,
        actor(Contact),
        Contact,
        &settings(),
        T0 + HOUR,
    )
    .unwrap();
    let events = lc
        .apply(assign("a1"), actor(User), User, &settings(), T0 + MIN)
        .unwrap();
    assert_eq!(events[0].at, T0 + HOUR);
    lc.apply(Command::AgentMessage, actor(User), User, &settings(), T0)
        .unwrap();
    assert_eq!(lc.current.first_assigned_at, Some(T0 + HOUR));
    assert_eq!(lc.current.first_agent_response_at, Some(T0 + HOUR));
    assert_eq!(lc.last_activity_at, T0 + HOUR);
}

// ---------------------------------------------------------------------------------------------
// Auto-close

/// After a script of (offset, command, source), the deadline is `expected` (an absolute time).
fn check_deadline(
    auto_close: Option<Millis>,
    script: &[(Millis, Command, Source)],
    expected: Option<Millis>,
) {
    let settings = LifecycleSettings {
        auto_close_after: auto_close.map(|ms| AutoCloseAfter::from_millis(ms).unwrap()),
        ..settings()
    };
    let mut lc = fresh();
    for (offset, cmd, source) in script {
        // Failures are part of some scripts: they must not count as activity.
        let _ = lc.apply(cmd.clone(), actor(*source), *source, &settings, T0 + offset);
    }
    assert_eq!(
        lc.next_deadline(&settings),
        expected,
        "{auto_close:?} {script:?}"
    );
}

#[test]
fn deadline_follows_activity() {
    let day = Some(DAY);
    check_deadline(day, &[], Some(T0 + DAY));
    check_deadline(Some(30 * MIN), &[], Some(T0 + 30 * MIN));
    check_deadline(Some(14 * DAY), &[], Some(T0 + 14 * DAY));
    check_deadline(None, &[], None);
    check_deadline(
        day,
        &[(5 * MIN, Command::ContactMessage, Contact)],
        Some(T0 + 5 * MIN + DAY),
    );
    check_deadline(
        day,
        &[
            (5 * MIN, Command::ContactMessage, Contact),
            (9 * MIN, Command::AgentMessage, Workflow),
        ],
        Some(T0 + 9 * MIN + DAY),
    );
    check_deadline(day, &[(HOUR, assign("a1"), User)], Some(T0 + HOUR + DAY));
    // Refused commands are not activity.
    check_deadline(
        day,
        &[(HOUR, Command::Act(Action::Unassign), User)],
        Some(T0 + DAY),
    );
    check_deadline(
        day,
        &[
            (HOUR, Command::ContactMessage, Contact),
            (2 * HOUR, Command::Act(Action::Reopen), User),
        ],
        Some(T0 + HOUR + DAY),
    );
    check_deadline(day, &[(HOUR, close(), User)], None);
    check_deadline(
        day,
        &[
            (HOUR, close(), User),
            (2 * HOUR, Command::AgentMessage, Workflow),
        ],
        None,
    );
    check_deadline(
        day,
        &[
            (HOUR, close(), User),
            (2 * HOUR, Command::ContactMessage, Contact),
        ],
        Some(T0 + 2 * HOUR + DAY),
    );
    check_deadline(
        day,
        &[
            (HOUR, close(), User),
            (3 * HOUR, Command::Act(Action::Reopen), Api),
        ],
        Some(T0 + 3 * HOUR + DAY),
    );
}

/// Fire alarms at the given offsets after a script; `closes_at` is the alarm index that
/// closes (at most one may), and every other alarm must do nothing at all.
fn check_alarms(
    settings: &LifecycleSettings,
    script: &[(Millis, Command, Source)],
    alarms: &[Millis],
    closes_at: Option<usize>,
) {
    let mut lc = fresh();
    for (offset, cmd, source) in script {
        lc.apply(cmd.clone(), actor(*source), *source, settings, T0 + offset)
            .unwrap();
    }
    for (i, offset) in alarms.iter().enumerate() {
        let before = lc.clone();
        let events = lc.on_deadline(settings, T0 + offset);
        if Some(i) == closes_at {
            assert_eq!(
                events,
                vec![ActivityEvent {
                    at: T0 + offset,
                    source: System,
                    actor: Actor::System,
                    kind: K::Closed {
                        note: ClosingNote::default()
                    },
                }],
                "alarm {i} at +{offset}"
            );
            assert_eq!(lc.current.closed_at, Some(T0 + offset));
            assert_eq!(
                lc.current.closed_by,
                Some(Attribution {
                    actor: Actor::System,
                    source: System
                })
            );
            assert_eq!(lc.next_deadline(settings), None);
        } else {
            assert_eq!(events, vec![], "alarm {i} at +{offset}");
            assert_eq!(lc, before, "alarm {i} at +{offset} changed state");
        }
    }
}

#[test]
fn deadline_fires_once_and_only_when_due() {
    let st = settings();
    let msg = |offset| (offset, Command::ContactMessage, Contact);
    // Early, then due, then repeated (at-least-once delivery).
    check_alarms(&st, &[], &[DAY - 1, DAY, DAY, DAY + 1], Some(1));
    // Late alarm closes at its own time.
    check_alarms(&st, &[], &[3 * DAY], Some(0));
    // Stale: activity moved the deadline after the alarm was set.
    check_alarms(
        &st,
        &[msg(HOUR)],
        &[DAY, DAY + HOUR - 1, DAY + HOUR],
        Some(2),
    );
    // Already closed by a person: the alarm is stale.
    check_alarms(&st, &[(HOUR, close(), User)], &[DAY + HOUR, 5 * DAY], None);
    // Auto-close off: never.
    let off = LifecycleSettings {
        auto_close_after: None,
        ..settings()
    };
    check_alarms(&off, &[], &[DAY, 30 * DAY], None);
    // Required note fields do not block the timeout.
    let strict = LifecycleSettings {
        closing_category: NoteRequirement::Required,
        closing_summary: NoteRequirement::Required,
        auto_close_after: Some(AutoCloseAfter::from_millis(30 * MIN).unwrap()),
        ..settings()
    };
    check_alarms(
        &strict,
        &[(MIN, assign("a1"), User)],
        &[30 * MIN, 31 * MIN],
        Some(1),
    );
}

#[test]
fn auto_closed_conversation_reopens_with_new_deadline() {
    let st = settings();
    let mut lc = fresh();
    assert_eq!(lc.on_deadline(&st, T0 + DAY).len(), 1);
    lc.apply(
        Command::ContactMessage,
        actor(Contact),
        Contact,
        &st,
        T0 + 2 * DAY,
    )
    .unwrap();
    assert_eq!(lc.current.number, 2);
    assert_eq!(lc.past[0].closed_by.as_ref().unwrap().source, System);
    assert_eq!(lc.next_deadline(&st), Some(T0 + 3 * DAY));
    assert!(
        lc.on_deadline(&st, T0 + DAY).is_empty(),
        "period 1's alarm again"
    );
}

#[test]
fn auto_close_range() {
    let cases = [
        (0, false),
        (-HOUR, false),
        (30 * MIN - 1, false),
        (30 * MIN, true),
        (DAY, true),
        (14 * DAY, true),
        (14 * DAY + 1, false),
        (Millis::MAX, false),
    ];
    for (ms, ok) in cases {
        let got = AutoCloseAfter::from_millis(ms);
        assert_eq!(got.is_ok(), ok, "{ms}");
        if let Err(e) = got {
            assert_eq!(e, E::AutoCloseOutOfRange { millis: ms });
            assert_eq!(e.code(), ErrorCode::BadRequest);
        }
        let json = serde_json::from_str::<AutoCloseAfter>(&ms.to_string());
        assert_eq!(json.is_ok(), ok, "json {ms}");
    }
    assert_eq!(AutoCloseAfter::default().millis(), DAY);
}

// ---------------------------------------------------------------------------------------------
// Wire shapes and errors

#[test]
fn sources_serialize_snake_case() {
    let cases = [
        (User, "\"user\""),
        (Workflow, "\"workflow\""),
        (Api, "\"api\""),
        (System, "\"system\""),
        (Contact, "\"contact\""),
    ];
    for (source, json) in cases {
        assert_eq!(serde_json::to_string(&source).unwrap(), json);
        assert_eq!(serde_json::from_str::<Source>(json).unwrap(), source);
    }
}

#[test]
fn wire_shapes() {
    let cases: Vec<(serde_json::Value, &str)> = vec![
        (
            serde_json::to_value(actor(User)).unwrap(),
            r#"{"kind":"agent","id":"a1"}"#,
        ),
        (
            serde_json::to_value(Actor::System).unwrap(),
            r#"{"kind":"system"}"#,
        ),
        (
            serde_json::to_value(assign_in("a1", "t1")).unwrap(),
            r#"{"type":"assign","agent_id":"a1","team_id":"t1"}"#,
        ),
        (
            serde_json::to_value(Command::Act(Action::PauseBot)).unwrap(),
            r#"{"type":"pause_bot"}"#,
        ),
        (
            serde_json::to_value(ActivityEvent {
                at: 5,
                source: Workflow,
                actor: actor(Workflow),
                kind: K::Unassigned {
                    previous: "a1".into(),
                },
            })
            .unwrap(),
            r#"{"at":5,"source":"workflow","actor":{"kind":"workflow","id":"wf1"},"kind":{"type":"unassigned","previous":"a1"}}"#,
        ),
        (
            serde_json::to_value(K::Closed {
                note: note(Some("Ventas"), None),
            })
            .unwrap(),
            r#"{"type":"closed","note":{"category":"Ventas","summary":null}}"#,
        ),
    ];
    for (value, json) in cases {
        assert_eq!(
            value,
            serde_json::from_str::<serde_json::Value>(json).unwrap()
        );
    }
    // Commands from the Worker may leave optional parts out.
    let cases = [
        (r#"{"type":"assign","agent_id":"a1"}"#, assign("a1")),
        (r#"{"type":"close"}"#, close()),
        (
            r#"{"type":"close","note":{"category":"Ventas"}}"#,
            Command::Act(Action::Close {
                note: note(Some("Ventas"), None),
            }),
        ),
        (r#"{"type":"contact_message"}"#, Command::ContactMessage),
    ];
    for (json, cmd) in cases {
        assert_eq!(
            serde_json::from_str::<Command>(json).unwrap(),
            cmd,
            "{json}"
        );
    }
}

#[test]
fn settings_from_storage() {
    let cases: Vec<(&str, Option<LifecycleSettings>)> = vec![
        ("{}", Some(LifecycleSettings::default())),
        (
            r#"{"auto_close_after":null}"#,
            Some(LifecycleSettings {
                auto_close_after: None,
                ..LifecycleSettings::default()
            }),
        ),
        (
            r#"{"closing_category":"required","closing_summary":"disabled","categories":["Ventas"],"auto_close_after":1800000}"#,
            Some(LifecycleSettings {
                closing_category: NoteRequirement::Required,
                closing_summary: NoteRequirement::Disabled,
                categories: vec!["Ventas".into()],
                auto_close_after: Some(AutoCloseAfter::from_millis(30 * MIN).unwrap()),
            }),
        ),
        (r#"{"auto_close_after":1000}"#, None),
        (r#"{"closing_category":"sometimes"}"#, None),
    ];
    for (json, expected) in cases {
        assert_eq!(
            serde_json::from_str::<LifecycleSettings>(json).ok(),
            expected,
            "{json}"
        );
    }
    let default = LifecycleSettings::default();
    assert_eq!(
        default.auto_close_after.map(AutoCloseAfter::millis),
        Some(DAY)
    );
    assert_eq!(
        (default.closing_category, default.closing_summary),
        (NoteRequirement::Optional, NoteRequirement::Optional)
    );
}

#[test]
fn lifecycle_round_trips_through_storage() {
    let lc = run(&[
        (Command::ContactMessage, Contact),
        (assign_in("a1", "t1"), Workflow),
        (Command::Act(Action::PauseBot), User),
        (
            Command::Act(Action::Close {
                note: note(Some("Ventas"), Some("ok")),
            }),
            User,
        ),
        (Command::ContactMessage, Contact),
        (Command::AgentMessage, User),
    ]);
    let json = serde_json::to_string(&lc).unwrap();
    assert_eq!(serde_json::from_str::<Lifecycle>(&json).unwrap(), lc);
}

#[test]
fn error_codes_and_messages() {
    #[rustfmt::skip]
    let cases = [
        (E::AlreadyClosed, ErrorCode::BadRequest, "the conversation is already closed"),
        (E::AlreadyOpen, ErrorCode::BadRequest, "the conversation is already open"),
        (E::Closed, ErrorCode::BadRequest, "the conversation is closed; reopen it first"),
        (E::AlreadyAssigned { agent_id: "a1".into() }, ErrorCode::BadRequest, "the conversation is already assigned to a1"),
        (E::AlreadyInTeam { team_id: "t1".into() }, ErrorCode::BadRequest, "the conversation is already in team t1"),
        (E::NotAssigned, ErrorCode::BadRequest, "the conversation is not assigned"),
        (E::BotAlreadyPaused, ErrorCode::BadRequest, "the bot is already paused"),
        (E::BotNotPaused, ErrorCode::BadRequest, "the bot is not paused"),
        (E::NoteFieldRequired(NoteField::Category), ErrorCode::BadRequest, "the closing category is required"),
        (E::NoteFieldRequired(NoteField::Summary), ErrorCode::BadRequest, "the closing summary is required"),
        (E::UnknownCategory("X".into()), ErrorCode::BadRequest, "\"X\" is not one of the workspace's closing categories"),
        (E::SummaryTooLong { chars: 1001, limit: 1000 }, ErrorCode::BadRequest, "the closing summary is 1001 characters; the limit is 1000"),
        (E::NotAllowed { by: Contact }, ErrorCode::Forbidden, "contacts can only send messages"),
    ];
    for (err, code, message) in cases {
        assert_eq!((err.code(), err.to_string().as_str()), (code, message));
    }
}

#[test]
fn a_contact_who_keeps_coming_back_does_not_grow_the_stored_lifecycle() {
    let settings = settings();
    let mut lc = fresh();
    for visit in 0..30 {
        let at = T0 + 1_000 * (visit + 1);
        lc.apply(close(), actor(User), User, &settings, at).unwrap();
        lc.apply(
            Command::ContactMessage,
            actor(Contact),
            Contact,
            &settings,
            at + 500,
        )
        .unwrap();
    }
    assert_eq!(lc.current.number, 31);
    assert_eq!(lc.past.len(), PAST_KEPT);
    assert_eq!(
        lc.periods().map(|p| p.number).collect::<Vec<_>>(),
        (31 - PAST_KEPT as u32..=31).collect::<Vec<_>>(),
        "the newest closed periods, in order, then the current"
    );
    assert!(lc.past.iter().all(|p| p.closed_at.is_some()));
}
