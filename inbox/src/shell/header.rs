use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::i18n::tr;
use crate::shell::route::Page;
use crate::shell::workspace::Workspace;
use crate::socket::Status;

/// Top bar: who is signed in, whether live updates are flowing, their away toggle and the
/// pages: inbox and reports for everyone, workflows and settings for owners and managers, and
/// for agents their snippets (the one settings tab they have).
#[component]
pub fn Header(
    agent_name: String,
    /// State of the inbox socket (the one that keeps the list live).
    status: RwSignal<Status>,
    /// The page shown.
    page: Memo<Page>,
    sign_out: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let state = move || match status.get() {
        Status::Online => "online",
        Status::Connecting => "connecting",
        Status::Offline => "offline",
    };
    view! {
        <header class="topbar">
            <span class="brand">"Charla"</span>
            <nav class="pages" aria-label=move || tr().pages>
                <a
                    href="#/"
                    data-charla="inbox-link"
                    aria-current=move || (page.get() == Page::Inbox).then_some("page")
                >
                    {move || tr().nav_inbox}
                </a>
                <Show when=move || ws.can_manage()>
                    <a
                        href="#/workflows"
                        data-charla="workflows-link"
                        aria-current=move || (page.get() == Page::Workflows).then_some("page")
                    >
                        {move || tr().nav_workflows}
                    </a>
                </Show>
                <a
                    href="#/reports"
                    data-charla="reports-link"
                    aria-current=move || (page.get() == Page::Reports).then_some("page")
                >
                    {move || tr().nav_reports}
                </a>
                <a
                    href="#/files"
                    data-charla="files-link"
                    aria-current=move || (page.get() == Page::Files).then_some("page")
                >
                    {move || tr().nav_files}
                </a>
                <Show
                    when=move || ws.can_manage()
                    fallback=move || {
                        view! {
                            <a
                                href="#/settings/snippets"
                                data-charla="snippets-link"
                                aria-current=move || (page.get() == Page::Settings).then_some("page")
                            >
                                {move || tr().nav_snippets}
                            </a>
                        }
                    }
                >
                    <a
                        href="#/settings"
                        data-charla="settings-link"
                        aria-current=move || (page.get() == Page::Settings).then_some("page")
                    >
                        {move || tr().nav_settings}
                    </a>
                </Show>
            </nav>
            <span class="status" data-charla="status" data-state=state role="status">
                <span class="status-dot" aria-hidden="true"></span>
                {move || status.get().label(tr())}
            </span>
            <AwayToggle />
            <a
                href="#/profile"
                class="agent-name"
                data-charla="agent"
                title=move || tr().profile_title
                aria-current=move || (page.get() == Page::Profile).then_some("page")
            >
                {agent_name}
            </a>
            <button
                type="button"
                class="sign-out"
                data-charla="sign-out"
                aria-label=move || tr().sign_out
                on:click=move |_| sign_out.run(())
            >
                {move || tr().sign_out}
            </button>
        </header>
    }
}

/// The signed-in agent's "away" switch: away agents get no automatic assignments. The state
/// shown is the agents list's (the server's), updated at once and corrected if the save fails.
#[component]
fn AwayToggle() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let away = Memo::new(move |_| ws.my_status().map(|s| s.away));
    let saving = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let set_away = move |value: bool| {
        let me = ws.me_id();
        let previous = away.get_untracked();
        ws.agents.update(|list| {
            if let Some(a) = list.iter_mut().find(|a| a.profile.id == me) {
                a.away = value;
            }
        });
        saving.set(true);
        error.set(None);
        spawn_local(async move {
            let result = api::set_away(&ws.token(), value).await;
            saving.set(false);
            match result {
                Ok(fresh) => ws.agents.update(|list| {
                    if let Some(a) = list.iter_mut().find(|a| a.profile.id == me) {
                        *a = fresh;
                    }
                }),
                Err(e) => {
                    error.set(Some(ws.failure(e)));
                    ws.agents.update(|list| {
                        if let (Some(a), Some(previous)) =
                            (list.iter_mut().find(|a| a.profile.id == me), previous)
                        {
                            a.away = previous;
                        }
                    });
                }
            }
        });
    };
    view! {
        <span class="away-toggle" data-charla="away-toggle">
            <label>
                <input
                    type="checkbox"
                    role="switch"
                    aria-label=move || tr().away
                    aria-describedby="away-state"
                    data-charla="away"
                    prop:checked=move || away.get().unwrap_or(false)
                    disabled=move || saving.get() || away.with(Option::is_none)
                    on:change=move |ev| set_away(event_target_checked(&ev))
                />
                <span>{move || tr().away}</span>
            </label>
            <span id="away-state" class="away-state" data-charla="my-presence">
                {move || match away.get() {
                    Some(true) => tr().you_are_away,
                    Some(false) => tr().you_are_available,
                    None => "",
                }}
            </span>
            <Show when=move || error.with(Option::is_some)>
                <span class="form-error inline" role="alert" data-charla="away-error">
                    {move || error.get().unwrap_or_default()}
                </span>
            </Show>
        </span>
    }
}
