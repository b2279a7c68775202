//! The bodies of the Workspace calls that change who may sign in: password resets, invites,
//! and an agent's role, access or details.

use charla_shared::protocol::{Access, Role};
use serde::{Deserialize, Serialize};

/// Body of [`WorkspaceCall::StoreReset`]: the fingerprint of the token the Worker drew.
#[derive(Serialize, Deserialize)]
pub struct StoreReset {
    pub by: String,
    pub agent_id: String,
    pub fingerprint: String,
    pub expires_at: i64,
}

/// Body of [`WorkspaceCall::RedeemReset`]. The Worker derived the hash (never the DO).
#[derive(Serialize, Deserialize)]
pub struct RedeemReset {
    pub fingerprint: String,
    pub password_hash: String,
}

/// Body of [`WorkspaceCall::StoreInvite`]: the request plus the fingerprint of the token the
/// Worker drew (the DO never sees the token itself).
#[derive(Serialize, Deserialize)]
pub struct StoreInvite {
    pub fingerprint: String,
    pub email: String,
    pub role: Role,
    pub expires_at: i64,
}

/// Body of [`WorkspaceCall::RedeemInvite`]. The Worker derived the hash (never the DO).
#[derive(Serialize, Deserialize)]
pub struct RedeemInvite {
    pub fingerprint: String,
    pub name: String,
    pub password_hash: String,
}

/// An agent's changes: fields left out stay as they are. `by_role` is the caller's current
/// role, set by the Worker (never by the client). Also the body of `PUT /v1/inbox/agents/{id}`.
#[derive(Default, Serialize, Deserialize)]
pub struct AgentChange {
    /// `Some(None)` removes the limit; `None` (not sent at all) keeps it.
    #[serde(
        default,
        with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub capacity: Option<Option<u32>>,
    #[serde(default)]
    pub away: Option<bool>,
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub access: Option<Access>,
    #[serde(default)]
    pub by_role: Option<Role>,
}

/// Distinguishes an absent field from an explicit `null` (serde's `Option<Option<T>>` alone
/// cannot).
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer, T: Serialize>(
        value: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}
