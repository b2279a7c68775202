//! The "Chat widget" settings form: the workspace's [`WidgetSettings`] as the owner edits them
//! (pre-chat fields with stable row ids, allowed origins, texts as typed), the checks the edge
//! makes mirrored here so problems show beside the field before anything is sent, the embed
//! snippet and the identity-signing examples. Pure, so it is tested natively; the edge still
//! checks everything (`WidgetSettings::validated`) and its refusals are shown as they come.

use crate::settings::i18n::st;
pub use charla_shared::widget_settings::{foreground, normalize_hex};
use charla_shared::widget_settings::{
    Language, Position, PrechatField, PrechatForm, PrechatKind, RepliesIn, WidgetSettings,
};

use crate::i18n::Lang;
use crate::kit::Choice;

/// Limits of `WidgetSettings::validated`, in characters after trimming.
pub const LAUNCHER_LABEL_MAX: usize = 30;
pub const HEADER_TEXT_MAX: usize = 60;
pub const GREETING_MAX: usize = 300;
pub const AWAY_MESSAGE_MAX: usize = 300;
pub const PRECHAT_LABEL_MAX: usize = 60;
pub const MAX_PRECHAT_FIELDS: usize = 10;
pub const MAX_ALLOWED_ORIGINS: usize = 50;
/// Custom pre-chat keys are contact field keys: `[a-z0-9_]{1,40}`.
const MAX_KEY_LEN: usize = 40;
/// Keys a custom text field may not take (the standard contact fields and the contact's id).
const RESERVED_KEYS: [&str; 4] = ["name", "email", "phone", "id"];

/// The brand colour when none is set (the edge's default).
pub const DEFAULT_BRAND_COLOR: &str = "#4f46e5";

/// Where the install guides and the JavaScript API are documented, in the Charla sources.
pub const INSTALL_GUIDES: &str = "demo-site/docs/README.md";
pub const JS_API_GUIDE: &str = "demo-site/docs/js-api.md";

/// One question of the pre-chat form as a row of the builder. `id` is the row's identity in
/// the page (a custom field's key never changes after it is added, but ids also survive moves).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRow {
    pub id: u32,
    pub key: String,
    pub label: String,
    pub kind: PrechatKind,
    pub required: bool,
}

