//! How the Worker talks to its Durable Objects: plain `fetch` with an identity header that only
//! the Worker sets (after checking a token), and typed JSON bodies from `charla_shared`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use charla_shared::protocol::Author;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::{Env, Headers, Method, Request, RequestInit, Response, Stub};

use crate::error::{EdgeError, Result};

/// Carries the verified caller into a Durable Object. The Worker always overwrites it, so a
/// client cannot smuggle one in. Base64url JSON, because header values must be ASCII.
pub const IDENTITY_HEADER: &str = "x-charla-identity";

/// Who is on the other end of a conversation socket, fixed when the socket is accepted and
/// kept as the socket's hibernation attachment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SocketIdentity {
    pub workspace_id: String,
    pub conversation_id: String,
    pub author: Author,
    /// An agent whose access is "mine and unassigned": refused (and evicted) once the
    /// conversation belongs to someone else. Fixed when the socket opens.
    #[serde(default)]
    pub restricted: bool,
    /// Set when the agent's access was withdrawn while the socket was open: it speaks for
    /// nobody any more (a frame still in flight is refused) and is being closed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revoked: bool,
}

/// Internal body of the Conversation DO's `POST /assign`: the Workspace's routing decision.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AssignRequest {
    pub agent_id: String,
    pub team_id: Option<String>,
}

pub fn encode_header<T: Serialize>(value: &T) -> Result<String> {
    Ok(URL_SAFE_NO_PAD.encode(serde_json::to_vec(value)?))
}

pub fn decode_header<T: DeserializeOwned>(req: &Request) -> Result<T> {
    let raw = req
        .headers()
        .get(IDENTITY_HEADER)?
        .ok_or_else(|| EdgeError::BadRequest("missing identity".into()))?;
    let bytes = URL_SAFE_NO_PAD
        .decode(raw)
        .map_err(|_| EdgeError::BadRequest("bad identity".into()))?;
    Ok(serde_json::from_slice(&bytes)?)
}

pub fn conversation_stub(env: &Env, workspace_id: &str, conversation_id: &str) -> Result<Stub> {
    Ok(env
        .durable_object("CONVERSATION")?
        .id_from_name(&format!("{workspace_id}/{conversation_id}"))?
        .get_stub()?)
}

pub fn workspace_stub(env: &Env, workspace_id: &str) -> Result<Stub> {
    Ok(env
        .durable_object("WORKSPACE")?
        .id_from_name(workspace_id)?
        .get_stub()?)
}

/// Hand a WebSocket upgrade to a Durable Object, keeping the upgrade headers and attaching the
/// verified identity.
pub async fn forward_socket<I: Serialize>(
    req: &Request,
    stub: &Stub,
    path: &str,
    identity: &I,
) -> Result<Response> {
    let headers = Headers::new();
    for (name, value) in req.headers().entries() {
        headers.set(&name, &value)?;
    }
    headers.set(IDENTITY_HEADER, &encode_header(identity)?)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_headers(headers);
    let inner = Request::new_with_init(&format!("https://do.internal{path}"), &init)?;
    Ok(stub.fetch_with_request(inner).await?)
}

/// Call a Durable Object's internal JSON route. `identity` (if any) goes in the identity header.
pub async fn call<B: Serialize, I: Serialize>(
    stub: &Stub,
    method: Method,
    path: &str,
    identity: Option<&I>,
    body: Option<&B>,
) -> Result<Response> {
    let headers = Headers::new();
    if let Some(identity) = identity {
        headers.set(IDENTITY_HEADER, &encode_header(identity)?)?;
    }
    let mut init = RequestInit::new();
    init.with_method(method).with_headers(headers);
    if let Some(body) = body {
        init.with_body(Some(serde_json::to_string(body)?.into()));
    }
    let inner = Request::new_with_init(&format!("https://do.internal{path}"), &init)?;
    Ok(stub.fetch_with_request(inner).await?)
}

/// [`call`] a Durable Object and read its JSON answer, or the error it answered with.
pub async fn call_json<T: DeserializeOwned, B: Serialize, I: Serialize>(
    stub: &Stub,
    method: Method,
    path: &str,
    identity: Option<&I>,
    body: Option<&B>,
) -> Result<T> {
    json_or_error(call(stub, method, path, identity, body).await?).await
}

/// A JSON response from a Durable Object, or the error it answered with, passed through.
pub async fn json_or_error<T: DeserializeOwned>(mut resp: Response) -> Result<T> {
    match resp.status_code() {
        200 => Ok(resp.json().await?),
        401 => Err(EdgeError::Unauthorized),
        403 => Err(EdgeError::Forbidden(error_message(&mut resp).await)),
        404 => Err(EdgeError::NotFound(error_message(&mut resp).await)),
        429 => {
            let body = resp.json::<charla_shared::protocol::ErrorBody>().await.ok();
            Err(EdgeError::RateLimited {
                retry_after: body.as_ref().and_then(|b| b.retry_after).unwrap_or(60),
                message: body
                    .map(|b| b.message)
                    .unwrap_or_else(|| "too many attempts".into()),
            })
        }
        400 => {
            let body = resp.json::<charla_shared::protocol::ErrorBody>().await;
            Err(match body {
                Ok(b) if !b.details.is_empty() => EdgeError::Invalid {
                    message: b.message,
                    details: b.details,
                },
                Ok(b) => EdgeError::BadRequest(b.message),
                Err(_) => EdgeError::BadRequest("request refused".into()),
            })
        }
        status => Err(EdgeError::Config(format!(
            "durable object answered {status}"
        ))),
    }
}

async fn error_message(resp: &mut Response) -> String {
    resp.json::<charla_shared::protocol::ErrorBody>()
        .await
        .map(|b| b.message)
        .unwrap_or_else(|_| "request refused".into())
}
