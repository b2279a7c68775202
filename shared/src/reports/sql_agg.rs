//! The report views as SQLite aggregations, and the assembly of their result rows.
//!
//! For 100,000 rows in range, every statement is one range scan of an index on the time
//! column plus, for percentiles, one sort of the metric's non-null values inside SQLite;
//! only aggregates (a few rows per day, agent or team) cross into wasm.
//!
//! Two Workers facts shape the SQL. SQLite knows no time zones, so per-day buckets come from
//! [`segments`]: one statement per stretch of constant UTC offset, each a plain integer
//! division. And the runtime binds every JavaScript number as a REAL, so any bound number
//! used in arithmetic or returned as a value is wrapped in `CAST(? AS INTEGER)`; otherwise a
//! day number would come back as `19800.0` or a fraction.

use std::collections::BTreeMap;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::aggregate::{agent_line, AgentStats, Overview, TeamStats};
use super::query::{ReportQuery, TimeColumn, Where};
use super::stats::{nearest_rank, Distribution, MEDIAN, P90};
use super::time::{date_of_number, segments, SegmentDay};
use super::tracker::average;
use super::{ReportError, SqlQuery, SqlValue};

/// A duration column that has percentiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    FirstResponse,
    FirstAssignmentToResponse,
    Resolution,
    FirstResponseBusiness,
    ResolutionBusiness,
}

impl Metric {
    pub(crate) fn column(self) -> &'static str {
        match self {
            Metric::FirstResponse => "first_response_ms",
            Metric::FirstAssignmentToResponse => "first_assignment_to_response_ms",
            Metric::Resolution => "resolution_ms",
            Metric::FirstResponseBusiness => "first_response_business_ms",
            Metric::ResolutionBusiness => "resolution_business_ms",
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Metric::FirstResponse => "first_response",
            Metric::FirstAssignmentToResponse => "first_assignment_to_response",
            Metric::Resolution => "resolution",
            Metric::FirstResponseBusiness => "first_response_business",
            Metric::ResolutionBusiness => "resolution_business",
        }
    }
}

/// One row of a percentile statement: the value at 1-based `pos` of `n` sorted values of
/// `metric` in group `grp` (an agent, a team, a day number as text, or none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PercentileRow {
    pub metric: Metric,
    pub grp: Option<String>,
    pub n: i64,
    pub pos: i64,
    pub value: i64,
}

/// `SELECT day, opened`: periods opened per local day number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenedDayRow {
    pub day: i64,
    pub opened: i64,
}

/// Sums over periods closed per local day number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedDayRow {
    pub day: i64,
    pub closed: i64,
    pub answered: i64,
    pub messages_in: i64,
    pub messages_out: i64,
    pub assignments: i64,
    pub responses: i64,
    pub response_total_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentShareRow {
    pub agent_id: String,
    pub assigned: i64,
    pub messages_sent: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentClosedRow {
    pub agent_id: String,
    pub closed: i64,
}

/// Sums over periods closed per team (`None`: no team).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamRow {
    pub team_id: Option<String>,
    pub closed: i64,
    pub answered: i64,
    pub assignments: i64,
    pub messages_in: i64,
    pub messages_out: i64,
    pub responses: i64,
    pub response_total_ms: i64,
}

/// Statements of the overview. Run each, concatenate the rows of each list, and pass them to
/// [`Overview::from_sql`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewSql {
    /// Rows: [`OpenedDayRow`].
    pub opened_by_day: Vec<SqlQuery>,
    /// Rows: [`ClosedDayRow`].
    pub closed_by_day: Vec<SqlQuery>,
    /// Rows: [`PercentileRow`], no group.
    pub percentiles: SqlQuery,
    /// Rows: [`PercentileRow`] grouped by day number.
    pub daily_percentiles: Vec<SqlQuery>,
}

/// Statements of the agents leaderboard, for [`LeaderboardSql::assemble`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderboardSql {
    /// Rows: [`AgentShareRow`].
    pub shares: SqlQuery,
    /// Rows: [`AgentClosedRow`].
    pub closed: SqlQuery,
    /// Rows: [`PercentileRow`], grouped by agent.
    pub percentiles: SqlQuery,
}

/// Statements of the per-team breakdown, for [`TeamSql::assemble`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamSql {
    /// Rows: [`TeamRow`].
    pub totals: SqlQuery,
    /// Rows: [`PercentileRow`], grouped by team.
    pub percentiles: SqlQuery,
}

