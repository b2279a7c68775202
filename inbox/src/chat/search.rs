//! The search box over the conversation list: as the agent types (a short pause later), the
//! edge's matches replace the list — conversations by contact name, email or phone, and
//! messages with the matching words marked — and choosing one opens the conversation at that
//! message. Escape (or emptying the box) brings the list back.

use std::time::Duration;

use charla_shared::search::{snippet_pieces, SearchResult};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::dates;
use crate::i18n::tr;
use crate::shell::workspace::Workspace;

/// Typing pause before the edge is asked.
const PAUSE: Duration = Duration::from_millis(250);

/// A message to show once its conversation is open: `(conversation id, seq)`.
#[derive(Clone, Copy)]
pub struct Found(pub RwSignal<Option<(String, u64)>>);

/// What the box shows under it.
#[derive(Clone, PartialEq)]
enum Outcome {
    Idle,
    Searching,
    Results(Vec<SearchResult>),
    Failed(String),
}

#[component]
pub fn SearchBox(
    /// Non-empty while the results replace the list.
    query: RwSignal<String>,
    select: Callback<String>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let found = use_context::<Found>();
    let outcome = RwSignal::new(Outcome::Idle);
    // Bumped per keystroke: only the newest question's answer is shown.
    let asked = StoredValue::new(0u32);
    let timer = StoredValue::new(None::<TimeoutHandle>);

    let ask = move |text: String| {
        let generation = asked.get_value().wrapping_add(1);
        asked.set_value(generation);
        if let Some(old) = timer.try_update_value(Option::take).flatten() {
            old.clear();
        }
        if text.trim().is_empty() {
            outcome.set(Outcome::Idle);
            return;
        }
        outcome.set(Outcome::Searching);
        let later = move || {
            spawn_local(async move {
                let answer = api::search(&ws.token(), &text).await;
                if asked.try_get_value() != Some(generation) {
                    return;
                }
                outcome.set(match answer {
                    Ok(results) => Outcome::Results(results),
                    Err(e) => Outcome::Failed(ws.failure(e)),
                });
            });
        };
        timer.set_value(set_timeout_with_handle(later, PAUSE).ok());
    };
    on_cleanup(move || {
        if let Some(t) = timer.try_update_value(Option::take).flatten() {
            t.clear();
        }
    });
    let clear = move || {
        query.set(String::new());
        ask(String::new());
    };
    let open = move |result: &SearchResult| {
        if let (Some(Found(found)), Some(seq)) = (found, result.seq) {
            found.set(Some((result.conversation.id.clone(), seq)));
        }
        select.run(result.conversation.id.clone());
    };

    view! {
        <form class="search" role="search" on:submit=|ev| ev.prevent_default()>
            <label for="conversation-search" class="visually-hidden">
                {move || tr().search_label}
            </label>
            <input
                id="conversation-search"
                type="search"
                data-charla="search"
                autocomplete="off"
                placeholder=move || tr().search_placeholder
                prop:value=move || query.get()
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    query.set(text.clone());
                    ask(text);
                }
                on:keydown=move |ev: KeyboardEvent| {
                    if ev.key() == "Escape" {
                        ev.prevent_default();
                        clear();
                    }
                }
            />
        </form>
        <Show when=move || !query.with(|q| q.trim().is_empty())>
            <div class="search-results" data-charla="search-results" aria-live="polite">
                {move || match outcome.get() {
                    Outcome::Idle => ().into_any(),
                    Outcome::Searching => {
                        view! { <p class="empty" role="status">{move || tr().searching}</p> }.into_any()
                    }
                    Outcome::Failed(reason) => {
                        view! { <p class="form-error" role="alert">{reason}</p> }.into_any()
                    }
                    Outcome::Results(results) if results.is_empty() => {
                        view! {
                            <p class="empty" role="status" data-charla="search-empty">
                                {move || tr().nothing_found}
                            </p>
                        }
                            .into_any()
                    }
                    Outcome::Results(results) => {
                        view! {
                            <p class="visually-hidden" role="status">
                                {let n = results.len(); move || tr().results(n)}
                            </p>
                            <ul class="conversations">
                                {results
                                    .into_iter()
                                    .map(|r| {
                                        let chosen = r.clone();
                                        view! {
                                            <li>
                                                <button
                                                    type="button"
                                                    class="conversation search-hit"
                                                    data-charla="search-hit"
                                                    data-id=r.conversation.id.clone()
                                                    data-seq=r.seq.map(|s| s.to_string())
                                                    on:click=move |_| open(&chosen)
                                                >
                                                    <span class="conversation-top">
                                                        <span class="contact">
                                                            {r.conversation.contact_name.clone()}
                                                        </span>
                                                        <time datetime=dates::iso_date(r.at)>
                                                            {dates::clock(r.at)}
                                                        </time>
                                                    </span>
                                                    <span class="preview" data-charla="search-snippet">
                                                        {snippet_pieces(&r.snippet)
                                                            .into_iter()
                                                            .map(|(text, marked)| {
                                                                if marked {
                                                                    view! { <mark>{text}</mark> }.into_any()
                                                                } else {
                                                                    text.into_any()
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </span>
                                                </button>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }}
            </div>
        </Show>
    }
}
