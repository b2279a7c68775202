//! The conversation's lifecycle in the Conversation DO: the workspace's settings it runs with,
//! the one alarm (auto-close deadline or a waiting run's wakeup, whichever comes first) and the
//! Workspace's automatic assignments.

use charla_shared::basic::Millis;
use charla_shared::lifecycle::LifecycleSettings;
use worker::{Response, ScheduledTime};

use super::store::Conversation;
use crate::error::{EdgeError, Result};
use crate::ids::now_millis;
use crate::internal::workspace::{self, WorkspaceCall};

impl Conversation {
    /// The workspace's lifecycle settings: the kept copy unless `refresh`. If the Workspace
    /// cannot answer, the last known (or default) settings are used rather than failing a
    /// visitor's message. Cold, one fetch is made at a time and those who asked meanwhile take
    /// its answer instead of asking again.
    pub(super) async fn settings(&self, workspace_id: &str, refresh: bool) -> LifecycleSettings {
        let _fetching = if refresh {
            None
        } else {
            if let Some(s) = self.settings.get() {
                return s;
            }
            let guard = self.settings_turn.acquire().await;
            if let Some(s) = self.settings.get() {
                return s;
            }
            Some(guard)
        };
        let fetched = workspace::ask::<LifecycleSettings>(
            &self.env,
            workspace_id,
            &WorkspaceCall::LifecycleSettings,
        )
        .await;
        match fetched {
            Ok(s) => {
                self.settings.keep(s.clone());
                s
            }
            Err(err) => {
                worker::console_error!("lifecycle settings unavailable: {err:?}");
                self.settings.get().unwrap_or_default()
            }
        }
    }

    /// Set the one alarm: the lifecycle deadline `at`, a waiting run's wakeup or the deletion
    /// of an upload never sent, whichever comes first.
    ///
    /// An alarm already set no later than that is left alone: the handler is idempotent and
    /// sets the next one when it fires, so one that fires early costs one wake-up, while moving
    /// it on every message (an inactivity deadline moves with each) would cost a storage write
    /// per message. For the same reason a deadline that went away leaves the alarm to fire once.
    pub(super) async fn schedule(&self, at: Option<Millis>) -> Result<()> {
        let wakeup = if self.has_runs.get() == Some(false) {
            None
        } else {
            self.next_run_wakeup()
        };
        // Unsent uploads are deleted an hour after they came (see `files`).
        let at = [at, wakeup, self.next_file_sweep()]
            .into_iter()
            .flatten()
            .min();
        let Some(at) = at else {
            return Ok(());
        };
        if self.alarm_at.get().is_some_and(|set| set <= at) {
            return Ok(());
        }
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64));
        self.state
            .storage()
            .set_alarm(ScheduledTime::new(date))
            .await?;
        self.alarm_at.set(Some(at));
        Ok(())
    }

    /// The Workspace's automatic assignment. A refusal (closed meanwhile, already assigned)
    /// is a 400, so the Workspace corrects its books.
    pub(super) async fn system_assign(
        &self,
        agent_id: String,
        team_id: Option<String>,
    ) -> Result<bool> {
        if !self.load()? {
            return Err(EdgeError::NotFound("unknown conversation".into()));
        }
        let workspace_id = self.workspace_id();
        let settings = self.settings(&workspace_id, false).await;
        let outcome = {
            let mut guard = self.conv.borrow_mut();
            let state = guard.as_mut().expect("loaded above");
            let effects = state
                .system_assign(agent_id, team_id, &settings, now_millis())
                .map_err(|e| EdgeError::BadRequest(e.to_string()))?;
            self.execute(effects, state, None)?
        };
        let mut outcome = outcome;
        let happened = std::mem::take(&mut outcome.happened);
        self.follow_up(outcome, workspace_id.clone()).await;
        self.automate(&workspace_id, happened).await;
        Ok(true)
    }

    /// The Workspace deactivated `agent_id`: unassign what they still hold here, through the
    /// same effects as any action (timeline, agents' sockets, summary, report rows).
    pub(super) async fn system_unassign(&self, agent_id: &str) -> Result<bool> {
        if !self.load()? {
            return Err(EdgeError::NotFound("unknown conversation".into()));
        }
        let workspace_id = self.workspace_id();
        let settings = self.settings(&workspace_id, false).await;
        let mut outcome = {
            let mut guard = self.conv.borrow_mut();
            let state = guard.as_mut().expect("loaded above");
            let effects = state
                .system_unassign(agent_id, &settings, now_millis())
                .map_err(|e| EdgeError::BadRequest(e.to_string()))?;
            if effects.is_empty() {
                return Ok(false);
            }
            self.execute(effects, state, None)?
        };
        let happened = std::mem::take(&mut outcome.happened);
        self.follow_up(outcome, workspace_id.clone()).await;
        self.automate(&workspace_id, happened).await;
        Ok(true)
    }

    /// Set the alarm to the earliest of the lifecycle deadline and the runs' wakeups.
    pub(super) async fn reschedule(&self, workspace_id: &str) {
        let settings = self.settings(workspace_id, false).await;
        let deadline = self
            .conv
            .borrow()
            .as_ref()
            .and_then(|s| s.lifecycle.next_deadline(&settings));
        if let Err(err) = self.schedule(deadline).await {
            worker::console_error!("setting the alarm failed: {err:?}");
        }
    }

    /// Auto-close. Alarms are at-least-once and may be stale (the deadline moved since it was
    /// set); `on_deadline` only closes when due and always answers the next wake-up time.
    pub(super) async fn on_alarm(&self) -> worker::Result<Response> {
        // The runtime cleared the alarm that fired; whatever comes next sets a new one.
        self.alarm_at.set(None);
        if !matches!(self.load(), Ok(true)) {
            return Response::ok("nothing to do");
        }
        let workspace_id = self.workspace_id();
        let settings = self.settings(&workspace_id, true).await;
        let outcome = {
            let mut guard = self.conv.borrow_mut();
            let state = guard.as_mut().expect("loaded above");
            let effects = state.on_deadline(&settings, now_millis());
            self.execute(effects, state, None)
        };
        match outcome {
            Ok(mut out) => {
                let happened = std::mem::take(&mut out.happened);
                self.follow_up(out, workspace_id.clone()).await;
                self.automate(&workspace_id, happened).await;
            }
            Err(err) => worker::console_error!("conversation alarm failed: {err:?}"),
        }
        self.wake_runs(&workspace_id).await;
        self.sweep_files(&workspace_id).await;
        self.reschedule(&workspace_id).await;
        Response::ok("done")
    }
}
