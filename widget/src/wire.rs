//! Server JSON into the shared protocol types, parsed by the browser.
//!
//! Decoding with `serde_json` (the shared types' `Deserialize`) links a JSON parser, serde's
//! buffering of internally tagged enums and the formatting of every possible error message:
//! about 40 KB gzipped, more than half of the widget's budget. `JSON.parse` is already in the
//! browser, so frames are read field by field here instead. Unknown frame types and malformed
//! frames decode to `None` and are ignored.

use charla_shared::protocol::{
    Author, AuthorKind, ConversationStatus, Message, ServerFrame, SessionResponse,
};
use charla_shared::ErrorCode;
use js_sys::{Array, Reflect, JSON};
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
    })
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
