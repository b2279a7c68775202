//! The conversation's files (docs/API.md "Files"): the Worker streams an upload's bytes into
//! the `FILES` bucket and records it here (`files`); a message references its files by id
//! (each once, only the side that uploaded it), and an upload no message referenced within an
//! hour is deleted by the alarm. The bytes never pass through this object.

use charla_shared::basic::{Millis, Seq};
use charla_shared::conversation::Stored;
use charla_shared::files::{Attachment, MAX_PENDING_FILES};
use charla_shared::protocol::{mine_or_unassigned, Author, AuthorKind, Message};
use charla_shared::Error;
use serde::Deserialize;

use super::columns::kind_str;
use super::store::Conversation;
use crate::error::{EdgeError, Result};
use crate::ids::now_millis;
use crate::internal::conversation::{FileUpload, FileViewer};

/// The bucket binding (wrangler.toml).
pub const BUCKET: &str = "FILES";

/// Where a file's bytes are kept: ids only, each checked before it got here.
pub fn object_key(workspace_id: &str, conversation_id: &str, file_id: &str) -> String {
    format!("{workspace_id}/{conversation_id}/{file_id}")
}

#[derive(Deserialize)]
struct FileRow {
    id: String,
    name: String,
    size: i64,
    content_type: String,
    width: Option<i64>,
    height: Option<i64>,
    uploader_kind: String,
    stored: i64,
    message_seq: Option<i64>,
}

impl FileRow {
    fn attachment(self) -> Attachment {
        Attachment {
            id: self.id,
            name: self.name,
            size: self.size.max(0) as u64,
            content_type: self.content_type,
            width: self.width.map(|w| w as u32),
            height: self.height.map(|h| h as u32),
        }
    }
}

#[derive(Deserialize)]
struct IdRow {
    id: String,
}

#[derive(Deserialize)]
struct OldestRow {
    oldest: Option<i64>,
}

#[derive(Deserialize)]
struct CountRow {
    n: i64,
}

/// What the core asks while it handles one sender's frame: its stored client ids and the
/// files its side may send.
pub(super) struct SenderFacts<'a> {
    pub(super) conversation: &'a Conversation,
    pub(super) author: &'a Author,
}

impl Stored for SenderFacts<'_> {
    fn seq_of(&self, client_id: &str) -> Option<Seq> {
        self.conversation.stored_seq(&self.author.id, client_id)
    }

    fn unsent_file(&self, id: &str) -> Option<Attachment> {
        let row = self.conversation.file_row(id).ok()??;
        let ours = row.uploader_kind == kind_str(self.author.kind);
        (ours && row.stored == 1 && row.message_seq.is_none()).then(|| row.attachment())
    }
}

impl Conversation {
    fn file_row(&self, id: &str) -> Result<Option<FileRow>> {
        let rows: Vec<FileRow> = self
            .sql()
            .exec("SELECT * FROM files WHERE id = ?", vec![id.into()])?
            .to_array()?;
        Ok(rows.into_iter().next())
    }

    /// Whether `who` may see this conversation at all (the visitor it belongs to, or an agent
    /// whose access level allows it now).
    fn may_see(&self, who: &Author, restricted: bool) -> Result<()> {
        if !self.load()? {
            return Err(EdgeError::NotFound("unknown conversation".into()));
        }
        let guard = self.conv.borrow();
        let state = guard.as_ref().expect("loaded above");
        match who.kind {
            AuthorKind::Contact if state.contact.id != who.id => {
                Err(EdgeError::Forbidden("not your conversation".into()))
            }
            AuthorKind::Agent
                if restricted && !mine_or_unassigned(&who.id, state.lifecycle.assignee()) =>
            {
                Err(EdgeError::Forbidden(
                    "this conversation is assigned to another agent".into(),
                ))
            }
            AuthorKind::System => Err(EdgeError::Forbidden("no uploads from the system".into())),
            _ => Ok(()),
        }
    }

    /// Record an upload before its bytes are streamed (see [`ConversationCall::FileUpload`]).
    ///
    /// [`ConversationCall::FileUpload`]: crate::internal::conversation::ConversationCall
    pub(super) async fn file_upload(&self, upload: FileUpload) -> Result<bool> {
        self.may_see(&upload.uploader, upload.restricted)?;
        let waiting: Vec<CountRow> = self
            .sql()
            .exec(
                "SELECT COUNT(*) AS n FROM files WHERE message_seq IS NULL",
                None,
            )?
            .to_array()?;
        let waiting = waiting.first().map_or(0, |r| r.n) as usize;
        if waiting >= MAX_PENDING_FILES {
            return Err(Error::TooManyFiles {
                count: waiting + 1,
                limit: MAX_PENDING_FILES,
            }
            .into());
        }
        let f = &upload.file;
        let opt = |v: Option<u32>| v.map(i64::from);
        self.sql().exec(
            "INSERT INTO files (id, name, size, content_type, width, height, uploader_kind,
                                uploader_id, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            vec![
                f.id.as_str().into(),
                f.name.as_str().into(),
                (f.size as i64).into(),
                f.content_type.as_str().into(),
                opt(f.width).into(),
                opt(f.height).into(),
                kind_str(upload.uploader.kind).into(),
                upload.uploader.id.as_str().into(),
                now_millis().into(),
            ],
        )?;
        self.has_unsent_files.set(Some(true));
        // Its deadline joins the one alarm (an earlier alarm stays and sets the next).
        self.reschedule(&self.workspace_id()).await;
        Ok(true)
    }

