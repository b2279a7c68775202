//! The closed-conversations list as CSV (RFC 4180).
//!
//! Exports are opened in spreadsheets, where a contact who named themselves
//! `=HYPERLINK("http://evil", "click")` would otherwise become a live formula on a manager's
//! machine. Every text cell that a spreadsheet would read as a formula gets a leading `'`
//! (OWASP's advice); numbers and times are written by us and need none.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono_tz::Tz;

use super::row::{source_str, ActorKind, ReportRow};
use super::time::iso8601;

/// Header cells, in column order. Durations are whole seconds, times ISO 8601 in the
/// workspace's time zone.
pub const CSV_COLUMNS: &[&str] = &[
    "Conversation",
    "Period",
    "Contact",
    "Contact ID",
    "Assignee",
    "Team",
    "Opened at",
    "Closed at",
    "First response (s)",
    "First response after assignment (s)",
    "Average response (s)",
    "Resolution (s)",
    "First response, business hours (s)",
    "Resolution, business hours (s)",
    "Messages in",
    "Messages out",
    "Assignments",
    "Closed by",
    "Closed via",
    "Category",
    "Summary",
    // Last, so a sheet that reads the earlier columns by position reads them as before.
    "Attachments",
];

/// Display names for ids; an id without a name is written as the id.
#[derive(Debug, Clone, Copy)]
pub struct CsvNames<'a> {
    pub agents: &'a BTreeMap<String, String>,
    pub teams: &'a BTreeMap<String, String>,
    pub workflows: &'a BTreeMap<String, String>,
}

/// One cell: formula-looking text defused with `'`, then quoted if it holds a comma, quote,
/// CR or LF (quotes doubled).
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let needs_quotes = text.contains([',', '"', '\r', '\n']);
    if !risky && !needs_quotes {
        return Cow::Borrowed(text);
    }
    let mut cell = String::with_capacity(text.len() + 3);
    if needs_quotes {
        cell.push('"');
    }
    if risky {
        cell.push('\'');
    }
    for c in text.chars() {
        if c == '"' {
            cell.push('"');
        }
        cell.push(c);
    }
    if needs_quotes {
        cell.push('"');
    }
    Cow::Owned(cell)
}

fn line(cells: impl IntoIterator<Item = String>) -> String {
    let mut out = cells.into_iter().collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    out
}

/// The header line, CRLF-terminated.
/// Column names go through the same quoting as cells: two of them hold a comma.
pub fn csv_header() -> String {
    line(CSV_COLUMNS.iter().map(|c| csv_cell(c).into_owned()))
}

/// Milliseconds as whole seconds, rounded half up; empty for no value.
fn seconds(ms: Option<i64>) -> String {
    ms.map(|ms| (ms + 500).div_euclid(1000).to_string())
        .unwrap_or_default()
}

/// One row as a CRLF-terminated line, so the edge can stream an export of any size.
pub fn csv_line(row: &ReportRow, tz: Tz, names: CsvNames<'_>) -> String {
    let text = |s: &str| csv_cell(s).into_owned();
    let named = |map: &BTreeMap<String, String>, id: &Option<String>| {
        id.as_deref()
            .map(|id| text(map.get(id).map_or(id, String::as_str)))
            .unwrap_or_default()
    };
    let closed_by = match (row.closed_by_kind, &row.closed_by_id) {
        (Some(ActorKind::Agent), id) => named(names.agents, id),
        (Some(ActorKind::Workflow), Some(id)) => text(&format!(
            "workflow {}",
            names.workflows.get(id).unwrap_or(id)
        )),
        (Some(kind), Some(id)) => text(&format!("{} {id}", kind.as_str())),
        (Some(kind), None) => kind.as_str().to_owned(),
        (None, _) => String::new(),
    };
    line([
        text(&row.conversation_id),
        row.period.to_string(),
        text(&row.contact_name),
        text(&row.contact_id),
        named(names.agents, &row.assignee_id),
        named(names.teams, &row.team_id),
        iso8601(row.opened_at, tz),
        row.closed_at.map(|t| iso8601(t, tz)).unwrap_or_default(),
        seconds(row.first_response_ms),
        seconds(row.first_assignment_to_response_ms),
        seconds(row.avg_response_ms),
        seconds(row.resolution_ms),
        seconds(row.first_response_business_ms),
        seconds(row.resolution_business_ms),
        row.messages_in.to_string(),
        row.messages_out.to_string(),
        row.assignments.to_string(),
        closed_by,
        row.closed_by_source
            .map(source_str)
            .unwrap_or_default()
            .to_owned(),
        row.category.as_deref().map(text).unwrap_or_default(),
        row.summary.as_deref().map(text).unwrap_or_default(),
        row.attachments.to_string(),
    ])
}

/// Header and every row. The edge may prepend a UTF-8 BOM (`\u{FEFF}`) for Excel, which
/// otherwise misreads accented names.
pub fn to_csv(rows: &[ReportRow], tz: Tz, names: CsvNames<'_>) -> String {
    let mut out = csv_header();
    for row in rows {
        out.push_str(&csv_line(row, tz, names));
    }
    out
}
