use charla_shared::protocol::AcceptInvite as AcceptInviteRequest;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::i18n::tr;
use crate::shell::session::Session;
use crate::shell::sign_in::hold_off;

/// The page an invite link opens (`#/invite/{workspace}/{token}`): the invitee picks the
/// name others will see and a password, and is signed in. The token works once; the edge
/// says so if it was used or expired.
#[component]
pub fn AcceptInvite(
    workspace_id: String,
    token: String,
    /// Signed in as the new agent.
    joined: Callback<Session>,
    /// Back to the inbox (or sign-in) without joining.
    leave: Callback<()>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let locked = RwSignal::new(false);
    let workspace = StoredValue::new(workspace_id.clone());
    let token = StoredValue::new(token);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || locked.get_untracked() {
            return;
        }
        let request = AcceptInviteRequest {
            workspace_id: workspace.get_value(),
            token: token.get_value(),
            name: name.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = api::accept_invite(&request).await;
            busy.set(false);
            match result {
                Ok(session) => joined.run(session),
                Err(api::ApiError::RateLimited { retry_after }) => hold_off(
                    retry_after,
                    crate::i18n::tr_untracked().invite_rate_limited(retry_after),
                    locked,
                    error,
                ),
                // A used, expired or unknown invite is refused as unauthorized.
                Err(e) if e.is_unauthorized() => {
                    error.set(Some(crate::i18n::tr_untracked().invite_spent.to_owned()))
                }
                Err(e) => error.set(Some(crate::i18n::tr_untracked().error(&e))),
            }
        });
    };

    view! {
        <main class="sign-in">
            <form
                class="sign-in-card"
                on:submit=submit
                aria-labelledby="invite-title"
                data-charla="accept-invite"
            >
                <h1 id="invite-title">{move || tr().join_title}</h1>
                <p class="sign-in-hint">
                    {move || tr().join_hint_before}
                    {workspace_id}
                    {move || tr().join_hint_after}
                </p>
                <label>
                    <span>{move || tr().your_name}</span>
                    <input
                        name="name"
                        aria-label=move || tr().your_name
                        autocomplete="name"
                        required
                        bind:value=name
                    />
                </label>
                <label>
                    <span>{move || tr().choose_password}</span>
                    <input
                        name="password"
                        type="password"
                        aria-label=move || tr().choose_password
                        autocomplete="new-password"
                        minlength="10"
                        required
                        bind:value=password
                    />
                </label>
                <Show when=move || error.with(Option::is_some)>
                    <p class="form-error" role="alert" data-charla="invite-error">
                        {move || error.get().unwrap_or_default()}
                    </p>
                </Show>
                <button
                    type="submit"
                    class="primary"
                    aria-busy=move || busy.get().to_string()
                    disabled=move || locked.get()
                >
                    {move || tr().join_workspace}
                </button>
                <button type="button" class="link" on:click=move |_| leave.run(())>
                    {move || tr().not_now}
                </button>
            </form>
        </main>
    }
}
