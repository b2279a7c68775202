//! The reply box's `/` list: typing `/` at the start of the box or after a space lists the
//! snippets that match what follows ([`charla_shared::snippets::filter`]); ArrowUp/ArrowDown
//! move, Enter or a click puts the snippet in place of `/query` with its variables filled in
//! from the open conversation's contact and the signed-in agent, Escape closes the list.
//!
//! The box stays a plain textarea with the ARIA combobox attributes ([`SnippetPicker::expanded`]
//! and the rest), so the composer only hands its keys and input here first.

use crate::i18n::tr;
use charla_shared::contact::Contact;
use charla_shared::snippets::{self, SlashQuery, Snippet, SnippetScope};
use leptos::ev::KeyboardEvent;
use leptos::html::Textarea;
use leptos::prelude::*;

use crate::shell::workspace::Workspace;

/// Most rows the list shows; typing more of the shortcut narrows it.
const ROWS: usize = 8;
const LIST_ID: &str = "snippet-list";

/// The open conversation's contact as the contact panel loaded it, provided by the
/// conversation so the `/` list renders `{{contact.*}}` without fetching it again.
#[derive(Clone, Copy)]
pub struct OpenContact(pub RwSignal<Option<Contact>>);

impl Default for OpenContact {
    fn default() -> Self {
        OpenContact(RwSignal::new(None))
    }
}

/// What the list does with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOutcome {
    /// Not the list's: the box handles it (Enter sends).
    Pass,
    /// The list moved or closed.
    Handled,
    /// Put this row's snippet in.
    Insert(usize),
}

/// The list as the text and the keys move it (pure, tested natively).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PickerState {
    /// The `/query` at the caret and the byte offset it ends at, while the list is open.
    typed: Option<(SlashQuery, usize)>,
    active: usize,
    /// The `/` whose list Escape closed: it stays closed while that query is typed on, and
    /// opens again for the next `/`.
    dismissed: Option<usize>,
}

impl PickerState {
    /// The box changed: `caret` is a byte offset into `text`.
    pub fn read(&mut self, text: &str, caret: usize) {
        match snippets::slash_query(text, caret) {
            Some(query) if self.dismissed == Some(query.start) => self.typed = None,
            Some(query) => {
                if self.typed.as_ref().map(|(q, _)| q) != Some(&query) {
                    self.active = 0;
                }
                self.typed = Some((query, caret));
            }
            None => {
                self.typed = None;
                self.dismissed = None;
            }
        }
    }

    pub fn query(&self) -> Option<&str> {
        self.typed.as_ref().map(|(q, _)| q.query.as_str())
    }

    pub fn active(&self) -> usize {
        self.active
    }

    /// A key pressed in the box while `rows` snippets match.
    pub fn key(&mut self, key: &str, shift: bool, rows: usize) -> KeyOutcome {
        if self.typed.is_none() || rows == 0 {
            return KeyOutcome::Pass;
        }
        match key {
            "ArrowDown" => self.active = (self.active + 1) % rows,
            "ArrowUp" => self.active = (self.active + rows - 1) % rows,
            "Enter" if !shift => return KeyOutcome::Insert(self.active.min(rows - 1)),
            "Escape" => self.dismissed = self.typed.take().map(|(q, _)| q.start),
            _ => return KeyOutcome::Pass,
        }
        KeyOutcome::Handled
    }

    /// Closes the list for an insertion: where the `/query` starts and ends.
    pub fn take(&mut self) -> Option<(usize, usize)> {
        self.active = 0;
        self.typed.take().map(|(q, end)| (q.start, end))
    }
}

/// A UTF-16 offset (what a textarea's caret is) as a byte offset into `text`.
pub fn byte_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// A byte offset into `text` as a UTF-16 offset.
pub fn utf16_offset(text: &str, byte: usize) -> usize {
    text.get(..byte).map_or(0, |t| t.encode_utf16().count())
}

