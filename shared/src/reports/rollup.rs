//! Daily rollups of report rows, kept up to date as rows are written, and the exact
//! percentile "walks" that go with them.
//!
//! The overview and the leaderboard over a year are sums per local day and per agent plus a
//! few medians and 90th percentiles. Summing 100,000 rows and sorting their durations on every
//! request took over a second of the Workspace DO's single thread, so:
//!
//! - **Sums and counts come from cells**, one per (local day, team, category, assignee) in
//!   `report_days` and per (local day, team, category, agent) in `report_agent_days`, plus
//!   a coarse copy of each with the dimensions folded away ([`Face::Day`]) that unfiltered
//!   views read: a 90-day overview sums 90 rows instead of 100,000. A row's contribution
//!   ([`Rollups::add`]) is subtracted and added again whenever the row is rewritten (an open
//!   period that closes, a late resolution, a renamed category), so a cell always equals the
//!   recomputation over the rows (tested property-style in `tests/rollup.rs`).
//! - **Days are local days of the workspace's time zone**, so they match the overview's charts
//!   whatever the zone, half-hour and 45-minute offsets included. A change of zone rebuilds
//!   the cells once from the rows (the Workspace DO does it in the request that changes the
//!   setting, and on first use after the schema upgrade that introduced them).
//! - **Percentiles stay exact** (nearest rank, as [`super::stats`] defines them): the cells
//!   count each metric's values, which gives the rank `r` of the median and p90; the value at
//!   that rank is read by walking a covering index in value order and stopping at the `r`-th
//!   entry that matches the range and filters ([`Walk`]), from whichever end is nearer. No
//!   sort, no histogram approximation; the cost is the entries walked, at most about half of
//!   the metric's index for a median and a tenth for a p90. Per-day percentiles walk an index
//!   led by the row's local closing day (`closed_day`, kept with the cells), so each reads
//!   only that day's entries.
//!
//! Ranges that do not start and end on local midnights (never produced by the HTTP routes,
//! which take dates) fall back to the row scans of `sql_agg`.

use std::collections::BTreeMap;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::query::ReportQuery;
use super::row::{ActorKind, ReportRow};
use super::sql_agg::PercentileRow;
use super::sql_agg::{AgentClosedRow, AgentShareRow, ClosedDayRow, Metric, OpenedDayRow};
use super::stats::{nearest_rank, MEDIAN, P90};
use super::time::{day_number, day_start, local_date};
use super::{SqlQuery, SqlValue, MAX_BINDS};
use crate::basic::Millis;

/// One migration step: the cells, the `closed_day` column, and the indexes the percentile
/// walks read. Cells start empty; the Workspace DO fills them from existing rows the first
/// time it needs them (see the module docs).
pub const ROLLUP_SCHEMA: &str = "
ALTER TABLE report_rows ADD COLUMN closed_day INTEGER;
CREATE TABLE report_days (
    face INTEGER NOT NULL,
    day INTEGER NOT NULL,
    team TEXT NOT NULL,
    category TEXT NOT NULL,
    assignee TEXT NOT NULL,
    opened INTEGER NOT NULL,
    closed INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    messages_in INTEGER NOT NULL,
    messages_out INTEGER NOT NULL,
    assignments INTEGER NOT NULL,
    responses INTEGER NOT NULL,
    response_total_ms INTEGER NOT NULL,
    n_first_response INTEGER NOT NULL,
    n_first_assignment_to_response INTEGER NOT NULL,
    n_resolution INTEGER NOT NULL,
    n_first_response_business INTEGER NOT NULL,
    n_resolution_business INTEGER NOT NULL,
    PRIMARY KEY (face, day, team, category, assignee)
) WITHOUT ROWID;
CREATE TABLE report_agent_days (
    face INTEGER NOT NULL,
    day INTEGER NOT NULL,
    team TEXT NOT NULL,
    category TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    periods INTEGER NOT NULL,
    assigned INTEGER NOT NULL,
    messages_sent INTEGER NOT NULL,
    closed INTEGER NOT NULL,
    n_first_response INTEGER NOT NULL,
    n_resolution INTEGER NOT NULL,
    PRIMARY KEY (face, day, team, category, agent_id)
) WITHOUT ROWID;
CREATE INDEX report_walk_first_response ON report_rows
    (first_response_ms, closed_at, team_id, category, assignee_id)
    WHERE first_response_ms IS NOT NULL;
