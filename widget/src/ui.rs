//! The reactive state the view draws: one signal holding one plain struct.
//!
//! One signal rather than one per field on purpose: every signal type and every accessor
//! method instantiates its own copy of the reactive machinery in the wasm, and the widget has a
//! byte budget. Only `read`, `read_untracked` and `write` are used on it, for the same reason.

use charla_shared::basic::Seq;
use charla_shared::replica::Replica;
use charla_shared::widget_settings::PublicWidgetConfig;
use leptos::prelude::RwSignal;

use crate::i18n::{Lang, Text};
use crate::prechat::Problem;
use crate::thread;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// No conversation socket has been greeted yet.
    Connecting,
    Online,
    /// A socket was lost or refused; a retry is scheduled.
    Offline,
    /// The edge refused to start a session here (origin not allowed, unknown workspace): no
    /// retry until the visitor opens the chat again.
    Unavailable,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Connecting => "connecting",
            Status::Online => "online",
            Status::Offline => "offline",
            Status::Unavailable => "unavailable",
        }
    }
}

/// The pre-chat form's state; its questions are in the (fixed) config.
#[derive(Default)]
pub struct Prechat {
    /// Answered for the current session (stored), or not needed.
    pub answered: bool,
    /// Answers on their way to the edge.
    pub busy: bool,
    pub problems: Vec<(String, Problem)>,
    /// A refusal that names no field (shown under the form, as the edge wrote it), or a
    /// network failure (`Some("")`: the translated "try again").
    pub error: Option<String>,
}

impl Prechat {
    pub fn problem(&self, key: &str) -> Option<Problem> {
        self.problems
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, p)| *p)
    }
}

pub struct State {
    pub thread: Replica,
    pub status: Status,
    pub open: bool,
    /// Tab visibility: reads are only reported, and the title only cleared, when the visitor
    /// can actually see the page.
    pub visible: bool,
    pub agent_typing: bool,
    /// Newest seq the visitor has had on screen; agent messages after it are unread.
    pub seen: Seq,
    pub lang: Lang,
    /// `charla("hide")`: no launcher (the site opens the chat from its own button).
    pub launcher_hidden: bool,
    pub prechat: Prechat,
    /// The edge refused to create a session for rate (429); another try is scheduled.
    pub busy: bool,
}

impl State {
    pub fn unread(&self) -> usize {
        thread::unread_after(&self.thread, self.seen)
    }

    /// Show the pre-chat form: the workspace has one, this session has not answered it and
    /// its conversation has not started (a returning visitor's history says it has).
    pub fn needs_prechat(&self, config: &PublicWidgetConfig) -> bool {
        let form = &config.prechat;
        form.enabled
            && !form.fields.is_empty()
            && !self.prechat.answered
            && self.thread.is_empty()
            && self.status != Status::Unavailable
    }

    /// The polite notice above the composer: why nothing is happening yet ("" when nothing).
    /// Why Send waits for files is the files module's to add (`attachments`).
    pub fn notice(&self) -> &'static str {
        if self.busy {
            self.t().busy
        } else if self.thread.held() {
            self.t().slow
        } else {
            ""
        }
    }

    pub fn t(&self) -> &'static Text {
        self.lang.t()
    }
}

pub type Ui = RwSignal<State>;

pub fn new(visible: bool, seen: Seq, lang: Lang, prechat_answered: bool) -> Ui {
    RwSignal::new(State {
        thread: thread::new(),
        status: Status::Connecting,
        open: false,
        visible,
        agent_typing: false,
        seen,
        lang,
        launcher_hidden: false,
        prechat: Prechat {
            answered: prechat_answered,
            ..Prechat::default()
        },
        busy: false,
    })
}
