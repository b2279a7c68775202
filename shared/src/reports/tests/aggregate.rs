use std::collections::BTreeMap;

use chrono_tz::Tz;

use super::*;
use crate::reports::{
    leaderboard, overview, parse_date, parse_time_zone, team_breakdown, AgentStats, Distribution,
    ReportQuery,
};

pub(super) fn madrid() -> Tz {
    parse_time_zone("Europe/Madrid").unwrap()
}

pub(super) fn at(s: &str) -> Millis {
    chrono::DateTime::parse_from_rfc3339(s)
        .unwrap()
        .timestamp_millis()
}

fn note(category: &str) -> ClosingNote {
    ClosingNote {
        category: s(category),
        summary: None,
    }
}

fn agent_actor(id: &str) -> Actor {
    Actor::Agent { id: id.into() }
}

fn named(id: &str, sim: &Sim) -> Vec<ReportRow> {
    sim.rows()
        .into_iter()
        .map(|mut r| {
            r.conversation_id = id.to_owned();
            r
        })
        .collect()
}

/// Conversations around the spring clock change in Madrid (2024-03-31 is 23 hours long).
/// Expected figures are worked out by hand in the tests below.
pub(super) fn sample_rows() -> Vec<ReportRow> {
    let mut rows = Vec::new();
    // A: opened 03-30, answered by a1 after assignment, closed by a1 (Ventas).
    let t = at("2024-03-30T10:00:00+01:00");
    let mut a = Sim::new(t);
    a.assign("a1", Some("t1"), t + MIN)
        .agent("a1", t + 5 * MIN)
        .close_by(agent_actor("a1"), Source::User, note("Ventas"), t + HOUR);
    rows.extend(named("cA", &a));
    // B: opened 03-31 before the jump, a2 answers unassigned, a workflow closes after it.
    let t = at("2024-03-31T01:30:00+01:00");
    let mut b = Sim::new(t);
    b.agent("a2", t + 10 * MIN).close_by(
        Actor::Workflow { id: "wf1".into() },
        Source::Workflow,
        ClosingNote::default(),
        at("2024-03-31T03:30:00+02:00"),
    );
    rows.extend(named("cB", &b));
    // C: opened late on 03-31, never answered, closed by the system on 04-01 local time
    // (still 03-31 in UTC).
    let t = at("2024-03-31T22:00:00+02:00");
    let mut c = Sim::new(t);
    c.close_by(
        Actor::System,
        Source::System,
        ClosingNote::default(),
        at("2024-04-01T00:30:00+02:00"),
    );
    rows.extend(named("cC", &c));
    // D: opened before the range, closed in it by a1 a day later.
    let t = at("2024-03-29T12:00:00+01:00");
    let mut d = Sim::new(t);
    d.assign("a1", None, t + MIN)
        .agent("a1", t + 2 * MIN)
        .close("a1", t + DAY);
    rows.extend(named("cD", &d));
    // E: opened 04-01 and still open.
    rows.extend(named("cE", &Sim::new(at("2024-04-01T10:00:00+02:00"))));
    // F: two periods. 1: a1 in t1 (Soporte). 2: the contact returns on 04-01; a2 in t2.
    let t = at("2024-03-30T15:00:00+01:00");
    let mut f = Sim::new(t);
    f.assign("a1", Some("t1"), t + MIN)
        .agent("a1", t + 3 * MIN)
        .close_by(
            agent_actor("a1"),
            Source::User,
            note("Soporte"),
            t + 30 * MIN,
        );
    let t = at("2024-04-01T09:00:00+02:00");
    f.contact(t)
        .assign("a2", Some("t2"), t + 5 * MIN)
        .agent("a2", t + 20 * MIN)
        .close("a2", at("2024-04-01T11:00:00+02:00"));
    rows.extend(named("cF", &f));
    rows
}

pub(super) fn range() -> ReportQuery {
    let from = at("2024-03-30T00:00:00+01:00");
    let to = at("2024-04-02T00:00:00+02:00");
    ReportQuery::new(from, to)
}

fn dist(count: u64, median: Millis, p90: Millis) -> Distribution {
    Distribution {
        count,
        median: Some(median),
        p90: Some(p90),
    }
}

