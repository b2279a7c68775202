//! The visitor's copy of the conversation, as a plain value.
//!
//! Frames can arrive in any order (a live `message` before the `synced` page that also holds
//! it, an `ack` after or before its broadcast), so everything is merged by `seq` and
//! `client_id` and applying the same fact twice changes nothing. No browser types here: the
//! rules are unit-tested natively.

use std::collections::BTreeMap;

use charla_shared::limits::MAX_TEXT_CHARS;
use charla_shared::protocol::{Author, AuthorKind, Message, QuickReply, Seq};
use charla_shared::ErrorCode;

/// Why a message was refused, shown under it in the visitor's language (the server's own
/// message is English and meant for developers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    TooLong,
    NotSent,
}

impl Refusal {
    pub fn from_code(code: ErrorCode) -> Self {
        match code {
            ErrorCode::TextTooLong | ErrorCode::FrameTooLarge => Refusal::TooLong,
            _ => Refusal::NotSent,
        }
    }
}

/// A message the visitor wrote that the server has not stored yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// Sent again, unchanged, after every reconnect until acked: the server dedupes on it.
    pub client_id: String,
    pub text: String,
    /// Why the server (or the length check) refused it. A refused message is never resent.
    pub error: Option<Refusal>,
    /// Refused for rate (`rate_limited`): not stored yet, sent again after a pause until acked.
    pub held: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Thread {
    pub messages: BTreeMap<Seq, Message>,
    pub pending: Vec<Pending>,
    /// Who this visitor is in the conversation (from `hello`), to author acked messages.
    pub you: Option<Author>,
}

/// One line of the message list. The key changes whenever the line must be redrawn, so the
/// view can build each line once and never patch it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub seq: Option<Seq>,
    pub client_id: String,
    pub author: AuthorKind,
    pub text: String,
    pub error: Option<Refusal>,
    /// Quick replies offered with the message (the view shows those of the newest line only).
    pub buttons: Vec<QuickReply>,
}

impl Row {
    pub fn key(&self) -> (Seq, String, bool) {
        (
            self.seq.unwrap_or(0),
            self.client_id.clone(),
            self.error.is_some(),
        )
    }
}

impl Thread {
    pub fn last_seq(&self) -> Seq {
        self.messages.keys().next_back().copied().unwrap_or(0)
    }

    /// The seq to resume from: the end of the gap-free run from 1. Seqs are dense, so anything
    /// after a hole (a live message seen while an earlier sync was cut off) must be fetched
    /// again rather than trusted as "everything before it is here".
    pub fn resume_seq(&self) -> Seq {
        let mut last = 0;
        for &seq in self.messages.keys() {
            if seq != last + 1 {
                break;
            }
            last = seq;
        }
        last
    }

    pub fn merge(&mut self, message: Message) {
        if message.author.kind == AuthorKind::Contact {
            self.pending.retain(|p| p.client_id != message.client_id);
        }
        self.messages.insert(message.seq, message);
    }

    /// The server stored a pending message as `seq`: show it as stored right away instead of
    /// waiting for the broadcast (which never comes for a duplicate).
    pub fn ack(&mut self, client_id: &str, seq: Seq, now: i64) {
        let Some(i) = self.pending.iter().position(|p| p.client_id == client_id) else {
            return;
        };
        let p = self.pending.remove(i);
        let author = self.you.clone().unwrap_or_else(|| Author {
            kind: AuthorKind::Contact,
            id: String::new(),
            name: String::new(),
        });
        self.messages.entry(seq).or_insert(Message {
            seq,
            client_id: p.client_id,
            author,
            text: p.text,
            at: now,
            buttons: Vec::new(),
        });
    }

    pub fn fail(&mut self, client_id: &str, reason: Refusal) {
        if let Some(p) = self.pending.iter_mut().find(|p| p.client_id == client_id) {
            p.error = Some(reason);
        }
    }

