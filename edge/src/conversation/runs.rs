//! Workflow runs in the Conversation DO between calls: a run being driven, and the `runs`
//! table that keeps the waiting ones (the pinned workflow and the `Run`) with their wakeups,
//! which the DO's one alarm also serves. A finished run leaves a line in the timeline and in
//! its workflow's run list.

use charla_shared::basic::Millis;
use charla_shared::lifecycle::ActivityKind;
use charla_shared::workflow::{Run, Workflow};
use serde::Deserialize;

use super::store::Conversation;
use crate::error::Result;
use crate::ids::now_millis;
use crate::internal::workspace::{self, RunSummary, WorkspaceCall};

#[derive(Deserialize)]
struct RunRow {
    id: String,
    workflow: String,
    run: String,
}

#[derive(Deserialize)]
struct WakeRow {
    wakeup: Option<i64>,
}

/// One run being driven through its effects.
pub(super) struct Driving {
    pub(super) id: String,
    pub(super) workflow: Workflow,
    pub(super) run: Run,
}

impl Conversation {
    pub(super) fn stored_runs(&self) -> Result<Vec<(String, Workflow, Run)>> {
        let rows: Vec<RunRow> = self
            .sql()
            .exec(
                "SELECT id, workflow, run FROM runs ORDER BY updated_at",
                None,
            )?
            .to_array()?;
        rows.into_iter()
            .map(|r| {
                Ok((
                    r.id,
                    serde_json::from_str(&r.workflow)?,
                    serde_json::from_str(&r.run)?,
                ))
            })
            .collect()
    }

    /// The earliest run wakeup, folded into the DO's one alarm.
    pub(super) fn next_run_wakeup(&self) -> Option<Millis> {
        let rows: Vec<WakeRow> = self
            .sql()
            .exec("SELECT MIN(wakeup) AS wakeup FROM runs", None)
            .ok()?
            .to_array()
            .ok()?;
        rows.first().and_then(|r| r.wakeup)
    }

    /// Persist a waiting run (and move the alarm), or log and drop a finished one: its line
    /// goes to the timeline and to the workflow's run list.
    pub(super) async fn keep_or_finish(&self, workspace_id: &str, d: &Driving) -> Result<()> {
        let now = now_millis();
        // Only a run that waited (was stored) can move the alarm.
        let was_stored = !self
            .sql()
            .exec(
                "SELECT id FROM runs WHERE id = ?",
                vec![d.id.as_str().into()],
            )?
            .to_array::<serde_json::Value>()?
            .is_empty();
        if d.run.is_finished() {
            self.sql()
                .exec("DELETE FROM runs WHERE id = ?", vec![d.id.as_str().into()])?;
            self.has_runs.set(None);
            let outcome = d
                .run
                .outcome()
                .and_then(|o| serde_json::to_value(o).ok())
                .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned))
                .unwrap_or_else(|| "completed".into());
            self.record_as_workflow(
                d,
                ActivityKind::WorkflowRan {
                    workflow_id: d.workflow.id.clone(),
                    name: d.workflow.name.clone(),
                    outcome,
                    steps: d.run.steps_taken(),
                },
                now,
            )?;
        } else {
            self.sql().exec(
                "INSERT INTO runs (id, workflow, run, wakeup, updated_at) VALUES (?, ?, ?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET run = excluded.run, wakeup = excluded.wakeup,
                   updated_at = excluded.updated_at",
                vec![
                    d.id.as_str().into(),
                    serde_json::to_string(&d.workflow)?.into(),
                    serde_json::to_string(&d.run)?.into(),
                    d.run.next_wakeup().into(),
                    now.into(),
                ],
            )?;
            self.has_runs.set(Some(true));
        }
        if was_stored || !d.run.is_finished() {
            self.reschedule(workspace_id).await;
        }
        // The run list is a report, not part of the run: written off the reply path.
        let call = WorkspaceCall::RecordRun(RunSummary {
            run_id: d.id.clone(),
            log: d.run.log.clone(),
        });
        let (env, workspace) = (self.env.clone(), workspace_id.to_owned());
        self.state.wait_until(async move {
            if let Err(err) = workspace::ask::<bool>(&env, &workspace, &call).await {
                worker::console_error!("run log not recorded: {err:?}");
            }
        });
        Ok(())
    }
}
