//! The `SEARCH_QUEUE` consumer: documents from the Conversation DOs (messages) and the
//! Workspace DOs (contacts) reach each workspace's Search DO, one call per workspace per
//! batch. A workspace whose call fails has its messages retried by the queue; the Search DO
//! stores each document once by its key, so a retry indexes nothing twice.

use std::collections::BTreeMap;

use charla_shared::search::{IndexBatch, IndexDoc};
use worker::{Env, Message, MessageBatch, MessageExt};

use crate::ids::valid_workspace_id;
use crate::internal::search::{self, SearchCall};

pub async fn consume(batch: MessageBatch<String>, env: &Env) -> worker::Result<()> {
    let messages = batch.messages()?;
    let mut by_workspace: BTreeMap<String, (Vec<IndexDoc>, Vec<&Message<String>>)> =
        BTreeMap::new();
    for message in &messages {
        match serde_json::from_str::<IndexBatch>(message.body()) {
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
