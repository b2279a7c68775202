//! Workflows in the Conversation DO: the shell around `charla_shared::workflow`'s engine
//! (`docs/WORKFLOWS.md` is the contract). Events that happened here (opened, closed, a
//! contact message, contact changes a run made) are offered to the workspace's enabled
//! workflows; runs' effects are executed as the workflow (source `workflow`); waiting runs are
//! kept between calls (`runs.rs`) and woken by the DO's one alarm.

use std::collections::VecDeque;

use charla_shared::assignment::{Decision, Unavailable};
use charla_shared::basic::Millis;
use charla_shared::ids::{is_valid, IdKind};
use charla_shared::lifecycle::{
    Action, ActivityEvent, ActivityKind, Actor, LifecycleError, Source,
};
use charla_shared::protocol::{QuickReply, ServerFrame};
use charla_shared::schedule::TimeZone;
use charla_shared::workflow::{
    ConversationFacts, Effect as WfEffect, Engine, Event, Input, Run, Snapshot, Trigger, Workflow,
    WorkflowEvent,
};

use super::http_step::http;
use super::publisher::Generation;
use super::runs::Driving;
use super::store::Conversation;
use crate::error::Result;
use crate::ids::{new_id, now_millis};
use crate::internal::conversation::RunRequest;
use crate::internal::workspace::{
    self, AutomationContext, DecideRequest, PatchedContact, WorkspaceCall,
};
use crate::switches;

/// Most engine calls one change may cause (runs started plus resumes): a backstop on top of
/// the engine's own step and chain limits.
const MAX_CALLS_PER_CHANGE: usize = 50;

/// What one change gives the workflows to react to.
#[derive(Default)]
pub(super) struct Happened {
    pub activity: Vec<ActivityEvent>,
    /// A contact message: its text, whether it is the first of the period, its files' types.
    pub message: Option<(String, bool, Vec<String>)>,
    /// Events from outside the conversation (a manual run, a webhook call).
    pub external: Vec<Event>,
    /// The change queued for the Workspace: its publication's answer says whether any enabled
    /// workflow listens for contact messages (see `automate_inner`).
    pub published: Option<Generation>,
}

impl Happened {
    pub fn is_empty(&self) -> bool {
        self.activity.is_empty() && self.message.is_none() && self.external.is_empty()
    }
}

impl Conversation {
    fn engine(&self) -> Engine {
        if switches::on(&self.env, "CHARLA_ALLOW_PRIVATE_HTTP") {
            Engine::local_dev()
        } else {
            Engine::default()
        }
    }

    fn snapshot(&self, ctx: &AutomationContext) -> Option<Snapshot> {
        let guard = self.conv.borrow();
        let state = guard.as_ref()?;
        Some(Snapshot {
            conversation: ConversationFacts::from_lifecycle(&state.id, &state.lifecycle),
            contact: ctx.contact.clone(),
            agents: ctx.agents.clone(),
            business_hours: ctx.business_hours.clone(),
            time_zone: TimeZone::parse(&ctx.time_zone).unwrap_or(TimeZone::UTC),
        })
    }

    async fn context(&self, workspace_id: &str) -> Result<AutomationContext> {
        let contact_id = self
            .conv
            .borrow()
            .as_ref()
            .map(|s| s.contact.id.clone())
            .unwrap_or_default();
        workspace::ask(
            &self.env,
            workspace_id,
            &WorkspaceCall::AutomationContext { contact_id },
        )
        .await
    }

    /// React to one change. Errors are logged, never surfaced to whoever caused the change:
    /// a workflow failing must not fail a visitor's message.
    pub(super) async fn automate(&self, workspace_id: &str, happened: Happened) -> usize {
        if happened.is_empty() {
            return 0;
        }
        match self.automate_inner(workspace_id, happened).await {
            Ok(started) => started,
            Err(err) => {
                worker::console_error!("workflows failed: {err:?}");
                0
            }
        }
    }

