//! Outbound webhooks in the Workspace DO: the subscriptions (owners, or API keys with the
//! `webhooks` scope), the delivery log, and the events. Events are found where the Workspace
//! already looks: a publication (a conversation opened, closed, was assigned, or has new
//! messages) and a contact write. Each becomes a job on `WEBHOOK_QUEUE`, sent beside the
//! request (`wait_until`); the deliveries themselves run in the queue consumer.

use std::collections::BTreeSet;

use charla_shared::basic::Seq;
use charla_shared::contact::{Contact, ContactChange};
use charla_shared::ids::IdKind;
use charla_shared::protocol::{ConversationSummary, Role};
use charla_shared::reports::ReportRow;
use charla_shared::webhooks::{Delivery, Envelope, EventType, Webhook, MAX_WEBHOOKS};
use serde::Deserialize;
use serde_json::json;

use super::schema::{enum_str, parse_enum};
use super::store::{Hook, Workspace};
use crate::error::{EdgeError, Result};
use crate::ids::{is_valid, new_id, now_millis};
use crate::internal::webhooks::{enqueue, HookJob};
use crate::internal::workspace::{HookManager, NewWebhook, WebhookTarget};

/// Deliveries kept in the log per subscription.
const DELIVERIES_KEPT: i64 = 200;
/// Deliveries one log read answers.
const DELIVERIES_SHOWN: i64 = 50;

#[derive(Deserialize)]
struct HookRow {
    id: String,
    url: String,
    events: String,
    created_at: i64,
}

impl HookRow {
    fn events(&self) -> Vec<EventType> {
        serde_json::from_str(&self.events).unwrap_or_default()
    }
}

#[derive(Deserialize)]
struct DeliveryRow {
    id: i64,
    webhook_id: String,
    event_id: String,
    event_type: String,
    attempt: i64,
    status: Option<i64>,
    ok: i64,
    error: Option<String>,
    latency_ms: i64,
    response: String,
    at: i64,
}

/// How a conversation stood before a publication moved it, for telling what happened.
#[derive(Deserialize)]
pub(super) struct Before {
    status: String,
    assignee_id: Option<String>,
    period: i64,
    last_seq: i64,
}

impl Workspace {
    fn may_manage_hooks(&self, by: &HookManager) -> Result<()> {
        match by {
            HookManager::Key(_) => Ok(()),
            HookManager::Agent(agent_id) => {
                if self.viewer(agent_id)?.role == Role::Owner {
                    Ok(())
                } else {
                    Err(EdgeError::Forbidden("only owners manage webhooks".into()))
                }
            }
        }
    }

    fn hook_rows(&self) -> Result<Vec<HookRow>> {
        Ok(self
            .sql()
            .exec(
                "SELECT id, url, events, created_at FROM webhooks ORDER BY created_at, id",
                None,
            )?
            .to_array()?)
    }

    /// The subscriptions' ids and events, read once per activation.
    fn hooks(&self) -> Result<Vec<Hook>> {
        if let Some(known) = self.hooks.borrow().as_ref() {
            return Ok(known.clone());
        }
        let hooks: Vec<Hook> = self
            .hook_rows()?
            .into_iter()
            .map(|r| (r.events(), r.id))
            .map(|(events, id)| (id, events))
            .collect();
        *self.hooks.borrow_mut() = Some(hooks.clone());
        Ok(hooks)
    }

    /// Which events any subscription hears (empty: nothing to look for).
    pub(super) fn hooked_events(&self) -> BTreeSet<EventType> {
        self.hooks()
            .map(|hooks| hooks.into_iter().flat_map(|(_, e)| e).collect())
            .unwrap_or_default()
    }

    pub(super) fn webhooks(&self, by: &HookManager) -> Result<Vec<Webhook>> {
        self.may_manage_hooks(by)?;
        Ok(self
            .hook_rows()?
            .into_iter()
            .map(|r| Webhook {
                events: r.events(),
                id: r.id,
                url: r.url,
                created_at: r.created_at,
            })
            .collect())
    }

    pub(super) fn create_webhook(&self, new: &NewWebhook) -> Result<Webhook> {
        self.may_manage_hooks(&new.by)?;
        if !is_valid(IdKind::Webhook, &new.webhook_id) {
            return Err(EdgeError::BadRequest("malformed webhook id".into()));
        }
        let request = new.request.normalized(new.allow_private)?;
        if self.hook_rows()?.len() >= MAX_WEBHOOKS {
            return Err(EdgeError::BadRequest(format!(
                "a workspace holds at most {MAX_WEBHOOKS} webhooks"
            )));
        }
        let now = now_millis();
        self.sql().exec(
            "INSERT INTO webhooks (id, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?)",
            vec![
                new.webhook_id.as_str().into(),
                request.url.as_str().into(),
                serde_json::to_string(&request.events)?.into(),
                new.secret.as_str().into(),
                now.into(),
            ],
        )?;
        *self.hooks.borrow_mut() = None;
        Ok(Webhook {
            id: new.webhook_id.clone(),
            url: request.url,
            events: request.events,
            created_at: now,
        })
    }

