//! The Conversation DO's summaries on their way to the Workspace DO's inbox index.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use charla_shared::protocol::ConversationSummary;
use worker::Env;

use crate::internal::workspace::{self, WorkspaceCall};

/// Pushes conversation summaries to the Workspace DO (the inbox index) off the message path:
/// the frame handler returns as soon as the message is stored and sent, so delivery never waits
/// for the inbox. Coalesced: while one publish is in flight, later changes only replace
/// `pending`, and the loop sends the newest when the current one returns; a burst costs the
/// Workspace a handful of writes instead of one per message, always in order.
pub(super) struct SummaryPublisher {
    pub(super) env: Env,
    pub(super) busy: Cell<bool>,
    pub(super) pending: RefCell<Option<(ConversationSummary, String)>>,
}

impl SummaryPublisher {
    pub(super) async fn publish(
        self: Rc<Self>,
        summary: ConversationSummary,
        workspace_id: String,
    ) {
        *self.pending.borrow_mut() = Some((summary, workspace_id));
        if self.busy.replace(true) {
            return;
        }
        loop {
            let next = self.pending.borrow_mut().take();
            let Some((summary, workspace_id)) = next else {
                break;
            };
            self.send(summary, &workspace_id).await;
        }
        self.busy.set(false);
    }

    /// Failure only delays the inbox line until the next change; the message itself is
    /// already stored and delivered.
    async fn send(&self, summary: ConversationSummary, workspace_id: &str) {
        let id = summary.id.clone();
        let call = WorkspaceCall::Summary(summary);
        if let Err(err) = workspace::ask::<bool>(&self.env, workspace_id, &call).await {
            worker::console_error!("publishing summary of {id} failed: {err:?}");
        }
    }
}