CREATE INDEX report_walk_first_assignment_to_response ON report_rows
    (first_assignment_to_response_ms, closed_at, team_id, category, assignee_id)
    WHERE first_assignment_to_response_ms IS NOT NULL;
CREATE INDEX report_walk_resolution ON report_rows
    (resolution_ms, closed_at, team_id, category, assignee_id)
    WHERE resolution_ms IS NOT NULL;
CREATE INDEX report_walk_first_response_business ON report_rows
    (first_response_business_ms, closed_at, team_id, category, assignee_id)
    WHERE first_response_business_ms IS NOT NULL;
CREATE INDEX report_walk_resolution_business ON report_rows
    (resolution_business_ms, closed_at, team_id, category, assignee_id)
    WHERE resolution_business_ms IS NOT NULL;
CREATE INDEX report_walk_day_first_response ON report_rows
    (closed_day, first_response_ms, team_id, category, assignee_id)
    WHERE first_response_ms IS NOT NULL AND closed_day IS NOT NULL;
CREATE INDEX report_walk_day_resolution ON report_rows
    (closed_day, resolution_ms, team_id, category, assignee_id)
    WHERE resolution_ms IS NOT NULL AND closed_day IS NOT NULL;
CREATE INDEX report_walk_responder ON report_rows
    (first_responder_id, first_response_ms, closed_at, team_id, category)
    WHERE first_response_ms IS NOT NULL;
CREATE INDEX report_walk_assignee_resolution ON report_rows
    (assignee_id, resolution_ms, closed_at, team_id, category)
    WHERE resolution_ms IS NOT NULL;
";

/// Metrics the overview's cards show, in [`DayTotals::n`] order.
pub const CARD_METRICS: [Metric; 5] = [
    Metric::FirstResponse,
    Metric::FirstAssignmentToResponse,
    Metric::Resolution,
    Metric::FirstResponseBusiness,
    Metric::ResolutionBusiness,
];

/// Which copy of a cell: the one keyed by every dimension, or the day's (or agent's day's)
/// total with the dimensions folded away, for views without filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Face {
    Dims = 0,
    Day = 1,
}

/// A dimension value as the cells store it: `None` is `''` (SQLite's primary keys treat
/// NULLs as distinct, so an upsert would never find a NULL-keyed cell). Filters never ask
/// for `''` (the routes refuse empty values), so the two never meet.
fn dim(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DayKey {
    pub face: Face,
    pub day: i64,
    pub team: String,
    pub category: String,
    pub assignee: String,
}

/// Sums of one `report_days` cell. `opened` counts periods opened that day; every other
/// figure is over periods closed that day; `n` counts the values of [`CARD_METRICS`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayTotals {
    pub opened: i64,
    pub closed: i64,
    pub answered: i64,
    pub messages_in: i64,
    pub messages_out: i64,
    pub assignments: i64,
    pub responses: i64,
    pub response_total_ms: i64,
    pub n: [i64; 5],
}

impl DayTotals {
    fn values(&self) -> [i64; 13] {
        let [a, b, c, d, e] = self.n;
        [
            self.opened,
            self.closed,
            self.answered,
            self.messages_in,
            self.messages_out,
            self.assignments,
            self.responses,
            self.response_total_ms,
            a,
            b,
            c,
            d,
            e,
        ]
    }