/// How percentile rows are grouped.
#[derive(Debug, Clone, Copy)]
enum Group {
    None,
    Column(&'static str),
    Day(SegmentDay),
}

/// One percentile statement part: the values at the median and p90 ranks of `metric` per
/// group. Ranks are computed in SQL with the same integer formula as
/// [`nearest_rank`]: `ceil(p * n / 100)` is `(n * p + 99) / 100`.
fn percentile_part(metric: Metric, group: Group, w: &Where) -> (String, Vec<SqlValue>) {
    let mut binds = Vec::new();
    let grp = match group {
        Group::None => "NULL".to_owned(),
        Group::Column(c) => c.to_owned(),
        Group::Day(SegmentDay::Shift(offset)) => {
            binds.push(SqlValue::Int(offset));
            "CAST((closed_at + CAST(? AS INTEGER)) / 86400000 AS TEXT)".to_owned()
        }
        Group::Day(SegmentDay::Fixed(day)) => {
            binds.push(SqlValue::Int(day));
            "CAST(CAST(? AS INTEGER) AS TEXT)".to_owned()
        }
    };
    binds.extend(w.binds.iter().cloned());
    let col = metric.column();
    // One named window for both the row number and the count: two different windows
    // would sort the values twice.
    let sql = format!(
        "SELECT '{name}' AS metric, grp, n, pos, v AS value FROM (\
           SELECT grp, v, ROW_NUMBER() OVER w AS pos, \
                  COUNT(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n \
           FROM (SELECT {grp} AS grp, {col} AS v FROM report_rows \
                 WHERE {filter} AND {col} IS NOT NULL) \
           WINDOW w AS (PARTITION BY grp ORDER BY v)\
         ) WHERE pos = (n * {MEDIAN} + 99) / 100 OR pos = (n * {P90} + 99) / 100",
        name = metric.name(),
        filter = w.sql,
    );
    (sql, binds)
}

fn union(parts: Vec<(String, Vec<SqlValue>)>) -> SqlQuery {
    let mut sql = Vec::new();
    let mut binds = Vec::new();
    for (s, b) in parts {
        sql.push(s);
        binds.extend(b);
    }
    SqlQuery::new(sql.join(" UNION ALL "), binds)
}

fn percentiles(metrics: &[Metric], group: Group, w: &Where) -> SqlQuery {
    union(
        metrics
            .iter()
            .map(|&m| percentile_part(m, group, w))
            .collect(),
    )
}

/// `(SQL expression, binds)` of the local day number of `column` within one segment.
fn day_expr(column: &str, day: SegmentDay) -> (String, SqlValue) {
    match day {
        SegmentDay::Shift(offset) => (
            format!("({column} + CAST(? AS INTEGER)) / 86400000"),
            SqlValue::Int(offset),
        ),
        SegmentDay::Fixed(n) => ("CAST(? AS INTEGER)".to_owned(), SqlValue::Int(n)),
    }
}

/// The query restricted to one segment of its range.
fn narrowed(q: &ReportQuery, start: i64, end: i64) -> ReportQuery {
    ReportQuery {
        from: start,
        to: end,
        ..q.clone()
    }
}

/// Distributions keyed by (metric, group) from percentile rows.
fn distributions(rows: &[PercentileRow]) -> BTreeMap<(Metric, Option<String>), Distribution> {
    let mut out: BTreeMap<(Metric, Option<String>), Distribution> = BTreeMap::new();
    for row in rows {
        let Ok(n) = u64::try_from(row.n) else {
            continue;
        };
        let d = out.entry((row.metric, row.grp.clone())).or_default();
        d.count = n;
        let pos = u64::try_from(row.pos).unwrap_or(0);
        if pos == nearest_rank(n, MEDIAN) {
            d.median = Some(row.value);
        }
        if pos == nearest_rank(n, P90) {
            d.p90 = Some(row.value);
        }
    }
    out
}

/// The line of agent `id`, created on first sight; `None` if `q.agent` names someone else.
fn agent_entry<'a>(
    lines: &'a mut BTreeMap<String, AgentStats>,
    q: &ReportQuery,
    open_load: &BTreeMap<String, u32>,
    id: &str,
) -> Option<&'a mut AgentStats> {
    if q.agent.as_deref().is_some_and(|a| a != id) {
        return None;
    }
    Some(
        lines
            .entry(id.to_owned())
            .or_insert_with(|| agent_line(id, open_load)),
    )
}

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

