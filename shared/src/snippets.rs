//! Snippets (Chatwoot's "canned responses", respond.io's "Atajos"): texts an agent inserts by
//! typing `/shortcut` in the reply box. Workspace snippets are the team's (owners and managers
//! keep them); personal ones belong to one agent and nobody else sees them.
//!
//! The text may hold the workflow engine's `{{variables}}` of the contact and the agent
//! ([`crate::workflow::check_agent_text`]); the inbox renders them when the snippet is inserted,
//! so the agent sees and may edit exactly what will be sent.

use serde::{Deserialize, Serialize};

use crate::basic::Millis;
use crate::contact::Contact;
use crate::error::Error;
use crate::workflow::{check_agent_text, render_agent_text};

/// Longest shortcut, in characters of `a-z 0-9 - _`.
pub const MAX_SHORTCUT_CHARS: usize = 32;
/// Longest snippet text: half a message, so variables that grow it still fit in one
/// ([`crate::limits::MAX_TEXT_CHARS`]) and a request stays far under the HTTP body cap.
pub const MAX_SNIPPET_CHARS: usize = 2_000;
/// Most snippets in the workspace scope, and most personal snippets per agent: the inbox loads
/// them all once per session.
pub const MAX_SNIPPETS_PER_SCOPE: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnippetScope {
    /// Everyone's; owners and managers create, edit and delete them.
    Workspace,
    /// One agent's own; only they see, edit or delete them.
    Personal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    /// `s_…` ([`crate::ids::IdKind::Snippet`]).
    pub id: String,
    pub shortcut: String,
    pub text: String,
    pub scope: SnippetScope,
    /// The agent a personal snippet belongs to; `None` for workspace snippets.
    #[serde(default)]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub updated_at: Millis,
}

/// `POST /v1/inbox/snippets` and `PUT /v1/inbox/snippets/{id}` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnippetRequest {
    pub shortcut: String,
    pub text: String,
    pub scope: SnippetScope,
}

impl SnippetRequest {
    /// The request as it will be stored (shortcut lowercased, both trimmed), or why it cannot
    /// be. Whether the shortcut is free in its scope is for the store to say.
    pub fn validated(&self) -> Result<SnippetRequest, Error> {
        let shortcut = self.shortcut.trim().to_lowercase();
        if shortcut.is_empty()
            || shortcut.chars().count() > MAX_SHORTCUT_CHARS
            || !shortcut
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            return Err(Error::BadRequest(format!(
                "shortcut must be 1-{MAX_SHORTCUT_CHARS} characters of a-z, 0-9, - and _"
            )));
        }
        let text = self.text.trim();
        if text.is_empty() {
            return Err(Error::BadRequest("snippet text is empty".into()));
        }
        let chars = text.chars().count();
        if chars > MAX_SNIPPET_CHARS {
            return Err(Error::BadRequest(format!(
                "snippet text is {chars} characters; the limit is {MAX_SNIPPET_CHARS}"
            )));
        }
        check_agent_text(text).map_err(Error::BadRequest)?;
        Ok(SnippetRequest {
            shortcut,
            text: text.to_owned(),
            scope: self.scope,
        })
    }
}

impl Snippet {
    /// The text as the agent will send it to `contact`: variables filled in, fallbacks where
    /// the contact has no value.
    pub fn render(&self, contact: &Contact, agent_id: &str, agent_name: &str) -> String {
        render_agent_text(&self.text, contact, agent_id, agent_name)
    }
}