    /// A manual/shortcut run asked by an agent, or a webhook call: the event names the one
    /// workflow it is for. Answers how many runs started (0: it did not trigger).
    pub(super) async fn run_requested(&self, workspace_id: &str, ask: RunRequest) -> Result<usize> {
        let mut ctx = self.context(workspace_id).await?;
        let Some(workflow) = ctx.workflows.iter().find(|w| w.id == ask.workflow_id) else {
            return Err(crate::error::EdgeError::NotFound(
                "no enabled workflow with this id".into(),
            ));
        };
        let kind = match (&workflow.trigger, ask.agent_id) {
            (Trigger::Manual, Some(agent_id)) => WorkflowEvent::Manual {
                workflow_id: ask.workflow_id,
                agent_id,
            },
            (Trigger::Shortcut, Some(agent_id)) => WorkflowEvent::Shortcut {
                workflow_id: ask.workflow_id,
                agent_id,
            },
            (Trigger::Webhook { .. }, None) => WorkflowEvent::Webhook {
                workflow_id: ask.workflow_id,
                body: ask.body,
            },
            _ => {
                return Err(crate::error::EdgeError::BadRequest(
                    "this workflow is not started that way (check its trigger)".into(),
                ))
            }
        };
        let source = match kind {
            WorkflowEvent::Webhook { .. } => Source::Api,
            _ => Source::User,
        };
        let events = VecDeque::from([Event::new(kind, source)]);
        let mut calls = 0;
        self.offer(&self.engine(), &mut ctx, workspace_id, events, &mut calls)
            .await
    }

    async fn automate_inner(&self, workspace_id: &str, happened: Happened) -> Result<usize> {
        let mut events: VecDeque<Event> = happened
            .activity
            .iter()
            .filter_map(|a| Event::from_activity(a, None))
            .chain(happened.external)
            .collect();
        let mut answer = None;
        let first_message = happened
            .message
            .as_ref()
            .is_some_and(|(_, first, _)| *first);
        if let Some((text, first, files)) = happened.message {
            // A run waiting for an answer takes the message; otherwise it is an event.
            let waiting = if self.has_runs.get() == Some(false) {
                None
            } else {
                let runs = self.stored_runs()?;
                self.has_runs.set(Some(!runs.is_empty()));
                runs.into_iter()
                    .rev()
                    .find(|(_, _, run)| run.is_waiting_for_answer())
            };
            match waiting {
                Some(found) => answer = Some((found, text)),
                None => events
                    .push_back(Event::contact_message(text, first).with_attachment_types(files)),
            }
        }
        if events.is_empty() && answer.is_none() {
            return Ok(0);
        }
        let only_a_message = happened.activity.is_empty()
            && answer.is_none()
            && events.len() == 1
            && matches!(events[0].kind, WorkflowEvent::ContactMessage { .. });
        // A plain contact message, the bulk of the traffic: the Workspace's answer to the
        // publication that carried it says whether any enabled workflow listens for such a
        // message now (as of after it was stored), so the context is fetched only when one
        // may start. Without an answer (the publication failed) it is fetched as before.
        if only_a_message {
            if let Some(generation) = happened.published {
                let published = self.publisher.answer(generation).await;
                if published.is_some_and(|p| !p.message_workflows.may_start(first_message)) {
                    return Ok(0);
                }
            }
        }
        let mut ctx = self.context(workspace_id).await?;
        if answer.is_none() && ctx.workflows.is_empty() {
            return Ok(0);
        }
        let engine = self.engine();
        let mut calls = 0;
        if let Some(((id, workflow, mut run), text)) = answer {
            let input = Input::Answer { text, button: None };
            if let Some(snapshot) = self.snapshot(&ctx) {
                if let Ok(effects) =
                    engine.resume(&workflow, &mut run, input, &snapshot, now_millis())
                {
                    calls += 1;
                    let driving = Driving { id, workflow, run };
                    let caused = self
                        .drive(&engine, &mut ctx, workspace_id, driving, effects)
                        .await?;
                    events.extend(caused);
                }
            }
        }
        self.offer(&engine, &mut ctx, workspace_id, events, &mut calls)
            .await
    }