    pub(super) fn file_stored(&self, file_id: &str) -> Result<bool> {
        self.sql().exec(
            "UPDATE files SET stored = 1 WHERE id = ?",
            vec![file_id.into()],
        )?;
        Ok(true)
    }

    pub(super) fn file_dropped(&self, file_id: &str) -> Result<bool> {
        self.sql().exec(
            "DELETE FROM files WHERE id = ? AND message_seq IS NULL",
            vec![file_id.into()],
        )?;
        Ok(true)
    }

    /// A file `viewer` may download: one of this conversation's, sent in a message, or not
    /// sent yet and uploaded by their own side (a preview before sending).
    pub(super) fn file_access(&self, ask: FileViewer) -> Result<Attachment> {
        self.may_see(&ask.viewer, ask.restricted)?;
        let unknown = || EdgeError::NotFound("unknown file".into());
        let row = self.file_row(&ask.file_id)?.ok_or_else(unknown)?;
        let visible = row.stored == 1
            && (row.message_seq.is_some() || row.uploader_kind == kind_str(ask.viewer.kind));
        if !visible {
            return Err(unknown());
        }
        Ok(row.attachment())
    }

    /// A stored message's files are sent: the alarm no longer deletes them and no other
    /// message may take them. Same turn as the message's INSERT.
    pub(super) fn mark_sent(&self, m: &Message) -> Result<()> {
        for a in &m.attachments {
            self.sql().exec(
                "UPDATE files SET message_seq = ? WHERE id = ? AND message_seq IS NULL",
                vec![(m.seq as i64).into(), a.id.as_str().into()],
            )?;
        }
        Ok(())
    }

    /// When the oldest unsent upload is due for deletion, if any waits.
    pub(super) fn next_file_sweep(&self) -> Option<Millis> {
        if self.has_unsent_files.get() == Some(false) {
            return None;
        }
        let rows: Vec<OldestRow> = self
            .sql()
            .exec(
                "SELECT MIN(created_at) AS oldest FROM files WHERE message_seq IS NULL",
                None,
            )
            .and_then(|c| c.to_array())
            .ok()?;
        let oldest = rows.into_iter().next().and_then(|r| r.oldest);
        self.has_unsent_files.set(Some(oldest.is_some()));
        oldest.map(|at| at + self.orphan_after)
    }

    /// Delete uploads no message referenced within an hour (`orphan_after`): their bytes from
    /// the bucket first, then their rows (a failed delete leaves the row for the next alarm).
    /// Idempotent, as alarms are at-least-once.
    pub(super) async fn sweep_files(&self, workspace_id: &str) {
        if self.has_unsent_files.get() == Some(false) {
            return;
        }
        let cutoff = now_millis() - self.orphan_after;
        let due: Vec<IdRow> = match self
            .sql()
            .exec(
                "SELECT id FROM files WHERE message_seq IS NULL AND created_at <= ? LIMIT 100",
                vec![cutoff.into()],
            )
            .and_then(|c| c.to_array())
        {
            Ok(rows) => rows,
            Err(err) => {
                worker::console_error!("listing orphaned files failed: {err:?}");
                return;
            }
        };
        if due.is_empty() {
            return;
        }
        let conversation_id = self
            .conv
            .borrow()
            .as_ref()
            .map(|s| s.id.clone())
            .unwrap_or_default();
        let keys: Vec<String> = due
            .iter()
            .map(|r| object_key(workspace_id, &conversation_id, &r.id))
            .collect();
        let deleted = match self.env.bucket(BUCKET) {
            Ok(bucket) => bucket.delete_multiple(keys).await,
            Err(err) => Err(err),
        };
        if let Err(err) = deleted {
            worker::console_error!("deleting orphaned files failed: {err:?}");
            return;
        }
        for row in &due {
            let _ = self.sql().exec(
                "DELETE FROM files WHERE id = ? AND message_seq IS NULL",
                vec![row.id.as_str().into()],
            );
        }
        self.has_unsent_files.set(None);
    }
}