/// The snippets that match what follows the `/`, best first: shortcuts that start with it,
/// then shortcuts that contain it, then texts that contain it; ties by shortcut, the agent's
/// own before the workspace's. Case and the common Latin accents do not matter (`/hol` finds
/// `Hóla`). An empty query lists everything by shortcut.
pub fn filter<'a>(snippets: &'a [Snippet], query: &str) -> Vec<&'a Snippet> {
    let query = fold(query);
    let mut ranked: Vec<(u8, &Snippet)> = snippets
        .iter()
        .filter_map(|s| {
            let shortcut = fold(&s.shortcut);
            let rank = if shortcut.starts_with(&query) {
                0
            } else if shortcut.contains(&query) {
                1
            } else if fold(&s.text).contains(&query) {
                2
            } else {
                return None;
            };
            Some((rank, s))
        })
        .collect();
    ranked.sort_by(|(ra, a), (rb, b)| {
        ra.cmp(rb)
            .then_with(|| a.shortcut.cmp(&b.shortcut))
            .then_with(|| {
                (a.scope == SnippetScope::Workspace).cmp(&(b.scope == SnippetScope::Workspace))
            })
    });
    ranked.into_iter().map(|(_, s)| s).collect()
}

/// Lowercase without the accents Spanish, Portuguese, French and German write, so a search
/// need not match how the snippet was typed. Other scripts are only lowercased.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            other => other,
        })
        .collect()
}

/// A `/query` being typed: where its `/` is and what follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlashQuery {
    /// Byte offset of the `/` in the box's text.
    pub start: usize,
    pub query: String,
}

/// The `/query` that ends at the caret, if the agent is typing one: a `/` at the start of the
/// box or after whitespace, then no whitespace up to the caret. `caret` is a byte offset into
/// `text` (on a character boundary). A `/` inside a word (`and/or`, a URL) opens nothing.
pub fn slash_query(text: &str, caret: usize) -> Option<SlashQuery> {
    let before = text.get(..caret)?;
    let start = before.rfind('/')?;
    let query = &before[start + 1..];
    if query.chars().any(char::is_whitespace) || query.chars().count() > MAX_SHORTCUT_CHARS {
        return None;
    }
    let opens = before[..start]
        .chars()
        .next_back()
        .is_none_or(char::is_whitespace);
    opens.then(|| SlashQuery {
        start,
        query: query.to_owned(),
    })
}

