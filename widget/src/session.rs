//! What the widget remembers in the browser, and how a visitor identity is obtained.
//!
//! Nothing is written before the visitor first opens the chat (the loader writes nothing at
//! all). Storage can throw or be missing (private modes, sandboxed frames): then the widget
//! still works for this page view, it just forgets on navigation.

use charla_shared::protocol::{SessionRequest, SessionResponse};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response, Storage};

/// Keys are namespaced by workspace so two Charla widgets on one origin never mix visitors.
pub struct Keys {
    /// localStorage: the [`SessionResponse`] JSON.
    pub session: String,
    /// localStorage: the newest seq the visitor has had on screen (drives the unread count
    /// across page loads).
    pub seen: String,
    /// sessionStorage: "1"/"0", whether the panel is open, so it stays open across navigation
    /// within the tab. The loader reads it too.
    pub open: String,
}

impl Keys {
    pub fn new(workspace: &str) -> Self {
        let k = |s: &str| format!("charla:{workspace}:{s}");
        Keys {
            session: k("session"),
            seen: k("seen"),
            open: k("open"),
        }
    }
}

pub fn local() -> Option<Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn tab() -> Option<Storage> {
    web_sys::window()?.session_storage().ok()?
}

pub fn get(store: Option<Storage>, key: &str) -> Option<String> {
    store?.get_item(key).ok()?
}

pub fn set(store: Option<Storage>, key: &str, value: &str) {
    if let Some(s) = store {
        let _ = s.set_item(key, value);
    }
}

pub fn load(keys: &Keys) -> Option<SessionResponse> {
    crate::wire::session(&get(local(), &keys.session)?)
}

pub fn save(keys: &Keys, session: &SessionResponse) {
    if let Ok(json) = serde_json::to_string(session) {
        set(local(), &keys.session, &json);
    }
}

/// `POST /v1/widget/session`. The reason for a failure is not kept: every failure is handled
/// the same way, by retrying with the socket's backoff.
pub async fn create(edge: &str, workspace: &str) -> Option<SessionResponse> {
    let body = serde_json::to_string(&SessionRequest {
        workspace_id: workspace.to_owned(),
    })
    .ok()?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(&body));
    let headers = js_sys::Object::new();
    js_sys::Reflect::set(&headers, &"content-type".into(), &"application/json".into()).ok()?;
    init.set_headers(&headers);
    let url = format!("{edge}/v1/widget/session");
    let promise = web_sys::window()?.fetch_with_str_and_init(&url, &init);
    let resp: Response = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    if !resp.ok() {
        return None;
    }
    let text = JsFuture::from(resp.text().ok()?).await.ok()?.as_string()?;
    crate::wire::session(&text)
}

/// Drop a session the edge no longer accepts, so the next connect creates a new one.
pub fn forget(keys: &Keys) {
    if let Some(s) = local() {
        let _ = s.remove_item(&keys.session);
        let _ = s.remove_item(&keys.seen);
    }
}

/// `GET /v1/widget/session` with the token: `Some(false)` only on a definite 401, `None` when
/// the answer is unknown (offline, edge down), so a network blip never discards an identity.
pub async fn still_valid(edge: &str, token: &str) -> Option<bool> {
    let init = RequestInit::new();
    let headers = js_sys::Object::new();
    js_sys::Reflect::set(
        &headers,
        &"authorization".into(),
        &format!("Bearer {token}").into(),
    )
    .ok()?;
    init.set_headers(&headers);
    let url = format!("{edge}/v1/widget/session");
    let promise = web_sys::window()?.fetch_with_str_and_init(&url, &init);
    let resp: Response = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    match resp.status() {
        401 => Some(false),
        200 => Some(true),
        _ => None,
    }
}
