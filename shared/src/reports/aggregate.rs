//! Report views computed over rows in memory: the reference for the SQL in `sql_agg`, and
//! enough on its own for a small workspace or a test.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::query::{ReportQuery, TimeColumn};
use super::row::{ActorKind, ReportRow};
use super::stats::Distribution;
use super::time::{days, local_date};
use super::tracker::average;
use super::ReportError;
use crate::basic::Millis;

/// One local day of the overview charts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayPoint {
    pub date: NaiveDate,
    pub start: Millis,
    pub end: Millis,
    pub opened: u64,
    pub closed: u64,
    /// Of periods closed that day.
    pub messages_in: u64,
    pub messages_out: u64,
    pub first_response: Distribution,
    pub resolution: Distribution,
}

/// Cards and charts over a range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub from: Millis,
    pub to: Millis,
    /// Periods opened in the range.
    pub opened: u64,
    /// Periods closed in the range; every figure below is over these.
    pub closed: u64,
    /// Closed periods a human agent wrote in.
    pub answered: u64,
    pub messages_in: u64,
    pub messages_out: u64,
    pub assignments: u64,
    pub responses: u64,
    pub response_total_ms: i64,
    /// Over every response of every period (not a mean of per-period means).
    pub avg_response_ms: Option<i64>,
    pub first_response: Distribution,
    pub first_assignment_to_response: Distribution,
    pub resolution: Distribution,
    pub first_response_business: Distribution,
    pub resolution_business: Distribution,
    pub days: Vec<DayPoint>,
}

impl Overview {
    pub(crate) fn empty(q: &ReportQuery, tz: Tz) -> Result<Self, ReportError> {
        Ok(Overview {
            from: q.from,
            to: q.to,
            opened: 0,
            closed: 0,
            answered: 0,
            messages_in: 0,
            messages_out: 0,
            assignments: 0,
            responses: 0,
            response_total_ms: 0,
            avg_response_ms: None,
            first_response: Distribution::default(),
            first_assignment_to_response: Distribution::default(),
            resolution: Distribution::default(),
            first_response_business: Distribution::default(),
            resolution_business: Distribution::default(),
            days: days(q.from, q.to, tz)?
                .into_iter()
                .map(|d| DayPoint {
                    date: d.date,
                    start: d.start,
                    end: d.end,
                    opened: 0,
                    closed: 0,
                    messages_in: 0,
                    messages_out: 0,
                    first_response: Distribution::default(),
                    resolution: Distribution::default(),
                })
                .collect(),
        })
    }

    pub(crate) fn day_mut(&mut self, date: NaiveDate) -> Option<&mut DayPoint> {
        self.days.iter_mut().find(|d| d.date == date)
    }
}

/// Per agent, over periods closed in the range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentStats {
    pub agent_id: String,
    /// Periods they were assigned at some point.
    pub assigned: u64,
    /// Periods they closed themselves.
    pub closed: u64,
    pub messages_sent: u64,
    /// Of periods they answered first.
    pub first_response: Distribution,
    /// Of periods they held at close.
    pub resolution: Distribution,
    /// Open conversations assigned to them now (passed in; not a figure of the range).
    pub open_now: u32,
}

/// Per team (at close), over periods closed in the range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamStats {
    /// `None`: periods in no team.
    pub team_id: Option<String>,
    pub closed: u64,
    pub answered: u64,
    pub assignments: u64,
    pub messages_in: u64,
    pub messages_out: u64,
    pub responses: u64,
    pub response_total_ms: i64,
    pub avg_response_ms: Option<i64>,
    pub first_response: Distribution,
    pub first_assignment_to_response: Distribution,
    pub resolution: Distribution,
}

/// The overview cards and per-day charts of `rows` for `q` (filters apply; sort and page
/// do not). Days are local days in `tz`.
pub fn overview(rows: &[ReportRow], q: &ReportQuery, tz: Tz) -> Result<Overview, ReportError> {
    let mut out = Overview::empty(q, tz)?;
    for row in rows
        .iter()
        .filter(|r| q.matches(r, TimeColumn::Opened, true))
    {
        out.opened += 1;
        if let Some(day) = out.day_mut(local_date(row.opened_at, tz)) {
            day.opened += 1;
        }
    }
    let closed: Vec<&ReportRow> = rows
        .iter()
        .filter(|r| q.matches(r, TimeColumn::Closed, true))
        .collect();
    let mut per_day: BTreeMap<NaiveDate, Vec<&ReportRow>> = BTreeMap::new();
    for row in &closed {
        out.closed += 1;
        out.answered += u64::from(row.first_response_at.is_some());
        out.messages_in += u64::from(row.messages_in);
        out.messages_out += u64::from(row.messages_out);
        out.assignments += u64::from(row.assignments);
        out.responses += u64::from(row.responses);
        out.response_total_ms += row.response_total_ms;
        if let Some(at) = row.closed_at {
            per_day.entry(local_date(at, tz)).or_default().push(row);
        }
    }
    out.avg_response_ms = average(out.response_total_ms, out.responses);
    out.first_response = Distribution::of(closed.iter().map(|r| r.first_response_ms));
    out.first_assignment_to_response =
        Distribution::of(closed.iter().map(|r| r.first_assignment_to_response_ms));
    out.resolution = Distribution::of(closed.iter().map(|r| r.resolution_ms));
    out.first_response_business =
        Distribution::of(closed.iter().map(|r| r.first_response_business_ms));
    out.resolution_business = Distribution::of(closed.iter().map(|r| r.resolution_business_ms));
    for (date, rows) in per_day {
        if let Some(day) = out.day_mut(date) {
            day.closed = rows.len() as u64;
            day.messages_in = rows.iter().map(|r| u64::from(r.messages_in)).sum();
            day.messages_out = rows.iter().map(|r| u64::from(r.messages_out)).sum();
            day.first_response = Distribution::of(rows.iter().map(|r| r.first_response_ms));
            day.resolution = Distribution::of(rows.iter().map(|r| r.resolution_ms));
        }
    }
    Ok(out)
}

