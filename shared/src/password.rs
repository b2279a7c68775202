//! Password hashing for agents: PBKDF2-HMAC-SHA256, encoded as
//! `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`. The salt comes from the caller (the edge
//! draws it from the platform's CSPRNG), keeping this module deterministic.
//!
//! The edge derives the key with the runtime's native WebCrypto (`crypto.subtle.deriveBits`) in
//! the stateless Worker, never inside a Durable Object's turn: this module only parses, encodes
//! and compares, plus a pure-Rust [`hash`]/[`verify`] for tests and tools. Both produce the same
//! bytes, so hashes made either way verify either way.

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// 100,000 is the most Cloudflare's WebCrypto PBKDF2 accepts.
pub const ITERATIONS: u32 = 100_000;
/// Shortest and longest password an agent may choose (the upper bound keeps the work of one
/// derivation bounded and the request small).
pub const MIN_CHARS: usize = 10;
pub const MAX_CHARS: usize = 256;
const SCHEME: &str = "pbkdf2-sha256";

/// A stored hash, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub iterations: u32,
    pub salt: Vec<u8>,
    pub key: [u8; 32],
}

impl Stored {
    /// `None` for anything that is not a well-formed hash of our scheme.
    pub fn parse(encoded: &str) -> Option<Stored> {
        let mut parts = encoded.split('$');
        let (Some(SCHEME), Some(iter), Some(salt), Some(key), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let iterations = iter.parse::<u32>().ok()?;
        let salt = STANDARD_NO_PAD.decode(salt).ok()?;
        let key: [u8; 32] = STANDARD_NO_PAD.decode(key).ok()?.try_into().ok()?;
        if iterations == 0 || iterations > ITERATIONS {
            return None;
        }
        Some(Stored {
            iterations,
            salt,
            key,
        })
    }

    pub fn encode(&self) -> String {
        format!(
            "{SCHEME}${}${}${}",
            self.iterations,
            STANDARD_NO_PAD.encode(&self.salt),
            STANDARD_NO_PAD.encode(self.key)
        )
    }

    /// Constant-time comparison of a freshly derived key with the stored one.
    pub fn matches(&self, derived: &[u8]) -> bool {
        derived.ct_eq(&self.key).into()
    }
}

/// Whether a new password is acceptable; the message is shown to the person choosing it.
pub fn check_new(password: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(format!("password must be at least {MIN_CHARS} characters"));
    }
    if chars > MAX_CHARS {
        return Err(format!("password must be at most {MAX_CHARS} characters"));
    }
    Ok(())
}

/// Pure-Rust derivation (tests, tools). The edge uses WebCrypto instead.
pub fn hash(password: &str, salt: &[u8], iterations: u32) -> String {
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, iterations, &mut key);
    Stored {
        iterations,
        salt: salt.to_vec(),
        key,
    }
    .encode()
}

/// True when `password` matches `encoded`. Malformed hashes never match.
pub fn verify(password: &str, encoded: &str) -> bool {
    let Some(stored) = Stored::parse(encoded) else {
        return false;
    };
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(
        password.as_bytes(),
        &stored.salt,
        stored.iterations,
        &mut out,
    );
    stored.matches(&out)
}
