//! Password derivation with the runtime's native WebCrypto, in the stateless Worker.
//!
//! PBKDF2 with 100,000 rounds costs tens of milliseconds of CPU. Done inside the Workspace
//! Durable Object (as it once was), a login flood froze every request of that workspace; in the
//! Worker it runs beside the DO, natively (several times faster than the pure-Rust version in
//! wasm) and behind the login limits, so the DO only ever hands out a stored record.

use std::cell::Cell;
use std::time::Duration;

use charla_shared::password::{self, Stored};
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::error::{EdgeError, Result};
use crate::ids::random_bytes;

fn js_err(what: &str) -> impl Fn(JsValue) -> EdgeError + '_ {
    move |_| EdgeError::Config(format!("WebCrypto: {what} failed"))
}

fn method(target: &JsValue, name: &str) -> Result<Function> {
    Reflect::get(target, &name.into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| EdgeError::Config(format!("WebCrypto: no {name}")))
}

/// Derivations waiting for the gate at most; more are refused at once (429, retry in a second).
const MAX_WAITING: u32 = 16;
/// How often a waiting derivation looks at the gate again.
const POLL: Duration = Duration::from_millis(4);
/// Time from one derivation's start to the next one's, per isolate: at most ten a second. A
/// derivation is one uninterruptible block of ~25-40 ms; spacing them keeps the isolate (which
/// locally also runs every Durable Object) free for other requests most of the time during a
/// sign-in flood, at the price of slower sign-ins only while one is going on. Measured from
/// the release, whose clock reading is the last I/O before the derivation (a Worker's clock
/// only moves on I/O), so this is start-to-start.
const GAP_MILLIS: f64 = 100.0;
/// A holder that has not let go after this long is presumed gone (its request was cancelled
/// and its future never resumed); one derivation takes tens of milliseconds.
const STALE_MILLIS: f64 = 2_000.0;

#[derive(Clone, Copy)]
struct Gate {
    held_since: Option<f64>,
    released_at: f64,
    waiting: u32,
}

thread_local! {
    /// One derivation at a time per isolate, and how many wait. The isolate is single-threaded
    /// (and locally it is shared with every Durable Object), so a burst of derivations run back
    /// to back would hold everything else up for their whole sum; one at a time, with a timer
    /// between them, lets other requests in after each one.
    static GATE: Cell<Gate> = const {
        Cell::new(Gate {
            held_since: None,
            released_at: 0.0,
            waiting: 0,
        })
    };
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn free(gate: Gate) -> bool {
    match gate.held_since {
        Some(t) => now() - t > STALE_MILLIS,
        None => now() - gate.released_at >= GAP_MILLIS,
    }
}

/// Releases the gate (or the waiting slot) however the derivation ends, dropped included.
struct Held;
impl Drop for Held {
    fn drop(&mut self) {
        GATE.with(|g| {
            g.set(Gate {
                held_since: None,
                released_at: now(),
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
/// record lookup included): each derivation runs as one uninterruptible block, so a burst can
/// only be spaced out by queueing whole sign-ins, with timers in between that let every other
/// request in. More than [`MAX_WAITING`] in line are refused at once.
pub async fn password_turn() -> Result<impl Drop> {
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

/// PBKDF2-HMAC-SHA256 of `password` with `salt`, 32 bytes.
async fn pbkdf2_sha256(password: &str, salt: &[u8], iterations: u32) -> Result<Vec<u8>> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).map_err(js_err("crypto"))?;
    let subtle = Reflect::get(&crypto, &"subtle".into()).map_err(js_err("subtle"))?;
    let import = method(&subtle, "importKey")?;
    let args = Array::of5(
        &"raw".into(),
        &Uint8Array::from(password.as_bytes()),
        &"PBKDF2".into(),
        &false.into(),
        &Array::of1(&"deriveBits".into()),
    );
    let key = JsFuture::from(Promise::from(
        import.apply(&subtle, &args).map_err(js_err("importKey"))?,
    ))
    .await
    .map_err(js_err("importKey"))?;
    let params = Object::new();
    for (k, v) in [
        ("name", JsValue::from("PBKDF2")),
        ("hash", JsValue::from("SHA-256")),
        ("salt", Uint8Array::from(salt).into()),
        ("iterations", JsValue::from(iterations)),
    ] {
        Reflect::set(&params, &k.into(), &v).map_err(js_err("parameters"))?;
    }
    let derive = method(&subtle, "deriveBits")?;
    let bits = JsFuture::from(Promise::from(
        derive
            .call3(&subtle, &params, &key, &JsValue::from(256))
            .map_err(js_err("deriveBits"))?,
    ))
    .await
    .map_err(js_err("deriveBits"))?;
    Ok(Uint8Array::new(&bits).to_vec())
}

/// Whether `password` matches the stored hash (call within a [`password_turn`]). A malformed hash never matches, but costs the
/// same work, so timing does not tell a broken record from a wrong password.
pub async fn verify(password: &str, encoded: &str) -> Result<bool> {
    let stored = Stored::parse(encoded);
    let (salt, iterations) = match &stored {
        Some(s) => (s.salt.clone(), s.iterations),
        None => (vec![0; 16], password::ITERATIONS),
    };
    let derived = pbkdf2_sha256(password, &salt, iterations).await?;
    Ok(stored.is_some_and(|s| s.matches(&derived)))
}

/// A new hash (call within a [`password_turn`]) for a password that passed [`password::check_new`], with a fresh random salt.
pub async fn hash_new(password: &str) -> Result<String> {
    password::check_new(password).map_err(EdgeError::BadRequest)?;
    let salt = random_bytes(16)?;
    let key = pbkdf2_sha256(password, &salt, password::ITERATIONS).await?;
    let key: [u8; 32] = key
        .try_into()
        .map_err(|_| EdgeError::Config("WebCrypto: short key".into()))?;
    Ok(Stored {
        iterations: password::ITERATIONS,
        salt,
        key,
    }
    .encode())
}
