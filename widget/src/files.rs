//! The visitor's files: the tray of files picked for the next message (each uploaded as soon
//! as it is picked, with its progress or why it failed), the files this page sent (so a message
//! still on its way shows its files), and how a size and a type read. What the browser does with them (the uploads, the links) is `upload`'s; this is pure
//! and tested natively.

use charla_shared::files::{Attachment, MAX_ATTACHMENTS};

use crate::i18n::Lang;

/// What the workspace accepts (`GET /v1/widget/files/rules`); only the size is checked here,
/// the type needs the bytes and is the edge's to judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub max_bytes: u64,
    pub max_attachments: usize,
}

/// Where a picked file is on its way to being attachable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upload {
    /// Waiting for the rules, or for a retry.
    Waiting,
    /// Bytes sent so far.
    Sending(u64),
    Done(Attachment),
    Failed(Why),
}

/// Why an upload failed, as the visitor is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Larger than the workspace's limit (bytes): checked before uploading, and the edge's 413.
    TooLarge(u64),
    /// The edge's 415: the sniffed type is not allowed.
    NotAllowed,
    /// Too many uploads wait unsent in the conversation (the edge's `too_many_files`).
    TooMany,
    /// No answer, or one we did not expect: worth a retry.
    Failed,
}

impl Why {
    /// A retry can change the answer only when the bytes were not the problem.
    pub fn retryable(self) -> bool {
        matches!(self, Why::Failed | Why::TooMany)
    }

    /// An upload the edge refused (`status`, the error body's `code`).
    pub fn of_refusal(status: u16, code: &str, rules: Option<Rules>) -> Why {
        match (status, code) {
            (413, _) | (_, "file_too_large") => Why::TooLarge(rules.map_or(0, |r| r.max_bytes)),
            (415, _) | (_, "file_type_not_allowed") => Why::NotAllowed,
            (_, "too_many_files") => Why::TooMany,
            _ => Why::Failed,
        }
    }
}

/// A file in the tray. `key` names it for the page's life (picked twice, a file is two items).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub key: u32,
    pub name: String,
    pub size: u64,
    /// An object URL of the file itself, for images the browser draws.
    pub preview: Option<String>,
    pub upload: Upload,
}

impl Item {
    /// Progress in whole percent while sending.
    pub fn percent(&self) -> Option<u64> {
        match self.upload {
            Upload::Sending(sent) => Some((sent.min(self.size) * 100).checked_div(self.size)?),
            _ => None,
        }
    }
}

/// Why the composer will not send yet, said in the notice line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// Uploads are still going.
    Wait,
    /// Some uploads failed: remove or retry them.
    Failed,
    /// The tray is full ([`MAX_ATTACHMENTS`]).
    Full,
}

#[derive(Debug, Default)]
pub struct Files {
    pub items: Vec<Item>,
    /// Asked for when the first file is picked.
    pub rules: Option<Rules>,
    pub hint: Option<Hint>,
    /// The files this page sent, for the lines of messages still on their way.
    sent: Vec<Attachment>,
    next: u32,
}

impl Files {
    fn max(&self) -> usize {
        self.rules.map_or(MAX_ATTACHMENTS, |r| r.max_attachments)
    }

    fn item(&mut self, key: u32) -> Option<&mut Item> {
        self.items.iter_mut().find(|i| i.key == key)
    }

    /// A file the visitor picked; `None` (and the tray says it is full) when it holds as many
    /// as a message may carry.
    pub fn pick(&mut self, name: String, size: u64, preview: Option<String>) -> Option<u32> {
        if self.items.len() >= self.max() {
            self.hint = Some(Hint::Full);
            return None;
        }
        self.next += 1;
        self.hint = None;
        self.items.push(Item {
            key: self.next,
            name,
            size,
            preview,
            upload: Upload::Waiting,
        });
        Some(self.next)
    }

    /// The waiting files to upload now that the rules are known: too large ones fail here, and
    /// nothing of them is uploaded.
    pub fn start_uploads(&mut self) -> Vec<u32> {
        let Some(rules) = self.rules else {
            return Vec::new();
        };
        let mut start = Vec::new();
        for item in &mut self.items {
            if item.upload != Upload::Waiting {
                continue;
            }
            if item.size > rules.max_bytes {
                item.upload = Upload::Failed(Why::TooLarge(rules.max_bytes));
            } else {
                item.upload = Upload::Sending(0);
                start.push(item.key);
            }
        }
        start
    }

