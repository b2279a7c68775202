//! The client replica against the real conversation core: a scripted exchange over a socket
//! that can be cut at every point, frames duplicated, reordered or lost, history in pages, held
//! and refused messages. Whatever happens on the way, the replica ends up holding exactly what
//! the conversation stored, and every message the client wrote is stored once.

use std::collections::{BTreeSet, VecDeque};

use charla_shared::basic::{ConversationStatus, Seq};
use charla_shared::conversation::{synced_page, ConversationState, Effect};
use charla_shared::lifecycle::LifecycleSettings;
use charla_shared::limits::{MAX_TEXT_CHARS, SYNC_PAGE};
use charla_shared::protocol::{Author, AuthorKind, ClientFrame, Message, ReadMarks, ServerFrame};
use charla_shared::replica::{Delivery, RateLimits, Replica, Reply, FIRST_HOLD_MS, MAX_HOLD_MS};
use charla_shared::ErrorCode;

fn author(kind: AuthorKind, id: &str) -> Author {
    Author {
        kind,
        id: id.into(),
        name: id.to_uppercase(),
    }
}

fn visitor() -> Author {
    author(AuthorKind::Contact, "v1")
}

fn agent() -> Author {
    author(AuthorKind::Agent, "a1")
}

/// The conversation as the Durable Object runs it: the real core, storage as a list.
struct Server {
    state: ConversationState,
    stored: Vec<Message>,
    settings: LifecycleSettings,
    now: i64,
}

impl Server {
    fn new() -> Self {
        let (state, _) = ConversationState::new("c1".into(), "w1".into(), visitor(), 1_000);
        Server {
            state,
            stored: Vec::new(),
            settings: LifecycleSettings::default(),
            now: 1_000,
        }
    }

    fn hello(&self, you: &Author) -> ServerFrame {
        self.state.hello(you.clone())
    }

    /// Run one client frame; the frames for the sender, and those for everyone else.
    fn handle(
        &mut self,
        sender: &Author,
        frame: ClientFrame,
    ) -> (Vec<ServerFrame>, Vec<ServerFrame>) {
        self.now += 10;
        let stored = &self.stored;
        let effects = self.state.handle(
            sender,
            frame,
            |id: &str| {
                stored
                    .iter()
                    .find(|m| m.client_id == id && m.author.id == sender.id)
                    .map(|m| m.seq)
            },
            &self.settings,
            self.now,
        );
        let (mut to_sender, mut to_others) = (Vec::new(), Vec::new());
        for effect in effects {
            match effect {
                Effect::Store(m) => self.stored.push(m),
                Effect::Reply(f) => to_sender.push(f),
                Effect::Broadcast {
                    frame,
                    include_sender,
                } => {
                    if include_sender {
                        to_sender.push(frame.clone());
                    }
                    to_others.push(frame);
                }
                Effect::Replay { after_seq } => {
                    let page = self
                        .stored
                        .iter()
                        .filter(|m| m.seq > after_seq)
                        .take(SYNC_PAGE + 1)
                        .cloned()
                        .collect();
                    to_sender.push(synced_page(page, self.state.last_seq));
                }
                _ => {}
            }
        }
        (to_sender, to_others)
    }

    /// Someone else writes: what their socket does not get back.
    fn post(&mut self, who: &Author, client_id: &str, text: &str) -> Vec<ServerFrame> {
        let frame = ClientFrame::Send {
            client_id: client_id.into(),
            text: text.into(),
            attachments: Vec::new(),
        };
        self.handle(who, frame).1
    }
}

/// One client's socket: frames in flight each way, lost when it is cut.
struct Link {
    replica: Replica,
    me: Author,
    up: VecDeque<ClientFrame>,
    down: VecDeque<ServerFrame>,
    open: bool,
}

impl Link {
    fn new(me: Author) -> Self {
        let rate = RateLimits::Hold;
        Link {
            replica: Replica::new(me.kind, rate),
            me,
            up: VecDeque::new(),
            down: VecDeque::new(),
            open: false,
        }
    }

    fn connect(&mut self, server: &Server) {
        self.open = true;
        self.down.push_back(server.hello(&self.me));
    }

