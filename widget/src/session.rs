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
    /// localStorage: the visitor id whose pre-chat answers are stored.
    pub prechat: String,
    /// localStorage: `visitor_id` + newline + the last `identify` body the edge accepted for
    /// it, so a page that identifies on every load sends it once.
    pub identity: String,
}

impl Keys {
    pub fn new(workspace: &str) -> Self {
        let k = |s: &str| format!("charla:{workspace}:{s}");
        Keys {
            session: k("session"),
            seen: k("seen"),
            open: k("open"),
            prechat: k("prechat"),
            identity: k("identity"),
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

pub fn remove(store: Option<Storage>, key: &str) {
    if let Some(s) = store {
        let _ = s.remove_item(key);
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

/// Forget the visitor (a session the edge no longer accepts, or `charla("reset")`): the next
/// connect creates a new one.
pub fn forget(keys: &Keys) {
    for key in [&keys.session, &keys.seen, &keys.prechat, &keys.identity] {
        remove(local(), key);
    }
}

/// Why a request to the edge did not succeed.
pub enum Failure {
    /// The edge answered 4xx: asking again will not change its mind.
    Refused {
        status: u16,
        code: String,
        message: String,
    },
    /// No answer, or a 5xx: worth retrying.
    Network,
}

impl Failure {
    pub fn message(&self) -> &str {
        match self {
            Failure::Refused { message, .. } => message,
            Failure::Network => "the Charla edge could not be reached",
        }
    }

    pub fn code(&self) -> &str {
        match self {
            Failure::Refused { code, .. } => code,
            Failure::Network => "network",
        }
    }
}

/// One JSON request to the edge; the answer's body on 2xx.
async fn request(
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> Result<String, Failure> {
    let call = async {
        let init = RequestInit::new();
        init.set_method(method);
        let headers = js_sys::Object::new();
        if let Some(body) = body {
            init.set_body(&JsValue::from_str(body));
            js_sys::Reflect::set(&headers, &"content-type".into(), &"application/json".into())
                .ok()?;
        }
        if let Some(token) = token {
            let bearer = format!("Bearer {token}");
            js_sys::Reflect::set(&headers, &"authorization".into(), &bearer.into()).ok()?;
        }
        init.set_headers(&headers);
        let promise = web_sys::window()?.fetch_with_str_and_init(url, &init);
        let resp: Response = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
        let text = JsFuture::from(resp.text().ok()?).await.ok()?.as_string()?;
        Some((resp.status(), text))
    };
    match call.await {
        Some((200..=299, text)) => Ok(text),
        Some((status @ 400..=499, text)) => {
            let (code, message) = crate::wire::error_body(&text);
            Err(Failure::Refused {
                status,
                code,
                message: message.unwrap_or_else(|| format!("HTTP {status} from {url}")),
            })
        }
        _ => Err(Failure::Network),
    }
}

/// `POST /v1/widget/session`. A refusal (origin not allowed, unknown workspace) is final; any
/// other failure is retried with the socket's backoff.
pub async fn create(edge: &str, workspace: &str) -> Result<SessionResponse, Failure> {
    let body = serde_json::to_string(&SessionRequest {
        workspace_id: workspace.to_owned(),
    })
    .map_err(|_| Failure::Network)?;
    let url = format!("{edge}/v1/widget/session");
    let text = request("POST", &url, None, Some(&body)).await?;
    crate::wire::session(&text).ok_or(Failure::Network)
}

/// `GET /v1/widget/session` with the token: `Some(false)` only on a definite 401, `None` when
/// the answer is unknown (offline, edge down), so a network blip never discards an identity.
pub async fn still_valid(edge: &str, token: &str) -> Option<bool> {
    let url = format!("{edge}/v1/widget/session");
    match request("GET", &url, Some(token), None).await {
        Ok(_) => Some(true),
        Err(Failure::Refused { status: 401, .. }) => Some(false),
        Err(_) => None,
    }
}

/// `POST /v1/widget/prechat`: the answers become the visitor's contact fields.
pub async fn prechat(edge: &str, token: &str, body: &str) -> Result<(), Failure> {
    let url = format!("{edge}/v1/widget/prechat");
    request("POST", &url, Some(token), Some(body))
        .await
        .map(drop)
}

/// `POST /v1/widget/identify`: the session to use from now on, and whether it is another
/// visitor's (the known user's) that the widget must switch to.
pub async fn identify(
    edge: &str,
    token: &str,
    body: &str,
) -> Result<(SessionResponse, bool), Failure> {
    let url = format!("{edge}/v1/widget/identify");
    let text = request("POST", &url, Some(token), Some(body)).await?;
    crate::wire::identified(&text).ok_or(Failure::Network)
}
