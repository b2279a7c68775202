//! Rollups, property-style: random rows written, rewritten and closed in random order, with
//! a seeded generator (a failure names its seed). The cells kept incrementally must equal the
//! cells recomputed from the final rows, and the figures read from cells must equal the
//! in-memory reference views (`overview`, `leaderboard`) over the same rows.

use std::collections::BTreeMap;

use chrono_tz::Tz;

use super::*;
use crate::lifecycle::Source;
use crate::reports::{
    agent_rows, day_rows, leaderboard, local_day, overview, parse_time_zone, ActorKind, AgentShare,
    AgentTotalsRow, DayTotalsRow, Face, LeaderboardSql, Metric, Overview, ReportQuery, Rollups,
    Walk, WalkGroup, CARD_METRICS,
};

/// xorshift64*: enough randomness for shapes, reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick(&mut self, from: &[&str]) -> Option<String> {
        let i = self.below(from.len() as u64 + 1) as usize;
        from.get(i).map(|s| (*s).to_owned())
    }

    fn maybe(&mut self, percent: u64, max: i64) -> Option<i64> {
        self.chance(percent)
            .then(|| i64::try_from(self.below(max as u64)).unwrap_or(0))
    }
}

const AGENTS: [&str; 4] = ["a1", "a2", "a3", "a4"];
const TEAMS: [&str; 2] = ["t1", "t2"];
const CATEGORIES: [&str; 3] = ["Ventas", "Soporte", "Reclamo"];
/// Ten days starting 2024-03-28 (over Madrid's spring clock change).
const START: Millis = 1_711_584_000_000;

fn open_row(rng: &mut Rng, n: usize) -> ReportRow {
    let opened_at = START + i64::try_from(rng.below(10 * DAY as u64)).unwrap_or(0);
    ReportRow {
        conversation_id: format!("c{n}"),
        period: 1,
        contact_id: format!("v{n}"),
        contact_name: format!("Contact {n}"),
        assignee_id: rng.pick(&AGENTS),
        team_id: rng.pick(&TEAMS),
        opened_at,
        opened_by_kind: ActorKind::Contact,
        opened_by_source: Source::Contact,
        closed_at: None,
        first_assigned_at: None,
        first_response_at: None,
        first_responder_id: None,
        first_response_ms: None,
        first_assignment_to_response_ms: None,
        avg_response_ms: None,
        responses: 0,
        response_total_ms: 0,
        waiting_since: Some(opened_at),
        resolution_ms: None,
        first_response_business_ms: None,
        resolution_business_ms: None,
        messages_in: 1,
        messages_out: 0,
        assignments: 0,
        closed_by_kind: None,
        closed_by_id: None,
        closed_by_source: None,
        category: None,
        summary: None,
        agents: BTreeMap::new(),
        attachments: 0,
    }
}

/// The row as a close (or a later rewrite of the close) might leave it: new owner, team,
/// category, figures and agents, all at random.
fn closed(rng: &mut Rng, row: &ReportRow) -> ReportRow {
    let mut r = row.clone();
    let resolution = i64::try_from(rng.below(3 * DAY as u64)).unwrap_or(0);
    r.closed_at = Some(r.opened_at + resolution);
    r.resolution_ms = Some(resolution);
    r.assignee_id = rng.pick(&AGENTS);
    r.team_id = rng.pick(&TEAMS);
    r.category = rng.pick(&CATEGORIES);
    r.first_response_ms = rng.maybe(80, HOUR);
    r.first_response_at = r.first_response_ms.map(|v| r.opened_at + v);
    r.first_responder_id = r.first_response_ms.and_then(|_| rng.pick(&AGENTS));
    r.first_assignment_to_response_ms = r.first_response_ms.and_then(|_| rng.maybe(70, HOUR));
    r.first_response_business_ms = rng.maybe(30, HOUR);
    r.resolution_business_ms = rng.maybe(30, DAY);
    r.responses = u32::try_from(rng.below(5)).unwrap_or(0);
    r.response_total_ms = i64::from(r.responses) * 1_000;
    r.messages_in = u32::try_from(rng.below(9)).unwrap_or(0) + 1;
    r.messages_out = u32::try_from(rng.below(9)).unwrap_or(0);
    r.assignments = u32::try_from(rng.below(3)).unwrap_or(0);
    let by_agent = rng.chance(70);
    r.closed_by_kind = Some(if by_agent {
        ActorKind::Agent
    } else {
        ActorKind::System
    });
    r.closed_by_id = if by_agent { rng.pick(&AGENTS) } else { None };
    r.agents = BTreeMap::new();
    for a in AGENTS {
        if rng.chance(40) {
            r.agents.insert(
                a.to_owned(),
                AgentShare {
                    assigned: rng.chance(50),
                    messages: u32::try_from(rng.below(6)).unwrap_or(0),
                },
            );
        }
    }
    r
}

