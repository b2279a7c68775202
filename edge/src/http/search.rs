//! `GET /v1/inbox/search?q=…`: conversations by message text and by contact name, email and
//! phone. The Search DO ranks the matches (FTS5, accents and case ignored); the Workspace
//! says which of them the caller may see, in one call, so a search costs two requests
//! whatever it finds and an agent limited to their own conversations finds nothing else.

use std::collections::{BTreeMap, BTreeSet};

use charla_shared::protocol::ConversationSummary;
use charla_shared::search::{fts_query, SearchResult, MAX_RESULTS};
use worker::{Env, Request, Response};

use super::input::{agent_id_checked, query};
use super::{auth, limits};
use crate::error::Result;
use crate::internal::search::{self as index, Hits, SearchCall};
use crate::internal::workspace::{self, SearchScope, WorkspaceCall};
use crate::switches;

/// Matches read from the index: more than are shown, so a limited agent still gets a full
/// page after the ones they may not see are dropped.
const INDEX_HITS: u32 = 200;

pub(super) async fn search(req: Request, env: &Env) -> Result<Response> {
    let s = auth::agent(&req, env).await?;
    let viewer = agent_id_checked(&s.agent_id)?.to_owned();
    // Dev only: `CHARLA_DEV_UNPACED=1` (benchmarks; never set in production) lifts it.
    if !switches::on(env, "CHARLA_DEV_UNPACED") {
        let key = format!("{}/{viewer}", s.workspace_id);
        limits::check(env, &limits::SEARCH_PER_AGENT, &key).await?;
    }
    let typed = query(&req, "q")?.unwrap_or_default();
    let Some(fts) = fts_query(&typed) else {
        return Ok(Response::from_json(&Vec::<SearchResult>::new())?);
    };
    let hits: Hits = index::ask(
        env,
        &s.workspace_id,
        &SearchCall::Query {
            fts,
            limit: INDEX_HITS,
        },
    )
    .await?;
    if hits.is_empty() {
        return Ok(Response::from_json(&Vec::<SearchResult>::new())?);
    }
    let conversation_ids: BTreeSet<String> = hits
        .iter()
        .filter_map(|h| h.conversation_id.clone())
        .collect();
    let contact_ids: BTreeSet<String> = hits
        .iter()
        .filter(|h| h.conversation_id.is_none())
        .map(|h| h.contact_id.clone())
        .collect();
    let call = WorkspaceCall::SearchScope {
        viewer,
        conversation_ids: conversation_ids.into_iter().collect(),
        contact_ids: contact_ids.into_iter().collect(),
    };
    let scope: SearchScope = workspace::ask(env, &s.workspace_id, &call).await?;
    Ok(Response::from_json(&results(hits, scope))?)
}

/// The hits the caller may see, best first: a message hit as its conversation opened at the
/// message, a contact hit as each of the contact's conversations (newest first).
fn results(hits: Hits, scope: SearchScope) -> Vec<SearchResult> {
    let lines: BTreeMap<&str, &ConversationSummary> = scope
        .conversations
        .iter()
        .map(|c| (c.id.as_str(), c))
        .collect();
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for hit in &hits {
        let found: Vec<(&ConversationSummary, Option<u64>)> = match &hit.conversation_id {
            Some(id) => lines
                .get(id.as_str())
                .map(|c| (*c, hit.seq))
                .into_iter()
                .collect(),
            None => scope
                .of_contacts
                .iter()
                .filter(|c| c.contact_id == hit.contact_id)
                .map(|c| (c, None))
                .collect(),
        };
        for (conversation, seq) in found {
            if !seen.insert((conversation.id.clone(), seq)) {
                continue;
            }
            out.push(SearchResult {
                conversation: conversation.clone(),
                seq,
                snippet: hit.snippet.clone(),
                at: if seq.is_some() {
                    hit.at
                } else {
                    conversation.last_at
                },
            });
            if out.len() == MAX_RESULTS {
                return out;
            }
        }
    }
    out
}
