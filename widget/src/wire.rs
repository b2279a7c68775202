//! Server JSON into the shared protocol types, parsed by the browser.
//!
//! Decoding with `serde_json` (the shared types' `Deserialize`) links a JSON parser, serde's
//! buffering of internally tagged enums and the formatting of every possible error message:
//! about 40 KB gzipped, more than half of the widget's budget. `JSON.parse` is already in the
//! browser, so frames are read field by field here instead. Unknown frame types and malformed
//! frames decode to `None` and are ignored.

use charla_shared::protocol::{
    Author, AuthorKind, ConversationStatus, Message, QuickReply, ServerFrame, SessionResponse,
};
use charla_shared::widget_settings::{
    IdentifyRequest, Language, Position, PrechatField, PrechatKind, PublicAgent,
    PublicWidgetConfig, RepliesIn, WidgetSettings,
};
use charla_shared::ErrorCode;
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};

fn field(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or_default()
}

fn string(v: &JsValue, key: &str) -> Option<String> {
    field(v, key).as_string()
}

/// Seqs and timestamps stay far below 2^53, so a JS number holds them exactly.
fn number(v: &JsValue, key: &str) -> Option<f64> {
    field(v, key).as_f64()
}

fn flag(v: &JsValue, key: &str) -> Option<bool> {
    field(v, key).as_bool()
}

fn author_kind(s: &str) -> Option<AuthorKind> {
    Some(match s {
        "contact" => AuthorKind::Contact,
        "agent" => AuthorKind::Agent,
        "system" => AuthorKind::System,
        _ => return None,
    })
}

fn author(v: &JsValue) -> Option<Author> {
    Some(Author {
        kind: author_kind(&string(v, "kind")?)?,
        id: string(v, "id")?,
        name: string(v, "name")?,
    })
}

fn message(v: &JsValue) -> Option<Message> {
    Some(Message {
        seq: number(v, "seq")? as u64,
        client_id: string(v, "client_id")?,
        author: author(&field(v, "author"))?,
        text: string(v, "text")?,
        at: number(v, "at")? as i64,
        buttons: quick_replies(&field(v, "buttons")),
    })
}

/// Absent or malformed buttons are no buttons: the message itself still shows.
fn quick_replies(v: &JsValue) -> Vec<QuickReply> {
    if !Array::is_array(v) {
        return Vec::new();
    }
    Array::from(v)
        .iter()
        .filter_map(|b| {
            Some(QuickReply {
                label: string(&b, "label")?,
                value: string(&b, "value")?,
            })
        })
        .collect()
}

fn error_code(s: &str) -> ErrorCode {
    match s {
        "frame_too_large" => ErrorCode::FrameTooLarge,
        "malformed_frame" => ErrorCode::MalformedFrame,
        "text_too_long" => ErrorCode::TextTooLong,
        "empty_text" => ErrorCode::EmptyText,
        "invalid_client_id" => ErrorCode::InvalidClientId,
        "unauthorized" => ErrorCode::Unauthorized,
        "forbidden" => ErrorCode::Forbidden,
        "not_found" => ErrorCode::NotFound,
        "bad_request" => ErrorCode::BadRequest,
        "rate_limited" => ErrorCode::RateLimited,
        _ => ErrorCode::Internal,
    }
}

pub fn frame(text: &str) -> Option<ServerFrame> {
    let v = JSON::parse(text).ok()?;
    Some(match string(&v, "type")?.as_str() {
        "hello" => ServerFrame::Hello {
            conversation_id: string(&v, "conversation_id")?,
            you: author(&field(&v, "you"))?,
            last_seq: number(&v, "last_seq")? as u64,
            status: match string(&v, "status")?.as_str() {
                "closed" => ConversationStatus::Closed,
                _ => ConversationStatus::Open,
            },
        },
        "synced" => ServerFrame::Synced {
            messages: field(&v, "messages")
                .dyn_into::<Array>()
                .ok()?
                .iter()
                .map(|m| message(&m))
                .collect::<Option<_>>()?,
            last_seq: number(&v, "last_seq")? as u64,
            more: flag(&v, "more")?,
        },
        "message" => ServerFrame::Message {
            message: message(&field(&v, "message"))?,
        },
        "ack" => ServerFrame::Ack {
            client_id: string(&v, "client_id")?,
            seq: number(&v, "seq")? as u64,
            duplicate: flag(&v, "duplicate").unwrap_or(false),
        },
        "typing" => ServerFrame::Typing {
            author: author(&field(&v, "author"))?,
            active: flag(&v, "active")?,
        },
        "read" => ServerFrame::Read {
            author_kind: author_kind(&string(&v, "author_kind")?)?,
            seq: number(&v, "seq")? as u64,
        },
        "error" => ServerFrame::Error {
            code: error_code(&string(&v, "code")?),
            message: string(&v, "message")?,
            client_id: string(&v, "client_id"),
        },
        "pong" => ServerFrame::Pong,
        _ => return None,
    })
}

