//! The workflow store in the Workspace DO: definitions with every saved version kept (a run
//! pins the version it started with), enable/disable, templates, webhook secrets, and the
//! per-workflow run list the Conversation DOs report into. Running is the Conversation DO's job
//! (`conversation/automation.rs`); the rules are `charla_shared::workflow`.

use charla_shared::assignment::{Decision, Who};
use charla_shared::contact::Contact;
use charla_shared::token;
use charla_shared::workflow::{Action, AgentFacts, HttpStep, Template, Trigger, Workflow};
use serde::Deserialize;

use crate::agents::Viewer;
use crate::error::{EdgeError, Result};
use crate::ids::{new_id, now_millis, random_bytes};
use crate::internal::workspace::{
    AutomationContext, DecideRequest, HookCheck, HookTarget, RunSummary, WorkflowListing,
};
use crate::workspace::Workspace;

/// Most workflows per workspace (each event is matched against all enabled ones).
const MAX_WORKFLOWS: usize = 100;
/// Run-list entries kept per workflow.
const RUNS_KEPT: i64 = 200;

/// What a credential shows as wherever the caller may not read it. A `PUT` that carries it
/// as a value keeps the stored value, so an editor that only ever saw masks can still save.
pub const MASK: &str = "••••••";

/// The workflow as someone who may not read its credentials sees it: every HTTP step's
/// header values, the user part and query values of its URL, and the webhook secret's
/// fingerprint are [`MASK`]. What the workflow does (steps, targets, bodies) stays readable.
pub fn masked(mut wf: Workflow) -> Workflow {
    for step in &mut wf.steps {
        if let Action::HttpRequest(h) = &mut step.action {
            for value in h.headers.values_mut() {
                if !value.is_empty() {
                    *value = MASK.to_owned();
                }
            }
            h.url = mask_url(&h.url);
        }
    }
    if let Trigger::Webhook { secret_fingerprint } = &mut wf.trigger {
        if !secret_fingerprint.is_empty() {
            *secret_fingerprint = MASK.to_owned();
        }
    }
    wf
}

/// A URL cut into what may hold credentials: `scheme://[userinfo@]rest?query#fragment`.
struct UrlParts<'a> {
    /// Up to and including `://` (or empty), and what follows the user info up to the query.
    scheme: &'a str,
    userinfo: Option<&'a str>,
    rest: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

impl<'a> UrlParts<'a> {
    fn parse(url: &'a str) -> Self {
        let (before_fragment, fragment) = match url.split_once('#') {
            Some((a, f)) => (a, Some(f)),
            None => (url, None),
        };
        let (before_query, query) = match before_fragment.split_once('?') {
            Some((a, q)) => (a, Some(q)),
            None => (before_fragment, None),
        };
        let (scheme, after_scheme) = match before_query.find("://") {
            Some(i) => before_query.split_at(i + 3),
            None => ("", before_query),
        };
        let authority_end = after_scheme.find('/').unwrap_or(after_scheme.len());
        let (userinfo, rest) = match after_scheme[..authority_end].rfind('@') {
            Some(at) => (Some(&after_scheme[..at]), &after_scheme[at + 1..]),
            None => (None, after_scheme),
        };
        UrlParts {
            scheme,
            userinfo,
            rest,
            query,
            fragment,
        }
    }

    fn join(&self, userinfo: Option<&str>, query: Option<&str>) -> String {
        let mut out = String::from(self.scheme);
        if let Some(u) = userinfo {
            out.push_str(u);
            out.push('@');
        }
        out.push_str(self.rest);
        if let Some(q) = query {
            out.push('?');
            out.push_str(q);
        }
        if let Some(f) = self.fragment {
            out.push('#');
            out.push_str(f);
        }
        out
    }
}

