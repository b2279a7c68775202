//! One conversation as the agent sees it: the functional core behind the conversation view.
//!
//! It takes server frames and the agent's actions and answers with the client frames to send;
//! the view owns the socket and the clock. The messages, the outbox and the resume rules are
//! the shared client replica's ([`charla_shared::replica`], the widget runs the same one); this
//! adds what only agents get: lifecycle, timeline, actions and the notices they raise. The
//! inbox has no resend timer, so a message refused for rate fails like any other refusal.

use charla_shared::basic::{ConversationStatus, Seq};
use charla_shared::files::Attachment;
use charla_shared::lifecycle::Action;
use charla_shared::lifecycle::ActivityEvent;
use charla_shared::protocol::{AuthorKind, ClientFrame, LifecycleView, Message, ServerFrame};
use charla_shared::replica::{self, RateLimits, Replica};
use charla_shared::ErrorCode;

/// Where a message the agent sent stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Not acknowledged yet; resent after every reconnect.
    Sending,
    /// Acknowledged as `seq`; waiting for the stored message itself (from `message` or `synced`).
    Stored(Seq),
    /// The edge refused it (e.g. `text_too_long`); resending would fail the same way.
    Failed(ErrorCode),
}

/// Why an action or a frame was refused, for the view to word in the agent's language (the
/// edge's own message stays out of the UI).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// An `error` frame's stable code.
    Code(ErrorCode),
    /// Not sent: the socket is down.
    NotConnected,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub client_id: String,
    pub text: String,
    /// How many files go with it.
    pub files: usize,
    pub delivery: Delivery,
}

impl From<&replica::Outgoing> for Outgoing {
    fn from(o: &replica::Outgoing) -> Self {
        let delivery = match &o.delivery {
            replica::Delivery::Sending | replica::Delivery::Held => Delivery::Sending,
            replica::Delivery::Stored(seq) => Delivery::Stored(*seq),
            replica::Delivery::Failed { code, .. } => Delivery::Failed(*code),
        };
        Outgoing {
            client_id: o.client_id.clone(),
            text: o.text.clone(),
            files: o.attachments.len(),
            delivery,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    replica: Replica,
    /// The latest refusal that concerned no particular message, shown until dismissed.
    notice: Option<Refusal>,
    /// Status from `hello`, until the first `lifecycle` says more.
    hello_status: Option<ConversationStatus>,
    /// Owner, status and bot pause (agents get it on connect and on every change).
    lifecycle: Option<LifecycleView>,
    /// Timeline events, oldest first (by `at`, arrival order among equals).
    timeline: Vec<ActivityEvent>,
    /// The lifecycle action sent and not yet answered (by `lifecycle` or `error`).
    pending: Option<Action>,
    /// Why the edge refused the last close: shown inside the close dialog.
    close_error: Option<Refusal>,
}

impl Default for Thread {
    fn default() -> Self {
        Thread {
            replica: Replica::new(AuthorKind::Agent, RateLimits::Fail),
            notice: None,
            hello_status: None,
            lifecycle: None,
            timeline: Vec::new(),
            pending: None,
            close_error: None,
        }
    }
}

/// One line of the log: a message or a timeline event, in time order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A message, and whether it is the agents' last one the visitor has read ("Seen").
    Message(Message, bool),
    Activity(ActivityEvent),
}

impl Entry {
    pub fn at(&self) -> i64 {
        match self {
            Entry::Message(m, _) => m.at,
            Entry::Activity(e) => e.at,
        }
    }
}

impl Thread {
    pub fn messages(&self) -> impl Iterator<Item = &Message> {
        self.replica.messages()
    }

    /// Messages sent and not yet handed back, in the order written.
    pub fn outbox(&self) -> Vec<Outgoing> {
        self.replica.outbox().iter().map(Outgoing::from).collect()
    }

    pub fn notice(&self) -> Option<Refusal> {
        self.notice
    }

    pub fn is_live(&self) -> bool {
        self.replica.is_live()
    }

    pub fn lifecycle(&self) -> Option<&LifecycleView> {
        self.lifecycle.as_ref()
    }

