use std::time::Duration;

use charla_shared::protocol::{ConversationSummary, InboxFrame};
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use crate::api;
use crate::browser::{self, DocumentListener};
use crate::chat::conversation::ConversationView;
use crate::chat::conversation_list::ConversationList;
use crate::chat::search::Found;
use crate::chat::summaries;
use crate::i18n::{tr, tr_untracked};
use crate::shell::alerts::{self, AlertKind};
use crate::shell::header::Header;
use crate::shell::notifier::Notifier;
use crate::shell::pages::{self, lazy_page};
use crate::shell::route::{Page, Route};
use crate::shell::session::Session;
use crate::shell::shortcuts::{self, HelpSheet};
use crate::shell::workspace::Workspace;
use crate::socket::{Socket, SocketEvent, Status};

/// How often relative times in the list ("5m") are refreshed.
const CLOCK_TICK: Duration = Duration::from_secs(30);
/// How often the agents list (presence, load, this agent's access) is refreshed while the
/// inbox is open; menus that decide something reload it themselves.
const AGENTS_TICK: Duration = Duration::from_secs(60);

/// The signed-in shell: header, the live conversation list and the open conversation, or the
/// settings page. It owns the inbox socket; dropping it (sign-out) closes everything it
/// opened.
/// The close code the Workspace sends when every session of this agent ended.
const SIGNED_OUT: u16 = 4401;