    fn cut(&mut self) {
        self.open = false;
        self.up.clear();
        self.down.clear();
        self.replica.disconnected();
    }

    fn write(&mut self, client_id: &str, text: &str) {
        if let Some(frame) = self.replica.send(client_id.into(), text) {
            self.up.push_back(frame);
        }
    }

    /// Deliver one frame (down first); false when nothing is in flight.
    fn step(&mut self, server: &mut Server) -> bool {
        if let Some(frame) = self.down.pop_front() {
            let reply = self.replica.receive(frame);
            self.up.extend(reply.frames);
            return true;
        }
        if let Some(frame) = self.up.pop_front() {
            let (mine, _) = server.handle(&self.me, frame);
            self.down.extend(mine);
            return true;
        }
        false
    }

    fn settle(&mut self, server: &mut Server) {
        for _ in 0..10_000 {
            if !self.step(server) {
                return;
            }
        }
        panic!("the exchange never settles");
    }
}

fn seqs(replica: &Replica) -> Vec<Seq> {
    replica.messages().map(|m| m.seq).collect()
}

/// The replica holds exactly what the conversation stored, nothing waits, and no client id
/// was stored twice.
fn converged(link: &Link, server: &Server) {
    let held: Vec<&Message> = link.replica.messages().collect();
    let stored: Vec<&Message> = server.stored.iter().collect();
    assert_eq!(held, stored);
    assert!(
        link.replica.outbox().is_empty(),
        "{:?}",
        link.replica.outbox()
    );
    let ids: BTreeSet<(&str, &str)> = server
        .stored
        .iter()
        .map(|m| (m.author.id.as_str(), m.client_id.as_str()))
        .collect();
    assert_eq!(ids.len(), server.stored.len(), "a client id stored twice");
    assert_eq!(link.replica.resume_seq(), server.state.last_seq);
}