/// `key=value` pairs of a query, values masked (a bare `flag` stays as it is).
fn mask_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) if !v.is_empty() => format!("{k}={MASK}"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn mask_url(url: &str) -> String {
    let parts = UrlParts::parse(url);
    let query = parts.query.map(mask_query);
    parts.join(parts.userinfo.map(|_| MASK), query.as_deref())
}

/// The URL an editor sent back, with masked parts taken from the stored one.
fn unmask_url(sent: &str, stored: Option<&str>) -> std::result::Result<String, String> {
    if !sent.contains(MASK) {
        return Ok(sent.to_owned());
    }
    let Some(stored) = stored else {
        return Err("its URL holds a masked value but nothing is stored to keep".into());
    };
    if sent == mask_url(stored) {
        return Ok(stored.to_owned());
    }
    let was = UrlParts::parse(stored);
    let now = UrlParts::parse(sent);
    let userinfo = match now.userinfo {
        Some(MASK) => was.userinfo,
        other => other,
    };
    let query = now.query.map(|q| {
        let mut old: Vec<(&str, &str)> = was
            .query
            .unwrap_or_default()
            .split('&')
            .filter_map(|p| p.split_once('='))
            .collect();
        q.split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, MASK)) => match old.iter().position(|(ok, _)| *ok == k) {
                    Some(i) => format!("{k}={}", old.remove(i).1),
                    None => pair.to_owned(),
                },
                _ => pair.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&")
    });
    let url = now.join(userinfo, query.as_deref());
    if url.contains(MASK) {
        return Err("its URL holds a masked value that matches nothing stored".into());
    }
    Ok(url)
}

/// An edited workflow with every [`MASK`] an editor sent back replaced by the stored value
/// (the same HTTP step, by step id, of the current version). A mask with nothing to keep is
/// refused: it would be sent as a credential.
pub fn unmasked(mut wf: Workflow, stored: Option<&Workflow>) -> Result<Workflow> {
    let stored_step = |id: &str| -> Option<&HttpStep> {
        stored?.steps.iter().find_map(|s| match &s.action {
            Action::HttpRequest(h) if s.id == id => Some(h),
            _ => None,
        })
    };
    for step in &mut wf.steps {
        let Action::HttpRequest(h) = &mut step.action else {
            continue;
        };
        let was = stored_step(&step.id);
        for (name, value) in h.headers.iter_mut() {
            if value != MASK {
                continue;
            }
            let kept = was.and_then(|w| {
                w.headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.clone())
            });
            *value = kept.ok_or_else(|| {
                EdgeError::BadRequest(format!(
                    "step {}: header {name} is masked but has no stored value; type its value",
                    step.id
                ))
            })?;
        }
        h.url = unmask_url(&h.url, was.map(|w| w.url.as_str()))
            .map_err(|e| EdgeError::BadRequest(format!("step {}: {e}", step.id)))?;
    }
    Ok(wf)
}

/// A definition the editor sent that is not a workflow.
fn invalid(e: serde_json::Error) -> EdgeError {
    EdgeError::BadRequest(format!("invalid workflow: {e}"))
}

#[derive(Deserialize)]
struct WorkflowRow {
    data: String,
    updated_at: i64,
}

#[derive(Deserialize)]
struct RunRow {
    data: String,
}

impl Workspace {
    pub(crate) fn workflow(&self, id: &str) -> Result<Workflow> {
        let rows: Vec<WorkflowRow> = self
            .sql()
            .exec(
                "SELECT data, updated_at FROM workflows WHERE id = ?",
                vec![id.into()],
            )?
            .to_array()?;
        let row = rows
            .into_iter()
            .next()
            .ok_or_else(|| EdgeError::NotFound("unknown workflow".into()))?;
        Ok(serde_json::from_str(&row.data)?)
    }

    /// The list every agent reads: credentials masked for everyone (an editor opens one
    /// workflow to see them), runs only of conversations the viewer may see.
    pub(crate) fn workflow_listings(&self, viewer: &Viewer) -> Result<Vec<WorkflowListing>> {
        let rows: Vec<WorkflowRow> = self
            .sql()
            .exec(
                "SELECT data, updated_at FROM workflows ORDER BY updated_at DESC",
                None,
            )?
            .to_array()?;
        rows.into_iter()
            .map(|row| {
                let workflow: Workflow = serde_json::from_str(&row.data)?;
                let last_runs = self.workflow_runs(&workflow.id, 5, viewer)?;
                Ok(WorkflowListing {
                    workflow: masked(workflow),
                    updated_at: row.updated_at,
                    last_runs,
                })
            })
            .collect()
    }

