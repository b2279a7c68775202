use crate::i18n::tr;
use charla_shared::basic::{ConversationStatus, Millis, Seq};
use charla_shared::protocol::{AuthorKind, ConversationSummary};
use leptos::prelude::*;

use crate::chat::search::SearchBox;
use crate::chat::summaries::{Filter, View};
use crate::dates;
use crate::shell::workspace::Workspace;
use crate::time;

/// Everything a row shows, so a changed summary re-renders its row and an unchanged one
/// keeps its DOM (and keyboard focus).
type RowKey = (
    String,
    Seq,
    u32,
    Millis,
    String,
    bool,
    Option<String>,
    Option<String>,
);

fn row_key(c: &ConversationSummary) -> RowKey {
    (
        c.id.clone(),
        c.last_seq,
        c.unread,
        c.last_at,
        c.contact_name.clone(),
        c.status == ConversationStatus::Closed,
        c.assignee_id.clone(),
        c.team_id.clone(),
    )
}

/// Left column: the conversations this agent may see, newest activity first, split into
/// views (Mine / Unassigned / All / Closed, each with its count) and optionally one team.
#[component]
pub fn ConversationList(
    /// Kept sorted by [`crate::chat::summaries`].
    conversations: RwSignal<Vec<ConversationSummary>>,
    /// The open conversation.
    selected: Memo<Option<String>>,
    select: Callback<String>,
    /// Wall clock, ticking, for the relative times.
    now: RwSignal<Millis>,
    /// False until the first list arrived, so "no conversations" does not flash.
    loaded: RwSignal<bool>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let search = RwSignal::new(String::new());
    let searching = move || !search.with(|q| q.trim().is_empty());
    let chosen = RwSignal::new(View::default());
    // With automatic assignment on, the work comes to each agent: they land on Mine (unless
    // they picked a view before the rule arrived).
    let picked = StoredValue::new(false);
    leptos::task::spawn_local(async move {
        if let Ok(rule) = crate::api::assignment_rule(&ws.token()).await {
            if !rule.is_null() && !picked.get_value() {
                chosen.set(View::Mine);
            }
        }
    });
    let team = RwSignal::new(None::<String>);
    let me = StoredValue::new(ws.me_id());
    let sees_all = Memo::new(move |_| ws.sees_all());
    let current = Memo::new(move |_| chosen.get().effective(sees_all.get()));
    // A team that was deleted or renamed away stops filtering.
    let team_filter = Memo::new(move |_| {
        team.get()
            .filter(|t| ws.teams.with(|teams| teams.iter().any(|x| &x.id == t)))
    });
    let shown = Memo::new(move |_| {
        let view = current.get();
        team_filter.with(|team| {
            me.with_value(|me| {
                conversations.with(|list| {
                    Filter {
                        view,
                        team: team.as_deref(),
                        me,
                    }
                    .apply(list)
                })
            })
        })
    });
    let tabs = View::TABS.map(|tab| {
        let count = move || {
            team_filter.with(|team| {
                me.with_value(|me| {
                    conversations.with(|list| {
                        Filter {
                            view: tab,
                            team: team.as_deref(),
                            me,
                        }
                        .count(list)
                    })
                })
            })
        };
        let selected = move || current.get() == tab;
        view! {
            <Show when=move || tab.offered(sees_all.get())>
                <button
                    type="button"
                    role="tab"
                    class="view-tab"
                    data-charla=format!("view-{}", tab.name())
                    aria-selected=move || if selected() { "true" } else { "false" }
                    tabindex=move || if selected() { "0" } else { "-1" }
                    on:click=move |_| {
                        picked.set_value(true);
                        chosen.set(tab);
                    }
                >
                    {move || tab.label(tr())}
                    " "
                    <span class="view-count" data-charla="view-count">
                        {count}
                    </span>
                </button>
            </Show>
        }
    });
    let on_team = move |ev| {
        let value = event_target_value(&ev);
        team.set((!value.is_empty()).then_some(value));
    };
    view! {
        <nav class="pane-list" aria-label=move || tr().conversations data-charla="conversation-list">
            <h2 class="pane-title">{move || tr().conversations}</h2>
            <SearchBox query=search select />
            <div hidden=searching class="list-body">
            <div class="view-tabs" role="tablist" aria-label=move || tr().views>
                {tabs.into_iter().collect_view()}
            </div>
            <Show when=move || ws.teams.with(|t| !t.is_empty())>
                <label class="team-filter">
                    <span>{move || tr().team}</span>
                    <select aria-label=move || tr().team_filter data-charla="team-filter" on:change=on_team>
                        <option value="" prop:selected=move || team_filter.with(Option::is_none)>
                            {move || tr().all_teams}
                        </option>
                        <For
                            each=move || ws.teams.get()
                            key=|t| (t.id.clone(), t.name.clone())
                            children=move |t| {
                                let id = t.id.clone();
                                let is_chosen = move || {
                                    team_filter.with(|f| f.as_deref() == Some(id.as_str()))
                                };
                                view! {
                                    <option value=t.id prop:selected=is_chosen>
                                        {t.name}
                                    </option>
                                }
                            }
                        />
                    </select>
                </label>
            </Show>
            // The tab panel wraps the list: an element with a role other than list may not own
            // list items.
            <div role="tabpanel" aria-label=move || tr().conversations_in_view>
                <ul class="conversations">
                    <For
                        each=move || shown.get()
                        key=row_key
                        children=move |c| {
                            let me = me.get_value();
                            view! { <li>{row(c, selected, select, now, me)}</li> }
                        }
                    />
                </ul>
            </div>
            <Show when=move || loaded.get() && conversations.with(Vec::is_empty)>
                <p class="empty">{move || tr().no_conversations_yet}</p>
            </Show>
            <Show when=move || !conversations.with(Vec::is_empty) && shown.with(Vec::is_empty)>
                <p class="empty">{move || tr().nothing_in_view}</p>
            </Show>
            <Show when=move || !loaded.get()>
                <p class="empty">{move || tr().loading}</p>
            </Show>
            </div>
        </nav>
    }
}

fn row(
    c: ConversationSummary,
    selected: Memo<Option<String>>,
    select: Callback<String>,
    now: RwSignal<Millis>,
    me: String,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let assignee = c.assignee_id.clone().map(|id| {
        let who = move || {
            if id == me {
                tr().you.to_owned()
            } else {
                ws.agent_name(&id).unwrap_or_else(|| id.clone())
            }
        };
        view! {
            <span class="assignee-tag" data-charla="assignee" title=move || tr().assignee>
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
        move |_| select.run(id.clone())
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
                    datetime=dates::iso_date(at)
                    title=dates::full_date(at)
                >
                    {move || time::relative(tr(), now.get(), at)}
                </time>
            </span>
            <span class="conversation-bottom">
                <span class="preview-line">
                    {from_agent.then(|| view! { <span class="you">{move || tr().you_prefix}</span> })}
                    <span class="preview" data-charla="preview">{c.last_text}</span>
                </span>
                {assignee}
                {closed
                    .then(|| {
                        view! {
                            <span class="closed-tag" data-charla="closed-tag">
                                {move || tr().closed_badge}
                            </span>
                        }
                    })}
                {(unread > 0)
                    .then(|| {
                        view! {
                            <span
                                class="unread"
                                data-charla="unread"
                                aria-label=move || tr().unread(unread)
                            >
                                {unread}
                            </span>
                        }
                    })}
            </span>
        </button>
    }
}
