//! Files in conversations: what a file is (sniffed from its first bytes, never from its name or
//! the content type a client claims), which kinds a workspace accepts and how large, and names
//! safe to show and to put in a `Content-Disposition` header.
//!
//! The edge reads the first [`SNIFF_BYTES`] of an upload (or the whole file, if smaller), asks
//! [`sniff`] what it is, checks it against the workspace's [`FileRules`], and only then streams
//! it into storage. What a download may show inline is decided here too ([`FileKind::inline`]):
//! raster images the browser decodes as pictures, nothing else — never SVG or HTML.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::basic::Millis;
use crate::error::Error;
use crate::ids::{is_valid, is_valid_workspace, IdKind};

/// How much of an upload's start the edge keeps to sniff it: enough for a zip's first entries
/// (to tell an office document from a plain zip) and a JPEG's header before its frame (EXIF
/// thumbnails sit in front of it).
pub const SNIFF_BYTES: usize = 64 * 1024;
/// How long a signed download link works (ms): long enough to open it, short enough that a
/// link copied out of a page soon stops working.
pub const DOWNLOAD_LINK_MILLIS: i64 = 5 * 60 * 1000;
/// Most attachments one message carries (a protocol limit, like the text length).
pub const MAX_ATTACHMENTS: usize = 10;
/// The default largest file: 10 MB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// The largest file a workspace may allow: a Worker's request body stops at 100 MB.
pub const MAX_FILE_BYTES_CAP: u64 = 95 * 1024 * 1024;
/// Longest file name kept, in characters (the extension is kept when a name is cut).
pub const MAX_NAME_CHARS: usize = 120;
/// An upload no message referenced within this long is deleted (ms).
pub const ORPHAN_AFTER_MILLIS: i64 = 60 * 60 * 1000;
/// Uploads a conversation may hold that no message references yet: a client cannot fill the
/// bucket by uploading without sending.
pub const MAX_PENDING_FILES: usize = 30;

/// One file sent with a message, as every client sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// `f_<32 hex>`: the upload's id.
    pub id: String,
    /// Sanitised for display ([`display_name`]).
    pub name: String,
    /// Bytes.
    pub size: u64,
    /// Sniffed from the bytes ([`FileKind::content_type`]).
    pub content_type: String,
    /// Pixels, for images whose header says it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
}

impl Attachment {
    /// A raster image a client may show as a thumbnail (and the edge serves inline).
    pub fn is_inline_image(&self) -> bool {
        matches!(
            self.content_type.as_str(),
            "image/png" | "image/jpeg" | "image/gif" | "image/webp"
        )
    }
}

/// What the bytes of a file are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Png,
    Jpeg,
    Gif,
    Webp,
    Bmp,
    /// HEIC/HEIF (iPhone photos): an image, but browsers do not draw it: a download.
    Heic,
    /// An image that can carry script: never shown inline.
    Svg,
    Pdf,
    Docx,
    Xlsx,
    Pptx,
    /// OpenDocument text, spreadsheet or presentation (a zip whose first entry says so).
    Odt,
    Ods,
    Odp,
    /// Legacy Office (.doc, .xls, .ppt): an OLE compound file.
    OfficeLegacy,
    Zip,
    Gzip,
    SevenZip,
    Rar,
    /// Valid UTF-8 without NUL bytes.
    Text,
    /// Text that a browser would run as a page: stored and downloaded, never shown.
    Html,
    Xml,
    Mp4,
    Webm,
    Mp3,
    Ogg,
    Wav,
    /// Programs (PE, ELF, Mach-O): never accepted.
    Executable,
    /// Anything else: never accepted.
    Unknown,
}

/// The groups an owner allows or refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileGroup {
    Image,
    Pdf,
    Office,
    Text,
    Archive,
    /// Audio and video.
    Media,
}

impl FileKind {
    /// The group this kind is allowed by; `None`: never accepted.
    pub fn group(self) -> Option<FileGroup> {
        use FileKind::*;
        Some(match self {
            Png | Jpeg | Gif | Webp | Bmp | Heic | Svg => FileGroup::Image,
            Pdf => FileGroup::Pdf,
            Docx | Xlsx | Pptx | Odt | Ods | Odp | OfficeLegacy => FileGroup::Office,
            Text | Html | Xml => FileGroup::Text,
            Zip | Gzip | SevenZip | Rar => FileGroup::Archive,
            Mp4 | Webm | Mp3 | Ogg | Wav => FileGroup::Media,
            Executable | Unknown => return None,
        })
    }

