//! Reports in the Workspace DO (`charla_shared::reports`): one row per conversation period,
//! written when a period opens and when it closes, and every report view answered from those
//! rows with the core's SQL builders, so report queries never read message logs and 100,000
//! rows never cross into wasm.
//!
//! Every write also keeps the daily rollups (`charla_shared::reports::Rollups`): the row's old
//! contribution out, the new one in, in the same synchronous turn. The overview and the
//! leaderboard read those cells and walk the percentile indexes instead of scanning rows. The
//! cells are built for one time zone (setting `report_rollup_zone`); when the workspace's
//! zone differs (a change of the setting, or the first use after the schema upgrade that
//! added them) they are rebuilt from the rows once, in that turn.
//!
//! The CSV export is read in pages ([`ReportView::Csv`] with a keyset cursor), one short turn
//! each; the Worker asks for them while it streams the file.
//!
//! The Worker checks the token first and names the caller; the caller's role is read here from
//! the agents table, so a demotion applies at once. Rows come from the Conversation DOs
//! (`ReportRow`); bulk rows for benches are taken only with `CHARLA_DEV_SEED=1`.

use std::collections::{BTreeMap, BTreeSet};

use charla_shared::reports::{
    agent_rows, closed_day_sql, day_rows, local_day, parse_date, parse_time_zone, walked,
    AgentClosedRow, AgentShare, AgentShareRow, AgentStats, AgentTotalsRow, ClosedDayRow, DateRange,
    DayTotalsRow, ExportKey, LeaderboardSql, OpenHours, OpenedDayRow, Overview, PercentileRow,
    ReportError, ReportQuery, ReportRow, Rollups, SqlQuery, TeamRow, TeamSql, TeamStats, Tz,
    ROW_COLUMNS,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::{Headers, Response, SqlStorageValue};

use super::store::Workspace;
use crate::error::{EdgeError, Result};
use crate::ids::now_millis;
use crate::internal::reports::{
    dev_seed_enabled, ExportHead, RangeSpec, ReportCall, ReportView, DEV_SEED_MAX_ROWS,
    EXPORT_PAGE_ROWS,
};
use crate::internal::workspace::WorkspaceSettings;
use crate::sql::binds;

/// Reports count days in this zone until an owner or manager picks one.
const DEFAULT_TIME_ZONE: &str = "UTC";
/// The setting naming the zone the rollups were built for.
const ROLLUP_ZONE: &str = "report_rollup_zone";

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
struct ShareRow {
    agent_id: String,
    assigned: i64,
    messages_sent: i64,
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
    /// Upsert one row and move its contribution in the rollups: every statement in one
    /// synchronous turn, so they commit together. The contact's current display name wins
    /// over the visitor label the conversation knows. `change` collects the rollup deltas;
    /// the caller applies them ([`Self::apply_rollups`]), once for a whole batch.
    fn store_report_row(&self, mut row: ReportRow, tz: Tz, change: &mut Rollups) -> Result<()> {
        if let Some(name) = self.contact_display_name(&row.contact_id)? {
            row.contact_name = name;
        }
        if let Some(old) = self.stored_row(&row.conversation_id, row.period)? {
            // A late "opened" write after the close: `upsert_sql` leaves the row as it is.
            if old.is_closed() && !row.is_closed() {
                return Ok(());
            }
            change.add(&old, tz, -1);
        }
        change.add(&row, tz, 1);
        for q in row.upsert_sql() {
            self.exec(&q)?;
        }
        self.exec(&row.closed_day_sql(tz))
    }

    fn exec(&self, q: &SqlQuery) -> Result<()> {
        self.sql().exec(&q.sql, binds(&q.binds))?;
        Ok(())
    }

    fn apply_rollups(&self, change: &Rollups) -> Result<()> {
        for q in change.upsert_sql() {
            self.exec(&q)?;
        }
        Ok(())
    }

    /// A row as stored, with its per-agent part: what its contribution to the rollups was.
    fn stored_row(&self, conversation_id: &str, period: u32) -> Result<Option<ReportRow>> {
        let key = || {
            vec![
                conversation_id.into(),
                SqlStorageValue::Integer(period.into()),
            ]
        };
        let rows: Vec<ReportRow> = self
            .sql()
            .exec(
                &format!(
                    "SELECT {} FROM report_rows WHERE conversation_id = ? AND period = ?",
                    ROW_COLUMNS.join(", ")
                ),
                key(),
            )?
            .to_array()?;
        let Some(mut row) = rows.into_iter().next() else {
            return Ok(None);
        };
        let shares: Vec<ShareRow> = self
            .sql()
            .exec(
                "SELECT agent_id, assigned, messages_sent FROM report_row_agents \
                 WHERE conversation_id = ? AND period = ?",
                key(),
            )?
            .to_array()?;
        row.agents = shares.into_iter().map(share).collect();
        Ok(Some(row))
    }

    /// The zone report days are counted in, with the rollups built for it: rebuilt from the
    /// rows first if they were built for another zone or never built.
    fn rollup_zone(&self) -> Result<Tz> {
        let name = self.time_zone()?;
        let tz = parse_time_zone(&name).map_err(bad)?;
        if self.setting(ROLLUP_ZONE)?.as_deref() != Some(name.as_str()) {
            self.rebuild_rollups(tz)?;
            self.put_setting(ROLLUP_ZONE, &name)?;
        }
        Ok(tz)
    }

    /// Every cell and every row's `closed_day` recomputed from the rows, in one synchronous
    /// turn: about a second per 100,000 rows on local workerd, paid once per change of zone.
    fn rebuild_rollups(&self, tz: Tz) -> Result<()> {
        let sql = self.sql();
        sql.exec("DELETE FROM report_days", None)?;
        sql.exec("DELETE FROM report_agent_days", None)?;
        let mut shares: BTreeMap<(String, u32), BTreeMap<String, AgentShare>> = BTreeMap::new();
        let cursor = sql.exec(
            "SELECT json_array(conversation_id, period, agent_id, assigned, messages_sent) \
             FROM report_row_agents",
            None,
        )?;
        for values in cursor.raw() {
            let json = json_cell(values?)?;
            let (conversation, period, agent_id, assigned, messages_sent): (
                String,
                u32,
                String,
                i64,
                i64,
            ) = serde_json::from_str(&json)?;
            shares.entry((conversation, period)).or_default().insert(
                agent_id.clone(),
                share(ShareRow {
                    agent_id,
                    assigned,
                    messages_sent,
                })
                .1,
            );
        }
        let mut cells = Rollups::default();
        let mut closed_days = BTreeSet::new();
        let all = SqlQuery {
            sql: format!("SELECT {} FROM report_rows", ROW_COLUMNS.join(", ")),
            binds: Vec::new(),
        };
        self.each_row(&all, |mut row| {
            if let Some(s) = shares.remove(&(row.conversation_id.clone(), row.period)) {
                row.agents = s;
            }
            if let Some(at) = row.closed_at {
                closed_days.insert(local_day(at, tz));
            }
            cells.add(&row, tz, 1);
            Ok(true)
        })?;
        self.apply_rollups(&cells)?;
        for day in closed_days {
            if let Some(q) = closed_day_sql(day, tz) {
                self.exec(&q)?;
            }
        }
        Ok(())
    }

    /// A period's row from a Conversation DO, its business-hours figures counted here (the
    /// Workspace holds the schedule).
    pub(super) fn receive_report_row(&self, mut row: ReportRow) -> Result<()> {
        let hours = self.business_hours()?;
        row.count_business_hours(hours.as_ref().map(|h| h as &dyn OpenHours));
        let tz = self.rollup_zone()?;
        let mut change = Rollups::default();
        self.store_report_row(row, tz, &mut change)?;
        self.apply_rollups(&change)
    }

    pub(super) fn set_workspace_settings(
        &self,
        settings: WorkspaceSettings,
    ) -> Result<WorkspaceSettings> {
        parse_time_zone(&settings.time_zone).map_err(bad)?;
        self.put_setting("time_zone", &settings.time_zone)?;
        self.rollup_zone()?;
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
        let tz = self.rollup_zone()?;
        let mut change = Rollups::default();
        for row in rows {
            self.store_report_row(row.clone(), tz, &mut change)?;
        }
        self.apply_rollups(&change)?;
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
                let overview = self.overview(&q, call.params.day_percentiles)?;
                json(&OverviewAnswer { overview, scope })
            }
            ReportView::Agents => {
                let agents = self.leaderboard(&q)?;
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
            ReportView::Csv => self.export_page(&q, scope, call.after.as_ref()),
        }
    }

    /// The overview from the rollups (sums per day, then one walk per percentile), or from
    /// the rows for a range that is not whole local days.
    fn overview(&self, q: &ReportQuery, day_percentiles: bool) -> Result<Overview> {
        let tz = self.rollup_zone()?;
        let Some(totals) = q.overview_totals_sql(tz) else {
            let s = q.overview_sql(tz).map_err(bad)?;
            let opened: Vec<OpenedDayRow> = self.fetch_all(&s.opened_by_day)?;
            let closed: Vec<ClosedDayRow> = self.fetch_all(&s.closed_by_day)?;
            let percentiles: Vec<PercentileRow> = self.fetch_rows(&s.percentiles)?;
            let daily: Vec<PercentileRow> = if day_percentiles {
                self.fetch_all(&s.daily_percentiles)?
            } else {
                Vec::new()
            };
            return Overview::from_sql(q, tz, &opened, &closed, &percentiles, &daily).map_err(bad);
        };
        let totals: Vec<DayTotalsRow> = self.fetch_rows(&totals)?;
        let walks = q.overview_walks(&totals, day_percentiles);
        let found = self.walk_values(&q.walk_sql(&walks))?;
        let (overall, daily): (Vec<PercentileRow>, Vec<PercentileRow>) = walked(&walks, &found)
            .into_iter()
            .partition(|p| p.grp.is_none());
        let (opened, closed) = day_rows(&totals);
        Overview::from_sql(q, tz, &opened, &closed, &overall, &daily).map_err(bad)
    }

    /// The leaderboard from the rollups, or from the rows for a range that is not whole
    /// local days.
    fn leaderboard(&self, q: &ReportQuery) -> Result<Vec<AgentStats>> {
        let tz = self.rollup_zone()?;
        let open_load = self.open_load()?;
        let Some(totals) = q.leaderboard_totals_sql(tz) else {
            let s = q.leaderboard_sql().map_err(bad)?;
            let shares: Vec<AgentShareRow> = self.fetch_rows(&s.shares)?;
            let closed: Vec<AgentClosedRow> = self.fetch_rows(&s.closed)?;
            let percentiles: Vec<PercentileRow> = self.fetch_rows(&s.percentiles)?;
            return Ok(LeaderboardSql::assemble(
                q,
                &shares,
                &closed,
                &percentiles,
                &open_load,
            ));
        };
        let totals: Vec<AgentTotalsRow> = self.fetch_rows(&totals)?;
        let walks = q.leaderboard_walks(&totals);
        let found = self.walk_values(&q.walk_sql(&walks))?;
        let (shares, closed) = agent_rows(&totals);
        Ok(LeaderboardSql::assemble(
            q,
            &shares,
            &closed,
            &walked(&walks, &found),
            &open_load,
        ))
    }

    /// The values of percentile walks: every statement's one row, its columns in order.
    fn walk_values(&self, statements: &[SqlQuery]) -> Result<Vec<Option<i64>>> {
        let mut out = Vec::new();
        for q in statements {
            let cursor = self.sql().exec(&q.sql, binds(&q.binds))?;
            if let Some(row) = cursor.raw().next() {
                out.extend(row?.into_iter().map(|v| match v {
                    SqlStorageValue::Integer(i) => Some(i),
                    // Integral by construction (a stored INTEGER), whatever the JS side made of it.
                    SqlStorageValue::Float(f) => Some(f as i64),
                    _ => None,
                }));
            }
        }
        Ok(out)
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

    /// Workflow names live inside each workflow's JSON.
    fn workflow_names(&self) -> Result<BTreeMap<String, String>> {
        let rows: Vec<NameRow> = self
            .sql()
            .exec(
                "SELECT id, coalesce(json_extract(data, '$.name'), id) AS name FROM workflows",
                None,
            )?
            .to_array()?;
        Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
    }

    fn names(&self, table: &str) -> Result<BTreeMap<String, String>> {
        let rows: Vec<NameRow> = self
            .sql()
            .exec(&format!("SELECT id, name FROM {table}"), None)?
            .to_array()?;
        Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
    }

    /// Every row of a statement over [`ROW_COLUMNS`], in order, handed to `each` until it
    /// answers `false`; rows cross as one JSON string each ([`Self::each_row_json`]).
    fn each_row(
        &self,
        q: &SqlQuery,
        mut each: impl FnMut(ReportRow) -> Result<bool>,
    ) -> Result<()> {
        self.each_row_json(q, |json| each(serde_json::from_str(&json)?))
    }

    /// The rows of a statement that starts `SELECT <ROW_COLUMNS> FROM`, each as the JSON text
    /// SQLite builds for it (`json_object`): one string per row crosses from JS into wasm,
    /// where reading a 30-column row object field by field (serde_wasm_bindgen) made up most
    /// of a 100,000-row export's time.
    fn each_row_json(
        &self,
        q: &SqlQuery,
        mut each: impl FnMut(String) -> Result<bool>,
    ) -> Result<()> {
        let plain = format!("SELECT {} FROM ", ROW_COLUMNS.join(", "));
        let rest = q.sql.strip_prefix(&plain).ok_or_else(|| {
            EdgeError::Config("a row statement does not select the row columns".into())
        })?;
        let object = ROW_COLUMNS
            .iter()
            .map(|c| format!("'{c}', {c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("SELECT json_object({object}) FROM {rest}");
        let cursor = self.sql().exec(&sql, binds(&q.binds))?;
        for values in cursor.raw() {
            if !each(json_cell(values?)?)? {
                break;
            }
        }
        Ok(())
    }

    /// One page of the CSV export: the rows as SQLite wrote their JSON, passed through
    /// unparsed (the Worker parses them and writes the CSV, so this turn stays short). The
    /// first page carries the [`ExportHead`].
    fn export_page(
        &self,
        q: &ReportQuery,
        scope: Scope,
        after: Option<&ExportKey>,
    ) -> Result<Response> {
        let head = match after {
            Some(_) => None,
            None => Some(ExportHead {
                dates: scope.dates,
                time_zone: scope.time_zone,
                total: self.report_total(q)?,
                agents: self.names("agents")?,
                teams: self.names("teams")?,
                workflows: self.workflow_names()?,
            }),
        };
        let page = q.export_page_sql(after, EXPORT_PAGE_ROWS).map_err(bad)?;
        let mut body = format!("{{\"head\":{},\"rows\":[", serde_json::to_string(&head)?);
        let mut first = true;
        self.each_row_json(&page, |json| {
            if !first {
                body.push(',');
            }
            first = false;
            body.push_str(&json);
            Ok(true)
        })?;
        body.push_str("]}");
        let headers = Headers::new();
        headers.set("Content-Type", "application/json")?;
        Ok(Response::ok(body)?.with_headers(headers))
    }
}

/// The one JSON text a `SELECT json_…(…)` row holds.
fn json_cell(values: Vec<SqlStorageValue>) -> Result<String> {
    match values.into_iter().next() {
        Some(SqlStorageValue::String(json)) => Ok(json),
        _ => Err(EdgeError::Config("a row did not come back as JSON".into())),
    }
}

fn share(r: ShareRow) -> (String, AgentShare) {
    (
        r.agent_id,
        AgentShare {
            assigned: r.assigned != 0,
            messages: u32::try_from(r.messages_sent).unwrap_or(0),
        },
    )
}
