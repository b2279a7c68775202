//! When the inbox tells an agent something happened (a chime, a desktop notification) and the
//! count in the tab title. Pure, so the rules are tested natively; `notifier.rs` plays them.
//!
//! Everything is read from the inbox socket's frames, which flow while the tab is in the
//! background: a line that appears or changes (`summary`), and mentions (`mention`).

use charla_shared::basic::ConversationStatus;
use charla_shared::notifications::NotificationPrefs;
use charla_shared::protocol::{AuthorKind, ConversationSummary};

use crate::i18n::Texts;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertKind {
    NewConversation,
    AssignedToMe,
    MessageInMine,
    Mention,
}

/// One thing to tell the agent, about one conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub kind: AlertKind,
    pub conversation_id: String,
    pub title: String,
    pub body: String,
}

impl Alert {
    /// Whether the agent's switches let this kind through.
    pub fn wanted(&self, prefs: &NotificationPrefs) -> bool {
        match self.kind {
            AlertKind::NewConversation => prefs.new_conversation,
            AlertKind::AssignedToMe => prefs.assigned_to_me,
            AlertKind::MessageInMine => prefs.message_in_mine,
            AlertKind::Mention => prefs.mention,
        }
    }
}

/// What a new version of an inbox line (`after`; `before` as the list had it, `None` when it
/// was not listed) means for agent `me`. `own_assignment`: this tab just assigned the
/// conversation to `me` (their own action is no news). One alert at most, the most specific.
pub fn on_summary(
    t: &Texts,
    before: Option<&ConversationSummary>,
    after: &ConversationSummary,
    me: &str,
    own_assignment: bool,
) -> Option<Alert> {
    if after.status != ConversationStatus::Open {
        return None;
    }
    let mine = after.assignee_id.as_deref() == Some(me);
    let was_mine = before.is_some_and(|b| b.assignee_id.as_deref() == Some(me));
    let visitor_wrote = after.last_author == AuthorKind::Contact
        && before.is_none_or(|b| after.last_seq > b.last_seq);
    // New: not listed before, listed without a message yet, or reopened by the visitor.
    let new = before.is_none_or(|b| b.last_seq == 0 || after.period > b.period) && visitor_wrote;
    let about = |kind, title: String| Alert {
        kind,
        conversation_id: after.id.clone(),
        title,
        body: after.last_text.clone(),
    };
    if mine && !was_mine && !own_assignment {
        return Some(about(
            AlertKind::AssignedToMe,
            t.alert_assigned(&after.contact_name),
        ));
    }
    if mine && visitor_wrote && !new {
        return Some(about(AlertKind::MessageInMine, after.contact_name.clone()));
    }
    // Someone else's new conversation is theirs to answer.
    if new && (mine || after.assignee_id.is_none()) {
        return Some(about(
            AlertKind::NewConversation,
            t.alert_new(&after.contact_name),
        ));
    }
    None
}

/// A note mentioned this agent.
pub fn on_mention(t: &Texts, conversation_id: &str, by: &str, text: &str) -> Alert {
    Alert {
        kind: AlertKind::Mention,
        conversation_id: conversation_id.to_owned(),
        title: t.alert_mention(by),
        body: text.to_owned(),
    }
}

/// The number in the tab title: open conversations with visitor messages nobody has read
/// that are this agent's to answer (theirs, or nobody's yet).
pub fn unread_count(list: &[ConversationSummary], me: &str) -> usize {
    list.iter()
        .filter(|c| {
            c.status == ConversationStatus::Open
                && c.unread > 0
                && c.assignee_id.as_deref().is_none_or(|a| a == me)
        })
        .count()
}

