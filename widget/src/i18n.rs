//! Every string the widget shows, in each language it speaks, and how the language is chosen.
//!
//! Owner-provided texts (header, greeting, away message, pre-chat labels) come from the public
//! config as written; an empty one falls back to the entry here. Pure: tested natively.

use charla_shared::limits::MAX_TEXT_CHARS;
use charla_shared::widget_settings::{Language, RepliesIn};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Es,
}

/// One language's strings. Adding a field adds it to every table (the compiler checks).
pub struct Text {
    pub title: &'static str,
    pub greeting: &'static str,
    /// "Typically replies in …", by [`RepliesIn`].
    pub replies: [&'static str; 3],
    /// Header line when no agent is online.
    pub away_status: &'static str,
    /// The notice under the greeting when no agent is online (unless the owner wrote one).
    pub away: &'static str,
    pub connecting: &'static str,
    pub reconnecting: &'static str,
    pub unavailable_status: &'static str,
    pub unavailable: &'static str,
    pub open_chat: &'static str,
    pub close_chat: &'static str,
    pub chat: &'static str,
    pub team: &'static str,
    pub message: &'static str,
    pub placeholder: &'static str,
    pub send: &'static str,
    pub typing: &'static str,
    pub too_long: &'static str,
    pub not_sent: &'static str,
    /// Under the visitor's last message an agent has read.
    pub seen: &'static str,
    pub prechat_intro: &'static str,
    pub optional: &'static str,
    pub required: &'static str,
    pub bad_email: &'static str,
    pub bad_phone: &'static str,
    pub start: &'static str,
    pub sending: &'static str,
    pub failed: &'static str,
    /// Session creation refused for rate (429): retried on its own.
    pub busy: &'static str,
    /// A message refused for rate: kept and sent again shortly.
    pub slow: &'static str,
}

pub static EN: Text = Text {
    title: "Chat with us",
    greeting: "Hi! How can we help you?",
    replies: [
        "Typically replies in a few minutes",
        "Typically replies in a few hours",
        "Typically replies in a day",
    ],
    away_status: "We'll reply as soon as we can",
    away: "We're away right now. Leave us a message and we'll get back to you.",
    connecting: "Connecting…",
    reconnecting: "Offline — reconnecting",
    unavailable_status: "Unavailable",
    unavailable: "Chat is not available on this site right now.",
    open_chat: "Open chat",
    close_chat: "Close chat",
    chat: "Chat",
    team: "Our team",
    message: "Message",
    placeholder: "Write a message…",
    send: "Send",
    typing: "Agent is typing…",
    too_long: "Too long: at most 4,000 characters.",
    not_sent: "This message could not be sent.",
    seen: "Seen",
    prechat_intro: "Before we start, tell us a little about you.",
    optional: "(optional)",
    required: "This field is required.",
    bad_email: "Enter a valid email address, e.g. ana@example.com.",
    bad_phone: "Enter the number with its country code, e.g. +34600111222.",
    start: "Start chat",
    sending: "Sending…",
    failed: "Something went wrong. Please try again.",
    busy: "Chat is busy, try again in a moment.",
    slow: "You're sending messages too fast — we'll send this in a moment.",
};

pub static ES: Text = Text {
    title: "Chatea con nosotros",
    greeting: "¡Hola! ¿En qué podemos ayudarte?",
    replies: [
        "Suele responder en unos minutos",
        "Suele responder en unas horas",
        "Suele responder en un día",
    ],
    away_status: "Te responderemos lo antes posible",
    away: "Ahora no estamos conectados. Déjanos un mensaje y te responderemos.",
    connecting: "Conectando…",
    reconnecting: "Sin conexión — reconectando",
    unavailable_status: "No disponible",
    unavailable: "El chat no está disponible en este sitio ahora mismo.",
    open_chat: "Abrir chat",
    close_chat: "Cerrar chat",
    chat: "Chat",
    team: "Nuestro equipo",
    message: "Mensaje",
    placeholder: "Escribe un mensaje…",
    send: "Enviar",
    typing: "El agente está escribiendo…",
    too_long: "Demasiado largo: como máximo 4.000 caracteres.",
    not_sent: "No se pudo enviar este mensaje.",
    seen: "Visto",
    prechat_intro: "Antes de empezar, cuéntanos un poco sobre ti.",
    optional: "(opcional)",
    required: "Este campo es obligatorio.",
    bad_email: "Escribe un email válido, p. ej. ana@example.com.",
    bad_phone: "Escribe el número con el prefijo del país, p. ej. +34600111222.",
    start: "Empezar a chatear",
    sending: "Enviando…",
    failed: "Algo salió mal. Inténtalo de nuevo.",
    busy: "El chat está ocupado, inténtalo de nuevo en un momento.",
    slow: "Estás enviando mensajes muy rápido: lo enviaremos en un momento.",
};

impl Lang {
    pub fn t(self) -> &'static Text {
        match self {
            Lang::En => &EN,
            Lang::Es => &ES,
        }
    }