    pub(super) fn delete_webhook(&self, by: &HookManager, webhook_id: &str) -> Result<()> {
        self.may_manage_hooks(by)?;
        self.known_hook(webhook_id)?;
        self.sql()
            .exec("DELETE FROM webhooks WHERE id = ?", vec![webhook_id.into()])?;
        self.sql().exec(
            "DELETE FROM webhook_deliveries WHERE webhook_id = ?",
            vec![webhook_id.into()],
        )?;
        *self.hooks.borrow_mut() = None;
        Ok(())
    }

    fn known_hook(&self, webhook_id: &str) -> Result<()> {
        if self.hooks()?.iter().any(|(id, _)| id == webhook_id) {
            Ok(())
        } else {
            Err(EdgeError::NotFound("unknown webhook".into()))
        }
    }

    pub(super) fn webhook_deliveries(
        &self,
        by: &HookManager,
        webhook_id: &str,
    ) -> Result<Vec<Delivery>> {
        self.may_manage_hooks(by)?;
        self.known_hook(webhook_id)?;
        let rows: Vec<DeliveryRow> = self
            .sql()
            .exec(
                "SELECT id, webhook_id, event_id, event_type, attempt, status, ok, error,
                        latency_ms, response, at
                 FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?",
                vec![webhook_id.into(), DELIVERIES_SHOWN.into()],
            )?
            .to_array()?;
        Ok(rows
            .into_iter()
            .map(|r| Delivery {
                id: r.id,
                webhook_id: r.webhook_id,
                event_id: r.event_id,
                event: parse_enum(&r.event_type, EventType::MessageCreated),
                attempt: r.attempt as u32,
                status: r.status.map(|s| s as u16),
                ok: r.ok != 0,
                error: r.error,
                latency_ms: r.latency_ms as u64,
                response: r.response,
                at: r.at,
            })
            .collect())
    }

    pub(super) fn redeliver(
        &self,
        workspace_id: &str,
        by: &HookManager,
        delivery_id: i64,
    ) -> Result<()> {
        self.may_manage_hooks(by)?;
        #[derive(Deserialize)]
        struct Row {
            webhook_id: String,
            envelope: String,
        }
        let row = self
            .sql()
            .exec(
                "SELECT webhook_id, envelope FROM webhook_deliveries WHERE id = ?",
                vec![delivery_id.into()],
            )?
            .to_array::<Row>()?
            .into_iter()
            .next()
            .ok_or_else(|| EdgeError::NotFound("unknown delivery".into()))?;
        let envelope: Envelope = serde_json::from_str(&row.envelope)?;
        self.send_jobs(vec![HookJob::Deliver {
            workspace_id: workspace_id.to_owned(),
            webhook_id: row.webhook_id,
            envelope,
            attempt: 1,
        }]);
        Ok(())
    }

    pub(super) fn webhook_target(&self, webhook_id: &str) -> Result<Option<WebhookTarget>> {
        #[derive(Deserialize)]
        struct Row {
            url: String,
            secret: String,
        }
        Ok(self
            .sql()
            .exec(
                "SELECT url, secret FROM webhooks WHERE id = ?",
                vec![webhook_id.into()],
            )?
            .to_array::<Row>()?
            .into_iter()
            .next()
            .map(|r| WebhookTarget {
                url: r.url,
                secret: r.secret,
            }))
    }

    pub(super) fn webhook_subscribers(&self, event: EventType) -> Result<Vec<String>> {
        Ok(self
            .hooks()?
            .into_iter()
            .filter(|(_, events)| events.contains(&event))
            .map(|(id, _)| id)
            .collect())
    }

