//! What the widget remembers in the browser, and how a visitor identity is obtained.
//!
//! Nothing is written before the visitor first opens the chat (the loader writes nothing at
//! all). Storage can throw or be missing (private modes, sandboxed frames): then the widget
//! still works for this page view, it just forgets on navigation.

use charla_shared::protocol::SessionResponse;
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
    /// localStorage: when the stored token was issued or last renewed (ms since the epoch).
    pub renewed: String,
}

/// A stored token older than this is renewed once per page load while the chat is in use
/// (tokens expire 30 days after issue).
pub const RENEW_AFTER_MS: u64 = 24 * 3_600_000;

impl Keys {
    pub fn new(workspace: &str) -> Self {
        let k = |s: &str| ["charla:", workspace, ":", s].concat();
        Keys {
            session: k("session"),
            seen: k("seen"),
            open: k("open"),
            prechat: k("prechat"),
            identity: k("identity"),
            renewed: k("renewed"),
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

/// Every session saved holds a token the edge just issued (created, merged or renewed).
pub fn save(keys: &Keys, session: &SessionResponse) {
    set(local(), &keys.session, &crate::wire::session_json(session));
    set(
        local(),
        &keys.renewed,
        &crate::wire::decimal_string(js_sys::Date::now() as u64),
    );
}

/// The stored token is due for renewal: older than [`RENEW_AFTER_MS`], or of unknown age.
pub fn stale(keys: &Keys) -> bool {
    // Integers: parsing a float would link ~15 KB of float parsing.
    get(local(), &keys.renewed)
        .and_then(|t| t.parse::<u64>().ok())
        .is_none_or(|t| (js_sys::Date::now() as u64).saturating_sub(t) > RENEW_AFTER_MS)
}

/// Forget the visitor (a session the edge no longer accepts, or `charla("reset")`): the next
/// connect creates a new one.
pub fn forget(keys: &Keys) {
    for key in [
        &keys.session,
        &keys.seen,
        &keys.prechat,
        &keys.identity,
        &keys.renewed,
    ] {
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
    /// 429: asked too often; the seconds to wait before asking again.
    Limited(u32),
    /// No answer, or a 5xx: worth retrying.
    Network,
}

impl Failure {
    pub fn message(&self) -> &str {
        match self {
            Failure::Refused { message, .. } => message,
            Failure::Limited(_) => "too many requests; trying again later",
            Failure::Network => "the Charla edge could not be reached",
        }
    }

    pub fn code(&self) -> &str {
        match self {
            Failure::Refused { code, .. } => code,
            Failure::Limited(_) => "rate_limited",
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
            let bearer = ["Bearer ", token].concat();
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
            let (code, message, retry_after) = crate::wire::error_body(&text);
            if status == 429 {
                return Err(Failure::Limited(retry_after.unwrap_or(5)));
            }
            Err(Failure::Refused {
                status,
                code,
                message: message.unwrap_or_else(|| {
                    let mut m = String::from("HTTP ");
                    crate::wire::decimal(&mut m, status.into());
                    m.push_str(" from ");
                    m.push_str(url);
                    m
                }),
            })
        }
        _ => Err(Failure::Network),
    }
}

/// `/v1/widget/session`: `POST` creates a visitor (`token: None`), `GET` with the token renews
/// it (same visitor and conversation, a fresh expiry; a 401 says it is no longer accepted).
/// A refusal of creation (origin not allowed, unknown workspace) is final; any other failure
/// is retried with the socket's backoff.
pub async fn session(
    edge: &str,
    workspace: &str,
    token: Option<&str>,
) -> Result<SessionResponse, Failure> {
    let url = [edge, "/v1/widget/session"].concat();
    let text = match token {
        Some(token) => request("GET", &url, Some(token), None).await?,
        None => {
            let body = crate::wire::session_request(workspace);
            request("POST", &url, None, Some(&body)).await?
        }
    };
    crate::wire::session(&text).ok_or(Failure::Network)
}

/// `POST /v1/widget/prechat`: the answers become the visitor's contact fields.
pub async fn prechat(edge: &str, token: &str, body: &str) -> Result<(), Failure> {
    let url = [edge, "/v1/widget/prechat"].concat();
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
    let url = [edge, "/v1/widget/identify"].concat();
    let text = request("POST", &url, Some(token), Some(body)).await?;
    crate::wire::identified(&text).ok_or(Failure::Network)
}
