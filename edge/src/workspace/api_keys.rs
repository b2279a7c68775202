//! REST API keys in the Workspace DO. Only owners list, create and revoke them (checked here,
//! with the caller's role as the agents table has it now); the Worker draws each secret and
//! hands over only its SHA-256, so the DO never holds a usable key.

use charla_shared::api_keys::{ApiCaller, ApiKey, NewApiKey, Scope, MAX_KEYS};
use charla_shared::protocol::Role;
use charla_shared::token::constant_time_eq;
use serde::Deserialize;

use super::agents::Viewer;
use super::store::Workspace;
use crate::error::{EdgeError, Result};
use crate::ids::{is_valid, now_millis};

/// A key's last use is written at most this often: using a key costs no write per request.
const LAST_USED_EVERY_MS: i64 = 60_000;

#[derive(Deserialize)]
struct KeyRow {
    id: String,
    name: String,
    scopes: String,
    hint: String,
    created_at: i64,
    created_by: String,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl KeyRow {
    fn scopes(&self) -> Vec<Scope> {
        serde_json::from_str(&self.scopes).unwrap_or_default()
    }

    fn into_key(self) -> ApiKey {
        ApiKey {
            scopes: self.scopes(),
            id: self.id,
            name: self.name,
            hint: self.hint,
            created_at: self.created_at,
            created_by: self.created_by,
            last_used_at: self.last_used_at,
            revoked_at: self.revoked_at,
        }
    }
}

#[derive(Deserialize)]
struct CheckRow {
    name: String,
    scopes: String,
    fingerprint: String,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

const COLUMNS: &str = "id, name, scopes, hint, created_at, created_by, last_used_at, revoked_at";

fn owner_only(viewer: &Viewer) -> Result<()> {
    if viewer.role == Role::Owner {
        Ok(())
    } else {
        Err(EdgeError::Forbidden("only owners manage API keys".into()))
    }
}

impl Workspace {
    pub(super) fn api_keys(&self, viewer: &Viewer) -> Result<Vec<ApiKey>> {
        owner_only(viewer)?;
        let rows: Vec<KeyRow> = self
            .sql()
            .exec(
                &format!("SELECT {COLUMNS} FROM api_keys ORDER BY created_at DESC, id"),
                None,
            )?
            .to_array()?;
        Ok(rows.into_iter().map(KeyRow::into_key).collect())
    }

    fn api_key(&self, key_id: &str) -> Result<ApiKey> {
        let rows: Vec<KeyRow> = self
            .sql()
            .exec(
                &format!("SELECT {COLUMNS} FROM api_keys WHERE id = ?"),
                vec![key_id.into()],
            )?
            .to_array()?;
        rows.into_iter()
            .next()
            .map(KeyRow::into_key)
            .ok_or_else(|| EdgeError::NotFound("unknown API key".into()))
    }

    pub(super) fn create_api_key(
        &self,
        viewer: &Viewer,
        key_id: &str,
        key: &NewApiKey,
        fingerprint: &str,
        hint: &str,
    ) -> Result<ApiKey> {
        owner_only(viewer)?;
        if !is_valid(charla_shared::ids::IdKind::ApiKey, key_id) {
            return Err(EdgeError::BadRequest("malformed API key id".into()));
        }
        let key = key.normalized()?;
        #[derive(Deserialize)]
        struct CountRow {
            n: i64,
        }
        let held: Vec<CountRow> = self
            .sql()
            .exec("SELECT COUNT(*) AS n FROM api_keys", None)?
            .to_array()?;
        if held.first().map_or(0, |r| r.n) as usize >= MAX_KEYS {
            return Err(EdgeError::BadRequest(format!(
                "a workspace holds at most {MAX_KEYS} API keys"
            )));
        }
        self.sql().exec(
            "INSERT INTO api_keys (id, name, scopes, fingerprint, hint, created_at, created_by)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            vec![
                key_id.into(),
                key.name.as_str().into(),
                serde_json::to_string(&key.scopes)?.into(),
                fingerprint.into(),
                hint.into(),
                now_millis().into(),
                viewer.id.as_str().into(),
            ],
        )?;
        self.api_key(key_id)
    }

    pub(super) fn revoke_api_key(&self, viewer: &Viewer, key_id: &str) -> Result<ApiKey> {
        owner_only(viewer)?;
        self.api_key(key_id)?;
        self.sql().exec(
            "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            vec![now_millis().into(), key_id.into()],
        )?;
        self.api_key(key_id)
    }

    /// The caller a REST request's key names, or 401 for an unknown, revoked or mismatched
    /// key (the same answer for each, so a key id reveals nothing).
    pub(super) fn api_caller(&self, key_id: &str, fingerprint: &str) -> Result<ApiCaller> {
        let rows: Vec<CheckRow> = self
            .sql()
            .exec(
                "SELECT name, scopes, fingerprint, last_used_at, revoked_at FROM api_keys WHERE id = ?",
                vec![key_id.into()],
            )?
            .to_array()?;
        let row = rows
            .into_iter()
            .next()
            .filter(|r| {
                r.revoked_at.is_none()
                    && constant_time_eq(r.fingerprint.as_bytes(), fingerprint.as_bytes())
            })
            .ok_or(EdgeError::Unauthorized)?;
        let now = now_millis();
        if row
            .last_used_at
            .is_none_or(|at| now - at >= LAST_USED_EVERY_MS)
        {
            self.sql().exec(
                "UPDATE api_keys SET last_used_at = ? WHERE id = ?",
                vec![now.into(), key_id.into()],
            )?;
        }
        Ok(ApiCaller {
            key_id: key_id.to_owned(),
            scopes: serde_json::from_str(&row.scopes).unwrap_or_default(),
            name: row.name,
        })
    }
}
