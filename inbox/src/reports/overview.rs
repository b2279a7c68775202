//! Overview: cards over the range and charts by local day.

use charla_shared::reports::{DayPoint, Distribution, Overview};
use leptos::prelude::*;

use crate::reports::model::{self as rv, Filters, OverviewAnswer, Series, Unit};

use super::chart::BarChartView;
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
        <h2>"Overview"</h2>
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
        0 => "no figures yet".to_owned(),
        n => format!("p90 {} · over {n}", rv::maybe_duration(d.p90)),
    };
    (value, note)
}

#[component]
fn OverviewBody(overview: Overview) -> impl IntoView {
    let o = &overview;
    let mut cards: Vec<(&'static str, &'static str, String, String)> = vec![
        (
            "opened",
            "Opened",
            count(o.opened),
            "periods opened".to_owned(),
        ),
        (
            "closed",
            "Closed",
            count(o.closed),
            format!("{} answered", o.answered),
        ),
    ];
    let (v, n) = spread(&o.first_response);
    cards.push(("first-response", "First response (median)", v, n));
    let (v, n) = spread(&o.first_assignment_to_response);
    cards.push((
        "first-response-assigned",
        "First response after assignment",
        v,
        n,
    ));
    let (v, n) = spread(&o.resolution);
    cards.push(("resolution", "Resolution (median)", v, n));
    cards.push((
        "avg-response",
        "Average response",
        rv::maybe_duration(o.avg_response_ms),
        format!("over {} responses", o.responses),
    ));
    cards.push((
        "messages-in",
        "Messages received",
        count(o.messages_in),
        "from contacts".to_owned(),
    ));
    cards.push((
        "messages-out",
        "Messages sent",
        count(o.messages_out),
        "by agents, bots and workflows".to_owned(),
    ));
    cards.push((
        "assignments",
        "Assignments",
        count(o.assignments),
        "first assignments and reassignments".to_owned(),
    ));
    if o.first_response_business.count > 0 {
        let (v, n) = spread(&o.first_response_business);
        cards.push((
            "first-response-business",
            "First response, business hours",
            v,
            n,
        ));
    }
    if o.resolution_business.count > 0 {
        let (v, n) = spread(&o.resolution_business);
        cards.push(("resolution-business", "Resolution, business hours", v, n));
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
        series("Opened", |d| Some(d.opened as f64)),
        series("Closed", |d| Some(d.closed as f64)),
    ];
    let messages = vec![
        series("Received", |d| Some(d.messages_in as f64)),
        series("Sent", |d| Some(d.messages_out as f64)),
    ];
    let first_response = vec![
        series("Median", |d| d.first_response.median.map(|v| v as f64)),
        series("90th percentile", |d| {
            d.first_response.p90.map(|v| v as f64)
        }),
    ];
    let resolution = vec![
        series("Median", |d| d.resolution.median.map(|v| v as f64)),
        series("90th percentile", |d| d.resolution.p90.map(|v| v as f64)),
    ];
    view! {
        <ul class="cards" data-charla="overview-cards">{cards}</ul>
        <div class="charts">
            <BarChartView
                id="chart-conversations"
                title="Conversations by day"
                days=days.clone()
                series=conversations
                unit=Unit::Count
            />
            <BarChartView
                id="chart-messages"
                title="Messages by day"
                days=days.clone()
                series=messages
                unit=Unit::Count
            />
            <BarChartView
                id="chart-first-response"
                title="First response by day"
                days=days.clone()
                series=first_response
                unit=Unit::Duration
            />
            <BarChartView
                id="chart-resolution"
                title="Resolution by day"
                days
                series=resolution
                unit=Unit::Duration
            />
        </div>
    }
}
