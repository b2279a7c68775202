use charla_shared::protocol::ResetPassword as ResetRequest;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::i18n::tr;
use crate::shell::session::Session;
use crate::shell::sign_in::hold_off;

/// The page a password-reset link opens (`#/reset/{workspace}/{token}`): the agent chooses a
/// new password and is signed in; every earlier session of theirs ends. The link works once;
/// the edge says so if it was used or expired.
#[component]
pub fn ResetPassword(
    workspace_id: String,
    token: String,
    /// Signed in with the new password.
    done: Callback<Session>,
    /// Back to the inbox (or sign-in) without changing anything.
    leave: Callback<()>,
) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let locked = RwSignal::new(false);
    let workspace = StoredValue::new(workspace_id);
    let token = StoredValue::new(token);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || locked.get_untracked() {
            return;
        }
        if password.get_untracked() != confirm.get_untracked() {
            error.set(Some(
                crate::i18n::tr_untracked().passwords_differ.to_owned(),
            ));
            return;
        }
        let request = ResetRequest {
            workspace_id: workspace.get_value(),
            token: token.get_value(),
            password: password.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = api::reset_password(&request).await;
            busy.set(false);
            match result {
                Ok(session) => done.run(session),
                Err(api::ApiError::RateLimited { retry_after }) => hold_off(
                    retry_after,
                    crate::i18n::tr_untracked().invite_rate_limited(retry_after),
                    locked,
                    error,
                ),
                // An unknown, used or expired link is refused as unauthorized.
                Err(e) if e.is_unauthorized() => error.set(Some(
                    crate::i18n::tr_untracked().reset_link_spent.to_owned(),
                )),
                Err(e) => error.set(Some(crate::i18n::tr_untracked().error(&e))),
            }
        });
    };

    view! {
        <main class="sign-in">
            <form
                class="sign-in-card"
                on:submit=submit
                aria-labelledby="reset-title"
                data-charla="reset-password"
            >
                <h1 id="reset-title">{move || tr().reset_title}</h1>
                <p class="sign-in-hint">
                    {move || tr().reset_hint}
                </p>
                <label>
                    <span>{move || tr().new_password}</span>
                    <input
                        name="password"
                        type="password"
                        autocomplete="new-password"
                        minlength="10"
                        required
                        bind:value=password
                    />
                </label>
                <label>
                    <span>{move || tr().repeat_new_password}</span>
                    <input
                        name="confirm"
                        type="password"
                        autocomplete="new-password"
                        minlength="10"
                        required
                        bind:value=confirm
                    />
                </label>
                <Show when=move || error.with(Option::is_some)>
                    <p class="form-error" role="alert" data-charla="reset-error">
                        {move || error.get().unwrap_or_default()}
                    </p>
                </Show>
                <button
                    type="submit"
                    class="primary"
                    aria-busy=move || busy.get().to_string()
                    disabled=move || locked.get()
                >
                    {move || tr().set_password_sign_in}
                </button>
                <button type="button" class="link" on:click=move |_| leave.run(())>
                    {move || tr().not_now}
                </button>
            </form>
        </main>
    }
}
