//! Outbound webhooks (docs/API.md "Webhooks"): which events a subscription hears, what a
//! delivery carries, how it is signed, and how long a failed one waits before its next try.
//!
//! A delivery is `POST <url>` with the [`Envelope`] as its JSON body and
//! `Charla-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` keyed by the
//! subscription's secret, so a receiver can check both who sent it and that it is recent.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::basic::Millis;
use crate::error::Error;
use crate::token::constant_time_eq;
use crate::workflow::check_url;

/// What a subscription can hear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EventType {
    #[serde(rename = "conversation.opened")]
    ConversationOpened,
    #[serde(rename = "conversation.closed")]
    ConversationClosed,
    #[serde(rename = "conversation.assigned")]
    ConversationAssigned,
    #[serde(rename = "message.created")]
    MessageCreated,
    #[serde(rename = "contact.created")]
    ContactCreated,
    #[serde(rename = "contact.updated")]
    ContactUpdated,
}

impl EventType {
    pub const ALL: [EventType; 6] = [
        EventType::ConversationOpened,
        EventType::ConversationClosed,
        EventType::ConversationAssigned,
        EventType::MessageCreated,
        EventType::ContactCreated,
        EventType::ContactUpdated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::ConversationOpened => "conversation.opened",
            EventType::ConversationClosed => "conversation.closed",
            EventType::ConversationAssigned => "conversation.assigned",
            EventType::MessageCreated => "message.created",
            EventType::ContactCreated => "contact.created",
            EventType::ContactUpdated => "contact.updated",
        }
    }
}

/// Most subscriptions a workspace holds.
pub const MAX_WEBHOOKS: usize = 20;
/// Longest URL, in bytes.
pub const MAX_URL_BYTES: usize = 2_000;
/// Tries of one delivery before it is given up (the first included).
pub const MAX_ATTEMPTS: u32 = 8;
/// How long a receiver has to answer, in milliseconds.
pub const DELIVERY_TIMEOUT_MS: u64 = 10_000;
/// Bytes of a receiver's answer kept in the delivery log.
pub const SNIPPET_BYTES: usize = 500;
/// How old a signature's timestamp may be when a receiver checks it (docs/API.md).
pub const TOLERANCE_SECS: u64 = 300;

/// `POST /v1/inbox/webhooks`, `POST /v1/api/webhooks`: where to send which events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookRequest {
    pub url: String,
    pub events: Vec<EventType>,
}

impl WebhookRequest {
    /// The request as it will be stored (events sorted, each once). Refused: no event, a URL
    /// that is not `https://` to a public host (`allow_private` lets local development use
    /// `http://127.0.0.1`), or longer than [`MAX_URL_BYTES`].
    pub fn normalized(&self, allow_private: bool) -> Result<WebhookRequest, Error> {
        let url = self.url.trim();
        if url.len() > MAX_URL_BYTES {
            return Err(Error::BadRequest(format!(
                "a webhook URL is at most {MAX_URL_BYTES} bytes"
            )));
        }
        check_url(url, allow_private).map_err(|e| Error::BadRequest(e.to_string()))?;
        let mut events = self.events.clone();
        events.sort();
        events.dedup();
        if events.is_empty() {
            return Err(Error::BadRequest(
                "subscribe the webhook to at least one event".into(),
            ));
        }
        Ok(WebhookRequest {
            url: url.to_owned(),
            events,
        })
    }
}

/// A subscription as owners (and keys with the `webhooks` scope) see it: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    pub id: String,
    pub url: String,
    pub events: Vec<EventType>,
    pub created_at: Millis,
}

/// The answer of creating a subscription: it, and its signing secret, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: Webhook,
    pub secret: String,
}

/// What a delivery's body is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// The same on every try of the same event: receivers de-duplicate by it.
    pub id: String,
    #[serde(rename = "type")]
    pub event: EventType,
    pub workspace_id: String,
    pub created_at: Millis,
    pub data: serde_json::Value,
}

/// One try of one delivery, as the log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: i64,
    pub webhook_id: String,
    pub event_id: String,
    #[serde(rename = "type")]
    pub event: EventType,
    pub attempt: u32,
    /// The receiver's HTTP status; `None` when it could not be reached or did not answer.
    pub status: Option<u16>,
    pub ok: bool,
    pub error: Option<String>,
    pub latency_ms: u64,
    /// The start of the receiver's answer, as text.
    pub response: String,
    pub at: Millis,
}

