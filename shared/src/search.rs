//! Search: what is indexed, how a typed query becomes an FTS5 query, and how a highlighted
//! snippet is read back, without letting a visitor's text or an agent's query change either.
//!
//! The index (SQLite FTS5, `unicode61 remove_diacritics 2`, so "telefono" finds "teléfono"
//! in any case) lives in a Search Durable Object per workspace, fed through a Queue by the
//! Conversation DOs (messages) and the Workspace DO (contacts): no message waits on it, and
//! the Workspace is not asked once per message.

use serde::{Deserialize, Serialize};

use crate::basic::{Millis, Seq};
use crate::protocol::{AuthorKind, ConversationSummary};

/// Start and end of a highlighted match inside a snippet. Control characters no text can
/// carry: [`clean_text`] strips them from everything indexed.
pub const MARK_START: char = '\u{2}';
pub const MARK_END: char = '\u{3}';

/// Longest query kept (characters); the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most words of a query used.
pub const MAX_QUERY_TERMS: usize = 8;
/// Most results one search answers.
pub const MAX_RESULTS: usize = 50;

/// One thing to index: a message of a conversation, or a contact's name, email and phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IndexDoc {
    Message {
        conversation_id: String,
        contact_id: String,
        seq: Seq,
        author: AuthorKind,
        text: String,
        at: Millis,
    },
    /// Replaces whatever was indexed for the contact before.
    Contact {
        contact_id: String,
        text: String,
        at: Millis,
    },
}

impl IndexDoc {
    /// The one key a document is stored under, so a redelivered batch indexes nothing twice
    /// and a contact's new details replace the old.
    pub fn key(&self) -> String {
        match self {
            IndexDoc::Message {
                conversation_id,
                seq,
                ..
            } => format!("m/{conversation_id}/{seq}"),
            IndexDoc::Contact { contact_id, .. } => format!("c/{contact_id}"),
        }
    }
}

/// One queue message: a workspace's documents (the consumer groups a batch by workspace).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexBatch {
    pub workspace_id: String,
    #[serde(default)]
    pub docs: Vec<IndexDoc>,
    /// Conversations to wake so they send what the index has not had from them yet: the
    /// backfill of conversations stored before search existed (or quiet since), which would
    /// otherwise be found only after their next message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wake: Vec<String>,
}

/// Conversations one backfill queue message wakes at most: each wake is a Durable Object
/// call the consumer waits for.
pub const WAKE_PER_MESSAGE: usize = 50;

/// Text as it is indexed: the snippet markers removed.
pub fn clean_text(text: &str) -> String {
    text.chars()
        .filter(|c| *c != MARK_START && *c != MARK_END)
        .collect()
}

/// A contact's searchable text: name, email and phone, and the phone's digits alone and
/// without their first ones (the index matches whole words and word starts, and nobody
/// types the country code of a local number), so "600111222" and "+34 600" both find
/// "+34600111222".
pub fn contact_text(name: &str, email: Option<&str>, phone: Option<&str>) -> String {
    let mut text = name.to_owned();
    for part in [email, phone].into_iter().flatten() {
        text.push(' ');
        text.push_str(part);
    }
    if let Some(phone) = phone {
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            text.push(' ');
            text.push_str(&digits);
        }
        // Tails of at least 6 digits (ASCII digits: byte offsets are char offsets).
        for start in 1..digits.len().saturating_sub(5) {
            text.push(' ');
            text.push_str(&digits[start..]);
        }
    }
    clean_text(&text)
}

/// The FTS5 query for what an agent typed: every word a quoted phrase (quotes doubled inside),
/// all required, the last one a prefix (results while typing). `None` when nothing
/// searchable is left. No FTS5 operator a user types (`OR`, `NEAR`, `*`, `:` columns, `^`)
/// survives, so a query cannot fail to parse or reach another column.
pub fn fts_query(typed: &str) -> Option<String> {
    let typed: String = typed.chars().take(MAX_QUERY_CHARS).collect();
    let words: Vec<String> = typed
        .split(|c: char| !c.is_alphanumeric() && c != '@' && c != '.' && c != '+' && c != '_')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .take(MAX_QUERY_TERMS)
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    let (last, rest) = words.split_last()?;
    let mut query = rest.join(" ");
    if !query.is_empty() {
        query.push(' ');
    }
    query.push_str(last);
    query.push('*');
    Some(query)
}

