//! Keyboard shortcuts: which key does what (pure, tested natively), the `?` help sheet, and
//! the window listener that runs them.
//!
//! A shortcut acts through what is on screen: the next conversation is the next row of the
//! list as it is filtered now, and "assign to me" or "close" press the conversation's own
//! button. So a shortcut can do only what the agent could click (the server still decides),
//! and it needs no second copy of the rules that show or hide those buttons.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::{tr, Texts};

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    Next,
    Previous,
    AssignToMe,
    Close,
    Reply,
    Search,
    Help,
}

/// What the help sheet says of a shortcut, in the current language.
type Describe = fn(&Texts) -> &'static str;

/// Every shortcut with its key and what the help sheet says of it, in the sheet's order.
pub const SHEET: [(Shortcut, &str, Describe); 7] = [
    (Shortcut::Next, "j", |t| t.shortcut_next),
    (Shortcut::Previous, "k", |t| t.shortcut_previous),
    (Shortcut::Reply, "r", |t| t.shortcut_reply),
    (Shortcut::AssignToMe, "m", |t| t.shortcut_assign_to_me),
    (Shortcut::Close, "x", |t| t.shortcut_close),
    (Shortcut::Search, "/", |t| t.shortcut_search),
    (Shortcut::Help, "?", |t| t.shortcut_help),
];

/// The shortcut for a key press, if any. Keys typed into a field, and presses with Ctrl, Alt
/// or Meta (the browser's and the system's), are never shortcuts.
pub fn shortcut(key: &str, modified: bool, in_field: bool) -> Option<Shortcut> {
    if modified || in_field {
        return None;
    }
    SHEET
        .iter()
        .find(|(_, k, _)| key.eq_ignore_ascii_case(k))
        .map(|(s, _, _)| *s)
}

/// The row after (or before) `current` in `rows`; with none open, the first (or last).
pub fn step<'a>(rows: &'a [String], current: Option<&str>, forward: bool) -> Option<&'a String> {
    let at = current.and_then(|c| rows.iter().position(|r| r == c));
    match (at, forward) {
        (None, true) => rows.first(),
        (None, false) => rows.last(),
        (Some(i), true) => rows.get(i + 1),
        (Some(i), false) => i.checked_sub(1).and_then(|i| rows.get(i)),
    }
}

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

/// The ids of the conversation rows shown now, top to bottom.
fn shown_rows() -> Vec<String> {
    let Some(list) =
        document().and_then(|d| d.query_selector_all(r#"[data-charla="conversation"]"#).ok())
    else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .filter_map(|e| e.get_attribute("data-id"))
        .collect()
}

/// Press (or focus) the element `selector` names, if it is on screen.
fn press(selector: &str, focus_only: bool) {
    let Some(el) = document()
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    if focus_only {
        let _ = el.focus();
    } else if !el.has_attribute("disabled") {
        el.click();
    }
}

/// Whether the key press happened in something that takes text.
fn in_field(ev: &KeyboardEvent) -> bool {
    let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.is_content_editable()
}

/// Listen for the shortcuts while the inbox is mounted and `active` (its conversations are
/// on screen, not a settings or reports page). `selected` is the open conversation, `select`
/// opens another; `help` shows or hides the sheet.
pub fn listen(
    active: Signal<bool>,
    selected: Memo<Option<String>>,
    select: Callback<String>,
    help: RwSignal<bool>,
) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev: KeyboardEvent| {
        if !active.get_untracked() {
            return;
        }
        if ev.key() == "Escape" && help.get_untracked() {
            help.set(false);
            return;
        }
        let modified = ev.ctrl_key() || ev.alt_key() || ev.meta_key();
        let Some(shortcut) = shortcut(&ev.key(), modified, in_field(&ev)) else {
            return;
        };
        ev.prevent_default();
        match shortcut {
            Shortcut::Next | Shortcut::Previous => {
                let rows = shown_rows();
                let current = selected.get_untracked();
                if let Some(id) = step(&rows, current.as_deref(), shortcut == Shortcut::Next) {
                    select.run(id.clone());
                }
            }
            Shortcut::AssignToMe => press(r#"[data-charla="assign-to-me"]"#, false),
            Shortcut::Close => press(r#"[data-charla="close-conversation"]"#, false),
            Shortcut::Reply => press(r#"[data-charla="reply"]"#, true),
            Shortcut::Search => press(r#"[data-charla="search"]"#, true),
            Shortcut::Help => help.update(|open| *open = !*open),
        }
    });
    on_cleanup(move || handle.remove());
}

/// The `?` sheet: every shortcut and its key.
#[component]
pub fn HelpSheet(open: RwSignal<bool>) -> impl IntoView {
    view! {
        <Show when=move || open.get()>
            <div
                class="dialog shortcuts"
                role="dialog"
                aria-modal="true"
                aria-labelledby="shortcuts-title"
                data-charla="shortcuts"
            >
                <h2 id="shortcuts-title">{move || tr().shortcuts_title}</h2>
                <dl>
                    {SHEET
                        .iter()
                        .map(|&(_, key, what)| {
                            view! {
                                <div class="shortcut">
                                    <dt><kbd>{key}</kbd></dt>
                                    <dd>{move || what(tr())}</dd>
                                </div>
                            }
                        })
                        .collect_view()}
                </dl>
                <button type="button" data-charla="shortcuts-close" on:click=move |_| open.set(false)>
                    {move || tr().close}
                </button>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_shortcuts_only_outside_fields_and_without_modifiers() {
        assert_eq!(shortcut("j", false, false), Some(Shortcut::Next));
        assert_eq!(shortcut("K", false, false), Some(Shortcut::Previous));
        assert_eq!(shortcut("?", false, false), Some(Shortcut::Help));
        assert_eq!(shortcut("x", false, false), Some(Shortcut::Close));
        assert_eq!(shortcut("/", false, false), Some(Shortcut::Search));
        assert_eq!(
            shortcut("/", false, true),
            None,
            "a / typed in the composer"
        );
        assert_eq!(
            shortcut("j", false, true),
            None,
            "typing a j in the composer"
        );
        assert_eq!(shortcut("r", true, false), None, "Ctrl+R reloads, as ever");
        assert_eq!(shortcut("q", false, false), None);
        assert_eq!(shortcut("Enter", false, false), None);
    }

    #[test]
    fn steps_go_through_the_rows_shown_and_stop_at_the_ends() {
        let rows: Vec<String> = ["c1", "c2", "c3"].map(String::from).to_vec();
        assert_eq!(step(&rows, None, true).map(String::as_str), Some("c1"));
        assert_eq!(step(&rows, None, false).map(String::as_str), Some("c3"));
        assert_eq!(
            step(&rows, Some("c1"), true).map(String::as_str),
            Some("c2")
        );
        assert_eq!(step(&rows, Some("c3"), true), None);
        assert_eq!(step(&rows, Some("c1"), false), None);
        // The open one was filtered out of the list: start over from the top.
        assert_eq!(
            step(&rows, Some("gone"), true).map(String::as_str),
            Some("c1")
        );
        assert_eq!(step(&[], None, true), None);
    }

    #[test]
    fn the_sheet_lists_every_shortcut_once() {
        let mut keys: Vec<&str> = SHEET.iter().map(|(_, k, _)| *k).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), SHEET.len());
    }
}
