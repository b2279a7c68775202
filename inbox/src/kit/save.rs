//! The outcome line under every save button: "Saving…", "Saved." or the server's message,
//! announced to screen readers (status for success, alert for refusals).

use leptos::prelude::*;

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

/// `name` goes into `data-charla` so tests can find the outcome of one form.
#[component]
pub fn SaveOutcome(state: RwSignal<SaveState>, name: &'static str) -> impl IntoView {
    move || match state.get() {
        SaveState::Idle => ().into_any(),
        SaveState::Saving => view! {
            <p class="save-status" role="status" data-charla=format!("{name}-status")>
                "Saving…"
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
    label: &'static str,
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
                {label}
            </button>
            {children.map(|c| c())}
            <SaveOutcome state name />
        </div>
    }
}
