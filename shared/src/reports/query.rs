//! What a report asks for, and the SQL that answers the closed-conversations list.

use serde::{Deserialize, Serialize};

use super::row::{ReportRow, ROW_COLUMNS};
use super::time::check_range;
use super::{ReportError, SqlQuery, SqlValue};
use crate::basic::Millis;
use crate::protocol::Role;

pub const DEFAULT_PAGE_SIZE: u32 = 50;
pub const MAX_PAGE_SIZE: u32 = 200;

/// Columns the closed-conversations table can be sorted by. An enum, not a string, so an
/// unknown name fails to deserialize and no user text reaches `ORDER BY`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortColumn {
    #[default]
    ClosedAt,
    OpenedAt,
    ContactName,
    Assignee,
    Team,
    Category,
    FirstResponse,
    Resolution,
    AvgResponse,
    MessagesIn,
    MessagesOut,
}

impl SortColumn {
    fn sql(self) -> &'static str {
        match self {
            SortColumn::ClosedAt => "closed_at",
            SortColumn::OpenedAt => "opened_at",
            SortColumn::ContactName => "contact_name COLLATE NOCASE",
            SortColumn::Assignee => "assignee_id",
            SortColumn::Team => "team_id",
            SortColumn::Category => "category COLLATE NOCASE",
            SortColumn::FirstResponse => "first_response_ms",
            SortColumn::Resolution => "resolution_ms",
            SortColumn::AvgResponse => "avg_response_ms",
            SortColumn::MessagesIn => "messages_in",
            SortColumn::MessagesOut => "messages_out",
        }
    }
}

impl SortColumn {
    /// Whether every listed (closed) row has a value here.
    fn never_null(self) -> bool {
        matches!(
            self,
            SortColumn::ClosedAt
                | SortColumn::OpenedAt
                | SortColumn::ContactName
                | SortColumn::MessagesIn
                | SortColumn::MessagesOut
        )
    }

    /// The value this column sorts `row` by, as [`ReportQuery::export_page_sql`] binds it.
    pub fn value_of(self, row: &ReportRow) -> SqlValue {
        let text = |v: &Option<String>| SqlValue::from(v.as_deref());
        match self {
            SortColumn::ClosedAt => row.closed_at.into(),
            SortColumn::OpenedAt => row.opened_at.into(),
            SortColumn::ContactName => row.contact_name.as_str().into(),
            SortColumn::Assignee => text(&row.assignee_id),
            SortColumn::Team => text(&row.team_id),
            SortColumn::Category => text(&row.category),
            SortColumn::FirstResponse => row.first_response_ms.into(),
            SortColumn::Resolution => row.resolution_ms.into(),
            SortColumn::AvgResponse => row.avg_response_ms.into(),
            SortColumn::MessagesIn => row.messages_in.into(),
            SortColumn::MessagesOut => row.messages_out.into(),
        }
    }
}

/// Where an export page ends: the last row's sort value and key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportKey {
    pub value: SqlValue,
    pub conversation_id: String,
    pub period: u32,
}

impl ExportKey {
    pub fn after(row: &ReportRow, sort: Sort) -> ExportKey {
        ExportKey {
            value: sort.column.value_of(row),
            conversation_id: row.conversation_id.clone(),
            period: row.period,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sort {
    pub column: SortColumn,
    pub desc: bool,
}

impl Default for Sort {
    /// Newest closes first: what a manager opening the list wants to see.
    fn default() -> Self {
        Sort {
            column: SortColumn::ClosedAt,
            desc: true,
        }
    }
}

fn default_page() -> u32 {
    1
}

fn default_page_size() -> u32 {
    DEFAULT_PAGE_SIZE
}

/// A report request. `from` is included, `to` excluded (UTC ms; [`super::local_range`] and
/// [`super::Preset`] make them from local dates), so consecutive ranges never count a
/// period twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportQuery {
    pub from: Millis,
    pub to: Millis,
    /// Periods held by this agent at close (for the leaderboard: only this agent's line).
    #[serde(default)]
    pub agent: Option<String>,
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub sort: Sort,
    /// 1-based.
    #[serde(default = "default_page")]
    pub page: u32,
    #[serde(default = "default_page_size")]
    pub page_size: u32,
}

/// Which timestamp puts a row in the range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeColumn {
    Opened,
    Closed,
}

impl TimeColumn {
    pub(crate) fn sql(self) -> &'static str {
        match self {
            TimeColumn::Opened => "opened_at",
            TimeColumn::Closed => "closed_at",
        }
    }