    /// Raster images browsers decode as pictures only: the one kind served inline. SVG and
    /// HTML never are (they can run script).
    pub fn inline(self) -> bool {
        matches!(
            self,
            FileKind::Png | FileKind::Jpeg | FileKind::Gif | FileKind::Webp
        )
    }

    /// The media type stored with the file. Legacy Office files are told apart by the name's
    /// extension (the bytes say only "OLE container"); nothing else reads the name.
    pub fn content_type(self, name: &str) -> &'static str {
        use FileKind::*;
        match self {
            Png => "image/png",
            Jpeg => "image/jpeg",
            Gif => "image/gif",
            Webp => "image/webp",
            Bmp => "image/bmp",
            Heic => "image/heic",
            Svg => "image/svg+xml",
            Pdf => "application/pdf",
            Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            Odt => "application/vnd.oasis.opendocument.text",
            Ods => "application/vnd.oasis.opendocument.spreadsheet",
            Odp => "application/vnd.oasis.opendocument.presentation",
            OfficeLegacy => match extension(name).as_deref() {
                Some("xls") => "application/vnd.ms-excel",
                Some("ppt") | Some("pps") => "application/vnd.ms-powerpoint",
                Some("doc") | Some("dot") => "application/msword",
                _ => "application/x-ole-storage",
            },
            Zip => "application/zip",
            Gzip => "application/gzip",
            SevenZip => "application/x-7z-compressed",
            Rar => "application/vnd.rar",
            Text => "text/plain",
            Html => "text/html",
            Xml => "application/xml",
            Mp4 => "video/mp4",
            Webm => "video/webm",
            Mp3 => "audio/mpeg",
            Ogg => "audio/ogg",
            Wav => "audio/wav",
            Executable | Unknown => "application/octet-stream",
        }
    }
}

/// What a download answers for a stored type: the type itself for what is safe to name
/// (inline images, documents a browser hands to an application), `application/octet-stream`
/// for anything that could be a page or a script to a browser (HTML, SVG, XML).
pub fn served_content_type(content_type: &str) -> &str {
    match content_type {
        "text/html" | "image/svg+xml" | "application/xml" | "text/xml" => {
            "application/octet-stream"
        }
        "text/plain" => "text/plain; charset=utf-8",
        t => t,
    }
}

/// Whether a stored type is shown inline by the download route (see [`FileKind::inline`]).
pub fn served_inline(content_type: &str) -> bool {
    matches!(
        content_type,
        "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    )
}

/// What [`sniff`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    pub kind: FileKind,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// What the file starting with `head` is. `complete`: `head` is the whole file (a text file cut
/// in the middle of a character is still text when it is not).
pub fn sniff(head: &[u8], complete: bool) -> Sniffed {
    let kind = kind_of(head, complete);
    let (width, height) = match dimensions(kind, head) {
        Some((w, h)) if w > 0 && h > 0 => (Some(w), Some(h)),
        _ => (None, None),
    };
    Sniffed {
        kind,
        width,
        height,
    }
}

fn kind_of(b: &[u8], complete: bool) -> FileKind {
    use FileKind::*;
    let starts = |sig: &[u8]| b.starts_with(sig);
    if starts(b"\x89PNG\r\n\x1a\n") {
        return Png;
    }
    if starts(&[0xFF, 0xD8, 0xFF]) {
        return Jpeg;
    }
    if starts(b"GIF87a") || starts(b"GIF89a") {
        return Gif;
    }
    if b.len() >= 12 && &b[..4] == b"RIFF" {
        match &b[8..12] {
            b"WEBP" => return Webp,
            b"WAVE" => return Wav,
            _ => {}
        }
    }
    if starts(b"BM")
        && b.len() >= 26
        && u32_le(b, 14).is_some_and(|h| [12, 40, 108, 124].contains(&h))
    {
        return Bmp;
    }
    if b.len() >= 12 && &b[4..8] == b"ftyp" {
        return match &b[8..12] {
            b"heic" | b"heix" | b"hevc" | b"heim" | b"heis" | b"mif1" | b"msf1" | b"avif" => Heic,
            _ => Mp4,
        };
    }
    if starts(b"%PDF-") {
        return Pdf;
    }
    if starts(b"PK\x03\x04") {
        return zip_kind(b);
    }
    if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return OfficeLegacy;
    }
    if starts(&[0x1F, 0x8B]) {
        return Gzip;
    }
    if starts(b"7z\xBC\xAF\x27\x1C") {
        return SevenZip;
    }
    if starts(b"Rar!\x1A\x07") {
        return Rar;
    }
    if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return Webm;
    }
    if starts(b"OggS") {
        return Ogg;
    }
    if starts(b"ID3") || (b.len() >= 2 && b[0] == 0xFF && b[1] & 0xE0 == 0xE0 && b[1] & 0x06 != 0) {
        return Mp3;
    }
    if starts(b"MZ")
        || starts(b"\x7FELF")
        || starts(&[0xCF, 0xFA, 0xED, 0xFE])
        || starts(&[0xCE, 0xFA, 0xED, 0xFE])
        || starts(&[0xCA, 0xFE, 0xBA, 0xBE])
    {
        return Executable;
    }
    if is_text(b, complete) {
        return text_kind(b);
    }
    Unknown
}

