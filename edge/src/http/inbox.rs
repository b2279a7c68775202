//! The agents' inbox routes: who they are and who else is here (roles, access, capacity,
//! away), teams, settings, the conversation list and its sockets, deleting a conversation,
//! and contacts.

use charla_shared::assignment::AssignTo;
use charla_shared::contact::{Contact, ContactPatch};
use charla_shared::lifecycle::LifecycleSettings;
use charla_shared::notifications::NotificationPrefs;
use charla_shared::protocol::{
    AgentStatus, Author, AuthorKind, ConversationSummary, Role, Team, TeamRequest,
};
use worker::{Env, Request, Response};

use super::auth::{self, manager};
use super::input::{agent_id_checked, id_checked, read_json};
use crate::conversation::deletion::Deleted;
use crate::error::{EdgeError, Result};
use crate::ids::{valid_conversation_id, valid_visitor_id, IdKind};
use crate::internal::conversation::{self, ConversationCall, SocketIdentity};
use crate::internal::search::{self, SearchCall};
use crate::internal::workspace::{self, forward, AgentChange, PatchedContact, WorkspaceCall};
use crate::sockets::require_upgrade;

/// `DELETE /v1/inbox/conversations/{id}` (owners only, checked here with the caller's
/// current role): the Conversation DO drops its messages, state and files' bytes and closes
/// its sockets; then the Workspace drops its inbox line and files index rows (and tells every
/// inbox), and the Search DO its messages. Report rows stay. Answers `Deleted`.
pub(super) async fn delete_conversation(req: Request, env: &Env, id: &str) -> Result<Response> {
    let s = auth::agent(&req, env).await?;
    if s.role != Role::Owner {
        return Err(EdgeError::Forbidden(
            "only owners can delete conversations".into(),
        ));
    }
    let id = id_checked(IdKind::Conversation, id)?;
    let deleted = delete_everywhere(env, &s.workspace_id, id).await?;
    Ok(Response::from_json(&deleted)?)
}

/// Delete a conversation in every place that holds part of it: its Durable Object (messages,
/// state, files' bytes, sockets), the Workspace (inbox line, files index) and the search
/// index. Callers check who may.
pub(super) async fn delete_everywhere(env: &Env, workspace_id: &str, id: &str) -> Result<Deleted> {
    let deleted: Deleted =
        conversation::ask(env, workspace_id, id, &ConversationCall::Delete).await?;
    let forgotten = WorkspaceCall::ConversationDeleted {
        conversation_id: id.to_owned(),
    };
    workspace::ask::<bool>(env, workspace_id, &forgotten).await?;
    let search = SearchCall::ForgetConversation {
        conversation_id: id.to_owned(),
    };
    if let Err(err) = search::ask::<bool>(env, workspace_id, &search).await {
        // Its hits are already hidden (they name no conversation of the inbox index).
        worker::console_error!("forgetting a deleted conversation's messages failed: {err:?}");
    }
    Ok(deleted)
}

/// Delete a contact: each of its conversations (as [`delete_everywhere`]), then its record.
/// Answers how many conversations went.
pub(super) async fn delete_contact(env: &Env, workspace_id: &str, contact_id: &str) -> Result<u32> {
    let _known: charla_shared::contact::Contact = workspace::ask(
        env,
        workspace_id,
        &WorkspaceCall::ApiContact {
            contact_id: contact_id.to_owned(),
        },
    )
    .await?;
    let mut deleted = 0;
    loop {
        // Always the first page: what was deleted is no longer listed.
        let ask = crate::internal::workspace::ConversationPageAsk {
            after: None,
            limit: 50,
            status: None,
            contact_id: Some(contact_id.to_owned()),
        };
        let page: crate::internal::workspace::ConversationPage =
            workspace::ask(env, workspace_id, &WorkspaceCall::ConversationPage(ask)).await?;
        if page.conversations.is_empty() {
            break;
        }
        for c in &page.conversations {
            delete_everywhere(env, workspace_id, &c.id).await?;
            deleted += 1;
        }
    }
    let call = WorkspaceCall::ContactDeleted {
        contact_id: contact_id.to_owned(),
    };
    workspace::ask::<bool>(env, workspace_id, &call).await?;
    Ok(deleted)
}

pub(super) async fn agents(req: Request, env: &Env) -> Result<Response> {
    let s = auth::agent(&req, env).await?;
    forward::<Vec<AgentStatus>>(env, &s.workspace_id, WorkspaceCall::Agents).await
}

/// Automatic assignment rule for new conversations (`null` turns it off). Owner/manager.
pub(super) async fn put_assignment(mut req: Request, env: &Env) -> Result<Response> {
    let s = manager(&req, env).await?;
    let rule: Option<AssignTo> = read_json(&mut req).await?;
    forward::<Option<AssignTo>>(env, &s.workspace_id, WorkspaceCall::SetAssignment(rule)).await
}

/// Change an agent's role, access level or capacity (owner/manager). Granting a role needs
/// the right to grant it; the Workspace refuses to change an owner unless an owner asks and
/// always keeps one owner.
pub(super) async fn change_agent(mut req: Request, env: &Env, agent_id: &str) -> Result<Response> {
    let s = manager(&req, env).await?;
    let agent_id = agent_id_checked(agent_id)?;
    let mut change: AgentChange = read_json(&mut req).await?;
    if change.away.is_some() {
        return Err(EdgeError::BadRequest(
            "agents set their own away status (PUT /v1/inbox/me/status)".into(),
        ));
    }
    if let Some(role) = &change.role {
        if !s.role.may_grant(role) {
            return Err(EdgeError::Forbidden(
                "you cannot give someone that role".into(),
            ));
        }
    }
    change.by_role = Some(s.role.clone());
    let call = WorkspaceCall::ChangeAgent {
        agent_id: agent_id.to_owned(),
        change,
    };
    forward::<AgentStatus>(env, &s.workspace_id, call).await
}

