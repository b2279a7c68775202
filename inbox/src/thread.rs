//! One conversation as the agent sees it: the functional core behind the conversation view.
//!
//! It takes server frames and the agent's actions and answers with the client frames to send;
//! the view owns the socket and the clock. Messages are keyed by `seq` because a live `message`
//! may arrive before the `synced` page that also holds it. Outgoing messages stay in an outbox
//! until the stored message with their `client_id` arrives, so a reconnect can resend them
//! under the same id and the edge stores each one once.

use std::collections::BTreeMap;

use charla_shared::protocol::{ClientFrame, Message, Seq, ServerFrame};

/// Where a message the agent sent stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Not acknowledged yet; resent after every reconnect.
    Sending,
    /// Acknowledged as `seq`; waiting for the stored message itself (from `message` or `synced`).
    Stored(Seq),
    /// The edge refused it (e.g. `text_too_long`); resending would fail the same way.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub client_id: String,
    pub text: String,
    pub delivery: Delivery,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Thread {
    messages: BTreeMap<Seq, Message>,
    outbox: Vec<Outgoing>,
    /// Every message up to here is held, so a resumed socket syncs after it. Not simply the
    /// highest seq held: a live message can land before the history below it has been synced.
    synced_through: Seq,
    /// Highest seq a `read` was sent for, so each is sent once.
    read_sent: Seq,
    /// True between `hello` and the socket closing: frames sent now reach the conversation.
    live: bool,
    /// The latest refusal that concerned no particular message, shown until dismissed.
    notice: Option<String>,
}

impl Thread {
    pub fn messages(&self) -> impl Iterator<Item = &Message> {
        self.messages.values()
    }

    pub fn outbox(&self) -> &[Outgoing] {
        &self.outbox
    }

    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    pub fn is_live(&self) -> bool {
        self.live
    }

    pub fn last_seq(&self) -> Seq {
        self.messages.keys().next_back().copied().unwrap_or(0)
    }

    /// Apply a frame from the conversation socket; returns what to send back.
    /// `typing`, `read` and `pong` carry nothing the thread keeps and are ignored.
    pub fn receive(&mut self, frame: ServerFrame) -> Vec<ClientFrame> {
        match frame {
            ServerFrame::Hello { .. } => {
                self.live = true;
                let mut reply = vec![ClientFrame::Sync {
                    after_seq: self.synced_through,
                }];
                reply.extend(self.outbox.iter().filter_map(|o| match o.delivery {
                    Delivery::Sending => Some(ClientFrame::Send {
                        client_id: o.client_id.clone(),
                        text: o.text.clone(),
                    }),
                    _ => None,
                }));
                reply
            }
            ServerFrame::Synced {
                messages,
                last_seq,
                more,
            } => {
                let page_end = messages.last().map(|m| m.seq);
                for message in messages {
                    self.insert(message);
                }
                match (more, page_end) {
                    (true, Some(after_seq)) => {
                        self.synced_through = self.synced_through.max(after_seq);
                        self.advance_synced();
                        return vec![ClientFrame::Sync { after_seq }];
                    }
                    // An empty page that claims more would loop forever; stop asking.
                    (true, None) => {}
                    (false, _) => self.synced_through = self.synced_through.max(last_seq),
                }
                self.advance_synced();
                Vec::new()
            }
            ServerFrame::Message { message } => {
                self.insert(message);
                self.advance_synced();
                Vec::new()
            }
            ServerFrame::Ack { client_id, seq, .. } => {
                if let Some(o) = self.outbox.iter_mut().find(|o| o.client_id == client_id) {
                    o.delivery = Delivery::Stored(seq);
                }
                Vec::new()
            }
            ServerFrame::Error {
                message, client_id, ..
            } => {
                let target = client_id
                    .as_deref()
                    .and_then(|id| self.outbox.iter_mut().find(|o| o.client_id == id));
                match target {
                    Some(o) => o.delivery = Delivery::Failed(message),
                    None => self.notice = Some(message),
                }
                Vec::new()
            }
            ServerFrame::Typing { .. } | ServerFrame::Read { .. } | ServerFrame::Pong => Vec::new(),
        }
    }

