//! Identifiers and time from the platform (the core never draws them itself).

use js_sys::{Function, Reflect, Uint8Array};
use wasm_bindgen::JsCast;

use crate::error::{EdgeError, Result};

/// Bytes from the runtime's CSPRNG (`crypto.getRandomValues`).
pub fn random_bytes(n: u32) -> Result<Vec<u8>> {
    let global = js_sys::global();
    let crypto = Reflect::get(&global, &"crypto".into())
        .map_err(|_| EdgeError::Config("no crypto global".into()))?;
    let get: Function = Reflect::get(&crypto, &"getRandomValues".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| EdgeError::Config("no crypto.getRandomValues".into()))?;
    let buf = Uint8Array::new_with_length(n);
    get.call1(&crypto, &buf)
        .map_err(|_| EdgeError::Config("crypto.getRandomValues failed".into()))?;
    Ok(buf.to_vec())
}

/// A random id with a readable prefix, e.g. `v_3f9a…` (128 bits, hex).
pub fn new_id(prefix: &str) -> Result<String> {
    let hex: String = random_bytes(16)?
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(format!("{prefix}_{hex}"))
}

pub fn now_millis() -> i64 {
    worker::Date::now().as_millis() as i64
}

pub use charla_shared::ids::{is_valid, IdKind};

/// Workspace ids appear in Durable Object names and URLs (see `charla_shared::ids`).
pub fn valid_workspace_id(id: &str) -> bool {
    charla_shared::ids::is_valid_workspace(id)
}

pub fn valid_conversation_id(id: &str) -> bool {
    is_valid(IdKind::Conversation, id)
}

/// Visitor (= contact) ids.
pub fn valid_visitor_id(id: &str) -> bool {
    is_valid(IdKind::Visitor, id)
}
