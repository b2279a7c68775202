//! Switches read from the Worker's vars: `1` turns one on. The `CHARLA_DEV_*` ones are for
//! benches and tests and are never set in production; `CHARLA_ALLOW_PRIVATE_HTTP` is for
//! local development.

use worker::Env;

/// Whether the var `name` is set to `1`.
pub fn on(env: &Env, name: &str) -> bool {
    env.var(name).is_ok_and(|v| v.to_string() == "1")
}