    fn add(&mut self, other: &DayTotals, sign: i64) {
        self.opened += sign * other.opened;
        self.closed += sign * other.closed;
        self.answered += sign * other.answered;
        self.messages_in += sign * other.messages_in;
        self.messages_out += sign * other.messages_out;
        self.assignments += sign * other.assignments;
        self.responses += sign * other.responses;
        self.response_total_ms += sign * other.response_total_ms;
        for (n, o) in self.n.iter_mut().zip(other.n) {
            *n += sign * o;
        }
    }
}

const DAY_COLUMNS: [&str; 13] = [
    "opened",
    "closed",
    "answered",
    "messages_in",
    "messages_out",
    "assignments",
    "responses",
    "response_total_ms",
    "n_first_response",
    "n_first_assignment_to_response",
    "n_resolution",
    "n_first_response_business",
    "n_resolution_business",
];

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AgentKey {
    pub face: Face,
    pub day: i64,
    pub team: String,
    pub category: String,
    pub agent_id: String,
}

/// One agent's part in the periods closed that day. `periods` counts the periods they took
/// part in at all (assigned, wrote, answered first, held at close or closed), which is what
/// puts them on the leaderboard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AgentTotals {
    pub periods: i64,
    pub assigned: i64,
    pub messages_sent: i64,
    pub closed: i64,
    /// Periods they answered first, with a first-response time.
    pub n_first_response: i64,
    /// Periods they held at close, with a resolution time.
    pub n_resolution: i64,
}

impl AgentTotals {
    fn values(&self) -> [i64; 6] {
        [
            self.periods,
            self.assigned,
            self.messages_sent,
            self.closed,
            self.n_first_response,
            self.n_resolution,
        ]
    }

    fn add(&mut self, other: &AgentTotals, sign: i64) {
        self.periods += sign * other.periods;
        self.assigned += sign * other.assigned;
        self.messages_sent += sign * other.messages_sent;
        self.closed += sign * other.closed;
        self.n_first_response += sign * other.n_first_response;
        self.n_resolution += sign * other.n_resolution;
    }
}

const AGENT_COLUMNS: [&str; 6] = [
    "periods",
    "assigned",
    "messages_sent",
    "closed",
    "n_first_response",
    "n_resolution",
];

/// The local day number (days since 1970-01-01) of an instant in `tz`.
pub fn local_day(at: Millis, tz: Tz) -> i64 {
    day_number(local_date(at, tz))
}

/// Cells, or changes to cells: the same type holds both, so a write's change is built in
/// memory ([`Rollups::add`] with -1 for the row as it was, +1 as it is) and applied with
/// [`Rollups::upsert_sql`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rollups {
    pub days: BTreeMap<DayKey, DayTotals>,
    pub agents: BTreeMap<AgentKey, AgentTotals>,
}

impl Rollups {
    /// The cells of `rows`, computed from scratch: what the incremental path must equal.
    pub fn of(rows: &[ReportRow], tz: Tz) -> Rollups {
        let mut out = Rollups::default();
        for row in rows {
            out.add(row, tz, 1);
        }
        out
    }

