//! Agents' internal notes: stored in the timeline (never in the message log), shown to the
//! conversation's agent sockets only. The visitor's socket, replica and every route they can
//! reach read the message log, so a note cannot reach them.

use charla_shared::lifecycle::{ActivityEvent, ActivityKind, Actor, Source};
use charla_shared::protocol::{mine_or_unassigned, ServerFrame};
use serde::Deserialize;
use serde_json::json;

use super::store::Conversation;
use crate::error::{EdgeError, Result};
use crate::ids::now_millis;
use crate::internal::conversation::{NoteCall, NoteStored};

#[derive(Deserialize)]
struct EventRow {
    event: String,
}

impl Conversation {
    /// Store an agent's note once per client id and show it to the agents here. Refused
    /// whole when a mentioned agent could not open this conversation: a notification about a
    /// chat they cannot see would be a dead end (and a leak of its contents).
    pub(super) fn note(&self, call: NoteCall) -> Result<NoteStored> {
        if !self.load()? {
            return Err(EdgeError::NotFound("unknown conversation".into()));
        }
        let now = now_millis();
        if let Err(wait_ms) = self.take_token(&call.author, now) {
            return Err(EdgeError::RateLimited {
                message: "too many notes at once; wait and send again".into(),
                retry_after: wait_ms.div_ceil(1000).max(1),
            });
        }
        let assignee = self
            .conv
            .borrow()
            .as_ref()
            .and_then(|s| s.lifecycle.assignee().map(str::to_owned));
        if call.restricted && !mine_or_unassigned(&call.author.id, assignee.as_deref()) {
            return Err(EdgeError::Forbidden(
                "this conversation is assigned to another agent".into(),
            ));
        }
        let key = format!("{}/{}", call.author.id, call.client_id);
        if let Some(event) = self.stored_note(&key)? {
            return Ok(NoteStored {
                event,
                duplicate: true,
            });
        }
        let hidden: Vec<_> = call
            .mentions
            .iter()
            .filter(|m| {
                m.restricted && !mine_or_unassigned(&m.mention.agent_id, assignee.as_deref())
            })
            .map(|m| &m.mention)
            .collect();
        if let Some(first) = hidden.first() {
            return Err(EdgeError::Invalid {
                message: format!(
                    "{} cannot see this conversation (it is assigned to someone else): remove the mention or reassign it first",
                    first.name
                ),
                details: hidden
                    .iter()
                    .map(|m| {
                        json!({
                            "field": "mentions",
                            "reason": "cannot_see_conversation",
                            "agent_id": m.agent_id,
                            "name": m.name,
                        })
                    })
                    .collect(),
            });
        }
        let event = ActivityEvent {
            at: now,
            source: Source::User,
            actor: Actor::Agent {
                id: call.author.id.clone(),
            },
            kind: ActivityKind::Comment {
                text: call.text,
                mentions: call.mentions.into_iter().map(|m| m.mention).collect(),
            },
        };
        self.sql().exec(
            "INSERT INTO activity (at, event, note_key) VALUES (?, ?, ?)",
            vec![
                event.at.into(),
                serde_json::to_string(&event)?.into(),
                key.into(),
            ],
        )?;
        self.to_agents(&ServerFrame::Activity {
            event: event.clone(),
        });
        Ok(NoteStored {
            event,
            duplicate: false,
        })
    }

    fn stored_note(&self, key: &str) -> Result<Option<ActivityEvent>> {
        let rows: Vec<EventRow> = self
            .sql()
            .exec(
                "SELECT event FROM activity WHERE note_key = ?",
                vec![key.into()],
            )?
            .to_array()?;
        rows.first()
            .map(|r| Ok(serde_json::from_str(&r.event)?))
            .transpose()
    }
}
