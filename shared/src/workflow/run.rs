//! A run in progress or finished, what it asks the DO to do, and what the DO tells it.
//!
//! Everything here is serde so the Conversation DO can persist a [`Run`] after every call and
//! pick it up again after an eviction or a restart: the run is the whole state, nothing is
//! kept in memory between calls.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::http::HttpRequest;
use super::model::{AnswerKind, StepId};
use super::trigger::{Cause, Event};
use crate::assignment::{AssignTo, Decision};
use crate::basic::Millis;
use crate::contact::ContactPatch;
use crate::lifecycle::ClosingNote;

/// What the DO must do, in order. Lifecycle effects are applied with
/// `Actor::Workflow { id: run.workflow_id }` and [`Source::Workflow`](crate::lifecycle::Source),
/// and the events they cause carry [`Run::cause`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Effect {
    /// Post a message as the workflow (variables already rendered; text already within the
    /// message limit).
    SendMessage {
        text: String,
    },
    /// Post the question; the widget shows `buttons` as quick replies and sends the pressed
    /// button's `value` back with the message. The run is now waiting for the answer.
    AskQuestion {
        step_id: StepId,
        prompt: String,
        kind: AnswerKind,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        buttons: Vec<ButtonView>,
    },
    /// Ask the Workspace DO to decide, then resume the run with [`Input::Assignment`]. The run
    /// is now waiting for it.
    Assign {
        request: AssignTo,
    },
    Unassign,
    Close {
        note: ClosingNote,
    },
    Reopen,
    /// Apply to the contact (the engine already checked it applies cleanly).
    UpdateContact {
        patch: ContactPatch,
    },
    /// A note only agents see.
    InternalComment {
        text: String,
    },
    PauseBot,
    ResumeBot,
    /// Send it, then resume with [`Input::HttpResponse`] or [`Input::HttpFailed`]. The run is
    /// now waiting for it.
    HttpRequest {
        request: HttpRequest,
    },
    /// Offer `event` to the workflow `workflow_id` (via
    /// [`Engine::start`](super::Engine::start)) on this conversation.
    TriggerWorkflow {
        workflow_id: String,
        event: Event,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ButtonView {
    pub label: String,
    pub value: String,
}

/// What a paused run waits for. Every wait has a deadline (but a question without a timeout),
/// so a lost response or alarm cannot leave a run hanging forever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Waiting {
    Timer {
        until: Millis,
    },
    Question {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deadline: Option<Millis>,
        /// Invalid answers so far.
        #[serde(default)]
        attempts: u32,
    },
    Http {
        deadline: Millis,
    },
    Assignment {
        deadline: Millis,
    },
}

impl Waiting {
    pub fn deadline(&self) -> Option<Millis> {
        match self {
            Waiting::Timer { until } => Some(*until),
            Waiting::Question { deadline, .. } => *deadline,
            Waiting::Http { deadline } | Waiting::Assignment { deadline } => Some(*deadline),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Waiting::Timer { .. } => "a timer",
            Waiting::Question { .. } => "an answer",
            Waiting::Http { .. } => "an HTTP response",
            Waiting::Assignment { .. } => "an assignment decision",
        }
    }
}

/// What the DO tells a paused run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Input {
    /// The alarm fired. Early, late and repeated wakeups are all safe.
    Wakeup,
    /// A contact message while the run waits for an answer. `button` is the value of the
    /// widget button pressed, if any.
    Answer {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        button: Option<String>,
    },
    Assignment {
        decision: Decision,
    },
    /// `body` at most [`super::http::MAX_RESPONSE_BYTES`].
    HttpResponse {
        status: u16,
        #[serde(default)]
        body: String,
    },
    /// No response: network error, refused, timed out.
    HttpFailed {
        error: String,
    },
    /// Stop the run (the workflow was deleted, an agent stopped it).
    Cancel {
        reason: String,
    },
}

impl Input {
    pub fn name(&self) -> &'static str {
        match self {
            Input::Wakeup => "a wakeup",
            Input::Answer { .. } => "an answer",
            Input::Assignment { .. } => "an assignment decision",
            Input::HttpResponse { .. } | Input::HttpFailed { .. } => "an HTTP response",
            Input::Cancel { .. } => "a cancel",
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Outcome {
    /// It reached an end (a step with no next, an `end` step, an unanswered question with no
    /// timeout path).
    Completed,
    /// It took more steps than the engine's limit: most likely a loop.
    StepLimit {
        limit: u32,
    },
    /// A step could not go on (a missing step, a refused request with no error path).
    Failed {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step_id: Option<StepId>,
        /// English, with any detail (an HTTP failure's reason): for logs and API users.
        reason: String,
        /// The same as a stable code, for clients to word in their own language (absent in
        /// runs logged before it existed).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        problem: Option<RunProblem>,
    },
    Cancelled {
        reason: String,
    },
}

/// One step taken, for the run log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakenStep {
    pub step_id: StepId,
    /// The step's type (`send_message`, …).
    pub action: String,
    pub at: Millis,
    /// What came of it when that is not obvious: the branch taken, the assignment decision,
    /// the HTTP status, "timed out". English, for logs and API users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The same as a stable code, for clients to word in their own language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<StepResult>,
}

/// What came of a step, as [`TakenStep::result`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepResult {
    /// A branch took its arm `arm` (from 1).
    Arm {
        arm: u32,
    },
    /// A branch took none of its arms.
    Otherwise,
    Answered,
    /// A question's time ran out.
    TimedOut,
    /// A question got no valid answer within its attempts.
    NoValidAnswer,
    /// An assignment got no decision in time.
    NoDecision,
    Assigned,
    Queued,
    NoneAvailable,
    Unassigned,
    /// An HTTP request answered `status`.
    Http {
        status: u16,
    },
    /// An HTTP request failed (its reason is in [`TakenStep::note`]).
    HttpFailed,
}

