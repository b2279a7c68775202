//! Deleting a conversation (an owner's `DELETE /v1/inbox/conversations/{id}`): every socket
//! closed, every file's bytes out of the bucket, then everything this object stored. The
//! Worker then tells the Workspace (inbox line, files index) and the Search DO.
//!
//! The bytes go first: a failure there leaves the conversation as it was (the owner may try
//! again), never a conversation whose files can no longer be found to delete.

use serde::{Deserialize, Serialize};

use super::files::{object_key, BUCKET};
use super::store::{Conversation, MIGRATIONS};
use crate::error::{EdgeError, Result};
use crate::sql::migrate;

/// Close code of the sockets of a deleted conversation.
pub const CLOSE_DELETED: u16 = 4404;
/// Keys one bucket listing (and one `delete_multiple`) takes at most.
const KEYS_PER_BATCH: u32 = 1_000;

/// Answer of [`ConversationCall::Delete`](crate::internal::conversation::ConversationCall).
#[derive(Serialize, Deserialize)]
pub struct Deleted {
    pub conversation_id: String,
    pub contact_id: String,
    /// Objects removed from the bucket (uploads, sent or not).
    pub files: u32,
}

impl Conversation {
    pub(super) async fn delete(&self) -> Result<Deleted> {
        if !self.load()? {
            return Err(EdgeError::NotFound("unknown conversation".into()));
        }
        let (workspace_id, conversation_id, contact_id) = {
            let guard = self.conv.borrow();
            let s = guard.as_ref().expect("loaded above");
            (s.workspace_id.clone(), s.id.clone(), s.contact.id.clone())
        };
        for ws in self.state.get_websockets() {
            let _ = ws.close(Some(CLOSE_DELETED), Some("conversation deleted"));
        }
        // Every key under the conversation's prefix, uploads not sent included; a page at a
        // time, listed again from the start after each delete.
        let bucket = self.env.bucket(BUCKET)?;
        let prefix = object_key(&workspace_id, &conversation_id, "");
        let mut files = 0u32;
        loop {
            let page = bucket
                .list()
                .prefix(prefix.clone())
                .limit(KEYS_PER_BATCH)
                .execute()
                .await?;
            let keys: Vec<String> = page.objects().iter().map(|o| o.key()).collect();
            if keys.is_empty() {
                break;
            }
            files += keys.len() as u32;
            bucket.delete_multiple(keys).await?;
            if !page.truncated() {
                break;
            }
        }
        let storage = self.state.storage();
        storage.delete_alarm().await?;
        storage.delete_all().await?;
        // The tables went too: an empty conversation of this id may start again (the
        // visitor's session still names it).
        migrate(&self.sql(), MIGRATIONS)?;
        *self.conv.borrow_mut() = None;
        self.publisher.forget();
        self.indexer.forget();
        self.has_runs.set(None);
        self.has_unsent_files.set(None);
        self.alarm_at.set(None);
        self.agent_buckets.borrow_mut().clear();
        *self.visitor_bucket.borrow_mut() = None;
        Ok(Deleted {
            conversation_id,
            contact_id,
            files,
        })
    }
}
