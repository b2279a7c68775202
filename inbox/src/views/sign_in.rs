use charla_shared::protocol::LoginRequest;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::session::Session;

/// The sign-in form. The workspace is prefilled with the demo workspace so a fresh install
/// can be tried with just the printed demo credentials.
#[component]
pub fn SignIn(
    /// Called with the new session after a successful login.
    signed_in: Callback<Session>,
) -> impl IntoView {
    let workspace = RwSignal::new("demo".to_owned());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = LoginRequest {
            workspace_id: workspace.get_untracked().trim().to_owned(),
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = api::login(&request).await;
            busy.set(false);
            match result {
                Ok(session) => signed_in.run(session),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };

    view! {
        <main class="sign-in">
            <form class="sign-in-card" on:submit=submit aria-labelledby="sign-in-title">
                <h1 id="sign-in-title">"Charla inbox"</h1>
                <p class="sign-in-hint">"Sign in to answer your visitors."</p>
                <label>
                    <span>"Workspace"</span>
                    <input
                        name="workspace"
                        aria-label="Workspace"
                        autocomplete="organization"
                        required
                        bind:value=workspace
                    />
                </label>
                <label>
                    <span>"Email"</span>
                    <input
                        name="email"
                        type="email"
                        aria-label="Email"
                        autocomplete="username"
                        required
                        bind:value=email
                    />
                </label>
                <label>
                    <span>"Password"</span>
                    <input
                        name="password"
                        type="password"
                        aria-label="Password"
                        autocomplete="current-password"
                        required
                        bind:value=password
                    />
                </label>
                <Show when=move || error.with(Option::is_some)>
                    <p class="form-error" role="alert" data-charla="sign-in-error">
                        {move || error.get().unwrap_or_default()}
                    </p>
                </Show>
                <button type="submit" class="primary" aria-busy=move || busy.get().to_string()>
                    "Sign in"
                </button>
            </form>
        </main>
    }
}
