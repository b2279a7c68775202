//! How timeline events read in the log ("Conversation closed by Ana · Category: Soporte").
//! Pure, so the wording is tested natively; the view renders the result as a text node.

use charla_shared::lifecycle::{ActivityEvent, ActivityKind, Actor, Source};

use crate::i18n::Texts;

/// The `data-kind` of an event line: its kind as the wire spells it.
pub fn kind_attr(kind: &ActivityKind) -> &'static str {
    match kind {
        ActivityKind::Opened => "opened",
        ActivityKind::Reopened { .. } => "reopened",
        ActivityKind::Assigned { .. } => "assigned",
        ActivityKind::Unassigned { .. } => "unassigned",
        ActivityKind::TeamAssigned { .. } => "team_assigned",
        ActivityKind::Closed { .. } => "closed",
        ActivityKind::BotPaused => "bot_paused",
        ActivityKind::BotResumed => "bot_resumed",
        ActivityKind::WorkflowRan { .. } => "workflow_ran",
        ActivityKind::Comment { .. } => "comment",
    }
}

pub fn source_attr(source: Source) -> &'static str {
    match source {
        Source::User => "user",
        Source::Workflow => "workflow",
        Source::Api => "api",
        Source::System => "system",
        Source::Contact => "contact",
    }
}

/// How ids become names in a line: `agent` (the signed-in agent's name, a name seen on a
/// message, or the id itself), `team` (the teams list, else the id) and `workflow` (the
/// workflow list, else the id).
pub struct Names<'a> {
    pub agent: &'a dyn Fn(&str) -> String,
    pub team: &'a dyn Fn(&str) -> String,
    pub workflow: &'a dyn Fn(&str) -> String,
}

/// One line of text for an event in `t`'s language, every id named through `names`.
pub fn describe(t: &Texts, event: &ActivityEvent, names: &Names<'_>) -> String {
    let (agent, team) = (names.agent, names.team);
    let by = t.by(&actor(t, &event.actor, names), source_note(t, event));
    match &event.kind {
        ActivityKind::Opened => t.opened_by(&by),
        ActivityKind::Reopened { .. } => t.reopened_by(&by),
        ActivityKind::Assigned {
            agent_id, team_id, ..
        } => t.assigned_by(
            &agent(agent_id),
            team_id.as_deref().map(team).as_deref(),
            &by,
        ),
        ActivityKind::Unassigned { previous } => t.unassigned_by(&agent(previous), &by),
        ActivityKind::TeamAssigned { team_id, .. } => t.moved_to_team_by(&team(team_id), &by),
        ActivityKind::Closed { note } => {
            let mut line = t.closed_by(&by);
            if let Some(category) = note.category.as_deref() {
                line.push_str(t.closed_category());
                line.push_str(category);
            }
            if let Some(summary) = note.summary.as_deref() {
                line.push_str(t.closed_summary());
                line.push_str(summary);
            }
            line
        }
        ActivityKind::BotPaused => format!("{} {by}", t.bot_paused),
        ActivityKind::BotResumed => format!("{} {by}", t.bot_resumed),
        ActivityKind::WorkflowRan {
            workflow_id,
            name,
            outcome,
            steps,
        } => {
            let name = if name.trim().is_empty() {
                workflow_id
            } else {
                name
            };
            t.workflow_ran(name, &outcome_words(t, outcome), &t.steps(*steps))
        }
        ActivityKind::Comment { text, .. } => t.note_by(&by, text),
    }
}

/// A run's outcome as the timeline says it (`completed`, `step_limit`, `failed`, `cancelled`).
fn outcome_words(t: &Texts, outcome: &str) -> String {
    match outcome {
        "completed" => t.outcome_ran.to_owned(),
        "step_limit" => t.outcome_step_limit.to_owned(),
        "failed" => t.outcome_failed.to_owned(),
        "cancelled" => t.outcome_cancelled.to_owned(),
        other => t.outcome_other(other),
    }
}

pub fn actor(t: &Texts, actor: &Actor, names: &Names<'_>) -> String {
    match actor {
        Actor::Agent { id } => (names.agent)(id),
        Actor::Contact { .. } => t.the_visitor.to_owned(),
        Actor::Workflow { id } => t.workflow_actor(&(names.workflow)(id)),
        Actor::Integration { id } => t.integration_actor(id),
        Actor::System => t.system.to_owned(),
    }
}