    /// Add (`sign` 1) or take away (`sign` -1) one row's contribution.
    pub fn add(&mut self, row: &ReportRow, tz: Tz, sign: i64) {
        let (team, category, assignee) =
            (dim(&row.team_id), dim(&row.category), dim(&row.assignee_id));
        let day_cells = |day: i64| {
            [
                DayKey {
                    face: Face::Dims,
                    day,
                    team: team.clone(),
                    category: category.clone(),
                    assignee: assignee.clone(),
                },
                DayKey {
                    face: Face::Day,
                    day,
                    team: String::new(),
                    category: String::new(),
                    assignee: String::new(),
                },
            ]
        };
        let opened = DayTotals {
            opened: 1,
            ..DayTotals::default()
        };
        for key in day_cells(local_day(row.opened_at, tz)) {
            self.days.entry(key).or_default().add(&opened, sign);
        }
        let Some(closed_at) = row.closed_at else {
            return;
        };
        let day = local_day(closed_at, tz);
        let has = |v: Option<i64>| i64::from(v.is_some());
        let closed = DayTotals {
            opened: 0,
            closed: 1,
            answered: has(row.first_response_at),
            messages_in: row.messages_in.into(),
            messages_out: row.messages_out.into(),
            assignments: row.assignments.into(),
            responses: row.responses.into(),
            response_total_ms: row.response_total_ms,
            n: CARD_METRICS.map(|m| has(m.of(row))),
        };
        for key in day_cells(day) {
            self.days.entry(key).or_default().add(&closed, sign);
        }
        for (agent, part) in agent_parts(row) {
            for (face, team, category) in [
                (Face::Dims, team.clone(), category.clone()),
                (Face::Day, String::new(), String::new()),
            ] {
                let key = AgentKey {
                    face,
                    day,
                    team,
                    category,
                    agent_id: agent.to_owned(),
                };
                self.agents.entry(key).or_default().add(&part, sign);
            }
        }
    }

    /// The same cells without the ones that add up to nothing (what a cell that lost its last
    /// row holds); two `Rollups` of the same rows compare equal this way.
    pub fn nonzero(mut self) -> Rollups {
        self.days.retain(|_, t| *t != DayTotals::default());
        self.agents.retain(|_, t| *t != AgentTotals::default());
        self
    }

    /// Statements adding these changes to the stored cells, in one synchronous turn.
    pub fn upsert_sql(&self) -> Vec<SqlQuery> {
        let mut out = Vec::new();
        for (k, t) in &self.days {
            if *t == DayTotals::default() {
                continue;
            }
            let mut binds: Vec<SqlValue> = vec![
                (k.face as i64).into(),
                k.day.into(),
                k.team.as_str().into(),
                k.category.as_str().into(),
                k.assignee.as_str().into(),
            ];
            binds.extend(t.values().map(SqlValue::Int));
            out.push(SqlQuery::new(
                upsert_statement(
                    "report_days",
                    &["face", "day", "team", "category", "assignee"],
                    &DAY_COLUMNS,
                ),
                binds,
            ));
        }
        for (k, t) in &self.agents {
            if *t == AgentTotals::default() {
                continue;
            }
            let mut binds: Vec<SqlValue> = vec![
                (k.face as i64).into(),
                k.day.into(),
                k.team.as_str().into(),
                k.category.as_str().into(),
                k.agent_id.as_str().into(),
            ];
            binds.extend(t.values().map(SqlValue::Int));
            out.push(SqlQuery::new(
                upsert_statement(
                    "report_agent_days",
                    &["face", "day", "team", "category", "agent_id"],
                    &AGENT_COLUMNS,
                ),
                binds,
            ));
        }
        out
    }
}

/// `INSERT … ON CONFLICT DO UPDATE SET c = c + excluded.c`: adds a change to a cell, creating
/// it on first sight. Numbers go through `CAST` because the runtime binds them as REAL.
fn upsert_statement(table: &str, key: &[&str], columns: &[&str]) -> String {
    let all: Vec<&str> = key.iter().chain(columns).copied().collect();
    let values: Vec<String> = key
        .iter()
        .map(|c| match *c {
            "face" | "day" => "CAST(? AS INTEGER)".to_owned(),
            _ => "?".to_owned(),
        })
        .chain(columns.iter().map(|_| "CAST(? AS INTEGER)".to_owned()))
        .collect();
    let sets: Vec<String> = columns
        .iter()
        .map(|c| format!("{c} = {c} + excluded.{c}"))
        .collect();
    format!(
        "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {}",
        all.join(", "),
        values.join(", "),
        key.join(", "),
        sets.join(", ")
    )
}