/// What the Workspace DO does on a write: the stored row's contribution out, the new one
/// in; a late "open" write after a close changes nothing (as `upsert_sql` decides).
fn write(
    cells: &mut Rollups,
    store: &mut BTreeMap<(String, u32), ReportRow>,
    row: ReportRow,
    tz: Tz,
) {
    let key = (row.conversation_id.clone(), row.period);
    if let Some(old) = store.get(&key) {
        if old.is_closed() && !row.is_closed() {
            return;
        }
        cells.add(old, tz, -1);
    }
    cells.add(&row, tz, 1);
    store.insert(key, row);
}

fn random_history(seed: u64, tz: Tz) -> (Rollups, Vec<ReportRow>) {
    let mut rng = Rng(seed);
    let mut cells = Rollups::default();
    let mut store = BTreeMap::new();
    let mut n = 0;
    for _ in 0..400 {
        let keys: Vec<(String, u32)> = store.keys().cloned().collect();
        let existing = (!keys.is_empty())
            .then(|| keys[rng.below(keys.len() as u64) as usize].clone())
            .and_then(|k| store.get(&k).cloned());
        let row = match (rng.below(4), existing) {
            (0, _) | (_, None) => {
                n += 1;
                open_row(&mut rng, n)
            }
            // A close, or a rewrite of a close (a late resolution, a changed note).
            (1 | 2, Some(old)) => closed(&mut rng, &old),
            // A stale "opened" write arriving after the close.
            (_, Some(old)) => ReportRow {
                closed_at: None,
                ..old
            },
        };
        write(&mut cells, &mut store, row, tz);
    }
    (cells, store.into_values().collect())
}

fn zones() -> [Tz; 3] {
    [
        parse_time_zone("Europe/Madrid").unwrap(),
        parse_time_zone("Asia/Kolkata").unwrap(),
        parse_time_zone("America/Santiago").unwrap(),
    ]
}

#[test]
fn cells_kept_on_every_write_equal_cells_recomputed_from_the_rows() {
    for seed in 1..=30u64 {
        for tz in zones() {
            let (incremental, rows) = random_history(seed, tz);
            assert_eq!(
                incremental.nonzero(),
                Rollups::of(&rows, tz).nonzero(),
                "seed {seed}, {tz}"
            );
        }
    }
}