    pub(crate) fn of(self, row: &ReportRow) -> Option<Millis> {
        match self {
            TimeColumn::Opened => Some(row.opened_at),
            TimeColumn::Closed => row.closed_at,
        }
    }
}

/// A WHERE clause (without the keyword) and its binds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Where {
    pub sql: String,
    pub binds: Vec<SqlValue>,
}

impl ReportQuery {
    /// A query over `[from, to)` with no filters, first page, default sort.
    pub fn new(from: Millis, to: Millis) -> Self {
        ReportQuery {
            from,
            to,
            agent: None,
            team: None,
            category: None,
            sort: Sort::default(),
            page: 1,
            page_size: DEFAULT_PAGE_SIZE,
        }
    }

    /// The query as `role` may run it: agents see only their own figures, whatever they asked.
    pub fn scoped(mut self, role: &Role, agent_id: &str) -> Self {
        if !role.can_manage() {
            self.agent = Some(agent_id.to_owned());
        }
        self
    }

    pub fn validate(&self) -> Result<(), ReportError> {
        check_range(self.from, self.to)?;
        if self.page == 0 || self.page_size == 0 || self.page_size > MAX_PAGE_SIZE {
            return Err(ReportError::BadPage { max: MAX_PAGE_SIZE });
        }
        Ok(())
    }

    /// Rows in range by `time` with every filter but the agent one, which callers apply
    /// against the column that means "this agent" for them.
    pub(crate) fn filter(&self, time: TimeColumn, agent_column: Option<&str>) -> Where {
        let t = time.sql();
        let mut sql = format!("{t} >= ? AND {t} < ?");
        let mut binds = vec![SqlValue::Int(self.from), SqlValue::Int(self.to)];
        let mut eq = |column: &str, value: &Option<String>| {
            if let Some(v) = value {
                sql.push_str(&format!(" AND {column} = ?"));
                binds.push(v.as_str().into());
            }
        };
        eq("team_id", &self.team);
        eq("category", &self.category);
        if let Some(column) = agent_column {
            eq(column, &self.agent);
        }
        Where { sql, binds }
    }

    /// The same filter in memory, for the `from_rows` aggregations.
    pub(crate) fn matches(&self, row: &ReportRow, time: TimeColumn, agent_filter: bool) -> bool {
        let in_range = time.of(row).is_some_and(|t| self.from <= t && t < self.to);
        let same = |want: &Option<String>, have: &Option<String>| {
            want.as_ref().is_none_or(|w| have.as_ref() == Some(w))
        };
        in_range
            && same(&self.team, &row.team_id)
            && same(&self.category, &row.category)
            && (!agent_filter || same(&self.agent, &row.assignee_id))
    }

    fn order_by(&self) -> String {
        let dir = if self.sort.desc { "DESC" } else { "ASC" };
        // Empty values last either way ("no response yet" is not the fastest response), and
        // the key last so pages never repeat or skip rows that tie.
        format!(
            "ORDER BY {} {dir} NULLS LAST, conversation_id {dir}, period {dir}",
            self.sort.column.sql()
        )
    }

