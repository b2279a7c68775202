//! The engine: (workflow, event or input, snapshot, now) in; effects and the run's next state
//! out.
//!
//! A run goes step by step until it has to wait (a timer, an answer, an assignment decision,
//! an HTTP response) or ends. Waiting is just data in the [`Run`]: the DO persists it, sets its
//! alarm to [`Run::next_wakeup`], and calls [`Engine::resume`] when the alarm fires or the
//! awaited input arrives. Nothing is kept between calls, so the same calls on the same values
//! give the same effects on every target, every time.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::error::WorkflowError;
use super::http::{self, HttpRequest, MAX_HTTP_TIMEOUT, MAX_RESPONSE_BYTES};
use super::model::{
    assign_request, AnswerKind, AssignTarget, HttpStep, Question, SaveTarget, Step, StepAction,
    StepId, Workflow,
};
use super::render::{self, Escape};
use super::run::{
    ButtonView, Effect, Input, Outcome, Run, RunLog, RunProblem, StepResult, TakenStep, Waiting,
};
use super::snapshot::{ConversationFacts, Snapshot};
use super::trigger::{self, Event, WorkflowEvent, MAX_CHAIN_DEPTH};
use super::vars::{self, Scope};
use crate::assignment::{Decision, Unavailable};
use crate::basic::{ConversationStatus, Millis};
use crate::contact::Contact;
use crate::contact::{self, ContactPatch, MAX_VALUE_CHARS};
use crate::lifecycle::Source;
use crate::limits::MAX_TEXT_CHARS;

/// Steps one run may take in total: generous for any real conversation flow, small enough
/// that a loop without a wait ends within one call.
pub const DEFAULT_STEP_LIMIT: u32 = 100;
/// How long a run waits for the Workspace DO's decision before taking the unavailable path.
pub const ASSIGNMENT_TIMEOUT: Millis = 60_000;
/// Added to a request's timeout before the run stops waiting for the DO to report back.
pub const HTTP_GRACE: Millis = 5_000;

/// The engine's settings. The DO keeps one (production: [`Engine::default`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Engine {
    pub step_limit: u32,
    pub max_chain_depth: u32,
    /// Local development only: let HTTP steps call `http://` and private addresses.
    pub allow_private_http: bool,
}

impl Default for Engine {
    fn default() -> Self {
        Engine {
            step_limit: DEFAULT_STEP_LIMIT,
            max_chain_depth: MAX_CHAIN_DEPTH,
            allow_private_http: false,
        }
    }
}

/// A new run and what it asks for first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Started {
    pub run: Run,
    pub effects: Vec<Effect>,
}

/// Where the run goes after a step.
enum Flow {
    Next(Option<StepId>),
    Wait(Waiting),
    Finish(Outcome),
}

impl Engine {
    /// Local development: private HTTP targets allowed, otherwise the defaults.
    pub fn local_dev() -> Self {
        Engine {
            allow_private_http: true,
            ..Engine::default()
        }
    }

    /// Whether `event` starts a run of `workflow`: enabled, the right trigger, the loop rules
    /// (a workflow never reacts to its own effects; chains stop after `max_chain_depth`), and
    /// every trigger condition.
    pub fn triggers(
        &self,
        workflow: &Workflow,
        event: &Event,
        snapshot: &Snapshot,
        now: Millis,
    ) -> bool {
        if !workflow.enabled
            || !workflow.trigger.accepts(&workflow.id, &event.kind)
            || !trigger::allowed_by_loop_rules(&workflow.id, event, self.max_chain_depth)
        {
            return false;
        }
        let vars = BTreeMap::new();
        let scope = Scope::of(snapshot, event, &vars, now);
        workflow.conditions.iter().all(|c| c.eval(&scope))
    }

