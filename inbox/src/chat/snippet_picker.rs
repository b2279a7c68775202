//! The reply box's pick lists. `/`: typing `/` at the start of the box or after a space lists
//! the snippets that match what follows ([`charla_shared::snippets::filter`]); Enter or a
//! click puts the snippet in place of `/query` with its variables filled in from the open
//! conversation's contact and the signed-in agent. `@` (internal notes only): lists the
//! workspace's agents whose name starts with what follows
//! ([`charla_shared::notes::mention_candidates`]) and puts `@Full Name ` in place of the
//! `@query`, which the server's `find_mentions` reads as that agent. Both lists move with
//! ArrowUp/ArrowDown and close with Escape: one [`PickerState`], one [`SnippetList`].
//!
//! The box stays a plain textarea with the ARIA combobox attributes ([`SnippetPicker::expanded`]
//! and the rest), so the composer only hands its keys and input here first.

use crate::i18n::tr;
use charla_shared::contact::Contact;
use charla_shared::notes;
use charla_shared::snippets::{self, SlashQuery, Snippet, SnippetScope};
use leptos::ev::KeyboardEvent;
use leptos::html::Textarea;
use leptos::prelude::*;

use crate::shell::workspace::Workspace;

/// Most rows the list shows; typing more of the shortcut narrows it.
const ROWS: usize = 8;

/// What a list row puts in the box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Snippet(Snippet),
    /// An agent to mention, by their full name.
    Agent {
        id: String,
        name: String,
    },
}

/// Which list is open: what opened it (`/` or `@`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListKind {
    #[default]
    Snippets,
    Mentions,
}

impl ListKind {
    fn list_id(self) -> &'static str {
        match self {
            ListKind::Snippets => "snippet-list",
            ListKind::Mentions => "mention-list",
        }
    }

    fn option_id(self, row: usize) -> String {
        match self {
            ListKind::Snippets => format!("snippet-option-{row}"),
            ListKind::Mentions => format!("mention-option-{row}"),
        }
    }
}

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
    /// The `/query` (or `@query`) at the caret and the byte offset it ends at, while the list
    /// is open.
    typed: Option<(SlashQuery, usize)>,
    kind: ListKind,
    active: usize,
    /// The `/` whose list Escape closed: it stays closed while that query is typed on, and
    /// opens again for the next `/`.
    dismissed: Option<usize>,
}

