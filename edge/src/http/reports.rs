//! `/v1/inbox/reports/…` and `/v1/inbox/settings/workspace` (the time zone reports count days
//! in), plus the dev-only `POST /v1/dev/report-rows`. The Worker verifies the token and parses
//! the query string; the Workspace DO (`workspace/reports.rs`) resolves the range in its time zone,
//! applies the caller's current role (agents see only their own periods) and runs the SQL.
//! The CSV export is streamed from here, page by page ([`export`]).

use std::collections::BTreeMap;

use charla_shared::reports::{
    csv_cell, csv_line, parse_time_zone, CsvNames, ExportKey, Preset, ReportRow, Sort, SortColumn,
    CSV_COLUMNS, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE,
};
use worker::{Env, Headers, Method, Request, Response};

use super::auth::{self, manager};
use super::input::read_json;
use crate::error::{EdgeError, Result};
use crate::internal::reports::{
    dev_seed_enabled, ExportHead, ExportPage, RangeSpec, ReportCall, ReportParams, ReportView,
    Seeded, DEV_SEED_MAX_ROWS, EXPORT_MAX_ROWS, EXPORT_PAGE_ROWS,
};
use crate::internal::workspace::{forward, WorkspaceCall, WorkspaceSettings};
use crate::internal::{self, workspace};

/// Range used when the query names none: what a reports page opens with.
const DEFAULT_PRESET: Preset = Preset::Last7Days;
/// Longest agent, team or category filter value; ids and category names are far shorter.
const MAX_FILTER_CHARS: usize = 200;
/// Largest dev seeding body (1,000 rows are ~700 KB of JSON).
const MAX_SEED_BODY_BYTES: usize = 8 * 1024 * 1024;

/// `segments` is the whole path, split on `/` (the one arm in the router sends
/// `v1/inbox/reports/…`, `v1/inbox/settings/workspace` and `v1/dev/…` here).
pub(super) async fn handle(mut req: Request, env: &Env, segments: &[&str]) -> Result<Response> {
    let method = req.method();
    match (method, segments) {
        (Method::Get, ["v1", "inbox", "settings", "workspace"]) => {
            let s = auth::agent(&req, env).await?;
            forward::<WorkspaceSettings>(env, &s.workspace_id, WorkspaceCall::WorkspaceSettings)
                .await
        }
        (Method::Put, ["v1", "inbox", "settings", "workspace"]) => {
            let s = manager(&req, env).await?;
            let body: WorkspaceSettings = read_json(&mut req).await?;
            let call = WorkspaceCall::SetWorkspaceSettings(body);
            forward::<WorkspaceSettings>(env, &s.workspace_id, call).await
        }
        (Method::Get, ["v1", "inbox", "reports", view]) => {
            let view = match *view {
                "conversations" => ReportView::List,
                "conversations.csv" => ReportView::Csv,
                "overview" => ReportView::Overview,
                "agents" => ReportView::Agents,
                "teams" => ReportView::Teams,
                _ => return Err(EdgeError::NotFound("no such report".into())),
            };
            if view == ReportView::Csv {
                return export(req, env).await;
            }
            report(req, env, view).await
        }
        (Method::Post, ["v1", "dev", "report-rows"]) if dev_seed_enabled(env) => {
            dev_report_rows(req, env).await
        }
        _ => Err(EdgeError::NotFound(format!(
            "no route for /{}",
            segments.join("/")
        ))),
    }
}

/// Any agent may ask; the Workspace narrows the answer to the caller's own periods unless
/// their current role is owner or manager. The Workspace's answer (JSON, or CSV with its
/// headers) is passed through untouched.
async fn report(req: Request, env: &Env, view: ReportView) -> Result<Response> {
    let s = auth::agent(&req, env).await?;
    let call = WorkspaceCall::Report(ReportCall {
        view,
        viewer: s.agent_id,
        params: params(&req)?,
        after: None,
    });
    let resp = workspace::send(env, &s.workspace_id, &call).await?;
    if resp.status_code() == 200 {
        return Ok(resp);
    }
    Err(internal::json_or_error::<serde_json::Value>(resp)
        .await
        .err()
        .unwrap_or_else(|| EdgeError::Config("report answered without a body".into())))
}

