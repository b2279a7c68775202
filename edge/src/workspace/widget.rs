//! Widget settings in the Workspace DO: the owner's configuration, the public config the loader
//! fetches, the allowed-origins guard, the pre-chat form and identity verification
//! (`charla_shared::widget_settings` holds the rules).

use charla_shared::protocol::AgentStatus;
use charla_shared::widget_settings::{
    verify_identity, ConnectionCheck, PublicAgent, PublicWidgetConfig, WidgetSettings,
};
use serde::Deserialize;

use super::store::Workspace;
use crate::error::{EdgeError, Result};
use crate::ids::{now_millis, random_bytes};
use crate::internal::workspace::{
    IdentifiedSession, IdentifyVisitor, PatchedContact, PrechatAnswers,
};

#[derive(Deserialize)]
struct IdentityRow {
    visitor_id: String,
    conversation_id: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Workspace {
    pub(super) fn widget_settings(&self) -> Result<WidgetSettings> {
        Ok(match self.setting("widget")? {
            Some(json) => serde_json::from_str(&json)?,
            None => WidgetSettings::default(),
        })
    }

    pub(super) fn set_widget_settings(&self, settings: WidgetSettings) -> Result<WidgetSettings> {
        let settings = settings.validated()?;
        self.put_setting("widget", &serde_json::to_string(&settings)?)?;
        Ok(settings)
    }

    /// The secret sites sign user ids with; drawn on first use.
    pub(super) fn identity_secret(&self) -> Result<String> {
        match self.setting("identity_secret")? {
            Some(secret) => Ok(secret),
            None => self.rotate_identity_secret(),
        }
    }

    pub(super) fn rotate_identity_secret(&self) -> Result<String> {
        let secret = hex(&random_bytes(32)?);
        self.put_setting("identity_secret", &secret)?;
        Ok(secret)
    }

    /// Everything the loader needs, nothing secret: presence and first names of who is online.
    pub(super) fn public_config(&self, workspace_id: &str) -> Result<PublicWidgetConfig> {
        let settings = self.widget_settings()?;
        let (online, open) = self.presence(workspace_id)?;
        let online: Vec<PublicAgent> = online
            .iter()
            .map(|a| PublicAgent::from_name(&a.profile.name))
            .collect();
        // Outside business hours the header shows the away message, whoever is signed in.
        Ok(settings.public(open && !online.is_empty(), online))
    }

    /// Who is online in the inbox, and whether business hours are open now (always, when none
    /// are set): what the widget's header and the connection check both report.
    fn presence(&self, workspace_id: &str) -> Result<(Vec<AgentStatus>, bool)> {
        let online = self
            .agent_statuses(workspace_id)?
            .into_iter()
            .filter(|a| a.online)
            .collect();
        let open = self
            .business_hours()?
            .is_none_or(|h| h.is_open(now_millis()));
        Ok((online, open))
    }

    /// The owner's connection check: may `origin` use the chat, and will anyone answer.
    pub(super) fn connection_check(
        &self,
        workspace_id: &str,
        origin: Option<&str>,
    ) -> Result<ConnectionCheck> {
        let (online, open) = self.presence(workspace_id)?;
        Ok(ConnectionCheck {
            origin: origin.map(str::to_owned),
            origin_status: self.widget_settings()?.origin_status(origin),
            agents_online: online.len() as u32,
            open,
        })
    }

    pub(super) fn check_origin(&self, origin: Option<&str>) -> Result<()> {
        if self.widget_settings()?.allows_origin(origin) {
            Ok(())
        } else {
            Err(EdgeError::Forbidden(format!(
                "origin {} is not allowed to use this workspace's chat widget; add it under \
                 Settings → Widget → Allowed origins",
                origin.unwrap_or("(none)")
            )))
        }
    }

    /// The visitor's answers to the pre-chat form become fields of their own contact.
    pub(super) fn prechat(&self, body: &PrechatAnswers) -> Result<PatchedContact> {
        self.check_origin(body.origin.as_deref())?;
        let settings = self.widget_settings()?;
        if !settings.prechat.enabled {
            return Err(EdgeError::BadRequest(
                "this workspace has no pre-chat form".into(),
            ));
        }
        let patch = settings.prechat_patch(&body.answers)?;
        self.apply_contact_patch(&body.visitor_id, &patch)
    }

    /// A verified identity merges the visitor into the known user's contact (the widget
    /// switches to that user's conversation); an unverified one, where allowed, only fills in
    /// the current contact, because anyone can claim a user id.
    pub(super) fn identify(&self, body: &IdentifyVisitor) -> Result<IdentifiedSession> {
        self.check_origin(body.origin.as_deref())?;
        let request = &body.request;
        request.check()?;
        let verified = match request.user_hash.as_deref() {
            Some(hash) => {
                if !verify_identity(
                    self.identity_secret()?.as_bytes(),
                    request.user_id.trim(),
                    hash,
                ) {
                    return Err(EdgeError::Forbidden(
                        "identity verification failed: user_hash is not the HMAC-SHA256 of \
                         user_id with this workspace's identity secret"
                            .into(),
                    ));
                }
                true
            }
            None => false,
        };
        if !verified && self.widget_settings()?.require_identity_verification {
            return Err(EdgeError::Forbidden(
                "this workspace requires identity verification: send user_hash".into(),
            ));
        }
        let patch = if verified {
            request.patch()
        } else {
            let mut patch = request.patch();
            patch.fields.remove("user_id");
            patch
        };
        if !verified {
            self.apply_contact_patch(&body.visitor_id, &patch)?;
            return Ok(IdentifiedSession {
                visitor_id: body.visitor_id.clone(),
                conversation_id: body.conversation_id.clone(),
                merged: false,
            });
        }
        let user_id = request.user_id.trim();
        let known: Vec<IdentityRow> = self
            .sql()
            .exec(
                "SELECT visitor_id, conversation_id FROM identities WHERE user_id = ?",
                vec![user_id.into()],
            )?
            .to_array()?;
        let (visitor_id, conversation_id, merged) = match known.into_iter().next() {
            Some(row) => {
                let merged = row.visitor_id != body.visitor_id;
                (row.visitor_id, row.conversation_id, merged)
            }
            None => {
                self.sql().exec(
                    "INSERT INTO identities (user_id, visitor_id, conversation_id, created_at)
                     VALUES (?, ?, ?, ?)",
                    vec![
                        user_id.into(),
                        body.visitor_id.as_str().into(),
                        body.conversation_id.as_str().into(),
                        now_millis().into(),
                    ],
                )?;
                (body.visitor_id.clone(), body.conversation_id.clone(), false)
            }
        };
        self.apply_contact_patch(&visitor_id, &patch)?;
        Ok(IdentifiedSession {
            visitor_id,
            conversation_id,
            merged,
        })
    }
}
