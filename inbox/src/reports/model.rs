//! What the Reports page needs besides the DOM: the answers the edge sends, the query string a
//! choice of period, filters, sort and page makes, durations in words ("2 min 5 s"), and the
//! geometry of the SVG bar charts (scales, ticks, bars). Pure, so it is tested natively.

use super::i18n::rt;
use charla_shared::reports::{AgentStats, Overview, ReportRow, TeamStats};
use serde::Deserialize;

/// `GET /v1/inbox/reports/conversations` answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ListAnswer {
    pub rows: Vec<ReportRow>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    #[serde(flatten)]
    pub scope: Scope,
}

/// What every answer says about what it covers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Scope {
    /// Local dates `YYYY-MM-DD`, both included.
    pub first: String,
    pub last: String,
    pub time_zone: String,
    /// The agent filter applied (always the caller for role `agent`).
    #[serde(default)]
    pub agent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct OverviewAnswer {
    #[serde(flatten)]
    pub overview: Overview,
    pub first: String,
    pub last: String,
    pub time_zone: String,
    #[serde(default)]
    pub agent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AgentsAnswer {
    pub agents: Vec<AgentStats>,
    #[serde(flatten)]
    pub scope: Scope,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TeamsAnswer {
    pub teams: Vec<TeamStats>,
    #[serde(flatten)]
    pub scope: Scope,
}

/// Range presets as the API spells them (labels: [`ReportTexts::preset`]).
///
/// [`ReportTexts::preset`]: super::i18n::ReportTexts::preset
pub const PRESETS: [&str; 6] = [
    "today",
    "yesterday",
    "last_7_days",
    "last_30_days",
    "this_month",
    "last_month",
];

/// The closed-conversations columns one can sort by, as the API names them (labels:
/// [`ReportTexts::column`]).
///
/// [`ReportTexts::column`]: super::i18n::ReportTexts::column
pub const SORT_COLUMNS: [&str; 9] = [
    "contact_name",
    "assignee",
    "team",
    "opened_at",
    "closed_at",
    "first_response",
    "resolution",
    "category",
    "messages_in",
];

/// Which days a report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Range {
    Preset(String),
    /// Local dates `YYYY-MM-DD`, both included.
    Dates {
        from: String,
        to: String,
    },
}

impl Default for Range {
    fn default() -> Self {
        Range::Preset("last_7_days".to_owned())
    }
}

/// Period and filters, shared by every report of the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub range: Range,
    /// Empty: everyone.
    pub agent: String,
    pub team: String,
    pub category: String,
}

/// How the closed-conversations list is ordered and paged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOrder {
    pub column: String,
    pub desc: bool,
    pub page: u32,
    pub page_size: u32,
}

impl Default for ListOrder {
    fn default() -> Self {
        ListOrder {
            column: "closed_at".to_owned(),
            desc: true,
            page: 1,
            page_size: 50,
        }
    }
}

impl ListOrder {
    /// A click on a column header: the same column flips its direction; another starts
    /// ascending (times newest first). Either goes back to the first page.
    pub fn click(&mut self, column: &str) {
        if self.column == column {
            self.desc = !self.desc;
        } else {
            self.column = column.to_owned();
            self.desc = matches!(column, "closed_at" | "opened_at");
        }
        self.page = 1;
    }

    /// `aria-sort` of a column header.
    pub fn aria_sort(&self, column: &str) -> &'static str {
        match (self.column == column, self.desc) {
            (false, _) => "none",
            (true, true) => "descending",
            (true, false) => "ascending",
        }
    }

    pub fn pages(&self, total: u64) -> u32 {
        let size = u64::from(self.page_size.max(1));
        total.div_ceil(size).max(1) as u32
    }
}

