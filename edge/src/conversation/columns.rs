//! How an author kind is written in the conversation's SQLite columns and socket tags.

use charla_shared::protocol::AuthorKind;

/// The author kind a `messages.author_kind` column holds.
pub(super) fn author_kind_of(column: &str) -> AuthorKind {
    match column {
        "agent" => AuthorKind::Agent,
        "contact" => AuthorKind::Contact,
        _ => AuthorKind::System,
    }
}

/// The column value (and hibernation tag) for an author kind.
pub(super) fn kind_str(kind: AuthorKind) -> &'static str {
    match kind {
        AuthorKind::Contact => "contact",
        AuthorKind::Agent => "agent",
        AuthorKind::System => "system",
    }
}