/// The `Charla-Signature` header for `body` sent at `unix_secs`.
pub fn signature(secret: &str, unix_secs: u64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(format!("{unix_secs}.{body}").as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("t={unix_secs},v1={hex}")
}

/// What a receiver does (and the tests do): the header is of `body`, signed with `secret`,
/// within [`TOLERANCE_SECS`] of `now_secs`.
pub fn verify(secret: &str, header: &str, body: &str, now_secs: u64) -> bool {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => t = value.parse::<u64>().ok(),
            Some(("v1", value)) => v1 = Some(value),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return false;
    };
    if now_secs.abs_diff(t) > TOLERANCE_SECS {
        return false;
    }
    let expected = signature(secret, t, body);
    let expected = expected.rsplit_once("v1=").map_or("", |(_, hex)| hex);
    constant_time_eq(expected.as_bytes(), v1.as_bytes())
}

/// Seconds before try `attempt + 1` after try `attempt` failed (1-based): 10 s, 30 s, 2 min,
/// 10 min, 30 min, then hourly; `None` once [`MAX_ATTEMPTS`] tries were made.
pub fn retry_delay(attempt: u32) -> Option<u32> {
    if attempt >= MAX_ATTEMPTS {
        return None;
    }
    Some(match attempt {
        0 | 1 => 10,
        2 => 30,
        3 => 120,
        4 => 600,
        5 => 1_800,
        _ => 3_600,
    })
}

/// The first [`SNIPPET_BYTES`] of a receiver's answer, cut on a character boundary.
pub fn snippet(text: &str) -> String {
    let mut end = text.len().min(SNIPPET_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_body_secret_and_time() {
        let body = r#"{"id":"evt_1","type":"conversation.closed"}"#;
        let header = signature("s3cret", 1_700_000_000, body);
        assert!(header.starts_with("t=1700000000,v1="));
        assert!(verify("s3cret", &header, body, 1_700_000_100));
        assert!(!verify("other", &header, body, 1_700_000_100));
        assert!(!verify(
            "s3cret",
            &header,
            &body.replace("closed", "opened"),
            1_700_000_100
        ));
        assert!(!verify(
            "s3cret",
            &header,
            body,
            1_700_000_000 + TOLERANCE_SECS + 1
        ));
        assert!(!verify("s3cret", "v1=abc", body, 1_700_000_000));
        assert!(!verify("s3cret", "", body, 1_700_000_000));
    }

    #[test]
    fn a_known_vector() {
        // printf '1700000000.{}' | openssl dgst -sha256 -hmac whsec
        assert_eq!(
            signature("whsec", 1_700_000_000, "{}"),
            format!("t=1700000000,v1={}", {
                let mut mac = Hmac::<Sha256>::new_from_slice(b"whsec").unwrap();
                mac.update(b"1700000000.{}");
                mac.finalize()
                    .into_bytes()
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            })
        );
    }

    #[test]
    fn retries_back_off_and_end() {
        let delays: Vec<Option<u32>> = (1..=MAX_ATTEMPTS).map(retry_delay).collect();
        assert_eq!(delays[0], Some(10));
        assert!(delays.windows(2).all(|w| match (w[0], w[1]) {
            (Some(a), Some(b)) => a <= b,
            (_, None) => true,
            _ => false,
        }));
        assert_eq!(retry_delay(MAX_ATTEMPTS), None);
    }

    #[test]
    fn requests_need_an_event_and_a_safe_url() {
        let req = |url: &str, events: Vec<EventType>| WebhookRequest {
            url: url.into(),
            events,
        };
        let ok = req(
            " https://crm.example.com/hooks/charla ",
            vec![
                EventType::MessageCreated,
                EventType::ConversationClosed,
                EventType::MessageCreated,
            ],
        )
        .normalized(false)
        .unwrap();
        assert_eq!(ok.url, "https://crm.example.com/hooks/charla");
        assert_eq!(
            ok.events,
            vec![EventType::ConversationClosed, EventType::MessageCreated]
        );
        for bad in [
            req("http://crm.example.com/x", vec![EventType::MessageCreated]),
            req("https://127.0.0.1/x", vec![EventType::MessageCreated]),
            req("https://10.0.0.2/x", vec![EventType::MessageCreated]),
            req(
                "https://user:pw@crm.example.com/x",
                vec![EventType::MessageCreated],
            ),
            req("https://crm.example.com/x", vec![]),
            req(
                &format!("https://crm.example.com/{}", "x".repeat(2_000)),
                vec![EventType::MessageCreated],
            ),
        ] {
            assert!(bad.normalized(false).is_err(), "{}", bad.url);
        }
        assert!(
            req("http://127.0.0.1:8080/x", vec![EventType::MessageCreated])
                .normalized(true)
                .is_ok()
        );
    }

    #[test]
    fn events_read_and_write_as_their_names() {
        for event in EventType::ALL {
            let json = serde_json::to_string(&event).unwrap();
            assert_eq!(json, format!("\"{}\"", event.as_str()));
        }
        assert_eq!(snippet(&"é".repeat(400)).len(), 500);
    }
}