    /// Open or closed: from the latest `lifecycle`, else from `hello`.
    pub fn status(&self) -> Option<ConversationStatus> {
        self.lifecycle
            .as_ref()
            .map(|l| l.status)
            .or(self.hello_status)
    }

    pub fn timeline(&self) -> &[ActivityEvent] {
        &self.timeline
    }

    /// True while a lifecycle action waits for its answer (buttons stay disabled meanwhile).
    pub fn action_pending(&self) -> bool {
        self.pending.is_some()
    }

    pub fn close_error(&self) -> Option<Refusal> {
        self.close_error
    }

    pub fn clear_close_error(&mut self) {
        self.close_error = None;
    }

    /// Messages and timeline events interleaved by time, each with a key that stays the same
    /// while it is shown. At equal times the event comes first (a message that reopens a
    /// conversation is stored with the same time as the `reopened` it causes).
    pub fn entries(&self) -> Vec<(String, Entry)> {
        let mut out: Vec<(String, Entry)> = Vec::new();
        let mut same_at = 0usize;
        let mut prev_at = None;
        let mut events = self.timeline.iter().peekable();
        let seen = self.replica.seen_seq();
        for message in self.replica.messages() {
            while let Some(event) = events.next_if(|e| e.at <= message.at) {
                push_event(&mut out, event, &mut prev_at, &mut same_at);
            }
            // The key changes with the mark, so the line is drawn again when "Seen" moves.
            let is_seen = seen == Some(message.seq);
            let key = format!("m{}{}", message.seq, if is_seen { "s" } else { "" });
            out.push((key, Entry::Message(message.clone(), is_seen)));
        }
        for event in events {
            push_event(&mut out, event, &mut prev_at, &mut same_at);
        }
        out
    }

    /// Name to show for an agent id: the name their messages carry, if any.
    pub fn agent_name(&self, id: &str) -> Option<&str> {
        self.replica
            .messages()
            .rev()
            .find(|m| m.author.id == id)
            .map(|m| m.author.name.as_str())
    }

    pub fn last_seq(&self) -> Seq {
        self.replica.last_seq()
    }

    /// Apply a frame from the conversation socket; returns what to send back.
    /// `typing` and `pong` carry nothing the thread keeps; a visitor's `read` moves "Seen".
    pub fn receive(&mut self, frame: ServerFrame) -> Vec<ClientFrame> {
        match frame {
            ServerFrame::Hello { status, .. } => {
                self.hello_status = Some(status);
                return self.replica.receive(frame).frames;
            }
            // Not about a message of the outbox: about the pending action, or a notice.
            ServerFrame::Error {
                code, client_id, ..
            } if client_id
                .as_deref()
                .is_none_or(|id| self.replica.outgoing(id).is_none()) =>
            {
                match self.pending.take() {
                    Some(Action::Close { .. }) => self.close_error = Some(Refusal::Code(code)),
                    _ => self.notice = Some(Refusal::Code(code)),
                }
            }
            ServerFrame::Lifecycle { state } => {
                self.pending = None;
                if state.status == ConversationStatus::Closed {
                    self.close_error = None;
                }
                self.lifecycle = Some(state);
            }
            ServerFrame::Activity { event } => {
                // A note this agent posted arrives twice (the route's answer and the socket).
                if self.timeline.contains(&event) {
                    return Vec::new();
                }
                // Keep time order even if an event arrives late; equal times keep arrival order.
                let at = self.timeline.partition_point(|e| e.at <= event.at);
                self.timeline.insert(at, event);
            }
            ServerFrame::Timeline { mut events } => {
                events.sort_by_key(|e| e.at);
                self.timeline = events;
            }
            frame => return self.replica.receive(frame).frames,
        }
        Vec::new()
    }

    /// The socket closed: nothing sent from now on arrives until the next `hello`.
    pub fn disconnected(&mut self) {
        self.replica.disconnected();
        // Its answer, if any, is lost with the socket; the next `lifecycle` shows the outcome.
        self.pending = None;
    }