/// What `overview_totals_sql` sums, in memory.
fn day_totals(cells: &Rollups, q: &ReportQuery, tz: Tz) -> Vec<DayTotalsRow> {
    let (first, end) = q.rollup_days(tz).expect("whole days");
    let filtered = q.team.is_some() || q.category.is_some() || q.agent.is_some();
    let face = if filtered { Face::Dims } else { Face::Day };
    let want = |f: &Option<String>, v: &str| f.as_deref().is_none_or(|f| f == v);
    let mut out: BTreeMap<i64, DayTotalsRow> = BTreeMap::new();
    for (k, t) in &cells.days {
        let wanted = k.face == face
            && (first..end).contains(&k.day)
            && want(&q.team, &k.team)
            && want(&q.category, &k.category)
            && want(&q.agent, &k.assignee);
        if !wanted {
            continue;
        }
        let r = out.entry(k.day).or_insert_with(|| DayTotalsRow {
            day: k.day,
            ..DayTotalsRow::default()
        });
        r.opened += t.opened;
        r.closed += t.closed;
        r.answered += t.answered;
        r.messages_in += t.messages_in;
        r.messages_out += t.messages_out;
        r.assignments += t.assignments;
        r.responses += t.responses;
        r.response_total_ms += t.response_total_ms;
        r.n_first_response += t.n[0];
        r.n_first_assignment_to_response += t.n[1];
        r.n_resolution += t.n[2];
        r.n_first_response_business += t.n[3];
        r.n_resolution_business += t.n[4];
    }
    out.into_values().collect()
}

/// What `leaderboard_totals_sql` sums, in memory.
fn agent_totals(cells: &Rollups, q: &ReportQuery, tz: Tz) -> Vec<AgentTotalsRow> {
    let (first, end) = q.rollup_days(tz).expect("whole days");
    let face = if q.team.is_some() || q.category.is_some() {
        Face::Dims
    } else {
        Face::Day
    };
    let want = |f: &Option<String>, v: &str| f.as_deref().is_none_or(|f| f == v);
    let mut out: BTreeMap<String, AgentTotalsRow> = BTreeMap::new();
    for (k, t) in &cells.agents {
        let wanted = k.face == face
            && (first..end).contains(&k.day)
            && want(&q.team, &k.team)
            && want(&q.category, &k.category)
            && want(&q.agent, &k.agent_id);
        if !wanted {
            continue;
        }
        let r = out
            .entry(k.agent_id.clone())
            .or_insert_with(|| AgentTotalsRow {
                agent_id: k.agent_id.clone(),
                ..AgentTotalsRow::default()
            });
        r.periods += t.periods;
        r.assigned += t.assigned;
        r.messages_sent += t.messages_sent;
        r.closed += t.closed;
        r.n_first_response += t.n_first_response;
        r.n_resolution += t.n_resolution;
    }
    out.into_values().filter(|r| r.periods > 0).collect()
}

/// What a walk reads, in memory: the value at its rank among the rows it covers.
fn walk(rows: &[ReportRow], q: &ReportQuery, tz: Tz, w: &Walk) -> i64 {
    let is = |f: &Option<String>, v: &Option<String>| f.is_none() || f == v;
    let mut values: Vec<i64> = rows
        .iter()
        .filter(|r| {
            let Some(closed_at) = r.closed_at else {
                return false;
            };
            let in_range = match &w.group {
                WalkGroup::Day(d) => local_day(closed_at, tz) == *d,
                _ => q.from <= closed_at && closed_at < q.to,
            };
            let who = match (&w.group, w.metric) {
                (WalkGroup::Agent(a), Metric::FirstResponse) => {
                    r.first_responder_id.as_deref() == Some(a)
                }
                (WalkGroup::Agent(a), _) => r.assignee_id.as_deref() == Some(a),
                _ => is(&q.agent, &r.assignee_id),
            };
            in_range && who && is(&q.team, &r.team_id) && is(&q.category, &r.category)
        })
        .filter_map(|r| w.metric_value(r))
        .collect();
    values.sort_unstable();
    assert_eq!(
        values.len() as i64,
        w.n,
        "the cells counted the walk's values"
    );
    values[usize::try_from(w.pos - 1).unwrap()]
}

impl Walk {
    fn metric_value(&self, row: &ReportRow) -> Option<i64> {
        match self.metric {
            Metric::FirstResponse => row.first_response_ms,
            Metric::FirstAssignmentToResponse => row.first_assignment_to_response_ms,
            Metric::Resolution => row.resolution_ms,
            Metric::FirstResponseBusiness => row.first_response_business_ms,
            Metric::ResolutionBusiness => row.resolution_business_ms,
        }
    }
}