    /// The rules, first or fresh (after the edge refused a file as too large, its limit may
    /// have changed): files refused as too large say the current limit.
    pub fn set_rules(&mut self, rules: Rules) {
        self.rules = Some(rules);
        for item in &mut self.items {
            if let Upload::Failed(Why::TooLarge(limit)) = &mut item.upload {
                *limit = rules.max_bytes;
            }
        }
    }

    /// The rules could not be had: every waiting file fails (a retry asks again).
    pub fn no_rules(&mut self) {
        for item in &mut self.items {
            if item.upload == Upload::Waiting {
                item.upload = Upload::Failed(Why::Failed);
            }
        }
    }

    /// Bytes sent; whether the whole percent shown changed (redraw only then).
    pub fn progress(&mut self, key: u32, sent: u64) -> bool {
        let Some(item) = self.item(key) else {
            return false;
        };
        let before = item.percent();
        if let Upload::Sending(at) = &mut item.upload {
            *at = sent;
        }
        item.percent() != before
    }

    /// An upload ended. Ignored for a file removed meanwhile.
    pub fn finished(&mut self, key: u32, result: Result<Attachment, Why>) {
        if let Some(item) = self
            .item(key)
            .filter(|i| matches!(i.upload, Upload::Sending(_)))
        {
            item.upload = match result {
                Ok(file) => Upload::Done(file),
                Err(why) => Upload::Failed(why),
            };
        }
        if self.hint == Some(Hint::Wait) && !self.busy() {
            self.hint = None;
        }
    }

    /// Try a failed upload again; whether it now waits to start.
    pub fn retry(&mut self, key: u32) -> bool {
        self.hint = None;
        match self.item(key) {
            Some(item) if matches!(item.upload, Upload::Failed(why) if why.retryable()) => {
                item.upload = Upload::Waiting;
                true
            }
            _ => false,
        }
    }

    pub fn remove(&mut self, key: u32) -> Option<Item> {
        self.hint = None;
        let at = self.items.iter().position(|i| i.key == key)?;
        Some(self.items.remove(at))
    }

    fn busy(&self) -> bool {
        self.items
            .iter()
            .any(|i| matches!(i.upload, Upload::Waiting | Upload::Sending(_)))
    }

    /// The ids to send with the message, once every file in the tray is uploaded; otherwise
    /// `None` and the hint says what is in the way. A failed upload is never sent as if sent.
    pub fn ready(&mut self) -> Option<Vec<String>> {
        self.hint = if self.busy() {
            Some(Hint::Wait)
        } else if self
            .items
            .iter()
            .any(|i| matches!(i.upload, Upload::Failed(_)))
        {
            Some(Hint::Failed)
        } else {
            None
        };
        if self.hint.is_some() {
            return None;
        }
        Some(
            self.items
                .iter()
                .filter_map(|i| match &i.upload {
                    Upload::Done(f) => Some(f.id.clone()),
                    _ => None,
                })
                .collect(),
        )
    }

    /// The message went into the outbox with these files: the tray empties (its items back,
    /// for their previews to be released) and the files are remembered for its line.
    pub fn take(&mut self) -> Vec<Item> {
        self.hint = None;
        let items = std::mem::take(&mut self.items);
        for item in &items {
            if let Upload::Done(file) = &item.upload {
                self.sent.push(file.clone());
            }
        }
        items
    }

    /// The files of a message on its way, by id (those this page did not upload are left out).
    pub fn sent(&self, ids: &[String]) -> Vec<Attachment> {
        ids.iter()
            .filter_map(|id| self.sent.iter().find(|f| &f.id == id).cloned())
            .collect()
    }
}