    /// The BCP 47 tag, for the host element's `lang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// A language tag we speak (`es`, `es-MX`, `EN_us`), by its primary subtag.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        if primary.eq_ignore_ascii_case("es") {
            Some(Lang::Es)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The workspace's setting; `auto` takes the first of the browser's languages we speak
    /// (`navigator.languages`, in the visitor's order of preference), else English.
    pub fn pick<S: AsRef<str>>(setting: Language, browser: &[S]) -> Lang {
        match setting {
            Language::Es => Lang::Es,
            Language::En => Lang::En,
            Language::Auto => browser
                .iter()
                .find_map(|tag| Lang::parse(tag.as_ref()))
                .unwrap_or(Lang::En),
        }
    }
}

impl Text {
    pub fn replies_in(&self, r: RepliesIn) -> &'static str {
        self.replies[match r {
            RepliesIn::Minutes => 0,
            RepliesIn::Hours => 1,
            RepliesIn::Day => 2,
        }]
    }
}

/// The "too long" strings spell the limit out; they must follow it.
const _: () = assert!(MAX_TEXT_CHARS == 4000);

#[cfg(test)]
mod tests {
    use super::*;

    fn all(t: &Text) -> Vec<&'static str> {
        let mut v = vec![
            t.title,
            t.greeting,
            t.away_status,
            t.away,
            t.connecting,
            t.reconnecting,
            t.unavailable_status,
            t.unavailable,
            t.open_chat,
            t.close_chat,
            t.chat,
            t.team,
            t.message,
            t.placeholder,
            t.send,
            t.typing,
            t.too_long,
            t.not_sent,
            t.prechat_intro,
            t.optional,
            t.required,
            t.bad_email,
            t.bad_phone,
            t.start,
            t.sending,
            t.failed,
            t.busy,
            t.slow,
        ];
        v.extend(t.replies);
        v
    }

    #[test]
    fn both_tables_are_complete_and_translated() {
        let (en, es) = (all(&EN), all(&ES));
        assert_eq!(en.len(), es.len());
        for (e, s) in en.iter().zip(&es) {
            assert!(!e.trim().is_empty() && !s.trim().is_empty());
            // Only words that are the same in both languages may repeat.
            assert!(e != s || *e == "Chat", "untranslated: {e}");
        }
    }

    #[test]
    fn language_choice() {
        assert_eq!(Lang::pick::<&str>(Language::Es, &["en-US"]), Lang::Es);
        assert_eq!(Lang::pick(Language::En, &["es-ES"]), Lang::En);
        assert_eq!(
            Lang::pick(Language::Auto, &["fr-FR", "es-MX", "en"]),
            Lang::Es
        );
        assert_eq!(Lang::pick(Language::Auto, &["en-GB", "es"]), Lang::En);
        assert_eq!(Lang::pick(Language::Auto, &["de", "fr"]), Lang::En);
        assert_eq!(Lang::pick::<&str>(Language::Auto, &[]), Lang::En);
        assert_eq!(Lang::parse("ES_es"), Some(Lang::Es));
        assert_eq!(Lang::parse(" en "), Some(Lang::En));
        assert_eq!(Lang::parse("eus"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn replies_in_follows_the_setting() {
        assert_eq!(
            ES.replies_in(RepliesIn::Minutes),
            "Suele responder en unos minutos"
        );
        assert_eq!(EN.replies_in(RepliesIn::Day), "Typically replies in a day");
    }
}