    /// Start a run if `event` triggers `workflow` (see [`Engine::triggers`]), and run it until
    /// it waits or ends. The DO persists the run unless it is already finished (then it only
    /// writes its log), executes the effects in order, and sets its alarm.
    pub fn start(
        &self,
        workflow: &Workflow,
        event: &Event,
        snapshot: &Snapshot,
        now: Millis,
    ) -> Option<Started> {
        if !self.triggers(workflow, event, snapshot, now) {
            return None;
        }
        let mut run = Run {
            workflow_id: workflow.id.clone(),
            version: workflow.version,
            conversation_id: snapshot.conversation.id.clone(),
            event: event.clone(),
            depth: event.cause.as_ref().map_or(0, |c| c.depth),
            at: Some(workflow.start.clone()),
            waiting: None,
            vars: BTreeMap::new(),
            started_at: now,
            updated_at: now,
            log: RunLog {
                workflow_id: workflow.id.clone(),
                version: workflow.version,
                conversation_id: snapshot.conversation.id.clone(),
                trigger: event.kind.name().to_owned(),
                started_at: now,
                finished_at: None,
                steps_taken: 0,
                steps: Vec::new(),
                errors: Vec::new(),
                outcome: None,
            },
        };
        let mut exec = Exec::new(self, workflow, snapshot, now);
        exec.drive(&mut run);
        Some(Started {
            run,
            effects: exec.effects,
        })
    }

    /// Every workflow `event` starts, in the order given.
    pub fn start_all(
        &self,
        workflows: &[Workflow],
        event: &Event,
        snapshot: &Snapshot,
        now: Millis,
    ) -> Vec<Started> {
        workflows
            .iter()
            .filter_map(|w| self.start(w, event, snapshot, now))
            .collect()
    }

    /// Continue a waiting run with what it waited for. `workflow` must be the version the run
    /// started with. A wakeup before the run's deadline, for a run without one, or for a
    /// finished run changes nothing and returns no effects (alarms are at least once). Any
    /// other input the run is not waiting for is refused and the run is left as it was.
    pub fn resume(
        &self,
        workflow: &Workflow,
        run: &mut Run,
        input: Input,
        snapshot: &Snapshot,
        now: Millis,
    ) -> Result<Vec<Effect>, WorkflowError> {
        if workflow.id != run.workflow_id || workflow.version != run.version {
            return Err(WorkflowError::WrongWorkflow {
                run_workflow: run.workflow_id.clone(),
                run_version: run.version,
                workflow: workflow.id.clone(),
                version: workflow.version,
            });
        }
        let waiting = match (&run.waiting, run.is_finished(), &input) {
            (_, _, Input::Wakeup) if run.next_wakeup().is_none_or(|at| now < at) => {
                return Ok(Vec::new())
            }
            (_, true, _) => return Err(WorkflowError::Finished),
            (_, false, Input::Cancel { reason }) => {
                let mut exec = Exec::new(self, workflow, snapshot, now);
                exec.finish(
                    run,
                    Outcome::Cancelled {
                        reason: reason.clone(),
                    },
                );
                return Ok(Vec::new());
            }
            (Some(waiting), false, _) => waiting.clone(),
            (None, false, _) => {
                return Err(WorkflowError::UnexpectedInput {
                    waiting: "nothing",
                    input: input.name(),
                })
            }
        };
        let step_id = run.at.clone().unwrap_or_default();
        let Some(step) = workflow.step(&step_id) else {
            let mut exec = Exec::new(self, workflow, snapshot, now);
            exec.finish(run, missing(&step_id));
            return Ok(exec.effects);
        };
        let mut exec = Exec::new(self, workflow, snapshot, now);
        let flow = match (waiting, input) {
            (waiting, Input::Wakeup) => exec.expire(run, step, &waiting),
            (Waiting::Question { deadline, attempts }, Input::Answer { text, button }) => {
                exec.answer(run, step, deadline, attempts, &text, button.as_deref())
            }
            (Waiting::Assignment { .. }, Input::Assignment { decision }) => {
                exec.assigned(run, step, decision)
            }
            (Waiting::Http { .. }, Input::HttpResponse { status, body }) => {
                exec.http_done(run, step, Ok((status, &body)))
            }
            (Waiting::Http { .. }, Input::HttpFailed { error }) => {
                exec.http_done(run, step, Err(error))
            }
            (waiting, input) => {
                return Err(WorkflowError::UnexpectedInput {
                    waiting: waiting.name(),
                    input: input.name(),
                })
            }
        };
        run.waiting = None;
        exec.follow(run, flow);
        exec.drive(run);
        Ok(exec.effects)
    }
}

fn missing(step_id: &str) -> Outcome {
    Outcome::Failed {
        step_id: Some(step_id.to_owned()),
        reason: format!("there is no step {step_id:?}"),
        problem: Some(RunProblem::MissingStep),
    }
}

