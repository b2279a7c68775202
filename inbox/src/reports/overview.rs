//! Overview: cards over the range and charts by local day.

use charla_shared::reports::{DayPoint, Distribution, Overview};
use leptos::prelude::*;

use crate::reports::model::{self as rv, Filters, OverviewAnswer, Series, Unit};

use super::chart::BarChartView;
use super::i18n::rt;
use super::{load_report, ReportStatus};

#[component]
pub fn OverviewView(filters: RwSignal<Filters>) -> impl IntoView {
    let query = Memo::new(move |_| filters.with(|f| f.valid_query(None)));
    let (data, error, loading) = load_report::<OverviewAnswer>("overview", query);
    let caption = Signal::derive(move || {
        data.with(|d| {
            d.as_ref()
                .map(|d| rv::range_caption(&d.first, &d.last, &d.time_zone))
        })
    });
    view! {
        <h2>{move || rt().overview}</h2>
        <ReportStatus error loading caption />
        {move || data.get().map(|d| view! { <OverviewBody overview=d.overview /> })}
    }
}

fn count(n: u64) -> String {
    n.to_string()
}

/// "median 2 min 5 s · p90 4 min (12)".
fn spread(d: &Distribution) -> (String, String) {
    let value = rv::maybe_duration(d.median);
    let note = match d.count {
        0 => rt().no_figures_yet.to_owned(),
        n => rt().p90_over(&rv::maybe_duration(d.p90), n),
    };
    (value, note)
}

#[component]
fn OverviewBody(overview: Overview) -> impl IntoView {
    let o = &overview;
    let t = rt();
    let mut cards: Vec<(&'static str, &'static str, String, String)> = vec![
        (
            "opened",
            t.card_opened,
            count(o.opened),
            t.periods_opened.to_owned(),
        ),
        (
            "closed",
            t.card_closed,
            count(o.closed),
            t.answered(o.answered),
        ),
    ];
    let (v, n) = spread(&o.first_response);
    cards.push(("first-response", t.card_first_response, v, n));
    let (v, n) = spread(&o.first_assignment_to_response);
    cards.push((
        "first-response-assigned",
        t.card_first_response_assigned,
        v,
        n,
    ));
    let (v, n) = spread(&o.resolution);
    cards.push(("resolution", t.card_resolution, v, n));
    cards.push((
        "avg-response",
        t.card_avg_response,
        rv::maybe_duration(o.avg_response_ms),
        t.over_responses(o.responses),
    ));
    cards.push((
        "messages-in",
        t.card_messages_in,
        count(o.messages_in),
        t.from_contacts.to_owned(),
    ));
    cards.push((
        "messages-out",
        t.card_messages_out,
        count(o.messages_out),
        t.by_agents_bots.to_owned(),
    ));
    cards.push((
        "assignments",
        t.card_assignments,
        count(o.assignments),
        t.first_and_re.to_owned(),
    ));
    if o.first_response_business.count > 0 {
        let (v, n) = spread(&o.first_response_business);
        cards.push((
            "first-response-business",
            t.card_first_response_business,
            v,
            n,
        ));
    }
    if o.resolution_business.count > 0 {
        let (v, n) = spread(&o.resolution_business);
        cards.push(("resolution-business", t.card_resolution_business, v, n));
    }
    let cards = cards
        .into_iter()
        .map(|(name, label, value, note)| {
            view! {
                <li class="card" data-charla=format!("card-{name}")>
                    <span class="card-label">{label}</span>
                    <span class="card-value" data-charla="card-value">{value}</span>
                    <span class="card-note">{note}</span>
                </li>
            }
        })
        .collect_view();

    let days: Vec<String> = o.days.iter().map(|d| d.date.to_string()).collect();
    let series = |name: &str, f: fn(&DayPoint) -> Option<f64>| Series {
        name: name.to_owned(),
        values: o.days.iter().map(f).collect(),
    };
    let conversations = vec![
        series(t.series_opened, |d| Some(d.opened as f64)),
        series(t.series_closed, |d| Some(d.closed as f64)),
    ];
    let messages = vec![
        series(t.series_received, |d| Some(d.messages_in as f64)),
        series(t.series_sent, |d| Some(d.messages_out as f64)),
    ];
    let first_response = vec![
        series(t.series_median, |d| {
            d.first_response.median.map(|v| v as f64)
        }),
        series(t.series_p90, |d| d.first_response.p90.map(|v| v as f64)),
    ];
    let resolution = vec![
        series(t.series_median, |d| d.resolution.median.map(|v| v as f64)),
        series(t.series_p90, |d| d.resolution.p90.map(|v| v as f64)),
    ];
    view! {
        <ul class="cards" data-charla="overview-cards">{cards}</ul>
        <div class="charts">
            <BarChartView
                id="chart-conversations"
                title=t.chart_conversations
                days=days.clone()
                series=conversations
                unit=Unit::Count
            />
            <BarChartView
                id="chart-messages"
                title=t.chart_messages
                days=days.clone()
                series=messages
                unit=Unit::Count
            />
            <BarChartView
                id="chart-first-response"
                title=t.chart_first_response
                days=days.clone()
                series=first_response
                unit=Unit::Duration
            />
            <BarChartView
                id="chart-resolution"
                title=t.chart_resolution
                days
                series=resolution
                unit=Unit::Duration
            />
        </div>
    }
}