/// Read (`patch: None`) or update a contact. The Workspace checks the caller may see one of
/// the contact's conversations.
pub(super) async fn contact(
    req: Request,
    env: &Env,
    contact_id: &str,
    patch: Option<ContactPatch>,
) -> Result<Response> {
    let s = auth::agent(&req, env).await?;
    if !valid_visitor_id(contact_id) {
        return Err(EdgeError::NotFound("unknown contact".into()));
    }
    let viewer = agent_id_checked(&s.agent_id)?.to_owned();
    let contact_id = contact_id.to_owned();
    match patch {
        None => {
            let call = WorkspaceCall::Contact { viewer, contact_id };
            forward::<Contact>(env, &s.workspace_id, call).await
        }
        Some(patch) => {
            let call = WorkspaceCall::PatchContact {
                viewer,
                contact_id,
                patch,
            };
            forward::<PatchedContact>(env, &s.workspace_id, call).await
        }
    }
}

/// Create or replace a team (owner/manager).
pub(super) async fn save_team(mut req: Request, env: &Env, id: Option<&str>) -> Result<Response> {
    let s = manager(&req, env).await?;
    let team: TeamRequest = read_json(&mut req).await?;
    let team_id = id
        .map(|id| id_checked(IdKind::Team, id).map(str::to_owned))
        .transpose()?;
    forward::<Team>(
        env,
        &s.workspace_id,
        WorkspaceCall::SaveTeam { team_id, team },
    )
    .await
}

/// The signed-in agent's own activity status: away agents get no automatic assignments.
pub(super) async fn set_status(mut req: Request, env: &Env) -> Result<Response> {
    let s = auth::agent(&req, env).await?;
    #[derive(serde::Deserialize)]
    struct Body {
        away: bool,
    }
    let body: Body = read_json(&mut req).await?;
    let change = AgentChange {
        away: Some(body.away),
        ..AgentChange::default()
    };
    let call = WorkspaceCall::ChangeAgent {
        agent_id: agent_id_checked(&s.agent_id)?.to_owned(),
        change,
    };
    forward::<AgentStatus>(env, &s.workspace_id, call).await
}

/// The signed-in agent's notification switches: read (`GET`) or replace (`PUT`).
pub(super) async fn notification_prefs(mut req: Request, env: &Env) -> Result<Response> {
    let s = auth::agent(&req, env).await?;
    let agent_id = agent_id_checked(&s.agent_id)?.to_owned();
    let call = if req.method() == worker::Method::Put {
        let prefs: NotificationPrefs = read_json(&mut req).await?;
        WorkspaceCall::SetNotificationPrefs { agent_id, prefs }
    } else {
        WorkspaceCall::NotificationPrefs { agent_id }
    };
    forward::<NotificationPrefs>(env, &s.workspace_id, call).await
}

pub(super) async fn get_lifecycle_settings(req: Request, env: &Env) -> Result<Response> {
    let s = auth::agent(&req, env).await?;
    forward::<LifecycleSettings>(env, &s.workspace_id, WorkspaceCall::LifecycleSettings).await
}

pub(super) async fn put_lifecycle_settings(mut req: Request, env: &Env) -> Result<Response> {
    let s = manager(&req, env).await?;
    let settings: LifecycleSettings = read_json(&mut req).await?;
    let call = WorkspaceCall::SetLifecycleSettings(settings);
    forward::<LifecycleSettings>(env, &s.workspace_id, call).await
}

/// The signed-in agent as the Workspace knows them now (current role, access, presence).
pub(super) async fn me(req: Request, env: &Env) -> Result<Response> {
    let s = auth::agent(&req, env).await?;
    Ok(Response::from_json(&s.now)?)
}

pub(super) async fn conversations(req: Request, env: &Env) -> Result<Response> {
    let s = auth::agent(&req, env).await?;
    let viewer = agent_id_checked(&s.agent_id)?.to_owned();
    let call = WorkspaceCall::Conversations { viewer };
    forward::<Vec<ConversationSummary>>(env, &s.workspace_id, call).await
}

pub(super) async fn inbox_socket(req: Request, env: &Env) -> Result<Response> {
    require_upgrade(&req)?;
    // The Workspace checks the session in the turn it accepts the socket (OpenInbox).
    let token = auth::agent_token(&req, env)?;
    let session = token.session_ref()?;
    workspace::open_inbox(&req, env, &token.workspace_id, session).await
}

pub(super) async fn agent_conversation_socket(
    req: &Request,
    env: &Env,
    id: &str,
) -> Result<Response> {
    require_upgrade(req)?;
    auth::agent_token(req, env)?;
    if !valid_conversation_id(id) {
        return Err(EdgeError::NotFound("unknown conversation".into()));
    }
    let s = auth::agent_opening(req, env, id).await?;
    let identity = SocketIdentity {
        workspace_id: s.workspace_id.clone(),
        conversation_id: id.to_owned(),
        // The name as the agents table has it now: a rename shows on the next message.
        author: Author {
            kind: AuthorKind::Agent,
            id: s.agent_id,
            name: s.name,
        },
        restricted: s.now.access.limits(&s.now.profile.role),
        revoked: false,
    };
    conversation::open(req, env, &identity).await
}
