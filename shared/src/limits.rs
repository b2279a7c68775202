//! Limits are part of the protocol: clients can check them before sending, and the edge
//! enforces them with a typed error frame instead of dropping the socket.

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
