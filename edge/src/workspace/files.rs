//! The workspace's files index (the inbox's Files page): one row per file sent in a message,
//! as the Conversation DOs publish them (`Publication::files`, beside the summary of the
//! message that sent them, so a file costs no request of its own). Listing joins the inbox
//! index, so the caller's access level is applied in the query as it is for the inbox list.
//! A deleted conversation's rows go with its inbox line.

use charla_shared::file_index::{
    group_name, group_of, FileCursor, FilePage, FileQuery, ListedFile, SentFile,
};
use charla_shared::files::Attachment;
use charla_shared::protocol::{AuthorKind, InboxFrame};
use serde::Deserialize;
use worker::SqlStorageValue;

use super::agents::Viewer;
use super::schema::{enum_str, parse_enum};
use super::store::Workspace;
use crate::error::Result;

#[derive(Deserialize)]
struct FileRow {
    id: String,
    conversation_id: String,
    contact_id: String,
    sender_kind: String,
    sender_id: String,
    sender_name: String,
    name: String,
    content_type: String,
    size: i64,
    width: Option<i64>,
    height: Option<i64>,
    seq: i64,
    sent_at: i64,
    contact_name: String,
}

impl FileRow {
    fn listed(self) -> ListedFile {
        ListedFile {
            sent: SentFile {
                file: Attachment {
                    id: self.id,
                    name: self.name,
                    size: self.size.max(0) as u64,
                    content_type: self.content_type,
                    width: self.width.map(|w| w as u32),
                    height: self.height.map(|h| h as u32),
                },
                conversation_id: self.conversation_id,
                contact_id: self.contact_id,
                sender: parse_enum(&self.sender_kind, AuthorKind::Contact),
                sender_id: self.sender_id,
                sender_name: self.sender_name,
                seq: self.seq.max(0) as u64,
                sent_at: self.sent_at,
            },
            contact_name: self.contact_name,
        }
    }
}

impl Workspace {
    /// Files a publication reports. A file published twice (a publication resent after a
    /// lost answer) is kept once.
    pub(super) fn index_files(&self, files: &[SentFile]) -> Result<()> {
        for f in files {
            let group = group_of(&f.file.content_type).map_or("other", group_name);
            let opt = |v: Option<u32>| v.map(i64::from);
            self.sql().exec(
                "INSERT OR IGNORE INTO files (id, conversation_id, contact_id, sender_kind,
                    sender_id, sender_name, name, content_type, file_group, size, width, height,
                    seq, sent_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                vec![
                    f.file.id.as_str().into(),
                    f.conversation_id.as_str().into(),
                    f.contact_id.as_str().into(),
                    enum_str(&f.sender).into(),
                    f.sender_id.as_str().into(),
                    f.sender_name.as_str().into(),
                    f.file.name.as_str().into(),
                    f.file.content_type.as_str().into(),
                    group.into(),
                    (f.file.size as i64).into(),
                    opt(f.file.width).into(),
                    opt(f.file.height).into(),
                    (f.seq as i64).into(),
                    f.sent_at.into(),
                ],
            )?;
        }
        Ok(())
    }

    /// One page of the files `viewer` may see (their access level applied through the inbox
    /// index), newest first, filtered as `q` asks. All values bound.
    pub(super) fn files(&self, viewer: &Viewer, q: &FileQuery) -> Result<FilePage> {
        let mut sql = String::from(
            "SELECT f.id, f.conversation_id, f.contact_id, f.sender_kind, f.sender_id,
                f.sender_name, f.name, f.content_type, f.size, f.width, f.height, f.seq,
                f.sent_at, COALESCE(k.name, c.contact_name) AS contact_name
             FROM files f
             JOIN conversations c ON c.id = f.conversation_id
             LEFT JOIN contacts k ON k.id = f.contact_id
             WHERE (? OR c.assignee_id IS NULL OR c.assignee_id = ?)",
        );
        let mut binds: Vec<SqlStorageValue> = vec![
            i64::from(!viewer.restricted()).into(),
            viewer.id.as_str().into(),
        ];
        if let Some(from) = q.from {
            sql.push_str(" AND f.sent_at >= ?");
            binds.push(from.into());
        }
        if let Some(to) = q.to {
            sql.push_str(" AND f.sent_at < ?");
            binds.push(to.into());
        }
        if let Some(group) = q.group {
            sql.push_str(" AND f.file_group = ?");
            binds.push(group_name(group).into());
        }
        if let Some(contact) = &q.contact {
            sql.push_str(" AND f.contact_id = ?");
            binds.push(contact.as_str().into());
        }
        if let Some(conversation) = &q.conversation {
            sql.push_str(" AND f.conversation_id = ?");
            binds.push(conversation.as_str().into());
        }
        if let Some(after) = q.after() {
            sql.push_str(" AND (f.sent_at < ? OR (f.sent_at = ? AND f.id < ?))");
            binds.push(after.sent_at.into());
            binds.push(after.sent_at.into());
            binds.push(after.file_id.into());
        }
        // One more than the page: whether a next page exists.
        sql.push_str(" ORDER BY f.sent_at DESC, f.id DESC LIMIT ?");
        binds.push(i64::from(q.limit + 1).into());
        let rows: Vec<FileRow> = self.sql().exec(&sql, binds)?.to_array()?;
        let mut files: Vec<ListedFile> = rows.into_iter().map(FileRow::listed).collect();
        let next = if files.len() > q.limit as usize {
            files.truncate(q.limit as usize);
            files.last().map(|f| {
                FileCursor {
                    sent_at: f.sent.sent_at,
                    file_id: f.sent.file.id.clone(),
                }
                .encode()
            })
        } else {
            None
        };
        Ok(FilePage { files, next })
    }

    /// An owner deleted the conversation (its Conversation DO is empty already): its inbox
    /// line, files index rows and socket notes go, it neither holds an agent nor waits, and
    /// every inbox drops its line. Report rows stay (reports are history).
    pub(super) async fn conversation_deleted(
        &self,
        workspace_id: &str,
        conversation_id: &str,
    ) -> Result<()> {
        for table in [
            "DELETE FROM conversations WHERE id = ?",
            "DELETE FROM files WHERE conversation_id = ?",
            "DELETE FROM agent_sockets WHERE conversation_id = ?",
        ] {
            self.sql().exec(table, vec![conversation_id.into()])?;
        }
        self.forget_for_assignment(workspace_id, conversation_id)
            .await?;
        let hidden = InboxFrame::Hidden {
            id: conversation_id.to_owned(),
        }
        .to_json();
        for ws in self.state.get_websockets_with_tag("agent") {
            let _ = ws.send_with_str(&hidden);
        }
        Ok(())
    }
}
