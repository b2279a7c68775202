//! A client's copy of one conversation: the client half of the protocol in [`crate::protocol`],
//! as a value (sans I/O, no clock), shared by the visitor widget and the agents' inbox.
//!
//! The caller owns the socket and the timers. It hands every [`ServerFrame`] to
//! [`Replica::receive`] and sends the [`ClientFrame`]s the answer lists, in order; it tells the
//! replica when the socket is gone ([`Replica::disconnected`]).
//!
//! # The algorithm
//!
//! - **Messages are keyed by seq.** Seqs are assigned by the conversation, dense from 1, so
//!   applying the same message twice (a live `message` and the `synced` page that also holds
//!   it, in either order) changes nothing, and a message older than those held (a page of
//!   history arriving after a live message) lands in its place.
//! - **Resume from the end of the gap-free run.** `resume_seq` is the highest seq with every
//!   seq from 1 up to it held, not simply the highest held: a live message seen while the
//!   history was still on its way proves nothing about what came before it. On `hello` the
//!   replica asks `sync {after_seq: resume_seq}` and follows `more` pages (each asking after
//!   the last message of the page; an empty page claiming more ends the chain, or it would
//!   loop). A live message that leaves a hole below it while no sync is outstanding means a
//!   frame was lost: the replica asks for the missing part at once.
//! - **The outbox.** A message the caller sends gets a client id (the caller's) and waits in
//!   the outbox, in the order written. On every `hello` each one not yet acknowledged is sent
//!   again, in that order and under the same client id: the conversation stores a client id
//!   once and acknowledges a resend with the seq it already has. An `ack` marks it stored (the
//!   caller may show it at its seq); the stored message itself (same client id, written by
//!   this client's kind of author) removes it. An ack for a client id the outbox does not
//!   hold is ignored.
//! - **Refusals.** An `error` naming a client id of the outbox fails that message for good
//!   (never resent), except `rate_limited`, which stored nothing: with
//!   [`RateLimits::Hold`] the message is held, stays in the outbox and is sent again after a
//!   pause that doubles while the edge keeps refusing (an ack starts over); a `rate_limited`
//!   naming no message while a sync is outstanding is taken as the sync refused, asked again
//!   with the held messages. With [`RateLimits::Fail`] (a client with no resend timer) such a
//!   message fails like any other refusal.
//! - **Reads.** [`Replica::read_due`] says up to which seq a `read` is owed; after a reconnect
//!   it is owed again, since the last one may have been lost with the socket. How far the
//!   other side has read (the `hello`'s marks, then its `read` frames; never backwards) is
//!   [`Replica::seen_seq`]: the caller's own last message it covers shows "seen".
//!
//! Frames about anything else (typing, lifecycle, timeline, pong) leave the replica
//! unchanged: they are the caller's.

use std::collections::BTreeMap;

use crate::basic::Seq;
use crate::error::ErrorCode;
use crate::limits::MAX_TEXT_CHARS;
use crate::protocol::{AuthorKind, ClientFrame, Message, ServerFrame};

/// The first pause before a held message is sent again, and the longest.
pub const FIRST_HOLD_MS: u32 = 2_000;
pub const MAX_HOLD_MS: u32 = 30_000;

/// What a client does with a message the edge refused for rate (`rate_limited`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimits {
    /// Keep it and send it again after a pause (the caller runs the timer).
    Hold,
    /// Show it as refused, like any other refusal.
    Fail,
}

/// Where a message this client sent stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Not acknowledged yet; sent again after every reconnect.
    Sending,
    /// Refused for rate: nothing was stored; sent again after a pause until acknowledged.
    Held,
    /// Acknowledged as this seq; the stored message itself has not arrived yet.
    Stored(Seq),
    /// Refused for good; resending would fail the same way. `message` is the edge's own words
    /// (English, for developers), empty when the replica refused it before sending.
    Failed { code: ErrorCode, message: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub client_id: String,
    /// Trimmed, as the conversation stores it.
    pub text: String,
    /// Ids of files uploaded beforehand (docs/API.md "Files"); resent with the message.
    pub attachments: Vec<String>,
    pub delivery: Delivery,
}

