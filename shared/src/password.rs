//! Password hashing for agents: PBKDF2-HMAC-SHA256, encoded as
//! `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`. The salt comes from the caller (the edge
//! draws it from the platform's CSPRNG), keeping this module deterministic.
//!
//! The edge derives keys in the stateless Worker, never inside a Durable Object's turn, and in
//! slices ([`Derivation::step`]) with a yield to the event loop between them: one derivation is
//! ~100 ms of CPU, and as one block it would hold up every other request of the isolate
//! (locally, every Durable Object too). [`hash`]/[`verify`] are the one-block versions for
//! tests and tools; all produce the same bytes.

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Rounds per hash. 100,000 is also the most Cloudflare's WebCrypto PBKDF2 accepts, so hashes
/// stay verifiable there if the edge ever derives with it again.
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

/// One-block derivation (tests, tools). The edge uses [`Derivation`] in slices instead.
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

/// PBKDF2-HMAC-SHA256 for a 32-byte key (one block), computed a slice of rounds at a time so
/// the caller can yield between slices.
#[derive(Clone)]
pub struct Derivation {
    keyed: Hmac<Sha256>,
    last: [u8; 32],
    key: [u8; 32],
    left: u32,
}

impl Derivation {
    /// The first round is done here; `iterations` counts it (0 is treated as 1).
    pub fn new(password: &str, salt: &[u8], iterations: u32) -> Derivation {
        let keyed =
            Hmac::<Sha256>::new_from_slice(password.as_bytes()).expect("HMAC takes any key");
        let mut first = keyed.clone();
        first.update(salt);
        first.update(&1u32.to_be_bytes());
        let u: [u8; 32] = first.finalize().into_bytes().into();
        Derivation {
            keyed,
            last: u,
            key: u,
            left: iterations.saturating_sub(1),
        }
    }

    /// Run up to `rounds` more rounds; true when the key is complete.
    pub fn step(&mut self, rounds: u32) -> bool {
        let n = rounds.min(self.left);
        for _ in 0..n {
            let mut mac = self.keyed.clone();
            mac.update(&self.last);
            self.last = mac.finalize().into_bytes().into();
            for (k, u) in self.key.iter_mut().zip(self.last) {
                *k ^= u;
            }
        }
        self.left -= n;
        self.left == 0
    }

    /// The derived key, once [`step`](Self::step) said it is complete.
    pub fn key(&self) -> Option<[u8; 32]> {
        (self.left == 0).then_some(self.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sliced_derivation_equals_pbkdf2_in_one_block() {
        for (password, salt, iterations, slice) in [
            ("charla-demo", &b"charla-demo-salt"[..], 1_000, 7),
            ("", &b"s"[..], 1, 1),
            ("una clave larga", &b"0123456789abcdef"[..], 2_500, 1_000),
            ("x", &b""[..], 64, 64),
        ] {
            let mut expected = [0u8; 32];
            pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, iterations, &mut expected);
            let mut d = Derivation::new(password, salt, iterations);
            let mut steps = 0;
            while !d.step(slice) {
                assert!(d.key().is_none());
                steps += 1;
            }
            assert_eq!(
                d.key(),
                Some(expected),
                "{password:?} {iterations} by {slice}"
            );
            assert_eq!(steps, (iterations - 1).div_ceil(slice).saturating_sub(1));
        }
    }

    #[test]
    fn the_demo_hash_matches_its_password() {
        let demo = "pbkdf2-sha256$100000$Y2hhcmxhLWRlbW8tc2FsdA$uSfz8uWV3gz4WkQdGA38mAj0YSKF/JwQNJtPz5dkaKI";
        let stored = Stored::parse(demo).unwrap();
        let mut d = Derivation::new("charla-demo", &stored.salt, stored.iterations);
        while !d.step(10_000) {}
        assert!(stored.matches(&d.key().unwrap()));
    }
}
