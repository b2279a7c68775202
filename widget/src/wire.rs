//! Server JSON into the shared protocol types, parsed by the browser, and the JSON the widget
//! sends and stores.
//!
//! Decoding with `serde_json` (the shared types' `Deserialize`) links a JSON parser, serde's
//! buffering of internally tagged enums and the formatting of every possible error message:
//! about 40 KB gzipped, more than half of the widget's budget. `JSON.parse` is already in the
//! browser, so frames are read field by field here instead. Unknown frame types and malformed
//! frames decode to `None` and are ignored.
//!
//! The decoders read any [`Json`] value: a `JsValue` in the browser, a `serde_json::Value` in
//! the native tests, which serialize every frame and body with the shared types' `Serialize`
//! and decode it here, so this module and the serde types cannot drift apart.
//!
//! The other way (frames, request bodies, the stored session) is written here too, by a small
//! writer rather than `serde_json::to_string`, which linked the serializer and `core::fmt`
//! number printing for a handful of flat objects; the same tests hold every encoder to what
//! `serde_json` writes for the shared type, byte for byte.

use charla_shared::basic::ConversationStatus;
use charla_shared::files::Attachment;
use charla_shared::protocol::{
    Author, AuthorKind, ClientFrame, Message, QuickReply, ReadMarks, ServerFrame, SessionResponse,
};
use charla_shared::widget_settings::{
    Language, Position, PrechatField, PrechatKind, PublicAgent, PublicWidgetConfig, RepliesIn,
    WidgetSettings, MAX_OFFSET_X, MAX_OFFSET_Y,
};
use charla_shared::ErrorCode;
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};

/// What the decoders need of a parsed JSON value. A missing field reads as a value of no
/// type (`undefined`, `null`).
pub trait Json: Sized {
    fn field(&self, key: &str) -> Self;
    fn string(&self) -> Option<String>;
    /// Seqs and timestamps stay far below 2^53, so a JS number holds them exactly.
    fn number(&self) -> Option<f64>;
    fn flag(&self) -> Option<bool>;
    /// The elements of an array; `None` for anything else.
    fn items(&self) -> Option<Vec<Self>>;
    fn is_object(&self) -> bool;
    /// Each of an object's own keys (`None` if not a string) and values, in order.
    fn each_entry(&self, f: impl FnMut(Option<String>, Self));
    /// A finite number written as JSON writes it.
    fn number_text(&self) -> Option<String>;
}

impl Json for JsValue {
    fn field(&self, key: &str) -> Self {
        Reflect::get(self, &JsValue::from_str(key)).unwrap_or_default()
    }
    fn string(&self) -> Option<String> {
        self.as_string()
    }
    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
    fn flag(&self) -> Option<bool> {
        self.as_bool()
    }
    fn items(&self) -> Option<Vec<Self>> {
        Some(self.dyn_ref::<Array>()?.iter().collect())
    }
    fn is_object(&self) -> bool {
        JsValue::is_object(self)
    }
    fn each_entry(&self, mut f: impl FnMut(Option<String>, Self)) {
        for pair in Object::entries(self.unchecked_ref()).iter() {
            let key = Reflect::get_u32(&pair, 0).unwrap_or_default().as_string();
            f(key, Reflect::get_u32(&pair, 1).unwrap_or_default());
        }
    }
    fn number_text(&self) -> Option<String> {
        self.as_f64()
            .filter(|n| n.is_finite())
            .and_then(|_| JSON::stringify(self).ok()?.as_string())
    }
}

fn field<V: Json>(v: &V, key: &str) -> V {
    v.field(key)
}

fn string<V: Json>(v: &V, key: &str) -> Option<String> {
    v.field(key).string()
}

fn number<V: Json>(v: &V, key: &str) -> Option<f64> {
    v.field(key).number()
}

fn flag<V: Json>(v: &V, key: &str) -> Option<bool> {
    v.field(key).flag()
}

fn author_kind(s: &str) -> Option<AuthorKind> {
    Some(match s {
        "contact" => AuthorKind::Contact,
        "agent" => AuthorKind::Agent,
        "system" => AuthorKind::System,
        _ => return None,
    })
}

fn author<V: Json>(v: &V) -> Option<Author> {
    Some(Author {
        kind: author_kind(&string(v, "kind")?)?,
        id: string(v, "id")?,
        name: string(v, "name")?,
    })
}