impl ReportQuery {
    /// The overview as SQL: per-day counts and sums, overall and per-day percentiles. Totals
    /// are the sums of the days, so no statement scans the range twice for them.
    pub fn overview_sql(&self, tz: Tz) -> Result<OverviewSql, ReportError> {
        self.validate()?;
        let mut opened_by_day = Vec::new();
        let mut closed_by_day = Vec::new();
        let mut daily_percentiles = Vec::new();
        for seg in segments(self.from, self.to, tz)? {
            let part = narrowed(self, seg.start, seg.end);
            for (time, select) in [
                (TimeColumn::Opened, "COUNT(*) AS opened"),
                (
                    TimeColumn::Closed,
                    "COUNT(*) AS closed, COUNT(first_response_at) AS answered, \
                     SUM(messages_in) AS messages_in, SUM(messages_out) AS messages_out, \
                     SUM(assignments) AS assignments, SUM(responses) AS responses, \
                     SUM(response_total_ms) AS response_total_ms",
                ),
            ] {
                let w = part.filter(time, Some("assignee_id"));
                let (day, day_bind) = day_expr(time.sql(), seg.day);
                let mut binds = vec![day_bind];
                binds.extend(w.binds);
                let query = SqlQuery::new(
                    format!(
                        "SELECT {day} AS day, {select} FROM report_rows WHERE {} GROUP BY 1",
                        w.sql
                    ),
                    binds,
                );
                match time {
                    TimeColumn::Opened => opened_by_day.push(query),
                    TimeColumn::Closed => closed_by_day.push(query),
                }
            }
            daily_percentiles.push(percentiles(
                &[Metric::FirstResponse, Metric::Resolution],
                Group::Day(seg.day),
                &part.filter(TimeColumn::Closed, Some("assignee_id")),
            ));
        }
        let all = [
            Metric::FirstResponse,
            Metric::FirstAssignmentToResponse,
            Metric::Resolution,
            Metric::FirstResponseBusiness,
            Metric::ResolutionBusiness,
        ];
        Ok(OverviewSql {
            opened_by_day,
            closed_by_day,
            percentiles: percentiles(
                &all,
                Group::None,
                &self.filter(TimeColumn::Closed, Some("assignee_id")),
            ),
            daily_percentiles,
        })
    }

    /// The leaderboard as SQL. As in [`super::leaderboard`], `agent` picks one agent's line
    /// rather than filtering periods by assignee.
    pub fn leaderboard_sql(&self) -> Result<LeaderboardSql, ReportError> {
        self.validate()?;
        let rows = self.filter(TimeColumn::Closed, None);
        let mut binds = rows.binds.clone();
        let share_only = match &self.agent {
            Some(a) => {
                binds.push(a.as_str().into());
                " AND agent_id = ?"
            }
            None => "",
        };
        let shares = SqlQuery::new(
            format!(
                "SELECT agent_id, SUM(assigned) AS assigned, SUM(messages_sent) AS messages_sent \
                 FROM report_row_agents WHERE {}{share_only} GROUP BY agent_id",
                rows.sql
            ),
            binds,
        );
        let mut binds = rows.binds.clone();
        let closed_only = match &self.agent {
            Some(a) => {
                binds.push(a.as_str().into());
                " AND closed_by_id = ?"
            }
            None => "",
        };
        let closed = SqlQuery::new(
            format!(
                "SELECT closed_by_id AS agent_id, COUNT(*) AS closed FROM report_rows \
                 WHERE {} AND closed_by_kind = 'agent'{closed_only} GROUP BY closed_by_id",
                rows.sql
            ),
            binds,
        );
        let by = |column: &'static str| self.filter(TimeColumn::Closed, Some(column));
        let percentiles = union(vec![
            percentile_part(
                Metric::FirstResponse,
                Group::Column("first_responder_id"),
                &by("first_responder_id"),
            ),
            percentile_part(
                Metric::Resolution,
                Group::Column("assignee_id"),
                &by("assignee_id"),
            ),
        ]);
        Ok(LeaderboardSql {
            shares,
            closed,
            percentiles,
        })
    }

    /// The per-team breakdown as SQL.
    pub fn team_sql(&self) -> Result<TeamSql, ReportError> {
        self.validate()?;
        let w = self.filter(TimeColumn::Closed, Some("assignee_id"));
        let totals = SqlQuery::new(
            format!(
                "SELECT team_id, COUNT(*) AS closed, COUNT(first_response_at) AS answered, \
                 SUM(assignments) AS assignments, SUM(messages_in) AS messages_in, \
                 SUM(messages_out) AS messages_out, SUM(responses) AS responses, \
                 SUM(response_total_ms) AS response_total_ms \
                 FROM report_rows WHERE {} GROUP BY team_id",
                w.sql
            ),
            w.binds.clone(),
        );
        let percentiles = percentiles(
            &[
                Metric::FirstResponse,
                Metric::FirstAssignmentToResponse,
                Metric::Resolution,
            ],
            Group::Column("team_id"),
            &w,
        );
        Ok(TeamSql {
            totals,
            percentiles,
        })
    }
}

