use charla_shared::protocol::{AuthorKind, ConversationStatus, ConversationSummary, Millis, Seq};
use leptos::prelude::*;

use crate::{browser, time};

/// Everything a row shows, so a changed summary re-renders its row and an unchanged one
/// keeps its DOM (and keyboard focus).
type RowKey = (String, Seq, u32, Millis, String, bool);

fn row_key(c: &ConversationSummary) -> RowKey {
    (
        c.id.clone(),
        c.last_seq,
        c.unread,
        c.last_at,
        c.contact_name.clone(),
        c.status == ConversationStatus::Closed,
    )
}

/// Left column: every conversation of the workspace, newest activity first.
#[component]
pub fn ConversationList(
    /// Kept sorted by [`crate::summaries`].
    conversations: RwSignal<Vec<ConversationSummary>>,
    selected: RwSignal<Option<String>>,
    /// Wall clock, ticking, for the relative times.
    now: RwSignal<Millis>,
    /// False until the first list arrived, so "no conversations" does not flash.
    loaded: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <nav class="pane-list" aria-label="Conversations" data-charla="conversation-list">
            <h2 class="pane-title">"Conversations"</h2>
            <ul class="conversations">
                <For
                    each=move || conversations.get()
                    key=row_key
                    children=move |c| view! { <li>{row(c, selected, now)}</li> }
                />
            </ul>
            <Show when=move || loaded.get() && conversations.with(Vec::is_empty)>
                <p class="empty">"No conversations yet."</p>
            </Show>
            <Show when=move || !loaded.get()>
                <p class="empty">"Loading…"</p>
            </Show>
        </nav>
    }
}

fn row(
    c: ConversationSummary,
    selected: RwSignal<Option<String>>,
    now: RwSignal<Millis>,
) -> impl IntoView {
    let is_selected = {
        let id = c.id.clone();
        move || selected.with(|s| s.as_deref() == Some(id.as_str()))
    };
    let select = {
        let id = c.id.clone();
        move |_| selected.set(Some(id.clone()))
    };
    let at = c.last_at;
    let unread = c.unread;
    let closed = c.status == ConversationStatus::Closed;
    let from_agent = c.last_author == AuthorKind::Agent;
    view! {
        <button
            type="button"
            class="conversation"
            data-charla="conversation"
            data-id=c.id
            aria-current=move || is_selected().then_some("true")
            on:click=select
        >
            <span class="conversation-top">
                <span class="contact" data-charla="contact">{c.contact_name}</span>
                <time
                    data-charla="time"
                    datetime=browser::iso_date(at)
                    title=browser::full_date(at)
                >
                    {move || time::relative(now.get(), at)}
                </time>
            </span>
            <span class="conversation-bottom">
                <span class="preview-line">
                    {from_agent.then(|| view! { <span class="you">"You: "</span> })}
                    <span class="preview" data-charla="preview">{c.last_text}</span>
                </span>
                {closed.then(|| view! { <span class="closed-tag">"Closed"</span> })}
                {(unread > 0)
                    .then(|| {
                        view! {
                            <span
                                class="unread"
                                data-charla="unread"
                                aria-label=format!("{unread} unread")
                            >
                                {unread}
                            </span>
                        }
                    })}
            </span>
        </button>
    }
}
