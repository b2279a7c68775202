use charla_shared::protocol::{AuthorKind, ConversationStatus, ConversationSummary, Millis, Seq};
use leptos::prelude::*;

use crate::summaries::View;
use crate::{browser, time};

/// Everything a row shows, so a changed summary re-renders its row and an unchanged one
/// keeps its DOM (and keyboard focus).
type RowKey = (String, Seq, u32, Millis, String, bool, Option<String>);

fn row_key(c: &ConversationSummary) -> RowKey {
    (
        c.id.clone(),
        c.last_seq,
        c.unread,
        c.last_at,
        c.contact_name.clone(),
        c.status == ConversationStatus::Closed,
        c.assignee_id.clone(),
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
    /// The signed-in agent ("Mine", "You").
    me_id: String,
) -> impl IntoView {
    let view_shown = RwSignal::new(View::default());
    let me = StoredValue::new(me_id);
    let shown = Memo::new(move |_| {
        let current = view_shown.get();
        me.with_value(|me| {
            conversations.with(|list| {
                list.iter()
                    .filter(|c| current.shows(c, me))
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    });
    let tabs = View::TABS.map(|tab| {
        let count = move || me.with_value(|me| conversations.with(|list| tab.count(list, me)));
        let selected = move || view_shown.get() == tab;
        view! {
            <button
                type="button"
                role="tab"
                class="view-tab"
                data-charla=format!("view-{}", tab.name())
                aria-selected=move || if selected() { "true" } else { "false" }
                tabindex=move || if selected() { "0" } else { "-1" }
                on:click=move |_| view_shown.set(tab)
            >
                {tab.label()}
                " "
                <span class="view-count" data-charla="view-count">
                    {count}
                </span>
            </button>
        }
    });
    view! {
        <nav class="pane-list" aria-label="Conversations" data-charla="conversation-list">
            <h2 class="pane-title">"Conversations"</h2>
            <div class="view-tabs" role="tablist" aria-label="Views">
                {tabs.into_iter().collect_view()}
            </div>
            <ul class="conversations" role="tabpanel">
                <For
                    each=move || shown.get()
                    key=row_key
                    children=move |c| {
                        let me = me.get_value();
                        view! { <li>{row(c, selected, now, &me)}</li> }
                    }
                />
            </ul>
            <Show when=move || loaded.get() && conversations.with(Vec::is_empty)>
                <p class="empty">"No conversations yet."</p>
            </Show>
            <Show when=move || !conversations.with(Vec::is_empty) && shown.with(Vec::is_empty)>
                <p class="empty">"Nothing in this view."</p>
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
    me: &str,
) -> impl IntoView {
    let assignee = c.assignee_id.as_deref().map(|id| {
        let who = if id == me {
            "You".to_owned()
        } else {
            id.to_owned()
        };
        view! {
            <span class="assignee-tag" data-charla="assignee" title="Assignee">
                {who}
            </span>
        }
    });
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
                {assignee}
                {closed
                    .then(|| {
                        view! {
                            <span class="closed-tag" data-charla="closed-tag">
                                "Closed"
                            </span>
                        }
                    })}
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
