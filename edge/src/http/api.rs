//! The public REST API (`/v1/api/…`, docs/API.md "REST API"): a key in `Authorization: Bearer
//! ck1.…` instead of an agent session. Each request is limited per key and per address before
//! any Durable Object is asked, then the Workspace resolves the key (401 for unknown, revoked
//! or wrong), then the route checks the one scope it needs (403 naming it).

use charla_shared::api_keys::{parse_key, ApiCaller, Scope};
use charla_shared::basic::{ConversationStatus, Seq};
use charla_shared::contact::{Contact, ContactPatch};
use charla_shared::ids::is_valid;
use charla_shared::lifecycle::Action;
use charla_shared::protocol::{AgentStatus, Author, AuthorKind, Team};
use charla_shared::token;
use serde::Deserialize;
use worker::{Env, Method, Request, Response};

use super::input::{id_checked, query, read_json};
use super::limits;
use crate::error::{EdgeError, Result};
use crate::ids::{new_id, IdKind};
use crate::internal::conversation::{
    self, ApiCall, ApiConversation, ApiPosted, ConversationCall, MessagePage,
};
use crate::internal::workspace::{
    self, forward, ContactPage, ConversationPage, ConversationPageAsk, CreatedContact, HookManager,
    PatchedContact, WorkspaceCall,
};
use crate::switches;

/// The OpenAPI 3.1 description of these routes, served at `/v1/openapi.json`. Every real
/// answer is validated against it by `tests/edge/openapi.test.mjs`.
pub(super) const OPENAPI: &str = include_str!("openapi.json");

/// Contacts a page holds unless `limit` says otherwise.
const DEFAULT_PAGE: u32 = 50;

/// A REST request's caller: its workspace and what its key may do.
struct Caller {
    workspace_id: String,
    key: ApiCaller,
}

impl Caller {
    fn need(&self, scope: Scope) -> Result<()> {
        self.key.require(scope).map_err(EdgeError::MissingScope)
    }
}

