use std::time::Duration;

use charla_shared::lifecycle::ActivityEvent;
use charla_shared::notes::NoteRequest;
use leptos::ev::{ClipboardEvent, KeyboardEvent};
use leptos::html::{Input, Textarea};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::file_tray::{self, FileTray};
use super::note;
use crate::chat::snippet_picker::{SnippetList, SnippetPicker};
use crate::i18n::{tr, tr_untracked, Texts};
use crate::shell::pages::lazy_page;
use crate::{api, browser};

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

/// Reply box, or (toggled) an internal note for the other agents. Enter sends, Shift+Enter (or
/// an IME composition) inserts a newline; `/` opens the snippets list and, in a note, `@` the
/// agents to mention; an open list takes the keys it uses first. Replies carry files: the
/// paperclip, a paste of images or a drop on the conversation puts them in the tray, and Send
/// takes the uploaded ones with the text. Notes never carry files (the edge stores a note as
/// text only).
#[component]
pub fn Composer(
    /// Queues the text and the uploaded files' ids; an `Err` is a reason to show (the draft
    /// and the tray are kept).
    send: Callback<(String, Vec<String>), Result<(), String>>,
    /// The files for the next reply (the conversation owns it: drops land there too).
    tray: FileTray,
    /// Typing on/off, already throttled here.
    typing: Callback<bool>,
    /// Where notes go: the open conversation, as the signed-in agent.
    conversation_id: String,
    token: String,
    /// A note was stored (shown at once, before the socket echoes it).
    noted: Callback<ActivityEvent>,
) -> impl IntoView {
    let draft = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let state = StoredValue::new(Typing::default());
    let note_mode = RwSignal::new(false);
    let posting = RwSignal::new(false);
    // One client id per note draft: retrying after a lost answer stores it once.
    let note_id = StoredValue::new(None::<String>);
    let target = StoredValue::new((token, conversation_id));
    let textarea = NodeRef::<Textarea>::new();
    let picker = SnippetPicker::new(draft, textarea, note_mode.into());

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

    let post_note = move |text: String| {
        if posting.get_untracked() {
            return;
        }
        let client_id = note_id
            .try_update_value(|id| id.get_or_insert_with(browser::new_client_id).clone())
            .unwrap_or_default();
        let request = NoteRequest { client_id, text };
        if let Err(e) = request.check() {
            error.set(Some(tr_untracked().code(e.code()).to_owned()));
            return;
        }
        posting.set(true);
        let (token, conversation_id) = target.get_value();
        spawn_local(async move {
            let answer = api::post_note(&token, &conversation_id, &request).await;
            if posting.try_set(false).is_some() {
                return; // The conversation closed meanwhile.
            }
            match answer {
                Ok(event) => {
                    note_id.set_value(None);
                    if draft.get_untracked() == request.text {
                        draft.set(String::new());
                    }
                    error.set(None);
                    noted.run(event);
                }
                Err(e) => error.set(Some(note::refusal(tr_untracked(), &e))),
            }
        });
    };

    let submit = move || {
        let text = draft.get_untracked();
        if note_mode.get_untracked() {
            if !text.trim().is_empty() {
                post_note(text);
            }
            return;
        }
        if tray.tray.with_untracked(|t| t.uploading()) {
            error.set(Some(tr_untracked().wait_for_uploads.to_owned()));
            return;
        }
        let files = tray.tray.with_untracked(|t| t.ready_ids());
        if text.trim().is_empty() && files.is_empty() {
            return;
        }
        match send.run((text, files)) {
            Ok(()) => {
                draft.set(String::new());
                error.set(None);
                tray.sent();
                stop_typing();
            }
            Err(reason) => error.set(Some(reason)),
        }
    };
    let file_input = NodeRef::<Input>::new();
    let picked = move |_| {
        let Some(input) = file_input.get_untracked() else {
            return;
        };
        let files = input
            .files()
            .map(|list| file_list(&list))
            .unwrap_or_default();
        // The same file may be picked again after a removal.
        input.set_value("");
        tray.add(files);
    };
    let on_paste = move |ev: ClipboardEvent| {
        let files = ev
            .clipboard_data()
            .and_then(|d| d.files())
            .map(|list| file_list(&list))
            .unwrap_or_default();
        if files.is_empty() {
            return; // Text pastes as text.
        }
        ev.prevent_default();
        if note_mode.get_untracked() {
            error.set(Some(tr_untracked().notes_without_files.to_owned()));
        } else {
            tray.add(files);
        }
    };
    let on_input = move |ev| {
        let value = event_target_value(&ev);
        let empty = value.trim().is_empty();
        draft.set(value);
        note_id.set_value(None);
        picker.typed();
        // A note is never announced to the visitor as typing.
        if empty || note_mode.get_untracked() {
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

    let mode_button = move |note: bool, label: fn(&Texts) -> &'static str, charla: &'static str| {
        view! {
            <button
                type="button"
                data-charla=charla
                aria-pressed=move || (note_mode.get() == note).to_string()
                on:click=move |_| {
                    if note {
                        stop_typing();
                    }
                    note_mode.set(note);
                    picker.close();
                    error.set(None);
                }
            >
                {move || label(tr())}
            </button>
        }
    };

    view! {
        <form
            class="composer"
            data-mode=move || if note_mode.get() { "note" } else { "reply" }
            aria-label=move || {
                if note_mode.get() { tr().note_for_agents } else { tr().reply_to_visitor }
            }
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <div class="composer-mode" role="group" aria-label=move || tr().write>
                {mode_button(false, |t| t.reply, "mode-reply")}
                {mode_button(true, |t| t.internal_note, "mode-note")}
            </div>
            <Show when=move || error.with(Option::is_some)>
                <p class="form-error" role="alert" data-charla="composer-error">
                    {move || error.get().unwrap_or_default()}
                </p>
            </Show>
            <SnippetList picker />
            <Show when=move || note_mode.get() && tray.tray.with(|t| !t.items().is_empty())>
                <p class="hint" data-charla="note-files-hint">{move || tr().notes_without_files}</p>
            </Show>
            // The tray's code downloads with the first file added (see `parts`).
            <Show when=move || {
                tray.tray.with(|t| !t.items().is_empty()) || tray.notice.with(Option::is_some)
            }>
                {move || lazy_page(file_tray::file_tray(tray))}
            </Show>
            <div class="composer-row">
                <Show when=move || !note_mode.get()>
                    <button
                        type="button"
                        class="attach"
                        data-charla="attach"
                        aria-label=move || tr().attach_files
                        title=move || tr().attach_files
                        on:click=move |_| {
                            if let Some(input) = file_input.get_untracked() {
                                input.click();
                            }
                        }
                    >
                        <span aria-hidden="true">"📎"</span>
                    </button>
                </Show>
                <input
                    type="file"
                    multiple
                    hidden
                    tabindex="-1"
                    aria-hidden="true"
                    data-charla="file-input"
                    node_ref=file_input
                    on:change=picked
                />
                <textarea
                    node_ref=textarea
                    aria-label=move || if note_mode.get() { tr().internal_note } else { tr().reply }
                    role="combobox"
                    aria-autocomplete="list"
                    aria-expanded=move || picker.expanded()
                    aria-controls=move || picker.controls()
                    aria-activedescendant=move || picker.active_row()
                    data-charla="reply"
                    rows="2"
                    placeholder=move || {
                        if note_mode.get() {
                            tr().note_placeholder
                        } else {
                            tr().reply_placeholder
                        }
                    }
                    prop:value=move || draft.get()
                    on:input=on_input
                    on:keydown=on_keydown
                    on:paste=on_paste
                ></textarea>
                <button
                    type="submit"
                    class="primary"
                    data-charla="send"
                    disabled=move || posting.get()
                >
                    {move || if note_mode.get() { tr().add_note } else { tr().send }}
                </button>
            </div>
        </form>
    }
}

/// The files of a pick, a drop or a paste.
pub fn file_list(list: &web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}
