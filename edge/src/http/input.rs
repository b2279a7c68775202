//! What a client sent, read with care: JSON bodies (size-capped) and ids checked against their
//! kind's shape before they go anywhere.

use worker::Request;

use crate::error::{EdgeError, Result};
use crate::ids::{is_valid, valid_workspace_id, IdKind};

/// Largest JSON body accepted on HTTP routes.
const MAX_BODY_BYTES: usize = 16 * 1024;

pub(super) async fn read_json<T: serde::de::DeserializeOwned>(req: &mut Request) -> Result<T> {
    let text = req.text().await?;
    if text.len() > MAX_BODY_BYTES {
        return Err(EdgeError::BadRequest("request body too large".into()));
    }
    serde_json::from_str(&text)
        .map_err(|e| EdgeError::BadRequest(format!("invalid JSON body: {e}")))
}

/// The query parameter `key` of the request's URL, as sent (`Some("")` for `?key=`).
pub(super) fn query(req: &Request, key: &str) -> Result<Option<String>> {
    Ok(req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned()))
}

/// An id from a URL or token, checked against its kind's shape before it goes anywhere.
pub(super) fn id_checked(kind: IdKind, id: &str) -> Result<&str> {
    if is_valid(kind, id) {
        Ok(id)
    } else {
        Err(EdgeError::NotFound(format!("unknown {}", kind.noun())))
    }
}

pub(super) fn agent_id_checked(id: &str) -> Result<&str> {
    id_checked(IdKind::Agent, id)
}

pub(super) fn workspace_id_checked(id: &str) -> Result<&str> {
    if valid_workspace_id(id) {
        Ok(id)
    } else {
        Err(EdgeError::BadRequest(
            "workspace_id must be 1-64 characters of a-z, 0-9, - and _".into(),
        ))
    }
}
