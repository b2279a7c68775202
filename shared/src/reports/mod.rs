//! Reports: per-period figures, their storage shape and the maths over them.
//!
//! The Conversation Durable Object feeds a [`ResponseTracker`] with every message of the
//! current period. When a period opens or closes it builds a [`ReportRow`] from the lifecycle
//! [`Period`](crate::lifecycle::Period), the tracker and the contact, and the Workspace Durable
//! Object upserts it with [`ReportRow::upsert_sql`] into the tables of [`SCHEMA`]. Report views
//! then read only those rows: never a message log. Metric definitions, as users read them, are
//! in `docs/REPORTS.md`.
//!
//! # Decisions
//!
//! - **One row per (conversation, period).** A reopened conversation gets a second row; the
//!   first is final once its period closes (the lifecycle never changes a past period), so a
//!   report run yesterday still adds up today.
//! - **Durations are wall-clock milliseconds**, clamped at zero if clocks went backwards. The
//!   business-hours variants ([`OpenHours`]) exist only for first response and resolution
//!   and only when the workspace has a schedule when the period closes.
//! - **Medians and p90 are nearest-rank** ([`stats`]): always a value that really occurred, and
//!   the same in Rust and in SQL, so the two paths can be tested against each other.
//! - **Every figure except "opened" is over periods closed in the range**; "opened" counts
//!   periods opened in the range, still-open ones included because a row is first written
//!   when its period opens.
//! - **SQL is built only from fixed pieces.** User input (agent, team, category, times) always
//!   travels as a bound [`SqlValue`]; sort columns are an enum. No statement binds more than
//!   [`MAX_BINDS`], the Durable Object SQLite limit.
//! - **Aggregation happens in SQLite** ([`ReportQuery::overview_sql`] and friends) so 100,000
//!   rows never cross into wasm; [`overview`], [`leaderboard`] and [`team_breakdown`] compute
//!   the same results over rows in memory and are the reference the SQL was checked against.

mod aggregate;
mod csv;
mod hours;
mod query;
mod rollup;
mod row;
mod sql_agg;
pub mod stats;
mod time;
mod tracker;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;

pub use aggregate::{
    leaderboard, overview, team_breakdown, AgentStats, DayPoint, Overview, TeamStats,
};
/// The zone type report days are counted in, for callers without their own `chrono-tz`.
pub use chrono_tz::Tz;
pub use csv::{csv_cell, csv_header, csv_line, to_csv, CsvNames, CSV_COLUMNS};
pub use hours::OpenHours;
pub use query::{ExportKey, ReportQuery, Sort, SortColumn, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
pub use rollup::{
    agent_rows, closed_day_sql, day_rows, local_day, walked, AgentKey, AgentTotals, AgentTotalsRow,
    DayKey, DayTotals, DayTotalsRow, Face, Rollups, Walk, WalkGroup, CARD_METRICS, ROLLUP_SCHEMA,
};
pub use row::{ActorKind, ReportRow, RowSubject, ATTACHMENTS_SCHEMA, ROW_COLUMNS, SCHEMA};
pub use sql_agg::{
    AgentClosedRow, AgentShareRow, ClosedDayRow, LeaderboardSql, Metric, OpenedDayRow, OverviewSql,
    PercentileRow, TeamRow, TeamSql,
};
pub use stats::Distribution;
pub use time::{
    day_start, days, iso8601, local_date, local_range, parse_date, parse_time_zone, DateRange, Day,
    Preset, MAX_DAYS, MAX_MILLIS, MIN_MILLIS,
};
pub use tracker::{AgentShare, MessageAuthor, ResponseTracker};

/// Most values one statement may bind in Durable Object SQLite.
pub const MAX_BINDS: usize = 100;

/// A value bound to a `?` placeholder. Serializes as the plain JSON value (`42`, `"x"`, `null`)
/// so the edge can hand it to `SqlStorage::exec` without a conversion table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SqlValue {
    Int(i64),
    Text(String),
    Null,
}

impl From<i64> for SqlValue {
    fn from(v: i64) -> Self {
        SqlValue::Int(v)
    }
}

impl From<u32> for SqlValue {
    fn from(v: u32) -> Self {
        SqlValue::Int(v.into())
    }
}

impl From<&str> for SqlValue {
    fn from(v: &str) -> Self {
        SqlValue::Text(v.to_owned())
    }
}

impl From<String> for SqlValue {
    fn from(v: String) -> Self {
        SqlValue::Text(v)
    }
}

impl<T: Into<SqlValue>> From<Option<T>> for SqlValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(SqlValue::Null, Into::into)
    }
}

/// One statement and its bound values, in placeholder order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SqlQuery {
    pub sql: String,
    pub binds: Vec<SqlValue>,
}

impl SqlQuery {
    fn new(sql: String, binds: Vec<SqlValue>) -> Self {
        debug_assert_eq!(
            sql.matches('?').count(),
            binds.len(),
            "placeholders and binds disagree in {sql}"
        );
        debug_assert!(binds.len() <= MAX_BINDS, "too many binds in {sql}");
        SqlQuery { sql, binds }
    }
}

/// Why a report request was refused. All are the caller's fault, hence `bad_request`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("{0:?} is not a date of the form YYYY-MM-DD")]
    BadDate(String),
    #[error("{0:?} is not an IANA time zone name")]
    UnknownTimeZone(String),
    #[error("the range must start before it ends, between 2000-01-01 and 9999-12-31")]
    BadRange,
    #[error("the range covers {days} days; the limit is {limit}")]
    RangeTooLong { days: i64, limit: i64 },
    #[error("page must be at least 1 and page size 1..={max}")]
    BadPage { max: u32 },
}

impl ReportError {
    pub fn code(&self) -> ErrorCode {
        ErrorCode::BadRequest
    }
}

impl From<ReportError> for crate::Error {
    fn from(err: ReportError) -> Self {
        crate::Error::BadRequest(err.to_string())
    }
}