    /// The socket closed: nothing sent from now on arrives until the next `hello`.
    pub fn disconnected(&mut self) {
        self.live = false;
    }

    /// Queue a message the agent wrote; returns the frame to send now if the socket is live
    /// (otherwise the next `hello` sends it).
    pub fn send(&mut self, client_id: String, text: String) -> Option<ClientFrame> {
        let frame = self.live.then(|| ClientFrame::Send {
            client_id: client_id.clone(),
            text: text.clone(),
        });
        self.outbox.push(Outgoing {
            client_id,
            text,
            delivery: Delivery::Sending,
        });
        frame
    }

    /// Drop a refused message from the outbox.
    pub fn discard(&mut self, client_id: &str) {
        self.outbox.retain(|o| o.client_id != client_id);
    }

    pub fn dismiss_notice(&mut self) {
        self.notice = None;
    }

    /// The `read` to send now, if there is anything newer than the last one sent.
    pub fn unread_through(&self) -> Option<Seq> {
        let last = self.last_seq();
        (self.live && last > self.read_sent).then_some(last)
    }

    pub fn read_sent(&mut self, seq: Seq) {
        self.read_sent = self.read_sent.max(seq);
    }

    fn insert(&mut self, message: Message) {
        self.outbox.retain(|o| o.client_id != message.client_id);
        self.messages.insert(message.seq, message);
    }

