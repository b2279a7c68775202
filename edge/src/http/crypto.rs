//! Password derivation in the stateless Worker, in slices.
//!
//! PBKDF2 with 100,000 rounds is ~100 ms of CPU. Done inside the Workspace Durable Object (as
//! it once was), a login flood froze every request of that workspace. Here it runs in the
//! Worker, one derivation at a time per isolate, [`SLICE`] rounds at a time with a zero-delay
//! timer between slices: the isolate (which locally also runs every Durable Object) serves
//! whatever else has arrived after each slice, so a sign-in flood delays other requests by at
//! most one slice (a few milliseconds), not by the sum of every derivation queued.

use std::cell::Cell;
use std::time::Duration;

use charla_shared::password::{self, Derivation, Stored};

use crate::error::{EdgeError, Result};
use crate::ids::random_bytes;

/// Rounds per slice: well under a millisecond of CPU.
const SLICE: u32 = 200;
/// Derivations waiting for the gate at most; more are refused at once (429, retry in a second).
const MAX_WAITING: u32 = 16;
/// How often a waiting derivation looks at the gate again.
const POLL: Duration = Duration::from_millis(4);
/// A holder that has not let go after this long is presumed gone (its request was cancelled
/// and its future never resumed); one derivation takes a fraction of a second.
const STALE_MILLIS: f64 = 5_000.0;

#[derive(Clone, Copy)]
struct Gate {
    held_since: Option<f64>,
    waiting: u32,
}

thread_local! {
    /// One derivation at a time per isolate, and how many wait: a flood's CPU is spent one
    /// derivation after another instead of all at once, and its queue is bounded.
    static GATE: Cell<Gate> = const {
        Cell::new(Gate {
            held_since: None,
            waiting: 0,
        })
    };
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn free(gate: Gate) -> bool {
    gate.held_since.is_none_or(|t| now() - t > STALE_MILLIS)
}

/// Releases the gate (or the waiting slot) however the derivation ends, dropped included.
struct Held;
impl Drop for Held {
    fn drop(&mut self) {
        GATE.with(|g| {
            g.set(Gate {
                held_since: None,
                ..g.get()
            })
        });
    }
}
struct Waiting;
impl Drop for Waiting {
    fn drop(&mut self) {
        GATE.with(|g| {
            let gate = g.get();
            g.set(Gate {
                waiting: gate.waiting.saturating_sub(1),
                ..gate
            })
        });
    }
}

/// Wait for this isolate's one password turn (see [`GATE`]); the turn lasts until the
/// returned guard is dropped. Take it before the work that leads to a derivation (a sign-in's
/// record lookup included), so a burst queues as whole sign-ins. More than [`MAX_WAITING`] in
/// line are refused at once.
pub(super) async fn password_turn() -> Result<impl Drop> {
    let gate = GATE.get();
    if !free(gate) {
        if gate.waiting >= MAX_WAITING {
            return Err(EdgeError::RateLimited {
                message: "sign-in is busy; try again in a moment".into(),
                retry_after: 1,
            });
        }
        GATE.set(Gate {
            waiting: gate.waiting + 1,
            ..gate
        });
        let _waiting = Waiting;
        while !free(GATE.get()) {
            worker::Delay::from(POLL).await;
        }
    }
    GATE.set(Gate {
        held_since: Some(now()),
        ..GATE.get()
    });
    Ok(Held)
}

/// PBKDF2-HMAC-SHA256 of `password` with `salt`, [`SLICE`] rounds at a time, yielding to the
/// event loop between slices.
async fn derive(password: &str, salt: &[u8], iterations: u32) -> [u8; 32] {
    let mut derivation = Derivation::new(password, salt, iterations);
    while !derivation.step(SLICE) {
        worker::Delay::from(Duration::ZERO).await;
    }
    derivation.key().expect("complete after the last step")
}

/// Whether `password` matches the stored hash (call within a [`password_turn`]). A malformed
/// hash never matches, but costs the same work, so timing does not tell a broken record from a
/// wrong password.
pub(super) async fn verify(password: &str, encoded: &str) -> bool {
    let stored = Stored::parse(encoded);
    let (salt, iterations) = match &stored {
        Some(s) => (s.salt.clone(), s.iterations),
        None => (vec![0; 16], password::ITERATIONS),
    };
    let derived = derive(password, &salt, iterations).await;
    stored.is_some_and(|s| s.matches(&derived))
}

/// A new hash (call within a [`password_turn`]) for a password that passed
/// [`password::check_new`], with a fresh random salt.
pub(super) async fn hash_new(password: &str) -> Result<String> {
    password::check_new(password).map_err(EdgeError::BadRequest)?;
    let salt = random_bytes(16)?;
    let key = derive(password, &salt, password::ITERATIONS).await;
    Ok(Stored {
        iterations: password::ITERATIONS,
        salt,
        key,
    }
    .encode())
}