    /// The edge refused the message for rate: it stays pending (never failed, never dropped)
    /// and is sent again after a pause. Whether it was pending.
    pub fn hold(&mut self, client_id: &str) -> bool {
        let p = self.pending.iter_mut().find(|p| p.client_id == client_id);
        p.map(|p| p.held = true).is_some()
    }

    /// Some message waits out a rate limit (the visitor is told why it is not sent yet).
    pub fn held(&self) -> bool {
        self.pending.iter().any(|p| p.held)
    }

    /// Queue a message typed by the visitor. Returns false (and shows the reason inline) when
    /// it would be refused anyway; empty text is ignored.
    pub fn compose(&mut self, client_id: String, text: &str) -> bool {
        let text = text.trim();
        if text.is_empty() {
            return false;
        }
        let error = (text.chars().count() > MAX_TEXT_CHARS).then_some(Refusal::TooLong);
        let ok = error.is_none();
        self.pending.push(Pending {
            client_id,
            text: text.to_owned(),
            error,
            held: false,
        });
        ok
    }

    /// Nothing written and nothing received yet: a conversation that has not started.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty() && self.pending.is_empty()
    }

    /// Messages to (re)send: pending and not refused (held ones included: they are only
    /// waiting).
    pub fn unsent(&self) -> impl Iterator<Item = &Pending> {
        self.pending.iter().filter(|p| p.error.is_none())
    }

    /// Agent replies after `seen`: the launcher badge and the page-title count.
    pub fn unread_after(&self, seen: Seq) -> usize {
        self.messages
            .range(seen + 1..)
            .filter(|(_, m)| m.author.kind == AuthorKind::Agent)
            .count()
    }

    pub fn rows(&self) -> Vec<Row> {
        let stored = self.messages.values().map(|m| Row {
            seq: Some(m.seq),
            client_id: m.client_id.clone(),
            author: m.author.kind,
            text: m.text.clone(),
            error: None,
            buttons: m.buttons.clone(),
        });
        let pending = self.pending.iter().map(|p| Row {
            seq: None,
            client_id: p.client_id.clone(),
            author: AuthorKind::Contact,
            text: p.text.clone(),
            error: p.error,
            buttons: Vec::new(),
        });
        stored.chain(pending).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(seq: Seq, kind: AuthorKind, client_id: &str) -> Message {
        Message {
            seq,
            client_id: client_id.into(),
            author: Author {
                kind,
                id: "a".into(),
                name: "A".into(),
            },
            text: format!("m{seq}"),
            at: 0,
            buttons: Vec::new(),
        }
    }

    fn seqs(t: &Thread) -> Vec<Option<Seq>> {
        t.rows().iter().map(|r| r.seq).collect()
    }

    #[test]
    fn merge_dedupes_and_orders_by_seq() {
        let mut t = Thread::default();
        for seq in [3, 1, 2, 3, 1] {
            t.merge(msg(seq, AuthorKind::Agent, "x"));
        }
        assert_eq!(seqs(&t), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(t.last_seq(), 3);
    }

    #[test]
    fn resume_seq_stops_at_the_first_gap() {
        let check = |have: &[Seq], expected: Seq| {
            let mut t = Thread::default();
            for &s in have {
                t.merge(msg(s, AuthorKind::Agent, "x"));
            }
            assert_eq!(t.resume_seq(), expected, "{have:?}");
        };
        check(&[], 0);
        check(&[1, 2, 3], 3);
        check(&[1, 2, 5], 2);
        check(&[4], 0);
    }

    #[test]
    fn ack_turns_pending_into_stored_then_broadcast_is_a_noop() {
        let mut t = Thread::default();
        assert!(t.compose("c1".into(), "  hi  "));
        assert_eq!(seqs(&t), vec![None]);
        assert_eq!(t.rows()[0].text, "hi");
        t.ack("c1", 7, 1);
        assert_eq!(seqs(&t), vec![Some(7)]);
        assert_eq!(t.unsent().count(), 0);
        let mut broadcast = msg(7, AuthorKind::Contact, "c1");
        broadcast.text = "hi".into();
        t.merge(broadcast);
        assert_eq!(seqs(&t), vec![Some(7)]);
    }

    #[test]
    fn broadcast_before_ack_replaces_pending() {
        let mut t = Thread::default();
        t.compose("c1".into(), "hi");
        t.merge(msg(1, AuthorKind::Contact, "c1"));
        assert!(t.pending.is_empty());
        t.ack("c1", 1, 0);
        assert_eq!(seqs(&t), vec![Some(1)]);
    }

    #[test]
    fn agent_message_with_same_client_id_leaves_pending_alone() {
        let mut t = Thread::default();
        t.compose("c1".into(), "hi");
        t.merge(msg(1, AuthorKind::Agent, "c1"));
        assert_eq!(t.pending.len(), 1);
    }

    #[test]
    fn refused_messages_stay_visible_but_are_not_resent() {
        let mut t = Thread::default();
        t.compose("c1".into(), "a");
        t.compose("c2".into(), "b");
        t.fail("c1", Refusal::from_code(ErrorCode::MalformedFrame));
        let unsent: Vec<_> = t.unsent().map(|p| p.client_id.as_str()).collect();
        assert_eq!(unsent, ["c2"]);
        assert_eq!(t.rows()[0].error, Some(Refusal::NotSent));
        assert_eq!(Refusal::from_code(ErrorCode::TextTooLong), Refusal::TooLong);
    }

    #[test]
    fn rate_limited_messages_stay_pending_until_acked() {
        let mut t = Thread::default();
        t.compose("c1".into(), "a");
        t.compose("c2".into(), "b");
        assert!(!t.held());
        assert!(t.hold("c2"));
        assert!(!t.hold("nope"));
        assert!(t.held());
        // Still pending and still to be sent, never shown as failed.
        let unsent: Vec<_> = t.unsent().map(|p| p.client_id.as_str()).collect();
        assert_eq!(unsent, ["c1", "c2"]);
        assert_eq!(t.rows()[1].seq, None);
        assert_eq!(t.rows()[1].error, None);
        t.ack("c1", 1, 0);
        assert!(t.held());
        t.ack("c2", 2, 0);
        assert!(!t.held());
        assert_eq!(seqs(&t), vec![Some(1), Some(2)]);
    }

    #[test]
    fn compose_checks_length_and_ignores_blank() {
        let mut t = Thread::default();
        assert!(!t.compose("c0".into(), " \n "));
        assert!(t.pending.is_empty());
        assert!(t.compose("c1".into(), &"é".repeat(MAX_TEXT_CHARS)));
        assert!(!t.compose("c2".into(), &"é".repeat(MAX_TEXT_CHARS + 1)));
        assert_eq!(t.pending[1].error, Some(Refusal::TooLong));
        assert_eq!(t.unsent().count(), 1);
    }

    #[test]
    fn unread_counts_agent_messages_after_seen() {
        let mut t = Thread::default();
        t.merge(msg(1, AuthorKind::Agent, "a"));
        t.merge(msg(2, AuthorKind::Contact, "b"));
        t.merge(msg(3, AuthorKind::Agent, "c"));
        t.merge(msg(4, AuthorKind::System, "d"));
        assert_eq!(t.unread_after(0), 2);
        assert_eq!(t.unread_after(1), 1);
        assert_eq!(t.unread_after(4), 0);
    }

    #[test]
    fn quick_replies_travel_with_their_line() {
        let mut t = Thread::default();
        let mut question = msg(1, AuthorKind::System, "wf-1");
        question.buttons = vec![QuickReply {
            label: "Sí".into(),
            value: "yes".into(),
        }];
        t.merge(question.clone());
        t.compose("c1".into(), "Sí");
        let rows = t.rows();
        assert_eq!(rows[0].buttons, question.buttons);
        assert!(rows[1].buttons.is_empty());
    }

    #[test]
    fn row_key_changes_when_a_line_must_be_redrawn() {
        let mut t = Thread::default();
        t.compose("c1".into(), "hi");
        let before = t.rows()[0].key();
        t.fail("c1", Refusal::NotSent);
        assert_ne!(t.rows()[0].key(), before);
    }
}