/// What can be wrong with the form, and where the message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    BrandColor,
    LauncherLabel,
    HeaderText,
    Greeting,
    AwayMessage,
    /// The label of the pre-chat row with this id.
    PrechatLabel(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidgetForm {
    /// As typed; `#rrggbb` once valid.
    pub brand_color: String,
    pub position: Position,
    pub launcher_label: String,
    pub header_text: String,
    pub greeting: String,
    pub replies_in: RepliesIn,
    pub show_agent_avatars: bool,
    pub language: Language,
    pub away_message: String,
    /// Normalised (lower case, no trailing slash), as the edge stores them.
    pub allowed_origins: Vec<String>,
    pub prechat_enabled: bool,
    pub fields: Vec<FieldRow>,
    pub require_identity_verification: bool,
    /// The launcher's distance from the side and the bottom (px), and whether phones get one.
    pub offset_x: u16,
    pub offset_y: u16,
    pub hide_on_mobile: bool,
    next_id: u32,
}

impl Default for WidgetForm {
    fn default() -> Self {
        WidgetForm::from_settings(&WidgetSettings::default())
    }
}

impl WidgetForm {
    pub fn from_settings(s: &WidgetSettings) -> Self {
        let fields: Vec<FieldRow> = s
            .prechat
            .fields
            .iter()
            .zip(1..)
            .map(|(f, id)| FieldRow {
                id,
                key: f.key.clone(),
                label: f.label.clone(),
                kind: f.kind,
                required: f.required,
            })
            .collect();
        WidgetForm {
            brand_color: s.brand_color.clone(),
            position: s.position,
            launcher_label: s.launcher_label.clone(),
            header_text: s.header_text.clone(),
            greeting: s.greeting.clone(),
            replies_in: s.replies_in,
            show_agent_avatars: s.show_agent_avatars,
            language: s.language,
            away_message: s.away_message.clone(),
            allowed_origins: s.allowed_origins.clone(),
            prechat_enabled: s.prechat.enabled,
            next_id: fields.len() as u32 + 1,
            fields,
            require_identity_verification: s.require_identity_verification,
            offset_x: s.offset_x,
            offset_y: s.offset_y,
            hide_on_mobile: s.hide_on_mobile,
        }
    }

    /// The settings this form stands for, unchecked (texts trimmed, the colour lower case).
    pub fn settings(&self) -> WidgetSettings {
        WidgetSettings {
            brand_color: self.brand_color.trim().to_lowercase(),
            position: self.position,
            launcher_label: self.launcher_label.trim().to_owned(),
            header_text: self.header_text.trim().to_owned(),
            greeting: self.greeting.trim().to_owned(),
            replies_in: self.replies_in,
            show_agent_avatars: self.show_agent_avatars,
            language: self.language,
            away_message: self.away_message.trim().to_owned(),
            allowed_origins: self.allowed_origins.clone(),
            prechat: PrechatForm {
                enabled: self.prechat_enabled,
                fields: self
                    .fields
                    .iter()
                    .map(|f| PrechatField {
                        key: f.key.clone(),
                        label: f.label.trim().to_owned(),
                        kind: f.kind,
                        required: f.required,
                    })
                    .collect(),
            },
            require_identity_verification: self.require_identity_verification,
            offset_x: self.offset_x,
            offset_y: self.offset_y,
            hide_on_mobile: self.hide_on_mobile,
        }
    }

    /// The settings to send, or the first problem (every problem is also shown at its field).
    pub fn to_settings(&self) -> Result<WidgetSettings, String> {
        match self.problems().into_iter().next() {
            Some((_, message)) => Err(message),
            None => Ok(self.settings()),
        }
    }

    /// Whether saving would change what `saved` holds.
    pub fn differs_from(&self, saved: &WidgetSettings) -> bool {
        self.settings() != *saved
    }

    /// Everything the edge would refuse, field by field, in the page's order.
    pub fn problems(&self) -> Vec<(Field, String)> {
        let mut out = Vec::new();
        if normalize_hex(&self.brand_color).is_none() {
            out.push((Field::BrandColor, st().bad_brand_colour.to_owned()));
        }
        for (field, name, text, max) in [
            (
                Field::LauncherLabel,
                st().launcher_label,
                &self.launcher_label,
                LAUNCHER_LABEL_MAX,
            ),
            (
                Field::HeaderText,
                st().header_text,
                &self.header_text,
                HEADER_TEXT_MAX,
            ),
            (Field::Greeting, st().greeting, &self.greeting, GREETING_MAX),
            (
                Field::AwayMessage,
                st().away_message,
                &self.away_message,
                AWAY_MESSAGE_MAX,
            ),
        ] {
            let lines = matches!(field, Field::Greeting | Field::AwayMessage);
            if let Some(problem) = text_problem(name, text, max, lines) {
                out.push((field, problem));
            }
        }
        for f in &self.fields {
            let label = f.label.trim();
            let problem = if label.is_empty() {
                Some(st().field_needs_label(kind_label(f.kind)))
            } else {
                text_problem(st().a_prechat_label, label, PRECHAT_LABEL_MAX, false)
            };
            if let Some(problem) = problem {
                out.push((Field::PrechatLabel(f.id), problem));
            }
        }
        out
    }

    pub fn problem(&self, field: Field) -> Option<String> {
        self.problems()
            .into_iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m)
    }

    // --- pre-chat fields ---

    pub fn field(&self, id: u32) -> Option<&FieldRow> {
        self.fields.iter().find(|f| f.id == id)
    }

    fn field_mut(&mut self, id: u32) -> Option<&mut FieldRow> {
        self.fields.iter_mut().find(|f| f.id == id)
    }

    /// Whether a field of `kind` may be added now: ten at most, name/email/phone once each.
    pub fn can_add(&self, kind: PrechatKind) -> bool {
        self.fields.len() < MAX_PRECHAT_FIELDS
            && (kind == PrechatKind::Text || !self.fields.iter().any(|f| f.kind == kind))
    }

    /// Add a question at the end. A name/email/phone field fills that contact field (its key
    /// is the kind's) and takes `label` or a default one; a text field needs a label, and its
    /// key is derived from it (unique, e.g. "Order number" → `order_number`). Returns the row id.
    pub fn add_field(&mut self, kind: PrechatKind, label: &str) -> Result<u32, String> {
        if self.fields.len() >= MAX_PRECHAT_FIELDS {
            return Err(st().prechat_at_most(MAX_PRECHAT_FIELDS));
        }
        let label = label.trim();
        let key = match kind {
            PrechatKind::Text => {
                if label.is_empty() {
                    return Err(st().type_field_label.to_owned());
                }
                let taken: Vec<&str> = self.fields.iter().map(|f| f.key.as_str()).collect();
                key_for_label(label, &taken)
            }
            _ => {
                if self.fields.iter().any(|f| f.kind == kind) {
                    return Err(st().already_asks(kind_label(kind)));
                }
                kind_key(kind).to_owned()
            }
        };
        let label = if label.is_empty() {
            kind_label(kind).to_owned()
        } else {
            label.to_owned()
        };
        if let Some(problem) = text_problem(st().a_prechat_label, &label, PRECHAT_LABEL_MAX, false)
        {
            return Err(problem);
        }
        let id = self.next_id;
        self.next_id += 1;
        self.fields.push(FieldRow {
            id,
            key,
            label,
            kind,
            required: false,
        });
        Ok(id)
    }

    pub fn remove_field(&mut self, id: u32) {
        self.fields.retain(|f| f.id != id);
    }

    /// Move a row one place up (`-1`) or down (`1`); `false` at either end.
    pub fn move_field(&mut self, id: u32, delta: isize) -> bool {
        let Some(at) = self.fields.iter().position(|f| f.id == id) else {
            return false;
        };
        let Some(to) = at
            .checked_add_signed(delta)
            .filter(|&to| to < self.fields.len())
        else {
            return false;
        };
        self.fields.swap(at, to);
        true
    }

    pub fn set_required(&mut self, id: u32, required: bool) {
        if let Some(f) = self.field_mut(id) {
            f.required = required;
        }
    }

    pub fn set_label(&mut self, id: u32, label: &str) {
        if let Some(f) = self.field_mut(id) {
            f.label = label.to_owned();
        }
    }

    // --- allowed origins ---

    /// Add an origin (normalised as the edge stores it). Refuses what is not an origin,
    /// duplicates and more than fifty.
    pub fn add_origin(&mut self, input: &str) -> Result<String, String> {
        let origin = check_origin(input)?;
        if self.allowed_origins.contains(&origin) {
            return Err(st().already_allowed(&origin));
        }
        if self.allowed_origins.len() >= MAX_ALLOWED_ORIGINS {
            return Err(st().origins_at_most(MAX_ALLOWED_ORIGINS));
        }
        self.allowed_origins.push(origin.clone());
        Ok(origin)
    }

    pub fn remove_origin(&mut self, origin: &str) {
        self.allowed_origins.retain(|o| o != origin);
    }

    // --- preview ---

    /// The colour the preview draws with: the typed one once valid, else the last good
    /// default.
    pub fn preview_color(&self) -> String {
        normalize_hex(&self.brand_color).unwrap_or_else(|| DEFAULT_BRAND_COLOR.to_owned())
    }

    /// What the widget's header, greeting and launcher will say, with the widget's defaults
    /// for empty texts: Spanish when the language is Spanish; with the visitor's language
    /// (automatic), what a visitor who speaks the agent's language sees.
    pub fn preview(&self) -> Preview {
        let spanish = match self.language {
            Language::Es => true,
            Language::En => false,
            Language::Auto => crate::i18n::lang() == crate::i18n::Lang::Es,
        };
        let or = |text: &str, en: &str, es: &str| {
            let text = text.trim();
            if !text.is_empty() {
                text.to_owned()
            } else if spanish {
                es.to_owned()
            } else {
                en.to_owned()
            }
        };
        let status = match (self.replies_in, spanish) {
            (RepliesIn::Minutes, false) => "Typically replies in a few minutes",
            (RepliesIn::Hours, false) => "Typically replies in a few hours",
            (RepliesIn::Day, false) => "Typically replies in a day",
            (RepliesIn::Minutes, true) => "Suele responder en unos minutos",
            (RepliesIn::Hours, true) => "Suele responder en unas horas",
            (RepliesIn::Day, true) => "Suele responder en un día",
        };
        Preview {
            title: or(&self.header_text, "Chat with us", "Chatea con nosotros"),
            status: status.to_owned(),
            greeting: or(
                &self.greeting,
                "Hi! How can we help you?",
                "¡Hola! ¿En qué podemos ayudarte?",
            ),
            launcher_label: self.launcher_label.trim().to_owned(),
        }
    }
}

