//! The Workspace Durable Object itself: what it holds in memory, and the storage every feature
//! goes through (its SQLite, the `settings` table).

use std::cell::RefCell;
use std::collections::BTreeMap;

use serde::Deserialize;
use worker::{durable_object, Env, SqlStorage, State};

use crate::error::{EdgeError, Result};

#[durable_object]
pub struct Workspace {
    pub(super) state: State,
    pub(super) env: Env,
    /// Automatic assignments sent but not yet confirmed by a summary (see `assignment`).
    pub(super) pending: RefCell<Pending>,
}

/// Conversations the Workspace has assigned but not yet seen confirmed in a summary.
pub(super) type Pending = BTreeMap<String, String>;

#[derive(Deserialize)]
struct SettingRow {
    v: String,
}

impl Workspace {
    pub(super) fn put_setting(&self, key: &str, value: &str) -> Result<()> {
        self.sql().exec(
            "INSERT INTO settings (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
            vec![key.into(), value.into()],
        )?;
        Ok(())
    }

    pub(super) fn sql(&self) -> SqlStorage {
        self.state.storage().sql()
    }

    pub(super) fn setting(&self, key: &str) -> Result<Option<String>> {
        let rows: Vec<SettingRow> = self
            .sql()
            .exec("SELECT v FROM settings WHERE k = ?", vec![key.into()])?
            .to_array()?;
        Ok(rows.into_iter().next().map(|r| r.v))
    }

    /// The workspace id this object serves, recorded by the first call (the Worker sends it in
    /// the identity header of every internal call).
    pub(super) fn ensure_id(&self, workspace_id: &str) -> Result<()> {
        match self.setting("workspace_id")? {
            Some(id) if id == workspace_id => Ok(()),
            Some(_) => Err(EdgeError::Forbidden("workspace mismatch".into())),
            None => {
                self.sql().exec(
                    "INSERT INTO settings (k, v) VALUES ('workspace_id', ?)",
                    vec![workspace_id.into()],
                )?;
                Ok(())
            }
        }
    }

    pub(super) fn exists(&self) -> Result<bool> {
        Ok(self.setting("created_at")?.is_some())
    }
}