/// The closed-conversations list as CSV, streamed: the Worker asks the Workspace for one page
/// of rows at a time ([`EXPORT_PAGE_ROWS`], one short turn each, keyed by the last row) and
/// writes each page's CSV as the client reads, so the Workspace answers other requests
/// between pages and neither side ever holds the whole file.
///
/// The file: a UTF-8 BOM (Excel otherwise misreads accented names as Latin-1), the header,
/// then every row of the filter in the list's order, up to [`EXPORT_MAX_ROWS`].
/// `X-Charla-Export-Total` is how many rows matched when the export started,
/// `X-Charla-Export-Rows` how many of those the file holds, and `X-Charla-Export-Truncated:
/// true` says the cap cut it. A page that fails mid-stream ends the body early (the client
/// sees an aborted download, not a short file that looks whole).
async fn export(req: Request, env: &Env) -> Result<Response> {
    let s = auth::agent(&req, env).await?;
    let mut export = Export {
        env: env.clone(),
        workspace_id: s.workspace_id,
        call: ReportCall {
            view: ReportView::Csv,
            viewer: s.agent_id,
            params: params(&req)?,
            after: None,
        },
        written: 0,
        done: false,
        head: None,
    };
    let first = export.next_page().await?;
    let head = export
        .head
        .as_ref()
        .ok_or_else(|| EdgeError::Config("the first export page came without its head".into()))?;
    let rows = head.total.min(EXPORT_MAX_ROWS);
    let headers = Headers::new();
    headers.set("Content-Type", "text/csv; charset=utf-8")?;
    headers.set(
        "Content-Disposition",
        &format!(
            "attachment; filename=\"charla-closed-{}_{}.csv\"",
            head.dates.first, head.dates.last
        ),
    )?;
    headers.set("Cache-Control", "no-store")?;
    headers.set("X-Charla-Export-Rows", &rows.to_string())?;
    headers.set("X-Charla-Export-Total", &head.total.to_string())?;
    if head.total > EXPORT_MAX_ROWS {
        headers.set("X-Charla-Export-Truncated", "true")?;
    }
    let mut start = String::from('\u{FEFF}');
    start.push_str(&header_line());
    start.push_str(&first);
    let rest = futures_util::stream::unfold(export, |mut export| async move {
        if export.done {
            return None;
        }
        // A timer between pages hands the event loop back to the runtime before the next
        // page. Without it, locally (Worker and Durable Objects on one workerd thread, calls
        // between them never leaving the process) page after page stays runnable and no
        // other request is even read off its socket until the whole file is out.
        worker::Delay::from(std::time::Duration::from_millis(1)).await;
        match export.next_page().await {
            Ok(text) => Some((Ok(text.into_bytes()), export)),
            Err(err) => {
                export.done = true;
                Some((Err(worker::Error::from(err.to_string())), export))
            }
        }
    });
    let body = futures_util::StreamExt::chain(
        futures_util::stream::once(async move { Ok::<_, worker::Error>(start.into_bytes()) }),
        rest,
    );
    Ok(Response::from_stream(body)?.with_headers(headers))
}

/// Where a streamed export stands between pages.
struct Export {
    env: Env,
    workspace_id: String,
    /// `after` moves on with every page.
    call: ReportCall,
    written: u64,
    done: bool,
    /// The first page's, kept for the zone and names every later page is written with.
    head: Option<ExportHead>,
}

impl Export {
    /// The CSV lines of the next page; sets `done` after the last one.
    async fn next_page(&mut self) -> Result<String> {
        let call = WorkspaceCall::Report(self.call.clone());
        let page: ExportPage = workspace::ask(&self.env, &self.workspace_id, &call).await?;
        if page.head.is_some() {
            self.head = page.head;
        }
        let head = self
            .head
            .as_ref()
            .ok_or_else(|| EdgeError::Config("an export page came before its head".into()))?;
        let tz =
            parse_time_zone(&head.time_zone).map_err(|e| EdgeError::BadRequest(e.to_string()))?;
        let names = CsvNames {
            agents: &head.agents,
            teams: &head.teams,
            workflows: &head.workflows,
        };
        let full = page.rows.len() as u64 == u64::from(EXPORT_PAGE_ROWS);
        let room = usize::try_from(EXPORT_MAX_ROWS - self.written).unwrap_or(usize::MAX);
        let mut text = String::new();
        for row in page.rows.iter().take(room) {
            text.push_str(&csv_line(row, tz, names));
            self.written += 1;
        }
        self.call.after = page
            .rows
            .last()
            .map(|row| ExportKey::after(row, self.call.params.sort));
        self.done = !full || self.written >= EXPORT_MAX_ROWS;
        Ok(text)
    }
}

/// The CSV header line, every cell through `csv_cell`: two column names hold a comma
/// ("First response, business hours (s)"), which must be quoted or a spreadsheet splits the
/// header into 23 cells over 21 columns of data.
fn header_line() -> String {
    let cells: Vec<_> = CSV_COLUMNS.iter().map(|c| csv_cell(c)).collect();
    format!("{}\r\n", cells.join(","))
}

fn invalid(message: impl Into<String>) -> EdgeError {
    EdgeError::BadRequest(message.into())
}

/// A snake_case enum from a query value, e.g. `last_7_days` or `first_response`.
fn enum_value<T: serde::de::DeserializeOwned>(key: &str, value: &str, choices: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(value.to_owned()))
        .map_err(|_| invalid(format!("{key}={value:?} is not one of {choices}")))
}

