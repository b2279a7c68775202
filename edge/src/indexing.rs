//! The `SEARCH_QUEUE` consumer: documents from the Conversation DOs (messages) and the
//! Workspace DOs (contacts) reach each workspace's Search DO, one call per workspace per
//! batch. A workspace whose call fails has its messages retried by the queue; the Search DO
//! stores each document once by its key, so a retry indexes nothing twice.
//!
//! A message may also name conversations to wake (the Workspace's backfill, see
//! `workspace::backfill`): each is asked to send what the index has not had from it, which
//! comes back through this queue as documents.

use std::collections::BTreeMap;

use charla_shared::search::{IndexBatch, IndexDoc};
use futures_util::future::join_all;
use worker::{Env, Message, MessageBatch, MessageExt};

use crate::ids::{valid_conversation_id, valid_workspace_id};
use crate::internal::conversation::{self, ConversationCall};
use crate::internal::search::{self, SearchCall};

/// Conversations woken at once (each is a Durable Object call).
const WAKE_AT_ONCE: usize = 10;

pub async fn consume(batch: MessageBatch<String>, env: &Env) -> worker::Result<()> {
    let messages = batch.messages()?;
    let mut by_workspace: BTreeMap<String, (Vec<IndexDoc>, Vec<&Message<String>>)> =
        BTreeMap::new();
    for message in &messages {
        match serde_json::from_str::<IndexBatch>(message.body()) {
            Ok(b) if valid_workspace_id(&b.workspace_id) && !b.wake.is_empty() => {
                match wake(env, &b.workspace_id, &b.wake).await {
                    Ok(()) => message.ack(),
                    Err(err) => {
                        worker::console_error!("search backfill failed, retried: {err:?}");
                        message.retry();
                    }
                }
            }
            // Only our own objects send here; a workspace id of the wrong shape names nothing.
            Ok(b) if valid_workspace_id(&b.workspace_id) => {
                let entry = by_workspace.entry(b.workspace_id).or_default();
                entry.0.extend(b.docs);
                entry.1.push(message);
            }
            _ => {
                worker::console_error!("search queue: unreadable message dropped");
                message.ack();
            }
        }
    }
    for (workspace_id, (docs, messages)) in by_workspace {
        let indexed = search::ask::<bool>(env, &workspace_id, &SearchCall::Index(docs)).await;
        for message in messages {
            match &indexed {
                Ok(_) => message.ack(),
                Err(err) => {
                    worker::console_error!("search indexing failed, retried: {err:?}");
                    message.retry();
                }
            }
        }
    }
    Ok(())
}

/// Ask each conversation to send its unindexed messages (a few at a time). Ids of the wrong
/// shape name nothing and are skipped; a conversation that does not exist answers `false`.
async fn wake(env: &Env, workspace_id: &str, ids: &[String]) -> crate::error::Result<()> {
    let ids: Vec<&String> = ids.iter().filter(|id| valid_conversation_id(id)).collect();
    for chunk in ids.chunks(WAKE_AT_ONCE) {
        let asks = chunk
            .iter()
            .map(|id| conversation::ask::<bool>(env, workspace_id, id, &ConversationCall::Index));
        for answer in join_all(asks).await {
            answer?;
        }
    }
    Ok(())
}
