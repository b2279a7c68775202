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
use crate::protocol::validate_send;

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
