use std::time::Duration;

use charla_shared::protocol::LoginRequest;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::i18n::{tr, tr_untracked};
use crate::shell::session::Session;

/// The edge refused more attempts for now (429): the form's error region says when to try
/// again and its submit button stays disabled until then; then both go back to normal.
pub(crate) fn hold_off(
    seconds: u64,
    message: String,
    locked: RwSignal<bool>,
    error: RwSignal<Option<String>>,
) {
    locked.set(true);
    error.set(Some(message));
    set_timeout(
        move || {
            // The page may be gone by then: disposed signals are left alone.
            let _ = locked.try_set(false);
            let _ = error.try_set(None);
        },
        Duration::from_secs(seconds),
    );
}

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
    let locked = RwSignal::new(false);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || locked.get_untracked() {
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
                Err(api::ApiError::RateLimited { retry_after }) => hold_off(
                    retry_after,
                    tr_untracked().sign_in_rate_limited(retry_after),
                    locked,
                    error,
                ),
                Err(e) if e.is_unauthorized() => {
                    error.set(Some(tr_untracked().wrong_credentials.to_owned()))
                }
                Err(e) => error.set(Some(tr_untracked().error(&e))),
            }
        });
    };

    view! {
        <main class="sign-in">
            <form class="sign-in-card" on:submit=submit aria-labelledby="sign-in-title">
                <h1 id="sign-in-title">{move || tr().app_title}</h1>
                <p class="sign-in-hint">{move || tr().sign_in_hint}</p>
                <label>
                    <span>{move || tr().workspace}</span>
                    <input
                        name="workspace"
                        aria-label=move || tr().workspace
                        autocomplete="organization"
                        required
                        bind:value=workspace
                    />
                </label>
                <label>
                    <span>{move || tr().email}</span>
                    <input
                        name="email"
                        type="email"
                        aria-label=move || tr().email
                        autocomplete="username"
                        required
                        bind:value=email
                    />
                </label>
                <label>
                    <span>{move || tr().password}</span>
                    <input
                        name="password"
                        type="password"
                        aria-label=move || tr().password
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
                <button
                    type="submit"
                    class="primary"
                    aria-busy=move || busy.get().to_string()
                    disabled=move || locked.get()
                >
                    {move || tr().sign_in}
                </button>
            </form>
        </main>
    }
}
