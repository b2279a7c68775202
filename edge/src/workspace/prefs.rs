//! Each agent's own choices (notification switches, …): one JSON value per (agent, key), read
//! with the type's defaults when the agent never chose.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::store::Workspace;
use crate::error::Result;

/// The key of an agent's `NotificationPrefs`.
pub(super) const NOTIFICATIONS: &str = "notifications";

#[derive(Deserialize)]
struct PrefRow {
    v: String,
}

impl Workspace {
    pub(super) fn agent_pref<T: DeserializeOwned + Default>(
        &self,
        agent_id: &str,
        key: &str,
    ) -> Result<T> {
        let rows: Vec<PrefRow> = self
            .sql()
            .exec(
                "SELECT v FROM agent_prefs WHERE agent_id = ? AND k = ?",
                vec![agent_id.into(), key.into()],
            )?
            .to_array()?;
        // A value stored by an older shape falls back to the defaults rather than failing.
        Ok(rows
            .first()
            .and_then(|r| serde_json::from_str(&r.v).ok())
            .unwrap_or_default())
    }

    pub(super) fn set_agent_pref<T: Serialize>(
        &self,
        agent_id: &str,
        key: &str,
        value: &T,
    ) -> Result<()> {
        self.sql().exec(
            "INSERT INTO agent_prefs (agent_id, k, v) VALUES (?, ?, ?)
             ON CONFLICT (agent_id, k) DO UPDATE SET v = excluded.v",
            vec![
                agent_id.into(),
                key.into(),
                serde_json::to_string(value)?.into(),
            ],
        )?;
        Ok(())
    }
}