impl Overview {
    /// Assemble the overview from the rows of [`ReportQuery::overview_sql`]'s statements.
    pub fn from_sql(
        q: &ReportQuery,
        tz: Tz,
        opened: &[OpenedDayRow],
        closed: &[ClosedDayRow],
        percentiles: &[PercentileRow],
        daily_percentiles: &[PercentileRow],
    ) -> Result<Overview, ReportError> {
        q.validate()?;
        let mut out = Overview::empty(q, tz)?;
        for row in opened {
            out.opened += count(row.opened);
            if let Some(day) = date_of_number(row.day).and_then(|d| out.day_mut(d)) {
                day.opened += count(row.opened);
            }
        }
        for row in closed {
            out.closed += count(row.closed);
            out.answered += count(row.answered);
            out.messages_in += count(row.messages_in);
            out.messages_out += count(row.messages_out);
            out.assignments += count(row.assignments);
            out.responses += count(row.responses);
            out.response_total_ms += row.response_total_ms;
            if let Some(day) = date_of_number(row.day).and_then(|d| out.day_mut(d)) {
                day.closed += count(row.closed);
                day.messages_in += count(row.messages_in);
                day.messages_out += count(row.messages_out);
            }
        }
        out.avg_response_ms = average(out.response_total_ms, out.responses);
        let overall = distributions(percentiles);
        let get = |m: Metric| overall.get(&(m, None)).copied().unwrap_or_default();
        out.first_response = get(Metric::FirstResponse);
        out.first_assignment_to_response = get(Metric::FirstAssignmentToResponse);
        out.resolution = get(Metric::Resolution);
        out.first_response_business = get(Metric::FirstResponseBusiness);
        out.resolution_business = get(Metric::ResolutionBusiness);
        for ((metric, grp), d) in distributions(daily_percentiles) {
            let date = grp
                .and_then(|g| g.parse::<i64>().ok())
                .and_then(date_of_number);
            let Some(day) = date.and_then(|d| out.day_mut(d)) else {
                continue;
            };
            match metric {
                Metric::FirstResponse => day.first_response = d,
                Metric::Resolution => day.resolution = d,
                _ => {}
            }
        }
        Ok(out)
    }
}

impl LeaderboardSql {
    /// Agents' lines from the statements' rows, by agent id; agents with open conversations
    /// now get a line even with nothing in the range (unless `q.agent` names someone else).
    pub fn assemble(
        q: &ReportQuery,
        shares: &[AgentShareRow],
        closed: &[AgentClosedRow],
        percentiles: &[PercentileRow],
        open_load: &BTreeMap<String, u32>,
    ) -> Vec<AgentStats> {
        let mut lines: BTreeMap<String, AgentStats> = BTreeMap::new();
        for id in open_load.keys() {
            agent_entry(&mut lines, q, open_load, id);
        }
        for row in shares {
            if let Some(l) = agent_entry(&mut lines, q, open_load, &row.agent_id) {
                l.assigned += count(row.assigned);
                l.messages_sent += count(row.messages_sent);
            }
        }
        for row in closed {
            if let Some(l) = agent_entry(&mut lines, q, open_load, &row.agent_id) {
                l.closed += count(row.closed);
            }
        }
        for ((metric, grp), d) in distributions(percentiles) {
            let Some(id) = grp else { continue };
            let Some(l) = agent_entry(&mut lines, q, open_load, &id) else {
                continue;
            };
            match metric {
                Metric::FirstResponse => l.first_response = d,
                Metric::Resolution => l.resolution = d,
                _ => {}
            }
        }
        lines.into_values().collect()
    }
}

impl TeamSql {
    /// Teams' lines from the statements' rows, by team id, "no team" first.
    pub fn assemble(totals: &[TeamRow], percentiles: &[PercentileRow]) -> Vec<TeamStats> {
        let dists = distributions(percentiles);
        let mut out: Vec<TeamStats> = totals
            .iter()
            .map(|t| {
                let get = |m: Metric| {
                    dists
                        .get(&(m, t.team_id.clone()))
                        .copied()
                        .unwrap_or_default()
                };
                TeamStats {
                    team_id: t.team_id.clone(),
                    closed: count(t.closed),
                    answered: count(t.answered),
                    assignments: count(t.assignments),
                    messages_in: count(t.messages_in),
                    messages_out: count(t.messages_out),
                    responses: count(t.responses),
                    response_total_ms: t.response_total_ms,
                    avg_response_ms: average(t.response_total_ms, count(t.responses)),
                    first_response: get(Metric::FirstResponse),
                    first_assignment_to_response: get(Metric::FirstAssignmentToResponse),
                    resolution: get(Metric::Resolution),
                }
            })
            .collect();
        out.sort_by(|a, b| a.team_id.cmp(&b.team_id));
        out
    }
}
