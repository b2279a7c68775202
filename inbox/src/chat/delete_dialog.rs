//! Deleting the open conversation (owners only: the edge checks the role too): a button in
//! the conversation's header and the dialog that confirms it (a split part, see `parts`).
//! Deleting removes its messages and files for good; the inbox list drops it when the edge
//! says so (`hidden`).

use leptos::ev::KeyboardEvent;
use leptos::html::Button;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_split_helpers::wasm_split;

use crate::api;
use crate::i18n::tr;
use crate::shell::pages::{lazy_page, PartMissing};
use crate::shell::workspace::Workspace;

#[component]
pub fn DeleteConversation(
    conversation_id: String,
    /// The conversation is gone: leave it.
    deleted: Callback<()>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let target = StoredValue::new(conversation_id);
    view! {
        <button
            type="button"
            class="danger-link"
            data-charla="delete-conversation"
            on:click=move |_| open.set(true)
        >
            {move || tr().delete_conversation}
        </button>
        <Show when=move || open.get()>
            {move || lazy_page(delete_dialog(target.get_value(), open, deleted))}
        </Show>
    }
}

/// The confirmation (in its own part of the wasm, see `parts`): Delete for good, or Cancel
/// (focused first, and Escape).
#[component]
pub fn DeleteDialog(
    conversation_id: String,
    open: RwSignal<bool>,
    deleted: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let target = StoredValue::new(conversation_id);
    let cancel_button = NodeRef::<Button>::new();
    Effect::new(move |_| {
        if let Some(b) = cancel_button.get() {
            let _ = b.focus();
        }
    });
    let confirm = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let id = target.get_value();
        spawn_local(async move {
            let result = api::delete_conversation(&ws.token(), &id).await;
            busy.try_set(false);
            match result {
                Ok(_) => {
                    open.try_set(false);
                    deleted.run(());
                }
                Err(e) => {
                    error.try_set(Some(ws.failure(e)));
                }
            }
        });
    };
    let on_keydown = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            open.set(false);
        }
    };
    view! {
        <div
            class="close-dialog"
            role="alertdialog"
            aria-labelledby="delete-title"
            aria-describedby="delete-text"
            data-charla="delete-dialog"
            on:keydown=on_keydown
        >
            <h3 id="delete-title">{move || tr().delete_conversation_title}</h3>
            <p id="delete-text">{move || tr().delete_conversation_text}</p>
            <Show when=move || error.with(Option::is_some)>
                <p class="form-error" role="alert" data-charla="delete-error">
                    {move || error.get().unwrap_or_default()}
                </p>
            </Show>
            <div class="dialog-actions">
                <button
                    type="button"
                    class="danger"
                    data-charla="delete-confirm"
                    disabled=move || busy.get()
                    on:click=confirm
                >
                    {move || tr().delete_for_good}
                </button>
                <button
                    type="button"
                    node_ref=cancel_button
                    data-charla="delete-cancel"
                    on:click=move |_| open.set(false)
                >
                    {move || tr().cancel}
                </button>
            </div>
        </div>
    }
}

/// A split point: the dialog's code downloads the first time an owner opens it.
#[wasm_split(delete_dialog, fallible)]
pub fn delete_dialog(
    conversation_id: String,
    open: RwSignal<bool>,
    deleted: Callback<()>,
) -> Result<AnyView, PartMissing> {
    Ok(view! { <DeleteDialog conversation_id open deleted /> }.into_any())
}