/// `text` with the `/query` from `start` up to the caret replaced by `insert`, and the caret
/// (a byte offset) just after what was inserted; `None` if the offsets no longer fit the text
/// (it changed since they were read).
pub fn replace_query(
    text: &str,
    start: usize,
    caret: usize,
    insert: &str,
) -> Option<(String, usize)> {
    let (before, after) = (text.get(..start)?, text.get(caret..)?);
    if start > caret {
        return None;
    }
    let mut out = String::with_capacity(text.len() + insert.len());
    out.push_str(before);
    out.push_str(insert);
    let caret_after = out.len();
    out.push_str(after);
    Some((out, caret_after))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippet(id: &str, shortcut: &str, text: &str, scope: SnippetScope) -> Snippet {
        Snippet {
            id: id.into(),
            shortcut: shortcut.into(),
            text: text.into(),
            scope,
            owner_id: (scope == SnippetScope::Personal).then(|| "a_1".into()),
            updated_at: 0,
        }
    }

    fn request(shortcut: &str, text: &str) -> SnippetRequest {
        SnippetRequest {
            shortcut: shortcut.into(),
            text: text.into(),
            scope: SnippetScope::Workspace,
        }
    }

    #[test]
    fn validation() {
        let ok = request(
            "  Greet_2-x ",
            "  Hola {{contact.first_name | \"cliente\"}} ",
        )
        .validated()
        .expect("valid");
        assert_eq!(ok.shortcut, "greet_2-x");
        assert_eq!(ok.text, "Hola {{contact.first_name | \"cliente\"}}");
        let long_text = "x".repeat(MAX_SNIPPET_CHARS + 1);
        let long_shortcut = "x".repeat(MAX_SHORTCUT_CHARS + 1);
        for (shortcut, text) in [
            ("", "text"),
            ("a b", "text"),
            ("saludo/2", "text"),
            ("hóla", "text"),
            (long_shortcut.as_str(), "text"),
            ("greet", "   "),
            ("greet", long_text.as_str()),
            ("greet", "Hola {{event.text}}"),
            ("greet", "Hola {{contact.first_name"),
        ] {
            assert!(
                request(shortcut, text).validated().is_err(),
                "{shortcut:?} {text:?}"
            );
        }
        assert!(request(
            &"x".repeat(MAX_SHORTCUT_CHARS),
            &"é".repeat(MAX_SNIPPET_CHARS)
        )
        .validated()
        .is_ok());
    }

    #[test]
    fn filtering_ranks_prefix_then_shortcut_then_text() {
        use SnippetScope::*;
        let all = [
            snippet("1", "thanks", "Gracias por escribir", Workspace),
            snippet("2", "hola", "Hola, ¿en qué te ayudo?", Workspace),
            snippet("3", "bye", "Adiós, ¡hasta luego!", Workspace),
            snippet("4", "hola", "Hola, soy yo", Personal),
            snippet("5", "ship-hold", "Tu pedido está retenido", Workspace),
            snippet("6", "holiday", "Cerrado por vacaciones", Workspace),
        ];
        let check = |query: &str, expected: &[&str]| {
            let ids: Vec<&str> = filter(&all, query).iter().map(|s| s.id.as_str()).collect();
            assert_eq!(ids, expected, "{query:?}");
        };
        check("", &["3", "4", "2", "6", "5", "1"]);
        check("hol", &["4", "2", "6", "5"]);
        check("HOL", &["4", "2", "6", "5"]);
        check("adios", &["3"]);
        check("AYUDÓ", &["2"]);
        check("por", &["6", "1"]);
        check("zzz", &[]);
    }

    #[test]
    fn folding() {
        assert_eq!(fold("ÁÉÍÓÚ Ññ Çç Über"), "aeiou nn cc uber");
        assert_eq!(fold("Привет"), "привет");
    }

    #[test]
    fn slash_queries() {
        let check = |text: &str, expected: Option<(usize, &str)>| {
            let found = slash_query(text, text.len()).map(|q| (q.start, q.query));
            let expected = expected.map(|(s, q)| (s, q.to_owned()));
            assert_eq!(found, expected, "{text:?}");
        };
        check("/", Some((0, "")));
        check("/hol", Some((0, "hol")));
        check("Hi /gr", Some((3, "gr")));
        check("Hi\n/gr", Some((3, "gr")));
        check("ñ /gr", Some((3, "gr")));
        check("and/or", None);
        check("https://x", None);
        check("/hol a", None);
        check("plain", None);
        check(&format!("/{}", "x".repeat(MAX_SHORTCUT_CHARS + 1)), None);
        assert_eq!(
            slash_query("/hol then", 4),
            Some(SlashQuery {
                start: 0,
                query: "hol".into()
            })
        );
        assert_eq!(slash_query("ñ/", 1), None, "not a character boundary");
    }

    #[test]
    fn replacing_the_query() {
        assert_eq!(
            replace_query("Hi /gr", 3, 6, "Hola Ana"),
            Some(("Hi Hola Ana".to_owned(), 11))
        );
        assert_eq!(
            replace_query("/hol rest", 0, 4, "Hola"),
            Some(("Hola rest".to_owned(), 4))
        );
        assert_eq!(replace_query("/h", 0, 5, "x"), None, "the text got shorter");
        assert_eq!(replace_query("ñ/h", 1, 3, "x"), None, "not a boundary");
        assert_eq!(replace_query("a /h", 3, 2, "x"), None);
    }

    #[test]
    fn rendering_fills_the_contact_and_agent() {
        let mut contact = Contact::new("v_1");
        contact.name = Some("Lucía Pérez".into());
        let s = snippet(
            "1",
            "hola",
            "Hola {{contact.first_name | \"cliente\"}}, soy {{agent.name}}",
            SnippetScope::Workspace,
        );
        assert_eq!(s.render(&contact, "a_1", "Ana"), "Hola Lucía, soy Ana");
        assert_eq!(
            s.render(&Contact::new("v_2"), "a_1", "Ana"),
            "Hola cliente, soy Ana"
        );
    }
}
