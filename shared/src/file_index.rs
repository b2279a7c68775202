//! The workspace's files: each file sent in a message, as its Conversation DO reports it to the
//! Workspace DO (in the publication that carries the message's summary) and as the inbox's
//! Files page lists it (`GET /v1/inbox/files`, docs/API.md "Files"). The query grammar, the
//! cursor and the type groups live here so the edge and the inbox read them alike.

use serde::{Deserialize, Serialize};

use crate::basic::{Millis, Seq};
use crate::files::{Attachment, FileGroup};
use crate::ids::{is_valid, IdKind};
use crate::protocol::AuthorKind;
use crate::Error;

/// Files per page when the caller names no `limit`.
pub const DEFAULT_PAGE: u32 = 50;
/// Most files one page holds.
pub const MAX_PAGE: u32 = 200;

/// One file sent with a message: what the Workspace keeps in its `files` index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentFile {
    pub file: Attachment,
    pub conversation_id: String,
    pub contact_id: String,
    /// Who sent it: the visitor (`contact`) or an agent.
    pub sender: AuthorKind,
    pub sender_id: String,
    /// The agent's name, or the visitor's label when the message was sent.
    pub sender_name: String,
    /// The message it went with.
    pub seq: Seq,
    pub sent_at: Millis,
}

/// A line of the Files page: the sent file and its contact's name as the workspace knows it
/// now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedFile {
    #[serde(flatten)]
    pub sent: SentFile,
    pub contact_name: String,
}

/// One page of the Files page, newest first; `next` is the cursor of the page after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct FilePage {
    pub files: Vec<ListedFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// The group a stored content type belongs to (the owner's allow-list groups), for the Files
/// page's type filter; `None` for a type no upload is stored with.
pub fn group_of(content_type: &str) -> Option<FileGroup> {
    let t = content_type;
    Some(if t.starts_with("image/") {
        FileGroup::Image
    } else if t == "application/pdf" {
        FileGroup::Pdf
    } else if t.starts_with("application/vnd.openxmlformats-officedocument.")
        || t.starts_with("application/vnd.oasis.opendocument.")
        || matches!(
            t,
            "application/msword"
                | "application/vnd.ms-excel"
                | "application/vnd.ms-powerpoint"
                | "application/x-ole-storage"
        )
    {
        FileGroup::Office
    } else if t.starts_with("text/") || t == "application/xml" {
        FileGroup::Text
    } else if matches!(
        t,
        "application/zip"
            | "application/gzip"
            | "application/x-7z-compressed"
            | "application/vnd.rar"
    ) {
        FileGroup::Archive
    } else if t.starts_with("audio/") || t.starts_with("video/") {
        FileGroup::Media
    } else {
        return None;
    })
}

/// The group's wire name (`image`, `pdf`, …), as the query and the index store it.
pub fn group_name(group: FileGroup) -> &'static str {
    match group {
        FileGroup::Image => "image",
        FileGroup::Pdf => "pdf",
        FileGroup::Office => "office",
        FileGroup::Text => "text",
        FileGroup::Archive => "archive",
        FileGroup::Media => "media",
    }
}

fn parse_group(s: &str) -> Option<FileGroup> {
    [
        FileGroup::Image,
        FileGroup::Pdf,
        FileGroup::Office,
        FileGroup::Text,
        FileGroup::Archive,
        FileGroup::Media,
    ]
    .into_iter()
    .find(|g| group_name(*g) == s)
}

/// Where a page ends: the last file's time and id (files sent at the same millisecond are
/// ordered by id), written `<sent_at>.<file id>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileCursor {
    pub sent_at: Millis,
    pub file_id: String,
}

impl FileCursor {
    pub fn encode(&self) -> String {
        format!("{}.{}", self.sent_at, self.file_id)
    }

    /// `None` for anything that is not a cursor this module wrote.
    pub fn decode(s: &str) -> Option<FileCursor> {
        let (at, id) = s.split_once('.')?;
        let sent_at: Millis = at.parse().ok().filter(|t: &Millis| *t >= 0)?;
        is_valid(IdKind::File, id).then(|| FileCursor {
            sent_at,
            file_id: id.to_owned(),
        })
    }
}

/// A Files page request: every filter optional, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FileQuery {
    /// Sent at or after (epoch milliseconds).
    pub from: Option<Millis>,
    /// Sent before (epoch milliseconds).
    pub to: Option<Millis>,
    pub group: Option<FileGroup>,
    /// A contact's files (`v_…`).
    pub contact: Option<String>,
    /// One conversation's files (`c_…`).
    pub conversation: Option<String>,
    /// The page after this cursor ([`FileCursor::encode`]).
    pub cursor: Option<String>,
    pub limit: u32,
}

