//! Runs of a workflow: a compact line for the list, and the full run list of the editor with
//! each run's steps and errors.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::dates;
use crate::shell::workspace::Workspace;
use crate::workflows::form::{step_label, trigger_label};
use crate::workflows::i18n::wt;
use crate::workflows::list::{self, RunSummary};

use super::when;

/// "Completed · 26/11/2025 10:05 · conversation".
#[component]
pub fn RunLine(run: RunSummary) -> impl IntoView {
    let outcome = run.log.outcome.as_ref();
    view! {
        <li class="run-line" data-charla="run" data-outcome=list::outcome_attr(outcome)>
            <span class="run-outcome">{list::outcome_label(outcome)}</span>
            " · "
            <time datetime=dates::iso_date(run.log.started_at)>{when(run.log.started_at)}</time>
            " · "
            <a href=format!("#/c/{}", run.log.conversation_id)>{wt().conversation_link}</a>
        </li>
    }
}

/// Every kept run of one workflow, newest first, loaded when shown and on request.
#[component]
pub fn RunList(id: String) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let runs = RwSignal::new(None::<Vec<RunSummary>>);
    let error = RwSignal::new(None::<String>);
    let load = move |id: String| {
        spawn_local(async move {
            match api::workflow_runs(&ws.token(), &id).await {
                Ok(list) => {
                    error.set(None);
                    runs.set(Some(list));
                }
                Err(e) => error.set(Some(ws.failure(e))),
            }
        });
    };
    load(id.clone());
    view! {
        <section class="settings-section" aria-labelledby="runs-title" data-charla="workflow-runs">
            <div class="section-head">
                <h2 id="runs-title">{move || wt().runs}</h2>
                <button type="button" class="small" on:click=move |_| load(id.clone())>
                    {move || wt().refresh_runs}
                </button>
            </div>
            <Show when=move || error.with(Option::is_some)>
                <p class="form-error" role="alert">
                    {move || error.get().unwrap_or_default()}
                </p>
            </Show>
            <Show when=move || runs.with(|r| r.as_ref().is_some_and(Vec::is_empty))>
                <p class="hint">{move || wt().no_runs}</p>
            </Show>
            <ol class="run-list">
                <For
                    each=move || runs.get().unwrap_or_default()
                    key=|r| (r.run_id.clone(), r.log.steps_taken, r.log.outcome.is_some())
                    children=move |run| view! { <RunDetails run /> }
                />
            </ol>
        </section>
    }
}

#[component]
fn RunDetails(run: RunSummary) -> impl IntoView {
    let log = run.log;
    let outcome = log.outcome.as_ref();
    let summary = format!(
        "{} · {} · {}",
        list::outcome_label(outcome),
        when(log.started_at),
        wt().steps_text(log.steps_taken),
    );
    let steps = log
        .steps
        .iter()
        .map(|s| {
            let mut line = format!(
                "{} {} ({})",
                dates::clock(s.at),
                s.step_id,
                step_label(crate::i18n::lang(), &s.action)
            );
            let said = match (&s.result, &s.note) {
                (Some(result), note) => {
                    Some(wt().step_result(result, note.as_deref().unwrap_or("")))
                }
                (None, note) => note.clone(),
            };
            if let Some(said) = said {
                line.push_str(" — ");
                line.push_str(&said);
            }
            view! { <li>{line}</li> }
        })
        .collect_view();
    let errors = log
        .errors
        .iter()
        .map(|e| {
            let said = match &e.problem {
                Some(problem) => wt().run_problem(problem, &e.message),
                None => e.message.clone(),
            };
            let line = match &e.step_id {
                Some(step) => format!("{} {step}: {said}", dates::clock(e.at)),
                None => format!("{} {said}", dates::clock(e.at)),
            };
            view! { <li class="run-error">{line}</li> }
        })
        .collect_view();
    let has_errors = !log.errors.is_empty();
    view! {
        <li
            class="run"
            data-charla="run"
            data-outcome=list::outcome_attr(outcome)
            data-conversation=log.conversation_id.clone()
        >
            <details>
                <summary>{summary}</summary>
                <p class="hint">
                    {wt().run_version_trigger(log.version, trigger_label(&log.trigger))}
                    <a href=format!("#/c/{}", log.conversation_id)>{wt().open_conversation}</a>
                </p>
                <ol class="run-steps">{steps}</ol>
                <Show when=move || has_errors>
                    <p class="hint">{move || wt().errors}</p>
                </Show>
                <ul class="run-errors">{errors}</ul>
            </details>
        </li>
    }
}
