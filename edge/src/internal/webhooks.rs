//! The webhook queue's jobs (`WEBHOOK_QUEUE`, consumed by `crate::delivery`): what the
//! Workspace DO hands over when an event happens, so no delivery ever runs inside an object's
//! turn and a slow or failing receiver never holds up a message.

use charla_shared::basic::Seq;
use charla_shared::webhooks::Envelope;
use serde::{Deserialize, Serialize};
use worker::{Env, MessageBuilder};

use crate::error::Result;

/// One queue message.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "job", rename_all = "snake_case")]
pub enum HookJob {
    /// Try (again) to deliver one event to one subscription. `attempt` is 1-based; a failed
    /// try sends the next one with a delay (`charla_shared::webhooks::retry_delay`).
    Deliver {
        workspace_id: String,
        webhook_id: String,
        envelope: Envelope,
        attempt: u32,
    },
    /// Messages `after + 1 ..= upto` of a conversation were stored: the consumer reads them
    /// from the conversation and makes one `message.created` delivery per message and
    /// subscription (the Workspace only sees each publication's last message).
    Messages {
        workspace_id: String,
        conversation_id: String,
        after: Seq,
        upto: Seq,
    },
}

/// Send jobs to the webhook queue, `delay_secs` after now.
pub async fn enqueue(env: &Env, jobs: &[HookJob], delay_secs: u32) -> Result<()> {
    let queue = env.queue("WEBHOOK_QUEUE")?;
    for job in jobs {
        let body = serde_json::to_string(job)?;
        let message = if delay_secs > 0 {
            MessageBuilder::new(body).delay_seconds(delay_secs).build()
        } else {
            MessageBuilder::new(body).build()
        };
        queue.send(message).await?;
    }
    Ok(())
}
