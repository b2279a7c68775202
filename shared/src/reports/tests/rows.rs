use super::*;
use crate::reports::{ActorKind, ATTACHMENTS_SCHEMA, ROW_COLUMNS, SCHEMA};

/// The figures a row case checks.
#[derive(Debug, PartialEq)]
struct Figures {
    first_response_ms: Option<i64>,
    first_assignment_to_response_ms: Option<i64>,
    avg_response_ms: Option<i64>,
    resolution_ms: Option<i64>,
    messages: (u32, u32),
    assignments: u32,
    closed_by: (Option<ActorKind>, Option<String>, Option<Source>),
}

fn figures(r: &ReportRow) -> Figures {
    Figures {
        first_response_ms: r.first_response_ms,
        first_assignment_to_response_ms: r.first_assignment_to_response_ms,
        avg_response_ms: r.avg_response_ms,
        resolution_ms: r.resolution_ms,
        messages: (r.messages_in, r.messages_out),
        assignments: r.assignments,
        closed_by: (r.closed_by_kind, r.closed_by_id.clone(), r.closed_by_source),
    }
}

fn by_agent(id: &str) -> (Option<ActorKind>, Option<String>, Option<Source>) {
    (Some(ActorKind::Agent), s(id), Some(Source::User))
}

#[test]
fn period_figures() {
    let workflow = Actor::Workflow { id: "wf1".into() };
    let cases: Vec<(&str, Sim, Figures)> = vec![
        (
            "answered after assignment",
            {
                let mut sim = Sim::new(T0);
                sim.assign("a1", Some("t1"), T0 + MIN)
                    .agent("a1", T0 + 3 * MIN)
                    .close("a1", T0 + HOUR);
                sim
            },
            Figures {
                first_response_ms: Some(3 * MIN),
                first_assignment_to_response_ms: Some(2 * MIN),
                avg_response_ms: Some(3 * MIN),
                resolution_ms: Some(HOUR),
                messages: (1, 1),
                assignments: 1,
                closed_by: by_agent("a1"),
            },
        ),
        (
            "no response yet, still open",
            Sim::new(T0),
            Figures {
                first_response_ms: None,
                first_assignment_to_response_ms: None,
                avg_response_ms: None,
                resolution_ms: None,
                messages: (1, 0),
                assignments: 0,
                closed_by: (None, None, None),
            },
        ),
        (
            "closed by the inactivity timeout without a reply",
            {
                let mut sim = Sim::new(T0);
                sim.assign("a1", None, T0 + MIN).bot(T0 + 2 * MIN);
                let settings = LifecycleSettings::default();
                let deadline = sim.lc.next_deadline(&settings).unwrap();
                assert_eq!(sim.lc.on_deadline(&settings, deadline).len(), 1);
                sim
            },
            Figures {
                first_response_ms: None,
                first_assignment_to_response_ms: None,
                avg_response_ms: None,
                resolution_ms: Some(2 * MIN + DAY),
                messages: (1, 1),
                assignments: 1,
                closed_by: (Some(ActorKind::System), None, Some(Source::System)),
            },
        ),
        (
            "closed by a workflow; workflow and bot messages are no response",
            {
                let mut sim = Sim::new(T0);
                sim.workflow_message(T0 + SEC).bot(T0 + 2 * SEC).close_by(
                    workflow.clone(),
                    Source::Workflow,
                    ClosingNote::default(),
                    T0 + 10 * MIN,
                );
                sim
            },
            Figures {
                first_response_ms: None,
                first_assignment_to_response_ms: None,
                avg_response_ms: None,
                resolution_ms: Some(10 * MIN),
                messages: (1, 2),
                assignments: 0,
                closed_by: (Some(ActorKind::Workflow), s("wf1"), Some(Source::Workflow)),
            },
        ),
        (
            "agent responds before being assigned: 0 after assignment",
            {
                let mut sim = Sim::new(T0);
                sim.agent("a1", T0 + 5 * MIN)
                    .assign("a1", None, T0 + 6 * MIN)
                    .close("a1", T0 + 7 * MIN);
                sim
            },
            Figures {
                first_response_ms: Some(5 * MIN),
                first_assignment_to_response_ms: Some(0),
                avg_response_ms: Some(5 * MIN),
                resolution_ms: Some(7 * MIN),
                messages: (1, 1),
                assignments: 1,
                closed_by: by_agent("a1"),
            },
        ),
        (
            "reassigned: first assignment counts, another agent answers",
            {
                let mut sim = Sim::new(T0);
                sim.assign("a1", None, T0 + MIN)
                    .assign("a2", None, T0 + 10 * MIN)
                    .agent("a2", T0 + 11 * MIN)
                    .contact(T0 + 20 * MIN)
                    .agent("a2", T0 + 24 * MIN)
                    .close("a2", T0 + HOUR);
                sim
            },
            Figures {
                first_response_ms: Some(11 * MIN),
                first_assignment_to_response_ms: Some(10 * MIN),
                avg_response_ms: Some((11 * MIN + 4 * MIN) / 2),
                resolution_ms: Some(HOUR),
                messages: (2, 2),
                assignments: 2,
                closed_by: by_agent("a2"),
            },
        ),
        (
            "never assigned but answered",
            {
                let mut sim = Sim::new(T0);
                sim.agent("a1", T0 + 2 * MIN).close("a1", T0 + 3 * MIN);
                sim
            },
            Figures {
                first_response_ms: Some(2 * MIN),
                first_assignment_to_response_ms: None,
                avg_response_ms: Some(2 * MIN),
                resolution_ms: Some(3 * MIN),
                messages: (1, 1),
                assignments: 0,
                closed_by: by_agent("a1"),
            },
        ),
    ];
    for (name, sim, want) in cases {
        assert_eq!(figures(&sim.row()), want, "{name}");
    }
}

