//! Internal notes: what agents write to each other inside a conversation. A note is a
//! timeline event (never a message), so it takes no sequence number, never reaches the
//! visitor's socket or replica, and a visitor resuming after it sees no gap.
//!
//! `@name` mentions are found here, in the text as typed, against the workspace's agents:
//! the full name, or a first name that only one agent has. The edge refuses a note whose
//! mentioned agent could not open the conversation (their access level hides it), so nobody
//! is notified about a chat they cannot see.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::limits::validate_send;

/// Most agents one note may mention (each gets a notification).
pub const MAX_MENTIONS: usize = 20;

/// `POST /v1/inbox/conversations/{id}/notes` body. Resending the same `client_id` answers the
/// note already stored instead of storing it twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteRequest {
    pub client_id: String,
    pub text: String,
}

impl NoteRequest {
    /// The same rules as a message's (client-id grammar, 1..=4,000 characters); the text
    /// as it is kept, trimmed.
    pub fn check(&self) -> Result<&str, Error> {
        validate_send(&self.client_id, &self.text)
    }
}

/// An agent a note mentions, named as they were when it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub agent_id: String,
    pub name: String,
}

/// The agents `text` mentions, in the order first mentioned, each once; `roster` is every
/// agent of the workspace as `(id, name)`. `@Ana García` matches that full name (any case);
/// `@Ana` matches the only agent whose first name is Ana. An `@` inside a word (an email
/// address) mentions nobody.
pub fn find_mentions(text: &str, roster: &[(&str, &str)]) -> Vec<Mention> {
    // Longest names first, so "@Ana María" is not taken for "@Ana".
    let mut by_length: Vec<&(&str, &str)> = roster
        .iter()
        .filter(|(_, name)| !name.trim().is_empty())
        .collect();
    by_length.sort_by_key(|(_, name)| std::cmp::Reverse(name.chars().count()));
    let first_names = |first: &str| {
        roster
            .iter()
            .filter(|(_, name)| first_word(name).is_some_and(|w| same_letters(w, first)))
            .count()
    };

    let mut found: Vec<Mention> = Vec::new();
    let mut previous: Option<char> = None;
    for (at, c) in text.char_indices() {
        let starts_word = previous.is_none_or(|p| !p.is_alphanumeric() && p != '@');
        previous = Some(c);
        if c != '@' || !starts_word {
            continue;
        }
        let rest = &text[at + 1..];
        let whole = by_length
            .iter()
            .find(|(_, name)| prefix_len(rest, name.trim()).is_some());
        let agent = whole.copied().or_else(|| {
            let word: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
            if word.is_empty() || first_names(&word) != 1 {
                return None;
            }
            roster
                .iter()
                .find(|(_, name)| first_word(name).is_some_and(|w| same_letters(w, &word)))
        });
        if let Some((id, name)) = agent {
            if !found.iter().any(|m| m.agent_id == *id) && found.len() < MAX_MENTIONS {
                found.push(Mention {
                    agent_id: (*id).to_owned(),
                    name: name.trim().to_owned(),
                });
            }
        }
    }
    found
}

/// Longest `@query` the composer's mention list follows (a full name, typed with its spaces).
pub const MAX_MENTION_QUERY_CHARS: usize = 40;

/// The `@query` that ends at the caret, if the agent is typing a mention: an `@` at the start
/// of the box or after a character that is not a letter, digit or `@` (so an email address
/// opens nothing, as [`find_mentions`] reads it), then up to the caret only what names are
/// made of (letters, digits, single spaces, `.`, `-`, `'`), at most
/// [`MAX_MENTION_QUERY_CHARS`] characters (a full name has spaces). `caret` is a byte offset
/// into `text` on a character boundary.
pub fn mention_query(text: &str, caret: usize) -> Option<crate::snippets::SlashQuery> {
    let before = text.get(..caret)?;
    let start = before.rfind('@')?;
    let query = &before[start + 1..];
    let name_char = |c: char| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '\'' | '’');
    if !query.chars().all(name_char)
        || query.starts_with(' ')
        || query.contains("  ")
        || query.chars().count() > MAX_MENTION_QUERY_CHARS
    {
        return None;
    }
    let opens = before[..start]
        .chars()
        .next_back()
        .is_none_or(|p| !p.is_alphanumeric() && p != '@');
    opens.then(|| crate::snippets::SlashQuery {
        start,
        query: query.to_owned(),
    })
}

/// The agents an `@query` may mean, as `roster` orders them: those whose full name starts
/// with the query, or one of whose later names does (any case). An empty query lists all.
pub fn mention_candidates<'r>(
    roster: &[(&'r str, &'r str)],
    query: &str,
) -> Vec<(&'r str, &'r str)> {
    let query: String = query
        .trim_end()
        .chars()
        .flat_map(char::to_lowercase)
        .collect();
    roster
        .iter()
        .filter(|(_, name)| !name.trim().is_empty())
        .filter(|(_, name)| {
            let name: String = name.trim().chars().flat_map(char::to_lowercase).collect();
            name.starts_with(&query)
                || name
                    .match_indices(' ')
                    .any(|(i, _)| name[i + 1..].starts_with(&query))
        })
        .copied()
        .collect()
}

fn first_word(name: &str) -> Option<&str> {
    name.split_whitespace().next()
}

