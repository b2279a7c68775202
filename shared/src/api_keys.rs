//! API keys for the public REST API (`/v1/api/…`, docs/API.md "REST API"): what a key may do
//! (its scopes), the one shape a key has, and what owners see of a key after it was shown.
//!
//! A key is `ck1.<workspace>.<key id>.<secret>`: the workspace and key id say where to look
//! without a lookup table, and only the secret's SHA-256 is stored (a key is 256 random bits,
//! so a fast hash is as good as a slow one, and checking it costs the Durable Object nothing).

use serde::{Deserialize, Serialize};

use crate::basic::Millis;
use crate::error::Error;
use crate::ids::{is_valid, is_valid_workspace, IdKind};

/// What a key may do. Each route of the REST API names the one scope it needs; a key without
/// it gets 403 naming that scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Scope {
    #[serde(rename = "contacts:read")]
    ContactsRead,
    #[serde(rename = "contacts:write")]
    ContactsWrite,
    #[serde(rename = "conversations:read")]
    ConversationsRead,
    #[serde(rename = "conversations:write")]
    ConversationsWrite,
    #[serde(rename = "messages:write")]
    MessagesWrite,
    #[serde(rename = "webhooks")]
    Webhooks,
}

impl Scope {
    pub const ALL: [Scope; 6] = [
        Scope::ContactsRead,
        Scope::ContactsWrite,
        Scope::ConversationsRead,
        Scope::ConversationsWrite,
        Scope::MessagesWrite,
        Scope::Webhooks,
    ];

    /// The name keys and errors use (`contacts:read`).
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::ContactsRead => "contacts:read",
            Scope::ContactsWrite => "contacts:write",
            Scope::ConversationsRead => "conversations:read",
            Scope::ConversationsWrite => "conversations:write",
            Scope::MessagesWrite => "messages:write",
            Scope::Webhooks => "webhooks",
        }
    }
}

/// Longest key name, in characters.
pub const MAX_KEY_NAME_CHARS: usize = 80;
/// Most keys a workspace holds (revoked ones included until deleted with the workspace): a
/// shop connects a handful of tools, not thousands.
pub const MAX_KEYS: usize = 50;
/// The version tag every key starts with, so a later format can be told apart.
pub const KEY_PREFIX: &str = "ck1";
/// Hex characters of a key's secret (32 random bytes).
pub const SECRET_HEX_LEN: usize = 64;

/// `POST /v1/inbox/api-keys`: a name for people ("Shopify sync") and the scopes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub name: String,
    pub scopes: Vec<Scope>,
}

impl NewApiKey {
    /// The request as it will be stored: the name trimmed, the scopes sorted and each once.
    /// Refused: an empty or over-long name, no scope.
    pub fn normalized(&self) -> Result<NewApiKey, Error> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(Error::BadRequest("give the key a name".into()));
        }
        if name.chars().count() > MAX_KEY_NAME_CHARS {
            return Err(Error::BadRequest(format!(
                "a key's name is at most {MAX_KEY_NAME_CHARS} characters"
            )));
        }
        if name.chars().any(char::is_control) {
            return Err(Error::BadRequest(
                "a key's name has no control characters".into(),
            ));
        }
        let mut scopes = self.scopes.clone();
        scopes.sort();
        scopes.dedup();
        if scopes.is_empty() {
            return Err(Error::BadRequest("give the key at least one scope".into()));
        }
        Ok(NewApiKey {
            name: name.to_owned(),
            scopes,
        })
    }
}

/// A key as owners see it in the inbox: never its secret, only its last four characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKey {
    pub id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
    /// The secret's last four characters, so an owner can tell keys apart.
    pub hint: String,
    pub created_at: Millis,
    /// The agent who created it.
    pub created_by: String,
    /// Updated at most once a minute, so using a key costs no write per request.
    #[serde(default)]
    pub last_used_at: Option<Millis>,
    #[serde(default)]
    pub revoked_at: Option<Millis>,
}

/// The answer of creating a key: the key as listed, and the whole key, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub key: ApiKey,
    pub secret: String,
}

/// The caller of a REST route, as the workspace resolved its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiCaller {
    pub key_id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
}

impl ApiCaller {
    /// `Ok` when the key has `scope`; the refusal names it.
    pub fn require(&self, scope: Scope) -> Result<(), Scope> {
        if self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(scope)
        }
    }
}

