//! Limits are part of the protocol: clients can check them before sending, and the edge
//! enforces them with a typed error frame instead of dropping the socket.

use crate::error::Error;
use crate::files::MAX_ATTACHMENTS;
use crate::ids::{is_valid, IdKind};

/// Longest message text, counted in Unicode scalar values (what a person calls characters).
pub const MAX_TEXT_CHARS: usize = 4_000;
/// Largest frame a client may send, in bytes of UTF-8 JSON.
pub const MAX_FRAME_BYTES: usize = 16 * 1024;
/// Longest client-generated message id (a UUID is 36).
pub const MAX_CLIENT_ID_LEN: usize = 64;
/// How many messages one `synced` frame carries at most; the client asks again for the rest.
pub const SYNC_PAGE: usize = 200;
/// Longest display name kept for a participant.
pub const MAX_NAME_CHARS: usize = 80;

/// Check a message before it is stored. Returns the text trimmed of surrounding whitespace.
pub fn validate_send<'a>(client_id: &str, text: &'a str) -> Result<&'a str, Error> {
    validate_message(client_id, text, &[])
}

/// [`validate_send`] for a message with attachments (at most [`MAX_ATTACHMENTS`] file ids,
/// each once): its text may be empty.
pub fn validate_message<'a>(
    client_id: &str,
    text: &'a str,
    attachments: &[String],
) -> Result<&'a str, Error> {
    validate_client_id(client_id)?;
    if attachments.len() > MAX_ATTACHMENTS {
        return Err(Error::TooManyFiles {
            count: attachments.len(),
            limit: MAX_ATTACHMENTS,
        });
    }
    for (i, id) in attachments.iter().enumerate() {
        if !is_valid(IdKind::File, id) || attachments[..i].contains(id) {
            return Err(Error::Unknown("attachment"));
        }
    }
    let text = text.trim();
    if text.is_empty() && attachments.is_empty() {
        return Err(Error::EmptyText);
    }
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(Error::TextTooLong {
            chars,
            limit: MAX_TEXT_CHARS,
        });
    }
    Ok(text)
}

/// Client ids are opaque but constrained, so they are safe as storage keys and in logs.
pub fn validate_client_id(client_id: &str) -> Result<(), Error> {
    let ok = !client_id.is_empty()
        && client_id.len() <= MAX_CLIENT_ID_LEN
        && client_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidClientId {
            max: MAX_CLIENT_ID_LEN,
        })
    }
}