/// Where it came from, when not a person in the inbox. The only thing the system does on its
/// own is the inactivity close.
fn source_note(t: &Texts, event: &ActivityEvent) -> &'static str {
    match (event.source, &event.kind) {
        (Source::User, _) => "",
        (Source::System, ActivityKind::Closed { .. }) => t.timeline_timeout,
        (Source::System, _) => t.timeline_system,
        (Source::Workflow, _) => t.timeline_workflow,
        (Source::Api, _) => t.timeline_api,
        (Source::Contact, ActivityKind::Reopened { .. }) => t.timeline_new_message,
        // "by the visitor" already says it.
        (Source::Contact, _) => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{EN, ES};
    use charla_shared::lifecycle::ClosingNote;

    fn names(id: &str) -> String {
        match id {
            "me" => "Demo Agent".to_owned(),
            other => other.to_owned(),
        }
    }

    fn teams(id: &str) -> String {
        match id {
            "t_1" => "Ventas".to_owned(),
            other => other.to_owned(),
        }
    }

    fn workflows(id: &str) -> String {
        match id {
            "w_1" => "Unassign after close".to_owned(),
            other => other.to_owned(),
        }
    }

    const NAMES: Names<'static> = Names {
        agent: &names,
        team: &teams,
        workflow: &workflows,
    };

    fn event(source: Source, actor: Actor, kind: ActivityKind) -> ActivityEvent {
        ActivityEvent {
            at: 1,
            source,
            actor,
            kind,
        }
    }

    fn me() -> Actor {
        Actor::Agent { id: "me".into() }
    }

    #[test]
    fn closed_by_an_agent_with_a_note() {
        let e = event(
            Source::User,
            me(),
            ActivityKind::Closed {
                note: ClosingNote {
                    category: Some("Soporte".into()),
                    summary: Some("<b>fixed</b>".into()),
                },
            },
        );
        assert_eq!(
            describe(&EN, &e, &NAMES),
            "Conversation closed by Demo Agent · Category: Soporte · Summary: <b>fixed</b>"
        );
        assert_eq!(kind_attr(&e.kind), "closed");
    }

    #[test]
    fn lines_read_in_spanish() {
        let closed = event(
            Source::System,
            Actor::System,
            ActivityKind::Closed {
                note: ClosingNote {
                    category: Some("Soporte".into()),
                    summary: None,
                },
            },
        );
        assert_eq!(
            describe(&ES, &closed, &NAMES),
            "Conversación cerrada por el sistema (inactividad) · Categoría: Soporte"
        );
        let moved = event(
            Source::User,
            me(),
            ActivityKind::TeamAssigned {
                team_id: "t_1".into(),
                previous: None,
            },
        );
        assert_eq!(
            describe(&ES, &moved, &NAMES),
            "Movida al equipo Ventas por Demo Agent"
        );
        let reopened = event(
            Source::Contact,
            Actor::Contact { id: "v_1".into() },
            ActivityKind::Reopened { period: 2 },
        );
        assert_eq!(
            describe(&ES, &reopened, &NAMES),
            "Conversación reabierta por el visitante (mensaje nuevo)"
        );
    }

    #[test]
    fn closed_by_timeout_names_the_source() {
        let e = event(
            Source::System,
            Actor::System,
            ActivityKind::Closed {
                note: ClosingNote::default(),
            },
        );
        assert_eq!(
            describe(&EN, &e, &NAMES),
            "Conversation closed by system (timeout)"
        );
    }

    #[test]
    fn assignment_lines() {
        let assigned = event(
            Source::User,
            me(),
            ActivityKind::Assigned {
                agent_id: "a2".into(),
                team_id: None,
                previous: None,
            },
        );
        assert_eq!(
            describe(&EN, &assigned, &NAMES),
            "Assigned to a2 by Demo Agent"
        );
        let to_team = event(
            Source::Workflow,
            me(),
            ActivityKind::Assigned {
                agent_id: "a2".into(),
                team_id: Some("t_1".into()),
                previous: None,
            },
        );
        assert!(describe(&EN, &to_team, &NAMES).starts_with("Assigned to a2 (team Ventas) by"));
        let moved = event(
            Source::User,
            me(),
            ActivityKind::TeamAssigned {
                team_id: "t_1".into(),
                previous: None,
            },
        );
        assert_eq!(
            describe(&EN, &moved, &NAMES),
            "Moved to team Ventas by Demo Agent"
        );
        let unassigned = event(
            Source::Api,
            me(),
            ActivityKind::Unassigned {
                previous: "a2".into(),
            },
        );
        assert_eq!(
            describe(&EN, &unassigned, &NAMES),
            "Unassigned from a2 by Demo Agent (API)"
        );
        assert_eq!(kind_attr(&unassigned.kind), "unassigned");
    }

    #[test]
    fn reopened_by_the_visitor_and_bot_pause() {
        let reopened = event(
            Source::Contact,
            Actor::Contact { id: "v1".into() },
            ActivityKind::Reopened { period: 2 },
        );
        assert_eq!(
            describe(&EN, &reopened, &NAMES),
            "Conversation reopened by the visitor (new message)"
        );
        assert_eq!(kind_attr(&reopened.kind), "reopened");
        let paused = event(
            Source::Workflow,
            Actor::Workflow { id: "w1".into() },
            ActivityKind::BotPaused,
        );
        assert_eq!(
            describe(&EN, &paused, &NAMES),
            "Bot paused by workflow “w1” (workflow)"
        );
        assert_eq!(kind_attr(&paused.kind), "bot_paused");
    }

    #[test]
    fn workflow_runs_and_internal_notes() {
        let ran = event(
            Source::Workflow,
            Actor::Workflow { id: "w_1".into() },
            ActivityKind::WorkflowRan {
                workflow_id: "w_1".into(),
                name: "Unassign after the conversation is closed".into(),
                outcome: "completed".into(),
                steps: 1,
            },
        );
        assert_eq!(
            describe(&EN, &ran, &NAMES),
            "Workflow “Unassign after the conversation is closed” ran (1 step)"
        );
        assert_eq!(kind_attr(&ran.kind), "workflow_ran");
        let failed = event(
            Source::Workflow,
            Actor::Workflow { id: "w_2".into() },
            ActivityKind::WorkflowRan {
                workflow_id: "w_2".into(),
                name: String::new(),
                outcome: "failed".into(),
                steps: 3,
            },
        );
        assert_eq!(
            describe(&EN, &failed, &NAMES),
            "Workflow “w_2” failed (3 steps)"
        );
        let note = event(
            Source::Workflow,
            Actor::Workflow { id: "w_1".into() },
            ActivityKind::Comment {
                text: "<i>VIP</i> customer".into(),
                mentions: Vec::new(),
            },
        );
        assert_eq!(
            describe(&EN, &note, &NAMES),
            "Internal note by workflow “Unassign after close” (workflow): <i>VIP</i> customer"
        );
        assert_eq!(kind_attr(&note.kind), "comment");
    }
}
