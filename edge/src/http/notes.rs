//! `POST /v1/inbox/conversations/{id}/notes`: an agent's internal note. The Worker finds the
//! `@mentions` against the workspace's agents (one read of the roster, which also gives the
//! writer's current role and access), the conversation stores the note, and the Workspace
//! pushes a mention to each mentioned agent's open inboxes.

use charla_shared::notes::{find_mentions, NoteRequest};
use charla_shared::protocol::{AgentStatus, Author, AuthorKind};
use worker::{Env, Request, Response};

use super::auth;
use super::input::read_json;
use crate::error::{EdgeError, Result};
use crate::ids::valid_conversation_id;
use crate::internal::conversation::{self, ConversationCall, MentionTarget, NoteCall, NoteStored};
use crate::internal::workspace::{self, Mentioned, WorkspaceCall};

pub(super) async fn post(mut req: Request, env: &Env, conversation_id: &str) -> Result<Response> {
    let s = auth::agent(&req, env).await?;
    if !valid_conversation_id(conversation_id) {
        return Err(EdgeError::NotFound("unknown conversation".into()));
    }
    let body: NoteRequest = read_json(&mut req).await?;
    let text = body.check()?.to_owned();
    let roster: Vec<AgentStatus> =
        workspace::ask(env, &s.workspace_id, &WorkspaceCall::Agents).await?;
    let me = roster
        .iter()
        .find(|a| a.profile.id == s.agent_id)
        .ok_or(EdgeError::Unauthorized)?;
    // Deactivated agents read nothing, so nobody mentions them.
    let names: Vec<(&str, &str)> = roster
        .iter()
        .filter(|a| !a.deactivated)
        .map(|a| (a.profile.id.as_str(), a.profile.name.as_str()))
        .collect();
    let mentions: Vec<MentionTarget> = find_mentions(&text, &names)
        .into_iter()
        .filter(|m| m.agent_id != me.profile.id)
        .filter_map(|mention| {
            let agent = roster.iter().find(|a| a.profile.id == mention.agent_id)?;
            Some(MentionTarget {
                restricted: agent.access.limits(&agent.profile.role),
                mention,
            })
        })
        .collect();
    let author = Author {
        kind: AuthorKind::Agent,
        id: me.profile.id.clone(),
        name: me.profile.name.clone(),
    };
    let call = ConversationCall::Note(NoteCall {
        author: author.clone(),
        restricted: me.access.limits(&me.profile.role),
        client_id: body.client_id,
        text: text.clone(),
        mentions,
    });
    let stored: NoteStored =
        conversation::ask(env, &s.workspace_id, conversation_id, &call).await?;
    let agents: Vec<String> = match &stored.event.kind {
        charla_shared::lifecycle::ActivityKind::Comment { mentions, .. } if !stored.duplicate => {
            mentions.iter().map(|m| m.agent_id.clone()).collect()
        }
        _ => Vec::new(),
    };
    if !agents.is_empty() {
        let call = WorkspaceCall::Mentioned(Mentioned {
            conversation_id: conversation_id.to_owned(),
            by: author,
            text,
            agents,
        });
        // The note is stored either way; a lost push costs a notification, not the note.
        if let Err(err) = workspace::ask::<bool>(env, &s.workspace_id, &call).await {
            worker::console_error!("mention push failed: {err:?}");
        }
    }
    let status = if stored.duplicate { 200 } else { 201 };
    Ok(Response::from_json(&stored)?.with_status(status))
}