/// The widget's texts as the preview shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub title: String,
    pub status: String,
    pub greeting: String,
    /// Empty: the launcher is the round icon only.
    pub launcher_label: String,
}

/// `lines`: line breaks allowed (the greeting and the away message are paragraphs; the edge
/// stores `\r\n` as `\n`, so a break counts one character here too).
fn text_problem(name: &str, text: &str, max: usize, lines: bool) -> Option<String> {
    let text = text.trim().replace("\r\n", "\n");
    let count = text.chars().count();
    if count > max {
        Some(st().text_too_long(name, max, count))
    } else if text
        .chars()
        .any(|c| c.is_control() && !(lines && c == '\n'))
    {
        Some(st().one_line(name))
    } else {
        None
    }
}

/// Check what the owner typed as an allowed origin: `https://host[:port]` (or `http://` for
/// local sites), nothing after the host. Returns it as the edge stores it (lower case, no
/// trailing slash). Stricter than the edge, never looser.
pub fn check_origin(input: &str) -> Result<String, String> {
    let typed = input.trim();
    if typed.is_empty() {
        return Err(st().type_origin.to_owned());
    }
    let origin = typed.trim_end_matches('/').to_lowercase();
    let Some(rest) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        return Err(st().not_origin_scheme(typed));
    };
    if rest.contains(['/', '?', '#']) {
        return Err(st().origin_has_path(typed));
    }
    if host_and_port_ok(rest) {
        Ok(origin)
    } else {
        Err(st().not_origin(typed))
    }
}