/// One call's work: the workflow, the snapshot, private copy-on-write versions of the
/// conversation and the contact that the run's own effects update, and the effects so far.
struct Exec<'a> {
    engine: &'a Engine,
    workflow: &'a Workflow,
    snapshot: &'a Snapshot,
    conversation: Cow<'a, ConversationFacts>,
    contact: Cow<'a, Contact>,
    now: Millis,
    effects: Vec<Effect>,
}

impl<'a> Exec<'a> {
    fn new(
        engine: &'a Engine,
        workflow: &'a Workflow,
        snapshot: &'a Snapshot,
        now: Millis,
    ) -> Self {
        Exec {
            engine,
            workflow,
            snapshot,
            conversation: Cow::Borrowed(&snapshot.conversation),
            contact: Cow::Borrowed(&snapshot.contact),
            now,
            effects: Vec::new(),
        }
    }

    fn scope<'s>(&'s self, run: &'s Run) -> Scope<'s> {
        Scope {
            snapshot: self.snapshot,
            conversation: &self.conversation,
            contact: &self.contact,
            event: Some(&run.event),
            vars: &run.vars,
            now: self.now,
        }
    }

    fn render(&self, run: &Run, template: &str, escape: Escape) -> String {
        render::render(template, &self.scope(run), escape)
    }

