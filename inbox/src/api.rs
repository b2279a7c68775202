//! The inbox's HTTP calls (see docs/API.md). Every error is typed so callers can tell an
//! expired session (sign in again) from a network blip (retry later).

use charla_shared::protocol::{
    AgentProfile, ConversationSummary, ErrorBody, LoginRequest, LoginResponse,
};
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

use crate::browser;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 401: wrong credentials at sign-in, or the token is no longer accepted.
    #[error("{0}")]
    Unauthorized(String),
    #[error("{message}")]
    Refused { status: u16, message: String },
    #[error("Cannot reach the server. Check your connection and try again.")]
    Network,
    #[error("Unexpected answer from the server.")]
    Decode,
}

impl ApiError {
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Unauthorized(_))
    }
}

pub async fn login(body: &LoginRequest) -> Result<LoginResponse, ApiError> {
    let json = serde_json::to_string(body).map_err(|_| ApiError::Decode)?;
    request("POST", "/v1/auth/login", None, Some(json)).await
}

pub async fn me(token: &str) -> Result<AgentProfile, ApiError> {
    request("GET", "/v1/inbox/me", Some(token), None).await
}

pub async fn conversations(token: &str) -> Result<Vec<ConversationSummary>, ApiError> {
    request("GET", "/v1/inbox/conversations", Some(token), None).await
}

/// Whether the server still accepts `token`. A WebSocket cannot see the HTTP status of a
/// refused upgrade, so a socket that fails before opening asks here.
pub async fn token_rejected(token: &str) -> bool {
    me(token).await.is_err_and(|e| e.is_unauthorized())
}

async fn request<T: DeserializeOwned>(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<String>,
) -> Result<T, ApiError> {
    let network = |_: JsValue| ApiError::Network;
    let headers = Headers::new().map_err(network)?;
    headers.set("accept", "application/json").map_err(network)?;
    if let Some(token) = token {
        headers
            .set("authorization", &format!("Bearer {token}"))
            .map_err(network)?;
    }
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        headers
            .set("content-type", "application/json")
            .map_err(network)?;
        init.set_body(&JsValue::from_str(&body));
    }
    init.set_headers(&headers);
    let url = format!("{}{path}", browser::origin());
    let req = Request::new_with_str_and_init(&url, &init).map_err(network)?;
    let resp: Response = JsFuture::from(browser::window().fetch_with_request(&req))
        .await
        .map_err(network)?
        .dyn_into()
        .map_err(|_| ApiError::Decode)?;
    let text = JsFuture::from(resp.text().map_err(network)?)
        .await
        .map_err(network)?
        .as_string()
        .unwrap_or_default();
    let status = resp.status();
    if resp.ok() {
        return serde_json::from_str(&text).map_err(|_| ApiError::Decode);
    }
    let message = serde_json::from_str::<ErrorBody>(&text)
        .map(|e| e.message)
        .unwrap_or_else(|_| format!("The server answered {status}."));
    Err(if status == 401 {
        ApiError::Unauthorized(message)
    } else {
        ApiError::Refused { status, message }
    })
}