/// Percent-encode a query value (everything but unreserved characters).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Filters {
    /// `key=value` pairs for the range and filters (empty filters are left out).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = match &self.range {
            Range::Preset(p) => vec![("preset", p.clone())],
            Range::Dates { from, to } => vec![("from", from.clone()), ("to", to.clone())],
        };
        for (key, value) in [
            ("agent", &self.agent),
            ("team", &self.team),
            ("category", &self.category),
        ] {
            if !value.trim().is_empty() {
                pairs.push((key, value.trim().to_owned()));
            }
        }
        pairs
    }

    /// The query string (without `?`) of a report; the list adds its order.
    pub fn query(&self, order: Option<&ListOrder>) -> String {
        let mut pairs = self.pairs();
        if let Some(o) = order {
            pairs.push(("sort", o.column.clone()));
            pairs.push(("desc", o.desc.to_string()));
            pairs.push(("page", o.page.to_string()));
            pairs.push(("page_size", o.page_size.to_string()));
        }
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The export's query: the list's filters and order, no page (it holds every row).
    pub fn csv_query(&self, order: &ListOrder) -> String {
        let mut pairs = self.pairs();
        pairs.push(("sort", order.column.clone()));
        pairs.push(("desc", order.desc.to_string()));
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Why custom dates cannot be asked for yet, if they cannot.
    /// The query to send, or `None` while the custom dates are not a valid range (the page
    /// shows [`Self::range_problem`] instead of asking).
    pub fn valid_query(&self, order: Option<&ListOrder>) -> Option<String> {
        self.range_problem().is_none().then(|| self.query(order))
    }

    pub fn range_problem(&self) -> Option<String> {
        let Range::Dates { from, to } = &self.range else {
            return None;
        };
        let valid = |d: &str| {
            d.len() == 10
                && d.bytes().enumerate().all(|(i, b)| {
                    if i == 4 || i == 7 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                })
        };
        if !valid(from) || !valid(to) {
            return Some(rt().choose_both_dates.to_owned());
        }
        if to < from {
            return Some(rt().last_before_first.to_owned());
        }
        None
    }
}

const SECOND: i64 = 1_000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// A duration in words, two units at most: "0.4 s", "45 s", "2 min 5 s", "3 h 10 min",
/// "2 d 4 h". Sub-second times keep a tenth so quick answers still differ.
pub fn duration(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 10 * SECOND && ms % SECOND != 0 {
        let tenths = (ms + 50) / 100;
        if tenths % 10 == 0 {
            return format!("{} s", tenths / 10);
        }
        return format!("{}.{} s", tenths / 10, tenths % 10);
    }
    let two = |big: i64, big_unit: &str, small: i64, small_unit: &str| {
        if small == 0 {
            format!("{big} {big_unit}")
        } else {
            format!("{big} {big_unit} {small} {small_unit}")
        }
    };
    if ms < MINUTE {
        let s = (ms + SECOND / 2) / SECOND;
        if s < 60 {
            format!("{s} s")
        } else {
            "1 min".to_owned()
        }
    } else if ms < HOUR {
        let s = ms / SECOND;
        two(s / 60, "min", s % 60, "s")
    } else if ms < DAY {
        let m = ms / MINUTE;
        two(m / 60, "h", m % 60, "min")
    } else {
        let h = ms / HOUR;
        two(h / 24, "d", h % 24, "h")
    }
}

/// A figure that may be missing ("—" for no value).
pub fn maybe_duration(ms: Option<i64>) -> String {
    ms.map_or_else(|| "—".to_owned(), duration)
}

/// "26 Nov" from `2025-11-26`; the text itself when it is not a date.
pub fn short_date(date: &str) -> String {
    let mut parts = date.split('-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(_), Some(m), Some(d)) => {
            let month = m.parse::<usize>().ok().and_then(|m| rt().month(m));
            match (month, d.parse::<u32>()) {
                (Some(month), Ok(day)) => format!("{day} {month}"),
                _ => date.to_owned(),
            }
        }
        _ => date.to_owned(),
    }
}

/// "26 Nov – 2 Dec 2025" (or one day) and the zone.
pub fn range_caption(first: &str, last: &str, time_zone: &str) -> String {
    let year = |d: &str| d.get(..4).unwrap_or_default().to_owned();
    if first == last {
        format!("{} {} ({time_zone})", short_date(first), year(first))
    } else {
        format!(
            "{} – {} {} ({time_zone})",
            short_date(first),
            short_date(last),
            year(last)
        )
    }
}

/// The file name from a `Content-Disposition` header, or a default.
pub fn attachment_name(header: Option<&str>) -> String {
    header
        .and_then(|h| h.split("filename=").nth(1))
        .map(|name| name.trim().trim_matches('"').to_owned())
        .filter(|name| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
        .unwrap_or_else(|| "charla-closed.csv".to_owned())
}

/// How values on a chart's axis read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    /// Milliseconds.
    Duration,
}