/// The list beside one reply box: its state, the box it reads the caret from and writes to,
/// and what renders the snippets.
#[derive(Clone, Copy)]
pub struct SnippetPicker {
    state: RwSignal<PickerState>,
    draft: RwSignal<String>,
    textarea: NodeRef<Textarea>,
    ws: Workspace,
    contact: Option<OpenContact>,
    rows: Memo<Vec<Snippet>>,
}

impl SnippetPicker {
    pub fn new(draft: RwSignal<String>, textarea: NodeRef<Textarea>) -> Self {
        let ws = expect_context::<Workspace>();
        let state = RwSignal::new(PickerState::default());
        let rows = Memo::new(move |_| {
            let query = state.with(|s| s.query().map(str::to_owned));
            let Some(query) = query else {
                return Vec::new();
            };
            ws.snippets.with(|list| {
                snippets::filter(list, &query)
                    .into_iter()
                    .take(ROWS)
                    .cloned()
                    .collect()
            })
        });
        SnippetPicker {
            state,
            draft,
            textarea,
            ws,
            contact: use_context::<OpenContact>(),
            rows,
        }
    }

    /// After the box's `input`: reopens, narrows or closes the list.
    pub fn typed(&self) {
        let Some(el) = self.textarea.get_untracked() else {
            return;
        };
        let text = el.value();
        let caret = el.selection_start().ok().flatten().unwrap_or(0) as usize;
        let caret = byte_offset(&text, caret);
        self.state.update(|s| s.read(&text, caret));
    }

    /// A key in the box; `true` if it was the list's (the box must then not act on it).
    pub fn keydown(&self, ev: &KeyboardEvent) -> bool {
        if ev.is_composing() || !self.is_open() {
            return false;
        }
        let rows = self.rows.with_untracked(Vec::len);
        let outcome = self
            .state
            .try_update(|s| s.key(&ev.key(), ev.shift_key(), rows))
            .unwrap_or(KeyOutcome::Pass);
        match outcome {
            KeyOutcome::Pass => false,
            KeyOutcome::Handled => {
                ev.prevent_default();
                true
            }
            KeyOutcome::Insert(row) => {
                ev.prevent_default();
                self.insert(row);
                true
            }
        }
    }

    fn rendered(&self, snippet: &Snippet) -> String {
        let contact = self
            .contact
            .and_then(|c| c.0.get_untracked())
            .unwrap_or_default();
        snippet.render(&contact, &self.ws.me_id(), &self.ws.me_name())
    }

    fn insert(&self, row: usize) {
        let Some(snippet) = self.rows.with_untracked(|rows| rows.get(row).cloned()) else {
            return;
        };
        let Some((start, end)) = self.state.try_update(PickerState::take).flatten() else {
            return;
        };
        let text = self.rendered(&snippet);
        let draft = self.draft.get_untracked();
        let Some((next, caret)) = snippets::replace_query(&draft, start, end, &text) else {
            return;
        };
        if let Some(el) = self.textarea.get_untracked() {
            el.set_value(&next);
            let at = utf16_offset(&next, caret) as u32;
            let _ = el.set_selection_range(at, at);
            let _ = el.focus();
        }
        self.draft.set(next);
    }

    pub fn is_open(&self) -> bool {
        self.state.with(|s| s.query().is_some()) && self.rows.with(|r| !r.is_empty())
    }

    /// `aria-expanded` of the box.
    pub fn expanded(&self) -> &'static str {
        if self.is_open() {
            "true"
        } else {
            "false"
        }
    }

    /// `aria-controls` of the box: the list, while it is there.
    pub fn controls(&self) -> Option<&'static str> {
        self.is_open().then_some(LIST_ID)
    }

    /// `aria-activedescendant` of the box: the highlighted row, while the list is open.
    pub fn active_row(&self) -> Option<String> {
        self.is_open()
            .then(|| option_id(self.state.with(PickerState::active)))
    }
}

fn option_id(row: usize) -> String {
    format!("snippet-option-{row}")
}

