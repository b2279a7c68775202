//! The few words every other module speaks: instants, sequence numbers, open or closed.
//!
//! A leaf: it imports nothing of the crate, so the protocol, the lifecycle, reports and
//! workflows can all use it without importing one another.

use serde::{Deserialize, Serialize};

/// Per-conversation sequence number, assigned by the Conversation Durable Object, starting at 1.
pub type Seq = u64;
/// Milliseconds since the Unix epoch (UTC).
pub type Millis = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    #[default]
    Open,
    Closed,
}
