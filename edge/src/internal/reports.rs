//! The bodies of [`WorkspaceCall::Report`](super::workspace::WorkspaceCall::Report) and
//! `SeedReportRows`: which report, over which range, and the CSV export's pages.

use std::collections::BTreeMap;

use charla_shared::reports::{DateRange, ExportKey, Preset, ReportRow, Sort};
use serde::{Deserialize, Serialize};

/// Which report a [`ReportCall`] asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportView {
    /// One page of closed conversations and the total.
    List,
    Overview,
    /// The agents leaderboard.
    Agents,
    Teams,
    /// One page of the CSV export's rows ([`ExportPage`]), after [`ReportCall::after`]. The
    /// Worker asks page after page while it streams the file, so the Workspace answers other
    /// calls in between.
    Csv,
}

/// The range as the caller picked it. Resolved by the Workspace, not the Worker, because only
/// the Workspace knows its time zone and "today" depends on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RangeSpec {
    Preset {
        preset: Preset,
    },
    /// Local dates `YYYY-MM-DD`, both included.
    Dates {
        from: String,
        to: String,
    },
}

/// A report request as parsed from the query string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportParams {
    pub range: RangeSpec,
    pub agent: Option<String>,
    pub team: Option<String>,
    pub category: Option<String>,
    pub sort: Sort,
    pub page: u32,
    pub page_size: u32,
    /// Per-day median/p90 in the overview: one sort per metric, skippable when the chart is
    /// not shown.
    pub day_percentiles: bool,
}

/// Body of [`WorkspaceCall::Report`]. `viewer` is the verified caller.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportCall {
    pub view: ReportView,
    pub viewer: String,
    pub params: ReportParams,
    /// [`ReportView::Csv`]: the page after this row; `None` asks for the first page and the
    /// export's [`ExportHead`].
    #[serde(default)]
    pub after: Option<ExportKey>,
}

/// Rows per [`ReportView::Csv`] page: one page is one turn of the Workspace DO (a few
/// milliseconds of SQLite; rows cross as JSON text, the Worker writes the CSV).
pub const EXPORT_PAGE_ROWS: u32 = 1_000;
/// Most rows one CSV export holds. 100,000 rows is ~30 MB of CSV: past that a spreadsheet
/// chokes anyway.
pub const EXPORT_MAX_ROWS: u64 = 100_000;

/// Answer of a [`ReportView::Csv`] call.
#[derive(Serialize, Deserialize)]
pub struct ExportPage {
    /// Only on the first page.
    pub head: Option<ExportHead>,
    /// In the list's order; fewer than [`EXPORT_PAGE_ROWS`] on the last page.
    pub rows: Vec<ReportRow>,
}

/// What the file needs besides rows: its name, the zone its times are written in, the names
/// of ids, and how many rows matched when the export started.
#[derive(Serialize, Deserialize)]
pub struct ExportHead {
    pub dates: DateRange,
    pub time_zone: String,
    pub total: u64,
    pub agents: BTreeMap<String, String>,
    pub teams: BTreeMap<String, String>,
    #[serde(default)]
    pub workflows: BTreeMap<String, String>,
}

/// Most rows one dev seeding request may carry (one synchronous turn, one transaction).
pub const DEV_SEED_MAX_ROWS: usize = 5_000;

/// Bulk seeding exists only where `CHARLA_DEV_SEED` is `"1"` (`wrangler dev --var
/// CHARLA_DEV_SEED:1`, as the bench does); never set in production.
pub fn dev_seed_enabled(env: &worker::Env) -> bool {
    let value = env
        .var("CHARLA_DEV_SEED")
        .map(|v| v.to_string())
        .or_else(|_| env.secret("CHARLA_DEV_SEED").map(|v| v.to_string()))
        .unwrap_or_default();
    value == "1"
}

/// Answer of [`WorkspaceCall::SeedReportRows`] (and of the dev route, as it is).
#[derive(Serialize, Deserialize)]
pub struct Seeded {
    pub stored: usize,
}