/// Each agent's part in a closed row, as the leaderboard counts it (see
/// [`super::leaderboard`]: the agents who wrote or were assigned, the assignee at close, the
/// first responder and the closing agent).
fn agent_parts(row: &ReportRow) -> BTreeMap<&str, AgentTotals> {
    let mut out: BTreeMap<&str, AgentTotals> = BTreeMap::new();
    for (id, share) in &row.agents {
        let p = out.entry(id).or_default();
        p.assigned += i64::from(share.assigned);
        p.messages_sent += i64::from(share.messages);
    }
    if let Some(id) = row.assignee_id.as_deref() {
        out.entry(id).or_default().n_resolution += i64::from(row.resolution_ms.is_some());
    }
    if let Some(id) = row.first_responder_id.as_deref() {
        out.entry(id).or_default().n_first_response += i64::from(row.first_response_ms.is_some());
    }
    if row.closed_by_kind == Some(ActorKind::Agent) {
        if let Some(id) = row.closed_by_id.as_deref() {
            out.entry(id).or_default().closed += 1;
        }
    }
    for p in out.values_mut() {
        p.periods = 1;
    }
    out
}

impl Metric {
    /// This metric's value in a row.
    pub(crate) fn of(self, row: &ReportRow) -> Option<i64> {
        match self {
            Metric::FirstResponse => row.first_response_ms,
            Metric::FirstAssignmentToResponse => row.first_assignment_to_response_ms,
            Metric::Resolution => row.resolution_ms,
            Metric::FirstResponseBusiness => row.first_response_business_ms,
            Metric::ResolutionBusiness => row.resolution_business_ms,
        }
    }
}

/// A row of `report_days` summed over the filter, per day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayTotalsRow {
    pub day: i64,
    pub opened: i64,
    pub closed: i64,
    pub answered: i64,
    pub messages_in: i64,
    pub messages_out: i64,
    pub assignments: i64,
    pub responses: i64,
    pub response_total_ms: i64,
    pub n_first_response: i64,
    pub n_first_assignment_to_response: i64,
    pub n_resolution: i64,
    pub n_first_response_business: i64,
    pub n_resolution_business: i64,
}

impl DayTotalsRow {
    fn n(&self, metric: Metric) -> i64 {
        match metric {
            Metric::FirstResponse => self.n_first_response,
            Metric::FirstAssignmentToResponse => self.n_first_assignment_to_response,
            Metric::Resolution => self.n_resolution,
            Metric::FirstResponseBusiness => self.n_first_response_business,
            Metric::ResolutionBusiness => self.n_resolution_business,
        }
    }
}

/// A row of `report_agent_days` summed over the filter, per agent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentTotalsRow {
    pub agent_id: String,
    pub periods: i64,
    pub assigned: i64,
    pub messages_sent: i64,
    pub closed: i64,
    pub n_first_response: i64,
    pub n_resolution: i64,
}

/// Where a percentile's values are: the whole range, one local day, or one agent's periods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkGroup {
    Range,
    Day(i64),
    Agent(String),
}

/// The value at 1-based rank `pos` of the `n` values of `metric` in `group`; the SQL of
/// [`ReportQuery::walk_sql`] answers it, and [`Walk::answer`] turns the value into the
/// [`PercentileRow`] the assembly of `sql_agg` already reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walk {
    pub metric: Metric,
    pub group: WalkGroup,
    pub n: i64,
    pub pos: i64,
}

impl Walk {
    /// The median and p90 walks of `n` values (one walk when both are the same rank).
    pub fn ranks(metric: Metric, group: WalkGroup, n: i64) -> Vec<Walk> {
        let Ok(count) = u64::try_from(n) else {
            return Vec::new();
        };
        if count == 0 {
            return Vec::new();
        }
        let mut ranks = vec![nearest_rank(count, MEDIAN), nearest_rank(count, P90)];
        ranks.dedup();
        ranks
            .into_iter()
            .map(|pos| Walk {
                metric,
                group: group.clone(),
                n,
                pos: i64::try_from(pos).unwrap_or(i64::MAX),
            })
            .collect()
    }