#[component]
pub fn Inbox(session: Session, sign_out: Callback<()>, route: RwSignal<Route>) -> impl IntoView {
    let token = session.token.clone();
    let me_id = session.agent.id.clone();
    let me_name = session.agent.name.clone();
    let ws = Workspace::new(&session, sign_out);
    provide_context(ws);
    ws.reload_agents();
    ws.reload_teams();
    ws.reload_closing();
    ws.reload_workflows();
    provide_context(Found(RwSignal::new(None)));
    let notifier = Notifier::new(route);
    provide_context(notifier);
    notifier.load(token.clone());
    ws.reload_snippets();

    let conversations = RwSignal::new(Vec::<ConversationSummary>::new());
    let loaded = RwSignal::new(false);
    let status = RwSignal::new(Status::Connecting);
    let visible = RwSignal::new(browser::is_visible());
    let now = RwSignal::new(browser::now());
    // The open conversation, if a `hidden` frame took it away from this agent.
    let gone = RwSignal::new(None::<String>);

    // Only a different id reopens the conversation socket, not every write of the route.
    let open_id = Memo::new(move |_| route.with(|r| r.selected().map(str::to_owned)));
    let page = Memo::new(move |_| route.with(Route::page));
    let on_inbox = move || page.get() == Page::Inbox;
    let select = Callback::new(move |id: String| {
        route.set(Route::Inbox { selected: Some(id) });
    });
    let back = Callback::new(move |()| route.set(Route::default()));
    Effect::new(move |_| {
        // Opening another conversation forgets that an earlier one went elsewhere.
        if gone.with_untracked(Option::is_some) && open_id.get() != gone.get_untracked() {
            gone.set(None);
        }
    });

    // A refused socket may mean the token expired; only a 401 from the API says so for sure.
    let check_token = Callback::new({
        let token = token.clone();
        move |()| {
            let token = token.clone();
            spawn_local(async move {
                if api::token_rejected(&token).await {
                    sign_out.run(());
                }
            });
        }
    });

    spawn_local({
        let token = token.clone();
        async move {
            match api::conversations(&token).await {
                // The socket's snapshot is newer than any HTTP answer that lost the race.
                Ok(list) if !loaded.try_get_untracked().unwrap_or(true) => {
                    loaded.set(true);
                    conversations.update(|c| summaries::replace(c, list));
                }
                Ok(_) => {}
                Err(e) if e.is_unauthorized() => sign_out.run(()),
                Err(e) => leptos::logging::warn!("conversation list: {e}"),
            }
        }
    });

    let alert_me = me_id.clone();
    let socket = Socket::open(
        "/v1/inbox/ws",
        &token,
        status,
        move |_, event| match event {
            SocketEvent::Text(text) => match serde_json::from_str::<InboxFrame>(&text) {
                Ok(InboxFrame::Snapshot {
                    conversations: list,
                }) => {
                    loaded.set(true);
                    conversations.update(|c| summaries::replace(c, list));
                    // (Re)connected: this agent is online now, and may have missed changes.
                    ws.reload_agents();
                }
                Ok(InboxFrame::Summary { conversation }) => {
                    let alert = conversations.with_untracked(|list| {
                        let before = list.iter().find(|c| c.id == conversation.id);
                        alerts::on_summary(tr_untracked(), before, &conversation, &alert_me, false)
                    });
                    conversations.update(|c| summaries::upsert(c, conversation));
                    if let Some(alert) = alert {
                        let own = alert.kind == AlertKind::AssignedToMe
                            && notifier.was_own_assignment(&alert.conversation_id);
                        if !own {
                            notifier.play(alert);
                        }
                    }
                }
                Ok(InboxFrame::Hidden { id }) => {
                    conversations.update(|c| {
                        summaries::remove(c, &id);
                    });
                    if open_id.with_untracked(|open| open.as_deref() == Some(id.as_str())) {
                        gone.set(Some(id));
                    }
                }
                Ok(InboxFrame::Mention {
                    conversation_id,
                    by,
                    text,
                }) => notifier.play(alerts::on_mention(
                    tr_untracked(),
                    &conversation_id,
                    &by.name,
                    &text,
                )),
                Ok(InboxFrame::Error { message, .. }) => leptos::logging::warn!("inbox: {message}"),
                Ok(InboxFrame::Pong) => {}
                Err(e) => leptos::logging::warn!("inbox: unreadable frame: {e}"),
            },
            // 4401: the server ended this agent's sessions (deactivated, a new password).
            SocketEvent::Closed { refused: true, .. }
            | SocketEvent::Closed {
                code: SIGNED_OUT, ..
            } => check_token.run(()),
            SocketEvent::Opened | SocketEvent::Closed { refused: false, .. } => {}
        },
    );

    let on_visibility = DocumentListener::new("visibilitychange", {
        let socket = socket.clone();
        move || {
            let is_visible = browser::is_visible();
            visible.set(is_visible);
            if is_visible {
                socket.resume();
            }
        }
    });
    let on_online = window_event_listener_untyped("online", {
        let socket = socket.clone();
        move |_| socket.resume()
    });
    let ticker = set_interval_with_handle(move || now.set(browser::now()), CLOCK_TICK).ok();
    let agents_ticker = set_interval_with_handle(move || ws.reload_agents(), AGENTS_TICK).ok();
    let browser_handles = SendWrapper::new((socket, on_visibility));
    on_cleanup(move || {
        let (socket, on_visibility) = browser_handles.take();
        socket.close();
        drop(on_visibility);
        on_online.remove();
        for ticker in [ticker, agents_ticker].into_iter().flatten() {
            ticker.clear();
        }
    });

    // The tab title counts what waits for this agent, so a background tab shows it.
    let title_me = me_id.clone();
    Effect::new(move |_| {
        let count = conversations.with(|list| alerts::unread_count(list, &title_me));
        let shown = if notifier.prefs.with(|p| p.title) {
            count
        } else {
            0
        };
        browser::set_title(&alerts::title(tr().app_title, shown));
    });
    on_cleanup(|| browser::set_title(tr_untracked().app_title));

    let help = RwSignal::new(false);
    shortcuts::listen(Signal::derive(on_inbox), open_id, select, help);

    view! {
        <div
            class="app"
            data-view=move || {
                if !on_inbox() {
                    "page"
                } else if open_id.with(Option::is_some) {
                    "conversation"
                } else {
                    "list"
                }
            }
        >
            <Header agent_name=session.agent.name status page sign_out />
            <HelpSheet open=help />
            <PermissionBanner />
            // The list stays mounted behind the other pages, so its view and team filter survive.
            <main class="panes" hidden=move || !on_inbox()>
                <ConversationList conversations selected=open_id select now loaded />
                <section class="pane-conversation">
                    {move || match open_id.get() {
                        Some(id) => {
                            let summary = Memo::new({
                                let id = id.clone();
                                move |_| {
                                    conversations
                                        .with(|list| {
                                            list.iter()
                                                .find(|c| c.id == id)
                                                .map(|c| (c.contact_name.clone(), c.contact_id.clone()))
                                        })
                                }
                            });
                            let contact_name = Signal::derive(move || {
                                summary.with(|s| s.as_ref().map(|(name, _)| name.clone()))
                            });
                            let contact_id = Signal::derive(move || {
                                summary.with(|s| s.as_ref().map(|(_, id)| id.clone()))
                            });
                            let assigned_elsewhere = Signal::derive({
                                let id = id.clone();
                                move || gone.with(|g| g.as_deref() == Some(id.as_str()))
                            });
                            view! {
                                <ConversationView
                                    id
                                    token=token.clone()
                                    contact_name
                                    contact_id
                                    assigned_elsewhere
                                    visible
                                    back
                                    check_token
                                    me_id=me_id.clone()
                                    me_name=me_name.clone()
                                />
                            }
                                .into_any()
                        }
                        None => {
                            view! {
                                <div class="placeholder" data-charla="no-conversation">
                                    <p>{move || tr().select_conversation}</p>
                                    <p class="hint">
                                        {move || tr().press} <kbd>"?"</kbd> {move || tr().for_shortcuts}
                                    </p>
                                </div>
                            }
                                .into_any()
                        }
                    }}
                </section>
            </main>
            {move || match page.get() {
                Page::Inbox => ().into_any(),
                Page::Settings => lazy_page(pages::settings(route)),
                Page::Workflows => lazy_page(pages::workflows(route)),
                Page::Reports => lazy_page(pages::reports(route)),
                Page::Files => lazy_page(pages::files()),
                Page::Profile => lazy_page(pages::profile()),
            }}
        </div>
    }
}

/// The in-app question before the browser's: shown while desktop notifications are on in the
/// agent's switches but this browser was never asked. "Not now" hides it in this browser.
#[component]
fn PermissionBanner() -> impl IntoView {
    let notifier = expect_context::<Notifier>();
    let shown = move || {
        notifier.loaded.get()
            && notifier.prefs.with(|p| p.desktop)
            && notifier.permission.get() == "default"
            && !notifier.banner_dismissed.get()
    };
    view! {
        <Show when=shown>
            <div class="notify-banner" role="region" aria-label=move || tr().desktop_notifications data-charla="notify-banner">
                <span>
                    {move || tr().notify_banner}
                </span>
                <button type="button" class="primary" data-charla="notify-banner-allow" on:click=move |_| notifier.ask_permission()>
                    {move || tr().notify_turn_on}
                </button>
                <button type="button" class="link" data-charla="notify-banner-dismiss" on:click=move |_| notifier.dismiss_banner()>
                    {move || tr().not_now}
                </button>
            </div>
        </Show>
    }
}
