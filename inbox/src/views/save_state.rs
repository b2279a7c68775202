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