/// Valid UTF-8 and no NUL byte; when the head is only the start of the file, a character cut
/// at its end is fine.
fn is_text(b: &[u8], complete: bool) -> bool {
    if b.is_empty() || b.contains(&0) {
        return false;
    }
    match std::str::from_utf8(b) {
        Ok(_) => true,
        // `error_len() == None`: the input ended inside a character.
        Err(e) => !complete && e.error_len().is_none() && b.len() - e.valid_up_to() < 4,
    }
}

/// Text a browser would take for a page or an SVG image (WHATWG MIME sniffing's HTML
/// patterns, case-insensitive, after whitespace and a BOM), or XML.
fn text_kind(b: &[u8]) -> FileKind {
    let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    let start = b
        .iter()
        .position(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C'))
        .unwrap_or(b.len());
    let t = &b[start..];
    let lower: Vec<u8> = t.iter().take(1024).map(u8::to_ascii_lowercase).collect();
    const HTML: [&[u8]; 17] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<script",
        b"<iframe",
        b"<h1",
        b"<div",
        b"<font",
        b"<table",
        b"<a",
        b"<style",
        b"<title",
        b"<b",
        b"<body",
        b"<br",
        b"<p",
        b"<!--",
    ];
    for tag in HTML {
        if let Some(rest) = lower.strip_prefix(tag) {
            // The tag must end there (`<a ` or `<a>`, not `<abbr`); a doctype or comment
            // needs nothing after it.
            if tag.starts_with(b"<!") || matches!(rest.first(), Some(b' ' | b'>')) {
                return FileKind::Html;
            }
        }
    }
    let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    if lower.starts_with(b"<svg") || (lower.starts_with(b"<") && has(b"<svg")) {
        return FileKind::Svg;
    }
    if lower.starts_with(b"<?xml") {
        return FileKind::Xml;
    }
    FileKind::Text
}

/// A zip is an office document when its entries say so: OOXML has `[Content_Types].xml` and a
/// `word/`, `xl/` or `ppt/` part; OpenDocument starts with a `mimetype` entry naming its type.
fn zip_kind(b: &[u8]) -> FileKind {
    let mut names = Vec::new();
    let mut at = 0;
    // Walk the local file headers in the head (sizes may be deferred to a data descriptor;
    // then the walk stops and what was seen decides).
    while at + 30 <= b.len() && b[at..].starts_with(b"PK\x03\x04") && names.len() < 64 {
        let flags = u16_le(b, at + 6).unwrap_or(0);
        let compressed = u32_le(b, at + 18).unwrap_or(0) as usize;
        let name_len = u16_le(b, at + 26).unwrap_or(0) as usize;
        let extra_len = u16_le(b, at + 28).unwrap_or(0) as usize;
        let name_end = at + 30 + name_len;
        let Some(name) = b.get(at + 30..name_end) else {
            break;
        };
        if names.is_empty() && name == b"mimetype" {
            let data = b.get(name_end + extra_len..name_end + extra_len + compressed);
            match data {
                Some(b"application/vnd.oasis.opendocument.text") => return FileKind::Odt,
                Some(b"application/vnd.oasis.opendocument.spreadsheet") => return FileKind::Ods,
                Some(b"application/vnd.oasis.opendocument.presentation") => return FileKind::Odp,
                _ => {}
            }
        }
        names.push(name);
        if flags & 0x08 != 0 {
            break;
        }
        at = name_end + extra_len + compressed;
    }
    let any = |prefix: &[u8]| names.iter().any(|n| n.starts_with(prefix));
    if any(b"[Content_Types].xml") || any(b"_rels/") || any(b"docProps/") {
        if any(b"word/") {
            return FileKind::Docx;
        }
        if any(b"xl/") {
            return FileKind::Xlsx;
        }
        if any(b"ppt/") {
            return FileKind::Pptx;
        }
    }
    FileKind::Zip
}

