use leptos::prelude::*;

use crate::socket::Status;

/// Top bar: who is signed in and whether live updates are flowing.
#[component]
pub fn Header(
    agent_name: String,
    /// State of the inbox socket (the one that keeps the list live).
    status: RwSignal<Status>,
    sign_out: Callback<()>,
) -> impl IntoView {
    let state = move || match status.get() {
        Status::Online => "online",
        Status::Connecting => "connecting",
        Status::Offline => "offline",
    };
    view! {
        <header class="topbar">
            <span class="brand">"Charla"</span>
            <span class="status" data-charla="status" data-state=state role="status">
                <span class="status-dot" aria-hidden="true"></span>
                {move || status.get().label()}
            </span>
            <span class="agent-name" data-charla="agent">{agent_name}</span>
            <button
                type="button"
                class="sign-out"
                data-charla="sign-out"
                aria-label="Sign out"
                on:click=move |_| sign_out.run(())
            >
                "Sign out"
            </button>
        </header>
    }
}
