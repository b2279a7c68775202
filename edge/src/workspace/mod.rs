//! The Workspace Durable Object: one per workspace, the single writer for everything
//! workspace-wide (agents, teams, contacts, settings, assignment, the inbox index and its
//! sockets, the files index, workflows, report rows, snippets). This file answers its calls
//! ([`WorkspaceCall`](crate::internal::workspace::WorkspaceCall)), each by the feature that owns
//! it; the features keep their tables and logic in the files beside it.

mod account;
mod agents;
mod api_keys;
mod assignment;
mod backfill;
mod contacts;
mod files;
mod inbox;
mod invites;
mod links;
mod masking;
mod prefs;
mod reports;
mod schema;
mod settings;
mod sign_in;
mod snippets;
mod store;
mod teams;
mod webhooks;
mod widget;
mod workflows;

pub use store::Workspace;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use charla_shared::lifecycle::Source;
use charla_shared::notifications::NotificationPrefs;
use serde::Serialize;
use worker::{DurableObject, Env, Request, Response, State, WebSocket, WebSocketIncomingMessage};

use crate::error::{EdgeError, Result};
use crate::internal::reports::{dev_seed_enabled, Seeded};
use crate::internal::workspace::{
    self, CallCount, Created, Secret, WorkspaceCall, WorkspaceSettings,
};
use crate::sockets::{self, require_upgrade};
use crate::sql::migrate;
use prefs::NOTIFICATIONS;
use schema::MIGRATIONS;
use store::Pending;