#[test]
fn reopened_conversation_gets_a_row_per_period() {
    let mut sim = Sim::new(T0);
    sim.assign("a1", Some("t1"), T0 + MIN)
        .agent("a1", T0 + 2 * MIN)
        .close_by(
            Actor::Agent { id: "a1".into() },
            Source::User,
            ClosingNote {
                category: s("Ventas"),
                summary: s("Quote sent"),
            },
            T0 + HOUR,
        )
        // The contact writes again the next day: period 2, unassigned, no team.
        .contact(T0 + DAY)
        .contact(T0 + DAY + MIN)
        .assign("a2", None, T0 + DAY + 30 * MIN)
        .agent("a2", T0 + DAY + 45 * MIN)
        .close("a2", T0 + DAY + 2 * HOUR);
    let rows = sim.rows();
    assert_eq!(rows.len(), 2);
    let (first, second) = (&rows[0], &rows[1]);
    assert_eq!((first.period, second.period), (1, 2));
    assert_eq!(
        (first.assignee_id.as_deref(), first.team_id.as_deref()),
        (Some("a1"), Some("t1"))
    );
    assert_eq!(
        (first.category.as_deref(), first.summary.as_deref()),
        (Some("Ventas"), Some("Quote sent"))
    );
    assert_eq!(first.first_response_ms, Some(2 * MIN));
    assert_eq!(first.resolution_ms, Some(HOUR));
    assert_eq!(
        (second.assignee_id.as_deref(), second.team_id.as_deref()),
        (Some("a2"), None)
    );
    assert_eq!(second.opened_at, T0 + DAY);
    assert_eq!(second.opened_by_kind, ActorKind::Contact);
    assert_eq!(second.first_response_ms, Some(45 * MIN));
    assert_eq!(second.first_assignment_to_response_ms, Some(15 * MIN));
    assert_eq!(second.resolution_ms, Some(2 * HOUR));
    assert_eq!((second.messages_in, second.messages_out), (2, 1));
    assert_eq!(
        (second.category.clone(), second.summary.clone()),
        (None, None)
    );
    // The first row is unchanged by anything that happened in the second period.
    let before = {
        let mut only_first = Sim::new(T0);
        only_first
            .assign("a1", Some("t1"), T0 + MIN)
            .agent("a1", T0 + 2 * MIN)
            .close_by(
                Actor::Agent { id: "a1".into() },
                Source::User,
                ClosingNote {
                    category: s("Ventas"),
                    summary: s("Quote sent"),
                },
                T0 + HOUR,
            );
        only_first.row()
    };
    assert_eq!(&before, first);
}

#[test]
fn periods_a_person_opened_have_no_first_response_time() {
    // Reopened from the inbox, then the agent writes: nobody was waiting for them.
    let mut sim = Sim::new(T0);
    sim.close("a1", T0 + MIN)
        .reopen_by_agent("a1", T0 + HOUR)
        .assign("a1", None, T0 + HOUR + MIN)
        .agent("a1", T0 + HOUR + 2 * MIN)
        .contact(T0 + HOUR + 3 * MIN)
        .agent("a1", T0 + HOUR + 5 * MIN)
        .close("a1", T0 + 2 * HOUR);
    let row = sim.row();
    assert_eq!(row.period, 2);
    assert_eq!(
        (row.opened_by_kind, row.opened_by_source),
        (ActorKind::Agent, Source::User)
    );
    assert_eq!(row.first_response_at, Some(T0 + HOUR + 2 * MIN));
    assert_eq!(row.first_response_ms, None);
    assert_eq!(row.first_assignment_to_response_ms, None);
    // Their later answer to the contact still counts as a response.
    assert_eq!((row.responses, row.avg_response_ms), (1, Some(2 * MIN)));

    // An agent writing to a closed conversation opens the next period the same way.
    let mut sim = Sim::new(T0);
    sim.close("a1", T0 + MIN).agent("a1", T0 + HOUR);
    let row = sim.row();
    assert_eq!((row.period, row.first_response_ms), (2, None));
    assert_eq!(row.first_responder_id.as_deref(), Some("a1"));
}