    /// Offer events to the enabled workflows, drive every run they start, and offer what
    /// those runs cause in turn. `calls` counts engine calls for this change (the backstop);
    /// answers how many runs started.
    async fn offer(
        &self,
        engine: &Engine,
        ctx: &mut AutomationContext,
        workspace_id: &str,
        mut events: VecDeque<Event>,
        calls: &mut usize,
    ) -> Result<usize> {
        let mut started_runs = 0;
        while let Some(event) = events.pop_front() {
            let Some(snapshot) = self.snapshot(ctx) else {
                break;
            };
            for started in engine.start_all(&ctx.workflows, &event, &snapshot, now_millis()) {
                *calls += 1;
                started_runs += 1;
                if *calls > MAX_CALLS_PER_CHANGE {
                    worker::console_error!("workflows: too many runs for one change; stopping");
                    return Ok(started_runs);
                }
                let Some(workflow) = ctx
                    .workflows
                    .iter()
                    .find(|w| w.id == started.run.workflow_id)
                    .cloned()
                else {
                    continue;
                };
                let driving = Driving {
                    id: new_id("r")?,
                    workflow,
                    run: started.run,
                };
                let caused = self
                    .drive(engine, ctx, workspace_id, driving, started.effects)
                    .await?;
                events.extend(caused);
            }
        }
        Ok(started_runs)
    }

    /// The alarm fired: resume every run whose wakeup is due.
    pub(super) async fn wake_runs(&self, workspace_id: &str) {
        let now = now_millis();
        let due: Vec<(String, Workflow, Run)> = match self.stored_runs() {
            Ok(runs) => runs
                .into_iter()
                .filter(|(_, _, r)| r.next_wakeup().is_some_and(|at| at <= now))
                .collect(),
            Err(err) => {
                worker::console_error!("loading runs failed: {err:?}");
                return;
            }
        };
        if due.is_empty() {
            return;
        }
        let result = async {
            let mut ctx = self.context(workspace_id).await?;
            let engine = self.engine();
            let mut events = VecDeque::new();
            let mut calls = 0;
            for (id, workflow, mut run) in due {
                let Some(snapshot) = self.snapshot(&ctx) else {
                    break;
                };
                if let Ok(effects) =
                    engine.resume(&workflow, &mut run, Input::Wakeup, &snapshot, now)
                {
                    calls += 1;
                    let driving = Driving { id, workflow, run };
                    events.extend(
                        self.drive(&engine, &mut ctx, workspace_id, driving, effects)
                            .await?,
                    );
                }
            }
            // What the resumed runs caused is offered like any other change.
            self.offer(&engine, &mut ctx, workspace_id, events, &mut calls)
                .await?;
            Ok::<(), crate::error::EdgeError>(())
        }
        .await;
        if let Err(err) = result {
            worker::console_error!("waking runs failed: {err:?}");
        }
    }