fn message<V: Json>(v: &V) -> Option<Message> {
    Some(Message {
        seq: number(v, "seq")? as u64,
        client_id: string(v, "client_id")?,
        author: author(&field(v, "author"))?,
        text: string(v, "text")?,
        at: number(v, "at")? as i64,
        buttons: quick_replies(&field(v, "buttons")),
        // Absent before files existed, and on messages without any.
        attachments: array(v, "attachments")
            .iter()
            .filter_map(attachment)
            .collect(),
    })
}

fn attachment<V: Json>(v: &V) -> Option<Attachment> {
    Some(Attachment {
        id: string(v, "id")?,
        name: string(v, "name")?,
        size: number(v, "size")? as u64,
        content_type: string(v, "content_type")?,
        width: number(v, "width").map(|n| n as u32),
        height: number(v, "height").map(|n| n as u32),
    })
}

/// Absent or malformed buttons are no buttons: the message itself still shows.
fn quick_replies<V: Json>(v: &V) -> Vec<QuickReply> {
    v.items()
        .unwrap_or_default()
        .iter()
        .filter_map(|b| {
            Some(QuickReply {
                label: string(b, "label")?,
                value: string(b, "value")?,
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
        "file_too_large" => ErrorCode::FileTooLarge,
        "file_type_not_allowed" => ErrorCode::FileTypeNotAllowed,
        "too_many_files" => ErrorCode::TooManyFiles,
        _ => ErrorCode::Internal,
    }
}

fn parse(text: &str) -> Option<JsValue> {
    JSON::parse(text).ok()
}

pub fn frame(text: &str) -> Option<ServerFrame> {
    server_frame(&parse(text)?)
}

fn server_frame<V: Json>(v: &V) -> Option<ServerFrame> {
    Some(match string(v, "type")?.as_str() {
        "hello" => ServerFrame::Hello {
            conversation_id: string(v, "conversation_id")?,
            you: author(&field(v, "you"))?,
            last_seq: number(v, "last_seq")? as u64,
            status: match string(v, "status")?.as_str() {
                "closed" => ConversationStatus::Closed,
                _ => ConversationStatus::Open,
            },
            // Absent from an older edge: nobody has read anything yet.
            read: {
                let marks = field(v, "read");
                ReadMarks {
                    agent: number(&marks, "agent").unwrap_or(0.0) as u64,
                    contact: number(&marks, "contact").unwrap_or(0.0) as u64,
                }
            },
        },
        "synced" => ServerFrame::Synced {
            messages: field(v, "messages")
                .items()?
                .iter()
                .map(message)
                .collect::<Option<_>>()?,
            last_seq: number(v, "last_seq")? as u64,
            more: flag(v, "more")?,
        },
        "message" => ServerFrame::Message {
            message: message(&field(v, "message"))?,
        },
        "ack" => ServerFrame::Ack {
            client_id: string(v, "client_id")?,
            seq: number(v, "seq")? as u64,
            duplicate: flag(v, "duplicate").unwrap_or(false),
        },
        "typing" => ServerFrame::Typing {
            author: author(&field(v, "author"))?,
            active: flag(v, "active")?,
        },
        "read" => ServerFrame::Read {
            author_kind: author_kind(&string(v, "author_kind")?)?,
            seq: number(v, "seq")? as u64,
        },
        "error" => ServerFrame::Error {
            code: error_code(&string(v, "code")?),
            message: string(v, "message")?,
            client_id: string(v, "client_id"),
        },
        "pong" => ServerFrame::Pong,
        _ => return None,
    })
}

fn session_response<V: Json>(v: &V) -> Option<SessionResponse> {
    Some(SessionResponse {
        visitor_id: string(v, "visitor_id")?,
        conversation_id: string(v, "conversation_id")?,
        token: string(v, "token")?,
    })
}

pub fn session(text: &str) -> Option<SessionResponse> {
    session_response(&parse(text)?)
}

/// `ErrorBody {code, message, retry_after}` of a refused request; the message is `None` when
/// the body is not one (a proxy's HTML page, say). `retry_after`: the seconds a
/// `rate_limited` answer asks to wait (the `Retry-After` header is not exposed cross-origin).
pub fn error_body(text: &str) -> (String, Option<String>, Option<u32>) {
    refusal(&parse(text).unwrap_or_default())
}

fn refusal<V: Json>(v: &V) -> (String, Option<String>, Option<u32>) {
    (
        string(v, "code").unwrap_or_else(|| "error".into()),
        string(v, "message"),
        number(v, "retry_after").map(|s| s as u32),
    )
}

/// `POST /v1/widget/identify`'s answer: `{session, merged}`.
pub fn identified(text: &str) -> Option<(SessionResponse, bool)> {
    identified_session(&parse(text)?)
}

fn identified_session<V: Json>(v: &V) -> Option<(SessionResponse, bool)> {
    Some((session_response(&field(v, "session"))?, flag(v, "merged")?))
}

fn array<V: Json>(v: &V, key: &str) -> Vec<V> {
    field(v, key).items().unwrap_or_default()
}

/// `GET /v1/widget/config/{workspace}` as the loader fetched it (already parsed), field by
/// field over the edge's defaults: anything missing or unknown keeps its default, and no
/// config at all (the request failed) is the default widget, assumed staffed.
pub fn config<V: Json>(v: &V) -> PublicWidgetConfig {
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
    // Pixels, bounded like the edge's check (a hostile or broken value keeps the default).
    for (key, slot, max) in [
        ("offset_x", &mut c.offset_x, MAX_OFFSET_X),
        ("offset_y", &mut c.offset_y, MAX_OFFSET_Y),
    ] {
        if let Some(n) = number(v, key).filter(|n| (0.0..=f64::from(max)).contains(n)) {
            *slot = n as u16;
        }
    }
    c.hide_on_mobile = flag(v, "hide_on_mobile").unwrap_or(false);
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
fn text_of<V: Json>(v: &V) -> Option<String> {
    v.string().or_else(|| v.number_text())
}

/// `charla("identify", {user_id, user_hash, name, email, attributes})` as the
/// [`charla_shared::widget_settings::IdentifyRequest`] body it becomes. `Err` says what is
/// wrong with the call, for the console.
pub fn identify<V: Json>(v: &V) -> Result<String, &'static str> {
    if !v.is_object() {
        return Err("identify takes an object: {user_id, user_hash, name, email, attributes}");
    }
    let user_id = text_of(&field(v, "user_id"))
        .filter(|id| !id.trim().is_empty())
        .ok_or("identify needs a user_id (a string)")?;
    // In key order, a later value replacing an earlier one: what the request's map does, kept
    // in a sorted list (a map's code costs the wasm more than this search).
    let mut attributes: Vec<(String, String)> = Vec::new();
    let object = field(v, "attributes");
    if object.is_object() {
        object.each_entry(|key, value| {
            let flag = |b| if b { "true" } else { "false" }.to_owned();
            let value = text_of(&value).or_else(|| value.flag().map(flag));
            if let (Some(key), Some(value)) = (key, value) {
                insert_sorted(&mut attributes, key, value);
            }
        });
    }
    let mut map = Writer::new();
    for (k, v) in &attributes {
        map = map.text(k, v);
    }
    Ok(Writer::new()
        .text("user_id", &user_id)
        .opt_text("user_hash", text_of(&field(v, "user_hash")).as_deref())
        .opt_text("name", text_of(&field(v, "name")).as_deref())
        .opt_text("email", text_of(&field(v, "email")).as_deref())
        .raw("attributes", &map.end())
        .end())
}

/// `BTreeMap::insert` on a list kept in key order.
fn insert_sorted(list: &mut Vec<(String, String)>, key: String, value: String) {
    match list.binary_search_by(|(k, _)| k.as_str().cmp(&key)) {
        Ok(at) => list[at].1 = value,
        Err(at) => list.insert(at, (key, value)),
    }
}

// Encoding: what the widget sends and stores, written as `serde_json` writes the shared types
// (tested below against it), without linking a serializer.

/// A JSON object written field by field, in the order the shared type declares them.
struct Writer(String);

impl Writer {
    fn new() -> Self {
        Writer(String::from("{"))
    }

    fn key(&mut self, key: &str) -> &mut String {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        quote(&mut self.0, key);
        self.0.push(':');
        &mut self.0
    }

    fn text(mut self, key: &str, value: &str) -> Self {
        quote(self.key(key), value);
        self
    }

    fn opt_text(mut self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => quote(self.key(key), v),
            None => self.key(key).push_str("null"),
        }
        self
    }

    fn number(mut self, key: &str, value: u64) -> Self {
        decimal(self.key(key), value);
        self
    }

    fn flag(mut self, key: &str, value: bool) -> Self {
        self.key(key).push_str(if value { "true" } else { "false" });
        self
    }

    /// A value already written as JSON.
    fn raw(mut self, key: &str, json: &str) -> Self {
        self.key(key).push_str(json);
        self
    }

    fn end(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

/// A JSON string, escaped as `serde_json` escapes it.
pub fn quote(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' => {
                let b = c as u8;
                out.push_str(if b < 16 { "\\u000" } else { "\\u001" });
                out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `n` in decimal. Not `to_string`: that goes through the formatting machinery.
pub fn decimal(out: &mut String, n: u64) {
    digits(out, n, false);
}

/// `n` in base 10, or 16 (lowercase, as `{:x}` writes it).
fn digits(out: &mut String, mut n: u64, hex: bool) {
    let base = if hex { 16 } else { 10 };
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    while i > 0 {
        i -= 1;
        buf[i] = b"0123456789abcdef"[(n % base) as usize & 15];
        n /= base;
        if n == 0 {
            break;
        }
    }
    for &d in buf.iter().skip(i) {
        out.push(char::from(d));
    }
}

/// [`decimal`] as a new string.
pub fn decimal_string(n: u64) -> String {
    let mut s = String::new();
    decimal(&mut s, n);
    s
}

/// `n` in lowercase hexadecimal.
pub fn hex(out: &mut String, n: u64) {
    digits(out, n, true);
}

/// `{n}px` for a CSS length (negative numbers too).
pub fn px(n: i32) -> String {
    let mut s = String::new();
    if n < 0 {
        s.push('-');
    }
    decimal(&mut s, n.unsigned_abs().into());
    s.push_str("px");
    s
}

/// A frame for the conversation socket. `None` for [`ClientFrame::Action`]: lifecycle actions
/// are agents' (a contact gets `forbidden`), and the widget never makes one.
pub fn client_frame(frame: &ClientFrame) -> Option<String> {
    let o = Writer::new();
    Some(
        match frame {
            ClientFrame::Sync { after_seq } => {
                o.text("type", "sync").number("after_seq", *after_seq)
            }
            ClientFrame::Send {
                client_id,
                text,
                attachments,
            } => {
                let o = o
                    .text("type", "send")
                    .text("client_id", client_id)
                    .text("text", text);
                if attachments.is_empty() {
                    o
                } else {
                    o.raw("attachments", &file_ids(attachments))
                }
            }
            ClientFrame::Typing { active } => o.text("type", "typing").flag("active", *active),
            ClientFrame::Read { seq } => o.text("type", "read").number("seq", *seq),
            ClientFrame::Ping => o.text("type", "ping"),
            ClientFrame::Action { .. } => return None,
        }
        .end(),
    )
}

/// Files' ids as a JSON array: a `send` frame's `attachments`, and the files of a message on
/// its way for `widget/files/files.js` (which knows the files this page uploaded).
pub fn file_ids(ids: &[String]) -> String {
    let mut out = String::from("[");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        quote(&mut out, id);
    }
    out.push(']');
    out
}

/// A message's files as `serde_json` writes them, for `widget/files/files.js` to draw (the
/// line's `data-files`).
pub fn files_json(files: &[Attachment]) -> String {
    let mut out = String::from("[");
    for (i, f) in files.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let mut o = Writer::new()
            .text("id", &f.id)
            .text("name", &f.name)
            .number("size", f.size)
            .text("content_type", &f.content_type);
        if let Some(w) = f.width {
            o = o.number("width", w.into());
        }
        if let Some(h) = f.height {
            o = o.number("height", h.into());
        }
        out.push_str(&o.end());
    }
    out.push(']');
    out
}

/// [`SessionResponse`] as stored (and read back by [`session`]).
pub fn session_json(s: &SessionResponse) -> String {
    Writer::new()
        .text("visitor_id", &s.visitor_id)
        .text("conversation_id", &s.conversation_id)
        .text("token", &s.token)
        .end()
}

/// [`charla_shared::protocol::SessionRequest`]'s body.
pub fn session_request(workspace_id: &str) -> String {
    Writer::new().text("workspace_id", workspace_id).end()
}

/// `POST /v1/widget/prechat`'s body: `{"answers": {key: value}}`, in the form's order.
pub fn prechat_body<'a>(answers: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut o = Writer::new();
    for (k, v) in answers {
        o = o.text(k, v);
    }
    Writer::new().raw("answers", &o.end()).end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use charla_shared::lifecycle::{ActivityEvent, ActivityKind, Actor, Source};
    use charla_shared::protocol::{ErrorBody, LifecycleView};
    use charla_shared::widget_settings::{IdentifyRequest, PrechatForm};
    use serde::Serialize;
    use serde_json::Value;

    impl Json for Value {
        fn field(&self, key: &str) -> Self {
            self.get(key).cloned().unwrap_or(Value::Null)
        }
        fn string(&self) -> Option<String> {
            self.as_str().map(str::to_owned)
        }
        fn number(&self) -> Option<f64> {
            self.as_f64()
        }
        fn flag(&self) -> Option<bool> {
            self.as_bool()
        }
        fn items(&self) -> Option<Vec<Self>> {
            self.as_array().cloned()
        }
        fn is_object(&self) -> bool {
            Value::is_object(self)
        }
        fn each_entry(&self, mut f: impl FnMut(Option<String>, Self)) {
            for (k, v) in self.as_object().into_iter().flatten() {
                f(Some(k.clone()), v.clone());
            }
        }
        fn number_text(&self) -> Option<String> {
            self.as_number().map(|n| n.to_string())
        }
    }

    /// What the edge sends: the shared type as serde writes it.
    fn sent<T: Serialize>(value: &T) -> Value {
        serde_json::to_value(value).unwrap()
    }

    // Each chain below is a match without a wildcard: a new variant does not compile until it
    // is placed in its chain, and so in the round trips.
    fn next_code(code: ErrorCode) -> Option<ErrorCode> {
        use ErrorCode::*;
        match code {
            FrameTooLarge => Some(MalformedFrame),
            MalformedFrame => Some(TextTooLong),
            TextTooLong => Some(EmptyText),
            EmptyText => Some(InvalidClientId),
            InvalidClientId => Some(Unauthorized),
            Unauthorized => Some(Forbidden),
            Forbidden => Some(NotFound),
            NotFound => Some(BadRequest),
            BadRequest => Some(RateLimited),
            RateLimited => Some(Internal),
            Internal => Some(FileTooLarge),
            FileTooLarge => Some(FileTypeNotAllowed),
            FileTypeNotAllowed => Some(TooManyFiles),
            TooManyFiles => None,
        }
    }

    fn next_kind(kind: AuthorKind) -> Option<AuthorKind> {
        match kind {
            AuthorKind::Contact => Some(AuthorKind::Agent),
            AuthorKind::Agent => Some(AuthorKind::System),
            AuthorKind::System => None,
        }
    }

    fn every<T: Copy>(first: T, next: fn(T) -> Option<T>) -> Vec<T> {
        std::iter::successors(Some(first), |&x| next(x)).collect()
    }

    /// Frames only agents get; the widget has no use for them and reads them as unknown.
    fn for_the_widget(frame: &ServerFrame) -> bool {
        match frame {
            ServerFrame::Hello { .. }
            | ServerFrame::Synced { .. }
            | ServerFrame::Message { .. }
            | ServerFrame::Ack { .. }
            | ServerFrame::Typing { .. }
            | ServerFrame::Read { .. }
            | ServerFrame::Error { .. }
            | ServerFrame::Pong => true,
            ServerFrame::Lifecycle { .. }
            | ServerFrame::Activity { .. }
            | ServerFrame::Timeline { .. } => false,
        }
    }

    const VARIANTS: usize = 11;

    fn author(kind: AuthorKind) -> Author {
        Author {
            kind,
            id: format!("{kind:?}-1"),
            name: "Ana María".into(),
        }
    }

    fn message(seq: u64, kind: AuthorKind, buttons: Vec<QuickReply>) -> Message {
        Message {
            seq,
            client_id: format!("c-{seq}"),
            author: author(kind),
            text: "¿<b>hola</b>?\n\"sí\"".into(),
            at: 1_765_000_000_123 + seq as i64,
            buttons,
            // Every other message carries files, with and without their pixel size.
            attachments: if seq % 2 == 1 { files() } else { Vec::new() },
        }
    }

    fn files() -> Vec<Attachment> {
        vec![
            Attachment {
                id: "f_0000000000000000000000000000000a".into(),
                name: "captura \"1\".png".into(),
                size: 9_120,
                content_type: "image/png".into(),
                width: Some(640),
                height: Some(480),
            },
            Attachment {
                id: "f_0000000000000000000000000000000b".into(),
                name: "factura 2026.pdf".into(),
                size: 95 * 1024 * 1024,
                content_type: "application/pdf".into(),
                width: None,
                height: None,
            },
        ]
    }

    #[test]
    fn a_lines_files_are_written_as_serde_writes_them() {
        // Read back as a message's files are, and byte for byte what `serde_json` writes: the
        // files module reads them with `JSON.parse`.
        for file in files() {
            assert_eq!(attachment(&sent(&file)), Some(file.clone()));
        }
        for list in [
            files(),
            files()[..1].to_vec(),
            files()[1..].to_vec(),
            Vec::new(),
        ] {
            assert_eq!(files_json(&list), serde_json::to_string(&list).unwrap());
        }
        let ids: Vec<String> = files().into_iter().map(|f| f.id).collect();
        assert_eq!(file_ids(&ids), serde_json::to_string(&ids).unwrap());
        assert_eq!(attachment(&serde_json::json!({"id": "f_1"})), None);
    }

    fn samples() -> Vec<ServerFrame> {
        let kinds = every(AuthorKind::Contact, next_kind);
        let buttons = vec![
            QuickReply {
                label: "Sí".into(),
                value: "yes".into(),
            },
            QuickReply {
                label: "No".into(),
                value: "no".into(),
            },
        ];
        let event = ActivityEvent {
            at: 5,
            source: Source::User,
            actor: Actor::Agent { id: "a1".into() },
            kind: ActivityKind::BotPaused,
        };
        let mut frames = vec![
            ServerFrame::Synced {
                messages: kinds
                    .iter()
                    .enumerate()
                    .map(|(i, &k)| message(i as u64 + 1, k, buttons.clone()))
                    .collect(),
                last_seq: 3,
                more: true,
            },
            ServerFrame::Synced {
                messages: Vec::new(),
                last_seq: 0,
                more: false,
            },
            ServerFrame::Message {
                message: message(9, AuthorKind::System, Vec::new()),
            },
            ServerFrame::Pong,
            ServerFrame::Lifecycle {
                state: LifecycleView {
                    status: ConversationStatus::Open,
                    period: 2,
                    assignee_id: Some("a1".into()),
                    team_id: None,
                    bot_paused: true,
                },
            },
            ServerFrame::Activity {
                event: event.clone(),
            },
            ServerFrame::Timeline {
                events: vec![event],
            },
        ];
        for status in [ConversationStatus::Open, ConversationStatus::Closed] {
            for &kind in &kinds {
                frames.push(ServerFrame::Hello {
                    conversation_id: "c_1".into(),
                    you: author(kind),
                    last_seq: 42,
                    status,
                    read: ReadMarks {
                        agent: 40,
                        contact: 42,
                    },
                });
            }
        }
        for &kind in &kinds {
            frames.push(ServerFrame::Typing {
                author: author(kind),
                active: kind == AuthorKind::Agent,
            });
            frames.push(ServerFrame::Read {
                author_kind: kind,
                seq: 7,
            });
        }
        for duplicate in [false, true] {
            frames.push(ServerFrame::Ack {
                client_id: "c-1".into(),
                seq: 3,
                duplicate,
            });
        }
        for code in every(ErrorCode::FrameTooLarge, next_code) {
            for client_id in [None, Some("c-2".to_owned())] {
                frames.push(ServerFrame::Error {
                    code,
                    message: "refused".into(),
                    client_id,
                });
            }
        }
        frames
    }

    #[test]
    fn every_server_frame_round_trips_or_is_read_as_unknown() {
        let frames = samples();
        let variants: std::collections::HashSet<_> =
            frames.iter().map(std::mem::discriminant).collect();
        assert_eq!(variants.len(), VARIANTS, "a sample of every variant");
        for frame in frames {
            let expected = for_the_widget(&frame).then(|| frame.clone());
            assert_eq!(server_frame(&sent(&frame)), expected, "{frame:?}");
        }
    }

    #[test]
    fn unknown_and_malformed_frames_are_ignored() {
        for raw in [
            serde_json::json!({"type": "news"}),
            serde_json::json!({"type": "ack", "client_id": 3, "seq": 1}),
            serde_json::json!({"type": "synced", "messages": {}, "last_seq": 0, "more": false}),
            serde_json::json!([]),
            Value::Null,
        ] {
            assert_eq!(server_frame(&raw), None, "{raw}");
        }
    }

    #[test]
    fn sessions_refusals_and_identify_answers_round_trip() {
        let session = SessionResponse {
            visitor_id: "v_1".into(),
            conversation_id: "c_1".into(),
            token: "t.o.k".into(),
        };
        assert_eq!(session_response(&sent(&session)), Some(session.clone()));
        for merged in [false, true] {
            let answer = serde_json::json!({"session": sent(&session), "merged": merged});
            assert_eq!(identified_session(&answer), Some((session.clone(), merged)));
        }
        for code in every(ErrorCode::FrameTooLarge, next_code) {
            for retry_after in [None, Some(30)] {
                let body = ErrorBody {
                    code,
                    message: "no".into(),
                    details: Vec::new(),
                    retry_after,
                };
                let wire_code = sent(&code).as_str().unwrap().to_owned();
                let expected = (wire_code, Some("no".into()), retry_after.map(|s| s as u32));
                assert_eq!(refusal(&sent(&body)), expected);
            }
        }
        assert_eq!(refusal(&Value::Null), ("error".into(), None, None));
    }

    fn next_replies(r: RepliesIn) -> Option<RepliesIn> {
        match r {
            RepliesIn::Minutes => Some(RepliesIn::Hours),
            RepliesIn::Hours => Some(RepliesIn::Day),
            RepliesIn::Day => None,
        }
    }

    fn next_language(l: Language) -> Option<Language> {
        match l {
            Language::Auto => Some(Language::Es),
            Language::Es => Some(Language::En),
            Language::En => None,
        }
    }

    fn next_position(p: Position) -> Option<Position> {
        match p {
            Position::Left => Some(Position::Right),
            Position::Right => None,
        }
    }

    fn next_prechat(k: PrechatKind) -> Option<PrechatKind> {
        match k {
            PrechatKind::Name => Some(PrechatKind::Email),
            PrechatKind::Email => Some(PrechatKind::Phone),
            PrechatKind::Phone => Some(PrechatKind::Text),
            PrechatKind::Text => None,
        }
    }

    #[test]
    fn every_public_config_round_trips() {
        let fields: Vec<PrechatField> = every(PrechatKind::Name, next_prechat)
            .into_iter()
            .enumerate()
            .map(|(i, kind)| PrechatField {
                key: format!("k{i}"),
                label: format!("Label {i}"),
                kind,
                required: i % 2 == 0,
            })
            .collect();
        let mut configs = vec![WidgetSettings::default().public(true, Vec::new())];
        for replies_in in every(RepliesIn::Minutes, next_replies) {
            for language in every(Language::Auto, next_language) {
                for position in every(Position::Left, next_position) {
                    configs.push(PublicWidgetConfig {
                        brand_color: "#12ab9f".into(),
                        position,
                        launcher_label: "¿Hablamos?".into(),
                        header_text: "Soporte".into(),
                        greeting: "¡Hola!".into(),
                        replies_in,
                        language,
                        away_message: "Volvemos pronto".into(),
                        prechat: PrechatForm {
                            enabled: position == Position::Left,
                            fields: fields.clone(),
                        },
                        online: language != Language::Es,
                        agents: vec![
                            PublicAgent {
                                name: "Ana".into(),
                                initials: "A".into(),
                            },
                            PublicAgent {
                                name: "Luis Pérez".into(),
                                initials: "LP".into(),
                            },
                        ],
                        offset_x: if position == Position::Left { 32 } else { 20 },
                        offset_y: if language == Language::Es { 96 } else { 20 },
                        hide_on_mobile: replies_in == RepliesIn::Day,
                    });
                }
            }
        }
        for c in configs {
            assert_eq!(config(&sent(&c)), c);
        }
        // No config at all (the request failed): the default widget, assumed staffed.
        assert_eq!(
            config(&Value::Null),
            WidgetSettings::default().public(true, Vec::new())
        );
    }

    #[test]
    fn identify_calls_read_like_the_request_type() {
        let full = IdentifyRequest {
            user_id: "u-42".into(),
            user_hash: Some("ab12".into()),
            name: Some("Ana".into()),
            email: Some("ana@example.com".into()),
            attributes: [("plan", "pro"), ("seats", "3")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .into(),
        };
        let bare = IdentifyRequest {
            user_id: "u-1".into(),
            user_hash: None,
            name: None,
            email: None,
            attributes: Default::default(),
        };
        let attributes = IdentifyRequest {
            attributes: [("plan", "pro"), ("seats", "3"), ("a", "\n\"")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .into(),
            ..bare.clone()
        };
        for request in [full, bare, attributes] {
            let body = serde_json::to_string(&request).unwrap();
            assert_eq!(identify(&sent(&request)), Ok(body));
        }
        // Numbers and booleans as the page may pass them.
        let call = serde_json::json!({"user_id": 42, "attributes": {"vip": true, "age": 31}});
        let read: IdentifyRequest = serde_json::from_str(&identify(&call).unwrap()).unwrap();
        assert_eq!(read.user_id, "42");
        assert_eq!(read.attributes["vip"], "true");
        assert_eq!(read.attributes["age"], "31");
        assert!(identify(&serde_json::json!({"name": "x"})).is_err());
        assert!(identify(&Value::Null).is_err());
    }

    #[test]
    fn attributes_keep_the_maps_order_whatever_the_pages() {
        let pairs = [
            ("seats", "3"),
            ("a", "1"),
            ("plan", "pro"),
            ("a", "2"),
            ("Z", "z"),
        ];
        let mut list = Vec::new();
        let mut map = std::collections::BTreeMap::new();
        for (k, v) in pairs {
            insert_sorted(&mut list, k.into(), v.into());
            map.insert(k.to_owned(), v.to_owned());
        }
        assert_eq!(list, map.into_iter().collect::<Vec<_>>());
    }

    fn next_client_frame(frame: &ClientFrame) -> Option<ClientFrame> {
        Some(match frame {
            ClientFrame::Sync { .. } => ClientFrame::Send {
                client_id: "c-\"1\"".into(),
                text: "¿hola?\n\t\u{1}\u{1f}\u{7f}\\ \u{8}\u{c}\r é 😀".into(),
                attachments: vec![
                    "f_00000000000000000000000000000001".into(),
                    "f_0000000000000000000000000000000f".into(),
                ],
            },
            ClientFrame::Send { .. } => ClientFrame::Typing { active: true },
            ClientFrame::Typing { .. } => ClientFrame::Read {
                seq: u64::MAX >> 11,
            },
            ClientFrame::Read { .. } => ClientFrame::Ping,
            ClientFrame::Ping => ClientFrame::Action {
                action: charla_shared::lifecycle::Action::Unassign,
            },
            ClientFrame::Action { .. } => return None,
        })
    }

    #[test]
    fn what_the_widget_sends_and_stores_is_what_serde_writes() {
        let first = ClientFrame::Sync { after_seq: 0 };
        let frames: Vec<_> = std::iter::successors(Some(first), next_client_frame).collect();
        assert_eq!(frames.len(), 6, "a sample of every variant");
        for frame in &frames {
            let expected = match frame {
                // Agents' only: the widget never sends one.
                ClientFrame::Action { .. } => None,
                _ => Some(serde_json::to_string(frame).unwrap()),
            };
            assert_eq!(client_frame(frame), expected, "{frame:?}");
        }
        for n in [0, 7, 10, 99, 1_765_000_000_123, u64::MAX] {
            assert_eq!(decimal_string(n), n.to_string());
            let mut h = String::new();
            hex(&mut h, n);
            assert_eq!(h, format!("{n:x}"));
        }
        for n in [0, 5, -3, 812, i32::MIN, i32::MAX] {
            assert_eq!(px(n), format!("{n}px"));
        }
        let odd: String = (0u32..0x80)
            .filter_map(char::from_u32)
            .chain("ñ€😀".chars())
            .collect();
        let mut quoted = String::new();
        quote(&mut quoted, &odd);
        assert_eq!(quoted, serde_json::to_string(&odd).unwrap());

        let session = SessionResponse {
            visitor_id: "v_1".into(),
            conversation_id: "c_1".into(),
            token: "t.o\"k".into(),
        };
        assert_eq!(
            session_json(&session),
            serde_json::to_string(&session).unwrap()
        );
        let request = charla_shared::protocol::SessionRequest {
            workspace_id: "w_\"1".into(),
        };
        assert_eq!(
            session_request(&request.workspace_id),
            serde_json::to_string(&request).unwrap()
        );
        let answers = [("name", "Ana"), ("order", "7 \"b\"")];
        let map: serde_json::Map<_, _> = answers
            .iter()
            .map(|(k, v)| (k.to_string(), Value::from(*v)))
            .collect();
        assert_eq!(
            prechat_body(answers.into_iter()),
            serde_json::json!({ "answers": map }).to_string()
        );
    }
}
