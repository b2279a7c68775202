//! Limits on public routes, with Cloudflare's rate-limiting binding (`[[ratelimits]]` in
//! wrangler.toml; it runs locally under `wrangler dev` too). A refused request gets 429 with
//! `Retry-After` and costs one counter lookup: no Durable Object is woken for it.
//!
//! Per-account login attempts are counted by the Workspace DO instead (`workspace/sign_in.rs`),
//! because they must count failures across every IP and reset on success.

use worker::{Env, Request};

use crate::error::{EdgeError, Result};

/// One binding of wrangler.toml: its name, the period it counts over and what a refused caller
/// is told. `period_secs` must equal the binding's `period` (10 or 60).
pub(super) struct Limit {
    pub binding: &'static str,
    pub period_secs: u64,
    pub message: &'static str,
}

/// Sign-in attempts per client IP (30 a minute): slows guessing across accounts and bounds
/// the password derivations one client can cause.
pub(super) const LOGIN_PER_IP: Limit = Limit {
    binding: "LOGIN_IP_LIMIT",
    period_secs: 60,
    message: "too many sign-in attempts from this address; try again later",
};

/// Invite acceptances per client IP (10 a minute): each one derives a password hash.
pub(super) const INVITE_PER_IP: Limit = Limit {
    binding: "INVITE_IP_LIMIT",
    period_secs: 60,
    message: "too many invite attempts from this address; try again later",
};

/// Password-reset link uses per client IP: the invite budget (10 a minute), since each one
/// derives a password hash the same way.
pub(super) const RESET_PER_IP: Limit = Limit {
    binding: "INVITE_IP_LIMIT",
    period_secs: 60,
    message: "too many password-reset attempts from this address; try again later",
};

/// New widget sessions per client IP (200 a minute): enough for an office or a shop behind
/// one NAT, not for minting conversations by the thousand.
pub(super) const SESSION_PER_IP: Limit = Limit {
    binding: "SESSION_IP_LIMIT",
    period_secs: 60,
    message: "too many new chats from this address; try again in a minute",
};

/// Every other public route (widget config, token renewal, pre-chat, identify, webhooks) per
/// client IP: 600 a
/// minute is far above what one office's page views need and bounds what one client can make
/// the Durable Objects do.
pub(super) const PUBLIC_PER_IP: Limit = Limit {
    binding: "PUBLIC_IP_LIMIT",
    period_secs: 60,
    message: "too many requests from this address; try again in a minute",
};

/// Searches per agent (60 in 10 s): the inbox asks once per pause in typing, so a person
/// never meets it; a script looping over the index does, before the Search DO is busy for
/// everyone else in the workspace.
pub(super) const SEARCH_PER_AGENT: Limit = Limit {
    binding: "SEARCH_AGENT_LIMIT",
    period_secs: 10,
    message: "too many searches; wait a few seconds",
};

/// REST API requests per key (600 a minute): a sync job gets ten a second on average; a
/// runaway loop is stopped before it makes the Workspace DO busy for the inbox.
pub(super) const API_PER_KEY: Limit = Limit {
    binding: "API_KEY_LIMIT",
    period_secs: 60,
    message: "too many requests with this API key; try again in a minute",
};

/// REST API requests per client IP (1,200 a minute), counted before the key is looked up, so
/// made-up keys cannot make the Workspace DO look them up without end.
pub(super) const API_PER_IP: Limit = Limit {
    binding: "API_IP_LIMIT",
    period_secs: 60,
    message: "too many API requests from this address; try again in a minute",
};

/// The caller's address as Cloudflare reports it. Locally `wrangler dev` fills it from the
/// socket (and passes a client-sent value through, which tests use to act as many clients);
/// on Cloudflare the edge always overwrites it.
pub(super) fn client_ip(req: &Request) -> String {
    req.headers()
        .get("CF-Connecting-IP")
        .ok()
        .flatten()
        .filter(|ip| !ip.is_empty() && ip.len() <= 64)
        .unwrap_or_else(|| "unknown".into())
}

/// Count one use of `key` against `limit`; `Err(RateLimited)` when over. A missing binding
/// is a deployment error: logged, and the request goes on rather than locking everyone out.
pub(super) async fn check(env: &Env, limit: &Limit, key: &str) -> Result<()> {
    let limiter = match env.rate_limiter(limit.binding) {
        Ok(l) => l,
        Err(err) => {
            worker::console_error!("rate limit binding {} missing: {err:?}", limit.binding);
            return Ok(());
        }
    };
    match limiter.limit(key.to_owned()).await {
        Ok(outcome) if !outcome.success => Err(EdgeError::RateLimited {
            message: limit.message.into(),
            retry_after: limit.period_secs,
        }),
        Ok(_) => Ok(()),
        Err(err) => {
            worker::console_error!("rate limit {} failed: {err:?}", limit.binding);
            Ok(())
        }
    }
}

/// [`check`] keyed by the caller's IP.
pub(super) async fn per_ip(env: &Env, limit: &Limit, req: &Request) -> Result<()> {
    check(env, limit, &client_ip(req)).await
}