fn u16_le(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_le(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u16_be(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_be(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u24_le(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 3)?;
    Some(u32::from(s[0]) | u32::from(s[1]) << 8 | u32::from(s[2]) << 16)
}

/// Width and height from an image's header, where that is cheap.
fn dimensions(kind: FileKind, b: &[u8]) -> Option<(u32, u32)> {
    match kind {
        // IHDR is the first chunk.
        FileKind::Png if b.get(12..16) == Some(b"IHDR") => Some((u32_be(b, 16)?, u32_be(b, 20)?)),
        FileKind::Gif => Some((u32::from(u16_le(b, 6)?), u32::from(u16_le(b, 8)?))),
        FileKind::Bmp => {
            let w = u32_le(b, 18)? as i32;
            let h = u32_le(b, 22)? as i32;
            Some((w.unsigned_abs(), h.unsigned_abs()))
        }
        FileKind::Webp => match b.get(12..16)? {
            b"VP8 " if b.get(23..26) == Some(&[0x9D, 0x01, 0x2A]) => Some((
                u32::from(u16_le(b, 26)? & 0x3FFF),
                u32::from(u16_le(b, 28)? & 0x3FFF),
            )),
            b"VP8L" if b.get(20) == Some(&0x2F) => {
                let bits = u32_le(b, 21)?;
                Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
            }
            b"VP8X" => Some((u24_le(b, 24)? + 1, u24_le(b, 27)? + 1)),
            _ => None,
        },
        FileKind::Jpeg => jpeg_dimensions(b),
        _ => None,
    }
}

/// Walk the JPEG segments to the first start-of-frame marker.
fn jpeg_dimensions(b: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    loop {
        // Markers may be padded with extra 0xFF bytes.
        while b.get(at) == Some(&0xFF) && b.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        if *b.get(at)? != 0xFF {
            return None;
        }
        let marker = *b.get(at + 1)?;
        if matches!(marker, 0xD0..=0xD9 | 0x01) {
            at += 2;
            continue;
        }
        let len = usize::from(u16_be(b, at + 2)?);
        let sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if sof {
            let h = u32::from(u16_be(b, at + 5)?);
            let w = u32::from(u16_be(b, at + 7)?);
            return Some((w, h));
        }
        if len < 2 {
            return None;
        }
        at += 2 + len;
    }
}

/// What a workspace accepts: a size limit and the groups of kinds it allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRules {
    /// Largest file, in bytes (at most [`MAX_FILE_BYTES_CAP`]).
    #[serde(default = "default_max_bytes")]
    pub max_bytes: u64,
    #[serde(default = "default_allowed")]
    pub allowed: Vec<FileGroup>,
}

fn default_max_bytes() -> u64 {
    DEFAULT_MAX_FILE_BYTES
}

fn default_allowed() -> Vec<FileGroup> {
    vec![
        FileGroup::Image,
        FileGroup::Pdf,
        FileGroup::Office,
        FileGroup::Text,
        FileGroup::Archive,
    ]
}

impl Default for FileRules {
    fn default() -> Self {
        FileRules {
            max_bytes: default_max_bytes(),
            allowed: default_allowed(),
        }
    }
}

impl FileRules {
    /// Whether an owner may save these rules.
    pub fn validate(&self) -> Result<(), Error> {
        if self.max_bytes == 0 || self.max_bytes > MAX_FILE_BYTES_CAP {
            return Err(Error::BadRequest(format!(
                "max_bytes must be 1-{MAX_FILE_BYTES_CAP}"
            )));
        }
        Ok(())
    }

    /// A file of `size` bytes (an empty file is no attachment).
    pub fn check_size(&self, size: u64) -> Result<(), Error> {
        if size == 0 {
            return Err(Error::BadRequest("the file is empty".into()));
        }
        if size > self.max_bytes {
            return Err(Error::FileTooLarge {
                size,
                limit: self.max_bytes,
            });
        }
        Ok(())
    }

    /// A file of this kind.
    pub fn check_kind(&self, kind: FileKind, name: &str) -> Result<(), Error> {
        match kind.group() {
            Some(group) if self.allowed.contains(&group) => Ok(()),
            _ => Err(Error::FileTypeNotAllowed(
                kind.content_type(name).to_owned(),
            )),
        }
    }
}

/// The name of the file (a client sends what its file picker said), fit to show and to store:
/// path parts, control and bidirectional-override characters, quotes and characters file
/// systems refuse are gone, whitespace is one space, at most [`MAX_NAME_CHARS`] characters
/// keeping the extension; `file` when nothing is left.
pub fn display_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let mut out = String::with_capacity(base.len());
    let mut space = false;
    for c in base.chars() {
        let dropped = c.is_control()
            || matches!(
                c,
                '"' | '\'' | '`' | '<' | '>' | ':' | '*' | '?' | '|' | ';'
                    | '\u{200B}'..='\u{200F}'
                    | '\u{202A}'..='\u{202E}'
                    | '\u{2066}'..='\u{2069}'
                    | '\u{FEFF}'
            );
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if dropped {
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    let trimmed = out.trim_matches(|c: char| c == '.' || c == ' ');
    let name = if trimmed.is_empty() { "file" } else { trimmed };
    if name.chars().count() <= MAX_NAME_CHARS {
        return name.to_owned();
    }
    let ext = match name.rsplit_once('.') {
        Some((_, e)) if !e.is_empty() && e.chars().count() <= 10 => Some(e),
        _ => None,
    };
    match ext {
        Some(e) => {
            let keep = MAX_NAME_CHARS - e.chars().count() - 1;
            let stem: String = name.chars().take(keep).collect();
            format!("{}.{e}", stem.trim_end())
        }
        None => name.chars().take(MAX_NAME_CHARS).collect(),
    }
}

/// The lowercase extension of a name, if it has one.
fn extension(name: &str) -> Option<String> {
    let (_, e) = name.rsplit_once('.')?;
    (!e.is_empty() && e.len() <= 10).then(|| e.to_ascii_lowercase())
}

/// `Content-Disposition` for a download of `name` (already [`display_name`]d; sanitised again
/// here, so any string is safe): an ASCII `filename` for old clients and the exact name as
/// RFC 5987 `filename*`.
pub fn content_disposition(inline: bool, name: &str) -> String {
    let name = display_name(name);
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii() && c != '\\' && c != '%' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    let kind = if inline { "inline" } else { "attachment" };
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// What a signed download link names: one file of one conversation, until `expires_at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadLink {
    pub workspace_id: String,
    pub conversation_id: String,
    pub file_id: String,
    pub expires_at: Millis,
}

/// Domain separation: a link's signature is never a valid token signature or the reverse.
const LINK_CONTEXT: &[u8] = b"charla-file-link-v1\n";

fn link_mac(secret: &[u8], link: &DownloadLink) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(LINK_CONTEXT);
    mac.update(
        format!(
            "{}\n{}\n{}\n{}",
            link.workspace_id, link.conversation_id, link.file_id, link.expires_at
        )
        .as_bytes(),
    );
    mac
}

impl DownloadLink {
    /// The link's path and query: `/v1/files/{workspace}/{conversation}/{file}?exp=…&sig=…`.
    /// It carries no session token: the signature is the permission, for this file only.
    pub fn path(&self, secret: &[u8]) -> String {
        let sig = URL_SAFE_NO_PAD.encode(link_mac(secret, self).finalize().into_bytes());
        format!(
            "/v1/files/{}/{}/{}?exp={}&sig={sig}",
            self.workspace_id, self.conversation_id, self.file_id, self.expires_at
        )
    }

    /// The link a request names, if its ids have their shapes, it has not expired (nor
    /// expires further ahead than a link is made for) and its signature (checked in constant
    /// time) is ours. Every failure is the same `None`.
    pub fn verify(
        workspace_id: &str,
        conversation_id: &str,
        file_id: &str,
        exp: &str,
        sig: &str,
        secret: &[u8],
        now: Millis,
    ) -> Option<DownloadLink> {
        if !is_valid_workspace(workspace_id)
            || !is_valid(IdKind::Conversation, conversation_id)
            || !is_valid(IdKind::File, file_id)
        {
            return None;
        }
        let expires_at: Millis = exp.parse().ok()?;
        if expires_at <= now || expires_at > now + DOWNLOAD_LINK_MILLIS + 60_000 {
            return None;
        }
        let link = DownloadLink {
            workspace_id: workspace_id.to_owned(),
            conversation_id: conversation_id.to_owned(),
            file_id: file_id.to_owned(),
            expires_at,
        };
        let sig = URL_SAFE_NO_PAD.decode(sig).ok()?;
        link_mac(secret, &link).verify_slice(&sig).ok()?;
        Some(link)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend(w.to_be_bytes());
        b.extend(h.to_be_bytes());
        b.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
        b
    }

    fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = Vec::new();
        for (name, data) in entries {
            b.extend(b"PK\x03\x04");
            b.extend([20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            b.extend((data.len() as u32).to_le_bytes());
            b.extend((data.len() as u32).to_le_bytes());
            b.extend((name.len() as u16).to_le_bytes());
            b.extend(0u16.to_le_bytes());
            b.extend(name.as_bytes());
            b.extend(*data);
        }
        b.extend(b"PK\x01\x02");
        b
    }

    fn check(bytes: &[u8], kind: FileKind, dims: Option<(u32, u32)>) {
        let s = sniff(bytes, true);
        assert_eq!(s.kind, kind, "{:?}", &bytes[..bytes.len().min(16)]);
        assert_eq!(s.width.zip(s.height), dims, "{kind:?}");
    }

    #[test]
    fn sniffs_images_and_their_size() {
        check(&png(640, 480), FileKind::Png, Some((640, 480)));
        check(
            b"GIF89a\x20\x03\x58\x02\0\0",
            FileKind::Gif,
            Some((800, 600)),
        );
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, // APP0, 2 bytes of data
            0xFF, 0xC0, 0, 11, 8, 0x01, 0xE0, 0x02, 0x80, 3, 0, 0, 0, 0,
        ];
        check(&jpeg, FileKind::Jpeg, Some((640, 480)));
        check(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 4], FileKind::Jpeg, None);
        let mut vp8x = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
        vp8x.extend([0x7F, 0x02, 0, 0xDF, 0x01, 0]);
        check(&vp8x, FileKind::Webp, Some((640, 480)));
        let mut vp8l = b"RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2F".to_vec();
        let bits: u32 = 639 | (479 << 14);
        vp8l.extend(bits.to_le_bytes());
        check(&vp8l, FileKind::Webp, Some((640, 480)));
        let mut bmp = b"BM\0\0\0\0\0\0\0\0\0\0\0\0\x28\0\0\0".to_vec();
        bmp.extend(10u32.to_le_bytes());
        bmp.extend((-20i32).to_le_bytes());
        check(&bmp, FileKind::Bmp, Some((10, 20)));
        check(b"\0\0\0\x18ftypheic\0\0\0\0", FileKind::Heic, None);
        check(b"\0\0\0\x18ftypisom\0\0\0\0", FileKind::Mp4, None);
    }

    #[test]
    fn sniffs_documents_and_archives() {
        check(b"%PDF-1.7\n%\xE2\xE3", FileKind::Pdf, None);
        let docx = zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("_rels/.rels", b"<x/>"),
            ("word/document.xml", b"<w/>"),
        ]);
        check(&docx, FileKind::Docx, None);
        let xlsx = zip(&[
            ("[Content_Types].xml", b"<T/>"),
            ("xl/workbook.xml", b"<w/>"),
        ]);
        check(&xlsx, FileKind::Xlsx, None);
        let pptx = zip(&[
            ("[Content_Types].xml", b"<T/>"),
            ("ppt/slide1.xml", b"<s/>"),
        ]);
        check(&pptx, FileKind::Pptx, None);
        let odt = zip(&[("mimetype", b"application/vnd.oasis.opendocument.text")]);
        check(&odt, FileKind::Odt, None);
        check(&zip(&[("a.txt", b"hi")]), FileKind::Zip, None);
        // A zip named "word/…" without the OOXML parts is a zip.
        check(&zip(&[("word/x.txt", b"hi")]), FileKind::Zip, None);
        check(
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0],
            FileKind::OfficeLegacy,
            None,
        );
        check(&[0x1F, 0x8B, 8, 0], FileKind::Gzip, None);
        check(b"7z\xBC\xAF\x27\x1C\0\x04", FileKind::SevenZip, None);
        check(b"Rar!\x1A\x07\x01\0", FileKind::Rar, None);
        check(b"MZ\x90\0\x03", FileKind::Executable, None);
        check(b"\x7FELF\x02\x01", FileKind::Executable, None);
        check(b"\0\x01\x02\x03binary", FileKind::Unknown, None);
    }

    #[test]
    fn sniffs_text_html_and_svg() {
        check("hola, ¿qué tal?\n".as_bytes(), FileKind::Text, None);
        check(b"a,b\n1,2\n", FileKind::Text, None);
        check(b"\xEF\xBB\xBFplain", FileKind::Text, None);
        check(b"text with a \0 NUL", FileKind::Unknown, None);
        check(b"bad \xC3\x28 utf8", FileKind::Unknown, None);
        // A character cut at the end of the head is text unless the head is the whole file.
        let cut = "año".as_bytes();
        let cut = &cut[..2];
        assert_eq!(sniff(cut, false).kind, FileKind::Text);
        assert_eq!(sniff(cut, true).kind, FileKind::Unknown);
        for html in [
            "<!DOCTYPE html><script>alert(1)</script>",
            "  \n<HTML><body>",
            "<script>alert(1)</script>",
            "<p>hi</p>",
            "<a href=x>y</a>",
            "<!-- x --><div>",
            "\u{FEFF}<body >",
        ] {
            check(html.as_bytes(), FileKind::Html, None);
        }
        check(b"<abbr>x</abbr>", FileKind::Text, None);
        for svg in [
            "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE svg><svg onload='x()'/>",
            "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\"><svg/>",
        ] {
            check(svg.as_bytes(), FileKind::Svg, None);
        }
        check(b"<?xml version=\"1.0\"?><note/>", FileKind::Xml, None);
        assert!(!FileKind::Svg.inline());
        assert!(!FileKind::Html.inline());
        assert!(FileKind::Png.inline());
    }

    #[test]
    fn rules_allow_groups_and_sizes() {
        let rules = FileRules::default();
        for kind in [
            FileKind::Png,
            FileKind::Svg,
            FileKind::Pdf,
            FileKind::Docx,
            FileKind::OfficeLegacy,
            FileKind::Text,
            FileKind::Html,
            FileKind::Zip,
        ] {
            assert_eq!(rules.check_kind(kind, "x"), Ok(()), "{kind:?}");
        }
        for kind in [FileKind::Mp4, FileKind::Executable, FileKind::Unknown] {
            let err = rules.check_kind(kind, "x").unwrap_err();
            assert_eq!(err.code(), crate::ErrorCode::FileTypeNotAllowed, "{kind:?}");
        }
        let only_images = FileRules {
            allowed: vec![FileGroup::Image],
            ..FileRules::default()
        };
        assert!(only_images.check_kind(FileKind::Pdf, "a.pdf").is_err());
        assert_eq!(rules.check_size(DEFAULT_MAX_FILE_BYTES), Ok(()));
        assert_eq!(
            rules
                .check_size(DEFAULT_MAX_FILE_BYTES + 1)
                .unwrap_err()
                .code(),
            crate::ErrorCode::FileTooLarge
        );
        assert!(rules.check_size(0).is_err());
        assert!(FileRules {
            max_bytes: MAX_FILE_BYTES_CAP + 1,
            ..FileRules::default()
        }
        .validate()
        .is_err());
        // Missing fields read as the defaults.
        let parsed: FileRules = serde_json::from_str("{}").unwrap();
        assert_eq!(parsed, FileRules::default());
    }

    #[test]
    fn legacy_office_types_come_from_the_extension() {
        let t = |name| FileKind::OfficeLegacy.content_type(name);
        assert_eq!(t("a.DOC"), "application/msword");
        assert_eq!(t("b.xls"), "application/vnd.ms-excel");
        assert_eq!(t("c.ppt"), "application/vnd.ms-powerpoint");
        assert_eq!(t("d.msg"), "application/x-ole-storage");
        assert_eq!(served_content_type("text/html"), "application/octet-stream");
        assert_eq!(
            served_content_type("image/svg+xml"),
            "application/octet-stream"
        );
        assert_eq!(served_content_type("application/pdf"), "application/pdf");
        assert!(served_inline("image/png"));
        assert!(!served_inline("image/svg+xml"));
    }

    #[test]
    fn names_are_sanitised() {
        for (raw, want) in [
            ("photo.png", "photo.png"),
            ("C:\\Users\\ana\\Desktop\\factura.pdf", "factura.pdf"),
            ("../../etc/passwd", "passwd"),
            ("a\"b'c`.txt", "abc.txt"),
            ("line\r\nbreak\t.txt", "line break .txt"),
            ("  spaced   out  .pdf ", "spaced out .pdf"),
            ("evil\u{202E}gnp.exe", "evilgnp.exe"),
            ("x<script>.html", "xscript.html"),
            ("..", "file"),
            ("", "file"),
            ("dir/", "file"),
            ("año ñandú.txt", "año ñandú.txt"),
        ] {
            assert_eq!(display_name(raw), want, "{raw:?}");
        }
        let long = format!("{}.pdf", "a".repeat(300));
        let cut = display_name(&long);
        assert_eq!(cut.chars().count(), MAX_NAME_CHARS);
        assert!(cut.ends_with(".pdf"));
    }

    #[test]
    fn download_links_are_bound_and_expire() {
        let secret = b"0123456789abcdef0123456789abcdef";
        let link = DownloadLink {
            workspace_id: "demo".into(),
            conversation_id: format!("c_{}", "1".repeat(32)),
            file_id: format!("f_{}", "2".repeat(32)),
            expires_at: 1_000 + DOWNLOAD_LINK_MILLIS,
        };
        let path = link.path(secret);
        let (route, query) = path.split_once('?').unwrap();
        let parts: Vec<&str> = route.split('/').collect();
        let exp = query.split('&').next().unwrap().trim_start_matches("exp=");
        let sig = query.split('&').nth(1).unwrap().trim_start_matches("sig=");
        let check = |ws: &str, c: &str, f: &str, exp: &str, sig: &str, secret: &[u8], now| {
            DownloadLink::verify(ws, c, f, exp, sig, secret, now)
        };
        let (ws, c, f) = (parts[3], parts[4], parts[5]);
        assert_eq!(check(ws, c, f, exp, sig, secret, 1_000), Some(link.clone()));
        // Expired, or not ours.
        assert_eq!(check(ws, c, f, exp, sig, secret, link.expires_at), None);
        assert_eq!(
            check(
                ws,
                c,
                f,
                exp,
                sig,
                b"another secret of 32 characters!",
                1_000
            ),
            None
        );
        // Bound to the file, the conversation, the workspace and the expiry.
        let other_file = format!("f_{}", "3".repeat(32));
        assert_eq!(check(ws, c, &other_file, exp, sig, secret, 1_000), None);
        let other_conv = format!("c_{}", "4".repeat(32));
        assert_eq!(check(ws, &other_conv, f, exp, sig, secret, 1_000), None);
        assert_eq!(check("other", c, f, exp, sig, secret, 1_000), None);
        let later = (link.expires_at + 1).to_string();
        assert_eq!(check(ws, c, f, &later, sig, secret, 1_000), None);
        // Forged or mangled signatures, and ids of the wrong shape.
        assert_eq!(check(ws, c, f, exp, "AAAA", secret, 1_000), None);
        assert_eq!(check(ws, c, f, exp, "", secret, 1_000), None);
        assert_eq!(check(ws, c, "../x", exp, sig, secret, 1_000), None);
        // A link that claims to last far longer than links are made for.
        let far = DownloadLink {
            expires_at: 1_000 + 10 * DOWNLOAD_LINK_MILLIS,
            ..link.clone()
        };
        let far_path = far.path(secret);
        let far_sig = far_path.rsplit("sig=").next().unwrap();
        let far_exp = far.expires_at.to_string();
        assert_eq!(check(ws, c, f, &far_exp, far_sig, secret, 1_000), None);
    }

    #[test]
    fn content_disposition_has_both_forms() {
        assert_eq!(
            content_disposition(false, "factura 2026.pdf"),
            "attachment; filename=\"factura 2026.pdf\"; filename*=UTF-8''factura%202026.pdf"
        );
        assert_eq!(
            content_disposition(true, "año.png"),
            "inline; filename=\"a_o.png\"; filename*=UTF-8''a%C3%B1o.png"
        );
        // A raw name is sanitised again: no quote, CR or LF reaches the header.
        let h = content_disposition(false, "x\"\r\nSet-Cookie: a=b;.txt");
        assert!(!h.contains('\r') && !h.contains('\n'));
        assert_eq!(h.matches('"').count(), 2, "{h}");
    }
}