/// The tab title with `count` in front ("(3) Charla inbox"), or the plain title.
pub fn title(base: &str, count: usize) -> String {
    if count == 0 {
        base.to_owned()
    } else {
        format!("({count}) {base}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::EN;

    fn line(id: &str, seq: u64, author: AuthorKind, assignee: Option<&str>) -> ConversationSummary {
        ConversationSummary {
            id: id.into(),
            contact_id: "v_1".into(),
            contact_name: "Marta".into(),
            status: ConversationStatus::Open,
            last_seq: seq,
            last_text: format!("text {seq}"),
            last_author: author,
            last_at: 1_000,
            unread: 1,
            created_at: 0,
            assignee_id: assignee.map(Into::into),
            team_id: None,
            bot_paused: false,
            period: 1,
        }
    }

    fn kind(
        before: Option<&ConversationSummary>,
        after: &ConversationSummary,
    ) -> Option<AlertKind> {
        on_summary(&EN, before, after, "me", false).map(|a| a.kind)
    }

    #[test]
    fn a_new_conversation_is_news_unless_it_went_to_someone_else() {
        let first = line("c1", 1, AuthorKind::Contact, None);
        let alert = on_summary(&EN, None, &first, "me", false).unwrap();
        assert_eq!(alert.kind, AlertKind::NewConversation);
        assert_eq!(alert.title, "New conversation: Marta");
        assert_eq!(alert.body, "text 1");
        assert_eq!(alert.conversation_id, "c1");
        // Listed before any message was written: its first message is what makes it new.
        let empty = line("c1", 0, AuthorKind::Contact, None);
        assert_eq!(kind(Some(&empty), &first), Some(AlertKind::NewConversation));
        let others = line("c1", 1, AuthorKind::Contact, Some("ana"));
        assert_eq!(kind(None, &others), None);
        // A rule gave it to me at once: that is the news.
        let mine = line("c1", 1, AuthorKind::Contact, Some("me"));
        assert_eq!(kind(None, &mine), Some(AlertKind::AssignedToMe));
        // An unassigned conversation's next visitor message is not a new conversation.
        let second = line("c1", 2, AuthorKind::Contact, None);
        assert_eq!(kind(Some(&first), &second), None);
    }

    #[test]
    fn reopened_by_the_visitor_is_new_again() {
        let closed = ConversationSummary {
            status: ConversationStatus::Closed,
            ..line("c1", 3, AuthorKind::Agent, None)
        };
        let reopened = ConversationSummary {
            period: 2,
            ..line("c1", 4, AuthorKind::Contact, None)
        };
        assert_eq!(
            kind(Some(&closed), &reopened),
            Some(AlertKind::NewConversation)
        );
        assert_eq!(kind(None, &closed), None, "closed lines never alert");
    }

    #[test]
    fn assigned_to_me_by_someone_else_but_not_by_myself() {
        let before = line("c1", 2, AuthorKind::Contact, None);
        let after = line("c1", 2, AuthorKind::Contact, Some("me"));
        assert_eq!(kind(Some(&before), &after), Some(AlertKind::AssignedToMe));
        assert_eq!(on_summary(&EN, Some(&before), &after, "me", true), None);
        // Already mine: no second "assigned".
        assert_eq!(kind(Some(&after), &after), None);
    }

    #[test]
    fn visitor_messages_in_my_conversations_only() {
        let before = line("c1", 2, AuthorKind::Contact, Some("me"));
        let visitor = line("c1", 3, AuthorKind::Contact, Some("me"));
        assert_eq!(
            kind(Some(&before), &visitor),
            Some(AlertKind::MessageInMine)
        );
        let agent = line("c1", 3, AuthorKind::Agent, Some("me"));
        assert_eq!(kind(Some(&before), &agent), None, "my own reply");
        let theirs_before = line("c1", 2, AuthorKind::Contact, Some("ana"));
        let theirs = line("c1", 3, AuthorKind::Contact, Some("ana"));
        assert_eq!(kind(Some(&theirs_before), &theirs), None);
        // A read (unread drops, seq unmoved) is no news.
        let read = ConversationSummary {
            unread: 0,
            ..before.clone()
        };
        assert_eq!(kind(Some(&before), &read), None);
    }

    #[test]
    fn switches_filter_kinds() {
        let alert = on_mention(&EN, "c1", "Ana", "@Bruno mira");
        assert_eq!(alert.title, "Ana mentioned you");
        assert!(alert.wanted(&NotificationPrefs::default()));
        let off = NotificationPrefs {
            mention: false,
            ..NotificationPrefs::default()
        };
        assert!(!alert.wanted(&off));
    }

    #[test]
    fn the_title_counts_unread_conversations_that_are_mine_or_nobodys() {
        let list = [
            line("c1", 1, AuthorKind::Contact, None),
            line("c2", 1, AuthorKind::Contact, Some("me")),
            line("c3", 1, AuthorKind::Contact, Some("ana")),
            ConversationSummary {
                unread: 0,
                ..line("c4", 1, AuthorKind::Contact, None)
            },
            ConversationSummary {
                status: ConversationStatus::Closed,
                ..line("c5", 1, AuthorKind::Contact, None)
            },
        ];
        assert_eq!(unread_count(&list, "me"), 2);
        assert_eq!(title("Charla inbox", 2), "(2) Charla inbox");
        assert_eq!(title("Charla inbox", 0), "Charla inbox");
    }
}
