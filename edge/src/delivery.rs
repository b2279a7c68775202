//! The webhook queue's consumer (`WEBHOOK_QUEUE`, jobs in `internal::webhooks`): one signed
//! `POST` per delivery, each try logged in the Workspace, a failed try sent again with a
//! growing delay (`charla_shared::webhooks::retry_delay`) until it is given up. Runs outside
//! every Durable Object's turn, so a slow receiver slows nothing else.

use std::time::Duration;

use charla_shared::basic::Seq;
use charla_shared::ids::{is_valid, IdKind};
use charla_shared::webhooks::{
    retry_delay, signature, snippet, Delivery, Envelope, EventType, DELIVERY_TIMEOUT_MS,
};
use futures_util::future::{select, Either};
use serde_json::json;
use worker::{
    Delay, Env, Fetch, Headers, MessageBatch, MessageExt, Method, RequestInit, RequestRedirect,
};

use crate::error::Result;
use crate::ids::{now_millis, valid_workspace_id};
use crate::internal::conversation::{self, ApiCall, ConversationCall, MessagePage};
use crate::internal::webhooks::{enqueue, HookJob};
use crate::internal::workspace::{self, DeliveryRecord, WebhookTarget, WorkspaceCall};

pub async fn consume(batch: MessageBatch<String>, env: &Env) -> worker::Result<()> {
    for message in batch.messages()? {
        match serde_json::from_str::<HookJob>(message.body()) {
            Ok(job) => match run(env, job).await {
                Ok(()) => message.ack(),
                Err(err) => {
                    worker::console_error!("webhook job failed, retried: {err:?}");
                    message.retry();
                }
            },
            Err(_) => {
                worker::console_error!("webhook queue: unreadable job dropped");
                message.ack();
            }
        }
    }
    Ok(())
}

async fn run(env: &Env, job: HookJob) -> Result<()> {
    match job {
        HookJob::Deliver {
            workspace_id,
            webhook_id,
            envelope,
            attempt,
        } => {
            if !valid_workspace_id(&workspace_id) || !is_valid(IdKind::Webhook, &webhook_id) {
                return Ok(());
            }
            deliver(env, &workspace_id, &webhook_id, envelope, attempt).await
        }
        HookJob::Messages {
            workspace_id,
            conversation_id,
            after,
            upto,
        } => {
            if !valid_workspace_id(&workspace_id)
                || !is_valid(IdKind::Conversation, &conversation_id)
            {
                return Ok(());
            }
            expand(env, &workspace_id, &conversation_id, after, upto).await
        }
    }
}

/// One `message.created` delivery per new message and subscription.
async fn expand(
    env: &Env,
    workspace_id: &str,
    conversation_id: &str,
    after: Seq,
    upto: Seq,
) -> Result<()> {
    let hooks: Vec<String> = workspace::ask(
        env,
        workspace_id,
        &WorkspaceCall::WebhookSubscribers {
            event: EventType::MessageCreated,
        },
    )
    .await?;
    if hooks.is_empty() {
        return Ok(());
    }
    let mut from = after;
    let mut jobs = Vec::new();
    while from < upto {
        let call = ConversationCall::Api(ApiCall::Messages {
            after: from,
            limit: 200,
        });
        let page: MessagePage =
            conversation::ask(env, workspace_id, conversation_id, &call).await?;
        for m in page.messages.iter().filter(|m| m.seq <= upto) {
            let envelope = Envelope {
                // The same message always has the same event id: receivers de-duplicate by it.
                id: format!("evt_{conversation_id}_{}", m.seq),
                event: EventType::MessageCreated,
                workspace_id: workspace_id.to_owned(),
                created_at: m.at,
                data: json!({ "conversation_id": conversation_id, "message": m }),
            };
            for webhook_id in &hooks {
                jobs.push(HookJob::Deliver {
                    workspace_id: workspace_id.to_owned(),
                    webhook_id: webhook_id.clone(),
                    envelope: envelope.clone(),
                    attempt: 1,
                });
            }
        }
        match (page.next, page.messages.last()) {
            (Some(next), _) => from = next,
            _ => break,
        }
    }
    enqueue(env, &jobs, 0).await
}

