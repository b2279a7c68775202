//! The visitor's conversation as lines to draw. What is held, what waits and what to resend
//! is the shared client replica's ([`charla_shared::replica`]: frames can arrive in any order,
//! everything is merged by seq and client id, and applying the same fact twice changes
//! nothing); this is how the widget shows it. No browser types here: tested natively.

use charla_shared::basic::Seq;
use charla_shared::protocol::{Author, AuthorKind, QuickReply};
use charla_shared::replica::{Delivery, Outgoing, RateLimits, Replica};
use charla_shared::widget_settings::PublicAgent;
use charla_shared::ErrorCode;

use crate::wire;

/// A visitor's thread: messages refused for rate are held and sent again after a pause.
pub fn new() -> Replica {
    Replica::new(AuthorKind::Contact, RateLimits::Hold)
}

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
    /// The first reply of an agent's turn: who answers (first name and initials).
    pub who: Option<PublicAgent>,
    /// The visitor's last message an agent has read: "Seen" goes under it.
    pub seen: bool,
    /// Its files as JSON for the files module to draw (`widget/files/files.js`): the files
    /// of a stored message, the ids of one on its way (the module knows the files this page
    /// uploaded). `None` without files.
    pub files: Option<String>,
}

impl Row {
    pub fn key(&self) -> (Seq, String, bool, bool, bool) {
        (
            self.seq.unwrap_or(0),
            self.client_id.clone(),
            self.error.is_some(),
            self.who.is_some(),
            self.seen,
        )
    }
}

fn outgoing(o: &Outgoing, seq: Option<Seq>) -> Row {
    Row {
        seq,
        client_id: o.client_id.clone(),
        author: AuthorKind::Contact,
        text: o.text.clone(),
        error: match o.delivery {
            Delivery::Failed { code, .. } => Some(Refusal::from_code(code)),
            _ => None,
        },
        buttons: Vec::new(),
        who: None,
        seen: false,
        files: (!o.attachments.is_empty()).then(|| wire::file_ids(&o.attachments)),
    }
}

/// Upper case as the browser does it (see `PublicAgent::from_name_with`).
#[cfg(target_arch = "wasm32")]
fn upper(s: &str) -> String {
    js_sys::JsString::from(s).to_upper_case().into()
}

#[cfg(not(target_arch = "wasm32"))]
fn upper(s: &str) -> String {
    s.to_uppercase()
}

/// Stored messages by seq (an acknowledged one shows as stored at once: its broadcast never
/// comes for a duplicate), then the visitor's messages still on their way, as written.
pub fn rows(thread: &Replica) -> Vec<Row> {
    let seen = thread.seen_seq();
    let mut previous: Option<&Author> = None;
    let mut rows: Vec<Row> = thread
        .messages()
        .map(|m| {
            let turn_starts = m.author.kind == AuthorKind::Agent
                && previous.is_none_or(|p| p.kind != AuthorKind::Agent || p.id != m.author.id);
            previous = Some(&m.author);
            Row {
                seq: Some(m.seq),
                client_id: m.client_id.clone(),
                author: m.author.kind,
                text: m.text.clone(),
                error: None,
                buttons: m.buttons.clone(),
                who: turn_starts.then(|| PublicAgent::from_name_with(&m.author.name, upper)),
                seen: seen == Some(m.seq),
                files: (!m.attachments.is_empty()).then(|| wire::files_json(&m.attachments)),
            }
        })
        .collect();
    let mut waiting = Vec::new();
    for o in thread.outbox() {
        match o.delivery {
            Delivery::Stored(seq) => {
                let at = rows.partition_point(|r| r.seq < Some(seq));
                if rows.get(at).is_none_or(|r| r.seq != Some(seq)) {
                    rows.insert(at, outgoing(o, Some(seq)));
                }
            }
            _ => waiting.push(outgoing(o, None)),
        }
    }
    rows.extend(waiting);
    rows
}

