//! Signing in without stalling the workspace. The Workspace DO only hands out the stored record
//! (`LoginBegin`) and hears the outcome (`LoginFinish`); the Worker derives the password
//! hash in between (`http/crypto.rs`). The DO also keeps the per-account attempt count: every
//! begun attempt counts as a failure until it is reported as a success, so a burst of parallel
//! guesses cannot slip past the limit before the first one is judged.

use serde::Deserialize;

use super::store::Workspace;
use crate::error::{EdgeError, Result};
use crate::ids::now_millis;
use crate::internal::workspace::{LoginRecord, SignedIn};

/// Failed attempts allowed per account within [`WINDOW_MILLIS`]; the next one is refused
/// (429) until the window that began with the first failure ends.
const MAX_FAILURES: i64 = 5;
const WINDOW_MILLIS: i64 = 15 * 60 * 1000;
/// Longest email looked up (RFC 5321); longer ones are not anyone's.
const MAX_EMAIL: usize = 254;

/// A valid hash of a random password, derived against when the email is unknown, so timing
/// does not reveal who has an account.
const DUMMY_HASH: &str =
    "pbkdf2-sha256$100000$c2FsdHNhbHRzYWx0c2FsdA$8Jr4bDq0gVDFfS6qZpM0XgFh5iBn1nT0mJ8XbkqvOso";

#[derive(Deserialize)]
struct AttemptRow {
    failures: i64,
    window_start: i64,
}

#[derive(Deserialize)]
struct HashRow {
    id: String,
    password_hash: String,
}

fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Workspace {
    /// Count an attempt for `email` and hand out its record, or refuse while it is locked.
    pub(super) fn login_begin(&self, email: &str) -> Result<LoginRecord> {
        let email = normalize_email(email);
        let now = now_millis();
        let row: Option<AttemptRow> = self
            .sql()
            .exec(
                "SELECT failures, window_start FROM login_attempts WHERE email = ?",
                vec![email.as_str().into()],
            )?
            .to_array::<AttemptRow>()?
            .into_iter()
            .next();
        let (failures, window_start) = match row {
            Some(r) if now - r.window_start < WINDOW_MILLIS => (r.failures, r.window_start),
            _ => (0, now),
        };
        if failures >= MAX_FAILURES {
            let wait = (window_start + WINDOW_MILLIS - now).max(1000);
            return Err(EdgeError::RateLimited {
                message: "too many sign-in attempts for this account; try again later".into(),
                retry_after: (wait as u64).div_ceil(1000),
            });
        }
        // Forget old windows now and then, so guessed emails do not pile up.
        self.sql().exec(
            "DELETE FROM login_attempts WHERE window_start < ?",
            vec![(now - WINDOW_MILLIS).into()],
        )?;
        self.sql().exec(
            "INSERT INTO login_attempts (email, failures, window_start) VALUES (?, ?, ?)
             ON CONFLICT (email) DO UPDATE SET failures = excluded.failures,
               window_start = excluded.window_start",
            vec![
                email.as_str().into(),
                (failures + 1).into(),
                window_start.into(),
            ],
        )?;
        let found: Option<HashRow> = if email.len() > MAX_EMAIL {
            None
        } else {
            self.sql()
                .exec(
                    "SELECT id, password_hash FROM agents WHERE email = ?",
                    vec![email.as_str().into()],
                )?
                .to_array::<HashRow>()?
                .into_iter()
                .next()
        };
        Ok(match found {
            Some(r) => LoginRecord {
                agent_id: Some(r.id),
                password_hash: r.password_hash,
            },
            None => LoginRecord {
                agent_id: None,
                password_hash: DUMMY_HASH.into(),
            },
        })
    }

    /// A verified password clears the account's count and signs the agent in (unless they
    /// were deactivated).
    pub(super) fn login_finish(
        &self,
        workspace_id: &str,
        email: &str,
        agent_id: &str,
    ) -> Result<SignedIn> {
        self.forget_attempts(email)?;
        self.signed_in(workspace_id, agent_id)
            .map_err(|err| match err {
                EdgeError::SignedOut(message) => EdgeError::SignedOut(message),
                _ => EdgeError::Unauthorized,
            })
    }

    /// The account proved its password: its failed attempts no longer count.
    pub(super) fn forget_attempts(&self, email: &str) -> Result<()> {
        self.sql().exec(
            "DELETE FROM login_attempts WHERE email = ?",
            vec![normalize_email(email).into()],
        )?;
        Ok(())
    }
}
