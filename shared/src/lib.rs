//! Charla's functional core.
//!
//! Everything here is deterministic: no I/O, no clock, no randomness. Callers (the edge Durable
//! Objects, the widget, the inbox) pass in `now`, salts and stored facts, and execute the
//! [`conversation::Effect`]s this crate returns. That keeps the rules testable with plain
//! `cargo test` and identical on every target.

pub mod api_keys;
pub mod assignment;
pub mod basic;
pub mod contact;
pub mod conversation;
pub mod error;
pub mod file_index;
pub mod files;
pub mod ids;
pub mod lifecycle;
pub mod limits;
pub mod notes;
pub mod notifications;
pub mod password;
pub mod protocol;
pub mod replica;
pub mod reports;
pub mod schedule;
pub mod search;
pub mod snippets;
pub mod token;
pub mod webhooks;
pub mod widget_settings;
pub mod workflow;

pub use error::{Error, ErrorCode};
