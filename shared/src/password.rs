//! Password hashing for agents: PBKDF2-HMAC-SHA256, encoded as
//! `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`. The salt comes from the caller (the edge
//! draws it from the platform's CSPRNG), keeping this module deterministic.

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// 100,000 is the most Cloudflare's WebCrypto PBKDF2 accepts; we use the same ceiling so a
/// future switch to WebCrypto keeps verifying existing hashes.
pub const ITERATIONS: u32 = 100_000;
const SCHEME: &str = "pbkdf2-sha256";

pub fn hash(password: &str, salt: &[u8], iterations: u32) -> String {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, iterations, &mut out);
    format!(
        "{SCHEME}${iterations}${}${}",
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(out)
    )
}

/// True when `password` matches `encoded`. Malformed hashes never match.
pub fn verify(password: &str, encoded: &str) -> bool {
    let mut parts = encoded.split('$');
    let (Some(SCHEME), Some(iter), Some(salt), Some(expected), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let (Ok(iterations), Ok(salt), Ok(expected)) = (
        iter.parse::<u32>(),
        STANDARD_NO_PAD.decode(salt),
        STANDARD_NO_PAD.decode(expected),
    ) else {
        return false;
    };
    if iterations == 0 || expected.len() != 32 {
        return false;
    }
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), &salt, iterations, &mut out);
    out.ct_eq(&expected).into()
}
