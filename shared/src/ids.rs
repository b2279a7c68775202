//! The one grammar of server-made ids: `<prefix>_<32 lowercase hex>` (128 random bits).
//!
//! Every id a client sends is checked against this shape before it touches a URL, SQL text or
//! a header, so a value like `../ws?agent=x` or `=cmd|' /C calc'!A0` is refused at the edge of
//! the system instead of being trusted somewhere inside it.

/// What kind of object an id names; its prefix is part of the id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Agent,
    Team,
    Conversation,
    Visitor,
    Workflow,
    Run,
    Snippet,
    /// An uploaded file.
    File,
    /// A REST API key (`shared::api_keys`).
    ApiKey,
    /// A webhook subscription (`shared::webhooks`).
    Webhook,
}

impl IdKind {
    pub fn prefix(self) -> &'static str {
        match self {
            IdKind::Agent => "a",
            IdKind::Team => "t",
            IdKind::Conversation => "c",
            IdKind::Visitor => "v",
            IdKind::Workflow => "w",
            IdKind::Run => "r",
            IdKind::Snippet => "s",
            IdKind::File => "f",
            IdKind::ApiKey => "k",
            IdKind::Webhook => "h",
        }
    }

    /// The readable name used in error messages (`unknown team`).
    pub fn noun(self) -> &'static str {
        match self {
            IdKind::Agent => "agent",
            IdKind::Team => "team",
            IdKind::Conversation => "conversation",
            IdKind::Visitor => "contact",
            IdKind::Workflow => "workflow",
            IdKind::Run => "run",
            IdKind::Snippet => "snippet",
            IdKind::File => "file",
            IdKind::ApiKey => "API key",
            IdKind::Webhook => "webhook",
        }
    }
}

/// Hex digits after the prefix and its underscore.
pub const ID_HEX_LEN: usize = 32;

/// Whether `id` has the shape of an id of `kind`.
pub fn is_valid(kind: IdKind, id: &str) -> bool {
    let prefix = kind.prefix();
    id.len() == prefix.len() + 1 + ID_HEX_LEN
        && id.starts_with(prefix)
        && id.as_bytes()[prefix.len()] == b'_'
        && id[prefix.len() + 1..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Build an id from 16 random bytes the caller drew (the core draws no randomness itself).
pub fn from_bytes(kind: IdKind, bytes: &[u8; 16]) -> String {
    let mut id = String::with_capacity(kind.prefix().len() + 1 + ID_HEX_LEN);
    id.push_str(kind.prefix());
    id.push('_');
    for b in bytes {
        id.push_str(&format!("{b:02x}"));
    }
    id
}

/// Workspace ids appear in Durable Object names and URLs: 1-64 of `a-z 0-9 - _`.
pub fn is_valid_workspace(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_from_bytes_makes() {
        for kind in [
            IdKind::Agent,
            IdKind::Team,
            IdKind::Conversation,
            IdKind::Visitor,
            IdKind::Workflow,
            IdKind::Run,
            IdKind::Snippet,
            IdKind::File,
            IdKind::ApiKey,
            IdKind::Webhook,
        ] {
            let id = from_bytes(kind, &[0xab; 16]);
            assert!(is_valid(kind, &id), "{id}");
        }
    }

    #[test]
    fn refuses_other_shapes() {
        let good = from_bytes(IdKind::Agent, &[7; 16]);
        assert!(!is_valid(IdKind::Team, &good), "wrong prefix");
        for bad in [
            "",
            "a_",
            "../ws?agent=a_00000000000000000000000000000000",
            "=cmd|' /C calc'!A0",
            "a_0000000000000000000000000000000G",
            "a_0000000000000000000000000000000A",
            "a-00000000000000000000000000000000",
            "a_000000000000000000000000000000000",
            "a_00000000000000000000000000000000/x",
            "a_0000000000000000000000000000000%2e",
        ] {
            assert!(!is_valid(IdKind::Agent, bad), "{bad:?}");
        }
    }

    #[test]
    fn workspace_ids() {
        assert!(is_valid_workspace("demo"));
        assert!(is_valid_workspace("acme-shop_2"));
        for bad in ["", "Demo", "a/b", "..", "a b", &"x".repeat(65)] {
            assert!(!is_valid_workspace(bad), "{bad:?}");
        }
    }
}