/// `rest` is the path after `/v1/api`.
pub(super) async fn handle(mut req: Request, env: &Env, rest: &[&str]) -> Result<Response> {
    let caller = caller(&req, env).await?;
    let ws = caller.workspace_id.as_str();
    match (req.method(), rest) {
        (Method::Get, ["contacts"]) => {
            caller.need(Scope::ContactsRead)?;
            let param = |name: &str| query(&req, name);
            let after = match param("cursor")?.filter(|c| !c.is_empty()) {
                Some(cursor) => Some(
                    id_checked(IdKind::Visitor, &cursor)
                        .map_err(|_| EdgeError::BadRequest("malformed cursor".into()))?
                        .to_owned(),
                ),
                None => None,
            };
            let limit = page_limit(param("limit")?)?;
            let query = param("q")?.filter(|q| !q.trim().is_empty());
            if query.as_ref().is_some_and(|q| q.chars().count() > 200) {
                return Err(EdgeError::BadRequest("q is at most 200 characters".into()));
            }
            let call = WorkspaceCall::ContactPage {
                after,
                limit,
                query,
            };
            forward::<ContactPage>(env, ws, call).await
        }
        (Method::Post, ["contacts"]) => {
            caller.need(Scope::ContactsWrite)?;
            let idempotency_key = idempotency_key(&req)?;
            let patch: ContactPatch = read_json(&mut req).await?;
            let call = WorkspaceCall::ApiCreateContact {
                key_id: caller.key.key_id.clone(),
                contact_id: new_id(IdKind::Visitor.prefix())?,
                idempotency_key,
                patch,
            };
            let made: CreatedContact = workspace::ask(env, ws, &call).await?;
            let status = if made.created { 201 } else { 200 };
            Ok(Response::from_json(&made.contact)?.with_status(status))
        }
        (Method::Delete, ["contacts", id]) => {
            caller.need(Scope::ContactsWrite)?;
            let contact_id = id_checked(IdKind::Visitor, id)?;
            let conversations = super::inbox::delete_contact(env, ws, contact_id).await?;
            Ok(Response::from_json(&serde_json::json!({
                "deleted": true,
                "conversations": conversations,
            }))?)
        }
        (Method::Get, ["contacts", id]) => {
            caller.need(Scope::ContactsRead)?;
            let contact_id = id_checked(IdKind::Visitor, id)?.to_owned();
            forward::<Contact>(env, ws, WorkspaceCall::ApiContact { contact_id }).await
        }
        (Method::Patch, ["contacts", id]) => {
            caller.need(Scope::ContactsWrite)?;
            let contact_id = id_checked(IdKind::Visitor, id)?.to_owned();
            let patch: ContactPatch = read_json(&mut req).await?;
            let call = WorkspaceCall::ApiPatchContact { contact_id, patch };
            forward::<PatchedContact>(env, ws, call).await
        }
        (Method::Get, ["conversations"]) => {
            caller.need(Scope::ConversationsRead)?;
            // An empty parameter (`?status=`) counts as absent here.
            let param =
                |name: &str| Ok::<_, EdgeError>(query(&req, name)?.filter(|v| !v.is_empty()));
            let after = param("cursor")?
                .map(|c| checked_or_bad(IdKind::Conversation, &c, "cursor"))
                .transpose()?;
            let contact_id = param("contact")?
                .map(|c| checked_or_bad(IdKind::Visitor, &c, "contact"))
                .transpose()?;
            let status = match param("status")?.as_deref() {
                None => None,
                Some("open") => Some(ConversationStatus::Open),
                Some("closed") => Some(ConversationStatus::Closed),
                Some(_) => return Err(EdgeError::BadRequest("status is open or closed".into())),
            };
            let ask = ConversationPageAsk {
                after,
                limit: page_limit(param("limit")?)?,
                status,
                contact_id,
            };
            forward::<ConversationPage>(env, ws, WorkspaceCall::ConversationPage(ask)).await
        }
        (Method::Get, ["conversations", id]) => {
            caller.need(Scope::ConversationsRead)?;
            let id = id_checked(IdKind::Conversation, id)?;
            let view: ApiConversation =
                conversation::ask(env, ws, id, &api_call(ApiCall::Get)).await?;
            Ok(Response::from_json(&view)?)
        }
        (Method::Get, ["conversations", id, "messages"]) => {
            caller.need(Scope::ConversationsRead)?;
            let id = id_checked(IdKind::Conversation, id)?;
            // An empty parameter (`?status=`) counts as absent here.
            let param =
                |name: &str| Ok::<_, EdgeError>(query(&req, name)?.filter(|v| !v.is_empty()));
            let after = match param("after")? {
                Some(a) => a
                    .parse::<Seq>()
                    .map_err(|_| EdgeError::BadRequest("after is a message seq".into()))?,
                None => 0,
            };
            let call = api_call(ApiCall::Messages {
                after,
                limit: page_limit(param("limit")?)?,
            });
            let page: MessagePage = conversation::ask(env, ws, id, &call).await?;
            Ok(Response::from_json(&page)?)
        }
        (Method::Post, ["conversations", id, "actions"]) => {
            caller.need(Scope::ConversationsWrite)?;
            let id = id_checked(IdKind::Conversation, id)?.to_owned();
            let action: Action = read_json(&mut req).await?;
            action.check_ids()?;
            let (agent, team) = action.references();
            if let Some(agent_id) = agent {
                active_agent(env, ws, agent_id).await?;
            }
            if let Some(team_id) = team {
                let teams: Vec<Team> = workspace::ask(env, ws, &WorkspaceCall::Teams).await?;
                if !teams.iter().any(|t| t.id == team_id) {
                    return Err(EdgeError::NotFound("no such team in this workspace".into()));
                }
            }
            let call = api_call(ApiCall::Act {
                key_id: caller.key.key_id.clone(),
                action,
            });
            let view: ApiConversation = conversation::ask(env, ws, &id, &call).await?;
            Ok(Response::from_json(&view)?)
        }
        (Method::Post, ["conversations", id, "messages"]) => {
            caller.need(Scope::MessagesWrite)?;
            let id = id_checked(IdKind::Conversation, id)?.to_owned();
            let body: ApiMessage = read_json(&mut req).await?;
            let author = match body.agent_id.as_deref() {
                Some(agent_id) => {
                    let agent = active_agent(env, ws, agent_id).await?;
                    Author {
                        kind: AuthorKind::Agent,
                        id: agent.profile.id,
                        name: agent.profile.name,
                    }
                }
                None => Author {
                    kind: AuthorKind::System,
                    id: caller.key.key_id.clone(),
                    name: caller.key.name.clone(),
                },
            };
            let call = api_call(ApiCall::Post {
                key_id: caller.key.key_id.clone(),
                author,
                client_id: body.client_id,
                text: body.text,
            });
            let posted: ApiPosted = conversation::ask(env, ws, &id, &call).await?;
            let status = if posted.duplicate { 200 } else { 201 };
            Ok(Response::from_json(&posted)?.with_status(status))
        }
        (_, ["webhooks", rest @ ..]) => {
            caller.need(Scope::Webhooks)?;
            let rest = rest.to_vec();
            let by = HookManager::Key(caller.key.key_id.clone());
            let ws = caller.workspace_id.clone();
            super::webhooks::handle(req, env, &ws, by, &rest).await
        }
        _ => Err(EdgeError::NotFound("no such API route".into())),
    }
}

