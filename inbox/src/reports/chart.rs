//! An SVG bar chart drawn by the inbox from a [`BarChart`] layout: y axis with its ticks,
//! grouped bars with a tooltip each, day labels, a legend, and a title and description
//! screen readers announce.

use leptos::prelude::*;

use crate::reports::model::{BarChart, Series, Unit};

/// Width and height of the drawing, in its own units (it scales to the box).
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;

#[component]
pub fn BarChartView(
    /// Unique on the page: ids of the title and description derive from it.
    id: &'static str,
    title: &'static str,
    days: Vec<String>,
    series: Vec<Series>,
    unit: Unit,
) -> impl IntoView {
    let chart = BarChart::layout(&days, &series, unit, WIDTH, HEIGHT);
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled = format!("{title_id} {desc_id}");
    let ticks = chart
        .ticks
        .iter()
        .map(|t| {
            let y = format!("{:.1}", t.y);
            view! {
                <g class="tick">
                    <line x1=chart.left x2=chart.right y1=y.clone() y2=y.clone()></line>
                    <text x=chart.left - 6.0 y=y text-anchor="end" dominant-baseline="middle">
                        {t.label.clone()}
                    </text>
                </g>
            }
        })
        .collect_view();
    let bars = chart
        .bars
        .iter()
        .map(|b| {
            view! {
                <rect
                    class=format!("bar series-{}", b.series)
                    x=format!("{:.1}", b.x)
                    y=format!("{:.1}", b.y)
                    width=format!("{:.1}", b.width)
                    height=format!("{:.1}", b.height)
                >
                    <title>{b.title.clone()}</title>
                </rect>
            }
        })
        .collect_view();
    let x_labels = chart
        .x_labels
        .iter()
        .map(|l| {
            view! {
                <text class="x-label" x=format!("{:.1}", l.x) y=HEIGHT - 6.0 text-anchor="middle">
                    {l.label.clone()}
                </text>
            }
        })
        .collect_view();
    let legend = series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            view! {
                <li>
                    <span class=format!("swatch series-{i}") aria-hidden="true"></span>
                    {s.name.clone()}
                </li>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" data-charla="chart" data-chart=id>
            <figcaption id=title_id.clone()>{title}</figcaption>
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-labelledby=labelled
                preserveAspectRatio="xMidYMid meet"
            >
                // Built directly: the view macro would make a `title` right under `svg` an HTML one.
                {leptos::tachys::svg::title().child(title)}
                <desc id=desc_id>{chart.summary.clone()}</desc>
                <g class="ticks">{ticks}</g>
                <line
                    class="axis"
                    x1=chart.left
                    x2=chart.left
                    y1=chart.top
                    y2=chart.bottom
                ></line>
                <g class="bars">{bars}</g>
                <g class="x-labels">{x_labels}</g>
            </svg>
            <ul class="legend">{legend}</ul>
        </figure>
    }
}