impl Unit {
    pub fn format(self, value: f64) -> String {
        match self {
            Unit::Count => format!("{}", value.round() as i64),
            Unit::Duration => duration(value.round() as i64),
        }
    }

    /// Steps an axis may use: 1-2-5 for counts, clock-friendly ones for durations.
    fn step(self, max: f64, ticks: u32) -> f64 {
        let raw = (max / f64::from(ticks)).max(f64::MIN_POSITIVE);
        match self {
            Unit::Count => {
                let raw = raw.max(1.0);
                let magnitude = 10f64.powf(raw.log10().floor());
                [1.0, 2.0, 5.0, 10.0]
                    .into_iter()
                    .map(|m| m * magnitude)
                    .find(|s| *s >= raw)
                    .unwrap_or(10.0 * magnitude)
            }
            Unit::Duration => {
                const STEPS: [i64; 21] = [
                    SECOND,
                    2 * SECOND,
                    5 * SECOND,
                    10 * SECOND,
                    15 * SECOND,
                    30 * SECOND,
                    MINUTE,
                    2 * MINUTE,
                    5 * MINUTE,
                    10 * MINUTE,
                    15 * MINUTE,
                    30 * MINUTE,
                    HOUR,
                    2 * HOUR,
                    3 * HOUR,
                    6 * HOUR,
                    12 * HOUR,
                    DAY,
                    2 * DAY,
                    7 * DAY,
                    30 * DAY,
                ];
                STEPS
                    .into_iter()
                    .map(|s| s as f64)
                    .find(|s| *s >= raw)
                    .unwrap_or_else(|| (raw / (30 * DAY) as f64).ceil() * (30 * DAY) as f64)
            }
        }
    }
}

/// One series of a bar chart: a name for the legend and one value per day.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub series: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// "26 Nov · Opened: 3", for the bar's tooltip.
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub y: f64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct XLabel {
    pub x: f64,
    pub label: String,
}

/// Everything an SVG bar chart draws, in its own coordinates (`width` × `height`).
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub width: f64,
    pub height: f64,
    /// Left edge of the plot (after the y labels) and its bottom (above the x labels).
    pub left: f64,
    pub bottom: f64,
    pub top: f64,
    pub right: f64,
    pub bars: Vec<Bar>,
    pub ticks: Vec<Tick>,
    pub x_labels: Vec<XLabel>,
    /// What the chart shows, in words, for screen readers.
    pub summary: String,
}

/// Most x labels drawn; with more days only every n-th is labelled.
const MAX_X_LABELS: usize = 10;
const TICKS: u32 = 4;