#[test]
fn outgoing_automation_on_a_closed_conversation_is_in_no_period() {
    let mut sim = Sim::new(T0);
    sim.close("a1", T0 + MIN)
        .workflow_message(T0 + HOUR)
        .bot(T0 + 2 * HOUR);
    let rows = sim.rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].messages_out, 0);
}

#[test]
fn waiting_at_close_is_recorded() {
    let mut sim = Sim::new(T0);
    sim.agent("a1", T0 + MIN)
        .contact(T0 + 2 * MIN)
        .close("a1", T0 + 3 * MIN);
    let row = sim.row();
    assert_eq!(row.waiting_since, Some(T0 + 2 * MIN));
    assert_eq!((row.responses, row.first_response_ms), (1, Some(MIN)));
}

#[test]
fn business_hours_variants() {
    // Mon–Fri 09:00–18:00 in Madrid (UTC+1 in early March).
    let day = serde_json::json!([{"from": "09:00", "to": "18:00"}]);
    let hours: crate::schedule::BusinessHours = serde_json::from_value(serde_json::json!({
        "time_zone": "Europe/Madrid",
        "week": {"mon": day, "tue": day, "wed": day, "thu": day, "fri": day}
    }))
    .unwrap();
    // Friday 2024-03-08 17:50 Madrid = 16:50Z; answered Monday 09:05 Madrid = 08:05Z.
    let friday = T0 + 4 * DAY + 7 * HOUR + 50 * MIN;
    let monday = T0 + 7 * DAY - HOUR + 5 * MIN;
    let mut sim = Sim::new(friday);
    sim.agent("a1", monday).close("a1", monday + HOUR);
    let row = sim.rows_with(Some(&hours as &dyn OpenHours)).pop().unwrap();
    assert_eq!(row.first_response_ms, Some(monday - friday));
    assert_eq!(row.first_response_business_ms, Some(15 * MIN));
    assert_eq!(row.resolution_business_ms, Some(15 * MIN + HOUR));
    // Without a schedule the business figures are absent, not equal to wall-clock.
    let row = sim.row();
    assert_eq!(
        (row.first_response_business_ms, row.resolution_business_ms),
        (None, None)
    );
}

#[test]
fn rows_round_trip_through_serde_with_column_names() {
    let mut sim = Sim::new(T0);
    sim.assign("a1", Some("t1"), T0 + MIN)
        .agent("a1", T0 + 2 * MIN)
        .close("a1", T0 + HOUR);
    let row = sim.row();
    let json = serde_json::to_value(&row).unwrap();
    let object = json.as_object().unwrap();
    for column in ROW_COLUMNS {
        assert!(
            object.contains_key(*column),
            "ReportRow lacks column {column}"
        );
        assert!(
            SCHEMA.contains(&format!("    {column} "))
                || ATTACHMENTS_SCHEMA.contains(&format!(" {column} ")),
            "SCHEMA lacks {column}"
        );
    }
    // What `SELECT <ROW_COLUMNS>` returns (no `agents`) deserializes into a row.
    let mut from_sql = object.clone();
    from_sql.remove("agents");
    let back: ReportRow = serde_json::from_value(from_sql.into()).unwrap();
    assert_eq!(
        back,
        ReportRow {
            agents: Default::default(),
            ..row
        }
    );
}

#[test]
fn upsert_statements() {
    let mut sim = Sim::new(T0);
    let open = sim.row().upsert_sql();
    assert_eq!(open.len(), 1, "an open row writes no per-agent lines");
    assert!(open[0]
        .sql
        .contains("WHERE report_rows.closed_at IS NULL OR excluded.closed_at IS NOT NULL"));
    sim.assign("a1", None, T0 + MIN)
        .agent("a2", T0 + 2 * MIN)
        .close("a1", T0 + HOUR);
    let closed = sim.row().upsert_sql();
    assert_eq!(closed.len(), 2 + 2, "row, delete, one line per agent");
    for q in &closed {
        assert_eq!(q.sql.matches('?').count(), q.binds.len(), "{}", q.sql);
        assert!(q.binds.len() <= crate::reports::MAX_BINDS);
    }
    assert_eq!(closed[0].binds.len(), ROW_COLUMNS.len());
}
