//! The Conversation Durable Object: one per conversation. Owns the message log (SQLite), the
//! conversation state and its timeline, and every socket of the conversation (visitor and
//! agents) through the hibernation API, so an idle chat costs nothing while its sockets stay
//! open. Its one alarm is the auto-close deadline or a waiting workflow run's wakeup. This file
//! answers its calls ([`ConversationCall`]); the rest is in the files beside it.

mod api;
mod automation;
mod columns;
pub(crate) mod deletion;
mod effects;
pub(crate) mod files;
mod http_step;
mod indexer;
mod kept_settings;
mod lifecycle;
mod notes;
mod pacing;
mod publisher;
mod runs;
mod socket;
mod store;

pub use store::Conversation;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use charla_shared::contact::ContactChange;
use charla_shared::lifecycle::Source;
use charla_shared::protocol::mine_or_unassigned;
use worker::{DurableObject, Env, Request, Response, State, WebSocket, WebSocketIncomingMessage};

use crate::error::{EdgeError, Result};
use crate::internal::conversation::{
    self as calls, ContactOffered, ConversationCall, RunRequest, RunStarted,
};
use crate::sockets;
use crate::sql::migrate;
use crate::switches;
use automation::Happened;
use kept_settings::KeptSettings;
use pacing::Turn;
use publisher::Publisher;
use store::MIGRATIONS;

fn json<T: serde::Serialize>(value: &T) -> Result<Response> {
    Ok(Response::from_json(value)?)
}

impl Conversation {
    /// One internal call (see `crate::internal::conversation`).
    async fn serve(&self, mut req: Request) -> Result<Response> {
        match calls::receive(&mut req).await? {
            ConversationCall::Open => self.accept(calls::socket_identity(&req)?).await,
            ConversationCall::Assign { agent_id, team_id } => {
                json(&self.system_assign(agent_id, team_id).await?)
            }
            ConversationCall::Unassign { agent_id } => {
                json(&self.system_unassign(&agent_id).await?)
            }
            ConversationCall::RunWorkflow(ask) => json(&self.run_workflow(ask).await?),
            ConversationCall::ContactChanged { changes, source } => {
                json(&self.contact_changed(changes, source).await?)
            }
            ConversationCall::AgentAccess {
                agent_id,
                restricted,
                removed,
            } => json(&self.agent_access(&agent_id, restricted, removed)?),
            ConversationCall::Note(note) => json(&self.note(note)?),
            ConversationCall::Index => json(&self.index_backlog()?),
            ConversationCall::FileUpload(upload) => json(&self.file_upload(upload).await?),
            ConversationCall::FileStored { file_id } => json(&self.file_stored(&file_id)?),
            ConversationCall::FileDropped { file_id } => json(&self.file_dropped(&file_id)?),
            ConversationCall::FileAccess(ask) => json(&self.file_access(ask)?),
            ConversationCall::Api(call) => self.api(call).await,
            ConversationCall::Delete => json(&self.delete().await?),
        }
    }

    /// The Workspace changed this conversation's contact (an agent, the pre-chat form):
    /// offer the changes to "contact field/tag updated" workflows.
    async fn contact_changed(
        &self,
        changes: Vec<ContactChange>,
        source: Source,
    ) -> Result<ContactOffered> {
        if !self.load()? {
            return Err(EdgeError::NotFound("unknown conversation".into()));
        }
        let happened = Happened {
            external: charla_shared::workflow::Event::from_contact_changes(&changes, source, None),
            ..Happened::default()
        };
        let started = self.automate(&self.workspace_id(), happened).await;
        Ok(ContactOffered { started })
    }

    /// A manual/shortcut run from the inbox or a webhook call (the Worker checked the caller).
    async fn run_workflow(&self, ask: RunRequest) -> Result<RunStarted> {
        if !self.load()? {
            return Err(EdgeError::NotFound("unknown conversation".into()));
        }
        if let (true, Some(agent)) = (ask.restricted, ask.agent_id.as_deref()) {
            let theirs = self
                .conv
                .borrow()
                .as_ref()
                .is_some_and(|s| mine_or_unassigned(agent, s.lifecycle.assignee()));
            if !theirs {
                return Err(EdgeError::Forbidden(
                    "this conversation is assigned to another agent".into(),
                ));
            }
        }
        let workspace_id = self.workspace_id();
        let started = self.run_requested(&workspace_id, ask).await?;
        Ok(RunStarted {
            started: started > 0,
        })
    }
}

impl DurableObject for Conversation {
    fn new(state: State, env: Env) -> Self {
        if let Err(err) = migrate(&state.storage().sql(), MIGRATIONS) {
            worker::console_error!("conversation migration failed: {err:?}");
        }
        let sql = state.storage().sql();
        let settings = Rc::new(KeptSettings::new(sql.clone()));
        Conversation {
            state,
            conv: RefCell::new(None),
            publisher: Rc::new(Publisher::new(
                env.clone(),
                sql.clone(),
                Rc::clone(&settings),
            )),
            indexer: Rc::new(indexer::Indexer::new(env.clone(), sql)),
            settings,
            turn: Turn::default(),
            settings_turn: Turn::default(),
            visitor_bucket: RefCell::new(None),
            agent_buckets: RefCell::new(HashMap::new()),
            unpaced: switches::on(&env, "CHARLA_DEV_UNPACED"),
            orphan_after: env
                .var("CHARLA_DEV_ORPHAN_MILLIS")
                .ok()
                .and_then(|v| v.to_string().parse().ok())
                .unwrap_or(charla_shared::files::ORPHAN_AFTER_MILLIS),
            has_runs: Cell::new(None),
            has_unsent_files: Cell::new(None),
            alarm_at: Cell::new(None),
            env,
        }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        Ok(self
            .serve(req)
            .await
            .unwrap_or_else(EdgeError::into_response))
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> worker::Result<()> {
        self.on_frame(ws, message).await
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        code: usize,
        _reason: String,
        _was_clean: bool,
    ) -> worker::Result<()> {
        sockets::closed(&ws, code);
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> worker::Result<()> {
        sockets::failed(&ws);
        Ok(())
    }

    /// Auto-close and waiting runs (see `lifecycle`).
    async fn alarm(&self) -> worker::Result<Response> {
        self.on_alarm().await
    }
}
