//! A stand-in for the Conversation DO: it keeps the lifecycle, the contact, the assignment
//! state and the runs (as JSON, the way the DO persists them, so every call proves a run
//! survives eviction), and executes effects the way docs/WORKFLOWS.md tells the DO to.

use std::collections::VecDeque;

use super::{agents, T0};
use crate::assignment::{AssignmentState, Decision};
use crate::basic::Millis;
use crate::contact::Contact;
use crate::lifecycle::{
    Action, ActivityEvent, Actor, Command, Lifecycle, LifecycleError, LifecycleSettings, Source,
};
use crate::schedule::{BusinessHours, TimeZone};
use crate::workflow::*;

const CONVERSATION: &str = "c1";

/// What the visitor and the agents saw, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seen {
    Message(String),
    Question {
        prompt: String,
        buttons: Vec<String>,
    },
    Comment(String),
    Http(String),
}

/// Answers an HTTP request with (status, body), or `None` when the request fails.
pub(crate) type Responder = Box<dyn FnMut(&HttpRequest) -> Option<(u16, String)>>;

enum Job {
    Event(Event),
    Input(usize, Input),
}

pub(crate) struct World {
    pub engine: Engine,
    pub now: Millis,
    pub workflows: Vec<Workflow>,
    pub lifecycle: Lifecycle,
    pub settings: LifecycleSettings,
    pub contact: Contact,
    pub agents: Vec<AgentFacts>,
    pub assignment: AssignmentState,
    pub hours: Option<BusinessHours>,
    pub time_zone: TimeZone,
    /// Persisted runs, as the DO stores them.
    pub stored: Vec<String>,
    pub seen: Vec<Seen>,
    pub timeline: Vec<ActivityEvent>,
    pub http: Responder,
    jobs: VecDeque<Job>,
}

impl World {
    /// A conversation the contact opened at T0, not yet offered to any workflow.
    pub fn new(workflows: Vec<Workflow>) -> Self {
        let (lifecycle, opened) =
            Lifecycle::open(Actor::Contact { id: "v_1".into() }, Source::Contact, T0);
        World {
            engine: Engine::default(),
            now: T0,
            workflows: workflows
                .into_iter()
                .map(|mut w| {
                    w.enabled = true;
                    w
                })
                .collect(),
            lifecycle,
            settings: LifecycleSettings {
                categories: vec!["Ventas".into(), "Soporte".into()],
                ..LifecycleSettings::default()
            },
            contact: Contact::new("v_1"),
            agents: agents(),
            assignment: AssignmentState::new(),
            hours: None,
            time_zone: TimeZone::UTC,
            stored: Vec::new(),
            seen: Vec::new(),
            timeline: vec![opened],
            http: Box::new(|_| None),
            jobs: VecDeque::new(),
        }
    }

    /// The conversation opening, offered to the workflows.
    pub fn open(mut self) -> Self {
        let event = Event::from_activity(&self.timeline[0], None).expect("opened");
        self.offer(event);
        self
    }

    pub fn snapshot(&self) -> Snapshot {
        let mut agents = self.agents.clone();
        for a in &mut agents {
            a.open = self.assignment.open_count(&a.info.id);
        }
        Snapshot {
            conversation: ConversationFacts::from_lifecycle(CONVERSATION, &self.lifecycle),
            contact: self.contact.clone(),
            agents,
            business_hours: self.hours.clone(),
            time_zone: self.time_zone,
        }
    }

    pub fn runs(&self) -> Vec<Run> {
        self.stored
            .iter()
            .map(|json| serde_json::from_str(json).expect("a stored run"))
            .collect()
    }

    pub fn run(&self, i: usize) -> Run {
        self.runs().remove(i)
    }

    pub fn messages(&self) -> Vec<&str> {
        self.seen
            .iter()
            .filter_map(|s| match s {
                Seen::Message(t) => Some(t.as_str()),
                Seen::Question { prompt, .. } => Some(prompt.as_str()),
                _ => None,
            })
            .collect()
    }

    pub fn assignee(&self) -> Option<&str> {
        self.lifecycle.current.assignee.as_deref()
    }

    /// Offer an event to every workflow, then work off everything it causes.
    pub fn offer(&mut self, event: Event) {
        self.jobs.push_back(Job::Event(event));
        self.work();
    }

