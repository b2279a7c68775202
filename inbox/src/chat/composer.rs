use std::time::Duration;

use leptos::ev::KeyboardEvent;
use leptos::html::Textarea;
use leptos::prelude::*;

use crate::browser;
use crate::chat::snippet_picker::{SnippetList, SnippetPicker};

/// While the agent keeps typing, `typing {active: true}` is repeated at most this often, so the
/// visitor's indicator (which times out) stays up without a frame per keystroke.
const TYPING_REPEAT_MS: i64 = 3_000;
/// Pause after which the agent counts as no longer typing.
const TYPING_IDLE: Duration = Duration::from_secs(4);

#[derive(Default)]
struct Typing {
    active: bool,
    last_sent: i64,
    idle: Option<TimeoutHandle>,
}

/// Reply box. Enter sends, Shift+Enter (or an IME composition) inserts a newline; `/` opens
/// the snippets list, which takes the keys it uses first.
#[component]
pub fn Composer(
    /// Queues the text; an `Err` is a reason to show (the draft is kept).
    send: Callback<String, Result<(), String>>,
    /// Typing on/off, already throttled here.
    typing: Callback<bool>,
) -> impl IntoView {
    let draft = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let state = StoredValue::new(Typing::default());
    let textarea = NodeRef::<Textarea>::new();
    let picker = SnippetPicker::new(draft, textarea);

    let stop_typing = move || {
        let was_active = state
            .try_update_value(|t| {
                if let Some(idle) = t.idle.take() {
                    idle.clear();
                }
                std::mem::replace(&mut t.active, false)
            })
            .unwrap_or(false);
        if was_active {
            typing.run(false);
        }
    };
    let typed = move || {
        let now = browser::now();
        let announce = state.with_value(|t| !t.active || now - t.last_sent >= TYPING_REPEAT_MS);
        if announce {
            typing.run(true);
        }
        let idle = set_timeout_with_handle(stop_typing, TYPING_IDLE).ok();
        state.update_value(|t| {
            if let Some(old) = std::mem::replace(&mut t.idle, idle) {
                old.clear();
            }
            t.active = true;
            if announce {
                t.last_sent = now;
            }
        });
    };
    on_cleanup(move || {
        state.try_update_value(|t| t.idle.take().map(|idle| idle.clear()));
    });

    let submit = move || {
        let text = draft.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        match send.run(text) {
            Ok(()) => {
                draft.set(String::new());
                error.set(None);
                stop_typing();
            }
            Err(reason) => error.set(Some(reason)),
        }
    };
    let on_input = move |ev| {
        let value = event_target_value(&ev);
        let empty = value.trim().is_empty();
        draft.set(value);
        picker.typed();
        if empty {
            stop_typing();
        } else {
            typed();
        }
    };
    let on_keydown = move |ev: KeyboardEvent| {
        if picker.keydown(&ev) {
            return;
        }
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            submit();
        }
    };

    view! {
        <form
            class="composer"
            aria-label="Reply to visitor"
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <Show when=move || error.with(Option::is_some)>
                <p class="form-error" role="alert" data-charla="composer-error">
                    {move || error.get().unwrap_or_default()}
                </p>
            </Show>
            <SnippetList picker />
            <div class="composer-row">
                <textarea
                    node_ref=textarea
                    aria-label="Reply"
                    role="combobox"
                    aria-autocomplete="list"
                    aria-expanded=move || picker.expanded()
                    aria-controls=move || picker.controls()
                    aria-activedescendant=move || picker.active_row()
                    data-charla="reply"
                    rows="2"
                    placeholder="Write a reply… (Enter to send, Shift+Enter for a new line)"
                    prop:value=move || draft.get()
                    on:input=on_input
                    on:keydown=on_keydown
                ></textarea>
                <button type="submit" class="primary" data-charla="send" aria-label="Send">
                    "Send"
                </button>
            </div>
        </form>
    }
}