    fn advance_synced(&mut self) {
        while self.messages.contains_key(&(self.synced_through + 1)) {
            self.synced_through += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use charla_shared::protocol::{Author, AuthorKind, ConversationStatus};
    use charla_shared::ErrorCode;

    fn msg(seq: Seq, client_id: &str, kind: AuthorKind) -> Message {
        Message {
            seq,
            client_id: client_id.to_owned(),
            author: Author {
                kind,
                id: "x".to_owned(),
                name: "X".to_owned(),
            },
            text: format!("text {seq}"),
            at: seq as i64 * 1000,
        }
    }

    fn hello(last_seq: Seq) -> ServerFrame {
        ServerFrame::Hello {
            conversation_id: "c1".to_owned(),
            you: Author {
                kind: AuthorKind::Agent,
                id: "a1".to_owned(),
                name: "Ana".to_owned(),
            },
            last_seq,
            status: ConversationStatus::Open,
        }
    }

    fn synced(seqs: &[Seq], last_seq: Seq, more: bool) -> ServerFrame {
        ServerFrame::Synced {
            messages: seqs
                .iter()
                .map(|&s| msg(s, &format!("c{s}"), AuthorKind::Contact))
                .collect(),
            last_seq,
            more,
        }
    }

    fn seqs(t: &Thread) -> Vec<Seq> {
        t.messages().map(|m| m.seq).collect()
    }

    fn sync(after_seq: Seq) -> ClientFrame {
        ClientFrame::Sync { after_seq }
    }

    #[test]
    fn hello_asks_for_everything_on_first_open() {
        let mut t = Thread::default();
        assert_eq!(t.receive(hello(3)), [sync(0)]);
        assert!(t.is_live());
    }

    #[test]
    fn synced_pages_are_followed_until_no_more() {
        let mut t = Thread::default();
        t.receive(hello(4));
        assert_eq!(t.receive(synced(&[1, 2], 4, true)), [sync(2)]);
        assert_eq!(t.receive(synced(&[3, 4], 4, false)), []);
        assert_eq!(seqs(&t), [1, 2, 3, 4]);
        t.disconnected();
        assert_eq!(t.receive(hello(4)), [sync(4)]);
    }

    #[test]
    fn empty_page_claiming_more_stops_the_loop() {
        let mut t = Thread::default();
        t.receive(hello(4));
        assert_eq!(t.receive(synced(&[], 4, true)), []);
    }

    #[test]
    fn live_message_before_synced_does_not_skip_history() {
        let mut t = Thread::default();
        t.receive(hello(2));
        t.receive(ServerFrame::Message {
            message: msg(3, "live", AuthorKind::Contact),
        });
        // The socket drops before the history arrives: resume must still fetch 1 and 2.
        t.disconnected();
        assert_eq!(t.receive(hello(3)), [sync(0)]);
        t.receive(synced(&[1, 2, 3], 3, false));
        assert_eq!(seqs(&t), [1, 2, 3]);
        t.disconnected();
        assert_eq!(t.receive(hello(3)), [sync(3)]);
    }

    #[test]
    fn duplicate_delivery_keeps_one_copy() {
        let mut t = Thread::default();
        t.receive(hello(1));
        t.receive(ServerFrame::Message {
            message: msg(1, "c1", AuthorKind::Contact),
        });
        t.receive(synced(&[1], 1, false));
        assert_eq!(seqs(&t), [1]);
    }

    #[test]
    fn send_while_live_goes_out_now_and_leaves_outbox_on_message() {
        let mut t = Thread::default();
        t.receive(hello(0));
        let frame = t.send("u1".into(), "hi".into());
        assert_eq!(
            frame,
            Some(ClientFrame::Send {
                client_id: "u1".into(),
                text: "hi".into()
            })
        );
        t.receive(ServerFrame::Ack {
            client_id: "u1".into(),
            seq: 1,
            duplicate: false,
        });
        assert_eq!(t.outbox()[0].delivery, Delivery::Stored(1));
        t.receive(ServerFrame::Message {
            message: msg(1, "u1", AuthorKind::Agent),
        });
        assert!(t.outbox().is_empty());
        assert_eq!(seqs(&t), [1]);
    }

    #[test]
    fn unacked_messages_are_resent_with_the_same_id_after_reconnect() {
        let mut t = Thread::default();
        assert_eq!(t.send("u1".into(), "offline".into()), None);
        t.receive(hello(0));
        t.send("u2".into(), "live".into());
        t.receive(ServerFrame::Ack {
            client_id: "u2".into(),
            seq: 1,
            duplicate: false,
        });
        t.disconnected();
        let reply = t.receive(hello(1));
        assert_eq!(
            reply,
            [
                sync(0),
                ClientFrame::Send {
                    client_id: "u1".into(),
                    text: "offline".into()
                }
            ]
        );
    }

    #[test]
    fn errors_attach_to_their_message_or_become_a_notice() {
        let mut t = Thread::default();
        t.receive(hello(0));
        t.send("u1".into(), "x".into());
        t.receive(ServerFrame::Error {
            code: ErrorCode::TextTooLong,
            message: "too long".into(),
            client_id: Some("u1".into()),
        });
        assert_eq!(t.outbox()[0].delivery, Delivery::Failed("too long".into()));
        assert_eq!(t.notice(), None);
        t.disconnected();
        assert_eq!(
            t.receive(hello(0)),
            [sync(0)],
            "refused messages are not resent"
        );

        t.receive(ServerFrame::Error {
            code: ErrorCode::MalformedFrame,
            message: "bad frame".into(),
            client_id: None,
        });
        assert_eq!(t.notice(), Some("bad frame"));
        t.dismiss_notice();
        assert_eq!(t.notice(), None);
        t.discard("u1");
        assert!(t.outbox().is_empty());
    }

    #[test]
    fn read_is_sent_once_per_new_message_and_only_when_live() {
        let mut t = Thread::default();
        t.receive(hello(2));
        assert_eq!(t.unread_through(), None);
        t.receive(synced(&[1, 2], 2, false));
        assert_eq!(t.unread_through(), Some(2));
        t.read_sent(2);
        assert_eq!(t.unread_through(), None);
        t.receive(ServerFrame::Message {
            message: msg(3, "c3", AuthorKind::Contact),
        });
        t.disconnected();
        assert_eq!(t.unread_through(), None);
        t.receive(hello(3));
        assert_eq!(t.unread_through(), Some(3));
    }
}
