//! Reports in the Workspace DO (`charla_shared::reports`): one row per conversation period,
//! written when a period opens and when it closes, and every report view answered from those
//! rows with the core's SQL builders, so report queries never read message logs and 100,000
//! rows never cross into wasm (only aggregates do; the CSV export is the one exception, and it
//! goes out in chunks).
//!
//! The Worker checks the token first and names the caller; the caller's role is read here from
//! the agents table, so a demotion applies at once. Rows come from the Conversation DOs
//! (`ReportRow`); a `Report` call answers JSON, or `text/csv` for the export; bulk rows for
//! benches are taken only with `CHARLA_DEV_SEED=1`.

use std::collections::BTreeMap;

use charla_shared::reports::{
    csv_cell, csv_line, parse_date, parse_time_zone, AgentClosedRow, AgentShareRow, AgentStats,
    ClosedDayRow, CsvNames, DateRange, LeaderboardSql, OpenHours, OpenedDayRow, Overview,
    PercentileRow, ReportError, ReportQuery, ReportRow, SqlQuery, TeamRow, TeamSql, TeamStats,
    CSV_COLUMNS, ROW_COLUMNS,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::{Headers, Response, ResponseBody, SqlStorageValue};

use super::store::Workspace;
use crate::error::{EdgeError, Result};
use crate::ids::now_millis;
use crate::internal::workspace::{
    dev_seed_enabled, RangeSpec, ReportCall, ReportView, WorkspaceSettings, DEV_SEED_MAX_ROWS,
};
use crate::sql::binds;

/// Reports count days in this zone until an owner or manager picks one.
const DEFAULT_TIME_ZONE: &str = "UTC";
/// Most rows one CSV export holds. 100,000 rows is ~30 MB of CSV: past that a spreadsheet
/// chokes anyway, and the Durable Object's memory and CPU budget is the real ceiling.
const EXPORT_MAX_ROWS: usize = 100_000;
/// CSV is handed to the runtime in pieces of about this size, so the wasm heap never holds
/// the whole export (it cannot shrink back once grown).
const CSV_CHUNK_BYTES: usize = 256 * 1024;

/// What every report answer says about the range it covers, so the inbox can show "1–7 March
/// (Europe/Madrid)" for a preset without doing time-zone maths itself.
#[derive(Debug, Clone, Serialize)]
struct Scope {
    /// `first`, `last`: the local dates, both included.
    #[serde(flatten)]
    dates: DateRange,
    time_zone: String,
    /// The agent filter applied: always the caller for role `agent`.
    agent: Option<String>,
}

#[derive(Serialize)]
struct ListAnswer {
    rows: Vec<ReportRow>,
    total: u64,
    page: u32,
    page_size: u32,
    from: i64,
    to: i64,
    #[serde(flatten)]
    scope: Scope,
}

#[derive(Serialize)]
struct OverviewAnswer {
    #[serde(flatten)]
    overview: Overview,
    #[serde(flatten)]
    scope: Scope,
}

#[derive(Serialize)]
struct AgentsAnswer {
    agents: Vec<AgentStats>,
    from: i64,
    to: i64,
    #[serde(flatten)]
    scope: Scope,
}

#[derive(Serialize)]
struct TeamsAnswer {
    teams: Vec<TeamStats>,
    from: i64,
    to: i64,
    #[serde(flatten)]
    scope: Scope,
}

#[derive(Deserialize)]
struct Total {
    total: i64,
}

#[derive(Deserialize)]
struct NameRow {
    id: String,
    name: String,
}

/// A refused report request is the caller's fault: 400 with the core's message.
pub(super) fn bad(err: ReportError) -> EdgeError {
    EdgeError::BadRequest(err.to_string())
}

/// Reports are private figures: never kept by a browser or proxy cache.
fn no_store(resp: Response) -> Result<Response> {
    let headers = Headers::new();
    for (k, v) in resp.headers().entries() {
        headers.set(&k, &v)?;
    }
    headers.set("Cache-Control", "no-store")?;
    Ok(resp.with_headers(headers))
}

fn json<T: Serialize>(value: &T) -> Result<Response> {
    no_store(Response::from_json(value)?)
}

impl Workspace {
    /// Upsert one row: every statement in one synchronous turn, so they commit together.
    /// The contact's current display name wins over the visitor label the conversation knows.
    fn store_report_row(&self, mut row: ReportRow) -> Result<()> {
        if let Some(name) = self.contact_display_name(&row.contact_id)? {
            row.contact_name = name;
        }
        for q in row.upsert_sql() {
            self.sql().exec(&q.sql, binds(&q.binds))?;
        }
        Ok(())
    }

    /// A period's row from a Conversation DO, its business-hours figures counted here (the
    /// Workspace holds the schedule).
    pub(super) fn receive_report_row(&self, mut row: ReportRow) -> Result<()> {
        let hours = self.business_hours()?;
        row.count_business_hours(hours.as_ref().map(|h| h as &dyn OpenHours));
        self.store_report_row(row)
    }

    pub(super) fn set_workspace_settings(
        &self,
        settings: WorkspaceSettings,
    ) -> Result<WorkspaceSettings> {
        parse_time_zone(&settings.time_zone).map_err(bad)?;
        self.put_setting("time_zone", &settings.time_zone)?;
        Ok(settings)
    }

    /// The workspace's IANA time zone: report days are its local days.
    pub(super) fn time_zone(&self) -> Result<String> {
        Ok(self
            .setting("time_zone")?
            .unwrap_or_else(|| DEFAULT_TIME_ZONE.to_owned()))
    }

    /// Store a batch of rows in one synchronous turn (one transaction). Dev only (see
    /// [`dev_seed_enabled`]): real rows come from Conversation DOs one at a time; this is how
    /// the bench gets 100,000 of them.
    pub(super) fn seed_report_rows(&self, rows: &[ReportRow]) -> Result<usize> {
        if !dev_seed_enabled(&self.env) {
            return Err(EdgeError::NotFound("no such report route".into()));
        }
        if rows.len() > DEV_SEED_MAX_ROWS {
            return Err(EdgeError::BadRequest(format!(
                "at most {DEV_SEED_MAX_ROWS} rows per request"
            )));
        }
        let sql = self.sql();
        for row in rows {
            for q in row.upsert_sql() {
                sql.exec(&q.sql, binds(&q.binds))?;
            }
        }
        Ok(rows.len())
    }

    fn fetch_rows<T: DeserializeOwned>(&self, q: &SqlQuery) -> Result<Vec<T>> {
        Ok(self.sql().exec(&q.sql, binds(&q.binds))?.to_array()?)
    }

    /// The rows of several statements, concatenated (per-segment statements of one list).
    fn fetch_all<T: DeserializeOwned>(&self, queries: &[SqlQuery]) -> Result<Vec<T>> {
        let mut out = Vec::new();
        for q in queries {
            out.extend(self.fetch_rows(q)?);
        }
        Ok(out)
    }

    fn report_total(&self, q: &ReportQuery) -> Result<u64> {
        let rows: Vec<Total> = self.fetch_rows(&q.count_sql().map_err(bad)?)?;
        Ok(rows
            .first()
            .map_or(0, |t| u64::try_from(t.total).unwrap_or(0)))
    }

    /// The query the caller may run, and what it covers. Every statement of one answer then
    /// runs in this same synchronous turn, so a list page and its total always agree.
    fn resolve(&self, call: &ReportCall) -> Result<(ReportQuery, Scope)> {
        let viewer = self.viewer(&call.viewer)?;
        let time_zone = self.time_zone()?;
        let tz = parse_time_zone(&time_zone).map_err(bad)?;
        let p = &call.params;
        let dates = match &p.range {
            RangeSpec::Preset { preset } => preset.dates(now_millis(), tz),
            RangeSpec::Dates { from, to } => {
                DateRange::new(parse_date(from).map_err(bad)?, parse_date(to).map_err(bad)?)
                    .map_err(bad)?
            }
        };
        let (from, to) = dates.millis(tz);
        let q = ReportQuery {
            agent: p.agent.clone(),
            team: p.team.clone(),
            category: p.category.clone(),
            sort: p.sort,
            page: p.page,
            page_size: p.page_size,
            ..ReportQuery::new(from, to)
        }
        .scoped(&viewer.role, &viewer.id);
        q.validate().map_err(bad)?;
        let scope = Scope {
            dates,
            time_zone,
            agent: q.agent.clone(),
        };
        Ok((q, scope))
    }

    pub(super) fn report(&self, call: &ReportCall) -> Result<Response> {
        let (q, scope) = self.resolve(call)?;
        let tz = parse_time_zone(&scope.time_zone).map_err(bad)?;
        match call.view {
            ReportView::List => {
                let rows: Vec<ReportRow> = self.fetch_rows(&q.list_sql().map_err(bad)?)?;
                json(&ListAnswer {
                    rows,
                    total: self.report_total(&q)?,
                    page: q.page,
                    page_size: q.page_size,
                    from: q.from,
                    to: q.to,
                    scope,
                })
            }
            ReportView::Overview => {
                let s = q.overview_sql(tz).map_err(bad)?;
                let opened: Vec<OpenedDayRow> = self.fetch_all(&s.opened_by_day)?;
                let closed: Vec<ClosedDayRow> = self.fetch_all(&s.closed_by_day)?;
                let percentiles: Vec<PercentileRow> = self.fetch_rows(&s.percentiles)?;
                let daily: Vec<PercentileRow> = if call.params.day_percentiles {
                    self.fetch_all(&s.daily_percentiles)?
                } else {
                    Vec::new()
                };
                let overview = Overview::from_sql(&q, tz, &opened, &closed, &percentiles, &daily)
                    .map_err(bad)?;
                json(&OverviewAnswer { overview, scope })
            }
            ReportView::Agents => {
                let s = q.leaderboard_sql().map_err(bad)?;
                let shares: Vec<AgentShareRow> = self.fetch_rows(&s.shares)?;
                let closed: Vec<AgentClosedRow> = self.fetch_rows(&s.closed)?;
                let percentiles: Vec<PercentileRow> = self.fetch_rows(&s.percentiles)?;
                let agents = LeaderboardSql::assemble(
                    &q,
                    &shares,
                    &closed,
                    &percentiles,
                    &self.open_load()?,
                );
                json(&AgentsAnswer {
                    agents,
                    from: q.from,
                    to: q.to,
                    scope,
                })
            }
            ReportView::Teams => {
                let s = q.team_sql().map_err(bad)?;
                let totals: Vec<TeamRow> = self.fetch_rows(&s.totals)?;
                let percentiles: Vec<PercentileRow> = self.fetch_rows(&s.percentiles)?;
                json(&TeamsAnswer {
                    teams: TeamSql::assemble(&totals, &percentiles),
                    from: q.from,
                    to: q.to,
                    scope,
                })
            }
            ReportView::Csv => self.report_csv(&q, &scope),
        }
    }

    /// Open conversations per agent now, for the leaderboard's "open now". Only agents with
    /// some: the leaderboard lists agents with open work even with nothing closed in the range,
    /// not every agent of the workspace.
    fn open_load(&self) -> Result<BTreeMap<String, u32>> {
        let workspace_id = self.setting("workspace_id")?.unwrap_or_default();
        Ok(self
            .agent_statuses(&workspace_id)?
            .into_iter()
            .filter(|a| a.open > 0)
            .map(|a| (a.profile.id, a.open))
            .collect())
    }

    fn names(&self, table: &str) -> Result<BTreeMap<String, String>> {
        let rows: Vec<NameRow> = self
            .sql()
            .exec(&format!("SELECT id, name FROM {table}"), None)?
            .to_array()?;
        Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
    }

    /// Every row of an export statement, in order, handed to `each` until it answers `false`.
    ///
    /// SQLite builds each row's JSON (`json_object`) and serde_json parses it: one string per
    /// row crosses from JS into wasm, where reading a 30-column row object field by field
    /// (serde_wasm_bindgen) made up most of a 100,000-row export's time. Should the core's
    /// statement ever stop starting with the plain column list, rows are read the typed way.
    fn each_export_row(
        &self,
        export: &SqlQuery,
        mut each: impl FnMut(ReportRow) -> Result<bool>,
    ) -> Result<()> {
        let plain = format!("SELECT {} FROM ", ROW_COLUMNS.join(", "));
        let Some(rest) = export.sql.strip_prefix(&plain) else {
            let cursor = self.sql().exec(&export.sql, binds(&export.binds))?;
            for row in cursor.next::<ReportRow>() {
                if !each(row?)? {
                    break;
                }
            }
            return Ok(());
        };
        let object = ROW_COLUMNS
            .iter()
            .map(|c| format!("'{c}', {c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("SELECT json_object({object}) FROM {rest}");
        let cursor = self.sql().exec(&sql, binds(&export.binds))?;
        for values in cursor.raw() {
            let Some(SqlStorageValue::String(json)) = values?.into_iter().next() else {
                return Err(EdgeError::Config(
                    "an export row did not come back as JSON".into(),
                ));
            };
            if !each(serde_json::from_str(&json)?)? {
                break;
            }
        }
        Ok(())
    }

    /// The closed-conversations list as CSV: a UTF-8 BOM (Excel otherwise misreads accented
    /// names as Latin-1), the header, then every row of the filter in the list's order, up to
    /// [`EXPORT_MAX_ROWS`]. Rows are read from one cursor in one synchronous turn (no deep
    /// OFFSETs, a consistent snapshot) and handed to the runtime in chunks as a `Blob`, so the
    /// wasm heap holds one chunk at a time. `X-Charla-Export-Rows`/`-Total` say how many rows
    /// are in the file and matched; `X-Charla-Export-Truncated: true` when the cap cut it.
    fn report_csv(&self, q: &ReportQuery, scope: &Scope) -> Result<Response> {
        let tz = parse_time_zone(&scope.time_zone).map_err(bad)?;
        let total = self.report_total(q)?;
        let (agents, teams) = (self.names("agents")?, self.names("teams")?);
        let names = CsvNames {
            agents: &agents,
            teams: &teams,
        };
        let export = q.export_sql().map_err(bad)?;
        let parts = js_sys::Array::new();
        let mut chunk = String::with_capacity(CSV_CHUNK_BYTES + 4096);
        chunk.push('\u{FEFF}');
        chunk.push_str(&header_line());
        let mut written = 0usize;
        self.each_export_row(&export, |row| {
            if written == EXPORT_MAX_ROWS {
                return Ok(false);
            }
            chunk.push_str(&csv_line(&row, tz, names));
            written += 1;
            if chunk.len() >= CSV_CHUNK_BYTES {
                parts.push(&js_sys::Uint8Array::from(chunk.as_bytes()));
                chunk.clear();
            }
            Ok(true)
        })?;
        if !chunk.is_empty() {
            parts.push(&js_sys::Uint8Array::from(chunk.as_bytes()));
        }
        let blob = worker::web_sys::Blob::new_with_u8_array_sequence(&parts)
            .map_err(|e| EdgeError::Worker(e.into()))?;
        let headers = Headers::new();
        headers.set("Content-Type", "text/csv; charset=utf-8")?;
        headers.set(
            "Content-Disposition",
            &format!(
                "attachment; filename=\"charla-closed-{}_{}.csv\"",
                scope.dates.first, scope.dates.last
            ),
        )?;
        headers.set("Cache-Control", "no-store")?;
        headers.set("X-Charla-Export-Rows", &written.to_string())?;
        headers.set("X-Charla-Export-Total", &total.to_string())?;
        if (written as u64) < total {
            headers.set("X-Charla-Export-Truncated", "true")?;
        }
        Ok(Response::from_body(ResponseBody::Stream(blob.stream()))?.with_headers(headers))
    }
}

/// The CSV header line, every cell through `csv_cell`: two column names hold a comma
/// ("First response, business hours (s)"), which must be quoted or a spreadsheet splits the
/// header into 23 cells over 21 columns of data.
fn header_line() -> String {
    let cells: Vec<_> = CSV_COLUMNS.iter().map(|c| csv_cell(c)).collect();
    format!("{}\r\n", cells.join(","))
}