/// Body of `POST /v1/api/conversations/{id}/messages`: `client_id` makes a retry safe (the
/// same id answers the stored message); `agent_id` sends as that agent, else as the key.
#[derive(Deserialize)]
struct ApiMessage {
    client_id: String,
    text: String,
    #[serde(default)]
    agent_id: Option<String>,
}

fn api_call(call: ApiCall) -> ConversationCall {
    ConversationCall::Api(call)
}

/// An id from a query parameter: a 400 naming the parameter when malformed.
fn checked_or_bad(kind: IdKind, value: &str, name: &str) -> Result<String> {
    id_checked(kind, value)
        .map(str::to_owned)
        .map_err(|_| EdgeError::BadRequest(format!("malformed {name}")))
}

/// The `Idempotency-Key` header: 1 to 100 characters of letters, digits and `-_.:`, or none.
fn idempotency_key(req: &Request) -> Result<Option<String>> {
    let Some(key) = req.headers().get("Idempotency-Key")? else {
        return Ok(None);
    };
    let ok = (1..=100).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    if ok {
        Ok(Some(key))
    } else {
        Err(EdgeError::BadRequest(
            "Idempotency-Key is 1 to 100 letters, digits or -_.:".into(),
        ))
    }
}

/// `limit` from the query: 1 to 200, 50 when absent.
fn page_limit(value: Option<String>) -> Result<u32> {
    match value {
        Some(n) => n
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=200).contains(n))
            .ok_or_else(|| EdgeError::BadRequest("limit is 1 to 200".into())),
        None => Ok(DEFAULT_PAGE),
    }
}

/// An active agent of the workspace (404 otherwise), for an assignment or a message sent as
/// them.
async fn active_agent(env: &Env, ws: &str, agent_id: &str) -> Result<AgentStatus> {
    if !is_valid(IdKind::Agent, agent_id) {
        return Err(EdgeError::NotFound(
            "no such agent in this workspace".into(),
        ));
    }
    let call = WorkspaceCall::Agent {
        agent_id: agent_id.to_owned(),
    };
    workspace::ask(env, ws, &call)
        .await
        .map_err(|err| match err {
            EdgeError::NotFound(_) | EdgeError::BadRequest(_) => {
                EdgeError::NotFound("no such agent in this workspace".into())
            }
            other => other,
        })
}

/// The key a request carries, limited and resolved. A key of the wrong shape is refused here,
/// so none of it reaches a Durable Object's name.
async fn caller(req: &Request, env: &Env) -> Result<Caller> {
    let header = req.headers().get("Authorization")?.unwrap_or_default();
    let presented = header
        .strip_prefix("Bearer ")
        .map(str::trim)
        .and_then(parse_key)
        .ok_or(EdgeError::Unauthorized)?;
    // Dev only: `CHARLA_DEV_UNPACED=1` (benchmarks; never set in production) lifts both.
    if !switches::on(env, "CHARLA_DEV_UNPACED") {
        limits::per_ip(env, &limits::API_PER_IP, req).await?;
        let key = format!("{}/{}", presented.workspace_id, presented.key_id);
        limits::check(env, &limits::API_PER_KEY, &key).await?;
    }
    let call = WorkspaceCall::ApiCaller {
        key_id: presented.key_id.to_owned(),
        fingerprint: token::fingerprint(presented.secret),
    };
    let key: ApiCaller = workspace::ask(env, presented.workspace_id, &call)
        .await
        .map_err(|err| match err {
            // A workspace that does not exist knows no key either.
            EdgeError::NotFound(_) => EdgeError::Unauthorized,
            other => other,
        })?;
    Ok(Caller {
        workspace_id: presented.workspace_id.to_owned(),
        key,
    })
}