/// `host[:port]` with a DNS name, IPv4 address or `[IPv6]` host and a port of 1-65535.
fn host_and_port_ok(rest: &str) -> bool {
    let (host_ok, port) = match rest.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((addr, after)) => (
                !addr.is_empty() && addr.bytes().all(|b| b.is_ascii_hexdigit() || b == b':'),
                match after {
                    "" => None,
                    after => Some(after.strip_prefix(':').unwrap_or("x")),
                },
            ),
            None => (false, None),
        },
        None => {
            let (host, port) = match rest.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (rest, None),
            };
            let host_ok = !host.is_empty()
                && host.split('.').all(|label| {
                    !label.is_empty()
                        && label
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                });
            (host_ok, port)
        }
    };
    host_ok
        && port.is_none_or(|p| {
            !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n > 0)
        })
}

/// A custom field's key from its label: lower-case ASCII letters, digits and `_` (accents
/// dropped: "Teléfono fijo" → `telefono_fijo`), at most 40 characters, never a reserved key
/// nor one in `taken` (`_2`, `_3`, … are appended).
pub fn key_for_label(label: &str, taken: &[&str]) -> String {
    let mut base = String::new();
    for c in label.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'a'..='z' | '0'..='9' => Some(c),
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => Some('a'),
            'ç' => Some('c'),
            'è' | 'é' | 'ê' | 'ë' => Some('e'),
            'ì' | 'í' | 'î' | 'ï' => Some('i'),
            'ñ' => Some('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => Some('o'),
            'ù' | 'ú' | 'û' | 'ü' => Some('u'),
            'ý' | 'ÿ' => Some('y'),
            _ => None,
        };
        match mapped {
            Some(c) => base.push(c),
            None if !base.is_empty() && !base.ends_with('_') => base.push('_'),
            None => {}
        }
    }
    let mut base = base.trim_end_matches('_').to_owned();
    // Room for a "_NN" suffix.
    base.truncate(MAX_KEY_LEN - 3);
    let base = match base.trim_end_matches('_') {
        "" => "field".to_owned(),
        b => b.to_owned(),
    };
    let free = |k: &str| !RESERVED_KEYS.contains(&k) && !taken.contains(&k);
    if free(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|k| free(k))
        .expect("some suffix is free")
}

/// The `<script>` tag a site pastes before `</body>` (demo-site/docs/README.md).
pub fn embed_snippet(edge_origin: &str, workspace_id: &str) -> String {
    format!(
        "<script async src=\"{}/loader.js\" data-workspace=\"{}\"></script>",
        attribute(edge_origin.trim_end_matches('/')),
        attribute(workspace_id)
    )
}

fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// How a site's backend signs a user id: `hex(HMAC-SHA256(key = the secret as shown, message
/// = the user id as sent to identify))`, what the edge checks (`verify_identity`, on the
/// trimmed `user_id`, with the secret's text as the key: not hex-decoded).
pub const SIGNING_EXAMPLES: [(&str, &str); 2] = [
    (
        "Node",
        "const { createHmac } = require(\"node:crypto\");\n\
         // userId: the same string you pass to charla(\"identify\", { user_id })\n\
         const userHash = createHmac(\"sha256\", process.env.CHARLA_IDENTITY_SECRET)\n  \
         .update(String(userId))\n  \
         .digest(\"hex\");",
    ),
    (
        "PHP",
        "// $userId: the same string you pass to charla(\"identify\", { user_id })\n\
         $userHash = hash_hmac('sha256', (string) $userId, getenv('CHARLA_IDENTITY_SECRET'));",
    ),
];

