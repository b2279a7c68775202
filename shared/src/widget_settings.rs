//! What a site owner configures about the widget (inbox → Settings → Widget), what the loader
//! receives publicly (one small JSON), the pre-chat form and identity verification.
//!
//! Allowed origins and the identity secret never leave the edge: [`PublicWidgetConfig`] is the
//! only shape served to the world.

use std::collections::BTreeMap;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::contact::{clean_email, clean_phone, ContactPatch};
use crate::error::Error;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    Left,
    #[default]
    Right,
}

/// `auto` follows the visitor's browser (`navigator.languages`), falling back to English.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    Auto,
    Es,
    En,
}

/// "Typically replies in …", translated by the widget.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepliesIn {
    Minutes,
    #[default]
    Hours,
    Day,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrechatKind {
    Name,
    Email,
    Phone,
    Text,
}

/// One question of the pre-chat form. `key` is the contact field it fills (`name`, `email`,
/// `phone`, or a custom key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrechatField {
    pub key: String,
    pub label: String,
    pub kind: PrechatKind,
    #[serde(default)]
    pub required: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrechatForm {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub fields: Vec<PrechatField>,
}

/// Fields left out of a saved body take their defaults (avatars on, right side, auto language).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WidgetSettings {
    /// `#rrggbb`.
    pub brand_color: String,
    pub position: Position,
    /// Text beside the launcher icon; empty = icon only.
    pub launcher_label: String,
    /// Header title; empty = the widget's translated default.
    pub header_text: String,
    /// First line the visitor sees; empty = the translated default.
    pub greeting: String,
    pub replies_in: RepliesIn,
    pub show_agent_avatars: bool,
    pub language: Language,
    /// Shown in the header when no agent is online; empty = the translated default.
    pub away_message: String,
    /// Exact origins (`https://shop.example.com`) allowed to start a widget session; empty =
    /// any origin.
    pub allowed_origins: Vec<String>,
    pub prechat: PrechatForm,
    /// Refuse `identify` calls without a valid HMAC of the user id.
    pub require_identity_verification: bool,
    /// The launcher's distance from the page's side (left or right, as `position`), in CSS
    /// pixels: moved off a theme's own corner buttons or footer links.
    pub offset_x: u16,
    /// The launcher's distance from the bottom of the page, in CSS pixels.
    pub offset_y: u16,
    /// No launcher on narrow screens (≤ 480 px): the chat opens there only from the page's own
    /// link or button (`charla("open")`), or when it was open on the previous page.
    pub hide_on_mobile: bool,
}

/// The launcher's default distance from the corner (px), as widget.css and the loader draw it.
pub const DEFAULT_OFFSET: u16 = 20;
/// Largest offsets accepted (px): beyond them the launcher would leave a phone's screen.
pub const MAX_OFFSET_X: u16 = 200;
pub const MAX_OFFSET_Y: u16 = 400;

impl Default for WidgetSettings {
    fn default() -> Self {
        Self {
            brand_color: "#4f46e5".into(),
            position: Position::Right,
            launcher_label: String::new(),
            header_text: String::new(),
            greeting: String::new(),
            replies_in: RepliesIn::Hours,
            show_agent_avatars: true,
            language: Language::Auto,
            away_message: String::new(),
            allowed_origins: Vec::new(),
            prechat: PrechatForm::default(),
            require_identity_verification: false,
            offset_x: DEFAULT_OFFSET,
            offset_y: DEFAULT_OFFSET,
            hide_on_mobile: false,
        }
    }
}

/// An agent as the widget shows them (header, and the first reply of each agent turn): first
/// name and initials, never the full name or an email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicAgent {
    pub name: String,
    pub initials: String,
}

impl PublicAgent {
    /// From a display name: its first word, and the first letters of its first two words.
    pub fn from_name(full: &str) -> Self {
        Self::from_name_with(full, str::to_uppercase)
    }