impl Workspace {
    /// One internal call (see `crate::internal::workspace`), answered by the feature that owns
    /// it. Every call names this workspace; only `Create` may find it not yet created.
    async fn serve(&self, mut req: Request) -> Result<Response> {
        let (workspace_id, call) = workspace::receive(&mut req).await?;
        // The dev call count measures what conversations and routes cost this object; the
        // caller lookup every agent route makes first is the cost of signing in, not of that.
        let counted = !matches!(call, WorkspaceCall::Session { opening: None, .. });
        self.enter(
            &workspace_id,
            matches!(call, WorkspaceCall::Create(_)),
            counted,
        )?;
        if matches!(
            call,
            WorkspaceCall::CreateWorkflow(_)
                | WorkspaceCall::SaveWorkflow { .. }
                | WorkspaceCall::DeleteWorkflow { .. }
                | WorkspaceCall::EnableWorkflow { .. }
        ) {
            self.message_workflows.set(None);
        }
        let ws = workspace_id.as_str();
        match call {
            WorkspaceCall::Create(owner) => {
                self.create(&owner)?;
                json(&Created {
                    created: workspace_id.clone(),
                })
            }
            WorkspaceCall::LoginBegin { email } => json(&self.login_begin(&email)?),
            WorkspaceCall::LoginFinish { email, agent_id } => {
                json(&self.login_finish(ws, &email, &agent_id)?)
            }
            WorkspaceCall::StoreInvite(invite) => {
                self.store_invite(&invite)?;
                json(&true)
            }
            WorkspaceCall::RedeemInvite(redeem) => json(&self.redeem_invite(ws, &redeem)?),
            WorkspaceCall::PasswordBegin(session) => json(&self.password_begin(ws, &session)?),
            WorkspaceCall::SetPassword {
                session,
                password_hash,
            } => {
                let signed_in = self.set_password(ws, &session, &password_hash)?;
                self.end_sockets(ws, &session.agent_id).await?;
                json(&signed_in)
            }
            WorkspaceCall::SetName { session, name } => json(&self.set_name(ws, &session, &name)?),
            WorkspaceCall::SetActive(set) => {
                let (agent, held) = self.set_active(ws, &set)?;
                if !set.active {
                    self.end_sockets(ws, &set.agent_id).await?;
                    self.release_conversations(ws, &set.agent_id, &held).await?;
                }
                json(&agent)
            }
            WorkspaceCall::StoreReset(reset) => {
                self.store_reset(ws, &reset)?;
                json(&true)
            }
            WorkspaceCall::RedeemReset(redeem) => {
                let signed_in = self.redeem_reset(ws, &redeem)?;
                self.end_sockets(ws, &signed_in.agent.id).await?;
                json(&signed_in)
            }
            WorkspaceCall::Agents => json(&self.agent_statuses(ws)?),
            WorkspaceCall::Agent { agent_id } => json(&self.active_agent_status(ws, &agent_id)?),
            WorkspaceCall::Session { session, opening } => {
                let status = self.session_status(ws, &session)?;
                if let Some(conversation_id) = opening {
                    self.note_socket(&session.agent_id, &conversation_id)?;
                }
                json(&status)
            }
            WorkspaceCall::ChangeAgent { agent_id, change } => {
                let agent = self.change_agent(ws, &agent_id, &change)?;
                if change.role.is_some() || change.access.is_some() {
                    self.propagate_access(ws, &agent_id).await?;
                }
                self.place_waiting(ws).await?;
                json(&agent)
            }
            WorkspaceCall::NotificationPrefs { agent_id } => {
                self.viewer(&agent_id)?;
                json(&self.agent_pref::<NotificationPrefs>(&agent_id, NOTIFICATIONS)?)
            }
            WorkspaceCall::SetNotificationPrefs { agent_id, prefs } => {
                self.viewer(&agent_id)?;
                self.set_agent_pref(&agent_id, NOTIFICATIONS, &prefs)?;
                json(&prefs)
            }
            WorkspaceCall::Teams => json(&self.teams()?),
            WorkspaceCall::SaveTeam { team_id, team } => {
                let team = self.save_team(team_id.as_deref(), &team)?;
                self.place_waiting(ws).await?;
                json(&team)
            }
            WorkspaceCall::Snippets { viewer } => json(&self.snippets(&self.viewer(&viewer)?)?),
            WorkspaceCall::SaveSnippet {
                viewer,
                snippet_id,
                snippet,
            } => {
                json(&self.save_snippet(&self.viewer(&viewer)?, snippet_id.as_deref(), &snippet)?)
            }
            WorkspaceCall::DeleteSnippet { viewer, snippet_id } => {
                self.delete_snippet(&self.viewer(&viewer)?, &snippet_id)?;
                json(&true)
            }
            WorkspaceCall::OpenInbox { session } => {
                // Only a real upgrade forwarded by the Worker opens an inbox socket (a call that
                // lands here otherwise must not make anyone look online).
                require_upgrade(&req)?;
                self.session_status(ws, &session)?;
                let resp = self.accept_inbox(&self.viewer(&session.agent_id)?)?;
                // Someone came online: whoever waits for them may be placed now.
                self.place_waiting(ws).await?;
                Ok(resp)
            }
            WorkspaceCall::Conversations { viewer } => {
                json(&self.conversations(&self.viewer(&viewer)?)?)
            }
            WorkspaceCall::Summary(summary) => {
                self.take_summary(ws, &summary).await?;
                json(&true)
            }
            WorkspaceCall::SearchScope {
                viewer,
                conversation_ids,
                contact_ids,
            } => {
                json(&self.search_scope(&self.viewer(&viewer)?, &conversation_ids, &contact_ids)?)
            }
            WorkspaceCall::Mentioned(mentioned) => {
                self.push_mention(&mentioned);
                json(&true)
            }
            WorkspaceCall::Publish(publication) => json(&self.publish(ws, *publication).await?),
            WorkspaceCall::OpenLink => {
                require_upgrade(&req)?;
                self.accept_link(ws)
            }
            WorkspaceCall::Files { viewer, query } => {
                json(&self.files(&self.viewer(&viewer)?, &query)?)
            }
            WorkspaceCall::ConversationDeleted { conversation_id } => {
                self.conversation_deleted(ws, &conversation_id).await?;
                json(&true)
            }
            WorkspaceCall::ContactDeleted { contact_id } => {
                self.contact_deleted(&contact_id)?;
                json(&true)
            }
            WorkspaceCall::Contact { viewer, contact_id } => {
                json(&self.contact_for(&self.viewer(&viewer)?, &contact_id)?)
            }
            WorkspaceCall::PatchContact {
                viewer,
                contact_id,
                patch,
            } => {
                let patched = self.patch_contact(&self.viewer(&viewer)?, &contact_id, &patch)?;
                self.notify_contact_changes(ws, &contact_id, None, &patched.changes, Source::User)
                    .await;
                json(&patched)
            }
            WorkspaceCall::ApiKeys { viewer } => json(&self.api_keys(&self.viewer(&viewer)?)?),
            WorkspaceCall::CreateApiKey {
                viewer,
                key_id,
                key,
                fingerprint,
                hint,
            } => json(&self.create_api_key(
                &self.viewer(&viewer)?,
                &key_id,
                &key,
                &fingerprint,
                &hint,
            )?),
            WorkspaceCall::RevokeApiKey { viewer, key_id } => {
                json(&self.revoke_api_key(&self.viewer(&viewer)?, &key_id)?)
            }
            WorkspaceCall::ApiCaller {
                key_id,
                fingerprint,
            } => json(&self.api_caller(&key_id, &fingerprint)?),
            WorkspaceCall::ContactPage {
                after,
                limit,
                query,
            } => json(&self.contact_page(after.as_deref(), limit, query.as_deref())?),
            WorkspaceCall::ConversationPage(ask) => json(&self.conversation_page(&ask)?),
            WorkspaceCall::ApiContact { contact_id } => json(&self.known_contact(&contact_id)?),
            WorkspaceCall::ApiCreateContact {
                key_id,
                contact_id,
                idempotency_key,
                patch,
            } => {
                let made = self.api_create_contact(
                    &key_id,
                    &contact_id,
                    idempotency_key.as_deref(),
                    &patch,
                )?;
                json(&made)
            }
            WorkspaceCall::ApiPatchContact { contact_id, patch } => {
                self.known_contact(&contact_id)?;
                let patched = self.apply_contact_patch(&contact_id, &patch)?;
                self.notify_contact_changes(ws, &contact_id, None, &patched.changes, Source::Api)
                    .await;
                json(&patched)
            }
            WorkspaceCall::Webhooks { by } => json(&self.webhooks(&by)?),
            WorkspaceCall::CreateWebhook(new) => json(&self.create_webhook(&new)?),
            WorkspaceCall::DeleteWebhook { by, webhook_id } => {
                self.delete_webhook(&by, &webhook_id)?;
                json(&true)
            }
            WorkspaceCall::WebhookDeliveries { by, webhook_id } => {
                json(&self.webhook_deliveries(&by, &webhook_id)?)
            }
            WorkspaceCall::Redeliver { by, delivery_id } => {
                self.redeliver(ws, &by, delivery_id)?;
                json(&true)
            }
            WorkspaceCall::WebhookTarget { webhook_id } => json(&self.webhook_target(&webhook_id)?),
            WorkspaceCall::WebhookSubscribers { event } => json(&self.webhook_subscribers(event)?),
            WorkspaceCall::RecordDelivery(record) => {
                self.record_delivery(&record.delivery, record.envelope.as_ref())?;
                json(&true)
            }
            WorkspaceCall::FileRules => json(&self.file_rules()?),
            WorkspaceCall::SetFileRules(rules) => json(&self.set_file_rules(rules)?),
            WorkspaceCall::LifecycleSettings => json(&self.lifecycle_settings()?),
            WorkspaceCall::SetLifecycleSettings(settings) => {
                self.set_lifecycle_settings(&settings)?;
                json(&settings)
            }
            WorkspaceCall::Assignment => json(&self.auto_assign()?),
            WorkspaceCall::SetAssignment(rule) => json(&self.set_auto_assign(rule)?),
            WorkspaceCall::WorkspaceSettings => json(&WorkspaceSettings {
                time_zone: self.time_zone()?,
            }),
            WorkspaceCall::SetWorkspaceSettings(settings) => {
                json(&self.set_workspace_settings(settings)?)
            }
            WorkspaceCall::BusinessHours => json(&self.business_hours()?),
            WorkspaceCall::SetBusinessHours(hours) => json(&self.set_business_hours(hours)?),
            WorkspaceCall::CheckOrigin { origin } => {
                self.check_origin(origin.as_deref())?;
                json(&true)
            }
            WorkspaceCall::WidgetConfig => json(&self.public_config(ws)?),
            WorkspaceCall::ConnectionCheck { origin } => {
                json(&self.connection_check(ws, origin.as_deref())?)
            }
            WorkspaceCall::WidgetSettings => json(&self.widget_settings()?),
            WorkspaceCall::SetWidgetSettings(settings) => {
                json(&self.set_widget_settings(settings)?)
            }
            WorkspaceCall::IdentitySecret => json(&Secret {
                secret: self.identity_secret()?,
            }),
            WorkspaceCall::RotateIdentitySecret => json(&Secret {
                secret: self.rotate_identity_secret()?,
            }),
            WorkspaceCall::Prechat(answers) => {
                let patched = self.prechat(&answers)?;
                self.notify_contact_changes(
                    ws,
                    &answers.visitor_id,
                    answers.conversation_id.as_deref(),
                    &patched.changes,
                    Source::Contact,
                )
                .await;
                json(&patched.contact)
            }
            WorkspaceCall::Identify(body) => json(&self.identify(&body)?),
            WorkspaceCall::Workflows { viewer } => {
                json(&self.workflow_listings(&self.viewer(&viewer)?)?)
            }
            WorkspaceCall::Workflow {
                viewer,
                workflow_id,
            } => json(&self.workflow_for(&self.viewer(&viewer)?, &workflow_id)?),
            WorkspaceCall::CreateWorkflow(body) => json(&self.create_workflow(body)?),
            WorkspaceCall::SaveWorkflow {
                workflow_id,
                workflow,
            } => json(&self.edit_workflow(&workflow_id, &workflow)?),
            WorkspaceCall::DeleteWorkflow { workflow_id } => {
                self.delete_workflow(&workflow_id)?;
                json(&true)
            }
            WorkspaceCall::EnableWorkflow {
                workflow_id,
                enabled,
            } => json(&self.set_workflow_enabled(&workflow_id, enabled)?),
            WorkspaceCall::NewWebhookSecret { workflow_id } => json(&Secret {
                secret: self.new_webhook_secret(&workflow_id)?,
            }),
            WorkspaceCall::WorkflowRuns {
                viewer,
                workflow_id,
            } => json(&self.run_list(&self.viewer(&viewer)?, &workflow_id)?),
            WorkspaceCall::CheckHook { workflow_id, check } => {
                json(&self.check_hook(&workflow_id, &check)?)
            }
            WorkspaceCall::AutomationContext { contact_id } => {
                json(&self.automation_context(&contact_id)?)
            }
            WorkspaceCall::Decide(ask) => json(&self.decide_for_workflow(ask)?),
            WorkspaceCall::PatchContactFor { contact_id, patch } => {
                json(&self.apply_contact_patch(&contact_id, &patch)?)
            }
            WorkspaceCall::RecordRun(run) => {
                self.record_run(&run)?;
                json(&true)
            }
            WorkspaceCall::ReportRow(row) => {
                self.receive_report_row(*row)?;
                json(&true)
            }
            WorkspaceCall::Report(call) => self.report(&call),
            WorkspaceCall::SeedReportRows(rows) => json(&Seeded {
                stored: self.seed_report_rows(&rows)?,
            }),
            WorkspaceCall::DevCallCount if dev_seed_enabled(&self.env) => json(&CallCount {
                calls: self.calls.get(),
            }),
            WorkspaceCall::DevCallCount => Err(EdgeError::NotFound("no such call".into())),
        }
    }
}

