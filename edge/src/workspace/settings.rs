//! Workspace-wide settings the other features run with: closing-note rules and auto-close (the
//! Conversation DOs fetch them), and the business hours (the widget's away message, workflow
//! conditions, reports' business-hours times).

use charla_shared::files::FileRules;
use charla_shared::lifecycle::LifecycleSettings;
use charla_shared::schedule::BusinessHours;

use super::store::Workspace;
use crate::error::{EdgeError, Result};

impl Workspace {
    /// Closing-note rules and auto-close for every conversation of the workspace. Defaults
    /// (optional note, auto-close after 24 h) until an owner changes them.
    pub(super) fn lifecycle_settings(&self) -> Result<LifecycleSettings> {
        if let Some(known) = self.lifecycle.borrow().as_ref() {
            return Ok(known.clone());
        }
        let settings = match self.setting("lifecycle")? {
            Some(json) => serde_json::from_str(&json)?,
            None => LifecycleSettings::default(),
        };
        *self.lifecycle.borrow_mut() = Some(settings.clone());
        Ok(settings)
    }

    pub(super) fn set_lifecycle_settings(&self, settings: &LifecycleSettings) -> Result<()> {
        if settings.categories.len() > 50
            || settings
                .categories
                .iter()
                .any(|c| c.trim().is_empty() || c.chars().count() > 40)
        {
            return Err(EdgeError::BadRequest(
                "closing-note categories: at most 50, each 1-40 characters".into(),
            ));
        }
        self.sql().exec(
            "INSERT INTO settings (k, v) VALUES ('lifecycle', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
            vec![serde_json::to_string(settings)?.into()],
        )?;
        *self.lifecycle.borrow_mut() = Some(settings.clone());
        Ok(())
    }

    /// What files conversations accept: the defaults (10 MB; images, PDF, office documents,
    /// text, archives) until an owner changes them.
    pub(super) fn file_rules(&self) -> Result<FileRules> {
        Ok(match self.setting("files")? {
            Some(json) => serde_json::from_str(&json)?,
            None => FileRules::default(),
        })
    }

    pub(super) fn set_file_rules(&self, rules: FileRules) -> Result<FileRules> {
        rules.validate()?;
        self.put_setting("files", &serde_json::to_string(&rules)?)?;
        Ok(rules)
    }

    /// The workspace's opening hours; `None` = always open.
    pub(super) fn business_hours(&self) -> Result<Option<BusinessHours>> {
        Ok(match self.setting("business_hours")? {
            Some(json) => serde_json::from_str(&json)?,
            None => None,
        })
    }

    pub(super) fn set_business_hours(
        &self,
        hours: Option<BusinessHours>,
    ) -> Result<Option<BusinessHours>> {
        if let Some(h) = &hours {
            let problems = h.validate();
            if !problems.is_empty() {
                return Err(EdgeError::BadRequest(problems.join("; ")));
            }
        }
        self.put_setting("business_hours", &serde_json::to_string(&hours)?)?;
        Ok(hours)
    }
}