/// A size as people read it: `512 B`, `9.8 KB`, `10 MB` (binary units, one decimal below
/// ten, the language's decimal mark). Integer arithmetic: float formatting costs the wasm
/// kilobytes.
pub fn human_size(bytes: u64, lang: Lang) -> String {
    let mut out = String::new();
    let (unit, name) = match bytes {
        0..1024 => {
            crate::wire::decimal(&mut out, bytes);
            out.push_str(" B");
            return out;
        }
        1024..1_048_576 => (1024, " KB"),
        _ => (1_048_576, " MB"),
    };
    let tenths = (bytes * 10 + unit / 2) / unit;
    if tenths >= 100 {
        crate::wire::decimal(&mut out, (tenths + 5) / 10);
    } else {
        crate::wire::decimal(&mut out, tenths / 10);
        if !tenths.is_multiple_of(10) {
            out.push(if lang == Lang::Es { ',' } else { '.' });
            crate::wire::decimal(&mut out, tenths % 10);
        }
    }
    out.push_str(name);
    out
}

/// A short name for a file's type: from the sniffed type when it has one (`PDF`, `PNG`,
/// `SVG`, `ZIP`), else from the name's extension (`DOCX`), else `FILE`.
pub fn type_label(content_type: &str, name: &str) -> String {
    let sub = after(content_type, b'/').unwrap_or("");
    let sub = &sub[..sub.bytes().position(|b| b == b'+').unwrap_or(sub.len())];
    let sub = sub.strip_prefix("x-").unwrap_or(sub);
    let fits = |s: &str, most: usize| {
        (1..=most).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
    };
    let label = if content_type == "text/plain" {
        "txt"
    } else if fits(sub, 4) {
        sub
    } else {
        after(name, b'.')
            .filter(|ext| fits(ext, 5))
            .unwrap_or("file")
    };
    label.to_ascii_uppercase()
}

/// What follows the last `c` in `s`. A byte search: a `str` pattern would link a substring
/// searcher into the wasm.
fn after(s: &str, c: u8) -> Option<&str> {
    Some(&s[s.bytes().rposition(|b| b == c)? + 1..])
}