fn queries(tz: Tz) -> Vec<ReportQuery> {
    let date = |d: &str| crate::reports::parse_date(d).unwrap();
    let range = |a: &str, b: &str| {
        crate::reports::DateRange::new(date(a), date(b))
            .unwrap()
            .millis(tz)
    };
    let (from, to) = range("2024-03-29", "2024-04-05");
    let (wide_from, wide_to) = range("2024-03-20", "2024-04-20");
    let base = ReportQuery::new(from, to);
    vec![
        ReportQuery::new(wide_from, wide_to),
        base.clone(),
        ReportQuery {
            agent: Some("a2".into()),
            ..base.clone()
        },
        ReportQuery {
            team: Some("t1".into()),
            ..base.clone()
        },
        ReportQuery {
            team: Some("t2".into()),
            category: Some("Soporte".into()),
            agent: Some("a1".into()),
            ..base
        },
    ]
}

#[test]
fn overview_and_leaderboard_from_cells_equal_the_reference_over_rows() {
    let no_load = BTreeMap::new();
    for seed in 1..=12u64 {
        for tz in zones() {
            let (cells, rows) = random_history(seed, tz);
            for q in queries(tz) {
                let ctx = format!("seed {seed}, {tz}, {q:?}");
                let totals = day_totals(&cells, &q, tz);
                let walks = q.overview_walks(&totals, true);
                let (all, daily): (Vec<_>, Vec<_>) = walks
                    .iter()
                    .map(|w| w.answer(walk(&rows, &q, tz, w)))
                    .partition(|p| p.grp.is_none() && CARD_METRICS.contains(&p.metric));
                let (opened, closed) = day_rows(&totals);
                let got = Overview::from_sql(&q, tz, &opened, &closed, &all, &daily).unwrap();
                assert_eq!(got, overview(&rows, &q, tz).unwrap(), "{ctx}");

                let agents = agent_totals(&cells, &q, tz);
                let walks = q.leaderboard_walks(&agents);
                let percentiles: Vec<_> = walks
                    .iter()
                    .map(|w| w.answer(walk(&rows, &q, tz, w)))
                    .collect();
                let (shares, closers) = agent_rows(&agents);
                let got = LeaderboardSql::assemble(&q, &shares, &closers, &percentiles, &no_load);
                assert_eq!(got, leaderboard(&rows, &q, &no_load).unwrap(), "{ctx}");
            }
        }
    }
}

#[test]
fn a_range_off_local_midnight_is_left_to_the_row_scan() {
    let tz = zones()[0];
    let ReportQuery { from, to, .. } = queries(tz)[1].clone();
    assert!(ReportQuery::new(from, to).rollup_days(tz).is_some());
    assert!(ReportQuery::new(from + HOUR, to).rollup_days(tz).is_none());
    assert!(ReportQuery::new(from, to - MIN)
        .overview_totals_sql(tz)
        .is_none());
}

#[test]
fn walks_read_from_the_nearer_end_and_stay_under_the_bind_limit() {
    let tz = zones()[1];
    let q = ReportQuery {
        team: Some("t1".into()),
        category: Some("Ventas".into()),
        ..queries(tz)[1].clone()
    };
    let walks: Vec<Walk> = (0..200)
        .flat_map(|d| Walk::ranks(Metric::Resolution, WalkGroup::Day(19_800 + d), 10))
        .collect();
    let statements = q.walk_sql(&walks);
    assert!(statements.len() > 1);
    for s in &statements {
        assert!(s.binds.len() <= crate::reports::MAX_BINDS);
    }
    let median = &q.walk_sql(&walks[..1])[0].sql;
    let p90 = &q.walk_sql(&walks[1..2])[0].sql;
    assert!(median.contains("ASC"), "{median}");
    assert!(p90.contains("DESC"), "{p90}");
}