    /// The enabled workflows, every event is offered to.
    fn active_workflows(&self) -> Result<Vec<Workflow>> {
        let rows: Vec<WorkflowRow> = self
            .sql()
            .exec(
                "SELECT data, updated_at FROM workflows WHERE enabled = 1 ORDER BY id",
                None,
            )?
            .to_array()?;
        Ok(rows
            .into_iter()
            .map(|r| serde_json::from_str(&r.data))
            .collect::<std::result::Result<_, _>>()?)
    }

    /// One workflow, credentials only to those who edit workflows.
    pub(crate) fn workflow_for(&self, viewer: &Viewer, id: &str) -> Result<Workflow> {
        let wf = self.workflow(id)?;
        Ok(if viewer.role.can_manage() {
            wf
        } else {
            masked(wf)
        })
    }

    /// A new workflow from `{"template": "…"}` or from a definition. It gets its id here;
    /// whatever the client sent is ignored.
    pub(crate) fn create_workflow(&self, mut body: serde_json::Value) -> Result<Workflow> {
        if let Some(obj) = body.as_object_mut() {
            obj.insert("id".into(), "new".into());
        }
        match body.get("template") {
            Some(template) => {
                let template: Template = serde_json::from_value(template.clone())
                    .map_err(|e| EdgeError::BadRequest(format!("unknown template: {e}")))?;
                self.workflow_from_template(template)
            }
            None => self.save_workflow(None, serde_json::from_value(body).map_err(invalid)?),
        }
    }

    /// A new version of workflow `id` from the editor's definition.
    pub(crate) fn edit_workflow(&self, id: &str, body: &serde_json::Value) -> Result<Workflow> {
        // Parsed from its text, so a refusal says where (line and column) it went wrong.
        let wf: Workflow = serde_json::from_str(&body.to_string()).map_err(invalid)?;
        self.save_workflow(Some(id), wf)
    }

    /// Create (`id: None`) or save a new version. Validation problems come back itemised
    /// (step id + message) for the editor; a webhook trigger keeps its stored fingerprint
    /// (the editor never sees the secret).
    pub(crate) fn save_workflow(&self, id: Option<&str>, mut wf: Workflow) -> Result<Workflow> {
        let previous = match id {
            Some(id) => Some(self.workflow(id)?),
            None => None,
        };
        if previous.is_none() && self.workflow_count()? >= MAX_WORKFLOWS {
            return Err(EdgeError::BadRequest(format!(
                "a workspace has at most {MAX_WORKFLOWS} workflows"
            )));
        }
        wf.id = match id {
            Some(id) => id.to_owned(),
            None => new_id("w")?,
        };
        wf.version = previous.as_ref().map_or(1, |p| p.version + 1);
        let mut wf = unmasked(wf, previous.as_ref())?;
        if let Trigger::Webhook { secret_fingerprint } = &mut wf.trigger {
            *secret_fingerprint = match previous.as_ref().map(|p| &p.trigger) {
                Some(Trigger::Webhook { secret_fingerprint }) => secret_fingerprint.clone(),
                _ => String::new(),
            };
        }
        // A new webhook workflow has no secret until one is drawn (shown once, after saving);
        // enabling it still requires one.
        let problems = match &wf.trigger {
            Trigger::Webhook { secret_fingerprint } if secret_fingerprint.is_empty() => {
                let mut probe = wf.clone();
                probe.trigger = Trigger::Webhook {
                    secret_fingerprint: "0".repeat(64),
                };
                probe.validate()
            }
            _ => wf.validate(),
        };
        if !problems.is_empty() {
            return Err(EdgeError::Invalid {
                message: format!(
                    "the workflow has {} problem(s); nothing was saved",
                    problems.len()
                ),
                details: problems
                    .iter()
                    .map(serde_json::to_value)
                    .collect::<std::result::Result<_, _>>()?,
            });
        }
        self.store_workflow(&wf)?;
        Ok(wf)
    }