/// The page's side of identify, with the hash from the backend.
pub const IDENTIFY_EXAMPLE: &str = "charla(\"identify\", { user_id: \"4821\", user_hash: \"<userHash from your backend>\", name: \"Marta Ruiz\" });";

// --- names and labels of the choices ---

impl Choice for Position {
    const ALL: &'static [Position] = &[Position::Right, Position::Left];

    fn name(self) -> &'static str {
        match self {
            Position::Left => "left",
            Position::Right => "right",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        let es = lang == Lang::Es;
        match self {
            Position::Left => {
                if es {
                    "Abajo a la izquierda"
                } else {
                    "Bottom left"
                }
            }
            Position::Right => {
                if es {
                    "Abajo a la derecha"
                } else {
                    "Bottom right"
                }
            }
        }
    }
}

impl Choice for Language {
    const ALL: &'static [Language] = &[Language::Auto, Language::Es, Language::En];

    fn name(self) -> &'static str {
        match self {
            Language::Auto => "auto",
            Language::Es => "es",
            Language::En => "en",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        let es = lang == Lang::Es;
        match self {
            Language::Auto => {
                if es {
                    "El idioma del navegador del visitante (español o inglés)"
                } else {
                    "The visitor's browser language (Spanish or English)"
                }
            }
            Language::Es => {
                if es {
                    "Español"
                } else {
                    "Spanish"
                }
            }
            Language::En => {
                if es {
                    "Inglés"
                } else {
                    "English"
                }
            }
        }
    }
}

impl Choice for RepliesIn {
    const ALL: &'static [RepliesIn] = &[RepliesIn::Minutes, RepliesIn::Hours, RepliesIn::Day];

    fn name(self) -> &'static str {
        match self {
            RepliesIn::Minutes => "minutes",
            RepliesIn::Hours => "hours",
            RepliesIn::Day => "day",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        let es = lang == Lang::Es;
        match self {
            RepliesIn::Minutes => {
                if es {
                    "Unos minutos"
                } else {
                    "A few minutes"
                }
            }
            RepliesIn::Hours => {
                if es {
                    "Unas horas"
                } else {
                    "A few hours"
                }
            }
            RepliesIn::Day => {
                if es {
                    "Un día"
                } else {
                    "A day"
                }
            }
        }
    }
}

pub const KINDS: [PrechatKind; 4] = [
    PrechatKind::Name,
    PrechatKind::Email,
    PrechatKind::Phone,
    PrechatKind::Text,
];

/// The key a name/email/phone field must use (the contact field it fills).
pub fn kind_key(kind: PrechatKind) -> &'static str {
    match kind {
        PrechatKind::Name => "name",
        PrechatKind::Email => "email",
        PrechatKind::Phone => "phone",
        PrechatKind::Text => "text",
    }
}