    pub fn answer(&self, value: i64) -> PercentileRow {
        let grp = match &self.group {
            WalkGroup::Range => None,
            WalkGroup::Day(d) => Some(d.to_string()),
            WalkGroup::Agent(a) => Some(a.clone()),
        };
        PercentileRow {
            metric: self.metric,
            grp,
            n: self.n,
            pos: self.pos,
            value,
        }
    }

    /// `(index, WHERE without the range, binds, agent column filtered)`.
    fn index(&self) -> String {
        let m = self.metric.name();
        match (&self.group, self.metric) {
            (WalkGroup::Range, _) => format!("report_walk_{m}"),
            (WalkGroup::Day(_), _) => format!("report_walk_day_{m}"),
            (WalkGroup::Agent(_), Metric::FirstResponse) => "report_walk_responder".to_owned(),
            (WalkGroup::Agent(_), _) => "report_walk_assignee_resolution".to_owned(),
        }
    }

    /// One `(value at the rank)` subquery and its binds: the index is walked from the nearer
    /// end, so a p90 reads a tenth of the entries a forward walk would.
    fn part(&self, q: &ReportQuery) -> (String, Vec<SqlValue>) {
        let col = self.metric.column();
        let mut binds: Vec<SqlValue> = Vec::new();
        let mut w = format!("{col} IS NOT NULL");
        match &self.group {
            WalkGroup::Day(day) => {
                w.push_str(" AND closed_day = CAST(? AS INTEGER)");
                binds.push(SqlValue::Int(*day));
            }
            WalkGroup::Range | WalkGroup::Agent(_) => {
                w.push_str(" AND closed_at >= ? AND closed_at < ?");
                binds.extend([SqlValue::Int(q.from), SqlValue::Int(q.to)]);
            }
        }
        let mut eq = |column: &str, value: Option<&str>| {
            if let Some(v) = value {
                w.push_str(&format!(" AND {column} = ?"));
                binds.push(v.into());
            }
        };
        eq("team_id", q.team.as_deref());
        eq("category", q.category.as_deref());
        match (&self.group, self.metric) {
            (WalkGroup::Agent(a), Metric::FirstResponse) => eq("first_responder_id", Some(a)),
            (WalkGroup::Agent(a), _) => eq("assignee_id", Some(a)),
            _ => eq("assignee_id", q.agent.as_deref()),
        }
        let (dir, offset) = if self.pos - 1 <= self.n - self.pos {
            ("ASC", self.pos - 1)
        } else {
            ("DESC", self.n - self.pos)
        };
        binds.push(SqlValue::Int(offset));
        let sql = format!(
            "(SELECT {col} FROM report_rows INDEXED BY {idx} \
             WHERE {w} ORDER BY {col} {dir} LIMIT 1 OFFSET CAST(? AS INTEGER))",
            idx = self.index(),
        );
        (sql, binds)
    }
}

impl ReportQuery {
    /// The local day numbers `[first, end)` of the range if it starts and ends on local
    /// midnights in `tz` (what the rollups can answer), `None` otherwise.
    pub fn rollup_days(&self, tz: Tz) -> Option<(i64, i64)> {
        let (first, end) = (local_date(self.from, tz), local_date(self.to, tz));
        (day_start(first, tz) == self.from && day_start(end, tz) == self.to)
            .then(|| (day_number(first), day_number(end)))
    }