    /// Execute a run's effects in order (resuming it where an effect answers: assignment
    /// decisions, HTTP responses, started workflows), then keep or finish it. Returns the
    /// events its effects caused, for other workflows.
    async fn drive(
        &self,
        engine: &Engine,
        ctx: &mut AutomationContext,
        workspace_id: &str,
        mut d: Driving,
        effects: Vec<WfEffect>,
    ) -> Result<Vec<Event>> {
        let mut pending: VecDeque<WfEffect> = effects.into();
        let mut caused = Vec::new();
        let mut started = Vec::new();
        while let Some(effect) = pending.pop_front() {
            let now = now_millis();
            match effect {
                WfEffect::SendMessage { text } => {
                    self.post_as_workflow(workspace_id, &d, &text, Vec::new())
                        .await?;
                }
                WfEffect::AskQuestion {
                    prompt, buttons, ..
                } => {
                    let buttons = buttons
                        .into_iter()
                        .map(|b| QuickReply {
                            label: b.label,
                            value: b.value,
                        })
                        .collect();
                    self.post_as_workflow(workspace_id, &d, &prompt, buttons)
                        .await?;
                }
                WfEffect::Assign { request } => {
                    // The Workspace refuses an agent or team that is not in the workspace
                    // (not_found): the step fails, recorded in the run's log, and the run
                    // takes the step's "nobody available" path instead of waiting.
                    let decision = match self.decide(workspace_id, request).await {
                        Ok(Decision::Assign { agent_id, team_id })
                            if !is_valid(IdKind::Agent, &agent_id)
                                || team_id
                                    .as_deref()
                                    .is_some_and(|t| !is_valid(IdKind::Team, t)) =>
                        {
                            d.run
                                .note_error("assignment failed: a malformed id was decided", now);
                            unassignable()
                        }
                        Ok(decision) => decision,
                        Err(err) => {
                            d.run.note_error(format!("assignment failed: {err}"), now);
                            unassignable()
                        }
                    };
                    if let Decision::Assign { agent_id, team_id } = &decision {
                        let command = Action::Assign {
                            agent_id: agent_id.clone(),
                            team_id: team_id.clone(),
                        };
                        caused.extend(
                            self.command_as_workflow(workspace_id, &mut d, command)
                                .await,
                        );
                    }
                    if let Some(snapshot) = self.snapshot(ctx) {
                        let input = Input::Assignment { decision };
                        if let Ok(more) =
                            engine.resume(&d.workflow, &mut d.run, input, &snapshot, now)
                        {
                            pending.extend(more);
                        }
                    }
                }
                WfEffect::Unassign => {
                    caused.extend(
                        self.command_as_workflow(workspace_id, &mut d, Action::Unassign)
                            .await,
                    );
                }
                WfEffect::Close { note } => {
                    caused.extend(
                        self.command_as_workflow(workspace_id, &mut d, Action::Close { note })
                            .await,
                    );
                }
                WfEffect::Reopen => {
                    caused.extend(
                        self.command_as_workflow(workspace_id, &mut d, Action::Reopen)
                            .await,
                    );
                }
                WfEffect::PauseBot => {
                    caused.extend(
                        self.command_as_workflow(workspace_id, &mut d, Action::PauseBot)
                            .await,
                    );
                }
                WfEffect::ResumeBot => {
                    caused.extend(
                        self.command_as_workflow(workspace_id, &mut d, Action::ResumeBot)
                            .await,
                    );
                }
                WfEffect::UpdateContact { patch } => {
                    match self
                        .patch_contact(workspace_id, &ctx.contact.id, patch)
                        .await
                    {
                        Ok(patched) => {
                            ctx.contact = patched.contact;
                            caused.extend(Event::from_contact_changes(
                                &patched.changes,
                                Source::Workflow,
                                Some(d.run.cause()),
                            ));
                        }
                        Err(err) => d.run.note_error(format!("contact not updated: {err}"), now),
                    }
                }
                WfEffect::InternalComment { text } => {
                    self.record_as_workflow(
                        &d,
                        ActivityKind::Comment {
                            text,
                            mentions: Vec::new(),
                        },
                        now,
                    )?;
                }
                WfEffect::HttpRequest { request } => {
                    let input = http(&request).await;
                    if let Some(snapshot) = self.snapshot(ctx) {
                        if let Ok(more) =
                            engine.resume(&d.workflow, &mut d.run, input, &snapshot, now_millis())
                        {
                            pending.extend(more);
                        }
                    }
                }
                WfEffect::TriggerWorkflow { workflow_id, event } => {
                    started.push((workflow_id, event));
                }
            }
        }
        self.keep_or_finish(workspace_id, &d).await?;
        // Workflows started by a step run now, with the chain depth the event carries.
        for (workflow_id, event) in started {
            let Some(workflow) = ctx.workflows.iter().find(|w| w.id == workflow_id).cloned() else {
                continue;
            };
            let Some(snapshot) = self.snapshot(ctx) else {
                continue;
            };
            if let Some(s) = engine.start(&workflow, &event, &snapshot, now_millis()) {
                let next = Driving {
                    id: new_id("r")?,
                    workflow,
                    run: s.run,
                };
                caused.extend(
                    Box::pin(self.drive(engine, ctx, workspace_id, next, s.effects)).await?,
                );
            }
        }
        Ok(caused)
    }

