//! How the Worker and the Durable Objects call each other: one typed request per call, in one
//! place both sides import.
//!
//! Every call is a value of its Durable Object's call enum, defined in this module with the
//! bodies it carries and the answers it gets: [`workspace::WorkspaceCall`] for the Workspace DO,
//! [`conversation::ConversationCall`] for a Conversation DO. The callee matches every variant
//! (no fallthrough), so a new call cannot be sent without being answered.
//!
//! The wire is private to this module: a call travels as a `POST` to one fixed internal URL
//! with the call as its JSON body; a WebSocket upgrade is the client's own request forwarded
//! (its upgrade headers kept) with the call in a header. Nothing stores this format; the one
//! body that is stored, a conversation socket's [`conversation::SocketIdentity`] (its
//! hibernation attachment), keeps its serde shape.
//!
//! Identity: the `x-charla-identity` header says who is calling, and a Durable Object trusts
//! it because only the Worker sets it (after verifying a token) or a Durable Object calling
//! another one; on a forwarded upgrade it is always overwritten, so a client cannot smuggle one
//! in. Every Workspace call carries the workspace id (the DO records the first one and refuses
//! any other); a conversation socket carries its [`conversation::SocketIdentity`]. Base64url
//! JSON, because header values must be ASCII.

pub mod account;
pub mod api;
pub mod conversation;
pub mod link;
pub mod reports;
pub mod search;
pub mod webhooks;
pub mod workspace;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use charla_shared::protocol::ErrorBody;
use charla_shared::ErrorCode;
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::wasm_bindgen_futures::JsFuture;
use worker::{web_sys, Headers, Method, Request, RequestInit, Response, Stub};

use crate::error::{EdgeError, Result};

/// Where every internal call goes; which call it is, its body says.
const CALL_URL: &str = "https://do.internal/call";

/// The verified caller (see the module doc).
const IDENTITY_HEADER: &str = "x-charla-identity";

/// The call, on a forwarded WebSocket upgrade (which has no body of its own).
const CALL_HEADER: &str = "x-charla-call";

fn encode_header<T: Serialize>(value: &T) -> Result<String> {
    Ok(URL_SAFE_NO_PAD.encode(serde_json::to_vec(value)?))
}

fn decode_header<T: DeserializeOwned>(req: &Request, name: &str) -> Result<Option<T>> {
    let Some(raw) = req.headers().get(name)? else {
        return Ok(None);
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(raw)
        .map_err(|_| EdgeError::BadRequest(format!("bad {name}")))?;
    Ok(Some(serde_json::from_slice(&bytes)?))
}

/// Who sent this call (see the module doc): `Err` when the header is missing.
fn identity<I: DeserializeOwned>(req: &Request) -> Result<I> {
    decode_header(req, IDENTITY_HEADER)?
        .ok_or_else(|| EdgeError::BadRequest("missing identity".into()))
}

/// Send `call` to a Durable Object; `identity` (if any) goes in the identity header.
async fn post<C: Serialize, I: Serialize>(
    stub: &Stub,
    identity: Option<&I>,
    call: &C,
) -> Result<Response> {
    let headers = Headers::new();
    if let Some(identity) = identity {
        headers.set(IDENTITY_HEADER, &encode_header(identity)?)?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(serde_json::to_string(call)?.into()));
    let inner = Request::new_with_init(CALL_URL, &init)?;
    Ok(stub.fetch_with_request(inner).await?)
}

/// Hand a client's WebSocket upgrade to a Durable Object as `call`, keeping the upgrade
/// headers and attaching the verified identity (overwriting any a client sent).
async fn forward_upgrade<C: Serialize, I: Serialize>(
    req: &Request,
    stub: &Stub,
    identity: &I,
    call: &C,
) -> Result<Response> {
    let headers = Headers::new();
    for (name, value) in req.headers().entries() {
        headers.set(&name, &value)?;
    }
    Ok(stub
        .fetch_with_request(upgrade_request(headers, identity, call)?)
        .await?)
}

/// A WebSocket upgrade to a Durable Object as `call`: `headers` (the upgrade's own) with the
/// identity and the call set over whatever they held.
fn upgrade_request<C: Serialize, I: Serialize>(
    headers: Headers,
    identity: &I,
    call: &C,
) -> Result<Request> {
    headers.set(IDENTITY_HEADER, &encode_header(identity)?)?;
    headers.set(CALL_HEADER, &encode_header(call)?)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_headers(headers);
    Ok(Request::new_with_init(CALL_URL, &init)?)
}

/// The call a Durable Object was sent: from the call header of a forwarded upgrade, else
/// from the body.
async fn receive<C: DeserializeOwned>(req: &mut Request) -> Result<C> {
    if let Some(call) = decode_header(req, CALL_HEADER)? {
        return Ok(call);
    }
    // The text in one call, parsed here: `Request::json` has the runtime parse it and then
    // reads the object field by field across into wasm (serde_wasm_bindgen), which made
    // reading a publication dearer than the Workspace's work on it (workerd's profiler).
    let text = req.text().await?;
    serde_json::from_str(&text)
        .map_err(|e| EdgeError::BadRequest(format!("unknown internal call: {e}")))
}

/// A JSON answer from a Durable Object, or the error it answered with, passed through.
pub async fn json_or_error<T: DeserializeOwned>(resp: Response) -> Result<T> {
    let status = resp.status_code();
    let body = body_text(resp).await?;
    let error = || serde_json::from_str::<ErrorBody>(&body);
    match status {
        200 => Ok(serde_json::from_str(&body)?),
        401 => Err(match error() {
            Ok(b) if b.message != EdgeError::Unauthorized.to_string() => {
                EdgeError::SignedOut(b.message)
            }
            _ => EdgeError::Unauthorized,
        }),
        403 => Err(EdgeError::Forbidden(error_message(error()))),
        404 => Err(EdgeError::NotFound(error_message(error()))),
        429 => {
            let body = error().ok();
            Err(EdgeError::RateLimited {
                retry_after: body.as_ref().and_then(|b| b.retry_after).unwrap_or(60),
                message: body
                    .map(|b| b.message)
                    .unwrap_or_else(|| "too many attempts".into()),
            })
        }
        400 | 413 | 415 => Err(match error() {
            Ok(b)
                if matches!(
                    b.code,
                    ErrorCode::FileTooLarge
                        | ErrorCode::FileTypeNotAllowed
                        | ErrorCode::TooManyFiles
                ) =>
            {
                EdgeError::Refused {
                    status,
                    code: b.code,
                    message: b.message,
                }
            }
            Ok(b) if !b.details.is_empty() => EdgeError::Invalid {
                message: b.message,
                details: b.details,
            },
            Ok(b) => EdgeError::BadRequest(b.message),
            Err(_) => EdgeError::BadRequest("request refused".into()),
        }),
        status => Err(EdgeError::Config(format!(
            "durable object answered {status}"
        ))),
    }
}

/// The whole body, read by the runtime in one call. (`worker`'s own `text()` reads a fetched
/// body chunk by chunk through a Rust stream reader: on the message path, between two Durable
/// Objects, that cost more CPU than the rest of the call — measured with workerd's profiler.)
async fn body_text(resp: Response) -> Result<String> {
    let resp: web_sys::Response = resp.into();
    let text = JsFuture::from(resp.text().map_err(worker::Error::from)?)
        .await
        .map_err(worker::Error::from)?;
    Ok(text.as_string().unwrap_or_default())
}

fn error_message(body: serde_json::Result<ErrorBody>) -> String {
    body.map(|b| b.message)
        .unwrap_or_else(|_| "request refused".into())
}
