//! The inbox index in the Workspace DO (one summary line per conversation, as the Conversation
//! DOs publish them) and the inbox sockets it pushes changes to. An open inbox socket is also
//! an agent's presence: an agent with one, and not away, is online for assignment.

use charla_shared::basic::ConversationStatus;
use charla_shared::protocol::{
    decode_client_frame, mine_or_unassigned, AuthorKind, ClientFrame, ConversationSummary,
    InboxFrame,
};
use serde::Deserialize;
use worker::{Response, WebSocket, WebSocketIncomingMessage, WebSocketPair};

use super::agents::Viewer;
use super::schema::{enum_str, parse_enum};
use super::store::Workspace;
use crate::error::Result;
use crate::internal::workspace::{ConversationPage, ConversationPageAsk, Mentioned, SearchScope};
use crate::sockets;

#[derive(Deserialize)]
struct SummaryRow {
    id: String,
    contact_id: String,
    contact_name: String,
    status: String,
    last_seq: i64,
    last_text: String,
    last_author: String,
    last_at: i64,
    unread: i64,
    created_at: i64,
    assignee_id: Option<String>,
    team_id: Option<String>,
    bot_paused: i64,
    period: i64,
}

/// Inbox lines with the contact's name (when agents set one) over the visitor's label.
const SUMMARY_SELECT: &str =
    "SELECT c.id, c.contact_id, COALESCE(k.name, c.contact_name) AS contact_name,
    c.status, c.last_seq, c.last_text, c.last_author, c.last_at, c.unread, c.created_at,
    c.assignee_id, c.team_id, c.bot_paused, c.period
    FROM conversations c LEFT JOIN contacts k ON k.id = c.contact_id";

impl SummaryRow {
    fn into_summary(self) -> ConversationSummary {
        ConversationSummary {
            id: self.id,
            contact_id: self.contact_id,
            contact_name: self.contact_name,
            status: parse_enum(&self.status, ConversationStatus::Open),
            period: self.period.max(1) as u32,
            last_seq: self.last_seq as u64,
            last_text: self.last_text,
            last_author: parse_enum(&self.last_author, AuthorKind::System),
            last_at: self.last_at,
            unread: self.unread as u32,
            created_at: self.created_at,
            assignee_id: self.assignee_id,
            team_id: self.team_id,
            bot_paused: self.bot_paused != 0,
        }
    }
}

/// Ids bound per statement of a search's scope (the platform allows 100 bound values).
const SCOPE_IDS_PER_QUERY: usize = 90;

/// The tag an agent's inbox sockets carry.
fn presence_tag(agent_id: &str) -> String {
    format!("agent:{agent_id}")
}

impl Workspace {
    /// Whether the agent has an inbox open (online, unless away).
    pub(super) fn has_inbox_open(&self, agent_id: &str) -> bool {
        !self.inbox_sockets(agent_id).is_empty()
    }

    /// The agent's open inbox sockets.
    pub(super) fn inbox_sockets(&self, agent_id: &str) -> Vec<WebSocket> {
        self.state.get_websockets_with_tag(&presence_tag(agent_id))
    }