    async fn post_as_workflow(
        &self,
        workspace_id: &str,
        d: &Driving,
        text: &str,
        buttons: Vec<QuickReply>,
    ) -> Result<()> {
        let settings = self.settings(workspace_id, false).await;
        let out = {
            let mut guard = self.conv.borrow_mut();
            let Some(state) = guard.as_mut() else {
                return Ok(());
            };
            let effects = state.workflow_message(
                &d.workflow.id,
                &d.workflow.name,
                text,
                buttons,
                &settings,
                now_millis(),
            );
            self.execute(effects, state, None)?
        };
        self.follow_up(out, workspace_id.to_owned()).await;
        Ok(())
    }

    /// A lifecycle change as the workflow. "Already so" refusals count as done (the engine
    /// does not second-guess the snapshot); other refusals go to the run's log.
    async fn command_as_workflow(
        &self,
        workspace_id: &str,
        d: &mut Driving,
        command: Action,
    ) -> Vec<Event> {
        let settings = self.settings(workspace_id, false).await;
        let now = now_millis();
        let result = {
            let mut guard = self.conv.borrow_mut();
            let Some(state) = guard.as_mut() else {
                return Vec::new();
            };
            match state.workflow_command(&d.workflow.id, command, &settings, now) {
                Ok((effects, events)) => self
                    .execute(effects, state, None)
                    .map(|out| Ok((out, events))),
                Err(err) => Ok(Err(err)),
            }
        };
        match result {
            Ok(Ok((out, events))) => {
                self.follow_up(out, workspace_id.to_owned()).await;
                let cause = d.run.cause();
                events
                    .iter()
                    .filter_map(|e| Event::from_activity(e, Some(cause.clone())))
                    .collect()
            }
            Ok(Err(err)) if already_so(&err) => Vec::new(),
            Ok(Err(err)) => {
                d.run.note_error(err.to_string(), now);
                Vec::new()
            }
            Err(err) => {
                d.run.note_error(format!("could not apply: {err}"), now);
                Vec::new()
            }
        }
    }

    pub(super) fn record_as_workflow(
        &self,
        d: &Driving,
        kind: ActivityKind,
        at: Millis,
    ) -> Result<()> {
        let event = ActivityEvent {
            at,
            source: Source::Workflow,
            actor: Actor::Workflow {
                id: d.workflow.id.clone(),
            },
            kind,
        };
        self.store_event(&event)?;
        self.to_agents(&ServerFrame::Activity { event });
        Ok(())
    }

    async fn decide(
        &self,
        workspace_id: &str,
        request: charla_shared::assignment::AssignTo,
    ) -> Result<Decision> {
        let (conversation_id, contact_id) = {
            let guard = self.conv.borrow();
            let state = guard.as_ref().ok_or_else(|| {
                crate::error::EdgeError::NotFound("conversation not loaded".into())
            })?;
            (state.id.clone(), state.contact.id.clone())
        };
        let call = WorkspaceCall::Decide(DecideRequest {
            conversation_id,
            contact_id,
            request,
        });
        workspace::ask(&self.env, workspace_id, &call).await
    }

    async fn patch_contact(
        &self,
        workspace_id: &str,
        contact_id: &str,
        patch: charla_shared::contact::ContactPatch,
    ) -> Result<PatchedContact> {
        let call = WorkspaceCall::PatchContactFor {
            contact_id: contact_id.to_owned(),
            patch,
        };
        workspace::ask(&self.env, workspace_id, &call).await
    }
}

/// What a failed Assign To step resumes its run with: nobody can take it.
fn unassignable() -> Decision {
    Decision::NoneAvailable {
        reason: Unavailable::NoAgents,
    }
}

/// Refusals that mean the workflow's wish already holds.
fn already_so(err: &LifecycleError) -> bool {
    matches!(
        err,
        LifecycleError::AlreadyClosed
            | LifecycleError::AlreadyOpen
            | LifecycleError::NotAssigned
            | LifecycleError::BotAlreadyPaused
            | LifecycleError::BotNotPaused
            | LifecycleError::AlreadyAssigned { .. }
            | LifecycleError::AlreadyInTeam { .. }
    )
}