impl Outgoing {
    fn frame(&self) -> ClientFrame {
        ClientFrame::Send {
            client_id: self.client_id.clone(),
            text: self.text.clone(),
            attachments: self.attachments.clone(),
        }
    }

    /// Still to be delivered: sent on every resume.
    pub fn unsent(&self) -> bool {
        matches!(self.delivery, Delivery::Sending | Delivery::Held)
    }
}

/// What to do after a frame.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    /// Frames to send now, in this order.
    pub frames: Vec<ClientFrame>,
    /// Seqs of the messages this frame brought that were not held before, as they came.
    pub added: Vec<Seq>,
    /// Call [`Replica::resend_held`] after this many milliseconds (one pause at a time).
    pub resend_after_ms: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replica {
    /// Whose messages the outbox waits for: the socket's author kind.
    me: AuthorKind,
    rate_limits: RateLimits,
    messages: BTreeMap<Seq, Message>,
    outbox: Vec<Outgoing>,
    /// Every seq from 1 up to here is held.
    resume_seq: Seq,
    /// Between `hello` and the socket closing: frames sent now reach the conversation.
    live: bool,
    /// A `sync` was sent and its last page has not arrived.
    syncing: bool,
    /// The outstanding sync was refused for rate: asked again by [`Replica::resend_held`].
    sync_held: bool,
    /// A last page arrived since the replica started (or restarted): what comes after is news.
    caught_up: bool,
    /// Highest seq a `read` was sent for on this socket.
    read_sent: Seq,
    /// How far the other side has read.
    other_read: Seq,
    /// The next pause before held frames go again, and whether one is running.
    hold_ms: u32,
    holding: bool,
}

impl Replica {
    pub fn new(me: AuthorKind, rate_limits: RateLimits) -> Self {
        Replica {
            me,
            rate_limits,
            messages: BTreeMap::new(),
            outbox: Vec::new(),
            resume_seq: 0,
            live: false,
            syncing: false,
            sync_held: false,
            caught_up: false,
            read_sent: 0,
            other_read: 0,
            hold_ms: FIRST_HOLD_MS,
            holding: false,
        }
    }

    /// Held messages, in seq order.
    pub fn messages(&self) -> impl DoubleEndedIterator<Item = &Message> {
        self.messages.values()
    }

    pub fn message(&self, seq: Seq) -> Option<&Message> {
        self.messages.get(&seq)
    }

    /// Messages sent and not yet handed back by the conversation, in the order written.
    pub fn outbox(&self) -> &[Outgoing] {
        &self.outbox
    }

    /// Outgoing messages still to be delivered (held ones included: they only wait).
    pub fn unsent(&self) -> impl Iterator<Item = &Outgoing> {
        self.outbox.iter().filter(|o| o.unsent())
    }

    /// Some message waits out a rate limit.
    pub fn held(&self) -> bool {
        self.outbox.iter().any(|o| o.delivery == Delivery::Held)
    }

