//! "Run workflow" in a conversation: the enabled manual and shortcut workflows, loaded when the
//! menu opens (agents may list them; only owners and managers edit them). Choosing one asks the
//! edge to start it on this conversation and says what happened.

use leptos::ev::{FocusEvent, KeyboardEvent};
use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use charla_shared::workflow::{Trigger, Workflow};

use crate::api;
use crate::i18n::{tr, tr_untracked};
use crate::shell::workspace::Workspace;
use crate::workflows::list;

/// How long "Started …" (or why not) stays under the button.
const OUTCOME_SHOWN_FOR: std::time::Duration = std::time::Duration::from_secs(8);

#[component]
pub fn RunMenu(conversation_id: String, busy: Memo<bool>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let open = RwSignal::new(false);
    let list = RwSignal::new(None::<Vec<Workflow>>);
    let load_error = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<(bool, String)>);
    let running = RwSignal::new(false);
    let menu = NodeRef::<Div>::new();
    let conversation_id = StoredValue::new(conversation_id);
    // Bumped per run, so an older run's timer never hides a newer outcome.
    let generation = StoredValue::new(0u32);

    let load = move || {
        spawn_local(async move {
            match api::workflows(&ws.token()).await {
                Ok(lines) => {
                    load_error.set(None);
                    list.set(Some(list::runnable(&lines)));
                }
                Err(e) => load_error.set(Some(ws.failure(e))),
            }
        });
    };
    let toggle = move |_| {
        let now_open = !open.get_untracked();
        open.set(now_open);
        if now_open {
            outcome.set(None);
            load();
        }
    };
    let run = move |wf: Workflow| {
        let this_run = generation.get_value().wrapping_add(1);
        generation.set_value(this_run);
        open.set(false);
        running.set(true);
        outcome.set(None);
        spawn_local(async move {
            let id = conversation_id.get_value();
            let result = api::run_workflow(&ws.token(), &id, &wf.id).await;
            running.set(false);
            // The outcome line is transient: it hides itself after a while.
            set_timeout(
                move || {
                    if generation.try_get_value() == Some(this_run) {
                        let _ = outcome.try_set(None);
                    }
                },
                OUTCOME_SHOWN_FOR,
            );
            outcome.set(Some(match result {
                Ok(true) => (true, tr_untracked().workflow_started(&wf.name)),
                Ok(false) => (false, tr_untracked().workflow_not_started(&wf.name)),
                Err(e) => (false, ws.failure(e)),
            }));
        });
    };
    let on_keydown = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            open.set(false);
        }
    };
    let on_focusout = move |ev: FocusEvent| {
        let wrapper = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let next = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let inside = match (wrapper, next) {
            (Some(wrapper), Some(next)) => wrapper.contains(Some(&next)),
            _ => false,
        };
        if !inside {
            open.set(false);
        }
    };
    // Focus the first item once the list is there, for keyboard users.
    Effect::new(move |_| {
        list.track();
        if !open.get() {
            return;
        }
        let first = menu
            .get()
            .and_then(|m| m.query_selector("[role=menuitem]").ok().flatten())
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(first) = first {
            let _ = first.focus();
        }
    });

    view! {
        <div class="assign-menu run-menu" on:focusout=on_focusout on:keydown=on_keydown>
            <button
                type="button"
                data-charla="run-workflow"
                aria-haspopup="menu"
                aria-expanded=move || open.get().to_string()
                aria-controls="run-menu-items"
                aria-busy=move || running.get().to_string()
                disabled=move || busy.get() || running.get()
                on:click=toggle
            >
                {move || tr().run_workflow}
            </button>
            <Show when=move || open.get()>
                <div
                    class="menu"
                    id="run-menu-items"
                    role="menu"
                    aria-label=move || tr().run_workflow
                    data-charla="run-menu-items"
                    node_ref=menu
                >
                    {move || match (list.get(), load_error.get()) {
                        (_, Some(error)) => {
                            view! { <p class="form-error" role="alert">{error}</p> }.into_any()
                        }
                        (None, None) => view! { <p class="menu-heading">{move || tr().loading}</p> }.into_any(),
                        (Some(items), None) if items.is_empty() => {
                            view! {
                                <p class="menu-empty" data-charla="run-menu-empty">
                                    {move || tr().no_manual_workflows}
                                </p>
                            }
                                .into_any()
                        }
                        (Some(items), None) => {
                            items
                                .into_iter()
                                .map(|wf| {
                                    let kind = match wf.trigger {
                                        Trigger::Shortcut => tr_untracked().trigger_shortcut,
                                        _ => tr_untracked().trigger_manual,
                                    };
                                    let name = wf.name.clone();
                                    let id = wf.id.clone();
                                    view! {
                                        <button
                                            type="button"
                                            role="menuitem"
                                            class="menu-item"
                                            data-charla="run-workflow-item"
                                            data-id=id
                                            on:click=move |_| run(wf.clone())
                                        >
                                            <span class="menu-name">{name}</span>
                                            " · "
                                            <span class="load">{kind}</span>
                                        </button>
                                    }
                                })
                                .collect_view()
                                .into_any()
                        }
                    }}
                </div>
            </Show>
            <Show when=move || outcome.with(Option::is_some)>
                <span
                    class=move || {
                        if outcome.with(|o| o.as_ref().is_some_and(|(ok, _)| *ok)) {
                            "save-status ok run-outcome"
                        } else {
                            "form-error inline run-outcome"
                        }
                    }
                    role="status"
                    data-charla="run-outcome"
                >
                    {move || outcome.get().map(|(_, text)| text).unwrap_or_default()}
                </span>
            </Show>
        </div>
    }
}
