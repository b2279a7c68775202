//! The outcome line under every save button: "Saving…", "Saved." or the server's message,
//! announced to screen readers (status for success, alert for refusals).

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiError;
use crate::i18n::tr;
use crate::shell::workspace::Workspace;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SaveState {
    #[default]
    Idle,
    Saving,
    Saved(String),
    Failed(String),
}

impl SaveState {
    pub fn is_saving(&self) -> bool {
        matches!(self, SaveState::Saving)
    }
}

/// Sends one save and shows how it went: "Saving…", then the line `done` makes of the answer
/// (after it has put the answer where it belongs), or the refusal. A 401 signs out, through
/// [`Workspace::failure`]. Callers check [`SaveState::is_saving`] first, before building what
/// they send.
pub fn save<T: 'static>(
    state: RwSignal<SaveState>,
    ws: Workspace,
    request: impl Future<Output = Result<T, ApiError>> + 'static,
    done: impl FnOnce(T) -> String + 'static,
) {
    save_explained(state, ws, request, done, |_| None);
}

/// [`save`] for a form that knows better what a refusal means there (`explain`, in the
/// current language; `None` keeps the general wording of the code).
pub fn save_explained<T: 'static>(
    state: RwSignal<SaveState>,
    ws: Workspace,
    request: impl Future<Output = Result<T, ApiError>> + 'static,
    done: impl FnOnce(T) -> String + 'static,
    explain: impl FnOnce(&ApiError) -> Option<String> + 'static,
) {
    state.set(SaveState::Saving);
    spawn_local(async move {
        match request.await {
            Ok(answer) => {
                let line = done(answer);
                state.set(SaveState::Saved(line));
            }
            Err(e) => {
                let special = explain(&e);
                let general = ws.failure(e);
                state.set(SaveState::Failed(special.unwrap_or(general)));
            }
        }
    });
}

/// `name` goes into `data-charla` so tests can find the outcome of one form.
#[component]
pub fn SaveOutcome(state: RwSignal<SaveState>, name: &'static str) -> impl IntoView {
    move || match state.get() {
        SaveState::Idle => ().into_any(),
        SaveState::Saving => view! {
            <p class="save-status" role="status" data-charla=format!("{name}-status")>
                {move || tr().saving}
            </p>
        }
        .into_any(),
        SaveState::Saved(text) => view! {
            <p class="save-status ok" role="status" data-charla=format!("{name}-status")>
                {text}
            </p>
        }
        .into_any(),
        SaveState::Failed(message) => view! {
            <p class="form-error" role="alert" data-charla=format!("{name}-error")>
                {message}
            </p>
        }
        .into_any(),
    }
}

/// A form's submit button and its outcome line. `children` (e.g. "Unsaved changes") sit
/// between the two; `class` is added to the row's `form-actions`.
#[component]
pub fn SaveActions(
    state: RwSignal<SaveState>,
    #[prop(into)] label: Signal<String>,
    name: &'static str,
    #[prop(optional)] class: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class=format!("form-actions {class}").trim_end().to_owned()>
            <button
                type="submit"
                class="primary"
                aria-busy=move || state.with(SaveState::is_saving).to_string()
            >
                {move || label.get()}
            </button>
            {children.map(|c| c())}
            <SaveOutcome state name />
        </div>
    }
}