/// Agent replies after `seen`: the launcher badge and the page-title count.
pub fn unread_after(thread: &Replica, seen: Seq) -> usize {
    thread
        .messages()
        .filter(|m| m.seq > seen && m.author.kind == AuthorKind::Agent)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use charla_shared::limits::MAX_TEXT_CHARS;
    use charla_shared::protocol::{Author, Message, ServerFrame};

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
            attachments: Vec::new(),
        }
    }

    fn seqs(t: &Replica) -> Vec<Option<Seq>> {
        rows(t).iter().map(|r| r.seq).collect()
    }

    fn merge(t: &mut Replica, message: Message) {
        t.receive(ServerFrame::Message { message });
    }

    fn ack(t: &mut Replica, client_id: &str, seq: Seq) {
        t.receive(ServerFrame::Ack {
            client_id: client_id.into(),
            seq,
            duplicate: false,
        });
    }

    fn refuse(t: &mut Replica, client_id: &str, code: ErrorCode) {
        t.receive(ServerFrame::Error {
            code,
            message: String::new(),
            client_id: Some(client_id.into()),
        });
    }

    /// Refused for rate: whether it was pending.
    fn hold(t: &mut Replica, client_id: &str) -> bool {
        refuse(t, client_id, ErrorCode::RateLimited);
        t.outgoing(client_id)
            .is_some_and(|o| o.delivery == Delivery::Held)
    }

    /// Queued to be sent (not ignored, not refused before sending).
    fn compose(t: &mut Replica, client_id: &str, text: &str) -> bool {
        t.send(client_id.into(), text);
        t.outgoing(client_id).is_some_and(Outgoing::unsent)
    }

    fn unsent(t: &Replica) -> Vec<&str> {
        t.unsent().map(|o| o.client_id.as_str()).collect()
    }

    #[test]
    fn merge_dedupes_and_orders_by_seq() {
        let mut t = new();
        for seq in [3, 1, 2, 3, 1] {
            merge(&mut t, msg(seq, AuthorKind::Agent, "x"));
        }
        assert_eq!(seqs(&t), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(t.last_seq(), 3);
    }

    #[test]
    fn resume_seq_stops_at_the_first_gap() {
        let check = |have: &[Seq], expected: Seq| {
            let mut t = new();
            for &s in have {
                merge(&mut t, msg(s, AuthorKind::Agent, "x"));
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
        let mut t = new();
        assert!(compose(&mut t, "c1", "  hi  "));
        assert_eq!(seqs(&t), vec![None]);
        assert_eq!(rows(&t)[0].text, "hi");
        ack(&mut t, "c1", 7);
        assert_eq!(seqs(&t), vec![Some(7)]);
        assert_eq!(t.unsent().count(), 0);
        let mut broadcast = msg(7, AuthorKind::Contact, "c1");
        broadcast.text = "hi".into();
        merge(&mut t, broadcast);
        assert_eq!(seqs(&t), vec![Some(7)]);
    }

    #[test]
    fn broadcast_before_ack_replaces_pending() {
        let mut t = new();
        compose(&mut t, "c1", "hi");
        merge(&mut t, msg(1, AuthorKind::Contact, "c1"));
        assert!(t.outbox().is_empty());
        ack(&mut t, "c1", 1);
        assert_eq!(seqs(&t), vec![Some(1)]);
    }

    #[test]
    fn agent_message_with_same_client_id_leaves_pending_alone() {
        let mut t = new();
        compose(&mut t, "c1", "hi");
        merge(&mut t, msg(1, AuthorKind::Agent, "c1"));
        assert_eq!(t.outbox().len(), 1);
    }

    #[test]
    fn refused_messages_stay_visible_but_are_not_resent() {
        let mut t = new();
        compose(&mut t, "c1", "a");
        compose(&mut t, "c2", "b");
        refuse(&mut t, "c1", ErrorCode::MalformedFrame);
        assert_eq!(unsent(&t), ["c2"]);
        assert_eq!(rows(&t)[0].error, Some(Refusal::NotSent));
        assert_eq!(Refusal::from_code(ErrorCode::TextTooLong), Refusal::TooLong);
    }

    #[test]
    fn rate_limited_messages_stay_pending_until_acked() {
        let mut t = new();
        compose(&mut t, "c1", "a");
        compose(&mut t, "c2", "b");
        assert!(!t.held());
        assert!(hold(&mut t, "c2"));
        assert!(!hold(&mut t, "nope"));
        assert!(t.held());
        // Still pending and still to be sent, never shown as failed.
        assert_eq!(unsent(&t), ["c1", "c2"]);
        assert_eq!(rows(&t)[1].seq, None);
        assert_eq!(rows(&t)[1].error, None);
        ack(&mut t, "c1", 1);
        assert!(t.held());
        ack(&mut t, "c2", 2);
        assert!(!t.held());
        assert_eq!(seqs(&t), vec![Some(1), Some(2)]);
    }

    #[test]
    fn compose_checks_length_and_ignores_blank() {
        let mut t = new();
        assert!(!compose(&mut t, "c0", " \n "));
        assert!(t.outbox().is_empty());
        assert!(compose(&mut t, "c1", &"é".repeat(MAX_TEXT_CHARS)));
        assert!(!compose(&mut t, "c2", &"é".repeat(MAX_TEXT_CHARS + 1)));
        assert_eq!(rows(&t)[1].error, Some(Refusal::TooLong));
        assert_eq!(t.unsent().count(), 1);
    }

    #[test]
    fn unread_counts_agent_messages_after_seen() {
        let mut t = new();
        merge(&mut t, msg(1, AuthorKind::Agent, "a"));
        merge(&mut t, msg(2, AuthorKind::Contact, "b"));
        merge(&mut t, msg(3, AuthorKind::Agent, "c"));
        merge(&mut t, msg(4, AuthorKind::System, "d"));
        assert_eq!(unread_after(&t, 0), 2);
        assert_eq!(unread_after(&t, 1), 1);
        assert_eq!(unread_after(&t, 4), 0);
    }

    #[test]
    fn quick_replies_travel_with_their_line() {
        let mut t = new();
        let mut question = msg(1, AuthorKind::System, "wf-1");
        question.buttons = vec![QuickReply {
            label: "Sí".into(),
            value: "yes".into(),
        }];
        merge(&mut t, question.clone());
        compose(&mut t, "c1", "Sí");
        let rows = rows(&t);
        assert_eq!(rows[0].buttons, question.buttons);
        assert!(rows[1].buttons.is_empty());
    }

    #[test]
    fn row_key_changes_when_a_line_must_be_redrawn() {
        let mut t = new();
        compose(&mut t, "c1", "hi");
        let before = rows(&t)[0].key();
        refuse(&mut t, "c1", ErrorCode::MalformedFrame);
        assert_ne!(rows(&t)[0].key(), before);
    }

    #[test]
    fn an_acknowledged_line_takes_its_place_among_the_stored_ones() {
        let mut t = new();
        merge(&mut t, msg(1, AuthorKind::Agent, "x"));
        compose(&mut t, "c1", "mine");
        compose(&mut t, "c2", "later");
        ack(&mut t, "c1", 3);
        merge(&mut t, msg(2, AuthorKind::Agent, "y"));
        assert_eq!(seqs(&t), vec![Some(1), Some(2), Some(3), None]);
        assert_eq!(t.last_seq(), 3);
    }

    #[test]
    fn an_agent_turn_names_its_agent_once_and_seen_sits_under_the_last_read_message() {
        let mut t = new();
        let agent = |seq: Seq, id: &str, name: &str| Message {
            author: Author {
                kind: AuthorKind::Agent,
                id: id.into(),
                name: name.into(),
            },
            ..msg(seq, AuthorKind::Agent, &format!("a{seq}"))
        };
        merge(&mut t, msg(1, AuthorKind::Contact, "c1"));
        merge(&mut t, agent(2, "a_1", "Lucía Pérez"));
        merge(&mut t, agent(3, "a_1", "Lucía Pérez"));
        merge(&mut t, agent(4, "a_2", "Tomás Ruiz"));
        merge(&mut t, msg(5, AuthorKind::Contact, "c5"));
        merge(&mut t, agent(6, "a_1", "Lucía Pérez"));
        let who: Vec<Option<String>> = rows(&t)
            .iter()
            .map(|r| r.who.as_ref().map(|a| format!("{} {}", a.initials, a.name)))
            .collect();
        let lucia = Some("LP Lucía".to_owned());
        assert_eq!(
            who,
            [
                None,
                lucia.clone(),
                None,
                Some("TR Tomás".into()),
                None,
                lucia
            ]
        );

        let seen = |t: &Replica| {
            rows(t)
                .iter()
                .filter(|r| r.seen)
                .map(|r| r.seq)
                .collect::<Vec<_>>()
        };
        assert_eq!(seen(&t), []);
        t.receive(ServerFrame::Read {
            author_kind: AuthorKind::Agent,
            seq: 4,
        });
        assert_eq!(seen(&t), [Some(1)]);
        let before = rows(&t)[0].key();
        t.receive(ServerFrame::Read {
            author_kind: AuthorKind::Agent,
            seq: 6,
        });
        assert_eq!(seen(&t), [Some(5)]);
        assert_ne!(
            rows(&t)[0].key(),
            before,
            "the line that lost the mark is redrawn"
        );
    }

    #[test]
    fn a_line_shows_its_files_stored_or_on_their_way_and_a_resend_keeps_them() {
        use charla_shared::files::Attachment;
        let file = |id: &str| Attachment {
            id: id.into(),
            name: "a.pdf".into(),
            size: 1,
            content_type: "application/pdf".into(),
            width: None,
            height: None,
        };
        let mut t = new();
        let mut stored = msg(1, AuthorKind::Agent, "x");
        stored.attachments = vec![file("f_9")];
        merge(&mut t, stored);
        // Files and no text: a message all the same.
        t.send_files("c1".into(), "  ", vec!["f_1".into()]);
        let lines = rows(&t);
        let drawn: Vec<Attachment> =
            serde_json::from_str(lines[0].files.as_deref().unwrap()).unwrap();
        assert_eq!(drawn, [file("f_9")]);
        assert_eq!((lines[1].seq, lines[1].text.as_str()), (None, ""));
        assert_eq!(lines[1].files.as_deref(), Some(r#"["f_1"]"#));
        let mut plain = new();
        merge(&mut plain, msg(1, AuthorKind::Agent, "y"));
        assert_eq!(
            rows(&plain)[0].files,
            None,
            "no files, nothing for the module"
        );

        // The socket drops before the ack: the resend names the same client id and files.
        t.disconnected();
        let resend = t.receive(ServerFrame::Hello {
            conversation_id: "c".into(),
            you: Author {
                kind: AuthorKind::Contact,
                id: "v".into(),
                name: String::new(),
            },
            last_seq: 1,
            status: charla_shared::basic::ConversationStatus::Open,
            read: Default::default(),
        });
        let sends: Vec<_> = resend
            .frames
            .iter()
            .filter(|f| matches!(f, charla_shared::protocol::ClientFrame::Send { .. }))
            .cloned()
            .collect();
        assert_eq!(
            sends,
            [charla_shared::protocol::ClientFrame::Send {
                client_id: "c1".into(),
                text: String::new(),
                attachments: vec!["f_1".into()],
            }]
        );
    }
}