    /// Nothing written and nothing received: a conversation that has not started.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty() && self.outbox.is_empty()
    }

    pub fn is_live(&self) -> bool {
        self.live
    }

    /// A last page of history arrived since the replica (re)started.
    pub fn caught_up(&self) -> bool {
        self.caught_up
    }

    /// The seq a resumed socket syncs after: the end of the gap-free run from 1.
    pub fn resume_seq(&self) -> Seq {
        self.resume_seq
    }

    /// The newest seq known to exist: held, or acknowledged for a message of this client.
    pub fn last_seq(&self) -> Seq {
        let held = self.messages.keys().next_back().copied().unwrap_or(0);
        let acked = self.outbox.iter().filter_map(|o| match o.delivery {
            Delivery::Stored(seq) => Some(seq),
            _ => None,
        });
        acked.fold(held, Seq::max)
    }

    /// The `read` owed now (up to [`Replica::last_seq`]), if any; call
    /// [`Replica::read_sent`] once it went out.
    pub fn read_due(&self) -> Option<Seq> {
        let last = self.last_seq();
        (self.live && last > self.read_sent).then_some(last)
    }

    pub fn read_sent(&mut self, seq: Seq) {
        self.read_sent = self.read_sent.max(seq);
    }

    /// Queue a message; the frame to send now if the socket is live (otherwise the next
    /// `hello` sends it). Blank text queues nothing; text the conversation would refuse (too
    /// long) is queued as failed and never sent.
    pub fn send(&mut self, client_id: String, text: &str) -> Option<ClientFrame> {
        self.send_files(client_id, text, Vec::new())
    }

    /// [`Replica::send`] with the ids of files already uploaded: the text may then be blank.
    pub fn send_files(
        &mut self,
        client_id: String,
        text: &str,
        attachments: Vec<String>,
    ) -> Option<ClientFrame> {
        // `validate_message`'s text rules; the client id and file ids are the caller's (the
        // edge checks them).
        let text = text.trim();
        if text.is_empty() && attachments.is_empty() {
            return None;
        }
        let delivery = if text.chars().count() > MAX_TEXT_CHARS {
            Delivery::Failed {
                code: ErrorCode::TextTooLong,
                message: String::new(),
            }
        } else {
            Delivery::Sending
        };
        let outgoing = Outgoing {
            client_id,
            text: text.to_owned(),
            attachments,
            delivery,
        };
        let frame = (self.live && outgoing.unsent()).then(|| outgoing.frame());
        self.outbox.push(outgoing);
        frame
    }

    /// Drop a message from the outbox (a refused one the user dismissed).
    pub fn discard(&mut self, client_id: &str) {
        self.outbox.retain(|o| o.client_id != client_id);
    }

    /// The socket is gone: nothing sent from now on arrives until the next `hello`, and an
    /// outstanding sync is lost with it.
    pub fn disconnected(&mut self) {
        self.live = false;
        self.syncing = false;
        self.sync_held = false;
    }

    /// Another conversation from now on (the session changed): what was held belongs to the
    /// old one and goes, but messages not yet stored stay and go to the new one.
    pub fn restart(&mut self) {
        let mut next = Replica::new(self.me, self.rate_limits);
        self.outbox
            .retain(|o| !matches!(o.delivery, Delivery::Stored(_)));
        next.outbox = std::mem::take(&mut self.outbox);
        next.hold_ms = self.hold_ms;
        next.holding = self.holding;
        *self = next;
    }

    /// The pause asked for by [`Reply::resend_after_ms`] is over: the held messages, in the
    /// order written, then the sync if it was refused. Nothing while offline (the next `hello`
    /// sends them anyway).
    pub fn resend_held(&mut self) -> Vec<ClientFrame> {
        self.holding = false;
        if !self.live {
            return Vec::new();
        }
        let mut frames: Vec<ClientFrame> = self
            .outbox
            .iter()
            .filter(|o| o.delivery == Delivery::Held)
            .map(Outgoing::frame)
            .collect();
        if std::mem::take(&mut self.sync_held) {
            frames.push(self.sync());
        }
        frames
    }

    /// The other side of the conversation: agents for a visitor, the visitor for an agent.
    fn other(&self) -> AuthorKind {
        match self.me {
            AuthorKind::Contact => AuthorKind::Agent,
            _ => AuthorKind::Contact,
        }
    }

    /// The seq of my side's newest message the other side has read (`None`: none yet): where
    /// "seen" goes.
    pub fn seen_seq(&self) -> Option<Seq> {
        self.messages
            .range(..=self.other_read)
            .rev()
            .find(|(_, m)| m.author.kind == self.me)
            .map(|(seq, _)| *seq)
    }

    /// Apply a frame from the conversation socket.
    pub fn receive(&mut self, frame: ServerFrame) -> Reply {
        let mut reply = Reply::default();
        match frame {
            ServerFrame::Hello { read, .. } => {
                self.other_read = self.other_read.max(read.of(self.other()));
                self.live = true;
                self.read_sent = 0;
                self.sync_held = false;
                reply.frames.push(self.sync());
                reply.frames.extend(
                    self.outbox
                        .iter()
                        .filter(|o| o.unsent())
                        .map(Outgoing::frame),
                );
            }
            ServerFrame::Synced { messages, more, .. } => {
                let page_end = messages.last().map(|m| m.seq);
                for message in messages {
                    self.insert(message, &mut reply);
                }
                match (more, page_end) {
                    (true, Some(after_seq)) => {
                        reply.frames.push(ClientFrame::Sync { after_seq });
                    }
                    // An empty page that claims more would loop forever: stop asking.
                    (true, None) => self.sync_done(),
                    (false, _) => {
                        self.sync_done();
                        self.caught_up = true;
                    }
                }
            }
            ServerFrame::Message { message } => {
                let seq = message.seq;
                self.insert(message, &mut reply);
                if self.live && !self.syncing && seq > self.resume_seq + 1 {
                    reply.frames.push(self.sync());
                }
            }
            ServerFrame::Ack { client_id, seq, .. } => {
                self.hold_ms = FIRST_HOLD_MS;
                if let Some(i) = self.position(&client_id) {
                    if self.messages.contains_key(&seq) {
                        self.outbox.remove(i);
                    } else {
                        self.outbox[i].delivery = Delivery::Stored(seq);
                    }
                }
            }
            ServerFrame::Error {
                code,
                message,
                client_id,
            } => {
                let hold = code == ErrorCode::RateLimited && self.rate_limits == RateLimits::Hold;
                let about = client_id.as_deref().map(|id| self.position(id));
                match about {
                    Some(Some(i)) if hold => {
                        self.outbox[i].delivery = Delivery::Held;
                        reply.resend_after_ms = self.hold();
                    }
                    Some(Some(i)) => self.outbox[i].delivery = Delivery::Failed { code, message },
                    // A refusal naming no message: while a sync is outstanding, taken as its.
                    None if hold && self.syncing => {
                        self.sync_held = true;
                        reply.resend_after_ms = self.hold();
                    }
                    Some(None) | None => {}
                }
            }
            ServerFrame::Read { author_kind, seq } => {
                if author_kind == self.other() {
                    self.other_read = self.other_read.max(seq);
                }
            }
            ServerFrame::Typing { .. }
            | ServerFrame::Lifecycle { .. }
            | ServerFrame::Activity { .. }
            | ServerFrame::Timeline { .. }
            | ServerFrame::Pong => {}
        }
        reply
    }

    /// The outbox's message with this client id.
    pub fn outgoing(&self, client_id: &str) -> Option<&Outgoing> {
        self.outbox.iter().find(|o| o.client_id == client_id)
    }

    fn position(&self, client_id: &str) -> Option<usize> {
        self.outbox.iter().position(|o| o.client_id == client_id)
    }

    fn sync(&mut self) -> ClientFrame {
        self.syncing = true;
        ClientFrame::Sync {
            after_seq: self.resume_seq,
        }
    }

    /// Nothing is outstanding any more, not even a sync the pause would ask again (a refusal
    /// taken for it was about some other frame).
    fn sync_done(&mut self) {
        self.syncing = false;
        self.sync_held = false;
    }

    /// Start the pause before held frames go again, unless one is running.
    fn hold(&mut self) -> Option<u32> {
        if std::mem::replace(&mut self.holding, true) {
            return None;
        }
        let pause = self.hold_ms;
        self.hold_ms = (pause * 2).min(MAX_HOLD_MS);
        Some(pause)
    }

    fn insert(&mut self, message: Message, reply: &mut Reply) {
        // Client ids are unique per author and random, so the kind is enough to know one's own
        // (a conversation has one contact; agents' ids are UUIDs).
        if message.author.kind == self.me {
            self.outbox.retain(|o| o.client_id != message.client_id);
        }
        let seq = message.seq;
        if self.messages.insert(seq, message).is_none() {
            reply.added.push(seq);
        }
        while self.messages.contains_key(&(self.resume_seq + 1)) {
            self.resume_seq += 1;
        }
    }
}