/// The list itself, shown above the box while a `/query` matches.
#[component]
pub fn SnippetList(picker: SnippetPicker) -> impl IntoView {
    let rows = move || {
        picker
            .rows
            .get()
            .into_iter()
            .enumerate()
            .map(|(row, snippet)| {
                let preview = picker.rendered(&snippet);
                let personal = snippet.scope == SnippetScope::Personal;
                let selected = move || picker.state.with(|s| s.active() == row);
                view! {
                    <li
                        id=option_id(row)
                        role="option"
                        class="snippet-option"
                        data-charla="snippet-option"
                        data-shortcut=snippet.shortcut.clone()
                        aria-selected=move || selected().to_string()
                        // Keeps the caret in the box, so the click inserts where it was.
                        on:mousedown=|ev| ev.prevent_default()
                        on:click=move |_| picker.insert(row)
                    >
                        <span class="snippet-shortcut">"/" {snippet.shortcut.clone()}</span>
                        <span class="snippet-preview">{preview}</span>
                        {personal.then(|| view! { <span class="snippet-scope">"personal"</span> })}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <Show when=move || picker.is_open()>
            <ul
                class="snippet-list"
                id=LIST_ID
                role="listbox"
                aria-label=move || tr().snippets
                data-charla="snippet-list"
            >
                {rows}
            </ul>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_follows_the_text_and_the_keys() {
        let mut s = PickerState::default();
        s.read("Hi /ho", 6);
        assert_eq!(s.query(), Some("ho"));
        assert_eq!(s.key("ArrowDown", false, 3), KeyOutcome::Handled);
        assert_eq!(s.key("ArrowDown", false, 3), KeyOutcome::Handled);
        assert_eq!(s.key("ArrowDown", false, 3), KeyOutcome::Handled);
        assert_eq!(s.active(), 0, "wraps");
        assert_eq!(s.key("ArrowUp", false, 3), KeyOutcome::Handled);
        assert_eq!(s.active(), 2);
        assert_eq!(
            s.key("Enter", true, 3),
            KeyOutcome::Pass,
            "Shift+Enter is a new line"
        );
        assert_eq!(s.key("a", false, 3), KeyOutcome::Pass);
        // Narrowing the query starts again from the top.
        s.read("Hi /hol", 7);
        assert_eq!(s.active(), 0);
        assert_eq!(s.key("Enter", false, 2), KeyOutcome::Insert(0));
        assert_eq!(s.take(), Some((3, 7)));
        assert_eq!(s.query(), None);
        assert_eq!(
            s.key("Enter", false, 2),
            KeyOutcome::Pass,
            "closed: Enter sends"
        );
    }

    #[test]
    fn nothing_matching_or_no_slash_leaves_the_keys_to_the_box() {
        let mut s = PickerState::default();
        s.read("/zzz", 4);
        assert_eq!(s.key("Enter", false, 0), KeyOutcome::Pass);
        s.read("and/or", 6);
        assert_eq!(s.query(), None);
        assert_eq!(s.key("ArrowDown", false, 4), KeyOutcome::Pass);
    }

    #[test]
    fn escape_closes_until_the_next_slash() {
        let mut s = PickerState::default();
        s.read("/ho", 3);
        assert_eq!(s.key("Escape", false, 2), KeyOutcome::Handled);
        assert_eq!(s.query(), None);
        s.read("/hol", 4);
        assert_eq!(s.query(), None, "the same / stays closed");
        s.read("/hol ", 5);
        s.read("/hol /g", 7);
        assert_eq!(s.query(), Some("g"));
    }

    #[test]
    fn carets_cross_between_utf16_and_bytes() {
        let text = "ñ😀 /x";
        assert_eq!(byte_offset(text, 0), 0);
        assert_eq!(byte_offset(text, 1), 2);
        assert_eq!(byte_offset(text, 3), 6);
        assert_eq!(byte_offset(text, 6), text.len());
        assert_eq!(byte_offset(text, 99), text.len());
        assert_eq!(utf16_offset(text, text.len()), 6);
        assert_eq!(utf16_offset(text, 6), 3);
    }
}
