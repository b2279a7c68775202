use std::time::Duration;

use charla_shared::protocol::{ConversationSummary, InboxFrame};
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use crate::browser::{self, DocumentListener};
use crate::socket::{Socket, SocketEvent, Status};
use crate::views::conversation::ConversationView;
use crate::views::conversation_list::ConversationList;
use crate::views::header::Header;
use crate::{api, session::Session, summaries};

/// How often relative times in the list ("5m") are refreshed.
const CLOCK_TICK: Duration = Duration::from_secs(30);

/// The signed-in shell: header, the live conversation list and the open conversation.
/// It owns the inbox socket; dropping it (sign-out) closes everything it opened.
#[component]
pub fn Inbox(session: Session, sign_out: Callback<()>) -> impl IntoView {
    let token = session.token;
    let me_id = session.agent.id.clone();
    let me_name = session.agent.name.clone();
    let conversations = RwSignal::new(Vec::<ConversationSummary>::new());
    let loaded = RwSignal::new(false);
    let status = RwSignal::new(Status::Connecting);
    let selected = RwSignal::new(browser::selected_from_hash());
    let visible = RwSignal::new(browser::is_visible());
    let now = RwSignal::new(browser::now());

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
                }
                Ok(InboxFrame::Summary { conversation }) => {
                    conversations.update(|c| summaries::upsert(c, conversation));
                }
                Ok(InboxFrame::Error { message, .. }) => leptos::logging::warn!("inbox: {message}"),
                Ok(InboxFrame::Pong) => {}
                Err(e) => leptos::logging::warn!("inbox: unreadable frame: {e}"),
            },
            SocketEvent::Closed { refused: true } => check_token.run(()),
            SocketEvent::Opened | SocketEvent::Closed { refused: false } => {}
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
    let on_hash = window_event_listener_untyped("hashchange", move |_| {
        selected.set(browser::selected_from_hash());
    });
    let ticker = set_interval_with_handle(move || now.set(browser::now()), CLOCK_TICK).ok();
    let browser_handles = SendWrapper::new((socket, on_visibility));
    on_cleanup(move || {
        let (socket, on_visibility) = browser_handles.take();
        socket.close();
        drop(on_visibility);
        on_online.remove();
        on_hash.remove();
        if let Some(ticker) = ticker {
            ticker.clear();
        }
    });

    // Only a different id reopens the conversation socket, not every write of `selected`.
    let open_id = Memo::new(move |_| selected.get());
    Effect::new(move |_| browser::set_hash_selected(open_id.get().as_deref()));
    let back = Callback::new(move |()| selected.set(None));

    view! {
        <div
            class="app"
            data-view=move || if open_id.with(Option::is_some) { "conversation" } else { "list" }
        >
            <Header agent_name=session.agent.name status sign_out />
            <main class="panes">
                <ConversationList conversations selected now loaded me_id=me_id.clone() />
                <section class="pane-conversation">
                    {move || match open_id.get() {
                        Some(id) => {
                            let contact_name = Signal::derive({
                                let id = id.clone();
                                move || {
                                    conversations
                                        .with(|list| {
                                            list.iter()
                                                .find(|c| c.id == id)
                                                .map(|c| c.contact_name.clone())
                                        })
                                }
                            });
                            view! {
                                <ConversationView
                                    id
                                    token=token.clone()
                                    contact_name
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
                                    <p>"Select a conversation to start replying."</p>
                                </div>
                            }
                                .into_any()
                        }
                    }}
                </section>
            </main>
        </div>
    }
}
