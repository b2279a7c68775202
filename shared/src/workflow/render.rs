//! `{{variables}}` in texts: `Hi {{contact.first_name | there}}!`.
//!
//! A variable that is unset renders its fallback (after `|`), or nothing. Values are escaped
//! for where the text goes: percent-encoded into URLs and JSON-escaped into JSON bodies, so a
//! contact who types `"` or `&` cannot change a request's shape, and stripped of line breaks
//! in headers.

use super::trigger::Trigger;
use super::vars::{self, Scope};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Escape {
    Plain,
    Url,
    Json,
    Header,
}

/// One `{{ … }}` of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Placeholder<'t> {
    pub path: &'t str,
    pub fallback: Option<&'t str>,
}

enum Piece<'t> {
    Text(&'t str),
    Var(Placeholder<'t>),
    /// `{{` with no `}}`: kept as typed.
    Broken(&'t str),
}

fn pieces(template: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = template;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let Some(open) = rest.find("{{") else {
            let text = rest;
            rest = "";
            return Some(Piece::Text(text));
        };
        if open > 0 {
            let text = &rest[..open];
            rest = &rest[open..];
            return Some(Piece::Text(text));
        }
        let Some(close) = rest.find("}}") else {
            let broken = rest;
            rest = "";
            return Some(Piece::Broken(broken));
        };
        let inner = &rest[2..close];
        rest = &rest[close + 2..];
        let (path, fallback) = match inner.split_once('|') {
            Some((path, fallback)) => (path, Some(fallback.trim())),
            None => (inner, None),
        };
        Some(Piece::Var(Placeholder {
            path: path.trim(),
            fallback,
        }))
    })
}

/// Every placeholder, or the first problem (an unclosed `{{`, an unknown variable).
pub(crate) fn check(template: &str, trigger: &Trigger) -> Result<Vec<String>, String> {
    let mut paths = Vec::new();
    for piece in pieces(template) {
        match piece {
            Piece::Text(_) => {}
            Piece::Broken(_) => return Err("a {{ is never closed with }}".into()),
            Piece::Var(p) => {
                if p.path.is_empty() {
                    return Err("an empty {{ }}".into());
                }
                vars::check_path(p.path, trigger)?;
                paths.push(p.path.to_owned());
            }
        }
    }
    Ok(paths)
}

pub(crate) fn render(template: &str, scope: &Scope<'_>, escape: Escape) -> String {
    let mut out = String::with_capacity(template.len());
    for piece in pieces(template) {
        match piece {
            Piece::Text(text) | Piece::Broken(text) => out.push_str(text),
            Piece::Var(p) => {
                let value = scope.get(p.path);
                let text = value.as_ref().map(|v| v.text());
                let text = match (text.as_deref(), p.fallback) {
                    (Some(t), _) if !t.is_empty() => t,
                    (_, Some(fallback)) => fallback,
                    _ => "",
                };
                push_escaped(&mut out, text, escape);
            }
        }
    }
    out
}

fn push_escaped(out: &mut String, text: &str, escape: Escape) {
    match escape {
        Escape::Plain => out.push_str(text),
        Escape::Header => out.extend(text.chars().filter(|c| !c.is_control())),
        Escape::Json => {
            let quoted = serde_json::Value::from(text).to_string();
            out.push_str(&quoted[1..quoted.len() - 1]);
        }
        Escape::Url => {
            for byte in text.bytes() {
                if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
                    out.push(char::from(byte));
                } else {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
        }
    }
}