pub(crate) fn agent_line(agent_id: &str, open_load: &BTreeMap<String, u32>) -> AgentStats {
    AgentStats {
        agent_id: agent_id.to_owned(),
        assigned: 0,
        closed: 0,
        messages_sent: 0,
        first_response: Distribution::default(),
        resolution: Distribution::default(),
        open_now: open_load.get(agent_id).copied().unwrap_or(0),
    }
}

/// One line per agent who took part in a period closed in the range or has open
/// conversations now, by agent id. `q.agent` keeps only that agent's line (an agent sees
/// their own figures); team and category filters apply to the periods.
pub fn leaderboard(
    rows: &[ReportRow],
    q: &ReportQuery,
    open_load: &BTreeMap<String, u32>,
) -> Result<Vec<AgentStats>, ReportError> {
    q.validate()?;
    let closed: Vec<&ReportRow> = rows
        .iter()
        .filter(|r| q.matches(r, TimeColumn::Closed, false))
        .collect();
    let mut ids: BTreeSet<&str> = open_load.keys().map(String::as_str).collect();
    for row in &closed {
        ids.extend(row.agents.keys().map(String::as_str));
        ids.extend(row.assignee_id.as_deref());
        ids.extend(row.first_responder_id.as_deref());
        if row.closed_by_kind == Some(ActorKind::Agent) {
            ids.extend(row.closed_by_id.as_deref());
        }
    }
    let wanted = |id: &str| q.agent.as_deref().is_none_or(|a| a == id);
    Ok(ids
        .into_iter()
        .filter(|id| wanted(id))
        .map(|id| {
            let mut line = agent_line(id, open_load);
            let is = |v: &Option<String>| v.as_deref() == Some(id);
            for row in &closed {
                if let Some(share) = row.agents.get(id) {
                    line.assigned += u64::from(share.assigned);
                    line.messages_sent += u64::from(share.messages);
                }
                if row.closed_by_kind == Some(ActorKind::Agent) && is(&row.closed_by_id) {
                    line.closed += 1;
                }
            }
            line.first_response = Distribution::of(
                closed
                    .iter()
                    .filter(|r| is(&r.first_responder_id))
                    .map(|r| r.first_response_ms),
            );
            line.resolution = Distribution::of(
                closed
                    .iter()
                    .filter(|r| is(&r.assignee_id))
                    .map(|r| r.resolution_ms),
            );
            line
        })
        .collect())
}

/// One line per team at close (and one for "no team"), by team id, "no team" first.
pub fn team_breakdown(rows: &[ReportRow], q: &ReportQuery) -> Result<Vec<TeamStats>, ReportError> {
    q.validate()?;
    let mut groups: BTreeMap<Option<&str>, Vec<&ReportRow>> = BTreeMap::new();
    for row in rows
        .iter()
        .filter(|r| q.matches(r, TimeColumn::Closed, true))
    {
        groups.entry(row.team_id.as_deref()).or_default().push(row);
    }
    Ok(groups
        .into_iter()
        .map(|(team, rows)| {
            let sum = |f: fn(&ReportRow) -> u64| rows.iter().map(|r| f(r)).sum::<u64>();
            let responses = sum(|r| r.responses.into());
            let response_total_ms = rows.iter().map(|r| r.response_total_ms).sum();
            TeamStats {
                team_id: team.map(str::to_owned),
                closed: rows.len() as u64,
                answered: sum(|r| r.first_response_at.is_some().into()),
                assignments: sum(|r| r.assignments.into()),
                messages_in: sum(|r| r.messages_in.into()),
                messages_out: sum(|r| r.messages_out.into()),
                responses,
                response_total_ms,
                avg_response_ms: average(response_total_ms, responses),
                first_response: Distribution::of(rows.iter().map(|r| r.first_response_ms)),
                first_assignment_to_response: Distribution::of(
                    rows.iter().map(|r| r.first_assignment_to_response_ms),
                ),
                resolution: Distribution::of(rows.iter().map(|r| r.resolution_ms)),
            }
        })
        .collect())
}
