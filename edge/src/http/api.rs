//! The public REST API (`/v1/api/…`, docs/API.md "REST API"): a key in `Authorization: Bearer
//! ck1.…` instead of an agent session. Each request is limited per key and per address before
//! any Durable Object is asked, then the Workspace resolves the key (401 for unknown, revoked
//! or wrong), then the route checks the one scope it needs (403 naming it).

use charla_shared::api_keys::{parse_key, ApiCaller, Scope};
use charla_shared::contact::{Contact, ContactPatch};
use charla_shared::token;
use worker::{Env, Method, Request, Response};

use super::input::{id_checked, read_json};
use super::limits;
use crate::error::{EdgeError, Result};
use crate::ids::IdKind;
use crate::internal::workspace::{self, forward, ContactPage, PatchedContact, WorkspaceCall};
use crate::switches;

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
            let url = req.url()?;
            let param = |name: &str| {
                url.query_pairs()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.into_owned())
            };
            let after = match param("cursor").filter(|c| !c.is_empty()) {
                Some(cursor) => Some(
                    id_checked(IdKind::Visitor, &cursor)
                        .map_err(|_| EdgeError::BadRequest("malformed cursor".into()))?
                        .to_owned(),
                ),
                None => None,
            };
            let limit = match param("limit") {
                Some(n) => n
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=200).contains(n))
                    .ok_or_else(|| EdgeError::BadRequest("limit is 1 to 200".into()))?,
                None => DEFAULT_PAGE,
            };
            let query = param("q").filter(|q| !q.trim().is_empty());
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
        _ => Err(EdgeError::NotFound("no such API route".into())),
    }
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
