//! What each agent wants to be told about, and how: kept per agent by the Workspace (so it
//! follows them to any browser), applied by their inbox, which is where the sound, the
//! desktop notification and the tab title happen.

use serde::{Deserialize, Serialize};

/// `GET`/`PUT /v1/inbox/me/notifications`. Everything is on for a new agent: a support team
/// that misses a chat because a box was unticked loses a customer; one that hears too much
/// turns a switch off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NotificationPrefs {
    /// A short chime.
    pub sound: bool,
    /// A desktop notification (after the browser's permission, asked from a button).
    pub desktop: bool,
    /// The unread count in the tab title.
    pub title: bool,
    /// A new conversation in a view this agent can see.
    pub new_conversation: bool,
    /// A conversation was assigned to this agent (by someone else or by a rule).
    pub assigned_to_me: bool,
    /// A visitor wrote in a conversation assigned to this agent.
    pub message_in_mine: bool,
    /// An internal note mentioned this agent.
    pub mention: bool,
}

impl Default for NotificationPrefs {
    fn default() -> Self {
        NotificationPrefs {
            sound: true,
            desktop: true,
            title: true,
            new_conversation: true,
            assigned_to_me: true,
            message_in_mine: true,
            mention: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_switches_read_as_on() {
        let prefs: NotificationPrefs = serde_json::from_str(r#"{"sound": false}"#).unwrap();
        assert_eq!(
            prefs,
            NotificationPrefs {
                sound: false,
                ..NotificationPrefs::default()
            }
        );
        assert!(serde_json::from_str::<NotificationPrefs>(r#"{"sound": "yes"}"#).is_err());
    }
}
