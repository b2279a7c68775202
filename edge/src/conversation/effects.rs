//! Executing the core's effects in the Conversation DO: storage writes and socket sends at
//! once, in order; what needs an await (the alarm, report rows, the inbox summary) after.

use std::rc::Rc;

use charla_shared::basic::Millis;
use charla_shared::conversation::{synced_page, ConversationState, Effect};
use charla_shared::lifecycle::{ActivityKind, LifecycleSettings};
use charla_shared::protocol::{Author, AuthorKind, ConversationSummary, ServerFrame};
use charla_shared::reports::{ReportRow, RowSubject};
use worker::{Env, WebSocket};

use super::automation::Happened;
use super::store::Conversation;
use crate::error::{EdgeError, Result};
use crate::ids::now_millis;
use crate::internal::workspace::{self, WorkspaceCall};

/// What executing effects leaves to do asynchronously.
#[derive(Default)]
pub(super) struct Outcome {
    pub(super) publish: Option<ConversationSummary>,
    /// Report rows of periods that opened or closed (written by the Workspace, idempotently).
    pub(super) reports: Vec<ReportRow>,
    /// What workflows may react to (taken by the caller before `follow_up`).
    pub(super) happened: Happened,
    /// `Some(None)`: clear the alarm; `None`: leave it as it is.
    pub(super) schedule: Option<Option<Millis>>,
}

/// The current period's report row (the one that just opened or closed).
pub(super) fn report_row(state: &ConversationState) -> ReportRow {
    let period = &state.lifecycle.current;
    ReportRow::build(
        RowSubject {
            conversation_id: &state.id,
            contact_id: &state.contact.id,
            contact_name: &state.contact.name,
        },
        period,
        &period.responses,
    )
}

pub(super) async fn send_report(env: &Env, workspace_id: &str, row: ReportRow) -> Result<()> {
    workspace::ask::<bool>(env, workspace_id, &WorkspaceCall::ReportRow(Box::new(row)))
        .await
        .map(|_| ())
}

impl Conversation {
    /// Run the core on one frame and execute its effects. Synchronous: no borrow of the state
    /// is ever held across an await.
    pub(super) fn apply(
        &self,
        ws: &WebSocket,
        author: &Author,
        raw: &str,
        settings: &LifecycleSettings,
    ) -> Result<Outcome> {
        let mut guard = self.conv.borrow_mut();
        let Some(state) = guard.as_mut() else {
            return Err(EdgeError::NotFound("conversation not loaded".into()));
        };
        let effects = state.handle_raw(
            author,
            raw,
            |client_id| self.stored_seq(&author.id, client_id),
            settings,
            now_millis(),
        );
        self.execute(effects, state, Some(ws))
    }

    /// Execute the core's effects in order. Storage writes and socket sends happen here;
    /// what needs an await (publishing, the alarm) is returned. `sender` is `None` for the
    /// alarm, which has no socket to reply to.
    pub(super) fn execute(
        &self,
        effects: Vec<Effect>,
        state: &ConversationState,
        sender: Option<&WebSocket>,
    ) -> Result<Outcome> {
        let mut out = Outcome::default();
        for effect in effects {
            match effect {
                Effect::Store(message) => {
                    self.store_message(&message, state)?;
                    if message.author.kind == AuthorKind::Contact {
                        let first = state.lifecycle.current.messages_in == 1;
                        out.happened.message = Some((message.text.clone(), first));
                    }
                }
                Effect::SaveState => self.save_state(state)?,
                Effect::Reply(frame) => {
                    if let Some(ws) = sender {
                        Self::send(ws, &frame);
                    }
                }
                Effect::Broadcast {
                    frame,
                    include_sender,
                } => {
                    let except = if include_sender { None } else { sender };
                    Self::send_all(self.state.get_websockets(), &frame, except);
                }
                Effect::Replay { after_seq } => {
                    if let Some(ws) = sender {
                        let page = self.messages_after(after_seq)?;
                        Self::send(ws, &synced_page(page, state.last_seq));
                    }
                }
                Effect::Record(event) => {
                    if matches!(
                        event.kind,
                        ActivityKind::Opened
                            | ActivityKind::Reopened { .. }
                            | ActivityKind::Closed { .. }
                    ) {
                        out.reports.push(report_row(state));
                    }
                    out.happened.activity.push(event.clone());
                    self.store_event(&event)?;
                    self.to_agents(&ServerFrame::Activity { event });
                }
                Effect::ToAgents(frame) => self.to_agents(&frame),
                Effect::PublishSummary => out.publish = Some(state.summary()),
                Effect::Schedule(at) => out.schedule = Some(at),
            }
        }
        self.evict_hidden(state);
        Ok(out)
    }

    /// The awaited part of a change: move the alarm, then publish the summary off the path.
    pub(super) async fn follow_up(&self, out: Outcome, workspace_id: String) {
        if let Some(at) = out.schedule {
            if let Err(err) = self.schedule(at).await {
                worker::console_error!("setting the conversation alarm failed: {err:?}");
            }
        }
        if !out.reports.is_empty() {
            let env = self.env.clone();
            let workspace = workspace_id.clone();
            self.state.wait_until(async move {
                for row in out.reports {
                    if let Err(err) = send_report(&env, &workspace, row).await {
                        worker::console_error!("report row not written: {err:?}");
                    }
                }
            });
        }
        if let Some(summary) = out.publish {
            let publisher = Rc::clone(&self.publisher);
            self.state
                .wait_until(publisher.publish(summary, workspace_id));
        }
    }
}