    /// [`Self::from_name`] with the caller's upper-casing: the widget uses the browser's, since
    /// Rust's Unicode case tables would add kilobytes to its wasm for two letters.
    pub fn from_name_with(full: &str, upper: impl Fn(&str) -> String) -> Self {
        let mut words = full.split_whitespace();
        let first: String = full
            .split_whitespace()
            .filter_map(|w| w.chars().next())
            .take(2)
            .collect();
        PublicAgent {
            name: words.next().unwrap_or("").to_owned(),
            initials: upper(&first),
        }
    }
}

/// `GET /v1/widget/config/{workspace}`: everything the loader and widget need, nothing secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicWidgetConfig {
    pub brand_color: String,
    pub position: Position,
    pub launcher_label: String,
    pub header_text: String,
    pub greeting: String,
    pub replies_in: RepliesIn,
    pub language: Language,
    pub away_message: String,
    pub prechat: PrechatForm,
    /// Someone is online in the inbox right now.
    pub online: bool,
    /// Up to three online agents, when avatars are on.
    pub agents: Vec<PublicAgent>,
    /// [`WidgetSettings::offset_x`]; left out when it is the default (bytes on every page view).
    #[serde(default = "default_offset", skip_serializing_if = "is_default_offset")]
    pub offset_x: u16,
    #[serde(default = "default_offset", skip_serializing_if = "is_default_offset")]
    pub offset_y: u16,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hide_on_mobile: bool,
}

fn default_offset() -> u16 {
    DEFAULT_OFFSET
}

fn is_default_offset(v: &u16) -> bool {
    *v == DEFAULT_OFFSET
}

/// `#rrggbb` in lower case, from what an owner typed (surrounding spaces and capitals
/// allowed); `None` for anything else. The edge's check and the inbox form's are this one.
pub fn normalize_hex(input: &str) -> Option<String> {
    let hex = input.trim().to_lowercase();
    let ok =
        hex.len() == 7 && hex.starts_with('#') && hex[1..].bytes().all(|b| b.is_ascii_hexdigit());
    ok.then_some(hex)
}

/// Text colour on the brand colour (`#rrggbb`): dark on light colours, white on dark ones
/// (YIQ brightness). The widget, the loader (in JS) and the inbox's preview use the same rule,
/// so the preview shows what visitors get.
pub fn foreground(brand: &str) -> &'static str {
    let n = brand
        .strip_prefix('#')
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .unwrap_or(0);
    let (r, g, b) = (n >> 16, (n >> 8) & 255, n & 255);
    if r * 299 + g * 587 + b * 114 >= 128_000 {
        "#111827"
    } else {
        "#fff"
    }
}