/// What went wrong in a run, as a stable code ([`RunError::problem`],
/// [`Outcome::Failed`]'s `problem`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RunProblem {
    /// The run took `limit` steps without waiting: most likely a loop.
    StepLimit { limit: u32 },
    /// An internal comment was empty once its variables were filled in.
    EmptyComment,
    /// A message was empty once its variables were filled in.
    EmptyMessage,
    /// "Wait for business hours" with hours that never open.
    HoursNeverOpen,
    /// The contact refused a value (an invalid email, …); the detail is in the English text.
    ContactValue,
    /// The workflow points at a step that does not exist.
    MissingStep,
    /// What the run waited for no longer matches its step (the workflow changed).
    NotWaiting,
    /// An HTTP request failed; the status or reason is in the English text.
    Http,
    /// The conversation could not apply what a step decided; the detail is in the English text.
    Effect,
}

/// Something that went wrong without necessarily ending the run (an invalid contact value,
/// an effect the DO could not apply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunError {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_id: Option<StepId>,
    pub at: Millis,
    /// English, with any detail: for logs and API users.
    pub message: String,
    /// The same as a stable code, for clients to word in their own language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<RunProblem>,
}

/// The record of one run, for the workflow's history and for debugging.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunLog {
    pub workflow_id: String,
    pub version: u32,
    pub conversation_id: String,
    /// The trigger event's type.
    pub trigger: String,
    pub started_at: Millis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<Millis>,
    pub steps_taken: u32,
    pub steps: Vec<TakenStep>,
    pub errors: Vec<RunError>,
    /// `None` while the run is going.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
}

/// Most errors kept in a run's log; a run that errs on every step still has a bounded log.
pub const MAX_LOGGED_ERRORS: usize = 50;

/// One run of one workflow version on one conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    pub workflow_id: String,
    pub version: u32,
    pub conversation_id: String,
    /// The event that started it: `event.*` variables read it for the whole run.
    pub event: Event,
    /// Workflow hops behind this run (0 when an outside event started it).
    #[serde(default)]
    pub depth: u32,
    /// The step running or waited on; `None` once finished.
    #[serde(default)]
    pub at: Option<StepId>,
    #[serde(default)]
    pub waiting: Option<Waiting>,
    /// Answers, mapped HTTP values and the engine's own (`assignment.*`, `http.*`).
    #[serde(default)]
    pub vars: BTreeMap<String, String>,
    pub started_at: Millis,
    pub updated_at: Millis,
    pub log: RunLog,
}

impl Run {
    pub fn is_finished(&self) -> bool {
        self.log.outcome.is_some()
    }

    pub fn outcome(&self) -> Option<&Outcome> {
        self.log.outcome.as_ref()
    }

    pub fn steps_taken(&self) -> u32 {
        self.log.steps_taken
    }

    /// When the DO must call [`Engine::resume`](super::Engine::resume) with
    /// [`Input::Wakeup`]: the pending wait's deadline. `None` when nothing is timed.
    pub fn next_wakeup(&self) -> Option<Millis> {
        if self.is_finished() {
            return None;
        }
        self.waiting.as_ref().and_then(Waiting::deadline)
    }

    /// Whether the next contact message is this run's answer (and not a new trigger).
    pub fn is_waiting_for_answer(&self) -> bool {
        matches!(self.waiting, Some(Waiting::Question { .. })) && !self.is_finished()
    }

    /// The cause to put on events this run's effects produce (a close, a tag added).
    pub fn cause(&self) -> Cause {
        Cause {
            workflow_id: self.workflow_id.clone(),
            depth: self.depth + 1,
        }
    }

    /// Record an effect the DO could not apply, so the log shows it.
    pub fn note_error(&mut self, message: impl Into<String>, now: Millis) {
        let step_id = self.at.clone();
        self.push_error(step_id, RunProblem::Effect, message.into(), now);
    }

    pub(crate) fn push_error(
        &mut self,
        step_id: Option<StepId>,
        problem: RunProblem,
        message: String,
        now: Millis,
    ) {
        if self.log.errors.len() < MAX_LOGGED_ERRORS {
            self.log.errors.push(RunError {
                step_id,
                at: now,
                message,
                problem: Some(problem),
            });
        }
    }
}

/// The earliest wakeup among a conversation's runs, for the DO's single alarm (together with
/// the lifecycle's auto-close deadline).
pub fn next_wakeup<'a>(runs: impl IntoIterator<Item = &'a Run>) -> Option<Millis> {
    runs.into_iter().filter_map(Run::next_wakeup).min()
}