/// A thumbnail's box: the image's own size scaled down to fit `max` × `max` (its aspect kept),
/// so the line has its final height before the image arrives.
pub fn thumb_box(width: Option<u32>, height: Option<u32>, max: u32) -> Option<(u32, u32)> {
    let (w, h) = (width.filter(|&w| w > 0)?, height.filter(|&h| h > 0)?);
    let scale = |a: u32, b: u32| (u64::from(a) * u64::from(max) / u64::from(b)).max(1) as u32;
    Some(if w <= max && h <= max {
        (w, h)
    } else if w >= h {
        (max, scale(h, w))
    } else {
        (scale(w, h), max)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(id: &str, content_type: &str) -> Attachment {
        Attachment {
            id: id.into(),
            name: format!("{id}.bin"),
            size: 10,
            content_type: content_type.into(),
            width: None,
            height: None,
        }
    }

    fn rules(max_bytes: u64) -> Rules {
        Rules {
            max_bytes,
            max_attachments: MAX_ATTACHMENTS,
        }
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        let check = |bytes: u64, en: &str, es: &str| {
            assert_eq!(human_size(bytes, Lang::En), en, "{bytes}");
            assert_eq!(human_size(bytes, Lang::Es), es, "{bytes}");
        };
        check(0, "0 B", "0 B");
        check(1023, "1023 B", "1023 B");
        check(1024, "1 KB", "1 KB");
        check(1536, "1.5 KB", "1,5 KB");
        check(10_188, "9.9 KB", "9,9 KB");
        check(10_200, "10 KB", "10 KB");
        check(48_211, "47 KB", "47 KB");
        check(1_048_575, "1024 KB", "1024 KB");
        check(2 * 1_048_576, "2 MB", "2 MB");
        check(10 * 1_048_576, "10 MB", "10 MB");
        check(1_572_864, "1.5 MB", "1,5 MB");
        check(95 * 1_048_576, "95 MB", "95 MB");
    }

    #[test]
    fn type_labels() {
        let check = |t: &str, name: &str, label: &str| assert_eq!(type_label(t, name), label);
        check("application/pdf", "a.pdf", "PDF");
        check("image/png", "captura", "PNG");
        check("image/jpeg", "x.jpg", "JPEG");
        check("image/svg+xml", "dibujo.svg", "SVG");
        check("text/plain", "notas.md", "TXT");
        check("application/x-7z-compressed", "a.7z", "7Z");
        check(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "carta.docx",
            "DOCX",
        );
        check("application/vnd.oasis.opendocument.text", "carta", "FILE");
        check("application/octet-stream", "página.html", "HTML");
        check("application/octet-stream", "x.<b>", "FILE");
    }

    #[test]
    fn thumbnails_keep_their_aspect_inside_the_box() {
        assert_eq!(thumb_box(Some(640), Some(480), 220), Some((220, 165)));
        assert_eq!(thumb_box(Some(480), Some(640), 220), Some((165, 220)));
        assert_eq!(thumb_box(Some(100), Some(50), 220), Some((100, 50)));
        assert_eq!(thumb_box(Some(10_000), Some(1), 220), Some((220, 1)));
        assert_eq!(thumb_box(None, Some(50), 220), None);
        assert_eq!(thumb_box(Some(0), Some(50), 220), None);
    }

    #[test]
    fn files_wait_for_the_rules_and_too_large_ones_are_never_uploaded() {
        let mut f = Files::default();
        let a = f.pick("a.png".into(), 100, None).unwrap();
        let b = f.pick("b.pdf".into(), 5_000, None).unwrap();
        assert_eq!(f.start_uploads(), Vec::<u32>::new(), "no rules yet");
        f.set_rules(rules(1_000));
        assert_eq!(f.start_uploads(), [a]);
        assert_eq!(f.items[1].upload, Upload::Failed(Why::TooLarge(1_000)));
        assert_eq!(f.start_uploads(), Vec::<u32>::new(), "each starts once");
        assert!(!f.retry(b), "too large stays too large");
        // The edge lowered its limit meanwhile: the refusal says the new one.
        f.set_rules(rules(900));
        assert_eq!(f.items[1].upload, Upload::Failed(Why::TooLarge(900)));
        assert!(f.progress(a, 50));
        assert!(!f.progress(a, 50));
        assert_eq!(f.items[0].percent(), Some(50));
        assert_eq!(f.ready(), None);
        assert_eq!(f.hint, Some(Hint::Wait), "uploads first, then the failure");
        f.finished(a, Ok(file("f_a", "image/png")));
        assert_eq!(f.hint, None, "nothing to wait for any more");
        assert_eq!(f.ready(), None);
        assert_eq!(f.hint, Some(Hint::Failed));
        assert!(f.remove(b).is_some());
        assert_eq!(f.ready(), Some(vec!["f_a".to_owned()]));
        let taken = f.take();
        assert_eq!(taken.len(), 1);
        assert!(f.items.is_empty());
        assert_eq!(
            f.sent(&["f_a".into(), "f_x".into()]),
            [file("f_a", "image/png")]
        );
    }

    #[test]
    fn failures_say_why_and_only_the_retryable_ones_retry() {
        let r = Some(rules(7));
        assert_eq!(Why::of_refusal(413, "file_too_large", r), Why::TooLarge(7));
        assert_eq!(
            Why::of_refusal(415, "file_type_not_allowed", r),
            Why::NotAllowed
        );
        assert_eq!(Why::of_refusal(400, "too_many_files", r), Why::TooMany);
        assert_eq!(Why::of_refusal(0, "network", r), Why::Failed);
        assert_eq!(Why::of_refusal(500, "internal", None), Why::Failed);

        let mut f = Files::default();
        let a = f.pick("a".into(), 1, None).unwrap();
        f.no_rules();
        assert_eq!(f.items[0].upload, Upload::Failed(Why::Failed));
        assert!(f.retry(a));
        f.rules = Some(rules(7));
        assert_eq!(f.start_uploads(), [a]);
        f.finished(a, Err(Why::NotAllowed));
        assert!(!f.retry(a));
        f.finished(99, Ok(file("f_z", "x/y")));
        assert_eq!(f.items[0].upload, Upload::Failed(Why::NotAllowed));
        // An upload that ends after its file was removed changes nothing.
        f.remove(a);
        f.finished(a, Ok(file("f_a", "x/y")));
        assert!(f.items.is_empty());
    }

    #[test]
    fn the_tray_holds_as_many_files_as_a_message_carries() {
        let mut f = Files::default();
        for i in 0..MAX_ATTACHMENTS {
            assert!(f.pick(format!("{i}"), 1, None).is_some());
        }
        assert_eq!(f.pick("one more".into(), 1, None), None);
        assert_eq!(f.hint, Some(Hint::Full));
        assert_eq!(f.items.len(), MAX_ATTACHMENTS);
    }
}
