//! Report rows in the Workspace DO (`charla_shared::reports`): one per conversation period,
//! written when a period opens and when it closes, so report queries never read message logs.

use charla_shared::reports::ReportRow;
use worker::{Method, Request, Response};

use crate::error::{EdgeError, Result};
use crate::sql::binds;
use crate::workspace::Workspace;

impl Workspace {
    /// Upsert one row: every statement in one synchronous turn, so they commit together.
    /// The contact's current display name wins over the visitor label the conversation knows.
    pub(crate) fn store_report_row(&self, mut row: ReportRow) -> Result<()> {
        if let Some(name) = self.contact_display_name(&row.contact_id)? {
            row.contact_name = name;
        }
        for q in row.upsert_sql() {
            self.sql().exec(&q.sql, binds(&q.binds))?;
        }
        Ok(())
    }

    /// Internal routes under `/reports` (the Worker checks roles first).
    pub(crate) async fn report_route(
        &self,
        method: Method,
        path: &str,
        mut req: Request,
    ) -> Result<Response> {
        match (method, path) {
            (Method::Post, "/reports/row") => {
                let row: ReportRow = req
                    .json()
                    .await
                    .map_err(|e| EdgeError::BadRequest(format!("invalid report row: {e}")))?;
                self.store_report_row(row)?;
                Ok(Response::from_json(&true)?)
            }
            _ => Err(EdgeError::NotFound("no such report route".into())),
        }
    }
}
