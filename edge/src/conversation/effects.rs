//! Executing the core's effects in the Conversation DO: storage writes and socket sends at
//! once, in order; what needs an await (the alarm, report rows, the inbox summary) after.

use std::rc::Rc;

use charla_shared::basic::Millis;
use charla_shared::conversation::{synced_page, ConversationState, Effect};
use charla_shared::lifecycle::{ActivityKind, LifecycleSettings};
use charla_shared::protocol::{Author, AuthorKind, ClientFrame, ServerFrame};
use charla_shared::reports::{ReportRow, RowSubject};
use worker::WebSocket;

use super::automation::Happened;
use super::files::SenderFacts;
use super::store::Conversation;
use crate::error::{EdgeError, Result};
use crate::ids::now_millis;

/// What executing effects leaves to do asynchronously.
#[derive(Default)]
pub(super) struct Outcome {
    /// A summary or report row was queued for the Workspace (see `publisher`).
    pub(super) publish: bool,
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

impl Conversation {
    /// Run the core on one frame and execute its effects. Synchronous: no borrow of the state
    /// is ever held across an await.
    pub(super) fn apply(
        &self,
        ws: &WebSocket,
        author: &Author,
        frame: ClientFrame,
        settings: &LifecycleSettings,
    ) -> Result<Outcome> {
        let mut guard = self.conv.borrow_mut();
        let Some(state) = guard.as_mut() else {
            return Err(EdgeError::NotFound("conversation not loaded".into()));
        };
        let facts = SenderFacts {
            conversation: self,
            author,
        };
        let effects = state.handle(author, frame, facts, settings, now_millis());
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
                    self.index(state, message.seq);
                    if message.author.kind == AuthorKind::Contact {
                        // An agent looks for it in the inbox at once (the line is stale
                        // until it lands), and its workflows wait for the answer.
                        self.publisher.hurry();
                        let first = state.lifecycle.current.messages_in == 1;
                        let types = message
                            .attachments
                            .iter()
                            .map(|a| a.content_type.clone())
                            .collect();
                        out.happened.message = Some((message.text.clone(), first, types));
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
                    let period_changed = matches!(
                        event.kind,
                        ActivityKind::Opened
                            | ActivityKind::Reopened { .. }
                            | ActivityKind::Closed { .. }
                    );
                    if period_changed
                        || matches!(
                            event.kind,
                            ActivityKind::Assigned { .. }
                                | ActivityKind::Unassigned { .. }
                                | ActivityKind::TeamAssigned { .. }
                        )
                    {
                        // Who may see the conversation changed: the inbox index (which the
                        // Workspace filters every listing by) must not lag a gap behind.
                        self.publisher.hurry();
                    }
                    if period_changed {
                        out.happened.published =
                            Some(self.publisher.queue_row(&report_row(state))?);
                        out.publish = true;
                    }
                    out.happened.activity.push(event.clone());
                    self.store_event(&event)?;
                    self.to_agents(&ServerFrame::Activity { event });
                }
                Effect::ToAgents(frame) => self.to_agents(&frame),
                Effect::PublishSummary => {
                    let generation = self
                        .publisher
                        .queue_summary(state.summary(), &state.workspace_id);
                    out.happened.published = Some(generation);
                    out.publish = true;
                }
                Effect::Schedule(at) => out.schedule = Some(at),
            }
        }
        self.evict_hidden(state);
        Ok(out)
    }

    /// The awaited part of a change: publish off the path (coalesced, see `publisher`), then
    /// move the alarm.
    pub(super) async fn follow_up(&self, out: Outcome, workspace_id: String) {
        if out.publish {
            self.state
                .wait_until(Rc::clone(&self.publisher).flush(workspace_id));
        }
        if let Some(at) = out.schedule {
            if let Err(err) = self.schedule(at).await {
                worker::console_error!("setting the conversation alarm failed: {err:?}");
            }
        }
    }
}
