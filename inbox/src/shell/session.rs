//! The signed-in agent, kept in `localStorage` so a reload stays signed in.

use charla_shared::protocol::LoginResponse;

use leptos::prelude::*;

use crate::browser;

const KEY: &str = "charla-inbox:session";

pub type Session = LoginResponse;

/// The stored session, if any. Anything unreadable (an older format, hand edits) is dropped
/// so the agent simply signs in again.
pub fn load() -> Option<Session> {
    let raw = browser::storage_get(KEY)?;
    match serde_json::from_str::<Session>(&raw) {
        Ok(session) if !session.token.is_empty() => Some(session),
        _ => {
            browser::storage_remove(KEY);
            None
        }
    }
}

pub fn save(session: &Session) {
    if let Ok(json) = serde_json::to_string(session) {
        browser::storage_set(KEY, &json);
    }
}

pub fn clear() {
    browser::storage_remove(KEY);
}

/// What the signed-in agent's own page needs from above the inbox: a new session for the
/// same agent (a new name or password answers one) replaces the stored one and remounts the
/// inbox with it; `notice` says what just changed, across that remount.
#[derive(Clone, Copy)]
pub struct Account {
    pub renewed: Callback<Session>,
    pub notice: RwSignal<Option<(AccountChange, String)>>,
}

/// Which of the agent's own details a notice is about.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum AccountChange {
    Name,
    Password,
}