/// A snippet as text pieces, each marked `true` when it is part of a match.
pub fn snippet_pieces(snippet: &str) -> Vec<(String, bool)> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut marked = false;
    for c in snippet.chars() {
        let switch = match c {
            MARK_START => Some(true),
            MARK_END => Some(false),
            _ => None,
        };
        match switch {
            Some(on) if on != marked => {
                if !current.is_empty() {
                    pieces.push((std::mem::take(&mut current), marked));
                }
                marked = on;
            }
            Some(_) => {}
            None => current.push(c),
        }
    }
    if !current.is_empty() {
        pieces.push((current, marked));
    }
    pieces
}

/// What the index found: a message (with its highlighted snippet) or a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexHit {
    /// `None` for a contact hit.
    pub conversation_id: Option<String>,
    pub contact_id: String,
    pub seq: Option<Seq>,
    /// Marked with [`MARK_START`]/[`MARK_END`].
    pub snippet: String,
    pub at: Millis,
}

/// `GET /v1/inbox/search` answer: results best first, each a conversation the caller may see
/// and, for a message hit, the message to open it at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResult {
    pub conversation: ConversationSummary,
    /// The matching message; `None` when the contact's name, email or phone matched.
    pub seq: Option<Seq>,
    /// Marked with [`MARK_START`]/[`MARK_END`] (see [`snippet_pieces`]).
    pub snippet: String,
    pub at: Millis,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_without_wake_reads_and_one_with_only_wake_needs_no_docs() {
        // Queue messages sent before the backfill existed are still in flight after a deploy.
        let old: IndexBatch = serde_json::from_str(r#"{"workspace_id":"w","docs":[]}"#).unwrap();
        assert!(old.wake.is_empty());
        let wake: IndexBatch =
            serde_json::from_str(r#"{"workspace_id":"w","wake":["c1","c2"]}"#).unwrap();
        assert_eq!(wake.wake, ["c1", "c2"]);
        assert!(wake.docs.is_empty());
        let sent = serde_json::to_string(&IndexBatch {
            workspace_id: "w".into(),
            docs: Vec::new(),
            wake: Vec::new(),
        })
        .unwrap();
        assert!(!sent.contains("wake"), "{sent}");
    }

    #[test]
    fn every_word_is_a_quoted_phrase_and_the_last_a_prefix() {
        assert_eq!(fts_query("telefono").as_deref(), Some("\"telefono\"*"));
        assert_eq!(
            fts_query("  mi Teléfono  no ").as_deref(),
            Some("\"mi\" \"Teléfono\" \"no\"*")
        );
        assert_eq!(
            fts_query("ana@example.com").as_deref(),
            Some("\"ana@example.com\"*")
        );
    }

    #[test]
    fn operators_and_punctuation_are_only_text() {
        // Nine words: the first eight are kept.
        assert_eq!(
            fts_query("a OR b NEAR(c) text:x ^d \"e").as_deref(),
            Some("\"a\" \"OR\" \"b\" \"NEAR\" \"c\" \"text\" \"x\" \"d\"*")
        );
        assert_eq!(fts_query("*").as_deref(), None);
        assert_eq!(fts_query("   ").as_deref(), None);
        assert_eq!(fts_query("\"\"\"").as_deref(), None);
        let long = "palabra ".repeat(100);
        let q = fts_query(&long).unwrap();
        assert_eq!(q.matches('"').count(), 2 * MAX_QUERY_TERMS);
    }

    #[test]
    fn snippets_split_at_the_marks_only() {
        let s = format!("mi {MARK_START}teléfono{MARK_END} no <b>anda</b>");
        assert_eq!(
            snippet_pieces(&s),
            [
                ("mi ".to_owned(), false),
                ("teléfono".to_owned(), true),
                (" no <b>anda</b>".to_owned(), false)
            ]
        );
        assert_eq!(snippet_pieces(""), []);
        // Marks a visitor typed never reach the index.
        assert_eq!(clean_text("a\u{2}b\u{3}c"), "abc");
    }

    #[test]
    fn keys_and_contact_text() {
        let doc = IndexDoc::Message {
            conversation_id: "c_1".into(),
            contact_id: "v_1".into(),
            seq: 7,
            author: AuthorKind::Contact,
            text: "hola".into(),
            at: 1,
        };
        assert_eq!(doc.key(), "m/c_1/7");
        assert_eq!(
            contact_text(
                "Marta Núñez",
                Some("marta@example.com"),
                Some("+34600111222")
            ),
            "Marta Núñez marta@example.com +34600111222 34600111222 4600111222 600111222 \
             00111222 0111222 111222"
        );
        assert_eq!(contact_text("Ana", None, None), "Ana");
    }
}
