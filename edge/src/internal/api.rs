//! The bodies and answers of the Workspace calls behind the REST API (`http/api.rs`) and its
//! webhooks: pages of contacts and conversations, contacts made by a key, webhook managers,
//! targets and delivery records.

use charla_shared::basic::ConversationStatus;
use charla_shared::contact::Contact;
use charla_shared::protocol::ConversationSummary;
use charla_shared::webhooks::{Delivery, Envelope, WebhookRequest};
use serde::{Deserialize, Serialize};

/// Answer of [`WorkspaceCall::ContactPage`]: `next` is the cursor of the following page.
#[derive(Serialize, Deserialize)]
pub struct ContactPage {
    pub contacts: Vec<Contact>,
    pub next: Option<String>,
}

/// Body of [`WorkspaceCall::ConversationPage`].
#[derive(Serialize, Deserialize)]
pub struct ConversationPageAsk {
    pub after: Option<String>,
    pub limit: u32,
    pub status: Option<ConversationStatus>,
    pub contact_id: Option<String>,
}

/// Answer of [`WorkspaceCall::ConversationPage`]: `next` is the cursor of the following page.
#[derive(Serialize, Deserialize)]
pub struct ConversationPage {
    pub conversations: Vec<ConversationSummary>,
    pub next: Option<String>,
}

/// Answer of [`WorkspaceCall::ApiCreateContact`].
#[derive(Serialize, Deserialize)]
pub struct CreatedContact {
    pub contact: Contact,
    /// `false` when an earlier request with the same idempotency key made it.
    pub created: bool,
}

/// Who manages webhooks: an owner (checked by the Workspace with their current role) or an
/// API key with the `webhooks` scope (checked by the Worker).
#[derive(Serialize, Deserialize, Clone)]
#[serde(rename_all = "snake_case")]
pub enum HookManager {
    Agent(String),
    Key(String),
}

/// Body of [`WorkspaceCall::CreateWebhook`].
#[derive(Serialize, Deserialize)]
pub struct NewWebhook {
    pub by: HookManager,
    pub webhook_id: String,
    pub request: WebhookRequest,
    pub secret: String,
    /// Local development only (`CHARLA_ALLOW_PRIVATE_HTTP`): `http://` and private hosts.
    pub allow_private: bool,
}

/// Body of [`WorkspaceCall::RecordDelivery`]: the try, and the event (kept for "redeliver").
#[derive(Serialize, Deserialize)]
pub struct DeliveryRecord {
    pub delivery: Delivery,
    pub envelope: Option<Envelope>,
}

/// Answer of [`WorkspaceCall::WebhookTarget`].
#[derive(Serialize, Deserialize)]
pub struct WebhookTarget {
    pub url: String,
    pub secret: String,
}