impl PickerState {
    /// The box changed: `caret` is a byte offset into `text`. With `mentions`, an `@query`
    /// at the caret opens the agents' list (else a `/query` the snippets').
    pub fn read(&mut self, text: &str, caret: usize, mentions: bool) {
        let mention = mentions
            .then(|| notes::mention_query(text, caret))
            .flatten()
            .map(|q| (q, ListKind::Mentions));
        let slash = snippets::slash_query(text, caret).map(|q| (q, ListKind::Snippets));
        // Both may be open (a `/` typed after an `@Ana `): the one nearer the caret is typed.
        let found = match (mention, slash) {
            (Some(m), Some(s)) => Some(if m.0.start > s.0.start { m } else { s }),
            (m, s) => m.or(s),
        };
        match found {
            Some((query, _)) if self.dismissed == Some(query.start) => self.typed = None,
            Some((query, kind)) => {
                if self.typed.as_ref().map(|(q, _)| q) != Some(&query) || self.kind != kind {
                    self.active = 0;
                }
                self.kind = kind;
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

    pub fn kind(&self) -> ListKind {
        self.kind
    }

    /// Closes the list without inserting (the box changed mode).
    pub fn close(&mut self) {
        self.typed = None;
        self.active = 0;
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
/// and what renders the rows.
#[derive(Clone, Copy)]
pub struct SnippetPicker {
    state: RwSignal<PickerState>,
    draft: RwSignal<String>,
    textarea: NodeRef<Textarea>,
    ws: Workspace,
    contact: Option<OpenContact>,
    rows: Memo<Vec<Row>>,
    /// Whether `@` lists agents (the box is writing an internal note).
    mentions: Signal<bool>,
}

impl SnippetPicker {
    pub fn new(
        draft: RwSignal<String>,
        textarea: NodeRef<Textarea>,
        mentions: Signal<bool>,
    ) -> Self {
        let ws = expect_context::<Workspace>();
        let state = RwSignal::new(PickerState::default());
        let rows = Memo::new(move |_| {
            let (query, kind) = state.with(|s| (s.query().map(str::to_owned), s.kind()));
            let Some(query) = query else {
                return Vec::new();
            };
            match kind {
                ListKind::Snippets => ws.snippets.with(|list| {
                    snippets::filter(list, &query)
                        .into_iter()
                        .take(ROWS)
                        .cloned()
                        .map(Row::Snippet)
                        .collect()
                }),
                ListKind::Mentions => ws.agents.with(|list| {
                    let agents = crate::shell::roster::assignable(list);
                    let roster: Vec<(&str, &str)> = agents
                        .iter()
                        .map(|a| (a.profile.id.as_str(), a.profile.name.as_str()))
                        .collect();
                    notes::mention_candidates(&roster, &query)
                        .into_iter()
                        .take(ROWS)
                        .map(|(id, name)| Row::Agent {
                            id: id.to_owned(),
                            name: name.trim().to_owned(),
                        })
                        .collect()
                }),
            }
        });
        SnippetPicker {
            state,
            draft,
            textarea,
            ws,
            contact: use_context::<OpenContact>(),
            rows,
            mentions,
        }
    }

    /// Closes the list (the box switched between reply and note).
    pub fn close(&self) {
        self.state.update(PickerState::close);
    }

    /// After the box's `input`: reopens, narrows or closes the list.
    pub fn typed(&self) {
        let Some(el) = self.textarea.get_untracked() else {
            return;
        };
        let text = el.value();
        let caret = el.selection_start().ok().flatten().unwrap_or(0) as usize;
        let caret = byte_offset(&text, caret);
        let mentions = self.mentions.get_untracked();
        self.state.update(|s| s.read(&text, caret, mentions));
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
        let Some(picked) = self.rows.with_untracked(|rows| rows.get(row).cloned()) else {
            return;
        };
        let Some((start, end)) = self.state.try_update(PickerState::take).flatten() else {
            return;
        };
        let text = match &picked {
            Row::Snippet(snippet) => self.rendered(snippet),
            Row::Agent { name, .. } => format!("@{name} "),
        };
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
        self.is_open()
            .then(|| self.state.with(PickerState::kind).list_id())
    }

    /// `aria-activedescendant` of the box: the highlighted row, while the list is open.
    pub fn active_row(&self) -> Option<String> {
        self.is_open()
            .then(|| self.state.with(|s| s.kind().option_id(s.active())))
    }
}

/// The list itself, shown above the box while a `/query` or `@query` matches.
#[component]
pub fn SnippetList(picker: SnippetPicker) -> impl IntoView {
    let kind = move || picker.state.with(PickerState::kind);
    let rows = move || {
        let kind = kind();
        picker
            .rows
            .get()
            .into_iter()
            .enumerate()
            .map(|(row, picked)| {
                let selected = move || picker.state.with(|s| s.active() == row);
                let (charla, class, content, shortcut, agent) = match &picked {
                    Row::Snippet(snippet) => {
                        let preview = picker.rendered(snippet);
                        let personal = snippet.scope == SnippetScope::Personal;
                        (
                            "snippet-option",
                            "snippet-option",
                            view! {
                                <span class="snippet-shortcut">"/" {snippet.shortcut.clone()}</span>
                                <span class="snippet-preview">{preview}</span>
                                {personal
                                    .then(|| view! { <span class="snippet-scope">"personal"</span> })}
                            }
                                .into_any(),
                            Some(snippet.shortcut.clone()),
                            None,
                        )
                    }
                    Row::Agent { id, name } => (
                        "mention-option",
                        "snippet-option mention-option",
                        view! { <span class="snippet-shortcut">"@" {name.clone()}</span> }.into_any(),
                        None,
                        Some(id.clone()),
                    ),
                };
                view! {
                    <li
                        id=kind.option_id(row)
                        role="option"
                        class=class
                        data-charla=charla
                        data-shortcut=shortcut
                        data-agent=agent
                        aria-selected=move || selected().to_string()
                        // Keeps the caret in the box, so the click inserts where it was.
                        on:mousedown=|ev| ev.prevent_default()
                        on:click=move |_| picker.insert(row)
                    >
                        {content}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <Show when=move || picker.is_open()>
            <ul
                class="snippet-list"
                id=move || kind().list_id()
                role="listbox"
                aria-label=move || match kind() {
                    ListKind::Snippets => tr().snippets,
                    ListKind::Mentions => tr().mention_agents,
                }
                data-charla=move || match kind() {
                    ListKind::Snippets => "snippet-list",
                    ListKind::Mentions => "mention-list",
                }
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
        s.read("Hi /ho", 6, false);
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
        s.read("Hi /hol", 7, false);
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
        s.read("/zzz", 4, false);
        assert_eq!(s.key("Enter", false, 0), KeyOutcome::Pass);
        s.read("and/or", 6, false);
        assert_eq!(s.query(), None);
        assert_eq!(s.key("ArrowDown", false, 4), KeyOutcome::Pass);
    }

    #[test]
    fn escape_closes_until_the_next_slash() {
        let mut s = PickerState::default();
        s.read("/ho", 3, false);
        assert_eq!(s.key("Escape", false, 2), KeyOutcome::Handled);
        assert_eq!(s.query(), None);
        s.read("/hol", 4, false);
        assert_eq!(s.query(), None, "the same / stays closed");
        s.read("/hol ", 5, false);
        s.read("/hol /g", 7, false);
        assert_eq!(s.query(), Some("g"));
    }

    #[test]
    fn in_a_note_at_opens_the_agents_and_shares_the_keys() {
        let mut s = PickerState::default();
        s.read("Hi @an", 6, false);
        assert_eq!(s.query(), None, "a reply mentions nobody");
        s.read("Hi @an", 6, true);
        assert_eq!((s.query(), s.kind()), (Some("an"), ListKind::Mentions));
        assert_eq!(s.key("ArrowDown", false, 2), KeyOutcome::Handled);
        assert_eq!(s.key("Enter", false, 2), KeyOutcome::Insert(1));
        assert_eq!(s.take(), Some((3, 6)));
        s.read("Hi @an /sa", 10, true);
        assert_eq!((s.query(), s.kind()), (Some("sa"), ListKind::Snippets));
        s.read("@bru", 4, true);
        assert_eq!(s.key("Escape", false, 1), KeyOutcome::Handled);
        s.read("@brun", 5, true);
        assert_eq!(s.query(), None, "the same @ stays closed");
        s.read("@brun", 5, true);
        s.close();
        assert_eq!(s.query(), None);
        assert_eq!(ListKind::Mentions.option_id(2), "mention-option-2");
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
