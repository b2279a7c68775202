//! Snippets: every agent keeps their own here; owners and managers also keep the workspace's,
//! which agents see read-only. Each save or delete reloads the list the reply box uses.

use charla_shared::snippets::{Snippet, SnippetScope};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::snippets_form::{editable, scope_label, SnippetForm};
use crate::api;
use crate::kit::save::{save, SaveOutcome, SaveState};
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
            <h2 id="snippets-title">"Snippets"</h2>
            <p class="hint">
                "Type / and a shortcut in the reply box to insert a snippet. Texts may use "
                "{{contact.first_name | \"cliente\"}}, {{contact.name}}, {{contact.email}}, "
                "{{contact.phone}}, {{contact.fields.<key>}}, {{contact.tags}} and {{agent.name}}; "
                "the text after | is used when the contact has no value."
            </p>
            <Show when=move || ws.snippets.with(Vec::is_empty)>
                <p class="hint">"No snippets yet."</p>
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
                {scope_label(snippet.scope)}
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
        None => "the new snippet".to_owned(),
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
                format!("Snippet /{} saved.", saved.shortcut)
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
                "Snippet deleted.".to_owned()
            });
        }
    };

    let scope_choice = move || {
        if !is_new {
            return view! { <p class="hint">{move || scope_label(scope.get())}</p> }.into_any();
        }
        if !ws.can_manage() {
            return view! { <p class="hint">{scope_label(SnippetScope::Personal)}</p> }.into_any();
        }
        view! {
            <label>
                <span>"Visible to"</span>
                <select
                    aria-label="Who sees the new snippet"
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
                        {scope_label(SnippetScope::Workspace)}
                    </option>
                    <option value="personal" selected=move || scope.get() == SnippetScope::Personal>
                        {scope_label(SnippetScope::Personal)}
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
                <span>{if is_new { "New snippet shortcut" } else { "Shortcut" }}</span>
                <input
                    type="text"
                    autocomplete="off"
                    aria-label=format!("Shortcut of {name}")
                    data-charla="snippet-shortcut"
                    placeholder="greet"
                    bind:value=shortcut
                />
            </label>
            <label>
                <span>"Text"</span>
                <textarea
                    rows="3"
                    aria-label=format!("Text of {name}")
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
                    aria-label=if is_new { "Create snippet".to_owned() } else { format!("Save snippet {name}") }
                    aria-busy=move || state.with(SaveState::is_saving).to_string()
                >
                    {if is_new { "Create snippet" } else { "Save snippet" }}
                </button>
                {(!is_new)
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="danger"
                                data-charla="snippet-delete"
                                aria-label=format!("Delete snippet {name}")
                                on:click=delete.clone()
                            >
                                "Delete"
                            </button>
                        }
                    })}
                <SaveOutcome state name=if is_new { "new-snippet" } else { "snippet" } />
            </div>
        </form>
    }
}
