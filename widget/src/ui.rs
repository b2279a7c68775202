//! The reactive state the view draws: one signal holding one plain struct.
//!
//! One signal rather than one per field on purpose: every signal type and every accessor
//! method instantiates its own copy of the reactive machinery in the wasm, and the widget has a
//! byte budget. Only `read`, `read_untracked` and `write` are used on it, for the same reason.

use charla_shared::protocol::Seq;
use leptos::prelude::RwSignal;

use crate::store::Thread;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// No conversation socket has been greeted yet.
    Connecting,
    Online,
    /// A socket was lost or refused; a retry is scheduled.
    Offline,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Connecting => "Connecting…",
            Status::Online => "Online",
            Status::Offline => "Offline — reconnecting",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Status::Connecting => "connecting",
            Status::Online => "online",
            Status::Offline => "offline",
        }
    }
}

pub struct State {
    pub thread: Thread,
    pub status: Status,
    pub open: bool,
    /// Tab visibility: reads are only reported, and the title only cleared, when the visitor
    /// can actually see the page.
    pub visible: bool,
    pub agent_typing: bool,
    /// Newest seq the visitor has had on screen; agent messages after it are unread.
    pub seen: Seq,
}

impl State {
    pub fn unread(&self) -> usize {
        self.thread.unread_after(self.seen)
    }
}

pub type Ui = RwSignal<State>;

pub fn new(visible: bool, seen: Seq) -> Ui {
    RwSignal::new(State {
        thread: Thread::default(),
        status: Status::Connecting,
        open: false,
        visible,
        agent_typing: false,
        seen,
    })
}