pub fn session(text: &str) -> Option<SessionResponse> {
    let v = JSON::parse(text).ok()?;
    Some(SessionResponse {
        visitor_id: string(&v, "visitor_id")?,
        conversation_id: string(&v, "conversation_id")?,
        token: string(&v, "token")?,
    })
}

/// `ErrorBody {code, message, retry_after}` of a refused request; the message is `None` when
/// the body is not one (a proxy's HTML page, say). `retry_after`: the seconds a
/// `rate_limited` answer asks to wait (the `Retry-After` header is not exposed cross-origin).
pub fn error_body(text: &str) -> (String, Option<String>, Option<u32>) {
    let v = JSON::parse(text).unwrap_or_default();
    (
        string(&v, "code").unwrap_or_else(|| "error".into()),
        string(&v, "message"),
        number(&v, "retry_after").map(|s| s as u32),
    )
}

/// `POST /v1/widget/identify`'s answer: `{session, merged}`.
pub fn identified(text: &str) -> Option<(SessionResponse, bool)> {
    let v = JSON::parse(text).ok()?;
    let s = field(&v, "session");
    let session = SessionResponse {
        visitor_id: string(&s, "visitor_id")?,
        conversation_id: string(&s, "conversation_id")?,
        token: string(&s, "token")?,
    };
    Some((session, flag(&v, "merged")?))
}

fn array(v: &JsValue, key: &str) -> Vec<JsValue> {
    field(v, key)
        .dyn_into::<Array>()
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

/// `GET /v1/widget/config/{workspace}` as the loader fetched it (already parsed), field by
/// field over the edge's defaults: anything missing or unknown keeps its default, and no
/// config at all (the request failed) is the default widget, assumed staffed.
pub fn config(v: &JsValue) -> PublicWidgetConfig {
    let mut c = WidgetSettings::default().public(true, Vec::new());
    if !v.is_object() {
        return c;
    }
    for (key, slot) in [
        ("brand_color", &mut c.brand_color),
        ("launcher_label", &mut c.launcher_label),
        ("header_text", &mut c.header_text),
        ("greeting", &mut c.greeting),
        ("away_message", &mut c.away_message),
    ] {
        if let Some(text) = string(v, key) {
            *slot = text;
        }
    }
    if string(v, "position").as_deref() == Some("left") {
        c.position = Position::Left;
    }
    c.replies_in = match string(v, "replies_in").as_deref() {
        Some("minutes") => RepliesIn::Minutes,
        Some("day") => RepliesIn::Day,
        _ => RepliesIn::Hours,
    };
    c.language = match string(v, "language").as_deref() {
        Some("es") => Language::Es,
        Some("en") => Language::En,
        _ => Language::Auto,
    };
    c.online = flag(v, "online").unwrap_or(true);
    c.agents = array(v, "agents")
        .iter()
        .filter_map(|a| {
            Some(PublicAgent {
                name: string(a, "name")?,
                initials: string(a, "initials")?,
            })
        })
        .collect();
    let prechat = field(v, "prechat");
    c.prechat.enabled = flag(&prechat, "enabled").unwrap_or(false);
    c.prechat.fields = array(&prechat, "fields")
        .iter()
        .filter_map(|f| {
            Some(PrechatField {
                key: string(f, "key")?,
                label: string(f, "label")?,
                kind: match string(f, "kind")?.as_str() {
                    "name" => PrechatKind::Name,
                    "email" => PrechatKind::Email,
                    "phone" => PrechatKind::Phone,
                    _ => PrechatKind::Text,
                },
                required: flag(f, "required").unwrap_or(false),
            })
        })
        .collect();
    c
}

/// A string, or a number written as one (sites often have numeric user ids).
fn text_of(v: &JsValue) -> Option<String> {
    v.as_string().or_else(|| {
        v.as_f64()
            .filter(|n| n.is_finite())
            .and_then(|_| JSON::stringify(v).ok()?.as_string())
    })
}

/// `charla("identify", {user_id, user_hash, name, email, attributes})`. `Err` says what is
/// wrong with the call, for the console.
pub fn identify(v: &JsValue) -> Result<IdentifyRequest, &'static str> {
    if !v.is_object() {
        return Err("identify takes an object: {user_id, user_hash, name, email, attributes}");
    }
    let user_id = text_of(&field(v, "user_id"))
        .filter(|id| !id.trim().is_empty())
        .ok_or("identify needs a user_id (a string)")?;
    let mut request = IdentifyRequest {
        user_id,
        user_hash: text_of(&field(v, "user_hash")),
        name: text_of(&field(v, "name")),
        email: text_of(&field(v, "email")),
        attributes: Default::default(),
    };
    let attributes = field(v, "attributes");
    if attributes.is_object() {
        // One insert at a time: collecting into the map would link a sort.
        for pair in Object::entries(attributes.unchecked_ref()).iter() {
            let key = Reflect::get_u32(&pair, 0).unwrap_or_default().as_string();
            let value = Reflect::get_u32(&pair, 1).unwrap_or_default();
            let value = text_of(&value).or_else(|| value.as_bool().map(|b| b.to_string()));
            if let (Some(key), Some(value)) = (key, value) {
                request.attributes.insert(key, value);
            }
        }
    }
    Ok(request)
}
