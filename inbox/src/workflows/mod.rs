//! The Workflows page (owners and managers): the list with enable switches and last runs,
//! "create from a template", and the editor (`#/workflows/{id}`, `#/workflows/new`). Agents
//! run manual and shortcut workflows from a conversation ([`crate::chat::run_menu`]); the edge
//! refuses them every change here whatever the page shows.

mod conditions;
mod editor;
pub mod form;
pub mod i18n;
pub mod list;
mod runs;
pub mod step_kind;
mod steps;

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::dates;
use crate::shell::route::Route;
use crate::shell::workspace::Workspace;
use editor::WorkflowEditor;
use i18n::{wt, wt_untracked};
use list::{TemplateInfo, WorkflowListing};
use runs::RunLine;

#[component]
pub fn WorkflowsPage(route: RwSignal<Route>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    // What to tell the editor it opens with ("Created from the template…").
    let flash = RwSignal::new(None::<String>);
    let editing = Memo::new(move |_| match route.get() {
        Route::Workflow { id } => Some(id),
        _ => None,
    });
    view! {
        <main class="settings workflows-page" data-charla="workflows">
            <Show
                when=move || ws.can_manage()
                fallback=|| {
                    view! {
                        <p class="notice-plain" role="alert" data-charla="workflows-forbidden">
                            {move || wt().only_managers}
                        </p>
                    }
                }
            >
                {move || match editing.get() {
                    Some(id) => view! { <WorkflowEditor id route flash /> }.into_any(),
                    None => view! { <WorkflowList route flash /> }.into_any(),
                }}
            </Show>
        </main>
    }
}