    /// One page of the closed-conversations list; rows deserialize into [`ReportRow`].
    pub fn list_sql(&self) -> Result<SqlQuery, ReportError> {
        self.validate()?;
        let w = self.filter(TimeColumn::Closed, Some("assignee_id"));
        let mut binds = w.binds;
        binds.push(i64::from(self.page_size).into());
        binds.push(((i64::from(self.page) - 1) * i64::from(self.page_size)).into());
        Ok(SqlQuery::new(
            format!(
                "SELECT {} FROM report_rows WHERE {} {} LIMIT ? OFFSET ?",
                ROW_COLUMNS.join(", "),
                w.sql,
                self.order_by()
            ),
            binds,
        ))
    }

    /// How many rows the list has in all (`SELECT COUNT(*) AS total`), for the pager.
    pub fn count_sql(&self) -> Result<SqlQuery, ReportError> {
        self.validate()?;
        let w = self.filter(TimeColumn::Closed, Some("assignee_id"));
        Ok(SqlQuery::new(
            format!("SELECT COUNT(*) AS total FROM report_rows WHERE {}", w.sql),
            w.binds,
        ))
    }

    /// The next `limit` rows of the list after `after` (from the start when `None`), for CSV
    /// export in pages: each page is one short statement keyed by the last row's sort value
    /// and key (keyset paging), so an export of 100,000 rows is many short turns of the
    /// Workspace DO instead of one long one, and no page pays for a deep OFFSET.
    ///
    /// Pages are not one snapshot: a row written between two pages shows up if its place in
    /// the order is still ahead, and one whose sort value moves across the cursor between
    /// pages can be missed or repeated. Closed rows, the only ones listed, keep their place
    /// (a close is final but for a re-sent identical close).
    pub fn export_page_sql(
        &self,
        after: Option<&ExportKey>,
        limit: u32,
    ) -> Result<SqlQuery, ReportError> {
        self.validate()?;
        let w = self.filter(TimeColumn::Closed, Some("assignee_id"));
        let mut sql = w.sql;
        let mut binds = w.binds;
        if let Some(key) = after {
            let e = self.sort.column.sql();
            let op = if self.sort.desc { "<" } else { ">" };
            let tie = format!("(conversation_id, period) {op} (?, ?)");
            let key_binds = [
                SqlValue::from(key.conversation_id.as_str()),
                SqlValue::from(key.period),
            ];
            if key.value == SqlValue::Null {
                sql.push_str(&format!(" AND {e} IS NULL AND {tie}"));
            } else if self.sort.column.never_null() {
                // The redundant bound (`<=`/`>=`) is what lets SQLite start the page inside
                // the column's index instead of sorting every row of the range again; an
                // `OR … IS NULL` would defeat it, and these columns are never NULL.
                sql.push_str(&format!(
                    " AND {e} {op}= ? AND ({e} {op} ? OR ({e} = ? AND {tie}))"
                ));
                binds.extend([key.value.clone(), key.value.clone(), key.value.clone()]);
            } else {
                sql.push_str(&format!(
                    " AND ({e} {op} ? OR ({e} = ? AND {tie}) OR {e} IS NULL)"
                ));
                binds.extend([key.value.clone(), key.value.clone()]);
            }
            binds.extend(key_binds);
        }
        binds.push(i64::from(limit).into());
        Ok(SqlQuery::new(
            format!(
                "SELECT {} FROM report_rows WHERE {sql} {} LIMIT ?",
                ROW_COLUMNS.join(", "),
                self.order_by()
            ),
            binds,
        ))
    }

    /// Every row of the list in order, unpaged: one statement over one cursor, for callers
    /// that take the whole export in one turn.
    pub fn export_sql(&self) -> Result<SqlQuery, ReportError> {
        self.validate()?;
        let w = self.filter(TimeColumn::Closed, Some("assignee_id"));
        Ok(SqlQuery::new(
            format!(
                "SELECT {} FROM report_rows WHERE {} {}",
                ROW_COLUMNS.join(", "),
                w.sql,
                self.order_by()
            ),
            w.binds,
        ))
    }
}