    /// The contact writes: an answer to a waiting question, else a trigger.
    pub fn contact_says(&mut self, text: &str) {
        self.contact_sends(text, None);
    }

    pub fn contact_presses(&mut self, label: &str, value: &str) {
        self.contact_sends(label, Some(value));
    }

    fn contact_sends(&mut self, text: &str, button: Option<&str>) {
        self.now += crate::workflow::tests::SEC;
        let events = self
            .lifecycle
            .apply(
                Command::ContactMessage,
                Actor::Contact { id: "v_1".into() },
                Source::Contact,
                &self.settings,
                self.now,
            )
            .expect("contacts may always write");
        self.record(events, None);
        let waiting = self.runs().iter().rposition(|r| r.is_waiting_for_answer());
        match waiting {
            Some(i) => self.jobs.push_back(Job::Input(
                i,
                Input::Answer {
                    text: text.into(),
                    button: button.map(Into::into),
                },
            )),
            None => self.jobs.push_back(Job::Event(Event::new(
                WorkflowEvent::ContactMessage {
                    text: text.into(),
                    first_in_period: self.lifecycle.current.messages_in == 1,
                    button: button.map(Into::into),
                    attachment_types: Vec::new(),
                },
                Source::Contact,
            ))),
        }
        self.work();
    }

    /// A person in the inbox closes the conversation.
    pub fn agent_closes(&mut self, agent: &str) {
        self.agent_does(
            agent,
            Action::Close {
                note: Default::default(),
            },
        );
    }

    pub fn agent_does(&mut self, agent: &str, command: impl Into<Command>) {
        let command = command.into();
        self.now += crate::workflow::tests::SEC;
        let events = self
            .lifecycle
            .apply(
                command,
                Actor::Agent { id: agent.into() },
                Source::User,
                &self.settings,
                self.now,
            )
            .expect("the agent's command applies");
        self.record(events, None);
        self.work();
    }

    /// Let time pass and fire the alarm at every wakeup due, the way the DO's single alarm
    /// would (at the earliest wakeup, repeatedly).
    pub fn advance(&mut self, by: Millis) {
        let until = self.now + by;
        loop {
            let runs = self.runs();
            let Some(at) = next_wakeup(runs.iter()).filter(|&at| at <= until) else {
                break;
            };
            self.now = self.now.max(at);
            for (i, run) in runs.iter().enumerate() {
                if run.next_wakeup().is_some_and(|w| w <= self.now) {
                    self.jobs.push_back(Job::Input(i, Input::Wakeup));
                }
            }
            self.work();
        }
        self.now = until;
    }

    fn workflow(&self, id: &str) -> Option<&Workflow> {
        self.workflows.iter().find(|w| w.id == id)
    }

    fn record(&mut self, events: Vec<ActivityEvent>, cause: Option<Cause>) {
        for event in events {
            if let Some(e) = Event::from_activity(&event, cause.clone()) {
                self.jobs.push_back(Job::Event(e));
            }
            self.timeline.push(event);
        }
        let infos: Vec<_> = self.agents.iter().map(|a| a.info.clone()).collect();
        if self.lifecycle.is_open() {
            let assignee = self.lifecycle.assignee().map(str::to_owned);
            self.assignment
                .on_assignee_changed(CONVERSATION, assignee.as_deref(), &infos);
        } else {
            self.assignment.on_closed(CONVERSATION, &infos);
        }
    }

    fn work(&mut self) {
        let mut budget = 1_000;
        while let Some(job) = self.jobs.pop_front() {
            budget -= 1;
            assert!(budget > 0, "the world never settles: a runaway loop");
            match job {
                Job::Event(event) => {
                    let snapshot = self.snapshot();
                    let started =
                        self.engine
                            .start_all(&self.workflows, &event, &snapshot, self.now);
                    for Started { run, effects } in started {
                        self.stored.push(serde_json::to_string(&run).unwrap());
                        let i = self.stored.len() - 1;
                        self.execute(i, effects);
                    }
                }
                Job::Input(i, input) => {
                    let mut run: Run = serde_json::from_str(&self.stored[i]).unwrap();
                    let workflow = self
                        .workflow(&run.workflow_id)
                        .expect("the run's workflow")
                        .clone();
                    let snapshot = self.snapshot();
                    match self
                        .engine
                        .resume(&workflow, &mut run, input, &snapshot, self.now)
                    {
                        Ok(effects) => {
                            self.stored[i] = serde_json::to_string(&run).unwrap();
                            self.execute(i, effects);
                        }
                        Err(WorkflowError::UnexpectedInput { .. } | WorkflowError::Finished) => {}
                        Err(err) => panic!("resume refused: {err}"),
                    }
                }
            }
        }
    }