    fn store_workflow(&self, wf: &Workflow) -> Result<()> {
        let data = serde_json::to_string(wf)?;
        let now = now_millis();
        self.sql().exec(
            "INSERT INTO workflows (id, version, enabled, data, updated_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET version = excluded.version,
               enabled = excluded.enabled, data = excluded.data, updated_at = excluded.updated_at",
            vec![
                wf.id.as_str().into(),
                i64::from(wf.version).into(),
                i64::from(wf.enabled).into(),
                data.as_str().into(),
                now.into(),
            ],
        )?;
        self.sql().exec(
            "INSERT OR REPLACE INTO workflow_versions (id, version, data) VALUES (?, ?, ?)",
            vec![
                wf.id.as_str().into(),
                i64::from(wf.version).into(),
                data.into(),
            ],
        )?;
        Ok(())
    }

    fn workflow_count(&self) -> Result<usize> {
        let rows: Vec<serde_json::Value> = self
            .sql()
            .exec("SELECT id FROM workflows", None)?
            .to_array()?;
        Ok(rows.len())
    }

    pub(crate) fn workflow_from_template(&self, template: Template) -> Result<Workflow> {
        let wf = template.build("new");
        self.save_workflow(None, wf)
    }

    /// Enabling or disabling is not an edit of the steps: the version stays.
    pub(crate) fn set_workflow_enabled(&self, id: &str, enabled: bool) -> Result<Workflow> {
        let mut wf = self.workflow(id)?;
        if enabled {
            let problems = wf.validate();
            if !problems.is_empty() {
                return Err(EdgeError::BadRequest(format!(
                    "fix the workflow before enabling it: {}",
                    problems[0].message
                )));
            }
        }
        wf.enabled = enabled;
        self.store_workflow(&wf)?;
        Ok(wf)
    }

    pub(crate) fn delete_workflow(&self, id: &str) -> Result<()> {
        self.workflow(id)?;
        self.sql()
            .exec("DELETE FROM workflows WHERE id = ?", vec![id.into()])?;
        Ok(())
    }

    /// A new webhook secret, shown once; only its fingerprint is stored.
    pub(crate) fn new_webhook_secret(&self, id: &str) -> Result<String> {
        let mut wf = self.workflow(id)?;
        let Trigger::Webhook { secret_fingerprint } = &mut wf.trigger else {
            return Err(EdgeError::BadRequest(
                "only workflows with a webhook trigger have a secret".into(),
            ));
        };
        let secret: String = random_bytes(24)?
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        *secret_fingerprint = token::fingerprint(&secret);
        self.store_workflow(&wf)?;
        Ok(secret)
    }

