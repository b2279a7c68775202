//! The Workspace's end of the Conversation DOs' links (see `internal::link`): publications
//! arrive as frames on a socket the Workspace accepted with the hibernation API, tagged
//! [`LINK_TAG`] and carrying the workspace id (a woken Workspace checks it as for a request).
//! The same [`Workspace::publish`] answers a publication sent as a request.

use serde::{Deserialize, Serialize};
use worker::{Response, WebSocket, WebSocketIncomingMessage, WebSocketPair};

use super::store::Workspace;
use crate::error::Result;
use crate::internal::link::{LinkAsk, LinkReply, LINK_TAG};
use crate::internal::workspace::{Publication, PublishAnswer};
use crate::sockets;

/// A link socket's attachment: which workspace it was opened for.
#[derive(Serialize, Deserialize)]
struct LinkEnd {
    link: String,
}

impl Workspace {
    /// Take a conversation's publication: its report rows, then its inbox line; answer what it
    /// needs to know until the next one.
    pub(super) async fn publish(
        &self,
        workspace_id: &str,
        publication: Publication,
    ) -> Result<PublishAnswer> {
        let Publication {
            summary,
            report_rows,
            files,
        } = publication;
        // Only when a webhook listens: how the conversation stood, to tell what happened.
        let before = summary
            .as_ref()
            .and_then(|s| self.before_publication(&s.id));
        let rows_for_hooks = before.is_some().then(|| report_rows.clone());
        for row in report_rows {
            self.receive_report_row(row)?;
        }
        if let Some(summary) = summary {
            self.take_summary(workspace_id, &summary).await?;
            if let (Some(before), Some(rows)) = (before, rows_for_hooks) {
                self.emit_publication(workspace_id, before, &summary, &rows);
            }
        }
        // After the summary: a file's conversation is in the index its listing joins.
        self.index_files(&files)?;
        Ok(PublishAnswer {
            message_workflows: self.message_workflows()?,
            lifecycle: Some(self.lifecycle_settings()?),
        })
    }

    /// A conversation opens its link.
    pub(super) fn accept_link(&self, workspace_id: &str) -> Result<Response> {
        let pair = WebSocketPair::new()?;
        self.state
            .accept_websocket_with_tags(&pair.server, &[LINK_TAG]);
        pair.server.serialize_attachment(&LinkEnd {
            link: workspace_id.to_owned(),
        })?;
        sockets::upgraded(pair.client)
    }

    /// The workspace a link socket was opened for; `None` for any other socket (an inbox).
    pub(super) fn link_of(&self, ws: &WebSocket) -> Option<String> {
        if !self.state.get_tags(ws).iter().any(|t| t == LINK_TAG) {
            return None;
        }
        ws.deserialize_attachment::<LinkEnd>()
            .ok()
            .flatten()
            .map(|end| end.link)
    }

    /// A publication on a link: answered on the same socket, under the ask's id.
    pub(super) async fn link_frame(
        &self,
        ws: &WebSocket,
        workspace_id: &str,
        message: WebSocketIncomingMessage,
    ) {
        let WebSocketIncomingMessage::String(text) = message else {
            return;
        };
        let ask = match serde_json::from_str::<LinkAsk>(&text) {
            Ok(ask) => ask,
            Err(err) => {
                worker::console_error!("an unreadable link frame: {err}");
                return;
            }
        };
        let result = match self.enter(workspace_id, false, true) {
            Ok(()) => self.publish(workspace_id, ask.publication).await,
            Err(err) => Err(err),
        };
        let reply = match result {
            Ok(answer) => LinkReply {
                id: ask.id,
                answer: Some(answer),
                error: None,
            },
            Err(err) => LinkReply {
                id: ask.id,
                answer: None,
                error: Some(err.to_string()),
            },
        };
        match serde_json::to_string(&reply) {
            Ok(text) => {
                let _ = ws.send_with_str(text);
            }
            Err(err) => worker::console_error!("a link reply could not be written: {err}"),
        }
    }
}