    /// Apply a lifecycle command as the workflow. "Already so" refusals count as done; the
    /// rest are noted in the run's log.
    fn as_workflow(&mut self, i: usize, command: impl Into<Command>) {
        let command = command.into();
        let mut run: Run = serde_json::from_str(&self.stored[i]).unwrap();
        let result = self.lifecycle.apply(
            command.clone(),
            Actor::Workflow {
                id: run.workflow_id.clone(),
            },
            Source::Workflow,
            &self.settings,
            self.now,
        );
        match result {
            Ok(events) => self.record(events, Some(run.cause())),
            // Unassign after close: the closed period forgets its agent (see WORKFLOWS.md).
            Err(LifecycleError::Closed) if command == Command::Act(Action::Unassign) => {
                self.lifecycle.current.assignee = None;
            }
            Err(
                LifecycleError::AlreadyClosed
                | LifecycleError::AlreadyOpen
                | LifecycleError::NotAssigned
                | LifecycleError::BotAlreadyPaused
                | LifecycleError::BotNotPaused,
            ) => {}
            Err(err) => {
                run.note_error(err.to_string(), self.now);
                self.stored[i] = serde_json::to_string(&run).unwrap();
            }
        }
    }

    fn execute(&mut self, i: usize, effects: Vec<Effect>) {
        let run: Run = serde_json::from_str(&self.stored[i]).unwrap();
        for effect in effects {
            match effect {
                Effect::SendMessage { text } => {
                    self.seen.push(Seen::Message(text));
                    self.as_workflow(i, Command::AgentMessage);
                }
                Effect::AskQuestion {
                    prompt, buttons, ..
                } => {
                    self.seen.push(Seen::Question {
                        prompt,
                        buttons: buttons.into_iter().map(|b| b.label).collect(),
                    });
                    self.as_workflow(i, Command::AgentMessage);
                }
                Effect::InternalComment { text } => self.seen.push(Seen::Comment(text)),
                Effect::Assign { request } => {
                    let infos: Vec<_> = self.agents.iter().map(|a| a.info.clone()).collect();
                    let decision = self.assignment.decide(CONVERSATION, &request, &infos);
                    if let Decision::Assign { agent_id, team_id } = &decision {
                        self.as_workflow(
                            i,
                            Action::Assign {
                                agent_id: agent_id.clone(),
                                team_id: team_id.clone(),
                            },
                        );
                    }
                    self.jobs
                        .push_back(Job::Input(i, Input::Assignment { decision }));
                }
                Effect::Unassign => self.as_workflow(i, Action::Unassign),
                Effect::Close { note } => self.as_workflow(i, Action::Close { note }),
                Effect::Reopen => self.as_workflow(i, Action::Reopen),
                Effect::PauseBot => self.as_workflow(i, Action::PauseBot),
                Effect::ResumeBot => self.as_workflow(i, Action::ResumeBot),
                Effect::UpdateContact { patch } => {
                    let changes = self
                        .contact
                        .apply(&patch, self.now)
                        .expect("the engine checked the patch");
                    for e in
                        Event::from_contact_changes(&changes, Source::Workflow, Some(run.cause()))
                    {
                        self.jobs.push_back(Job::Event(e));
                    }
                }
                Effect::HttpRequest { request } => {
                    self.seen.push(Seen::Http(request.url.clone()));
                    let input = match (self.http)(&request) {
                        Some((status, body)) => Input::HttpResponse { status, body },
                        None => Input::HttpFailed {
                            error: "connection refused".into(),
                        },
                    };
                    self.jobs.push_back(Job::Input(i, input));
                }
                Effect::TriggerWorkflow { event, .. } => self.jobs.push_back(Job::Event(event)),
            }
        }
    }
}