impl FileQuery {
    /// Read a query string's pairs (`from`, `to`, `type`, `contact`, `conversation`, `cursor`,
    /// `limit`). Ids of the wrong shape and unknown groups are refused, never passed on.
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, Error> {
        let mut q = FileQuery {
            limit: DEFAULT_PAGE,
            ..FileQuery::default()
        };
        let bad = |what: &str| Error::BadRequest(format!("invalid {what}"));
        for (k, v) in pairs {
            if v.is_empty() {
                continue;
            }
            match k {
                "from" => q.from = Some(v.parse().map_err(|_| bad("from"))?),
                "to" => q.to = Some(v.parse().map_err(|_| bad("to"))?),
                "type" => q.group = Some(parse_group(v).ok_or_else(|| bad("type"))?),
                "contact" if is_valid(IdKind::Visitor, v) => q.contact = Some(v.to_owned()),
                "contact" => return Err(Error::Unknown("contact")),
                "conversation" if is_valid(IdKind::Conversation, v) => {
                    q.conversation = Some(v.to_owned())
                }
                "conversation" => return Err(Error::Unknown("conversation")),
                "cursor" => {
                    FileCursor::decode(v).ok_or_else(|| bad("cursor"))?;
                    q.cursor = Some(v.to_owned());
                }
                "limit" => {
                    let n: u32 = v.parse().map_err(|_| bad("limit"))?;
                    q.limit = n.clamp(1, MAX_PAGE);
                }
                _ => {}
            }
        }
        Ok(q)
    }

    /// The query string for these filters (no cursor), as the inbox sends it.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(v) = self.from {
            parts.push(format!("from={v}"));
        }
        if let Some(v) = self.to {
            parts.push(format!("to={v}"));
        }
        if let Some(g) = self.group {
            parts.push(format!("type={}", group_name(g)));
        }
        if let Some(v) = &self.contact {
            parts.push(format!("contact={v}"));
        }
        if let Some(v) = &self.conversation {
            parts.push(format!("conversation={v}"));
        }
        if let Some(v) = &self.cursor {
            parts.push(format!("cursor={v}"));
        }
        parts.push(format!("limit={}", self.limit));
        parts.join("&")
    }

    pub fn after(&self) -> Option<FileCursor> {
        self.cursor.as_deref().and_then(FileCursor::decode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: &str = "f_0123456789abcdef0123456789abcdef";
    const C: &str = "c_0123456789abcdef0123456789abcdef";
    const V: &str = "v_0123456789abcdef0123456789abcdef";

    #[test]
    fn content_types_fall_in_their_groups() {
        for (t, g) in [
            ("image/png", Some(FileGroup::Image)),
            ("image/svg+xml", Some(FileGroup::Image)),
            ("application/pdf", Some(FileGroup::Pdf)),
            (
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                Some(FileGroup::Office),
            ),
            ("application/msword", Some(FileGroup::Office)),
            ("text/plain", Some(FileGroup::Text)),
            ("text/html", Some(FileGroup::Text)),
            ("application/zip", Some(FileGroup::Archive)),
            ("audio/mpeg", Some(FileGroup::Media)),
            ("application/octet-stream", None),
        ] {
            assert_eq!(group_of(t), g, "{t}");
        }
    }

    #[test]
    fn cursors_round_trip_and_refuse_anything_else() {
        let c = FileCursor {
            sent_at: 1_700_000_000_000,
            file_id: F.into(),
        };
        assert_eq!(FileCursor::decode(&c.encode()), Some(c));
        for bad in [
            "",
            "12",
            "x.f_1",
            "-1.".to_owned().as_str(),
            "12.c_0123456789abcdef0123456789abcdef",
            "12.f_../x",
        ] {
            assert_eq!(FileCursor::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn queries_parse_check_ids_and_clamp() {
        let cursor = format!("5.{F}");
        let q = FileQuery::parse([
            ("from", "1"),
            ("to", "9"),
            ("type", "pdf"),
            ("contact", V),
            ("conversation", C),
            ("cursor", cursor.as_str()),
            ("limit", "5000"),
            ("other", "ignored"),
        ])
        .unwrap();
        assert_eq!(q.from, Some(1));
        assert_eq!(q.to, Some(9));
        assert_eq!(q.group, Some(FileGroup::Pdf));
        assert_eq!(q.limit, MAX_PAGE);
        assert_eq!(q.after().unwrap().file_id, F);
        assert_eq!(
            FileQuery::parse(q.to_query().split('&').filter_map(|p| p.split_once('='))).unwrap(),
            q
        );
        assert_eq!(FileQuery::parse([]).unwrap().limit, DEFAULT_PAGE);
        assert_eq!(FileQuery::parse([("type", "")]).unwrap().group, None);
        assert!(FileQuery::parse([("type", "exe")]).is_err());
        assert!(FileQuery::parse([("contact", "../x")]).is_err());
        assert!(FileQuery::parse([("conversation", V)]).is_err());
        assert!(FileQuery::parse([("cursor", "zzz")]).is_err());
        assert!(FileQuery::parse([("from", "yesterday")]).is_err());
    }
}