    pub(crate) fn record_run(&self, run: &RunSummary) -> Result<()> {
        self.sql().exec(
            "INSERT OR REPLACE INTO workflow_runs (run_id, workflow_id, started_at, data)
             VALUES (?, ?, ?, ?)",
            vec![
                run.run_id.as_str().into(),
                run.log.workflow_id.as_str().into(),
                run.log.started_at.into(),
                serde_json::to_string(run)?.into(),
            ],
        )?;
        self.sql().exec(
            "DELETE FROM workflow_runs WHERE workflow_id = ? AND run_id NOT IN (
               SELECT run_id FROM workflow_runs WHERE workflow_id = ?
               ORDER BY started_at DESC LIMIT ?)",
            vec![
                run.log.workflow_id.as_str().into(),
                run.log.workflow_id.as_str().into(),
                RUNS_KEPT.into(),
            ],
        )?;
        Ok(())
    }

    pub(crate) fn automation_context(&self, contact_id: &str) -> Result<AutomationContext> {
        let workflows = self.active_workflows()?;
        if workflows.is_empty() {
            // The common case for every new conversation: answer without building the roster.
            return Ok(AutomationContext {
                workflows,
                contact: Contact::new(contact_id),
                agents: Vec::new(),
                time_zone: "UTC".into(),
                business_hours: None,
            });
        }
        let statuses = self.agent_statuses("")?;
        let agents = self
            .roster()?
            .into_iter()
            .map(|info| {
                let status = statuses.iter().find(|s| s.profile.id == info.id);
                AgentFacts {
                    name: status.map(|s| s.profile.name.clone()).unwrap_or_default(),
                    open: status.map_or(0, |s| s.open),
                    info,
                }
            })
            .collect();
        Ok(AutomationContext {
            workflows,
            contact: self
                .stored_contact(contact_id)?
                .unwrap_or_else(|| Contact::new(contact_id)),
            agents,
            time_zone: self
                .setting("time_zone")?
                .unwrap_or_else(|| "UTC".to_owned()),
            business_hours: self.business_hours()?,
        })
    }

    /// Decide in the same turn as every other assignment (no double booking); the
    /// conversation applies an `Assign` decision itself, as the workflow.
    pub(crate) fn decide_for_workflow(&self, ask: DecideRequest) -> Result<Decision> {
        self.check_references(&ask.request.who)?;
        let request = self.with_owner(ask.request, &ask.contact_id)?;
        let mut state = self.assignment_state()?;
        let decision = state.decide(&ask.conversation_id, &request, &self.roster()?);
        self.save_assignment_state(&state)?;
        Ok(decision)
    }

    /// The agent and team an Assign To step names must exist in this workspace now (a step
    /// saved before one was removed fails, rather than queueing for or storing a ghost).
    fn check_references(&self, who: &Who) -> Result<()> {
        match self.missing_reference(who)? {
            Some((kind, _)) => Err(EdgeError::NotFound(format!(
                "the {} this step assigns to is not in the workspace",
                kind.noun()
            ))),
            None => Ok(()),
        }
    }

    /// A webhook call: the workflow must exist, be enabled, have a webhook trigger and accept
    /// the secret (constant time); then the conversation it is about must be known here.
    pub(crate) fn check_hook(&self, id: &str, check: &HookCheck) -> Result<HookTarget> {
        let wf = self.workflow(id).map_err(|_| EdgeError::Unauthorized)?;
        if !matches!(wf.trigger, Trigger::Webhook { .. })
            || !wf.accepts_webhook_secret(&check.secret)
        {
            return Err(EdgeError::Unauthorized);
        }
        if !wf.enabled {
            return Err(EdgeError::Forbidden("this workflow is disabled".into()));
        }
        #[derive(Deserialize)]
        struct IdRow {
            id: String,
        }
        let found = match (&check.conversation_id, &check.contact_id) {
            (Some(cid), _) => self
                .sql()
                .exec(
                    "SELECT id FROM conversations WHERE id = ?",
                    vec![cid.as_str().into()],
                )?
                .to_array::<IdRow>()?
                .into_iter()
                .next()
                .map(|r| r.id),
            (None, Some(contact)) => self.latest_conversation_of(contact)?,
            (None, None) => {
                return Err(EdgeError::BadRequest(
                    "the body must name a conversation_id or a contact_id".into(),
                ))
            }
        };
        found
            .map(|conversation_id| HookTarget { conversation_id })
            .ok_or_else(|| EdgeError::NotFound("unknown conversation or contact".into()))
    }

    /// A workflow's run list (as many as are kept) for `viewer`.
    pub(crate) fn run_list(&self, viewer: &Viewer, workflow_id: &str) -> Result<Vec<RunSummary>> {
        self.workflow(workflow_id)?;
        self.workflow_runs(workflow_id, RUNS_KEPT, viewer)
    }

    /// A workflow's latest runs among those on conversations `viewer` may see (by the inbox
    /// index, as the conversation list applies it).
    pub(crate) fn workflow_runs(
        &self,
        workflow_id: &str,
        limit: i64,
        viewer: &Viewer,
    ) -> Result<Vec<RunSummary>> {
        let all = !viewer.restricted();
        let rows: Vec<RunRow> = self
            .sql()
            .exec(
                "SELECT r.data FROM workflow_runs r
                 LEFT JOIN conversations c ON c.id = json_extract(r.data, '$.conversation_id')
                 WHERE r.workflow_id = ?
                   AND (? OR (c.id IS NOT NULL AND (c.assignee_id IS NULL OR c.assignee_id = ?)))
                 ORDER BY r.started_at DESC LIMIT ?",
                vec![
                    workflow_id.into(),
                    i64::from(all).into(),
                    viewer.id.as_str().into(),
                    limit.into(),
                ],
            )?
            .to_array()?;
        rows.into_iter()
            .map(|r| serde_json::from_str(&r.data).map_err(EdgeError::from))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workflow(url: &str, headers: serde_json::Value) -> Workflow {
        serde_json::from_value(serde_json::json!({
            "id": "w_1", "name": "CRM", "enabled": true,
            "trigger": {"type": "webhook", "secret_fingerprint": "ab".repeat(32)},
            "start": "h",
            "steps": [
                {"id": "h", "type": "http_request", "method": "POST", "url": url,
                 "headers": headers, "body": "{\"email\":\"{{contact.email}}\"}"},
            ],
        }))
        .unwrap()
    }

    fn http(wf: &Workflow) -> &HttpStep {
        match &wf.steps[0].action {
            Action::HttpRequest(h) => h,
            _ => unreachable!(),
        }
    }

    fn crm() -> Workflow {
        workflow(
            "https://bot:pa55@crm.example/hook?api_key=s3cret&flag&to={{contact.id}}#top",
            serde_json::json!({"Authorization": "Bearer s3cret", "X-Empty": ""}),
        )
    }

    #[test]
    fn masking_hides_header_values_url_credentials_and_the_fingerprint() {
        let m = masked(crm());
        let h = http(&m);
        assert_eq!(h.headers["Authorization"], MASK);
        assert_eq!(h.headers["X-Empty"], "");
        assert_eq!(
            h.url,
            format!("https://{MASK}@crm.example/hook?api_key={MASK}&flag&to={MASK}#top")
        );
        // What the step does stays readable.
        assert_eq!(h.body.as_deref(), Some("{\"email\":\"{{contact.email}}\"}"));
        let json = serde_json::to_string(&m).unwrap();
        assert!(!json.contains("s3cret") && !json.contains("pa55"), "{json}");
        assert!(!json.contains(&"ab".repeat(32)));
    }

    #[test]
    fn urls_without_credentials_are_unchanged() {
        for url in [
            "https://crm.example/hook",
            "https://crm.example/a@b/c",
            "https://crm.example/?",
        ] {
            assert_eq!(mask_url(url), url);
        }
    }

    #[test]
    fn a_masked_workflow_saved_back_keeps_the_stored_values() {
        let stored = crm();
        let back = unmasked(masked(stored.clone()), Some(&stored)).unwrap();
        assert_eq!(http(&back), http(&stored));
    }

    #[test]
    fn edits_next_to_masks_keep_both() {
        let stored = crm();
        let mut edited = masked(stored.clone());
        if let Action::HttpRequest(h) = &mut edited.steps[0].action {
            h.headers.insert("authorization".into(), MASK.into());
            h.headers.remove("Authorization");
            h.headers.insert("X-New".into(), "plain".into());
            h.url = format!("https://crm.example/v2?to=1&api_key={MASK}");
        }
        let back = unmasked(edited, Some(&stored)).unwrap();
        let h = http(&back);
        assert_eq!(h.headers["authorization"], "Bearer s3cret");
        assert_eq!(h.headers["X-New"], "plain");
        assert_eq!(h.url, "https://crm.example/v2?to=1&api_key=s3cret");
    }

    #[test]
    fn a_mask_with_nothing_stored_is_refused() {
        let stored = crm();
        // A new workflow made from a masked copy.
        assert!(unmasked(masked(stored.clone()), None).is_err());
        // A header the stored step never had.
        let mut edited = stored.clone();
        if let Action::HttpRequest(h) = &mut edited.steps[0].action {
            h.headers.insert("X-Other".into(), MASK.into());
        }
        assert!(unmasked(edited, Some(&stored)).is_err());
        // A query key the stored URL never had.
        let mut edited = stored.clone();
        if let Action::HttpRequest(h) = &mut edited.steps[0].action {
            h.url = format!("https://crm.example/?token={MASK}");
        }
        assert!(unmasked(edited, Some(&stored)).is_err());
    }
}