    /// The inbox index as `viewer` may see it (their access level applied in the query).
    pub(super) fn conversations(&self, viewer: &Viewer) -> Result<Vec<ConversationSummary>> {
        let all = !viewer.restricted();
        let rows: Vec<SummaryRow> = self
            .sql()
            .exec(
                &format!(
                    "{SUMMARY_SELECT} WHERE ? OR c.assignee_id IS NULL OR c.assignee_id = ?
                     ORDER BY c.last_at DESC LIMIT 500"
                ),
                vec![i64::from(all).into(), viewer.id.as_str().into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().map(SummaryRow::into_summary).collect())
    }

    /// Inbox lines for the REST API (a key sees them all), by id after `after`, optionally of
    /// one status or one contact. The cursor is the last id given.
    pub(super) fn conversation_page(&self, ask: &ConversationPageAsk) -> Result<ConversationPage> {
        let limit = ask.limit.clamp(1, 200);
        let rows: Vec<SummaryRow> = self
            .sql()
            .exec(
                &format!(
                    "{SUMMARY_SELECT} WHERE c.id > ?1 AND (?2 IS NULL OR c.status = ?2)
                     AND (?3 IS NULL OR c.contact_id = ?3) ORDER BY c.id LIMIT ?4"
                ),
                vec![
                    ask.after.as_deref().unwrap_or_default().into(),
                    ask.status.map(|s| enum_str(&s)).into(),
                    ask.contact_id.as_deref().into(),
                    (limit as i64 + 1).into(),
                ],
            )?
            .to_array()?;
        let more = rows.len() > limit as usize;
        let conversations: Vec<ConversationSummary> = rows
            .into_iter()
            .take(limit as usize)
            .map(SummaryRow::into_summary)
            .collect();
        let next = more
            .then(|| conversations.last().map(|c| c.id.clone()))
            .flatten();
        Ok(ConversationPage {
            conversations,
            next,
        })
    }

    /// The lines of `conversation_ids`, and of the conversations of `contact_ids`, that
    /// `viewer` may see (the same rule as [`Self::conversations`]); ids of no conversation
    /// are simply not found.
    pub(super) fn search_scope(
        &self,
        viewer: &Viewer,
        conversation_ids: &[String],
        contact_ids: &[String],
    ) -> Result<SearchScope> {
        let all = !viewer.restricted();
        // A statement binds at most 100 values here: ids go in slices.
        let lines = |column: &str, ids: &[String]| -> Result<Vec<ConversationSummary>> {
            let mut found = Vec::new();
            for slice in ids.chunks(SCOPE_IDS_PER_QUERY) {
                let marks = vec!["?"; slice.len()].join(", ");
                let mut binds: Vec<worker::SqlStorageValue> =
                    slice.iter().map(|id| id.as_str().into()).collect();
                binds.push(i64::from(all).into());
                binds.push(viewer.id.as_str().into());
                let rows: Vec<SummaryRow> = self
                    .sql()
                    .exec(
                        &format!(
                            "{SUMMARY_SELECT} WHERE c.{column} IN ({marks})
                             AND (? OR c.assignee_id IS NULL OR c.assignee_id = ?)"
                        ),
                        binds,
                    )?
                    .to_array()?;
                found.extend(rows.into_iter().map(SummaryRow::into_summary));
            }
            found.sort_by_key(|c| std::cmp::Reverse(c.last_at));
            Ok(found)
        };
        Ok(SearchScope {
            conversations: lines("id", conversation_ids)?,
            of_contacts: lines("contact_id", contact_ids)?,
        })
    }

    pub(super) fn summaries_of_contact(
        &self,
        contact_id: &str,
    ) -> Result<Vec<ConversationSummary>> {
        let rows: Vec<SummaryRow> = self
            .sql()
            .exec(
                &format!("{SUMMARY_SELECT} WHERE c.contact_id = ?"),
                vec![contact_id.into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().map(SummaryRow::into_summary).collect())
    }

    /// Tell each mentioned agent's open inboxes (every tab) that a note named them.
    pub(super) fn push_mention(&self, mentioned: &Mentioned) {
        let frame = InboxFrame::Mention {
            conversation_id: mentioned.conversation_id.clone(),
            by: mentioned.by.clone(),
            text: mentioned.text.clone(),
        }
        .to_json();
        for agent in &mentioned.agents {
            for ws in self.inbox_sockets(agent) {
                let _ = ws.send_with_str(&frame);
            }
        }
    }

    /// Push one inbox line to every connected inbox that may see it; an agent who may not
    /// (any more) is told to drop it.
    pub(super) fn push_summary(&self, s: &ConversationSummary) -> Result<()> {
        let mut s = s.clone();
        if let Some(name) = self.display_name(&s)? {
            s.contact_name = name;
        }
        let visible = InboxFrame::Summary {
            conversation: s.clone(),
        }
        .to_json();
        let sockets = self.state.get_websockets_with_tag("agent");
        let restricted = if sockets.is_empty() {
            Default::default()
        } else {
            self.restricted_agents()?
        };
        let hidden = InboxFrame::Hidden { id: s.id.clone() }.to_json();
        for ws in sockets {
            let agent: Option<String> = ws.deserialize_attachment().ok().flatten();
            let sees = match agent {
                Some(id) if restricted.contains(&id) => {
                    mine_or_unassigned(&id, s.assignee_id.as_deref())
                }
                _ => true,
            };
            let _ = ws.send_with_str(if sees { &visible } else { &hidden });
        }
        Ok(())
    }

    /// Upsert one inbox line and push it to every connected inbox. Summaries may arrive out of
    /// order (each is its own fetch); an older `last_seq` never overwrites a newer one.
    pub(super) fn upsert(&self, s: &ConversationSummary) -> Result<()> {
        self.sql().exec(
            "INSERT INTO conversations (id, contact_id, contact_name, status, last_seq, last_text, last_author, last_at, unread, created_at, assignee_id, team_id, bot_paused, period)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET
               contact_name = excluded.contact_name, status = excluded.status,
               last_seq = excluded.last_seq, last_text = excluded.last_text,
               last_author = excluded.last_author, last_at = excluded.last_at,
               unread = excluded.unread, assignee_id = excluded.assignee_id,
               team_id = excluded.team_id, bot_paused = excluded.bot_paused,
               period = excluded.period
             WHERE excluded.last_seq >= conversations.last_seq",
            vec![
                s.id.as_str().into(),
                s.contact_id.as_str().into(),
                s.contact_name.as_str().into(),
                enum_str(&s.status).into(),
                (s.last_seq as i64).into(),
                s.last_text.as_str().into(),
                enum_str(&s.last_author).into(),
                s.last_at.into(),
                (s.unread as i64).into(),
                s.created_at.into(),
                s.assignee_id.clone().into(),
                s.team_id.clone().into(),
                i64::from(s.bot_paused).into(),
                (s.period as i64).into(),
            ],
        )?;
        self.push_summary(s)
    }

    /// An agent's inbox socket. Its tags say "an agent" (for broadcasts) and which one (for
    /// presence: an agent with an open inbox and not away is online for assignment).
    pub(super) fn accept_inbox(&self, viewer: &Viewer) -> Result<Response> {
        let pair = WebSocketPair::new()?;
        let presence = presence_tag(&viewer.id);
        self.state
            .accept_websocket_with_tags(&pair.server, &["agent", presence.as_str()]);
        pair.server.serialize_attachment(&viewer.id)?;
        let snapshot = InboxFrame::Snapshot {
            conversations: self.conversations(viewer)?,
        };
        let _ = pair.server.send_with_str(snapshot.to_json());
        sockets::upgraded(pair.client)
    }

    /// A frame on an inbox socket: only pings are spoken there.
    pub(super) fn inbox_frame(ws: &WebSocket, message: WebSocketIncomingMessage) {
        let reply = match message {
            WebSocketIncomingMessage::String(s)
                if matches!(decode_client_frame(&s), Ok(ClientFrame::Ping)) =>
            {
                InboxFrame::Pong
            }
            _ => InboxFrame::Error {
                code: charla_shared::ErrorCode::MalformedFrame,
                message: "the inbox socket only accepts {\"type\":\"ping\"}".into(),
            },
        };
        let _ = ws.send_with_str(reply.to_json());
    }
}