    /// Tags may hold variables (`plan-{{contact.plan}}`); one that renders empty (the variable
    /// is unset) is dropped rather than tagging the contact with "".
    fn render_tags(&self, run: &Run, tags: &[String]) -> Vec<String> {
        tags.iter()
            .map(|t| self.render(run, t, Escape::Plain).trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect()
    }

    fn drive(&mut self, run: &mut Run) {
        while !run.is_finished() && run.waiting.is_none() {
            let Some(step_id) = run.at.clone() else {
                self.finish(run, Outcome::Completed);
                break;
            };
            let Some(step) = self.workflow.step(&step_id) else {
                self.finish(run, missing(&step_id));
                break;
            };
            if run.log.steps_taken >= self.engine.step_limit {
                let limit = self.engine.step_limit;
                run.push_error(
                    Some(step_id),
                    RunProblem::StepLimit { limit },
                    format!("stopped after {limit} steps; is there a loop without a wait?"),
                    self.now,
                );
                self.finish(run, Outcome::StepLimit { limit });
                break;
            }
            run.log.steps_taken += 1;
            run.log.steps.push(TakenStep {
                step_id: step_id.clone(),
                action: step.action.name().to_owned(),
                at: self.now,
                note: None,
                result: None,
            });
            let flow = self.exec(run, step);
            self.follow(run, flow);
        }
        run.updated_at = self.now;
    }

    fn follow(&mut self, run: &mut Run, flow: Flow) {
        match flow {
            Flow::Next(next) => run.at = next,
            Flow::Wait(waiting) => run.waiting = Some(waiting),
            Flow::Finish(outcome) => self.finish(run, outcome),
        }
    }

    fn finish(&mut self, run: &mut Run, outcome: Outcome) {
        if let Outcome::Failed {
            step_id,
            reason,
            problem,
        } = &outcome
        {
            let problem = problem.clone().unwrap_or(RunProblem::Effect);
            run.push_error(step_id.clone(), problem, reason.clone(), self.now);
        }
        run.log.outcome = Some(outcome);
        run.log.finished_at = Some(self.now);
        run.updated_at = self.now;
        run.at = None;
        run.waiting = None;
    }

    /// Say what came of the step being run or resumed, in its log line: as a code, and in
    /// English (the reason of a failed HTTP request included).
    fn note(&self, run: &mut Run, result: StepResult, note: impl Into<String>) {
        let current = run.at.as_deref();
        if let Some(last) = run.log.steps.last_mut() {
            if Some(last.step_id.as_str()) == current {
                last.note = Some(note.into());
                last.result = Some(result);
            }
        }
    }

    fn exec(&mut self, run: &mut Run, step: &'a Step) -> Flow {
        let next = || Flow::Next(step.next.clone());
        match &step.action {
            StepAction::SendMessage { text } => {
                self.send(run, &step.id, text);
                next()
            }
            StepAction::AskQuestion(question) => {
                self.ask(run, step, question);
                Flow::Wait(Waiting::Question {
                    deadline: question.timeout_ms.map(|t| self.now.saturating_add(t)),
                    attempts: 0,
                })
            }
            StepAction::Assign {
                to,
                method,
                online_only,
                max_open,
                queue,
                ..
            } => {
                if *to == AssignTarget::Unassign {
                    self.effects.push(Effect::Unassign);
                    self.conversation.to_mut().assignee = None;
                    return next();
                }
                let owner = match to {
                    AssignTarget::Dedicated { owner_field, .. } => self
                        .contact
                        .field(owner_field)
                        .map(str::trim)
                        .filter(|o| !o.is_empty())
                        .map(str::to_owned),
                    _ => None,
                };
                let request = assign_request(to, *method, *online_only, *max_open, *queue, owner);
                self.effects.push(Effect::Assign { request });
                Flow::Wait(Waiting::Assignment {
                    deadline: self.now.saturating_add(ASSIGNMENT_TIMEOUT),
                })
            }
            StepAction::Branch { arms } => {
                let chosen = {
                    let scope = self.scope(run);
                    arms.iter().position(|arm| arm.condition.eval(&scope))
                };
                match chosen {
                    Some(i) => {
                        self.note(
                            run,
                            StepResult::Arm { arm: i as u32 + 1 },
                            format!("arm {}", i + 1),
                        );
                        Flow::Next(arms[i].next.clone())
                    }
                    None => {
                        self.note(run, StepResult::Otherwise, "otherwise");
                        next()
                    }
                }
            }
            StepAction::AddTag { tags } => {
                let patch = ContactPatch {
                    add_tags: self.render_tags(run, tags),
                    ..ContactPatch::default()
                };
                self.patch_contact(run, &step.id, patch);
                next()
            }
            StepAction::RemoveTag { tags } => {
                let patch = ContactPatch {
                    remove_tags: self.render_tags(run, tags),
                    ..ContactPatch::default()
                };
                self.patch_contact(run, &step.id, patch);
                next()
            }
            StepAction::UpdateField { field, value } => {
                let value = self.render(run, value, Escape::Plain);
                self.patch_contact(run, &step.id, field_patch(field, value.trim()));
                next()
            }
            StepAction::OpenConversation => {
                self.effects.push(Effect::Reopen);
                let c = self.conversation.to_mut();
                if !c.is_open() {
                    c.status = ConversationStatus::Open;
                    c.period += 1;
                    c.assignee = None;
                    c.team = None;
                    c.bot_paused = false;
                }
                next()
            }
            StepAction::CloseConversation { note } => {
                let mut note = note.clone();
                note.summary = note
                    .summary
                    .map(|s| self.render(run, &s, Escape::Plain).trim().to_owned())
                    .filter(|s| !s.is_empty());
                self.effects.push(Effect::Close { note });
                self.conversation.to_mut().status = ConversationStatus::Closed;
                next()
            }
            StepAction::InternalComment { text } => {
                let text = self.render(run, text, Escape::Plain);
                let text = clip(text.trim(), MAX_TEXT_CHARS);
                if text.is_empty() {
                    run.push_error(
                        Some(step.id.clone()),
                        RunProblem::EmptyComment,
                        "the comment is empty".into(),
                        self.now,
                    );
                } else {
                    self.effects.push(Effect::InternalComment { text });
                }
                next()
            }
            StepAction::PauseBot => {
                self.effects.push(Effect::PauseBot);
                self.conversation.to_mut().bot_paused = true;
                next()
            }
            StepAction::ResumeBot => {
                self.effects.push(Effect::ResumeBot);
                self.conversation.to_mut().bot_paused = false;
                next()
            }
            StepAction::Wait { duration_ms } => {
                if *duration_ms <= 0 {
                    return next();
                }
                Flow::Wait(Waiting::Timer {
                    until: self.now.saturating_add(*duration_ms),
                })
            }
            StepAction::WaitForBusinessHours => {
                let Some(hours) = &self.snapshot.business_hours else {
                    return next();
                };
                match hours.next_open(self.now) {
                    Some(at) if at > self.now => Flow::Wait(Waiting::Timer { until: at }),
                    Some(_) => next(),
                    None => {
                        run.push_error(
                            Some(step.id.clone()),
                            RunProblem::HoursNeverOpen,
                            "the business hours never open; not waiting".into(),
                            self.now,
                        );
                        next()
                    }
                }
            }
            StepAction::HttpRequest(h) => self.request(run, step, h),
            StepAction::Jump { target } => Flow::Next(Some(target.clone())),
            StepAction::TriggerWorkflow { workflow_id } => {
                let event = Event {
                    kind: WorkflowEvent::Triggered {
                        workflow_id: workflow_id.clone(),
                    },
                    source: Source::Workflow,
                    cause: Some(run.cause()),
                };
                self.effects.push(Effect::TriggerWorkflow {
                    workflow_id: workflow_id.clone(),
                    event,
                });
                next()
            }
            StepAction::End => Flow::Finish(Outcome::Completed),
        }
    }

    fn send(&mut self, run: &mut Run, step_id: &str, template: &str) {
        let text = self.render(run, template, Escape::Plain);
        let text = clip(text.trim(), MAX_TEXT_CHARS);
        if text.is_empty() {
            run.push_error(
                Some(step_id.to_owned()),
                RunProblem::EmptyMessage,
                "the message is empty once its variables are filled in".into(),
                self.now,
            );
        } else {
            self.effects.push(Effect::SendMessage { text });
        }
    }

    fn ask(&mut self, run: &Run, step: &Step, question: &Question) {
        let prompt = self.render(run, &question.prompt, Escape::Plain);
        let buttons = question
            .buttons
            .iter()
            .map(|b| ButtonView {
                label: b.label.clone(),
                value: b.value().to_owned(),
            })
            .collect();
        self.effects.push(Effect::AskQuestion {
            step_id: step.id.clone(),
            prompt: clip(prompt.trim(), MAX_TEXT_CHARS),
            kind: question.kind,
            buttons,
        });
    }

    /// Apply the patch to the private snapshot first: a patch the contact refuses (an invalid
    /// email) is logged and dropped rather than sent to fail in the DO.
    fn patch_contact(&mut self, run: &mut Run, step_id: &str, patch: ContactPatch) {
        let contact = self.contact.to_mut();
        match contact.apply(&patch, self.now) {
            Ok(_) => self.effects.push(Effect::UpdateContact { patch }),
            Err(err) => run.push_error(
                Some(step_id.to_owned()),
                RunProblem::ContactValue,
                err.to_string(),
                self.now,
            ),
        }
    }

    fn expire(&mut self, run: &mut Run, step: &'a Step, waiting: &Waiting) -> Flow {
        match waiting {
            Waiting::Timer { .. } => Flow::Next(step.next.clone()),
            Waiting::Question { .. } => {
                self.note(run, StepResult::TimedOut, "timed out");
                match &step.action {
                    StepAction::AskQuestion(Question {
                        on_timeout: Some(target),
                        ..
                    }) => Flow::Next(Some(target.clone())),
                    _ => Flow::Finish(Outcome::Completed),
                }
            }
            Waiting::Http { .. } => self.http_done(run, step, Err("timed out".into())),
            Waiting::Assignment { .. } => {
                run.vars.retain(|k, _| !k.starts_with("assignment."));
                run.vars
                    .insert("assignment.result".into(), "none_available".into());
                run.vars
                    .insert("assignment.reason".into(), "timeout".into());
                self.note(run, StepResult::NoDecision, "no decision in time");
                Flow::Next(unavailable_path(step))
            }
        }
    }

    fn answer(
        &mut self,
        run: &mut Run,
        step: &'a Step,
        deadline: Option<Millis>,
        attempts: u32,
        text: &str,
        button: Option<&str>,
    ) -> Flow {
        let StepAction::AskQuestion(question) = &step.action else {
            return Flow::Finish(Outcome::Failed {
                step_id: Some(step.id.clone()),
                reason: "the step waited on is not a question".into(),
                problem: Some(RunProblem::NotWaiting),
            });
        };
        if let Some((value, chosen)) = accept(question, text, button) {
            if let Some(name) = &question.save_as {
                run.vars.insert(name.clone(), value.clone());
            }
            if let Some(field) = &question.save_to_field {
                self.patch_contact(run, &step.id, field_patch(field, &value));
            }
            self.note(run, StepResult::Answered, "answered");
            return Flow::Next(chosen.or_else(|| step.next.clone()));
        }
        let attempts = attempts + 1;
        if attempts < question.max_attempts {
            let retry = question
                .invalid_message
                .as_deref()
                .unwrap_or(invalid_message(question.kind));
            self.send(run, &step.id, retry);
            self.ask(run, step, question);
            return Flow::Wait(Waiting::Question { deadline, attempts });
        }
        self.note(run, StepResult::NoValidAnswer, "no valid answer");
        match &question.on_invalid {
            Some(target) => Flow::Next(Some(target.clone())),
            None => Flow::Finish(Outcome::Completed),
        }
    }

    fn assigned(&mut self, run: &mut Run, step: &'a Step, decision: Decision) -> Flow {
        run.vars.retain(|k, _| !k.starts_with("assignment."));
        let mut set = |k: &str, v: String| {
            run.vars.insert(format!("assignment.{k}"), v);
        };
        // The result is said three ways: the `assignment.result` variable, the log's code and
        // its English note (the variable's value, or "unassigned", which sets no variable).
        let (flow, result, said) = match decision {
            Decision::Assign { agent_id, team_id } => {
                set("result", "assigned".into());
                set("agent_id", agent_id.clone());
                let c = self.conversation.to_mut();
                c.assignee = Some(agent_id);
                if team_id.is_some() {
                    c.team = team_id;
                }
                (
                    Flow::Next(step.next.clone()),
                    StepResult::Assigned,
                    "assigned",
                )
            }
            Decision::Unassign => {
                self.conversation.to_mut().assignee = None;
                (
                    Flow::Next(step.next.clone()),
                    StepResult::Unassigned,
                    "unassigned",
                )
            }
            Decision::Queued { position, .. } => {
                set("result", "queued".into());
                set("position", position.to_string());
                (Flow::Next(step.next.clone()), StepResult::Queued, "queued")
            }
            Decision::NoneAvailable { reason } => {
                set("result", "none_available".into());
                set("reason", unavailable_name(reason).into());
                (
                    Flow::Next(unavailable_path(step)),
                    StepResult::NoneAvailable,
                    "none_available",
                )
            }
        };
        self.note(run, result, said);
        flow
    }

    fn request(&mut self, run: &mut Run, step: &'a Step, h: &HttpStep) -> Flow {
        let url = self.render(run, &h.url, Escape::Url);
        if let Err(err) = http::check_url(&url, self.engine.allow_private_http) {
            return self.http_done(run, step, Err(err.to_string()));
        }
        let headers: BTreeMap<String, String> = h
            .headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), self.render(run, v, Escape::Header)))
            .collect();
        let mut headers = headers;
        let body = h.body.as_ref().map(|body| {
            let content_type = headers.get("content-type").map(String::as_str);
            let escape = match content_type {
                None => Escape::Json,
                Some(t) if t.contains("json") => Escape::Json,
                Some(t) if t.contains("x-www-form-urlencoded") => Escape::Url,
                Some(_) => Escape::Plain,
            };
            self.render(run, body, escape)
        });
        if body.is_some() {
            headers
                .entry("content-type".into())
                .or_insert_with(|| "application/json".into());
        }
        let timeout_ms = h.timeout_ms.clamp(1, MAX_HTTP_TIMEOUT);
        self.effects.push(Effect::HttpRequest {
            request: HttpRequest {
                method: h.method,
                url,
                headers,
                body,
                timeout_ms,
            },
        });
        Flow::Wait(Waiting::Http {
            deadline: self.now.saturating_add(timeout_ms + HTTP_GRACE),
        })
    }

    /// The response (status, body) or why there is none.
    fn http_done(
        &mut self,
        run: &mut Run,
        step: &'a Step,
        result: Result<(u16, &str), String>,
    ) -> Flow {
        let StepAction::HttpRequest(h) = &step.action else {
            return Flow::Finish(Outcome::Failed {
                step_id: Some(step.id.clone()),
                reason: "the step waited on is not an HTTP request".into(),
                problem: Some(RunProblem::NotWaiting),
            });
        };
        run.vars.remove("http.status");
        run.vars.remove("http.error");
        let failure = match result {
            Ok((status, body)) => {
                run.vars.insert("http.status".into(), status.to_string());
                if (200..300).contains(&status) {
                    match self.map_response(run, step, h, body) {
                        Ok(()) => {
                            self.note(run, StepResult::Http { status }, format!("HTTP {status}"));
                            return Flow::Next(step.next.clone());
                        }
                        Err(why) => why,
                    }
                } else {
                    format!("HTTP {status}")
                }
            }
            Err(error) => error,
        };
        run.vars.insert("http.error".into(), failure.clone());
        self.note(run, StepResult::HttpFailed, failure.clone());
        match &h.on_error {
            Some(target) => {
                run.push_error(Some(step.id.clone()), RunProblem::Http, failure, self.now);
                Flow::Next(Some(target.clone()))
            }
            None => Flow::Finish(Outcome::Failed {
                step_id: Some(step.id.clone()),
                reason: failure,
                problem: Some(RunProblem::Http),
            }),
        }
    }

    fn map_response(
        &mut self,
        run: &mut Run,
        step: &Step,
        h: &HttpStep,
        body: &str,
    ) -> Result<(), String> {
        if h.map.is_empty() {
            return Ok(());
        }
        if body.len() > MAX_RESPONSE_BYTES {
            return Err(format!("the response is over {MAX_RESPONSE_BYTES} bytes"));
        }
        let json: serde_json::Value =
            serde_json::from_str(body).map_err(|e| format!("the response is not JSON: {e}"))?;
        let mut patch = ContactPatch::default();
        for m in &h.map {
            let value = vars::json_at(&json, &m.path).and_then(vars::json_text);
            match (&m.to, value) {
                (SaveTarget::Variable { name }, Some(v)) => {
                    run.vars.insert(name.clone(), v);
                }
                (SaveTarget::Variable { name }, None) => {
                    run.vars.remove(name);
                }
                (SaveTarget::ContactField { field }, Some(v)) => {
                    merge(&mut patch, field_patch(field, &clip(&v, MAX_VALUE_CHARS)));
                }
                (SaveTarget::ContactField { .. }, None) => {}
            }
        }
        if patch != ContactPatch::default() {
            self.patch_contact(run, &step.id, patch);
        }
        Ok(())
    }
}