impl Workspace {
    /// Every call, on a request or a link, begins here: it is counted (unless `counted` is
    /// false), names this workspace,
    /// and finds it created (unless it is the call that creates it).
    fn enter(&self, workspace_id: &str, creating: bool, counted: bool) -> Result<()> {
        if counted {
            self.calls.set(self.calls.get() + 1);
        }
        self.ensure_id(workspace_id)?;
        if self.known.borrow().is_none() {
            self.seed_demo_if_configured(workspace_id)?;
            if self.exists()? {
                self.note_known(workspace_id);
            } else if !creating {
                return Err(EdgeError::NotFound("unknown workspace".into()));
            }
        }
        Ok(())
    }
}

fn json<T: Serialize>(value: &T) -> Result<Response> {
    Ok(Response::from_json(value)?)
}

impl DurableObject for Workspace {
    fn new(state: State, env: Env) -> Self {
        if let Err(err) = migrate(&state.storage().sql(), MIGRATIONS) {
            worker::console_error!("workspace migration failed: {err:?}");
        }
        Workspace {
            state,
            env,
            pending: RefCell::new(Pending::new()),
            known: RefCell::new(None),
            message_workflows: Cell::new(None),
            calls: Cell::new(0),
            names: RefCell::new(HashMap::new()),
            lifecycle: RefCell::new(None),
            hooks: RefCell::new(None),
        }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        Ok(self
            .serve(req)
            .await
            .unwrap_or_else(EdgeError::into_response))
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> worker::Result<()> {
        if let Some(workspace_id) = self.link_of(&ws) {
            self.link_frame(&ws, &workspace_id, message).await;
        } else {
            Self::inbox_frame(&ws, message);
        }
        Ok(())
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        code: usize,
        _reason: String,
        _was_clean: bool,
    ) -> worker::Result<()> {
        sockets::closed(&ws, code);
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> worker::Result<()> {
        sockets::failed(&ws);
        Ok(())
    }

    async fn alarm(&self) -> worker::Result<Response> {
        Response::ok("no timers")
    }
}