fn same_letters(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// Bytes of `text` that spell `name` (any case) at its start, if they do and the name ends
/// there (not in the middle of a longer word).
fn prefix_len(text: &str, name: &str) -> Option<usize> {
    let mut rest = text.char_indices();
    let mut end = 0;
    for n in name.chars() {
        let (i, t) = rest.next()?;
        if !t.to_lowercase().eq(n.to_lowercase()) {
            return None;
        }
        end = i + t.len_utf8();
    }
    match text[end..].chars().next() {
        Some(next) if next.is_alphanumeric() => None,
        _ => Some(end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::MAX_TEXT_CHARS;

    const ROSTER: &[(&str, &str)] = &[
        ("a_1", "Ana García"),
        ("a_2", "Ana María Ruiz"),
        ("a_3", "Bruno Díaz"),
        ("a_4", "Carla"),
    ];

    fn ids(text: &str) -> Vec<String> {
        find_mentions(text, ROSTER)
            .into_iter()
            .map(|m| m.agent_id)
            .collect()
    }

    #[test]
    fn the_mention_being_typed_ends_at_the_caret() {
        let q = |text: &str| mention_query(text, text.len()).map(|q| (q.start, q.query));
        assert_eq!(q("@an"), Some((0, "an".into())));
        assert_eq!(q("hola @Ana G"), Some((5, "Ana G".into())));
        assert_eq!(q("(@bru"), Some((1, "bru".into())));
        assert_eq!(q("hola @"), Some((5, String::new())));
        assert_eq!(q("ana@example"), None, "an email address");
        assert_eq!(q("@@ana"), None);
        assert_eq!(q("@ ana"), None);
        assert_eq!(q("@ana  x"), None, "two spaces end it");
        assert_eq!(q("@ana\nx"), None);
        assert_eq!(q("@ana /x"), None, "a slash is no part of a name");
        assert_eq!(
            q("@María-José O'Neil"),
            Some((0, "María-José O'Neil".into()))
        );
        assert_eq!(q("no mention"), None);
        assert_eq!(q(&format!("@{}", "a".repeat(41))), None);
        let text = "@ana hola";
        assert_eq!(mention_query(text, 4).map(|q| q.query), Some("ana".into()));
        assert_eq!(mention_query("ñ@x", "ñ@x".len()).map(|q| q.start), None);
        assert_eq!(
            mention_query("ñ @x", "ñ @x".len()).map(|q| q.start),
            Some(3)
        );
    }

    #[test]
    fn candidates_by_any_name_that_starts_with_the_query() {
        let names = |query: &str| -> Vec<&str> {
            mention_candidates(ROSTER, query)
                .into_iter()
                .map(|(id, _)| id)
                .collect()
        };
        assert_eq!(names("an"), ["a_1", "a_2"]);
        assert_eq!(names("ANA M"), ["a_2"]);
        assert_eq!(names("gar"), ["a_1"]);
        assert_eq!(names("díaz"), ["a_3"]);
        assert_eq!(names(""), ["a_1", "a_2", "a_3", "a_4"]);
        assert_eq!(names("zz"), Vec::<&str>::new());
        assert_eq!(
            names("ana "),
            ["a_1", "a_2"],
            "a trailing space narrows nothing yet"
        );
    }

    #[test]
    fn full_names_in_any_case() {
        assert_eq!(ids("@Ana García can you look?"), ["a_1"]);
        assert_eq!(ids("ping @ana maría ruiz, please"), ["a_2"]);
        assert_eq!(ids("@BRUNO DÍAZ"), ["a_3"]);
    }

    #[test]
    fn a_first_name_only_when_one_agent_has_it() {
        assert_eq!(ids("@Bruno mira esto"), ["a_3"]);
        assert_eq!(ids("@carla!"), ["a_4"]);
        // Two agents are called Ana: "@Ana" alone names neither.
        assert!(ids("@Ana hola").is_empty());
    }

    #[test]
    fn each_once_in_order() {
        assert_eq!(ids("@Carla and @Bruno, then @carla again"), ["a_4", "a_3"]);
    }

    #[test]
    fn not_inside_words_or_addresses() {
        assert!(ids("write to carla@example.com").is_empty());
        assert!(ids("@Carlos").is_empty());
        assert!(ids("@@Carla").is_empty());
        assert!(ids("nobody here").is_empty());
        assert_eq!(ids("(@Carla)"), ["a_4"]);
        assert_eq!(find_mentions("@Carla", &[])[..], []);
    }

    #[test]
    fn names_are_kept_as_the_roster_spells_them() {
        let found = find_mentions("@ana garcía", ROSTER);
        assert_eq!(
            found,
            [Mention {
                agent_id: "a_1".into(),
                name: "Ana García".into()
            }]
        );
    }

    #[test]
    fn requests_follow_the_message_rules() {
        let ok = NoteRequest {
            client_id: "n-1".into(),
            text: "looks like a refund".into(),
        };
        assert_eq!(ok.check(), Ok("looks like a refund"));
        let empty = NoteRequest {
            text: "  ".into(),
            ..ok.clone()
        };
        assert_eq!(empty.check(), Err(Error::EmptyText));
        let long = NoteRequest {
            text: "x".repeat(MAX_TEXT_CHARS + 1),
            ..ok.clone()
        };
        assert!(matches!(long.check(), Err(Error::TextTooLong { .. })));
        let bad_id = NoteRequest {
            client_id: "../x".into(),
            ..ok
        };
        assert!(matches!(bad_id.check(), Err(Error::InvalidClientId { .. })));
    }
}