    fn cell_filter(
        &self,
        days: (i64, i64),
        agent_column: &str,
        agent: bool,
    ) -> (String, Vec<SqlValue>) {
        let filtered =
            self.team.is_some() || self.category.is_some() || (agent && self.agent.is_some());
        let face = if filtered { Face::Dims } else { Face::Day };
        let mut sql =
            "face = CAST(? AS INTEGER) AND day >= CAST(? AS INTEGER) AND day < CAST(? AS INTEGER)"
                .to_owned();
        let mut binds = vec![
            SqlValue::Int(face as i64),
            SqlValue::Int(days.0),
            SqlValue::Int(days.1),
        ];
        let mut eq = |column: &str, value: Option<&str>| {
            if let Some(v) = value {
                sql.push_str(&format!(" AND {column} = ?"));
                binds.push(v.into());
            }
        };
        eq("team", self.team.as_deref());
        eq("category", self.category.as_deref());
        eq(agent_column, self.agent.as_deref());
        (sql, binds)
    }

    /// The overview's per-day sums from `report_days` (rows: [`DayTotalsRow`]); `None` when
    /// the range is not whole local days.
    pub fn overview_totals_sql(&self, tz: Tz) -> Option<SqlQuery> {
        let days = self.rollup_days(tz)?;
        let (w, binds) = self.cell_filter(days, "assignee", true);
        let sums: Vec<String> = DAY_COLUMNS
            .iter()
            .map(|c| format!("SUM({c}) AS {c}"))
            .collect();
        Some(SqlQuery::new(
            format!(
                "SELECT day, {} FROM report_days WHERE {w} GROUP BY day",
                sums.join(", ")
            ),
            binds,
        ))
    }

    /// The leaderboard's per-agent sums from `report_agent_days` (rows: [`AgentTotalsRow`]);
    /// `agent` picks one line, as in [`super::leaderboard`].
    pub fn leaderboard_totals_sql(&self, tz: Tz) -> Option<SqlQuery> {
        let days = self.rollup_days(tz)?;
        let (w, binds) = self.cell_filter(days, "agent_id", false);
        let sums: Vec<String> = AGENT_COLUMNS
            .iter()
            .map(|c| format!("SUM({c}) AS {c}"))
            .collect();
        Some(SqlQuery::new(
            format!(
                "SELECT agent_id, {} FROM report_agent_days WHERE {w} GROUP BY agent_id \
                 HAVING SUM(periods) > 0",
                sums.join(", ")
            ),
            binds,
        ))
    }

    /// Statements answering `walks`, as few as the bind limit allows. Each answers one row
    /// whose columns are the values of its walks, in order (`NULL`: nothing at that rank):
    /// columns, not a `UNION ALL`, because Durable Object SQLite refuses compound selects of
    /// more than a few terms.
    pub fn walk_sql(&self, walks: &[Walk]) -> Vec<SqlQuery> {
        let mut out = Vec::new();
        let mut columns: Vec<String> = Vec::new();
        let mut binds: Vec<SqlValue> = Vec::new();
        let statement = |columns: &mut Vec<String>, binds: &mut Vec<SqlValue>| {
            let sql = format!("SELECT {}", columns.join(", "));
            columns.clear();
            SqlQuery::new(sql, std::mem::take(binds))
        };
        for walk in walks {
            let (s, b) = walk.part(self);
            if binds.len() + b.len() > MAX_BINDS {
                out.push(statement(&mut columns, &mut binds));
            }
            columns.push(format!("{s} AS v{}", columns.len()));
            binds.extend(b);
        }
        if !columns.is_empty() {
            out.push(statement(&mut columns, &mut binds));
        }
        out
    }

    /// The walks of the overview: every card metric over the range and, if `daily`, first
    /// response and resolution per day.
    pub fn overview_walks(&self, totals: &[DayTotalsRow], daily: bool) -> Vec<Walk> {
        let mut out = Vec::new();
        for m in CARD_METRICS {
            let n = totals.iter().map(|t| t.n(m)).sum();
            out.extend(Walk::ranks(m, WalkGroup::Range, n));
        }
        if daily {
            for t in totals {
                for m in [Metric::FirstResponse, Metric::Resolution] {
                    out.extend(Walk::ranks(m, WalkGroup::Day(t.day), t.n(m)));
                }
            }
        }
        out
    }