    pub(super) fn record_delivery(&self, d: &Delivery, envelope: Option<&Envelope>) -> Result<()> {
        if self.known_hook(&d.webhook_id).is_err() {
            return Ok(());
        }
        self.sql().exec(
            "INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, attempt, status, ok,
               error, latency_ms, response, at, envelope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            vec![
                d.webhook_id.as_str().into(),
                d.event_id.as_str().into(),
                enum_str(&d.event).into(),
                (d.attempt as i64).into(),
                d.status.map(i64::from).into(),
                i64::from(d.ok).into(),
                d.error.clone().into(),
                (d.latency_ms as i64).into(),
                d.response.as_str().into(),
                d.at.into(),
                envelope
                    .map(serde_json::to_string)
                    .transpose()?
                    .unwrap_or_default()
                    .into(),
            ],
        )?;
        self.sql().exec(
            "DELETE FROM webhook_deliveries WHERE webhook_id = ?1 AND id <= (
               SELECT id FROM webhook_deliveries WHERE webhook_id = ?1
               ORDER BY id DESC LIMIT 1 OFFSET ?2)",
            vec![d.webhook_id.as_str().into(), DELIVERIES_KEPT.into()],
        )?;
        Ok(())
    }

    /// How the conversation stood before a publication, when any subscription may care.
    pub(super) fn before_publication(&self, conversation_id: &str) -> Option<Option<Before>> {
        if self.hooked_events().is_empty() {
            return None;
        }
        let rows: Vec<Before> = self
            .sql()
            .exec(
                "SELECT status, assignee_id, period, last_seq FROM conversations WHERE id = ?",
                vec![conversation_id.into()],
            )
            .and_then(|c| c.to_array())
            .unwrap_or_default();
        Some(rows.into_iter().next())
    }

    /// The events a publication means, as queue jobs for the subscriptions that hear them.
    pub(super) fn emit_publication(
        &self,
        workspace_id: &str,
        before: Option<Before>,
        s: &ConversationSummary,
        rows: &[ReportRow],
    ) {
        let heard = self.hooked_events();
        let mut events: Vec<(EventType, serde_json::Value)> = Vec::new();
        let conversation = serde_json::to_value(s).unwrap_or_default();
        let opened = before.as_ref().is_none_or(|b| (s.period as i64) > b.period);
        if opened {
            events.push((
                EventType::ConversationOpened,
                json!({ "conversation": conversation }),
            ));
        }
        let was_closed = before
            .as_ref()
            .is_some_and(|b| b.status == "closed" && b.period == s.period as i64);
        if enum_str(&s.status) == "closed" && !was_closed {
            let row = rows.iter().rev().find(|r| r.period == s.period);
            events.push((
                EventType::ConversationClosed,
                json!({
                    "conversation": conversation,
                    "closing_note": row.map(|r| json!({"category": r.category, "summary": r.summary})),
                    "closed_by": row.map(|r| json!({"kind": r.closed_by_kind, "id": r.closed_by_id, "source": r.closed_by_source})),
                }),
            ));
        }
        let assignee_before = before.as_ref().and_then(|b| b.assignee_id.as_deref());
        if s.assignee_id.is_some() && s.assignee_id.as_deref() != assignee_before {
            events.push((
                EventType::ConversationAssigned,
                json!({ "conversation": conversation }),
            ));
        }
        let mut jobs = self.deliveries_for(workspace_id, &heard, events);
        let seen: Seq = before.as_ref().map_or(0, |b| b.last_seq.max(0) as Seq);
        if heard.contains(&EventType::MessageCreated) && s.last_seq > seen {
            jobs.push(HookJob::Messages {
                workspace_id: workspace_id.to_owned(),
                conversation_id: s.id.clone(),
                after: seen,
                upto: s.last_seq,
            });
        }
        self.send_jobs(jobs);
    }

    /// `contact.created` (a contact made through the API) or `contact.updated`.
    pub(super) fn emit_contact(
        &self,
        workspace_id: &str,
        contact: &Contact,
        created: bool,
        changes: &[ContactChange],
    ) {
        let heard = self.hooked_events();
        if heard.is_empty() || (!created && changes.is_empty()) {
            return;
        }
        let event = if created {
            EventType::ContactCreated
        } else {
            EventType::ContactUpdated
        };
        let data = json!({ "contact": contact, "changes": changes });
        let jobs = self.deliveries_for(workspace_id, &heard, vec![(event, data)]);
        self.send_jobs(jobs);
    }

    fn deliveries_for(
        &self,
        workspace_id: &str,
        heard: &BTreeSet<EventType>,
        events: Vec<(EventType, serde_json::Value)>,
    ) -> Vec<HookJob> {
        let hooks = self.hooks().unwrap_or_default();
        let now = now_millis();
        let mut jobs = Vec::new();
        for (event, data) in events.into_iter().filter(|(e, _)| heard.contains(e)) {
            let Ok(id) = new_id("evt") else {
                continue;
            };
            let envelope = Envelope {
                id,
                event,
                workspace_id: workspace_id.to_owned(),
                created_at: now,
                data,
            };
            for (webhook_id, _) in hooks.iter().filter(|(_, e)| e.contains(&event)) {
                jobs.push(HookJob::Deliver {
                    workspace_id: workspace_id.to_owned(),
                    webhook_id: webhook_id.clone(),
                    envelope: envelope.clone(),
                    attempt: 1,
                });
            }
        }
        jobs
    }

    /// Hand jobs to the queue beside the request: a slow queue never delays the answer.
    fn send_jobs(&self, jobs: Vec<HookJob>) {
        if jobs.is_empty() {
            return;
        }
        let env = self.env.clone();
        self.state.wait_until(async move {
            if let Err(err) = enqueue(&env, &jobs, 0).await {
                worker::console_error!("webhook events not queued: {err:?}");
            }
        });
    }
}