fn unavailable_path(step: &Step) -> Option<StepId> {
    match &step.action {
        StepAction::Assign {
            on_unavailable: Some(target),
            ..
        } => Some(target.clone()),
        _ => step.next.clone(),
    }
}

fn unavailable_name(reason: Unavailable) -> &'static str {
    match reason {
        Unavailable::NoAgents => "no_agents",
        Unavailable::Offline => "offline",
        Unavailable::AtCapacity => "at_capacity",
    }
}

fn invalid_message(kind: AnswerKind) -> &'static str {
    match kind {
        AnswerKind::Text => "Please type your answer.",
        AnswerKind::Buttons => "Please choose one of the options.",
        AnswerKind::Email => "That doesn't look like an email address. Please try again.",
        AnswerKind::Phone => {
            "Please send your phone number in international format, e.g. +34600111222."
        }
    }
}

/// The answer as it is saved, and the button's own path, or `None` when it does not fit.
fn accept(
    question: &Question,
    text: &str,
    button: Option<&str>,
) -> Option<(String, Option<StepId>)> {
    let text = text.trim();
    match question.kind {
        AnswerKind::Text => (!text.is_empty()).then(|| (clip(text, MAX_VALUE_CHARS), None)),
        AnswerKind::Email => contact::is_email(text).then(|| (text.to_owned(), None)),
        AnswerKind::Phone => contact::clean_phone(text).ok().flatten().map(|p| (p, None)),
        AnswerKind::Buttons => {
            let folded = text.to_lowercase();
            let chosen = button
                .and_then(|value| question.buttons.iter().find(|b| b.value() == value))
                .or_else(|| {
                    question.buttons.iter().find(|b| {
                        b.label.trim().to_lowercase() == folded
                            || b.value().trim().to_lowercase() == folded
                    })
                })?;
            Some((chosen.value().to_owned(), chosen.next.clone()))
        }
    }
}

/// A patch writing `value` to a standard or custom field; an empty value clears it.
fn field_patch(field: &str, value: &str) -> ContactPatch {
    let mut patch = ContactPatch::default();
    let value = value.to_owned();
    match field {
        "name" => patch.name = Some(value),
        "email" => patch.email = Some(value),
        "phone" => patch.phone = Some(value),
        custom => {
            patch
                .fields
                .insert(custom.to_owned(), (!value.is_empty()).then_some(value));
        }
    }
    patch
}

fn merge(into: &mut ContactPatch, from: ContactPatch) {
    into.name = from.name.or(into.name.take());
    into.email = from.email.or(into.email.take());
    into.phone = from.phone.or(into.phone.take());
    into.fields.extend(from.fields);
}

fn clip(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => text[..end].to_owned(),
        None => text.to_owned(),
    }
}