impl WidgetSettings {
    /// Check and normalise (trimmed texts, lower-case origins without a trailing slash).
    pub fn validated(mut self) -> Result<Self, Error> {
        self.brand_color = normalize_hex(&self.brand_color).ok_or_else(|| {
            Error::BadRequest("brand_color must be #rrggbb (e.g. #4f46e5)".into())
        })?;
        // The greeting and the away message are paragraphs (the widget keeps their line
        // breaks); the launcher label and the header are one line.
        for (name, text, max, lines) in [
            ("launcher_label", &mut self.launcher_label, 30, false),
            ("header_text", &mut self.header_text, 60, false),
            ("greeting", &mut self.greeting, 300, true),
            ("away_message", &mut self.away_message, 300, true),
        ] {
            *text = text.trim().replace("\r\n", "\n");
            let bad = |c: char| c.is_control() && !(lines && c == '\n');
            if text.chars().count() > max || text.chars().any(bad) {
                let kind = if lines { "text" } else { "text on one line" };
                return Err(Error::BadRequest(format!(
                    "{name} is at most {max} characters of {kind}"
                )));
            }
        }
        if self.offset_x > MAX_OFFSET_X || self.offset_y > MAX_OFFSET_Y {
            return Err(Error::BadRequest(format!(
                "offset_x is at most {MAX_OFFSET_X} and offset_y at most {MAX_OFFSET_Y} pixels"
            )));
        }
        if self.allowed_origins.len() > 50 {
            return Err(Error::BadRequest("at most 50 allowed origins".into()));
        }
        self.allowed_origins = self
            .allowed_origins
            .iter()
            .map(|o| normalize_origin(o))
            .collect::<Result<_, _>>()?;
        if self.prechat.fields.len() > 10 {
            return Err(Error::BadRequest(
                "the pre-chat form has at most 10 fields".into(),
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for field in &mut self.prechat.fields {
            field.label = field.label.trim().to_owned();
            let key_ok = match field.kind {
                PrechatKind::Name => field.key == "name",
                PrechatKind::Email => field.key == "email",
                PrechatKind::Phone => field.key == "phone",
                PrechatKind::Text => {
                    !field.key.is_empty()
                        && field.key.len() <= 40
                        && field
                            .key
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                        && !matches!(field.key.as_str(), "name" | "email" | "phone" | "id")
                }
            };
            if !key_ok || !seen.insert(field.key.clone()) {
                return Err(Error::BadRequest(format!(
                    "pre-chat field {:?}: name/email/phone fields use those keys; custom ones a \
                     unique key of a-z, 0-9, _",
                    field.key
                )));
            }
            if field.label.is_empty() || field.label.chars().count() > 60 {
                return Err(Error::BadRequest(format!(
                    "pre-chat field {:?}: the label is 1-60 characters",
                    field.key
                )));
            }
        }
        Ok(self)
    }

    /// Whether a browser `Origin` header may start a session. No header (not a browser) and
    /// an empty list are both allowed: the list is a guard against other sites embedding the
    /// widget, not authentication.
    pub fn allows_origin(&self, origin: Option<&str>) -> bool {
        match origin {
            None => true,
            Some(origin) => {
                self.allowed_origins.is_empty()
                    || self
                        .allowed_origins
                        .iter()
                        .any(|o| o.eq_ignore_ascii_case(origin.trim_end_matches('/')))
            }
        }
    }

    pub fn public(&self, online: bool, agents: Vec<PublicAgent>) -> PublicWidgetConfig {
        PublicWidgetConfig {
            brand_color: self.brand_color.clone(),
            position: self.position,
            launcher_label: self.launcher_label.clone(),
            header_text: self.header_text.clone(),
            greeting: self.greeting.clone(),
            replies_in: self.replies_in,
            language: self.language,
            away_message: self.away_message.clone(),
            prechat: self.prechat.clone(),
            online,
            agents: if self.show_agent_avatars {
                agents.into_iter().take(3).collect()
            } else {
                Vec::new()
            },
            offset_x: self.offset_x,
            offset_y: self.offset_y,
            hide_on_mobile: self.hide_on_mobile,
        }
    }

    /// Turn the visitor's pre-chat answers into a contact patch: only the form's keys, every
    /// required one present, emails and phones valid. Errors name the field.
    pub fn prechat_patch(&self, answers: &BTreeMap<String, String>) -> Result<ContactPatch, Error> {
        if let Some(extra) = answers
            .keys()
            .find(|k| !self.prechat.fields.iter().any(|f| &f.key == *k))
        {
            return Err(Error::BadRequest(format!(
                "{extra:?} is not a field of this pre-chat form"
            )));
        }
        let mut patch = ContactPatch::default();
        for field in &self.prechat.fields {
            let value = answers
                .get(&field.key)
                .map(|v| v.trim())
                .unwrap_or_default();
            if value.is_empty() {
                if field.required {
                    return Err(Error::BadRequest(format!("{} is required", field.label)));
                }
                continue;
            }
            match field.kind {
                PrechatKind::Name => patch.name = Some(value.to_owned()),
                PrechatKind::Email => {
                    clean_email(value)?;
                    patch.email = Some(value.to_owned());
                }
                PrechatKind::Phone => {
                    clean_phone(value)?;
                    patch.phone = Some(value.to_owned());
                }
                PrechatKind::Text => {
                    patch
                        .fields
                        .insert(field.key.clone(), Some(value.to_owned()));
                }
            }
        }
        Ok(patch)
    }
}

fn normalize_origin(origin: &str) -> Result<String, Error> {
    let o = origin.trim().trim_end_matches('/').to_lowercase();
    let rest = o
        .strip_prefix("https://")
        .or_else(|| o.strip_prefix("http://"));
    let ok = rest.is_some_and(|host| {
        !host.is_empty()
            && !host.contains('/')
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
    });
    if ok {
        Ok(o)
    } else {
        Err(Error::BadRequest(format!(
            "{origin:?} is not an origin (scheme://host[:port], e.g. https://shop.example.com)"
        )))
    }
}

/// What the connection check says about the site's origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OriginStatus {
    /// On the workspace's allow-list.
    Allowed,
    /// The workspace has an allow-list and this origin is not on it: the chat will refuse
    /// to start on that site.
    NotAllowed,
    /// No allow-list: every site may use the chat.
    AnySite,
    /// No origin was given (a check from a server, not a browser).
    Unknown,
}

/// `GET /v1/widget/check/{workspace}[?site=…]`: what an owner pasting the snippet (the
/// WordPress settings page, the inbox's widget settings) needs to see at once: the workspace
/// exists (a 404 otherwise), the site may use it, someone will answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionCheck {
    /// The origin checked: of `site` when given, else the request's `Origin`.
    pub origin: Option<String>,
    pub origin_status: OriginStatus,
    /// Agents signed in to the inbox and not away.
    pub agents_online: u32,
    /// Within business hours (or none are set).
    pub open: bool,
}

/// The origin of a page address an owner typed or a browser sent (`https://Shop.example.com/a/b`
/// → `https://shop.example.com`); `None` if it is not an http(s) address.
pub fn site_origin(address: &str) -> Option<String> {
    let address = address.trim();
    let (scheme, rest) = address.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    if host.contains('@') || address.len() > 2048 {
        return None;
    }
    normalize_origin(&format!("{scheme}://{host}")).ok()
}

impl WidgetSettings {
    /// The allow-list's answer for `origin`, as the connection check shows it.
    pub fn origin_status(&self, origin: Option<&str>) -> OriginStatus {
        match origin {
            None => OriginStatus::Unknown,
            Some(_) if self.allowed_origins.is_empty() => OriginStatus::AnySite,
            Some(o) if self.allows_origin(Some(o)) => OriginStatus::Allowed,
            Some(_) => OriginStatus::NotAllowed,
        }
    }
}

/// `POST /v1/widget/identify` body, from the site's `charla("identify", …)`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentifyRequest {
    /// The site's own user id (1-128 characters).
    pub user_id: String,
    /// `hex(HMAC-SHA256(identity_secret, user_id))`, computed by the site's backend.
    #[serde(default)]
    pub user_hash: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// Custom contact fields (keys `[a-z0-9_]{1,40}`).
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

impl IdentifyRequest {
    pub fn check(&self) -> Result<(), Error> {
        let id = self.user_id.trim();
        if id.is_empty() || id.chars().count() > 128 || id.chars().any(char::is_control) {
            return Err(Error::BadRequest("user_id must be 1-128 characters".into()));
        }
        Ok(())
    }