/// One try: sign, post, log; a failure is sent again later, or given up after the last try.
async fn deliver(
    env: &Env,
    workspace_id: &str,
    webhook_id: &str,
    envelope: Envelope,
    attempt: u32,
) -> Result<()> {
    let target: Option<WebhookTarget> = workspace::ask(
        env,
        workspace_id,
        &WorkspaceCall::WebhookTarget {
            webhook_id: webhook_id.to_owned(),
        },
    )
    .await?;
    let Some(target) = target else {
        return Ok(()); // deleted meanwhile
    };
    let body = serde_json::to_string(&envelope)?;
    let started = now_millis();
    let outcome = post(&target, &envelope, &body, attempt).await;
    let latency_ms = (now_millis() - started).max(0) as u64;
    let (status, ok, error, response) = match outcome {
        Ok((status, text)) => (
            Some(status),
            (200..300).contains(&status),
            (!(200..300).contains(&status)).then(|| format!("the receiver answered {status}")),
            snippet(&text),
        ),
        Err(error) => (None, false, Some(error), String::new()),
    };
    let record = DeliveryRecord {
        delivery: Delivery {
            id: 0,
            webhook_id: webhook_id.to_owned(),
            event_id: envelope.id.clone(),
            event: envelope.event,
            attempt,
            status,
            ok,
            error,
            latency_ms,
            response,
            at: started,
        },
        envelope: Some(envelope.clone()),
    };
    workspace::ask::<bool>(
        env,
        workspace_id,
        &WorkspaceCall::RecordDelivery(Box::new(record)),
    )
    .await?;
    if !ok {
        if let Some(delay) = retry_delay(attempt) {
            // Dev only: `CHARLA_DEV_WEBHOOK_RETRY_SECS` shortens every wait (tests).
            let delay = env
                .var("CHARLA_DEV_WEBHOOK_RETRY_SECS")
                .ok()
                .and_then(|v| v.to_string().parse::<u32>().ok())
                .unwrap_or(delay);
            let next = HookJob::Deliver {
                workspace_id: workspace_id.to_owned(),
                webhook_id: webhook_id.to_owned(),
                envelope,
                attempt: attempt + 1,
            };
            enqueue(env, &[next], delay).await?;
        }
    }
    Ok(())
}

async fn post(
    target: &WebhookTarget,
    envelope: &Envelope,
    body: &str,
    attempt: u32,
) -> std::result::Result<(u16, String), String> {
    let attempt_fut = async {
        let headers = Headers::new();
        headers.set("Content-Type", "application/json")?;
        headers.set("User-Agent", "Charla-Webhooks/1")?;
        headers.set("Charla-Event-Id", &envelope.id)?;
        headers.set("Charla-Event-Type", envelope.event.as_str())?;
        headers.set("Charla-Delivery-Attempt", &attempt.to_string())?;
        let unix_secs = (now_millis().max(0) / 1000) as u64;
        headers.set(
            "Charla-Signature",
            &signature(&target.secret, unix_secs, body),
        )?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post);
        init.with_headers(headers);
        init.with_redirect(RequestRedirect::Manual);
        init.with_body(Some(wasm_bindgen::JsValue::from_str(body)));
        let req = worker::Request::new_with_init(&target.url, &init)?;
        let mut resp = Fetch::Request(req).send().await?;
        let status = resp.status_code();
        let text = resp.text().await.unwrap_or_default();
        Ok::<(u16, String), worker::Error>((status, text))
    };
    let timeout = Delay::from(Duration::from_millis(DELIVERY_TIMEOUT_MS));
    match select(Box::pin(attempt_fut), timeout).await {
        Either::Left((Ok(answer), _)) => Ok(answer),
        Either::Left((Err(err), _)) => Err(err.to_string()),
        Either::Right(_) => Err(format!("no answer within {DELIVERY_TIMEOUT_MS} ms")),
    }
}
