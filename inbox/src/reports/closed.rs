//! Closed conversations: one line per period closed in the range, sortable by its headers,
//! paged, downloadable as CSV (fetched with the session's token, saved from a blob URL).
//! A line opens its conversation.

use charla_shared::reports::ReportRow;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::browser;
use crate::dates;
use crate::reports::model::{self as rv, Filters, ListAnswer, ListOrder, SORT_COLUMNS};
use crate::shell::route::Route;
use crate::shell::workspace::Workspace;

use super::i18n::{rt, rt_untracked};
use super::{load_report, ReportStatus};

const PAGE_SIZES: [u32; 4] = [25, 50, 100, 200];

#[component]
pub fn ClosedConversations(filters: RwSignal<Filters>, route: RwSignal<Route>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let order = RwSignal::new(ListOrder::default());
    // New filters go back to the first page.
    Effect::new(move |previous: Option<Filters>| {
        let now = filters.get();
        if previous.as_ref().is_some_and(|p| *p != now) {
            order.update(|o| o.page = 1);
        }
        now
    });
    let query = Memo::new(move |_| order.with(|o| filters.with(|f| f.valid_query(Some(o)))));
    let (data, error, loading) = load_report::<ListAnswer>("conversations", query);
    let zone = Memo::new(move |_| {
        data.with(|d| {
            d.as_ref()
                .map(|d| d.scope.time_zone.clone())
                .unwrap_or_else(|| "UTC".to_owned())
        })
    });
    let caption = Signal::derive(move || {
        data.with(|d| {
            d.as_ref()
                .map(|d| rv::range_caption(&d.scope.first, &d.scope.last, &d.scope.time_zone))
        })
    });
    let total = Memo::new(move |_| data.with(|d| d.as_ref().map_or(0, |d| d.total)));
    let pages = Memo::new(move |_| order.with(|o| o.pages(total.get())));
    let page = Memo::new(move |_| order.with(|o| o.page));

    let downloading = RwSignal::new(false);
    let download_error = RwSignal::new(None::<String>);
    let download = move |_| {
        if downloading.get_untracked() {
            return;
        }
        let q = filters.with_untracked(|f| order.with_untracked(|o| f.csv_query(o)));
        downloading.set(true);
        download_error.set(None);
        spawn_local(async move {
            let result = api::report_csv(&ws.token(), &q).await;
            downloading.set(false);
            match result {
                Ok((blob, disposition)) => {
                    let name = rv::attachment_name(disposition.as_deref());
                    if !browser::save_blob(&blob, &name) {
                        download_error.set(Some(rt_untracked().download_refused.to_owned()));
                    }
                }
                Err(e) => download_error.set(Some(ws.failure(e))),
            }
        });
    };

    let headers = SORT_COLUMNS
        .iter()
        .map(|column| {
            let column: &'static str = column;
            view! {
                <th scope="col" aria-sort=move || order.with(|o| o.aria_sort(column))>
                    <button
                        type="button"
                        class="sort"
                        data-charla=format!("sort-{column}")
                        aria-label=move || rt().sort_by(rt().column(column))
                        on:click=move |_| order.update(|o| o.click(column))
                    >
                        {move || rt().column(column)}
                        <span aria-hidden="true" class="sort-mark">
                            {move || match order.with(|o| o.aria_sort(column)) {
                                "ascending" => " ▲",
                                "descending" => " ▼",
                                _ => "",
                            }}
                        </span>
                    </button>
                </th>
            }
        })
        .collect_view();

    view! {
        <div class="section-head">
            <h2>{move || rt().closed_title}</h2>
            <button
                type="button"
                class="small"
                data-charla="download-csv"
                aria-busy=move || downloading.get().to_string()
                disabled=move || downloading.get() || query.with(Option::is_none)
                on:click=download
            >
                {move || rt().download_csv}
            </button>
        </div>
        <ReportStatus error loading caption />
        <Show when=move || download_error.with(Option::is_some)>
            <p class="form-error" role="alert">
                {move || download_error.get().unwrap_or_default()}
            </p>
        </Show>
        <div class="table-wrap">
            <table class="agents-table report-table" data-charla="closed-table">
                <thead>
                    <tr>
                        {headers}
                        <th scope="col">{move || rt().col_summary}</th>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || {
                            data.with(|d| d.as_ref().map(|d| d.rows.clone()).unwrap_or_default())
                        }
                        key=|r| (r.conversation_id.clone(), r.period)
                        children=move |row| view! { <ClosedRow row zone route /> }
                    />
                </tbody>
            </table>
        </div>
        <Show when=move || data.with(|d| d.as_ref().is_some_and(|d| d.rows.is_empty()))>
            <p class="hint" data-charla="no-rows">{move || rt().no_rows}</p>
        </Show>
        <nav class="pager" aria-label=move || rt().pages_label>
            <button
                type="button"
                class="small"
                disabled=move || { page.get() <= 1 }
                on:click=move |_| order.update(|o| o.page = o.page.saturating_sub(1).max(1))
            >
                {move || rt().previous_page}
            </button>
            <span class="hint" data-charla="page-status">
                {move || {
                    // The count first, then what derives from it, from the same reads: read
                    // after the `pages` memo that derives from it, `total` had already been
                    // brought up to date by that memo and this line did not re-render (it
                    // stayed at "0 conversations" while the rows came in).
                    let n = total.get();
                    let (page, pages) = order.with(|o| (o.page, o.pages(n)));
                    rt().page_status(page, pages, n)
                }}
            </span>
            <button
                type="button"
                class="small"
                disabled=move || { page.get() >= pages.get() }
                on:click=move |_| order.update(|o| o.page += 1)
            >
                {move || rt().next_page}
            </button>
            <label class="checkbox">
                <span>{move || rt().rows_per_page}</span>
                <select
                    aria-label=move || rt().rows_per_page
                    on:change=move |ev| {
                        if let Ok(size) = event_target_value(&ev).parse::<u32>() {
                            order.update(|o| {
                                o.page_size = size;
                                o.page = 1;
                            });
                        }
                    }
                >
                    {PAGE_SIZES
                        .into_iter()
                        .map(|size| {
                            view! {
                                <option
                                    value=size.to_string()
                                    prop:selected=move || order.with(|o| o.page_size == size)
                                >
                                    {size}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
        </nav>
    }
}

#[component]
fn ClosedRow(row: ReportRow, zone: Memo<String>, route: RwSignal<Route>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let id = row.conversation_id.clone();
    let open = {
        let id = id.clone();
        move |_| {
            route.set(Route::Inbox {
                selected: Some(id.clone()),
            })
        }
    };
    let assignee = row
        .assignee_id
        .as_deref()
        .map(|a| ws.agent_name(a).unwrap_or_else(|| a.to_owned()))
        .unwrap_or_else(|| "—".to_owned());
    let team = row
        .team_id
        .as_deref()
        .map(|t| ws.team_name(t).unwrap_or_else(|| t.to_owned()))
        .unwrap_or_else(|| "—".to_owned());
    let opened = row.opened_at;
    let closed = row.closed_at;
    let ms = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    view! {
        <tr
            class="report-row"
            data-charla="report-row"
            data-id=id.clone()
            data-period=row.period
            on:click=open
        >
            <td>
                <a href=format!("#/c/{id}") data-charla="row-contact">
                    {row.contact_name.clone()}
                </a>
            </td>
            <td data-charla="row-assignee">{assignee}</td>
            <td data-charla="row-team">{team}</td>
            <td>{move || dates::date_time_in(opened, &zone.get())}</td>
            <td>
                {move || closed.map(|c| dates::date_time_in(c, &zone.get())).unwrap_or_default()}
            </td>
            <td data-charla="row-first-response" data-ms=ms(row.first_response_ms)>
                {rv::maybe_duration(row.first_response_ms)}
            </td>
            <td data-charla="row-resolution" data-ms=ms(row.resolution_ms)>
                {rv::maybe_duration(row.resolution_ms)}
            </td>
            <td data-charla="row-category">{row.category.clone().unwrap_or_default()}</td>
            <td>{row.messages_in}</td>
            <td data-charla="row-summary" class="summary-cell">
                {row.summary.clone().unwrap_or_default()}
            </td>
        </tr>
    }
}
