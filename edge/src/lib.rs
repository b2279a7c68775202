//! Charla's edge: the Worker entry point, its routes, the three Durable Objects and the queue
//! consumer.
//!
//! By object: `http/` is the Worker (public routes, tokens, limits), `workspace/` and
//! `conversation/` are the Durable Objects, each with its tables and features beside it, and
//! `internal/` is the one typed API between them. Each is a thin shell over `charla_shared`:
//! parse, check identity, call the core, execute the effects against storage and sockets.

mod conversation;
mod delivery;
mod error;
mod http;
mod ids;
mod indexing;
mod internal;
mod oneshot;
mod search;
mod sockets;
mod sql;
mod switches;
mod workspace;

pub use conversation::Conversation;
pub use search::Search;
pub use workspace::Workspace;

use worker::{event, Context, Env, MessageBatch, Request, Response};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    Ok(http::handle(req, &env)
        .await
        .unwrap_or_else(|err| err.into_response()))
}

/// The queues: the search index's feed (`SEARCH_QUEUE`, see `indexing`) and the webhooks'
/// deliveries (`WEBHOOK_QUEUE`, see `delivery`), told apart by the queue's name.
#[event(queue)]
async fn queue(batch: MessageBatch<String>, env: Env, _ctx: Context) -> worker::Result<()> {
    if batch.queue().starts_with("charla-webhooks") {
        delivery::consume(batch, &env).await
    } else {
        indexing::consume(batch, &env).await
    }
}