    /// A lifecycle action from the header; returns the frame to send now. Actions are not
    /// queued across reconnects (the conversation may have changed meanwhile): offline, the
    /// agent is told to try again.
    pub fn act(&mut self, action: Action) -> Option<ClientFrame> {
        let closing = matches!(action, Action::Close { .. });
        if !self.is_live() {
            let why = Refusal::NotConnected;
            if closing {
                self.close_error = Some(why);
            } else {
                self.notice = Some(why);
            }
            return None;
        }
        if closing {
            self.close_error = None;
        }
        self.pending = Some(action.clone());
        Some(ClientFrame::Action { action })
    }

    /// Queue a message the agent wrote (checked with `validate_send` by the composer); returns
    /// the frame to send now if the socket is live (otherwise the next `hello` sends it).
    pub fn send(&mut self, client_id: String, text: String) -> Option<ClientFrame> {
        self.replica.send(client_id, &text)
    }

    /// [`Self::send`] with uploaded files (their ids); the text may then be blank. Resent
    /// after a reconnect under the same client id, files included: one message.
    pub fn send_files(
        &mut self,
        client_id: String,
        text: String,
        files: Vec<String>,
    ) -> Option<ClientFrame> {
        self.replica.send_files(client_id, &text, files)
    }

    /// Every file of the conversation's messages, newest message first.
    pub fn files(&self) -> Vec<Attachment> {
        self.replica
            .messages()
            .rev()
            .flat_map(|m| m.attachments.iter().cloned())
            .collect()
    }

    /// Drop a refused message from the outbox.
    pub fn discard(&mut self, client_id: &str) {
        self.replica.discard(client_id);
    }

    pub fn dismiss_notice(&mut self) {
        self.notice = None;
    }

    /// The `read` to send now, if there is anything newer than the last one sent.
    pub fn unread_through(&self) -> Option<Seq> {
        self.replica.read_due()
    }