impl BarChart {
    /// Grouped bars, one group per day (`days` are `YYYY-MM-DD`). Missing values draw nothing.
    pub fn layout(days: &[String], series: &[Series], unit: Unit, width: f64, height: f64) -> Self {
        let (left, right, top, bottom) = (72.0, width - 8.0, 10.0, height - 28.0);
        let max = series
            .iter()
            .flat_map(|s| s.values.iter().flatten().copied())
            .fold(0.0f64, f64::max);
        let step = unit.step(max, TICKS);
        let top_value = (max / step).ceil().max(1.0) * step;
        let scale = |v: f64| bottom - (v / top_value) * (bottom - top);
        let ticks = (0..=((top_value / step).round() as u32))
            .map(|i| {
                let v = f64::from(i) * step;
                Tick {
                    y: scale(v),
                    label: unit.format(v),
                }
            })
            .collect();
        let n = days.len().max(1);
        let slot = (right - left) / n as f64;
        let group = slot * 0.8;
        let bar_width = group / series.len().max(1) as f64;
        let mut bars = Vec::new();
        for (day_index, day) in days.iter().enumerate() {
            let group_left = left + slot * day_index as f64 + (slot - group) / 2.0;
            for (s_index, s) in series.iter().enumerate() {
                let Some(value) = s.values.get(day_index).copied().flatten() else {
                    continue;
                };
                let y = scale(value);
                bars.push(Bar {
                    series: s_index,
                    x: group_left + bar_width * s_index as f64,
                    y,
                    width: (bar_width - 1.0).max(1.0),
                    height: (bottom - y).max(0.0),
                    title: format!("{} · {}: {}", short_date(day), s.name, unit.format(value)),
                });
            }
        }
        let every = days.len().div_ceil(MAX_X_LABELS).max(1);
        let x_labels = days
            .iter()
            .enumerate()
            .filter(|(i, _)| i % every == 0)
            .map(|(i, d)| XLabel {
                x: left + slot * i as f64 + slot / 2.0,
                label: short_date(d),
            })
            .collect();
        let totals: Vec<String> = series
            .iter()
            .map(|s| {
                let known: Vec<f64> = s.values.iter().flatten().copied().collect();
                let figure = match unit {
                    Unit::Count => rt().in_total(&unit.format(known.iter().sum())),
                    Unit::Duration if known.is_empty() => rt().no_figures.to_owned(),
                    Unit::Duration => {
                        rt().highest(&unit.format(known.iter().copied().fold(0.0, f64::max)))
                    }
                };
                format!("{}: {figure}", s.name)
            })
            .collect();
        let summary = match (days.first(), days.last()) {
            (Some(first), Some(last)) => {
                rt().by_day(&short_date(first), &short_date(last), &totals.join("; "))
            }
            _ => rt().no_days.to_owned(),
        };
        BarChart {
            width,
            height,
            left,
            bottom,
            top,
            right,
            bars,
            ticks,
            x_labels,
            summary,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_people_say_them() {
        let cases = [
            (0, "0 s"),
            (400, "0.4 s"),
            (1_000, "1 s"),
            (1_240, "1.2 s"),
            (2_960, "3 s"),
            (45_000, "45 s"),
            (59_600, "1 min"),
            (60_000, "1 min"),
            (125_000, "2 min 5 s"),
            (3_600_000, "1 h"),
            (3 * HOUR + 10 * MINUTE + 59 * SECOND, "3 h 10 min"),
            (DAY, "1 d"),
            (2 * DAY + 4 * HOUR + 5 * MINUTE, "2 d 4 h"),
            (-5, "0 s"),
        ];
        for (ms, text) in cases {
            assert_eq!(duration(ms), text, "{ms} ms");
        }
        assert_eq!(maybe_duration(None), "—");
    }

    #[test]
    fn queries_carry_range_filters_and_order() {
        let mut filters = Filters {
            range: Range::Preset("today".into()),
            agent: "a_1".into(),
            team: String::new(),
            category: "Soporte técnico & más".into(),
        };
        assert_eq!(
            filters.query(None),
            "preset=today&agent=a_1&category=Soporte%20t%C3%A9cnico%20%26%20m%C3%A1s"
        );
        filters.range = Range::Dates {
            from: "2025-11-01".into(),
            to: "2025-11-30".into(),
        };
        filters.category.clear();
        let mut order = ListOrder::default();
        assert_eq!(
            filters.query(Some(&order)),
            "from=2025-11-01&to=2025-11-30&agent=a_1&sort=closed_at&desc=true&page=1&page_size=50"
        );
        assert_eq!(
            filters.csv_query(&order),
            "from=2025-11-01&to=2025-11-30&agent=a_1&sort=closed_at&desc=true"
        );
        order.page = 3;
        order.click("first_response");
        assert_eq!(
            (order.column.as_str(), order.desc, order.page),
            ("first_response", false, 1)
        );
        assert_eq!(order.aria_sort("first_response"), "ascending");
        order.click("first_response");
        assert_eq!(order.aria_sort("first_response"), "descending");
        assert_eq!(order.aria_sort("closed_at"), "none");
        order.click("opened_at");
        assert!(order.desc, "times start newest first");
        assert_eq!(order.pages(0), 1);
        assert_eq!(order.pages(101), 3);
    }

    #[test]
    fn custom_ranges_are_checked_before_asking() {
        let mut f = Filters {
            range: Range::Dates {
                from: "2025-11-02".into(),
                to: "2025-11-01".into(),
            },
            ..Filters::default()
        };
        assert!(f.range_problem().unwrap().contains("before"));
        f.range = Range::Dates {
            from: "".into(),
            to: "2025-11-01".into(),
        };
        assert!(f.range_problem().is_some());
        f.range = Range::Dates {
            from: "2025-11-01".into(),
            to: "2025-11-01".into(),
        };
        assert_eq!(f.range_problem(), None);
        assert_eq!(Filters::default().range_problem(), None);
    }

    #[test]
    fn dates_and_file_names() {
        assert_eq!(short_date("2025-11-26"), "26 Nov");
        assert_eq!(short_date("nonsense"), "nonsense");
        assert_eq!(
            range_caption("2025-11-20", "2025-11-26", "Europe/Madrid"),
            "20 Nov – 26 Nov 2025 (Europe/Madrid)"
        );
        assert_eq!(
            range_caption("2025-11-26", "2025-11-26", "UTC"),
            "26 Nov 2025 (UTC)"
        );
        assert_eq!(
            attachment_name(Some(
                r#"attachment; filename="charla-closed-2025-11-26_2025-11-26.csv""#
            )),
            "charla-closed-2025-11-26_2025-11-26.csv"
        );
        assert_eq!(
            attachment_name(Some("attachment; filename=\"../../etc\"")),
            "charla-closed.csv"
        );
        assert_eq!(attachment_name(None), "charla-closed.csv");
    }

    #[test]
    fn charts_scale_to_nice_ticks_and_place_bars() {
        let days: Vec<String> = (1..=3).map(|d| format!("2025-11-0{d}")).collect();
        let series = vec![
            Series {
                name: "Opened".into(),
                values: vec![Some(3.0), Some(7.0), None],
            },
            Series {
                name: "Closed".into(),
                values: vec![Some(1.0), Some(0.0), Some(2.0)],
            },
        ];
        let chart = BarChart::layout(&days, &series, Unit::Count, 300.0, 150.0);
        let labels: Vec<&str> = chart.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["0", "2", "4", "6", "8"]);
        assert_eq!(chart.bars.len(), 5, "the missing value draws nothing");
        let tallest = chart
            .bars
            .iter()
            .max_by(|a, b| a.height.total_cmp(&b.height))
            .unwrap();
        assert_eq!(tallest.title, "2 Nov · Opened: 7");
        assert!((tallest.height - (chart.bottom - chart.top) * 7.0 / 8.0).abs() < 1e-9);
        // Bars stay inside the plot and groups do not overlap.
        for bar in &chart.bars {
            assert!(bar.x >= chart.left && bar.x + bar.width <= chart.right);
            assert!(bar.y >= chart.top - 1e-9 && bar.y + bar.height <= chart.bottom + 1e-9);
        }
        assert_eq!(chart.x_labels.len(), 3);
        assert_eq!(
            chart.summary,
            "By day from 1 Nov to 3 Nov. Opened: 10 in total; Closed: 3 in total."
        );

        let durations = vec![Series {
            name: "Median".into(),
            values: vec![Some(95_000.0)],
        }];
        let one = BarChart::layout(&days[..1], &durations, Unit::Duration, 300.0, 150.0);
        let labels: Vec<&str> = one.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["0 s", "30 s", "1 min", "1 min 30 s", "2 min"]);

        // An empty chart still has an axis, and many days are labelled sparsely.
        let many: Vec<String> = (1..=30).map(|d| format!("2025-11-{d:02}")).collect();
        let empty = BarChart::layout(&many, &[], Unit::Count, 600.0, 150.0);
        assert!(empty.bars.is_empty());
        assert_eq!(empty.ticks.first().unwrap().label, "0");
        assert!(empty.x_labels.len() <= 10);
    }

    #[test]
    fn reads_the_edge_answers() {
        let list: ListAnswer = serde_json::from_value(serde_json::json!({
            "rows": [], "total": 0, "page": 1, "page_size": 50, "from": 0, "to": 86_400_000,
            "first": "2025-11-26", "last": "2025-11-26", "time_zone": "UTC", "agent": null
        }))
        .unwrap();
        assert_eq!(list.scope.first, "2025-11-26");
        let agents: AgentsAnswer = serde_json::from_value(serde_json::json!({
            "agents": [{"agent_id": "a", "assigned": 1, "closed": 1, "messages_sent": 2,
                        "first_response": {"count": 1, "median": 5, "p90": 5},
                        "resolution": {"count": 0, "median": null, "p90": null}, "open_now": 0}],
            "from": 0, "to": 1, "first": "2025-11-26", "last": "2025-11-26",
            "time_zone": "UTC", "agent": "a"
        }))
        .unwrap();
        assert_eq!(agents.scope.agent.as_deref(), Some("a"));
        assert_eq!(agents.agents[0].first_response.median, Some(5));
    }
}
