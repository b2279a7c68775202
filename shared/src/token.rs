//! Signed session tokens: `base64url(json claims) "." base64url(HMAC-SHA256)`.
//!
//! Stateless on purpose: the Worker checks a token without a storage round trip, so a forged
//! or foreign token is refused before any Durable Object is woken.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::basic::Millis;
use crate::error::Error;
use crate::protocol::Role;

type HmacSha256 = Hmac<Sha256>;

/// Domain separation: a signature made for another purpose with the same secret never verifies.
const CONTEXT: &[u8] = b"charla.token.v1.";

/// How long a visitor token lasts without renewal. The widget renews it silently while it is
/// in use (`GET /v1/widget/session`), so only a token nobody used for this long stops working;
/// a leaked token is worth nothing after it.
pub const VISITOR_TOKEN_MILLIS: Millis = 30 * 24 * 60 * 60 * 1000;

/// What a token grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "k", rename_all = "snake_case")]
pub enum Claims {
    /// A site visitor: may open exactly one conversation of one workspace.
    Visitor {
        ws: String,
        sub: String,
        conv: String,
        iat: Millis,
        /// Tokens signed before expiry existed carry none: they expire
        /// [`VISITOR_TOKEN_MILLIS`] after `iat`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exp: Option<Millis>,
    },
    /// A signed-in agent of one workspace, until `exp`.
    Agent {
        ws: String,
        sub: String,
        name: String,
        role: Role,
        exp: Millis,
        /// The agent's session generation when this token was signed. The Workspace bumps the
        /// agent's generation to end every session at once (deactivation, a new password), and
        /// refuses tokens of an older one; tokens from before generations existed carry none
        /// and count as generation 0.
        #[serde(default)]
        session: u32,
    },
}

impl Claims {
    /// A visitor token issued `now`, good for [`VISITOR_TOKEN_MILLIS`].
    pub fn visitor(ws: String, sub: String, conv: String, now: Millis) -> Claims {
        Claims::Visitor {
            ws,
            sub,
            conv,
            iat: now,
            exp: Some(now.saturating_add(VISITOR_TOKEN_MILLIS)),
        }
    }

    /// When the token stops being accepted.
    pub fn expires_at(&self) -> Millis {
        match self {
            Claims::Agent { exp, .. } => *exp,
            Claims::Visitor { iat, exp, .. } => {
                exp.unwrap_or_else(|| iat.saturating_add(VISITOR_TOKEN_MILLIS))
            }
        }
    }
}

fn mac(secret: &[u8], payload: &str) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(CONTEXT);
    mac.update(payload.as_bytes());
    mac
}

pub fn sign(claims: &Claims, secret: &[u8]) -> String {
    let json = serde_json::to_vec(claims).expect("claims always serialize");
    let payload = URL_SAFE_NO_PAD.encode(json);
    let sig = URL_SAFE_NO_PAD.encode(mac(secret, &payload).finalize().into_bytes());
    format!("{payload}.{sig}")
}

/// Verify signature (constant time) and expiry. Any failure is the same [`Error::InvalidToken`],
/// so callers cannot learn which part was wrong.
pub fn verify(token: &str, secret: &[u8], now: Millis) -> Result<Claims, Error> {
    let (payload, sig) = token.split_once('.').ok_or(Error::InvalidToken)?;
    let sig = URL_SAFE_NO_PAD
        .decode(sig)
        .map_err(|_| Error::InvalidToken)?;
    mac(secret, payload)
        .verify_slice(&sig)
        .map_err(|_| Error::InvalidToken)?;
    let json = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| Error::InvalidToken)?;
    let claims: Claims = serde_json::from_slice(&json).map_err(|_| Error::InvalidToken)?;
    if claims.expires_at() <= now {
        return Err(Error::InvalidToken);
    }
    Ok(claims)
}

/// SHA-256 of a one-time secret (an invite token), hex. Stored instead of the secret, so a
/// leaked database cannot be used to accept pending invites.
pub fn fingerprint(secret: &str) -> String {
    use sha2::Digest;
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether two secrets (or their fingerprints or MACs) are equal, compared without stopping at
/// the first difference, so the time taken says nothing about where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
