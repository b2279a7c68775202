//! Reports (docs/REPORTS.md): a period (presets or two dates in the workspace's time zone) and
//! filters shared by four views — overview cards and charts by day, the closed conversations
//! (sortable, paged, CSV), the agents leaderboard and the teams. Agents get their own figures
//! only; the server decides that, the page just says so.

mod chart;
mod closed;
pub mod i18n;
pub mod model;
mod overview;
mod people;

use i18n::rt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::de::DeserializeOwned;

use crate::api;
use crate::reports::model::{Filters, Range, PRESETS};
use crate::shell::route::Route;
use crate::shell::workspace::Workspace;
use closed::ClosedConversations;
use overview::OverviewView;
use people::{AgentsView, TeamsView};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Overview,
    Closed,
    Agents,
    Teams,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Overview, Tab::Closed, Tab::Agents, Tab::Teams];

    fn label(self) -> &'static str {
        let t = rt();
        match self {
            Tab::Overview => t.tab_overview,
            Tab::Closed => t.tab_closed,
            Tab::Agents => t.tab_agents,
            Tab::Teams => t.tab_teams,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Tab::Overview => "overview",
            Tab::Closed => "closed",
            Tab::Agents => "agents",
            Tab::Teams => "teams",
        }
    }
}

#[component]
pub fn ReportsPage(route: RwSignal<Route>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let filters = RwSignal::new(Filters::default());
    let tab = RwSignal::new(Tab::Overview);
    let custom = Memo::new(move |_| filters.with(|f| matches!(f.range, Range::Dates { .. })));
    let range_problem = Memo::new(move |_| filters.with(Filters::range_problem));
    let categories = Memo::new(move |_| {
        ws.closing
            .with(|c| c.as_ref().map(|c| c.categories.clone()).unwrap_or_default())
    });
    let preset_value = Memo::new(move |_| {
        filters.with(|f| match &f.range {
            Range::Preset(p) => p.clone(),
            Range::Dates { .. } => "custom".to_owned(),
        })
    });
    let date = move |first: bool| {
        move || {
            filters.with(|f| match &f.range {
                Range::Dates { from, to } => {
                    if first {
                        from.clone()
                    } else {
                        to.clone()
                    }
                }
                Range::Preset(_) => String::new(),
            })
        }
    };
    let set_date = move |first: bool, value: String| {
        filters.update(|f| {
            if let Range::Dates { from, to } = &mut f.range {
                if first {
                    *from = value;
                } else {
                    *to = value;
                }
            }
        })
    };
    let on_period = move |ev| {
        let value = event_target_value(&ev);
        filters.update(|f| {
            f.range = if value == "custom" {
                let today = crate::dates::iso_date(crate::browser::now())
                    .get(..10)
                    .unwrap_or_default()
                    .to_owned();
                Range::Dates {
                    from: today.clone(),
                    to: today,
                }
            } else {
                Range::Preset(value)
            };
        });
    };
    let presets = PRESETS
        .iter()
        .map(|value| {
            view! {
                <option value=*value prop:selected=move || preset_value.with(|p| p == value)>
                    {move || rt().preset(value)}
                </option>
            }
        })
        .collect_view();

    view! {
        <main class="settings reports-page" data-charla="reports">
            <div class="settings-head">
                <h1 id="reports-title">{move || rt().title}</h1>
            </div>
            <Show when=move || !ws.can_manage()>
                <p class="notice-plain hint" data-charla="own-figures">
                    {move || rt().own_figures}
                </p>
            </Show>
            <form
                class="settings-section report-filters"
                role="search"
                aria-label=move || rt().filters
                on:submit=move |ev| ev.prevent_default()
            >
                <div class="form-row">
                    <label>
                        <span>{move || rt().period}</span>
                        <select aria-label=move || rt().period data-charla="period" on:change=on_period>
                            {presets}
                            <option value="custom" prop:selected=move || custom.get()>
                                {move || rt().custom_dates}
                            </option>
                        </select>
                    </label>
                    <Show when=move || custom.get()>
                        <label>
                            <span>{move || rt().from}</span>
                            <input
                                type="date"
                                aria-label=move || rt().from_date
                                prop:value=date(true)
                                on:change=move |ev| set_date(true, event_target_value(&ev))
                            />
                        </label>
                        <label>
                            <span>{move || rt().to}</span>
                            <input
                                type="date"
                                aria-label=move || rt().to_date
                                prop:value=date(false)
                                on:change=move |ev| set_date(false, event_target_value(&ev))
                            />
                        </label>
                    </Show>
                    <Show when=move || ws.can_manage()>
                        <label>
                            <span>{move || rt().agent}</span>
                            <select
                                aria-label=move || rt().agent_filter
                                on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    filters.update(|f| f.agent = v);
                                }
                            >
                                <option value="">{move || rt().all_agents}</option>
                                <For
                                    each=move || ws.agents.get()
                                    key=|a| (a.profile.id.clone(), a.profile.name.clone())
                                    children=move |a| {
                                        let id = a.profile.id.clone();
                                        view! {
                                            <option
                                                value=a.profile.id.clone()
                                                prop:selected=move || filters.with(|f| f.agent == id)
                                            >
                                                {a.profile.name.clone()}
                                            </option>
                                        }
                                    }
                                />
                            </select>
                        </label>
                    </Show>
                    <label>
                        <span>{move || rt().team}</span>
                        <select
                            aria-label=move || rt().team_filter
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                filters.update(|f| f.team = v);
                            }
                        >
                            <option value="">{move || rt().all_teams}</option>
                            <For
                                each=move || ws.teams.get()
                                key=|t| (t.id.clone(), t.name.clone())
                                children=move |t| {
                                    let id = t.id.clone();
                                    view! {
                                        <option
                                            value=t.id.clone()
                                            prop:selected=move || filters.with(|f| f.team == id)
                                        >
                                            {t.name.clone()}
                                        </option>
                                    }
                                }
                            />
                        </select>
                    </label>
                    <Show when=move || !categories.with(Vec::is_empty)>
                        <label>
                            <span>{move || rt().category}</span>
                            <select
                                aria-label=move || rt().category_filter
                                on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    filters.update(|f| f.category = v);
                                }
                            >
                                <option value="">{move || rt().all_categories}</option>
                                {move || {
                                    categories
                                        .get()
                                        .into_iter()
                                        .map(|c| {
                                            let selected = filters.with_untracked(|f| f.category == c);
                                            let text = c.clone();
                                            view! {
                                                <option value=c prop:selected=selected>
                                                    {text}
                                                </option>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </select>
                        </label>
                    </Show>
                </div>
                <Show when=move || range_problem.with(Option::is_some)>
                    <p class="form-error" role="alert">
                        {move || range_problem.get().unwrap_or_default()}
                    </p>
                </Show>
            </form>
            <div class="report-tabs" role="tablist" aria-label=move || rt().tabs>
                {Tab::ALL
                    .into_iter()
                    .map(|t| {
                        view! {
                            <button
                                type="button"
                                role="tab"
                                class="view-tab"
                                id=format!("report-tab-{}", t.name())
                                data-charla=format!("report-tab-{}", t.name())
                                aria-selected=move || (tab.get() == t).to_string()
                                aria-controls="report-panel"
                                on:click=move |_| tab.set(t)
                            >
                                {move || t.label()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <section
                class="settings-section report-panel"
                id="report-panel"
                role="tabpanel"
                aria-labelledby=move || format!("report-tab-{}", tab.get().name())
            >
                {move || match tab.get() {
                    Tab::Overview => view! { <OverviewView filters /> }.into_any(),
                    Tab::Closed => view! { <ClosedConversations filters route /> }.into_any(),
                    Tab::Agents => view! { <AgentsView filters /> }.into_any(),
                    Tab::Teams => view! { <TeamsView filters /> }.into_any(),
                }}
            </section>
        </main>
    }
}

/// A report answer that reloads whenever `query` changes (and is valid): the latest
/// request wins, an older answer arriving late is dropped.
pub(crate) fn load_report<T>(
    name: &'static str,
    query: Memo<Option<String>>,
) -> (
    RwSignal<Option<T>>,
    RwSignal<Option<String>>,
    RwSignal<bool>,
)
where
    T: DeserializeOwned + Send + Sync + 'static,
{
    let ws = expect_context::<Workspace>();
    let data = RwSignal::new(None::<T>);
    let error = RwSignal::new(None::<String>);
    let loading = RwSignal::new(false);
    let generation = StoredValue::new(0u32);
    Effect::new(move |_| {
        let Some(q) = query.get() else {
            return;
        };
        let this = generation.get_value().wrapping_add(1);
        generation.set_value(this);
        loading.set(true);
        spawn_local(async move {
            let result = api::report::<T>(&ws.token(), name, &q).await;
            if generation.try_get_value() != Some(this) {
                return;
            }
            loading.set(false);
            match result {
                Ok(answer) => {
                    error.set(None);
                    data.set(Some(answer));
                }
                Err(e) => error.set(Some(ws.failure(e))),
            }
        });
    });
    (data, error, loading)
}

/// "Loading…" and the server's refusal, above a report.
#[component]
pub(crate) fn ReportStatus(
    error: RwSignal<Option<String>>,
    loading: RwSignal<bool>,
    #[prop(into)] caption: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class="report-status">
            <span class="hint" data-charla="report-range">
                {move || caption.get().unwrap_or_default()}
            </span>
            <Show when=move || loading.get()>
                <span class="hint" role="status">
                    {move || rt().loading}
                </span>
            </Show>
        </div>
        <Show when=move || error.with(Option::is_some)>
            <p class="form-error" role="alert" data-charla="report-error">
                {move || error.get().unwrap_or_default()}
            </p>
        </Show>
    }
}
