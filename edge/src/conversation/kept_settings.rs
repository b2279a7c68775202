//! The workspace's lifecycle settings a Conversation DO keeps between activations, so a
//! message that wakes it does not wait on the Workspace for them.

use std::cell::{Cell, RefCell};

use charla_shared::lifecycle::LifecycleSettings;
use serde::Deserialize;
use worker::SqlStorage;

use crate::error::EdgeError;

/// The workspace's lifecycle settings as this conversation last heard them, kept in its SQLite
/// (`meta` row `settings`) so a hibernated conversation woken by a message does not ask the
/// Workspace for them: every publication's answer carries them, and a change is written here
/// (only then). Agent actions and alarms still fetch them fresh.
pub(super) struct KeptSettings {
    sql: SqlStorage,
    current: RefCell<Option<LifecycleSettings>>,
    /// The `meta` row was read in this activation (it may hold nothing).
    read: Cell<bool>,
}

impl KeptSettings {
    pub(super) fn new(sql: SqlStorage) -> Self {
        KeptSettings {
            sql,
            current: RefCell::new(None),
            read: Cell::new(false),
        }
    }

    /// What is kept, from memory or (once per activation) from SQLite.
    pub(super) fn get(&self) -> Option<LifecycleSettings> {
        if self.current.borrow().is_none() && !self.read.replace(true) {
            #[derive(Deserialize)]
            struct Row {
                v: String,
            }
            let stored = self
                .sql
                .exec("SELECT v FROM meta WHERE k = 'settings'", None)
                .and_then(|c| c.to_array::<Row>())
                .ok()
                .and_then(|rows| rows.into_iter().next())
                .and_then(|row| serde_json::from_str(&row.v).ok());
            *self.current.borrow_mut() = stored;
        }
        self.current.borrow().clone()
    }

    /// Keep `settings`, writing them only if they changed.
    pub(super) fn keep(&self, settings: LifecycleSettings) {
        if self.get().as_ref() == Some(&settings) {
            return;
        }
        let written = serde_json::to_string(&settings)
            .map_err(EdgeError::from)
            .and_then(|json| {
                self.sql.exec(
                    "INSERT INTO meta (k, v) VALUES ('settings', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
                    vec![json.into()],
                )?;
                Ok(())
            });
        if let Err(err) = written {
            worker::console_error!("keeping the lifecycle settings failed: {err:?}");
        }
        *self.current.borrow_mut() = Some(settings);
    }
}