    /// The walks of the leaderboard: each agent's first responses and resolutions.
    pub fn leaderboard_walks(&self, totals: &[AgentTotalsRow]) -> Vec<Walk> {
        let mut out = Vec::new();
        for t in totals {
            let agent = || WalkGroup::Agent(t.agent_id.clone());
            out.extend(Walk::ranks(
                Metric::FirstResponse,
                agent(),
                t.n_first_response,
            ));
            out.extend(Walk::ranks(Metric::Resolution, agent(), t.n_resolution));
        }
        out
    }
}

/// Walks and their values (the columns of [`ReportQuery::walk_sql`]'s rows, concatenated) as
/// the percentile rows `sql_agg` assembles; a walk that found nothing (a row changed between
/// the statements, which one turn rules out) is dropped.
pub fn walked(walks: &[Walk], values: &[Option<i64>]) -> Vec<PercentileRow> {
    walks
        .iter()
        .zip(values)
        .filter_map(|(walk, value)| Some(walk.answer((*value)?)))
        .collect()
}

/// The rollup totals in the shape of the row-scan statements' rows, for
/// [`super::Overview::from_sql`].
pub fn day_rows(totals: &[DayTotalsRow]) -> (Vec<OpenedDayRow>, Vec<ClosedDayRow>) {
    let opened = totals
        .iter()
        .map(|t| OpenedDayRow {
            day: t.day,
            opened: t.opened,
        })
        .collect();
    let closed = totals
        .iter()
        .map(|t| ClosedDayRow {
            day: t.day,
            closed: t.closed,
            answered: t.answered,
            messages_in: t.messages_in,
            messages_out: t.messages_out,
            assignments: t.assignments,
            responses: t.responses,
            response_total_ms: t.response_total_ms,
        })
        .collect();
    (opened, closed)
}

/// The rollup totals in the shape of the leaderboard statements' rows, for
/// [`super::LeaderboardSql::assemble`].
pub fn agent_rows(totals: &[AgentTotalsRow]) -> (Vec<AgentShareRow>, Vec<AgentClosedRow>) {
    let shares = totals
        .iter()
        .map(|t| AgentShareRow {
            agent_id: t.agent_id.clone(),
            assigned: t.assigned,
            messages_sent: t.messages_sent,
        })
        .collect();
    let closed = totals
        .iter()
        .filter(|t| t.closed > 0)
        .map(|t| AgentClosedRow {
            agent_id: t.agent_id.clone(),
            closed: t.closed,
        })
        .collect();
    (shares, closed)
}

/// The statements that set `closed_day` for rows closed on local day `date` of `tz` (used
/// by a rebuild; a single write sets its own row's).
pub fn closed_day_sql(day: i64, tz: Tz) -> Option<SqlQuery> {
    let date = super::time::date_of_number(day)?;
    let next = date.succ_opt()?;
    Some(SqlQuery::new(
        "UPDATE report_rows SET closed_day = CAST(? AS INTEGER) \
         WHERE closed_at >= ? AND closed_at < ?"
            .into(),
        vec![
            SqlValue::Int(day),
            SqlValue::Int(day_start(date, tz)),
            SqlValue::Int(day_start(next, tz)),
        ],
    ))
}

impl ReportRow {
    /// Sets this row's `closed_day` (after [`Self::upsert_sql`], in the same turn).
    pub fn closed_day_sql(&self, tz: Tz) -> SqlQuery {
        SqlQuery::new(
            "UPDATE report_rows SET closed_day = CAST(? AS INTEGER) \
             WHERE conversation_id = ? AND period = ?"
                .into(),
            vec![
                self.closed_at.map(|t| local_day(t, tz)).into(),
                self.conversation_id.as_str().into(),
                self.period.into(),
            ],
        )
    }
}
