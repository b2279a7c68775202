//! Snippets: every agent keeps their own here; owners and managers also keep the workspace's,
//! which agents see read-only. Each save or delete reloads the list the reply box uses.

use charla_shared::snippets::{Snippet, SnippetScope};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::snippets_form::{editable, scope_label, SnippetForm};
use crate::api;
use crate::kit::save::{save, SaveOutcome, SaveState};
use crate::settings::i18n::st;
use crate::shell::workspace::Workspace;

#[component]
pub fn SnippetsSettings() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    ws.reload_snippets();
    view! {
        <section
            class="settings-section"
            aria-labelledby="snippets-title"
            data-charla="settings-snippets"
        >
            <h2 id="snippets-title">{move || st().snippets}</h2>
            <p class="hint">
                {move || st().snippets_hint_1}
                "{{contact.first_name | \"cliente\"}}, {{contact.name}}, {{contact.email}}, "
                "{{contact.phone}}, {{contact.fields.<key>}}, {{contact.tags}}"
                {move || st().snippets_hint_and}
                "{{agent.name}}"
                {move || st().snippets_hint_2}
            </p>
            <Show when=move || ws.snippets.with(Vec::is_empty)>
                <p class="hint">{move || st().no_snippets}</p>
            </Show>
            <For
                each=move || ws.snippets.get()
                key=|s| (s.id.clone(), s.updated_at)
                children=move |snippet| {
                    if editable(&snippet, ws.can_manage()) {
                        view! { <SnippetEditor snippet=Some(snippet) /> }.into_any()
                    } else {
                        view! { <ReadOnlySnippet snippet /> }.into_any()
                    }
                }
            />
            <SnippetEditor snippet=None />
        </section>
    }
}

/// A workspace snippet as an agent sees it.
#[component]
fn ReadOnlySnippet(snippet: Snippet) -> impl IntoView {
    view! {
        <div class="snippet-readonly" data-charla="snippet" data-id=snippet.id>
            <p>
                <strong>"/" {snippet.shortcut}</strong>
                " · "
                {move || scope_label(st(), snippet.scope)}
            </p>
            <p class="snippet-text">{snippet.text}</p>
        </div>
    }
}

/// One snippet's form, or the "new snippet" form when `snippet` is `None`.
#[component]
fn SnippetEditor(snippet: Option<Snippet>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let id = snippet.as_ref().map(|s| s.id.clone());
    let is_new = id.is_none();
    let initial = snippet
        .as_ref()
        .map_or_else(|| SnippetForm::blank(ws.can_manage()), SnippetForm::of);
    let saved_as = snippet.as_ref().map(|s| s.shortcut.clone());
    let name = match &saved_as {
        Some(shortcut) => format!("/{shortcut}"),
        None => untrack(st).the_new_snippet.to_owned(),
    };
    let shortcut = RwSignal::new(initial.shortcut.clone());
    let text = RwSignal::new(initial.text.clone());
    let scope = RwSignal::new(initial.scope);
    let state = RwSignal::new(SaveState::Idle);

    let submit = {
        let id = id.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if state.with_untracked(SaveState::is_saving) {
                return;
            }
            let form = SnippetForm {
                shortcut: shortcut.get_untracked(),
                text: text.get_untracked(),
                scope: scope.get_untracked(),
            };
            let request = match form.request() {
                Ok(request) => request,
                Err(reason) => return state.set(SaveState::Failed(reason)),
            };
            let id = id.clone();
            let call = async move { api::save_snippet(&ws.token(), id.as_deref(), &request).await };
            save(state, ws, call, move |saved| {
                ws.reload_snippets();
                if is_new {
                    shortcut.set(String::new());
                    text.set(String::new());
                }
                untrack(st).snippet_saved(&saved.shortcut)
            });
        }
    };
    let delete = {
        let id = id.clone();
        move |_| {
            let Some(id) = id.clone() else {
                return;
            };
            if state.with_untracked(SaveState::is_saving) {
                return;
            }
            let call = async move { api::delete_snippet(&ws.token(), &id).await };
            save(state, ws, call, move |_| {
                ws.reload_snippets();
                untrack(st).snippet_deleted.to_owned()
            });
        }
    };

    let scope_choice = move || {
        if !is_new {
            return view! { <p class="hint">{move || scope_label(st(), scope.get())}</p> }
                .into_any();
        }
        if !ws.can_manage() {
            return view! { <p class="hint">{move || scope_label(st(), SnippetScope::Personal)}</p> }.into_any();
        }
        view! {
            <label>
                <span>{move || st().visible_to}</span>
                <select
                    aria-label=move || st().who_sees_new
                    data-charla="snippet-scope"
                    on:change=move |ev| {
                        scope.set(if event_target_value(&ev) == "personal" {
                            SnippetScope::Personal
                        } else {
                            SnippetScope::Workspace
                        });
                    }
                >
                    <option value="workspace" selected=move || scope.get() == SnippetScope::Workspace>
                        {move || scope_label(st(), SnippetScope::Workspace)}
                    </option>
                    <option value="personal" selected=move || scope.get() == SnippetScope::Personal>
                        {move || scope_label(st(), SnippetScope::Personal)}
                    </option>
                </select>
            </label>
        }
            .into_any()
    };

    view! {
        <form
            class="snippet-editor"
            data-charla=if is_new { "new-snippet" } else { "snippet" }
            data-id=id.clone()
            novalidate
            on:submit=submit
        >
            <label>
                <span>{move || if is_new { st().new_snippet_shortcut } else { st().shortcut }}</span>
                <input
                    type="text"
                    autocomplete="off"
                    aria-label={let name = name.clone(); move || st().shortcut_of(&name)}
                    data-charla="snippet-shortcut"
                    placeholder="greet"
                    bind:value=shortcut
                />
            </label>
            <label>
                <span>{move || st().text}</span>
                <textarea
                    rows="3"
                    aria-label={let name = name.clone(); move || st().text_of(&name)}
                    data-charla="snippet-text"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
            </label>
            {scope_choice}
            <div class="form-actions">
                <button
                    type="submit"
                    class=if is_new { "primary" } else { "" }
                    data-charla="snippet-save"
                    aria-label={let name = name.clone(); move || if is_new { st().create_snippet.to_owned() } else { st().save_snippet_named(&name) }}
                    aria-busy=move || state.with(SaveState::is_saving).to_string()
                >
                    {move || if is_new { st().create_snippet } else { st().save_snippet }}
                </button>
                {(!is_new)
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="danger"
                                data-charla="snippet-delete"
                                aria-label={let name = name.clone(); move || st().delete_snippet_named(&name)}
                                on:click=delete.clone()
                            >
                                {move || st().delete}
                            </button>
                        }
                    })}
                <SaveOutcome state name=if is_new { "new-snippet" } else { "snippet" } />
            </div>
        </form>
    }
}
