//! The Search DO's calls (one per workspace, named by the workspace id): the queue consumer
//! adds documents, the Worker's search route asks.

use charla_shared::search::{IndexDoc, IndexHit};
use serde::{Deserialize, Serialize};
use worker::{Env, Stub};

use crate::error::Result;

/// Every request a Search DO answers.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchCall {
    /// Add (or, for a contact, replace) documents; each is stored once by its key → `true`.
    Index(Vec<IndexDoc>),
    /// The best matches of an FTS5 query built by `charla_shared::search::fts_query`
    /// → `Vec<IndexHit>`, best first.
    Query { fts: String, limit: u32 },
    /// Documents indexed so far → `u64` (benchmarks and tests wait on it).
    Count,
    /// A deleted conversation's messages leave the index → `true`.
    ForgetConversation { conversation_id: String },
}

fn stub(env: &Env, workspace_id: &str) -> Result<Stub> {
    Ok(env
        .durable_object("SEARCH")?
        .id_from_name(workspace_id)?
        .get_stub()?)
}

pub async fn ask<T: serde::de::DeserializeOwned>(
    env: &Env,
    workspace_id: &str,
    call: &SearchCall,
) -> Result<T> {
    let stub = stub(env, workspace_id)?;
    super::json_or_error(super::post(&stub, None::<&()>, call).await?).await
}

/// The call a Search DO was sent.
pub async fn receive(req: &mut worker::Request) -> Result<SearchCall> {
    super::receive(req).await
}

/// Answer type of [`SearchCall::Query`].
pub type Hits = Vec<IndexHit>;