    pub fn read_sent(&mut self, seq: Seq) {
        self.replica.read_sent(seq);
    }
}

fn push_event(
    out: &mut Vec<(String, Entry)>,
    event: &ActivityEvent,
    prev_at: &mut Option<i64>,
    same_at: &mut usize,
) {
    if *prev_at == Some(event.at) {
        *same_at += 1;
    } else {
        *prev_at = Some(event.at);
        *same_at = 0;
    }
    out.push((
        format!("a{}-{}", event.at, same_at),
        Entry::Activity(event.clone()),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use charla_shared::lifecycle::{ActivityKind, Actor, ClosingNote, Source};
    use charla_shared::protocol::{Author, AuthorKind};

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
            buttons: Vec::new(),
            attachments: Vec::new(),
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
            read: Default::default(),
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
    fn files_are_listed_newest_message_first_and_sent_with_their_ids() {
        let mut t = Thread::default();
        t.receive(hello(0));
        let file = |id: &str| Attachment {
            id: id.into(),
            name: format!("{id}.pdf"),
            size: 1,
            content_type: "application/pdf".into(),
            width: None,
            height: None,
        };
        let mut first = msg(1, "c1", AuthorKind::Contact);
        first.attachments = vec![file("f_a"), file("f_b")];
        let mut second = msg(2, "c2", AuthorKind::Agent);
        second.attachments = vec![file("f_c")];
        t.receive(ServerFrame::Synced {
            messages: vec![first, second, msg(3, "c3", AuthorKind::Contact)],
            last_seq: 3,
            more: false,
        });
        let ids: Vec<String> = t.files().into_iter().map(|f| f.id).collect();
        assert_eq!(ids, ["f_c", "f_a", "f_b"]);
        let frame = t.send_files("u1".into(), " ".into(), vec!["f_d".into()]);
        assert_eq!(
            frame,
            Some(ClientFrame::Send {
                client_id: "u1".into(),
                text: String::new(),
                attachments: vec!["f_d".into()],
            })
        );
        assert_eq!(t.outbox()[0].files, 1);
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
                text: "hi".into(),
                attachments: Vec::new(),
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
                    text: "offline".into(),
                    attachments: Vec::new(),
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
        assert_eq!(
            t.outbox()[0].delivery,
            Delivery::Failed(ErrorCode::TextTooLong)
        );
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
        assert_eq!(t.notice(), Some(Refusal::Code(ErrorCode::MalformedFrame)));
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

    fn event(at: i64, kind: ActivityKind) -> ActivityEvent {
        ActivityEvent {
            at,
            source: Source::User,
            actor: Actor::Agent { id: "a1".into() },
            kind,
        }
    }

    fn view(status: ConversationStatus, assignee: Option<&str>) -> LifecycleView {
        LifecycleView {
            status,
            period: 1,
            assignee_id: assignee.map(str::to_owned),
            team_id: None,
            bot_paused: false,
        }
    }

    fn close(summary: &str) -> Action {
        Action::Close {
            note: ClosingNote {
                category: None,
                summary: Some(summary.into()),
            },
        }
    }

    fn entry_keys(t: &Thread) -> Vec<String> {
        t.entries().into_iter().map(|(k, _)| k).collect()
    }

    #[test]
    fn status_comes_from_hello_until_lifecycle_arrives() {
        let mut t = Thread::default();
        assert_eq!(t.status(), None);
        t.receive(hello(0));
        assert_eq!(t.status(), Some(ConversationStatus::Open));
        t.receive(ServerFrame::Lifecycle {
            state: view(ConversationStatus::Closed, None),
        });
        assert_eq!(t.status(), Some(ConversationStatus::Closed));
        assert_eq!(t.lifecycle().unwrap().period, 1);
    }

    #[test]
    fn timeline_replaces_and_activity_appends_in_time_order() {
        let mut t = Thread::default();
        t.receive(hello(0));
        t.receive(ServerFrame::Timeline {
            events: vec![
                event(20, ActivityKind::BotPaused),
                event(10, ActivityKind::Opened),
            ],
        });
        assert_eq!(t.timeline()[0].kind, ActivityKind::Opened);
        t.receive(ServerFrame::Activity {
            event: event(30, ActivityKind::BotResumed),
        });
        // A late event still lands in time order.
        t.receive(ServerFrame::Activity {
            event: event(
                15,
                ActivityKind::Unassigned {
                    previous: "a2".into(),
                },
            ),
        });
        let ats: Vec<i64> = t.timeline().iter().map(|e| e.at).collect();
        assert_eq!(ats, [10, 15, 20, 30]);
        // A note arrives as the route's answer and again on the socket: shown once.
        let note = event(
            40,
            ActivityKind::Comment {
                text: "refund?".into(),
                mentions: Vec::new(),
            },
        );
        for _ in 0..2 {
            t.receive(ServerFrame::Activity {
                event: note.clone(),
            });
        }
        assert_eq!(t.timeline().len(), 5);
        // A reconnect's timeline is the whole truth again.
        t.receive(ServerFrame::Timeline {
            events: vec![event(10, ActivityKind::Opened)],
        });
        assert_eq!(t.timeline().len(), 1);
    }

    #[test]
    fn entries_interleave_messages_and_events_by_time() {
        let mut t = Thread::default();
        t.receive(hello(2));
        // Messages are at seq * 1000.
        t.receive(synced(&[1, 2], 2, false));
        t.receive(ServerFrame::Timeline {
            events: vec![
                event(500, ActivityKind::Opened),
                event(1000, ActivityKind::BotPaused),
                event(1500, ActivityKind::BotResumed),
                event(1500, ActivityKind::BotPaused),
                event(
                    9000,
                    ActivityKind::Closed {
                        note: ClosingNote::default(),
                    },
                ),
            ],
        });
        assert_eq!(
            entry_keys(&t),
            ["a500-0", "a1000-0", "m1", "a1500-0", "a1500-1", "m2", "a9000-0"]
        );
        assert!(matches!(t.entries()[2].1, Entry::Message(..)));
    }

    #[test]
    fn seen_marks_the_agents_last_message_the_visitor_read_and_redraws_when_it_moves() {
        let mut t = Thread::default();
        t.receive(hello(3));
        t.receive(ServerFrame::Synced {
            messages: vec![
                msg(1, "v1", AuthorKind::Contact),
                msg(2, "a2", AuthorKind::Agent),
                msg(3, "a3", AuthorKind::Agent),
            ],
            last_seq: 3,
            more: false,
        });
        let seen = |t: &Thread| {
            t.entries()
                .into_iter()
                .filter_map(|(key, e)| matches!(e, Entry::Message(_, true)).then_some(key))
                .collect::<Vec<_>>()
        };
        assert!(seen(&t).is_empty());
        t.receive(ServerFrame::Read {
            author_kind: AuthorKind::Contact,
            seq: 2,
        });
        assert_eq!(seen(&t), ["m2s"]);
        // Another agent reading changes nothing the visitor saw.
        t.receive(ServerFrame::Read {
            author_kind: AuthorKind::Agent,
            seq: 3,
        });
        assert_eq!(seen(&t), ["m2s"]);
        t.receive(ServerFrame::Read {
            author_kind: AuthorKind::Contact,
            seq: 3,
        });
        assert_eq!(seen(&t), ["m3s"]);
        assert_eq!(entry_keys(&t), ["m1", "m2", "m3s"]);
    }

    #[test]
    fn action_goes_out_only_while_live_and_waits_for_lifecycle() {
        let mut t = Thread::default();
        assert_eq!(t.act(Action::Unassign), None);
        assert!(t.notice().is_some());
        t.dismiss_notice();
        t.receive(hello(0));
        let assign = Action::Assign {
            agent_id: "a1".into(),
            team_id: None,
        };
        assert_eq!(
            t.act(assign.clone()),
            Some(ClientFrame::Action { action: assign })
        );
        assert!(t.action_pending());
        t.receive(ServerFrame::Lifecycle {
            state: view(ConversationStatus::Open, Some("a1")),
        });
        assert!(!t.action_pending());
        assert_eq!(t.lifecycle().unwrap().assignee_id.as_deref(), Some("a1"));
    }

    #[test]
    fn refused_close_is_shown_in_the_dialog_other_refusals_as_notice() {
        let mut t = Thread::default();
        t.receive(hello(0));
        t.act(close("done"));
        t.receive(ServerFrame::Error {
            code: ErrorCode::BadRequest,
            message: "the closing category is required".into(),
            client_id: None,
        });
        assert_eq!(t.close_error(), Some(Refusal::Code(ErrorCode::BadRequest)));
        assert_eq!(t.notice(), None);
        assert!(!t.action_pending());

        // Trying again clears the old reason; success clears any reason.
        t.act(close("done"));
        assert_eq!(t.close_error(), None);
        t.receive(ServerFrame::Lifecycle {
            state: view(ConversationStatus::Closed, None),
        });
        assert_eq!(t.close_error(), None);

        t.act(Action::Assign {
            agent_id: "ghost".into(),
            team_id: None,
        });
        t.receive(ServerFrame::Error {
            code: ErrorCode::NotFound,
            message: "no such agent".into(),
            client_id: None,
        });
        assert_eq!(t.notice(), Some(Refusal::Code(ErrorCode::NotFound)));
        assert_eq!(t.close_error(), None);
    }

    #[test]
    fn close_while_offline_is_refused_in_the_dialog() {
        let mut t = Thread::default();
        assert_eq!(t.act(close("x")), None);
        assert_eq!(t.close_error(), Some(Refusal::NotConnected));
        t.clear_close_error();
        assert_eq!(t.close_error(), None);
    }

    #[test]
    fn a_message_error_does_not_swallow_a_pending_action() {
        let mut t = Thread::default();
        t.receive(hello(0));
        t.send("u1".into(), "x".into());
        t.act(close("x"));
        t.receive(ServerFrame::Error {
            code: ErrorCode::TextTooLong,
            message: "too long".into(),
            client_id: Some("u1".into()),
        });
        assert!(t.action_pending());
        t.disconnected();
        assert!(!t.action_pending());
    }

    #[test]
    fn agent_names_come_from_their_messages() {
        let mut t = Thread::default();
        t.receive(hello(1));
        t.receive(ServerFrame::Message {
            message: msg(1, "m1", AuthorKind::Agent),
        });
        assert_eq!(t.agent_name("x"), Some("X"));
        assert_eq!(t.agent_name("nobody"), None);
    }
}