/// By hand, not serde: serde's snake_case spells `Last7Days` as `last7_days`, and the API
/// (and the inbox's links) say `last_7_days`.
fn parse_preset(value: &str) -> Result<Preset> {
    Ok(match value {
        "today" => Preset::Today,
        "yesterday" => Preset::Yesterday,
        "last_7_days" => Preset::Last7Days,
        "last_30_days" => Preset::Last30Days,
        "this_month" => Preset::ThisMonth,
        "last_month" => Preset::LastMonth,
        _ => {
            return Err(invalid(format!(
                "preset={value:?} is not one of today, yesterday, last_7_days, last_30_days, \
                 this_month, last_month"
            )))
        }
    })
}

fn whole(key: &str, value: &str) -> Result<u32> {
    value
        .parse::<u32>()
        .map_err(|_| invalid(format!("{key} must be a whole number, not {value:?}")))
}

fn flag(key: &str, value: &str) -> Result<bool> {
    match value {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(invalid(format!(
            "{key} must be true or false, not {value:?}"
        ))),
    }
}

/// The query string of a report request. Unknown and repeated parameters are refused, so a
/// typo (`catgory=Ventas`) is a 400 rather than a silently unfiltered report. Range, page
/// and page-size limits are checked by the Workspace, which knows the time zone.
fn params(req: &Request) -> Result<ReportParams> {
    let mut given: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in req.url()?.query_pairs() {
        if given.insert(k.to_string(), v.to_string()).is_some() {
            return Err(invalid(format!("{k} is given more than once")));
        }
    }
    let mut take = |key: &str| given.remove(key);
    let preset = take("preset");
    let (from, to) = (take("from"), take("to"));
    let range = match (preset, from, to) {
        (Some(p), None, None) => RangeSpec::Preset {
            preset: parse_preset(&p)?,
        },
        (None, Some(from), Some(to)) => RangeSpec::Dates { from, to },
        (None, None, None) => RangeSpec::Preset {
            preset: DEFAULT_PRESET,
        },
        (Some(_), _, _) => return Err(invalid("give either preset or from and to, not both")),
        (None, _, _) => {
            return Err(invalid(
                "from and to go together (YYYY-MM-DD, both included)",
            ))
        }
    };
    let mut filter = |key: &str| -> Result<Option<String>> {
        match take(key) {
            None => Ok(None),
            Some(v) if v.is_empty() || v.chars().count() > MAX_FILTER_CHARS => Err(invalid(
                format!("{key} must be 1-{MAX_FILTER_CHARS} characters"),
            )),
            Some(v) => Ok(Some(v)),
        }
    };
    let (agent, team, category) = (filter("agent")?, filter("team")?, filter("category")?);
    let sort_column: Option<SortColumn> = take("sort")
        .map(|v| {
            enum_value(
                "sort",
                &v,
                "closed_at, opened_at, contact_name, assignee, team, category, first_response, \
                 resolution, avg_response, messages_in, messages_out",
            )
        })
        .transpose()?;
    let desc = take("desc").map(|v| flag("desc", &v)).transpose()?;
    let sort = match (sort_column, desc) {
        (None, None) => Sort::default(),
        (None, Some(desc)) => Sort {
            desc,
            ..Sort::default()
        },
        // A chosen column reads ascending unless asked otherwise, like clicking a header.
        (Some(column), desc) => Sort {
            column,
            desc: desc.unwrap_or(false),
        },
    };
    let page = take("page").map(|v| whole("page", &v)).transpose()?;
    let page_size = take("page_size")
        .map(|v| whole("page_size", &v))
        .transpose()?;
    let day_percentiles = take("day_percentiles")
        .map(|v| flag("day_percentiles", &v))
        .transpose()?;
    if let Some(unknown) = given.keys().next() {
        return Err(invalid(format!(
            "unknown parameter {unknown:?}; reports take preset or from/to, agent, team, \
             category, sort, desc, page, page_size (1-{MAX_PAGE_SIZE}), day_percentiles"
        )));
    }
    Ok(ReportParams {
        range,
        agent,
        team,
        category,
        sort,
        page: page.unwrap_or(1),
        page_size: page_size.unwrap_or(DEFAULT_PAGE_SIZE),
        day_percentiles: day_percentiles.unwrap_or(true),
    })
}

/// Dev only (see [`dev_seed_enabled`]): store a batch of report rows in the caller's
/// workspace (owner/manager), all in one synchronous turn of the Workspace DO. How the bench
/// gets 100,000 rows without playing 100,000 conversations.
async fn dev_report_rows(mut req: Request, env: &Env) -> Result<Response> {
    let s = manager(&req, env).await?;
    let text = req.text().await?;
    if text.len() > MAX_SEED_BODY_BYTES {
        return Err(invalid("request body too large"));
    }
    let rows: Vec<ReportRow> = serde_json::from_str(&text)
        .map_err(|e| invalid(format!("expected a JSON array of report rows: {e}")))?;
    if rows.len() > DEV_SEED_MAX_ROWS {
        return Err(invalid(format!(
            "at most {DEV_SEED_MAX_ROWS} rows per request"
        )));
    }
    forward::<Seeded>(env, &s.workspace_id, WorkspaceCall::SeedReportRows(rows)).await
}