#[test]
fn overview_cards_and_days() {
    let o = overview(&sample_rows(), &range(), madrid()).unwrap();
    assert_eq!((o.opened, o.closed, o.answered), (6, 6, 5));
    assert_eq!((o.messages_in, o.messages_out, o.assignments), (6, 5, 4));
    assert_eq!(o.first_response, dist(5, 5 * MIN, 20 * MIN));
    assert_eq!(o.first_assignment_to_response, dist(4, 2 * MIN, 15 * MIN));
    assert_eq!(o.resolution, dist(6, 60 * MIN, DAY));
    assert_eq!(o.first_response_business, Distribution::default());
    // Responses: A 5, B 10, D 2, F1 3, F2 20 minutes.
    assert_eq!((o.responses, o.avg_response_ms), (5, Some(8 * MIN)));
    let days: Vec<_> = o
        .days
        .iter()
        .map(|d| {
            (
                d.date.to_string(),
                (d.end - d.start) / HOUR,
                d.opened,
                d.closed,
            )
        })
        .collect();
    assert_eq!(
        days,
        vec![
            ("2024-03-30".to_owned(), 24, 2, 3),
            ("2024-03-31".to_owned(), 23, 2, 1),
            ("2024-04-01".to_owned(), 24, 2, 2),
        ]
    );
    assert_eq!(o.days[0].first_response, dist(3, 3 * MIN, 5 * MIN));
    assert_eq!(o.days[2].resolution, dist(2, 120 * MIN, 150 * MIN));
    assert_eq!(o.days[2].first_response, dist(1, 20 * MIN, 20 * MIN));
}

#[test]
fn overview_filters() {
    let rows = sample_rows();
    let cases = [
        (
            ReportQuery {
                agent: s("a1"),
                ..range()
            },
            2,
            3,
        ),
        (
            ReportQuery {
                team: s("t1"),
                ..range()
            },
            2,
            2,
        ),
        (
            ReportQuery {
                category: s("Soporte"),
                ..range()
            },
            1,
            1,
        ),
        (
            ReportQuery {
                team: s("nope"),
                ..range()
            },
            0,
            0,
        ),
    ];
    for (q, opened, closed) in cases {
        let o = overview(&rows, &q, madrid()).unwrap();
        assert_eq!((o.opened, o.closed), (opened, closed), "{q:?}");
    }
    // A one-day range of the short day.
    let (from, to) = crate::reports::local_range("2024-03-31", "2024-03-31", madrid()).unwrap();
    let o = overview(&rows, &ReportQuery::new(from, to), madrid()).unwrap();
    assert_eq!((o.opened, o.closed, o.days.len()), (2, 1, 1));
    assert_eq!(o.days[0].date, parse_date("2024-03-31").unwrap());
}

#[test]
fn agents_leaderboard() {
    let open_load = BTreeMap::from([("a1".to_owned(), 2), ("a3".to_owned(), 1)]);
    let lines = leaderboard(&sample_rows(), &range(), &open_load).unwrap();
    let want = vec![
        AgentStats {
            agent_id: "a1".into(),
            assigned: 3,
            closed: 3,
            messages_sent: 3,
            first_response: dist(3, 3 * MIN, 5 * MIN),
            resolution: dist(3, 60 * MIN, DAY),
            open_now: 2,
        },
        AgentStats {
            agent_id: "a2".into(),
            assigned: 1,
            // B was closed by a workflow, not by a2.
            closed: 1,
            messages_sent: 2,
            first_response: dist(2, 10 * MIN, 20 * MIN),
            resolution: dist(1, 120 * MIN, 120 * MIN),
            open_now: 0,
        },
        AgentStats {
            agent_id: "a3".into(),
            assigned: 0,
            closed: 0,
            messages_sent: 0,
            first_response: Distribution::default(),
            resolution: Distribution::default(),
            open_now: 1,
        },
    ];
    assert_eq!(lines, want);
    let own = ReportQuery {
        agent: s("a2"),
        ..range()
    };
    assert_eq!(
        leaderboard(&sample_rows(), &own, &open_load).unwrap(),
        vec![want[1].clone()]
    );
}

#[test]
fn team_breakdown_by_team_at_close() {
    let teams = team_breakdown(&sample_rows(), &range()).unwrap();
    let got: Vec<_> = teams
        .iter()
        .map(|t| (t.team_id.clone(), t.closed, t.answered, t.assignments))
        .collect();
    assert_eq!(
        got,
        vec![(None, 3, 2, 1), (s("t1"), 2, 2, 2), (s("t2"), 1, 1, 1)]
    );
    assert_eq!(teams[0].first_response, dist(2, 2 * MIN, 10 * MIN));
    assert_eq!(teams[1].first_response, dist(2, 3 * MIN, 5 * MIN));
    assert_eq!(
        teams[1].first_assignment_to_response,
        dist(2, 2 * MIN, 4 * MIN)
    );
    assert_eq!(teams[1].resolution, dist(2, 30 * MIN, 60 * MIN));
    assert_eq!(teams[2].avg_response_ms, Some(20 * MIN));
}
