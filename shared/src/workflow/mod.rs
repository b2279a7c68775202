//! Workflows: a trigger, trigger conditions and a graph of steps, run by a pure engine.
//!
//! The engine takes (workflow, event or input, snapshot, now) and returns effects plus the
//! run's new state; the Conversation Durable Object executes the effects, persists the
//! [`Run`], and sets its alarm to [`Run::next_wakeup`]. Nothing here does I/O or reads a
//! clock, so a run replays identically in tests, in the DO and in the benchmark.
//! `docs/WORKFLOWS.md` is the contract for the DO and the editor.
//!
//! # Decisions
//!
//! - **Assignment suspends.** The Workspace DO is the single writer of the assignment state,
//!   so an Assign To step emits [`Effect::Assign`] and waits for [`Input::Assignment`] with the
//!   [`Decision`](crate::assignment::Decision); "nobody available" then takes the step's own
//!   path. Unassigning needs no decision and does not wait.
//! - **A run pins its version.** [`Engine::resume`] refuses a workflow whose id or version
//!   differs from the run's; the DO keeps the definition a run started with.
//! - **Loops end.** A run takes at most [`Engine::step_limit`] steps in total (the outcome is
//!   [`Outcome::StepLimit`], logged). Events caused by a run carry source `workflow` and a
//!   [`Cause`]: a workflow never reacts to its own effects, and chains of workflows stop after
//!   [`MAX_CHAIN_DEPTH`] hops.
//! - **Effects are not second-guessed.** The engine emits what the steps say, even when the
//!   snapshot suggests it changes nothing (closing a closed conversation); the DO treats the
//!   lifecycle's "already so" refusals as success, as [`crate::lifecycle`] allows. The one
//!   exception is a contact patch the contact refuses (an invalid email): it is logged and
//!   not emitted.
//! - **Ordered output.** Maps are `BTreeMap`s, so effects and persisted runs never depend on
//!   hash order.

mod condition;
mod engine;
mod error;
mod http;
mod model;
mod render;
mod run;
mod snapshot;
mod templates;
mod trigger;
mod validate;
mod vars;

pub use condition::{Condition, Op};
pub use engine::{Engine, Started, ASSIGNMENT_TIMEOUT, DEFAULT_STEP_LIMIT, HTTP_GRACE};
pub use error::WorkflowError;
pub use http::{check_url, HttpRequest, MAX_HTTP_TIMEOUT, MAX_RESPONSE_BYTES};
pub use model::{
    AnswerKind, Arm, AssignTarget, Button, HttpMethod, HttpStep, Question, References, ResponseMap,
    SaveTarget, Step, StepAction, StepId, Workflow, DEFAULT_HTTP_TIMEOUT,
};
pub use render::{check_agent_text, render_agent_text};
pub use run::{
    next_wakeup, ButtonView, Effect, Input, Outcome, Run, RunError, RunLog, RunProblem, StepResult,
    TakenStep, Waiting, MAX_LOGGED_ERRORS,
};
pub use snapshot::{AgentFacts, ConversationFacts, Snapshot};
pub use templates::Template;
pub use trigger::{Cause, Event, Trigger, WorkflowEvent, MAX_CHAIN_DEPTH};
pub use validate::{
    Part, ProblemKind, ValidationError, MAX_ATTEMPTS, MAX_BUTTONS, MAX_BUTTON_CHARS,
    MAX_NAME_CHARS, MAX_STEPS, MAX_STEP_ID_LEN, MAX_WAIT,
};

#[cfg(test)]
mod tests;