#[component]
fn WorkflowList(route: RwSignal<Route>, flash: RwSignal<Option<String>>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let listings = RwSignal::new(None::<Vec<WorkflowListing>>);
    let templates = RwSignal::new(Vec::<TemplateInfo>::new());
    let load_error = RwSignal::new(None::<String>);
    // Per workflow id: why the last change of that row was refused.
    let row_errors = RwSignal::new(BTreeMap::<String, String>::new());
    let confirming = RwSignal::new(None::<String>);
    let creating = RwSignal::new(false);
    let create_error = RwSignal::new(None::<String>);

    let reload = move || {
        spawn_local(async move {
            match api::workflows(&ws.token()).await {
                Ok(list) => {
                    load_error.set(None);
                    listings.set(Some(list));
                }
                Err(e) => load_error.set(Some(ws.failure(e))),
            }
        });
    };
    reload();
    spawn_local(async move {
        match api::workflow_templates(&ws.token()).await {
            Ok(list) => templates.set(list),
            Err(e) => load_error.set(Some(ws.failure(e))),
        }
    });

    let set_enabled = move |id: String, enabled: bool| {
        let apply = move |id: &str, value: bool| {
            listings.update(|l| {
                if let Some(line) = l.iter_mut().flatten().find(|line| line.workflow.id == id) {
                    line.workflow.enabled = value;
                }
            })
        };
        apply(&id, enabled);
        row_errors.update(|e| {
            e.remove(&id);
        });
        spawn_local(async move {
            match api::set_workflow_enabled(&ws.token(), &id, enabled).await {
                Ok(wf) => listings.update(|l| {
                    if let Some(line) = l.iter_mut().flatten().find(|line| line.workflow.id == id) {
                        line.workflow = wf;
                    }
                }),
                Err(e) => {
                    apply(&id, !enabled);
                    let message = ws.failure(e);
                    row_errors.update(|errors| {
                        errors.insert(id, message);
                    });
                }
            }
        });
    };
    let delete = move |id: String| {
        confirming.set(None);
        spawn_local(async move {
            match api::delete_workflow(&ws.token(), &id).await {
                Ok(_) => listings.update(|l| {
                    if let Some(l) = l {
                        l.retain(|line| line.workflow.id != id);
                    }
                }),
                Err(e) => {
                    let message = ws.failure(e);
                    row_errors.update(|errors| {
                        errors.insert(id, message);
                    });
                }
            }
        });
    };
    let create = move |template: String| {
        if creating.get_untracked() {
            return;
        }
        creating.set(true);
        create_error.set(None);
        spawn_local(async move {
            let result = api::create_from_template(&ws.token(), &template).await;
            creating.set(false);
            match result {
                Ok(wf) => {
                    flash.set(Some(wt_untracked().created_from_template.to_owned()));
                    route.set(Route::Workflow { id: Some(wf.id) });
                }
                Err(e) => create_error.set(Some(ws.failure(e))),
            }
        });
    };

    let ids = move || {
        listings.with(|l| {
            l.iter()
                .flatten()
                .map(|line| line.workflow.id.clone())
                .collect::<Vec<_>>()
        })
    };

    view! {
        <div class="settings-head">
            <h1 id="workflows-title">{move || wt().title}</h1>
            <a href="#/workflows/new" class="button-link" data-charla="new-workflow">
                {move || wt().new_workflow}
            </a>
        </div>
        <section
            class="settings-section"
            aria-labelledby="workflow-list-title"
            data-charla="workflow-list"
        >
            <div class="section-head">
                <h2 id="workflow-list-title">{move || wt().your_workflows}</h2>
                <button type="button" class="small" on:click=move |_| reload()>
                    {move || wt().refresh_workflows}
                </button>
            </div>
            <Show when=move || load_error.with(Option::is_some)>
                <p class="form-error" role="alert">
                    {move || load_error.get().unwrap_or_default()}
                </p>
            </Show>
            <Show when=move || listings.with(|l| l.as_ref().is_some_and(Vec::is_empty))>
                <p class="hint" data-charla="no-workflows">
                    {move || wt().no_workflows}
                </p>
            </Show>
            <Show when=move || listings.with(|l| l.as_ref().is_some_and(|l| !l.is_empty()))>
                <div class="table-wrap">
                    <table class="agents-table workflows-table">
                        <thead>
                            <tr>
                                <th scope="col">{move || wt().col_name}</th>
                                <th scope="col">{move || wt().col_trigger}</th>
                                <th scope="col">{move || wt().col_version}</th>
                                <th scope="col">{move || wt().col_on}</th>
                                <th scope="col">{move || wt().col_last_runs}</th>
                                <th scope="col">
                                    <span class="visually-hidden">{move || wt().col_actions}</span>
                                </th>
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=ids
                                key=String::clone
                                children=move |id| {
                                    let line = {
                                        let id = id.clone();
                                        Memo::new(move |_| {
                                            listings
                                                .with(|l| {
                                                    l.iter()
                                                        .flatten()
                                                        .find(|line| line.workflow.id == id)
                                                        .cloned()
                                                })
                                        })
                                    };
                                    let name = move || {
                                        line.with(|l| {
                                            l.as_ref().map(|l| l.workflow.name.clone()).unwrap_or_default()
                                        })
                                    };
                                    let enabled = move || {
                                        line.with(|l| l.as_ref().is_some_and(|l| l.workflow.enabled))
                                    };
                                    let error = {
                                        let id = id.clone();
                                        move || row_errors.with(|e| e.get(&id).cloned())
                                    };
                                    let is_confirming = {
                                        let id = id.clone();
                                        move || confirming.with(|c| c.as_deref() == Some(id.as_str()))
                                    };
                                    let toggle_id = id.clone();
                                    let confirm_id = id.clone();
                                    let delete_id = id.clone();
                                    view! {
                                        <tr data-charla="workflow-row" data-id=id.clone()>
                                            <td>
                                                <a href=format!("#/workflows/{id}") data-charla="workflow-name">
                                                    {name}
                                                </a>
                                            </td>
                                            <td data-charla="workflow-trigger">
                                                {move || {
                                                    line.with(|l| {
                                                        l.as_ref()
                                                            .map(|l| list::trigger_summary(&l.workflow.trigger))
                                                            .unwrap_or_default()
                                                    })
                                                }}
                                            </td>
                                            <td data-charla="workflow-version">
                                                {move || {
                                                    line.with(|l| {
                                                        l.as_ref().map(|l| l.workflow.version).unwrap_or_default()
                                                    })
                                                }}
                                            </td>
                                            <td>
                                                <label class="checkbox switch">
                                                    <input
                                                        type="checkbox"
                                                        role="switch"
                                                        data-charla="workflow-enabled"
                                                        aria-label=move || wt().enabled_named(&name())
                                                        prop:checked=enabled
                                                        on:change=move |ev| {
                                                            set_enabled(toggle_id.clone(), event_target_checked(&ev))
                                                        }
                                                    />
                                                    <span aria-hidden="true">
                                                        {move || if enabled() { wt().on } else { wt().off }}
                                                    </span>
                                                </label>
                                            </td>
                                            <td>
                                                <ul class="run-lines" data-charla="last-runs">
                                                    {move || {
                                                        let runs = line
                                                            .with(|l| {
                                                                l.as_ref().map(|l| l.last_runs.clone()).unwrap_or_default()
                                                            });
                                                        if runs.is_empty() {
                                                            view! { <li class="hint">{move || wt().no_runs}</li> }.into_any()
                                                        } else {
                                                            runs.into_iter()
                                                                .map(|run| view! { <RunLine run /> })
                                                                .collect_view()
                                                                .into_any()
                                                        }
                                                    }}
                                                </ul>
                                            </td>
                                            <td class="row-actions">
                                                <Show
                                                    when=is_confirming.clone()
                                                    fallback=move || {
                                                        let id = confirm_id.clone();
                                                        view! {
                                                            <button
                                                                type="button"
                                                                aria-label=move || wt().delete_named(&name())
                                                                on:click=move |_| confirming.set(Some(id.clone()))
                                                            >
                                                                {move || wt().delete}
                                                            </button>
                                                        }
                                                    }
                                                >
                                                    {
                                                        let id = delete_id.clone();
                                                        view! {
                                                            <span role="group" aria-label=move || wt().delete_asked(&name())>
                                                                <button
                                                                    type="button"
                                                                    class="danger"
                                                                    aria-label=move || wt().confirm_delete_named(&name())
                                                                    on:click=move |_| delete(id.clone())
                                                                >
                                                                    {move || wt().delete_for_good}
                                                                </button>
                                                                <button
                                                                    type="button"
                                                                    aria-label=move || wt().keep_it
                                                                    on:click=move |_| confirming.set(None)
                                                                >
                                                                    {move || wt().keep}
                                                                </button>
                                                            </span>
                                                        }
                                                    }
                                                </Show>
                                                <Show when={
                                                    let error = error.clone();
                                                    move || error().is_some()
                                                }>
                                                    <p class="form-error" role="alert" data-charla="workflow-error">
                                                        {
                                                            let error = error.clone();
                                                            move || error().unwrap_or_default()
                                                        }
                                                    </p>
                                                </Show>
                                            </td>
                                        </tr>
                                    }
                                }
                            />
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
        <section
            class="settings-section"
            aria-labelledby="templates-title"
            data-charla="workflow-templates"
        >
            <h2 id="templates-title">{move || wt().templates_title}</h2>
            <p class="hint">{move || wt().templates_hint}</p>
            <Show when=move || create_error.with(Option::is_some)>
                <p class="form-error" role="alert" data-charla="template-error">
                    {move || create_error.get().unwrap_or_default()}
                </p>
            </Show>
            <ul class="template-list">
                <For
                    each=move || templates.get()
                    key=|t| t.template.clone()
                    children=move |t| {
                        let template = t.template.clone();
                        let template_name = t.name.clone();
                        let label = move || wt().create_from_template_named(&template_name);
                        view! {
                            <li class="template" data-charla="template" data-template=t.template.clone()>
                                <h3>{t.name.clone()}</h3>
                                <p class="hint">{t.description.clone()}</p>
                                <button
                                    type="button"
                                    class="small"
                                    aria-label=label
                                    disabled=move || creating.get()
                                    on:click=move |_| create(template.clone())
                                >
                                    {move || wt().create_from_template}
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}

/// A time for run lists: the full local date and time.
pub(crate) fn when(at: i64) -> String {
    dates::full_date(at)
}