/// A pre-chat field's kind in words (tracked; also the default label of a new field).
pub fn kind_label(kind: PrechatKind) -> &'static str {
    let s = st();
    match kind {
        PrechatKind::Name => s.kind_name,
        PrechatKind::Email => s.kind_email,
        PrechatKind::Phone => s.kind_phone,
        PrechatKind::Text => s.kind_text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use charla_shared::widget_settings::identity_hash;

    fn form() -> WidgetForm {
        WidgetForm::default()
    }

    /// What the edge would answer for the form's settings.
    fn edge_accepts(f: &WidgetForm) -> bool {
        f.settings().validated().is_ok()
    }

    #[test]
    fn settings_round_trip_through_the_form() {
        let settings = WidgetSettings {
            brand_color: "#0f766e".into(),
            position: Position::Left,
            launcher_label: "¿Hablamos?".into(),
            header_text: "Casa Lumbre".into(),
            greeting: "¡Hola!".into(),
            replies_in: RepliesIn::Minutes,
            show_agent_avatars: false,
            language: Language::Es,
            away_message: "Volvemos el lunes.".into(),
            allowed_origins: vec!["https://shop.example.com".into()],
            offset_x: 24,
            offset_y: 90,
            hide_on_mobile: true,
            prechat: PrechatForm {
                enabled: true,
                fields: vec![
                    PrechatField {
                        key: "email".into(),
                        label: "Email".into(),
                        kind: PrechatKind::Email,
                        required: true,
                    },
                    PrechatField {
                        key: "order_number".into(),
                        label: "Order number".into(),
                        kind: PrechatKind::Text,
                        required: false,
                    },
                ],
            },
            require_identity_verification: true,
        };
        let f = WidgetForm::from_settings(&settings);
        assert_eq!(f.to_settings(), Ok(settings.clone()));
        assert!(!f.differs_from(&settings));
        assert_eq!(WidgetForm::default().settings(), WidgetSettings::default());
    }

    #[test]
    fn texts_are_trimmed_and_the_colour_lower_cased() {
        let mut f = form();
        f.brand_color = " #0F766E ".into();
        f.launcher_label = "  Chat  ".into();
        let s = f.to_settings().unwrap();
        assert_eq!(s.brand_color, "#0f766e");
        assert_eq!(s.launcher_label, "Chat");
        assert!(f.differs_from(&WidgetSettings::default()));
    }

    #[test]
    fn limits_mirror_the_edge() {
        // (field, text, limit) at the limit is fine; one more character is refused, by both.
        type Set = fn(&mut WidgetForm, String);
        let cases: [(Field, Set, usize); 4] = [
            (Field::LauncherLabel, |f, t| f.launcher_label = t, 30),
            (Field::HeaderText, |f, t| f.header_text = t, 60),
            (Field::Greeting, |f, t| f.greeting = t, 300),
            (Field::AwayMessage, |f, t| f.away_message = t, 300),
        ];
        for (field, set, max) in cases {
            let mut f = form();
            set(&mut f, "ñ".repeat(max));
            assert_eq!(f.problem(field), None, "{field:?} at {max}");
            assert!(edge_accepts(&f));
            set(&mut f, "ñ".repeat(max + 1));
            let problem = f.problem(field).expect("over the limit");
            assert!(problem.contains(&format!("at most {max}")), "{problem}");
            assert!(!edge_accepts(&f));
            assert_eq!(f.to_settings(), Err(problem));
            set(&mut f, "two\r\nlines".into());
            if matches!(field, Field::Greeting | Field::AwayMessage) {
                assert_eq!(f.problem(field), None, "{field:?} is a paragraph");
                assert!(edge_accepts(&f));
            } else {
                assert!(f.problem(field).unwrap().contains("line breaks"));
                assert!(!edge_accepts(&f));
            }
            set(&mut f, "tab\there".into());
            assert!(
                f.problem(field).is_some(),
                "{field:?}: other control characters"
            );
            assert!(!edge_accepts(&f));
        }
    }

    #[test]
    fn brand_colour_is_hex_rrggbb() {
        for (input, expected) in [
            ("#4f46e5", Some("#4f46e5")),
            (" #AABBCC", Some("#aabbcc")),
            ("#abc", None),
            ("red", None),
            ("4f46e5", None),
            ("#4f46e5ff", None),
            ("#gggggg", None),
            ("", None),
        ] {
            assert_eq!(normalize_hex(input).as_deref(), expected, "{input}");
            let mut f = form();
            f.brand_color = input.into();
            assert_eq!(f.problem(Field::BrandColor).is_none(), expected.is_some());
            assert_eq!(edge_accepts(&f), expected.is_some(), "{input}");
        }
        let mut f = form();
        f.brand_color = "nope".into();
        assert_eq!(f.preview_color(), DEFAULT_BRAND_COLOR);
        f.brand_color = "#FFFFFF".into();
        assert_eq!(f.preview_color(), "#ffffff");
        assert_eq!(foreground("#ffffff"), "#111827");
        assert_eq!(foreground("#0f766e"), "#fff");
        assert_eq!(foreground(DEFAULT_BRAND_COLOR), "#fff");
    }

    #[test]
    fn keys_from_labels() {
        for (label, taken, key) in [
            ("Order number", &[][..], "order_number"),
            ("  Nº de pedido!! ", &[], "n_de_pedido"),
            ("Teléfono fijo", &[], "telefono_fijo"),
            ("Plan (2024)", &[], "plan_2024"),
            ("Order number", &["order_number"], "order_number_2"),
            (
                "Order number",
                &["order_number", "order_number_2"],
                "order_number_3",
            ),
            ("ID", &[], "id_2"),
            ("Email", &[], "email_2"),
            ("¿?", &[], "field"),
            ("日本", &["field"], "field_2"),
        ] {
            assert_eq!(key_for_label(label, taken), key, "{label}");
        }
        let long = key_for_label(&"a".repeat(100), &[]);
        assert!(long.len() <= MAX_KEY_LEN);
        let again = key_for_label(&"a".repeat(100), &[long.as_str()]);
        assert!(again.len() <= MAX_KEY_LEN && again != long);
    }

    #[test]
    fn prechat_fields_are_added_once_per_kind_and_at_most_ten() {
        let mut f = form();
        let email = f.add_field(PrechatKind::Email, "").unwrap();
        assert_eq!(f.field(email).unwrap().label, "Email");
        assert_eq!(f.field(email).unwrap().key, "email");
        assert!(!f.can_add(PrechatKind::Email));
        assert!(f
            .add_field(PrechatKind::Email, "Correo")
            .unwrap_err()
            .contains("already asks for the email"));
        let name = f.add_field(PrechatKind::Name, "Your name").unwrap();
        assert_eq!(f.field(name).unwrap().label, "Your name");
        assert!(f.add_field(PrechatKind::Text, "  ").is_err());
        let order = f.add_field(PrechatKind::Text, "Order number").unwrap();
        let order2 = f.add_field(PrechatKind::Text, "Order number").unwrap();
        assert_eq!(f.field(order).unwrap().key, "order_number");
        assert_eq!(f.field(order2).unwrap().key, "order_number_2");
        f.set_required(order, true);
        assert!(f.field(order).unwrap().required);
        f.prechat_enabled = true;
        assert!(edge_accepts(&f));

        while f.can_add(PrechatKind::Text) {
            f.add_field(PrechatKind::Text, "More").unwrap();
        }
        assert_eq!(f.fields.len(), MAX_PRECHAT_FIELDS);
        assert!(!f.can_add(PrechatKind::Phone));
        assert!(f
            .add_field(PrechatKind::Text, "One more")
            .unwrap_err()
            .contains("at most 10"));
        assert!(edge_accepts(&f));
        f.remove_field(order2);
        assert!(f.can_add(PrechatKind::Phone));
        assert!(f.field(order2).is_none());
        // A removed key is free again; ids are never reused.
        let again = f.add_field(PrechatKind::Text, "Order number").unwrap();
        assert_eq!(f.field(again).unwrap().key, "order_number_2");
        assert_ne!(again, order2);
    }

    #[test]
    fn prechat_labels_are_checked_like_the_edge() {
        let mut f = form();
        let id = f.add_field(PrechatKind::Text, "Order number").unwrap();
        f.set_label(id, "   ");
        assert!(f
            .problem(Field::PrechatLabel(id))
            .unwrap()
            .contains("needs a label"));
        assert!(!edge_accepts(&f));
        f.set_label(id, &"x".repeat(61));
        assert!(f.problem(Field::PrechatLabel(id)).is_some());
        assert!(!edge_accepts(&f));
        f.set_label(id, &"x".repeat(60));
        assert_eq!(f.problems(), vec![]);
        assert!(edge_accepts(&f));
        assert!(f.add_field(PrechatKind::Text, &"y".repeat(61)).is_err());
    }

    #[test]
    fn prechat_fields_move_up_and_down() {
        let mut f = form();
        let a = f.add_field(PrechatKind::Name, "").unwrap();
        let b = f.add_field(PrechatKind::Email, "").unwrap();
        let c = f.add_field(PrechatKind::Text, "Order").unwrap();
        let order = |f: &WidgetForm| f.fields.iter().map(|r| r.id).collect::<Vec<_>>();
        assert!(!f.move_field(a, -1));
        assert!(!f.move_field(c, 1));
        assert!(f.move_field(c, -1));
        assert_eq!(order(&f), [a, c, b]);
        assert!(f.move_field(a, 1));
        assert_eq!(order(&f), [c, a, b]);
        assert!(!f.move_field(99, 1));
        let keys: Vec<_> = f
            .settings()
            .prechat
            .fields
            .into_iter()
            .map(|f| f.key)
            .collect();
        assert_eq!(keys, ["order", "name", "email"]);
    }

    #[test]
    fn origins_look_like_origins() {
        for (input, expected) in [
            ("https://shop.example.com", Ok("https://shop.example.com")),
            (
                "  HTTPS://Shop.Example.com/ ",
                Ok("https://shop.example.com"),
            ),
            ("http://127.0.0.1:8788", Ok("http://127.0.0.1:8788")),
            ("https://localhost:3000", Ok("https://localhost:3000")),
            ("http://[::1]:8080", Ok("http://[::1]:8080")),
            ("example.com/path", Err("not an origin")),
            ("example.com", Err("not an origin")),
            ("ftp://example.com", Err("not an origin")),
            ("https://example.com/path", Err("has a path")),
            ("https://example.com?x=1", Err("has a path")),
            ("https://example.com#top", Err("has a path")),
            ("https://", Err("not an origin")),
            ("https://user@example.com", Err("not an origin")),
            ("https://exa mple.com", Err("not an origin")),
            ("https://example..com", Err("not an origin")),
            ("https://example.com:", Err("not an origin")),
            ("https://example.com:99999", Err("not an origin")),
            ("https://example.com:80:80", Err("not an origin")),
            ("", Err("Type an origin")),
        ] {
            match (check_origin(input), expected) {
                (Ok(got), Ok(want)) => {
                    assert_eq!(got, want, "{input}");
                    // The edge stores it as we do.
                    let mut f = form();
                    f.allowed_origins = vec![input.to_owned()];
                    assert_eq!(f.settings().validated().unwrap().allowed_origins, [want]);
                }
                (Err(got), Err(want)) => assert!(got.contains(want), "{input}: {got}"),
                (got, want) => panic!("{input}: {got:?}, expected {want:?}"),
            }
        }
    }

    #[test]
    fn origins_are_added_once_and_removed() {
        let mut f = form();
        assert_eq!(
            f.add_origin("https://Shop.example.com/"),
            Ok("https://shop.example.com".to_owned())
        );
        assert!(f
            .add_origin("https://shop.example.com")
            .unwrap_err()
            .contains("already allowed"));
        assert!(f.add_origin("example.com/path").is_err());
        f.add_origin("https://www.example.com").unwrap();
        assert_eq!(
            f.allowed_origins,
            ["https://shop.example.com", "https://www.example.com"]
        );
        assert!(edge_accepts(&f));
        f.remove_origin("https://shop.example.com");
        assert_eq!(f.allowed_origins, ["https://www.example.com"]);
        for n in 1..MAX_ALLOWED_ORIGINS {
            f.add_origin(&format!("https://s{n}.example.com")).unwrap();
        }
        assert!(f
            .add_origin("https://one-too-many.example.com")
            .unwrap_err()
            .contains("At most 50"));
        assert!(edge_accepts(&f));
    }

    #[test]
    fn the_preview_falls_back_to_the_widgets_defaults() {
        let mut f = form();
        let p = f.preview();
        assert_eq!(p.title, "Chat with us");
        assert_eq!(p.status, "Typically replies in a few hours");
        assert_eq!(p.greeting, "Hi! How can we help you?");
        assert_eq!(p.launcher_label, "");
        f.language = Language::Es;
        f.replies_in = RepliesIn::Day;
        assert_eq!(f.preview().title, "Chatea con nosotros");
        assert_eq!(f.preview().status, "Suele responder en un día");
        f.header_text = " <b>Casa</b> ".into();
        f.launcher_label = "Chat".into();
        assert_eq!(f.preview().title, "<b>Casa</b>");
        assert_eq!(f.preview().launcher_label, "Chat");
    }

    #[test]
    fn the_snippet_is_the_documented_tag() {
        assert_eq!(
            embed_snippet("https://charla.example.workers.dev/", "acme"),
            r#"<script async src="https://charla.example.workers.dev/loader.js" data-workspace="acme"></script>"#
        );
        assert_eq!(
            embed_snippet("http://127.0.0.1:8787", "a\"b<"),
            r#"<script async src="http://127.0.0.1:8787/loader.js" data-workspace="a&quot;b&lt;"></script>"#
        );
    }

    #[test]
    fn the_signing_examples_compute_what_the_edge_verifies() {
        // The edge keys the HMAC with the secret's text (not hex-decoded) over the user id and
        // compares hex digests: exactly what createHmac/hash_hmac do with these arguments.
        let [(_, node), (_, php)] = SIGNING_EXAMPLES;
        assert!(node.contains("createHmac(\"sha256\", process.env.CHARLA_IDENTITY_SECRET)"));
        assert!(node.contains(".update(String(userId))"));
        assert!(node.contains(".digest(\"hex\")"));
        assert!(
            php.contains("hash_hmac('sha256', (string) $userId, getenv('CHARLA_IDENTITY_SECRET'))")
        );
        // RFC 4231 test case 2, for the algorithm those calls name.
        assert_eq!(
            identity_hash(b"Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn choices_have_names_and_labels() {
        for &l in Language::ALL {
            assert_eq!(Language::parse(l.name()), Some(l));
        }
        for &r in RepliesIn::ALL {
            assert_eq!(RepliesIn::parse(r.name()), Some(r));
        }
        for k in KINDS {
            assert!(!kind_label(k).is_empty());
        }
        for &p in Position::ALL {
            assert!(!p.label(Lang::Es).is_empty() && !p.name().is_empty());
        }
        assert_eq!(Language::parse("fr"), None);
    }
}