/// A key as presented: which workspace, which key, and the secret to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PresentedKey<'a> {
    pub workspace_id: &'a str,
    pub key_id: &'a str,
    pub secret: &'a str,
}

/// The whole key string for a new key.
pub fn format_key(workspace_id: &str, key_id: &str, secret: &str) -> String {
    format!("{KEY_PREFIX}.{workspace_id}.{key_id}.{secret}")
}

/// Read a presented key; `None` for anything not of the one shape (so no part of a malformed
/// key ever reaches a Durable Object's name, a URL or SQL).
pub fn parse_key(key: &str) -> Option<PresentedKey<'_>> {
    let mut parts = key.split('.');
    let (prefix, workspace_id, key_id, secret) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let shaped = parts.next().is_none()
        && prefix == KEY_PREFIX
        && is_valid_workspace(workspace_id)
        && is_valid(IdKind::ApiKey, key_id)
        && secret.len() == SECRET_HEX_LEN
        && secret
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    shaped.then_some(PresentedKey {
        workspace_id,
        key_id,
        secret,
    })
}

/// The last four characters of a secret, shown in lists.
pub fn hint(secret: &str) -> String {
    secret
        .get(secret.len().saturating_sub(4)..)
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const KEY_ID: &str = "k_0123456789abcdef0123456789abcdef";

    #[test]
    fn a_formatted_key_parses_back() {
        let key = format_key("mi-tienda", KEY_ID, SECRET);
        assert_eq!(
            parse_key(&key),
            Some(PresentedKey {
                workspace_id: "mi-tienda",
                key_id: KEY_ID,
                secret: SECRET,
            })
        );
        assert_eq!(hint(SECRET), "cdef");
    }

    #[test]
    fn anything_else_is_not_a_key() {
        let good = format_key("demo", KEY_ID, SECRET);
        for bad in [
            String::new(),
            "ck1".into(),
            good.replace("ck1.", "ck2."),
            format!("{good}.x"),
            good.replace("demo", "../demo"),
            good.replace("demo", "Demo"),
            good.replace(KEY_ID, "k_nope"),
            good.replace(KEY_ID, &KEY_ID.replace('k', "a")),
            good.replace(SECRET, &SECRET[1..]),
            good.replace(SECRET, &SECRET.to_uppercase()),
            format!("{good} "),
            good.replace('.', "_"),
        ] {
            assert_eq!(parse_key(&bad), None, "{bad}");
        }
    }

    #[test]
    fn scopes_read_and_write_as_their_names() {
        for scope in Scope::ALL {
            let json = serde_json::to_string(&scope).unwrap();
            assert_eq!(json, format!("\"{}\"", scope.as_str()));
            assert_eq!(serde_json::from_str::<Scope>(&json).unwrap(), scope);
        }
        assert!(serde_json::from_str::<Scope>("\"admin\"").is_err());
    }

    #[test]
    fn a_new_key_needs_a_name_and_a_scope() {
        let req = |name: &str, scopes: Vec<Scope>| NewApiKey {
            name: name.into(),
            scopes,
        };
        let ok = req(
            "  Shopify sync ",
            vec![
                Scope::ContactsWrite,
                Scope::ContactsRead,
                Scope::ContactsWrite,
            ],
        )
        .normalized()
        .unwrap();
        assert_eq!(ok.name, "Shopify sync");
        assert_eq!(ok.scopes, vec![Scope::ContactsRead, Scope::ContactsWrite]);
        assert!(req("   ", vec![Scope::Webhooks]).normalized().is_err());
        assert!(req("x", vec![]).normalized().is_err());
        assert!(req(&"n".repeat(81), vec![Scope::Webhooks])
            .normalized()
            .is_err());
        assert!(req("a\u{0}b", vec![Scope::Webhooks]).normalized().is_err());
    }

    #[test]
    fn a_caller_without_the_scope_is_told_which() {
        let caller = ApiCaller {
            key_id: KEY_ID.into(),
            name: "x".into(),
            scopes: vec![Scope::ContactsRead],
        };
        assert_eq!(caller.require(Scope::ContactsRead), Ok(()));
        assert_eq!(
            caller.require(Scope::ContactsWrite),
            Err(Scope::ContactsWrite)
        );
    }
}
