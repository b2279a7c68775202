//! The Workspace Durable Object itself: what it holds in memory, and the storage every feature
//! goes through (its SQLite, the `settings` table).

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};

use charla_shared::lifecycle::LifecycleSettings;
use charla_shared::webhooks::EventType;
use serde::Deserialize;
use worker::{durable_object, Env, SqlStorage, State};

use crate::error::{EdgeError, Result};
use crate::internal::workspace::MessageWorkflows;

#[durable_object]
pub struct Workspace {
    pub(super) state: State,
    pub(super) env: Env,
    /// Automatic assignments sent but not yet confirmed by a summary (see `assignment`).
    pub(super) pending: RefCell<Pending>,
    /// The workspace id this object was seen to serve, and that it exists: every call checks
    /// both, and after the first they cost no query (neither ever changes back).
    pub(super) known: RefCell<Option<String>>,
    /// Which contact messages enabled workflows listen for, as the publication answers it;
    /// `None` until read, dropped by every workflow change (this object is their one writer).
    pub(super) message_workflows: Cell<Option<MessageWorkflows>>,
    /// Requests answered in this activation (read only by the dev-only call count).
    pub(super) calls: Cell<u64>,
    /// Contacts' display names as read for inbox lines (every publication needs its contact's):
    /// `apply_contact_patch`, the one writer of `contacts`, drops a contact's entry.
    pub(super) names: RefCell<HashMap<String, Option<String>>>,
    /// The lifecycle settings, read once (every publication answers them); their one writer,
    /// `set_lifecycle_settings`, replaces them.
    pub(super) lifecycle: RefCell<Option<LifecycleSettings>>,
    /// The webhook subscriptions' ids and events, read once (every publication checks them);
    /// their one writer (`webhooks.rs`) drops it.
    pub(super) hooks: RefCell<Option<Vec<Hook>>>,
}

/// A webhook subscription's id and the events it hears.
pub(super) type Hook = (String, Vec<EventType>);

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
        if let Some(known) = self.known.borrow().as_deref() {
            return if known == workspace_id {
                Ok(())
            } else {
                Err(EdgeError::Forbidden("workspace mismatch".into()))
            };
        }
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
        Ok(self.known.borrow().is_some() || self.setting("created_at")?.is_some())
    }

    /// Remember that this object serves `workspace_id` and that it exists (see `known`).
    pub(super) fn note_known(&self, workspace_id: &str) {
        *self.known.borrow_mut() = Some(workspace_id.to_owned());
        self.resume_backfill(workspace_id);
    }
}