    /// The contact fields the site vouches for (`user_id` included, as a custom field).
    pub fn patch(&self) -> ContactPatch {
        let mut fields: BTreeMap<String, Option<String>> = self
            .attributes
            .iter()
            .map(|(k, v)| (k.clone(), Some(v.clone())))
            .collect();
        fields.insert("user_id".into(), Some(self.user_id.trim().to_owned()));
        ContactPatch {
            name: self.name.clone(),
            email: self.email.clone(),
            fields,
            ..ContactPatch::default()
        }
    }
}

type HmacSha256 = Hmac<Sha256>;

/// What the site's backend computes to vouch for a logged-in user:
/// `hex(HMAC-SHA256(identity_secret, user_id))`.
pub fn identity_hash(secret: &[u8], user_id: &str) -> String {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(user_id.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Constant-time check of a presented identity hash (hex, any case).
pub fn verify_identity(secret: &[u8], user_id: &str, presented: &str) -> bool {
    let Some(bytes) = decode_hex(presented.trim()) else {
        return false;
    };
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(user_id.as_bytes());
    mac.verify_slice(&bytes).is_ok()
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn launcher_offsets_are_bounded_and_cost_no_bytes_when_default() {
        let moved = settings(r#"{"offset_x":32,"offset_y":96,"hide_on_mobile":true}"#).unwrap();
        let public = moved.public(true, Vec::new());
        assert_eq!(
            (public.offset_x, public.offset_y, public.hide_on_mobile),
            (32, 96, true)
        );
        let json =
            serde_json::to_string(&WidgetSettings::default().public(true, Vec::new())).unwrap();
        assert!(
            !json.contains("offset") && !json.contains("hide_on_mobile"),
            "{json}"
        );
        let back: PublicWidgetConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(
            (back.offset_x, back.offset_y),
            (DEFAULT_OFFSET, DEFAULT_OFFSET)
        );
        assert!(settings(r#"{"offset_x":201}"#).is_err());
        assert!(settings(r#"{"offset_y":401}"#).is_err());
        assert!(settings(r#"{"offset_x":-1}"#).is_err());
    }

    #[test]
    fn a_site_address_becomes_its_origin_and_the_allow_list_answers_for_it() {
        assert_eq!(
            site_origin(" HTTPS://Shop.Example.com/producto/1?x=2#y ").as_deref(),
            Some("https://shop.example.com")
        );
        assert_eq!(
            site_origin("http://localhost:8080").as_deref(),
            Some("http://localhost:8080")
        );
        for bad in [
            "shop.example.com",
            "javascript://x",
            "https://",
            "https://u:p@x.example",
            "https://a b",
        ] {
            assert_eq!(site_origin(bad), None, "{bad}");
        }
        let open = settings("{}").unwrap();
        assert_eq!(
            open.origin_status(Some("https://a.example")),
            OriginStatus::AnySite
        );
        assert_eq!(open.origin_status(None), OriginStatus::Unknown);
        let listed = settings(r#"{"allowed_origins":["https://shop.example.com"]}"#).unwrap();
        assert_eq!(
            listed.origin_status(Some("https://shop.example.com")),
            OriginStatus::Allowed
        );
        assert_eq!(
            listed.origin_status(Some("https://other.example")),
            OriginStatus::NotAllowed
        );
        assert_eq!(listed.origin_status(None), OriginStatus::Unknown);
    }

    fn settings(json: &str) -> Result<WidgetSettings, Error> {
        serde_json::from_str::<WidgetSettings>(json)
            .map_err(|e| Error::BadRequest(e.to_string()))?
            .validated()
    }

    #[test]
    fn validation_normalises_and_refuses() {
        let s = settings(
            r##"{"brand_color":"#AABBCC","allowed_origins":["HTTPS://Shop.Example.com/"]}"##,
        )
        .unwrap();
        assert_eq!(s.brand_color, "#aabbcc");
        assert_eq!(s.allowed_origins, ["https://shop.example.com"]);
        let paragraphs = settings(
            r##"{"brand_color":"#123456","greeting":"Hola.\r\n¿Qué tal?","away_message":"Fuera.\nVolvemos a las 9."}"##,
        )
        .unwrap();
        assert_eq!(paragraphs.greeting, "Hola.\n¿Qué tal?");
        assert_eq!(paragraphs.away_message, "Fuera.\nVolvemos a las 9.");
        for bad in [
            r##"{"brand_color":"red"}"##,
            r##"{"brand_color":"#123456","allowed_origins":["shop.example.com"]}"##,
            r##"{"brand_color":"#123456","allowed_origins":["https://a.com/path"]}"##,
            r##"{"brand_color":"#123456","greeting":"line\u0000"}"##,
            r##"{"brand_color":"#123456","header_text":"two\nlines"}"##,
            r##"{"brand_color":"#123456","launcher_label":"two\nlines"}"##,
            r##"{"brand_color":"#123456","prechat":{"enabled":true,"fields":[{"key":"mail","label":"Email","kind":"email"}]}}"##,
            r##"{"brand_color":"#123456","prechat":{"enabled":true,"fields":[{"key":"x","label":"","kind":"text"}]}}"##,
        ] {
            assert!(settings(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn readable_text_on_the_brand_colour() {
        assert_eq!(foreground("#4f46e5"), "#fff");
        assert_eq!(foreground("#2563eb"), "#fff");
        assert_eq!(foreground("#0f766e"), "#fff");
        assert_eq!(foreground("#facc15"), "#111827");
        assert_eq!(foreground("#ffffff"), "#111827");
        assert_eq!(foreground("#000000"), "#fff");
        assert_eq!(foreground("nonsense"), "#fff");
    }

    #[test]
    fn origins() {
        let s =
            settings(r##"{"brand_color":"#123456","allowed_origins":["https://a.com"]}"##).unwrap();
        assert!(s.allows_origin(Some("https://a.com")));
        assert!(s.allows_origin(Some("https://A.com/")));
        assert!(!s.allows_origin(Some("https://evil.com")));
        assert!(!s.allows_origin(Some("http://a.com")));
        assert!(s.allows_origin(None));
        assert!(WidgetSettings::default().allows_origin(Some("https://any.where")));
    }

    #[test]
    fn prechat_answers_become_a_validated_patch() {
        let s = settings(
            r##"{"brand_color":"#123456","prechat":{"enabled":true,"fields":[
                {"key":"name","label":"Nombre","kind":"name","required":true},
                {"key":"email","label":"Email","kind":"email","required":true},
                {"key":"phone","label":"Teléfono","kind":"phone"},
                {"key":"order","label":"Pedido","kind":"text"}]}}"##,
        )
        .unwrap();
        let answers = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let patch = s
            .prechat_patch(&answers(&[
                ("name", "Ana"),
                ("email", "ana@example.com"),
                ("order", "1042"),
            ]))
            .unwrap();
        assert_eq!(patch.name.as_deref(), Some("Ana"));
        assert_eq!(patch.fields["order"].as_deref(), Some("1042"));
        assert!(patch.phone.is_none());
        let missing = s.prechat_patch(&answers(&[("name", "Ana")])).unwrap_err();
        assert!(missing.to_string().contains("Email is required"));
        assert!(s
            .prechat_patch(&answers(&[("name", "A"), ("email", "nope")]))
            .is_err());
        assert!(s
            .prechat_patch(&answers(&[
                ("name", "A"),
                ("email", "a@b.co"),
                ("phone", "12")
            ]))
            .is_err());
        assert!(s
            .prechat_patch(&answers(&[
                ("name", "A"),
                ("email", "a@b.co"),
                ("vip", "yes")
            ]))
            .is_err());
    }

    #[test]
    fn identity_hmac() {
        let h = identity_hash(b"secret", "user-42");
        assert_eq!(h.len(), 64);
        assert!(verify_identity(b"secret", "user-42", &h));
        assert!(verify_identity(b"secret", "user-42", &h.to_uppercase()));
        assert!(!verify_identity(b"secret", "user-43", &h));
        assert!(!verify_identity(b"other", "user-42", &h));
        assert!(!verify_identity(b"secret", "user-42", "zz"));
        assert!(!verify_identity(b"secret", "user-42", ""));
    }
}
