//! The REST API's requests on one conversation (the Worker checked the key and its scope):
//! read it and its messages, act on its lifecycle, and send a message, through the same core
//! and effects as the inbox, with source `api` and the key as the actor.

use charla_shared::basic::Seq;
use charla_shared::lifecycle::Action;
use charla_shared::protocol::Author;

use super::store::Conversation;
use crate::error::{EdgeError, Result};
use crate::ids::now_millis;
use crate::internal::conversation::{ApiCall, ApiConversation, ApiPosted, MessagePage};

impl Conversation {
    pub(super) async fn api(&self, call: ApiCall) -> Result<worker::Response> {
        if !self.load()? {
            return Err(EdgeError::NotFound("unknown conversation".into()));
        }
        match call {
            ApiCall::Get => super::json(&self.api_view()?),
            ApiCall::Messages { after, limit } => super::json(&self.api_messages(after, limit)?),
            ApiCall::Act { key_id, action } => super::json(&self.api_act(&key_id, action).await?),
            ApiCall::Post {
                key_id,
                author,
                client_id,
                text,
            } => super::json(&self.api_post(&key_id, &author, &client_id, &text).await?),
        }
    }

    fn api_view(&self) -> Result<ApiConversation> {
        let guard = self.conv.borrow();
        let state = guard
            .as_ref()
            .ok_or_else(|| EdgeError::NotFound("unknown conversation".into()))?;
        Ok(ApiConversation {
            id: state.id.clone(),
            contact_id: state.contact.id.clone(),
            last_seq: state.last_seq,
            lifecycle: state.lifecycle_view(),
        })
    }

    fn api_messages(&self, after: Seq, limit: u32) -> Result<MessagePage> {
        let limit = limit.clamp(1, 200) as usize;
        let mut messages = self.messages_after(after)?;
        let more = messages.len() > limit;
        messages.truncate(limit);
        let next = more.then(|| messages.last().map(|m| m.seq)).flatten();
        Ok(MessagePage { messages, next })
    }

    async fn api_act(&self, key_id: &str, action: Action) -> Result<ApiConversation> {
        let workspace_id = self.workspace_id();
        let settings = self.settings(&workspace_id, true).await;
        let mut outcome = {
            let mut guard = self.conv.borrow_mut();
            let state = guard.as_mut().expect("loaded by the caller");
            let (effects, _) = state
                .api_command(key_id, action, &settings, now_millis())
                .map_err(|e| EdgeError::BadRequest(e.to_string()))?;
            self.execute(effects, state, None)?
        };
        let happened = std::mem::take(&mut outcome.happened);
        self.follow_up(outcome, workspace_id.clone()).await;
        self.automate(&workspace_id, happened).await;
        self.api_view()
    }

    async fn api_post(
        &self,
        key_id: &str,
        author: &Author,
        client_id: &str,
        text: &str,
    ) -> Result<ApiPosted> {
        if let Some(seq) = self.stored_seq(&author.id, client_id) {
            return Ok(ApiPosted {
                seq,
                duplicate: true,
            });
        }
        let workspace_id = self.workspace_id();
        let settings = self.settings(&workspace_id, false).await;
        let (mut outcome, seq) = {
            let mut guard = self.conv.borrow_mut();
            let state = guard.as_mut().expect("loaded by the caller");
            let effects =
                state.api_message(key_id, author, client_id, text, &settings, now_millis())?;
            let out = self.execute(effects, state, None)?;
            (out, state.last_seq)
        };
        let happened = std::mem::take(&mut outcome.happened);
        self.follow_up(outcome, workspace_id.clone()).await;
        self.automate(&workspace_id, happened).await;
        Ok(ApiPosted {
            seq,
            duplicate: false,
        })
    }
}