/// What happens in the scripted exchange at each tick.
#[derive(Clone, Copy, Debug)]
enum Act {
    Write(&'static str),
    AgentWrites(&'static str),
    /// Deliver one frame in flight.
    Step,
}

const SCRIPT: &[Act] = &[
    Act::Write("hola"),
    Act::Step,
    Act::AgentWrites("¡hola!"),
    Act::Step,
    Act::Write("¿envíos a Lima?"),
    Act::Write("y a Quito"),
    Act::Step,
    Act::Step,
    Act::AgentWrites("sí, a los dos"),
    Act::Step,
    Act::Step,
    Act::Step,
    Act::Write("gracias"),
    Act::Step,
    Act::Step,
    Act::Step,
    Act::Step,
];

/// Play the script from `start` (ids `m0`, `m1`… for the client's messages).
fn play(link: &mut Link, server: &mut Server, script: &[Act], written: &mut usize) {
    for act in script {
        match *act {
            Act::Write(text) => {
                link.write(&format!("m{written}"), text);
                *written += 1;
            }
            Act::AgentWrites(text) => {
                let id = format!("agent-{}", server.stored.len());
                let other = match link.me.kind {
                    AuthorKind::Contact => agent(),
                    _ => visitor(),
                };
                let frames = server.post(&other, &id, text);
                if link.open {
                    link.down.extend(frames);
                }
            }
            Act::Step => {
                link.step(server);
            }
        }
    }
}

/// Play the script with the socket cut after `cut_at` ticks (past the script's end: after
/// that many more frames), then cut again `resume_cuts[i]` frames into each resume; the rest of
/// the script happens offline, then the socket comes back for good and settles.
fn cut_and_resume(me: &Author, cut_at: usize, resume_cuts: &[usize]) {
    let mut server = Server::new();
    let mut link = Link::new(me.clone());
    link.connect(&server);
    let mut written = 0;
    let (before, after) = SCRIPT.split_at(cut_at.min(SCRIPT.len()));
    play(&mut link, &mut server, before, &mut written);
    for _ in SCRIPT.len()..cut_at {
        link.step(&mut server);
    }
    link.cut();
    for &frames in resume_cuts {
        link.connect(&server);
        for _ in 0..frames {
            link.step(&mut server);
        }
        link.cut();
    }
    // Offline: the rest of the script still happens (messages wait in the outbox).
    play(&mut link, &mut server, after, &mut written);
    link.connect(&server);
    link.settle(&mut server);
    converged(&link, &server);
    let mine = server.stored.iter().filter(|m| m.author.id == me.id);
    assert_eq!(mine.count(), written, "cut at {cut_at}, {resume_cuts:?}");
}

#[test]
fn a_cut_at_any_point_of_the_exchange_loses_and_doubles_nothing() {
    for me in [visitor(), agent()] {
        for cut_at in 0..=SCRIPT.len() + 8 {
            cut_and_resume(&me, cut_at, &[]);
        }
    }
}

#[test]
fn two_cuts_in_a_row_and_a_cut_during_the_resume() {
    for first in 0..SCRIPT.len() {
        for second in 0..6 {
            cut_and_resume(&visitor(), first, &[second]);
            cut_and_resume(&agent(), first, &[0, second]);
        }
    }
}

/// Messages as the server stored them, for frames built by hand.
fn msg(seq: Seq, who: &Author, client_id: &str) -> Message {
    Message {
        seq,
        client_id: client_id.into(),
        author: who.clone(),
        text: format!("text {seq}"),
        at: seq as i64 * 1000,
        buttons: Vec::new(),
        attachments: Vec::new(),
    }
}

fn hello(you: &Author) -> ServerFrame {
    ServerFrame::Hello {
        conversation_id: "c1".into(),
        you: you.clone(),
        last_seq: 0,
        status: ConversationStatus::Open,
        read: ReadMarks::default(),
    }
}

fn live(seq: Seq) -> ServerFrame {
    ServerFrame::Message {
        message: msg(seq, &agent(), &format!("x{seq}")),
    }
}

fn page(seqs: &[Seq], last_seq: Seq, more: bool) -> ServerFrame {
    ServerFrame::Synced {
        messages: seqs
            .iter()
            .map(|&s| msg(s, &agent(), &format!("x{s}")))
            .collect(),
        last_seq,
        more,
    }
}

fn sync(after_seq: Seq) -> ClientFrame {
    ClientFrame::Sync { after_seq }
}

fn send(client_id: &str, text: &str) -> ClientFrame {
    ClientFrame::Send {
        client_id: client_id.into(),
        text: text.into(),
        attachments: Vec::new(),
    }
}

fn ack(client_id: &str, seq: Seq) -> ServerFrame {
    ServerFrame::Ack {
        client_id: client_id.into(),
        seq,
        duplicate: false,
    }
}

fn refused(code: ErrorCode, client_id: Option<&str>) -> ServerFrame {
    ServerFrame::Error {
        code,
        message: format!("{code:?}"),
        client_id: client_id.map(str::to_owned),
    }
}

fn greeted(kind: AuthorKind) -> Replica {
    let mut r = Replica::new(kind, RateLimits::Hold);
    r.receive(hello(&visitor()));
    r
}

#[test]
fn any_order_and_any_repeat_of_the_same_messages_gives_the_same_thread() {
    /// Frames in arrival order, seqs held after, resume seq.
    type Case = (&'static [&'static [Seq]], &'static [Seq], Seq);
    let cases: &[Case] = &[
        (&[&[1], &[2], &[3]], &[1, 2, 3], 3),
        (&[&[3], &[1], &[2], &[3], &[1]], &[1, 2, 3], 3),
        (&[&[1, 2, 3], &[2], &[1, 2, 3]], &[1, 2, 3], 3),
        (&[&[5], &[1, 2]], &[1, 2, 5], 2),
        (&[&[4]], &[4], 0),
        (&[&[2, 3], &[1]], &[1, 2, 3], 3),
        (&[], &[], 0),
    ];
    for &(frames, held, resume) in cases {
        let mut r = Replica::new(AuthorKind::Contact, RateLimits::Hold);
        for seqs in frames {
            // A page and the same messages one by one must land alike.
            r.receive(page(seqs, 9, false));
            for &s in *seqs {
                r.receive(live(s));
            }
        }
        assert_eq!(seqs(&r), held, "{frames:?}");
        assert_eq!(r.resume_seq(), resume, "{frames:?}");
        assert_eq!(r.last_seq(), held.last().copied().unwrap_or(0));
    }
}

#[test]
fn added_lists_only_messages_not_held_before() {
    let mut r = greeted(AuthorKind::Contact);
    assert_eq!(r.receive(page(&[1, 2], 2, false)).added, [1, 2]);
    assert_eq!(r.receive(live(2)).added, [] as [Seq; 0]);
    assert_eq!(r.receive(live(3)).added, [3]);
    assert_eq!(r.receive(page(&[2, 3, 4], 4, false)).added, [4]);
}

#[test]
fn hello_resumes_after_the_gap_free_run_then_resends_in_the_order_written() {
    let mut r = Replica::new(AuthorKind::Contact, RateLimits::Hold);
    assert_eq!(r.send("m1".into(), "uno"), None, "offline: queued only");
    assert_eq!(r.send("m2".into(), "  dos "), None);
    r.receive(page(&[1, 2, 4], 4, false));
    assert_eq!(
        r.receive(hello(&visitor())).frames,
        [sync(2), send("m1", "uno"), send("m2", "dos")]
    );
    assert!(r.is_live());
    // While live, a message goes out at once.
    assert_eq!(r.send("m3".into(), "tres"), Some(send("m3", "tres")));
}

#[test]
fn pages_are_followed_until_the_last_and_an_empty_page_claiming_more_ends_the_chain() {
    let mut r = greeted(AuthorKind::Agent);
    assert_eq!(r.receive(page(&[1, 2], 5, true)).frames, [sync(2)]);
    assert!(!r.caught_up());
    assert_eq!(r.receive(page(&[3, 4], 5, true)).frames, [sync(4)]);
    assert_eq!(r.receive(page(&[5], 5, false)).frames, []);
    assert!(r.caught_up());
    assert_eq!(seqs(&r), [1, 2, 3, 4, 5]);

    let mut r = greeted(AuthorKind::Agent);
    assert_eq!(r.receive(page(&[], 4, true)).frames, []);
}

#[test]
fn real_pages_of_history_arrive_whole_with_a_cut_at_each_page() {
    let total = 2 * SYNC_PAGE + 7;
    for cut_after_pages in 0..4 {
        let mut server = Server::new();
        for i in 0..total {
            server.post(&agent(), &format!("h{i}"), "history");
        }
        let mut link = Link::new(visitor());
        link.connect(&server);
        // hello, then each page is one frame down and one sync up.
        for _ in 0..(1 + 2 * cut_after_pages) {
            link.step(&mut server);
            link.step(&mut server);
        }
        link.cut();
        link.connect(&server);
        link.settle(&mut server);
        converged(&link, &server);
        assert_eq!(seqs(&link.replica).len(), total);
    }
}

#[test]
fn a_live_message_before_the_history_does_not_skip_it() {
    let mut r = greeted(AuthorKind::Agent);
    // The sync is outstanding: a hole below a live message is what it will fill.
    assert_eq!(r.receive(live(3)).frames, []);
    r.disconnected();
    assert_eq!(r.receive(hello(&agent())).frames, [sync(0)]);
    r.receive(page(&[1, 2, 3], 3, false));
    r.disconnected();
    assert_eq!(r.receive(hello(&agent())).frames, [sync(3)]);
}

#[test]
fn a_hole_while_nothing_is_outstanding_is_asked_for_once() {
    let mut r = greeted(AuthorKind::Contact);
    r.receive(page(&[1, 2], 2, false));
    // Message 3 was lost.
    assert_eq!(r.receive(live(4)).frames, [sync(2)]);
    assert_eq!(r.receive(live(5)).frames, [], "already asked");
    r.receive(page(&[3, 4, 5], 5, false));
    assert_eq!(r.resume_seq(), 5);
    assert_eq!(r.receive(live(6)).frames, []);
    // Offline, nothing is asked (the next hello resumes).
    r.disconnected();
    assert_eq!(r.receive(live(8)).frames, []);
}

#[test]
fn ack_then_broadcast_and_broadcast_then_ack_end_alike() {
    for broadcast_first in [false, true] {
        let mut r = greeted(AuthorKind::Contact);
        r.send("m1".into(), "hi");
        let stored = ServerFrame::Message {
            message: msg(1, &visitor(), "m1"),
        };
        if broadcast_first {
            r.receive(stored.clone());
            assert!(r.outbox().is_empty());
            r.receive(ack("m1", 1));
        } else {
            r.receive(ack("m1", 1));
            assert_eq!(r.outbox()[0].delivery, Delivery::Stored(1));
            assert_eq!(r.last_seq(), 1, "an acknowledged seq exists");
            assert_eq!(r.unsent().count(), 0);
            r.receive(stored);
        }
        assert!(r.outbox().is_empty());
        assert_eq!(seqs(&r), [1]);
    }
}

#[test]
fn only_a_message_of_this_clients_kind_takes_it_out_of_the_outbox() {
    // (who the stored message is from, whether the outbox keeps the message)
    let cases = [
        (visitor(), false),
        (agent(), true),
        (author(AuthorKind::System, "wf"), true),
    ];
    for (from, kept) in cases {
        let mut r = greeted(AuthorKind::Contact);
        r.send("same".into(), "hi");
        r.receive(ServerFrame::Message {
            message: msg(1, &from, "same"),
        });
        assert_eq!(r.outbox().len() == 1, kept, "{from:?}");
    }
}

#[test]
fn acks_for_unknown_client_ids_change_nothing() {
    let mut r = greeted(AuthorKind::Agent);
    r.send("m1".into(), "hi");
    let before = r.clone();
    assert_eq!(r.receive(ack("nobody", 4)), Reply::default());
    assert_eq!(r, before);
}

#[test]
fn frames_about_other_things_change_nothing() {
    use charla_shared::protocol::LifecycleView;
    let others = [
        ServerFrame::Pong,
        ServerFrame::Typing {
            author: agent(),
            active: true,
        },
        ServerFrame::Read {
            author_kind: AuthorKind::Agent,
            seq: 3,
        },
        ServerFrame::Lifecycle {
            state: LifecycleView {
                status: ConversationStatus::Closed,
                period: 1,
                assignee_id: None,
                team_id: None,
                bot_paused: false,
            },
        },
        ServerFrame::Timeline { events: Vec::new() },
        refused(ErrorCode::Forbidden, None),
        refused(ErrorCode::TextTooLong, Some("unknown")),
    ];
    for frame in others {
        let mut r = greeted(AuthorKind::Agent);
        r.receive(page(&[1], 1, false));
        r.send("m1".into(), "hi");
        let before = r.clone();
        assert_eq!(r.receive(frame.clone()), Reply::default(), "{frame:?}");
        assert_eq!(r, before, "{frame:?}");
    }
}

#[test]
fn refusals_fail_the_message_for_good() {
    let mut r = greeted(AuthorKind::Agent);
    r.send("m1".into(), "a");
    r.send("m2".into(), "b");
    r.receive(refused(ErrorCode::TextTooLong, Some("m1")));
    assert_eq!(
        r.outbox()[0].delivery,
        Delivery::Failed {
            code: ErrorCode::TextTooLong,
            message: "TextTooLong".into()
        }
    );
    let unsent: Vec<&str> = r.unsent().map(|o| o.client_id.as_str()).collect();
    assert_eq!(unsent, ["m2"]);
    r.disconnected();
    assert_eq!(
        r.receive(hello(&agent())).frames,
        [sync(0), send("m2", "b")],
        "a refused message is not resent"
    );
    r.discard("m1");
    assert_eq!(r.outbox().len(), 1);
}

#[test]
fn blank_text_is_ignored_and_too_long_text_fails_before_it_is_sent() {
    let mut r = greeted(AuthorKind::Contact);
    assert_eq!(r.send("m0".into(), " \n "), None);
    assert!(r.outbox().is_empty());
    let longest = "é".repeat(MAX_TEXT_CHARS);
    assert_eq!(r.send("m1".into(), &longest), Some(send("m1", &longest)));
    assert_eq!(r.send("m2".into(), &"é".repeat(MAX_TEXT_CHARS + 1)), None);
    assert_eq!(
        r.outbox()[1].delivery,
        Delivery::Failed {
            code: ErrorCode::TextTooLong,
            message: String::new()
        }
    );
    assert_eq!(r.unsent().count(), 1);
}

#[test]
fn held_messages_wait_a_doubling_pause_and_go_again_in_the_order_written() {
    let mut r = greeted(AuthorKind::Contact);
    for id in ["m1", "m2", "m3"] {
        r.send(id.into(), id);
    }
    let limited = |id| refused(ErrorCode::RateLimited, Some(id));
    assert_eq!(
        r.receive(limited("m3")).resend_after_ms,
        Some(FIRST_HOLD_MS)
    );
    assert_eq!(
        r.receive(limited("m1")).resend_after_ms,
        None,
        "one pause at a time"
    );
    assert_eq!(r.receive(limited("nope")).resend_after_ms, None);
    assert!(r.held());
    // Never failed, still to be sent.
    assert_eq!(r.unsent().count(), 3);
    assert_eq!(r.resend_held(), [send("m1", "m1"), send("m3", "m3")]);
    // Refused again: a longer pause, up to the cap.
    let mut pauses = Vec::new();
    for _ in 0..6 {
        pauses.push(r.receive(limited("m1")).resend_after_ms.unwrap());
        r.resend_held();
    }
    assert_eq!(
        pauses,
        [4_000, 8_000, 16_000, MAX_HOLD_MS, MAX_HOLD_MS, MAX_HOLD_MS]
    );
    // An ack starts over.
    r.receive(ack("m2", 1));
    assert_eq!(
        r.receive(limited("m1")).resend_after_ms,
        Some(FIRST_HOLD_MS)
    );
    r.receive(ack("m1", 2));
    assert!(r.held(), "m3 still waits");
    r.receive(ack("m3", 3));
    assert!(!r.held());
}

#[test]
fn held_messages_go_with_the_next_hello_and_not_while_offline() {
    let mut r = greeted(AuthorKind::Contact);
    r.send("m1".into(), "a");
    r.send("m2".into(), "b");
    r.receive(refused(ErrorCode::RateLimited, Some("m1")));
    r.disconnected();
    assert_eq!(r.resend_held(), []);
    assert_eq!(
        r.receive(hello(&visitor())).frames,
        [sync(0), send("m1", "a"), send("m2", "b")]
    );
}

#[test]
fn a_sync_refused_for_rate_is_asked_again_after_the_pause() {
    let mut r = greeted(AuthorKind::Contact);
    assert_eq!(
        r.receive(refused(ErrorCode::RateLimited, None))
            .resend_after_ms,
        Some(FIRST_HOLD_MS)
    );
    assert_eq!(r.resend_held(), [sync(0)]);
    // Refused again, but the page comes anyway (the refusal was about some other frame).
    r.receive(refused(ErrorCode::RateLimited, None));
    r.receive(page(&[1], 1, false));
    assert_eq!(r.resend_held(), []);
    // Nothing outstanding: a refusal about some other frame (a typing, a read) holds nothing.
    assert_eq!(
        r.receive(refused(ErrorCode::RateLimited, None)),
        Reply::default()
    );
    assert_eq!(r.resend_held(), []);
}

#[test]
fn a_client_without_a_resend_timer_fails_rate_limited_messages() {
    let mut r = Replica::new(AuthorKind::Agent, RateLimits::Fail);
    r.receive(hello(&agent()));
    r.send("m1".into(), "a");
    let reply = r.receive(refused(ErrorCode::RateLimited, Some("m1")));
    assert_eq!(reply.resend_after_ms, None);
    assert!(matches!(r.outbox()[0].delivery, Delivery::Failed { .. }));
    assert_eq!(
        r.receive(refused(ErrorCode::RateLimited, None)),
        Reply::default()
    );
}

#[test]
fn a_read_is_owed_once_per_new_seq_and_again_after_a_reconnect() {
    let mut r = Replica::new(AuthorKind::Agent, RateLimits::Fail);
    r.receive(page(&[1], 1, false));
    assert_eq!(r.read_due(), None, "offline");
    r.receive(hello(&agent()));
    assert_eq!(r.read_due(), Some(1));
    r.read_sent(1);
    assert_eq!(r.read_due(), None);
    r.receive(live(2));
    assert_eq!(r.read_due(), Some(2));
    r.read_sent(2);
    r.disconnected();
    r.receive(hello(&agent()));
    assert_eq!(r.read_due(), Some(2), "the last read may have been lost");
}

#[test]
fn restart_keeps_only_what_is_not_stored_yet() {
    let mut r = greeted(AuthorKind::Contact);
    r.receive(page(&[1, 2], 2, false));
    for id in ["m1", "m2", "m3"] {
        r.send(id.into(), id);
    }
    r.receive(ack("m1", 3));
    r.receive(refused(ErrorCode::Forbidden, Some("m2")));
    r.restart();
    assert!(!r.is_live() && !r.caught_up());
    assert_eq!(seqs(&r), [] as [Seq; 0]);
    let left: Vec<&str> = r.outbox().iter().map(|o| o.client_id.as_str()).collect();
    assert_eq!(left, ["m2", "m3"]);
    assert_eq!(
        r.receive(hello(&visitor())).frames,
        [sync(0), send("m3", "m3")]
    );
}

#[test]
fn duplicated_and_reordered_frames_on_the_way_down_still_converge() {
    // Each run delivers the frames in flight in another order, some twice.
    for seed in 0..40u64 {
        let mut server = Server::new();
        let mut link = Link::new(visitor());
        link.connect(&server);
        let mut written = 0;
        let mut rng = seed;
        let mut next = || {
            rng = rng
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            rng >> 33
        };
        for act in SCRIPT {
            play(&mut link, &mut server, &[*act], &mut written);
            if link.down.len() > 1 {
                let i = next() as usize % link.down.len();
                let frame = link.down.remove(i).unwrap();
                if next() % 3 == 0 {
                    link.down.push_back(frame.clone());
                }
                link.down.push_back(frame);
            }
        }
        link.settle(&mut server);
        // Whatever the order, a reconnect sets everything straight.
        link.cut();
        link.connect(&server);
        link.settle(&mut server);
        converged(&link, &server);
    }
}

#[test]
fn seen_is_my_last_message_the_other_side_read_and_never_goes_back() {
    let mut r = greeted(AuthorKind::Contact);
    let v = visitor();
    r.receive(ServerFrame::Synced {
        messages: vec![msg(1, &v, "v1"), msg(2, &agent(), "a2"), msg(3, &v, "v3")],
        last_seq: 3,
        more: false,
    });
    assert_eq!(r.seen_seq(), None);
    let read = |kind, seq| ServerFrame::Read {
        author_kind: kind,
        seq,
    };
    r.receive(read(AuthorKind::Agent, 2));
    assert_eq!(
        r.seen_seq(),
        Some(1),
        "the agent read up to 2: my message 1 is seen"
    );
    // My own side's reads say nothing about what agents saw.
    r.receive(read(AuthorKind::Contact, 3));
    assert_eq!(r.seen_seq(), Some(1));
    r.receive(read(AuthorKind::Agent, 3));
    assert_eq!(r.seen_seq(), Some(3));
    r.receive(read(AuthorKind::Agent, 1));
    assert_eq!(r.seen_seq(), Some(3), "an older read does not move it back");

    // After a reconnect the hello's marks say it at once.
    let mut r = Replica::new(AuthorKind::Agent, RateLimits::Fail);
    r.receive(ServerFrame::Hello {
        conversation_id: "c1".into(),
        you: agent(),
        last_seq: 2,
        status: ConversationStatus::Open,
        read: ReadMarks {
            agent: 0,
            contact: 2,
        },
    });
    r.receive(ServerFrame::Synced {
        messages: vec![msg(1, &v, "v1"), msg(2, &agent(), "a2")],
        last_seq: 2,
        more: false,
    });
    assert_eq!(r.seen_seq(), Some(2));
}
