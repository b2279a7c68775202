//! `{{variables}}` in texts: `Hi {{contact.first_name | there}}!`.
//!
//! A variable that is unset renders its fallback (after `|`, bare or in double quotes), or
//! nothing. Values are escaped
//! for where the text goes: percent-encoded into URLs and JSON-escaped into JSON bodies, so a
//! contact who types `"` or `&` cannot change a request's shape, and stripped of line breaks
//! in headers.

use super::snapshot::AgentFacts;
use super::trigger::Trigger;
use super::vars::{self, Scope, Val};
use crate::assignment::AgentInfo;
use crate::contact::Contact;

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
            Some((path, fallback)) => (path, Some(unquote(fallback.trim()))),
            None => (inner, None),
        };
        Some(Piece::Var(Placeholder {
            path: path.trim(),
            fallback,
        }))
    })
}

/// Agents write fallbacks the way other tools taught them (`| "cliente"`): the quotes mark the
/// text, they are not part of it, and inside them spaces at the ends are kept.
fn unquote(fallback: &str) -> &str {
    fallback
        .strip_prefix('"')
        .and_then(|f| f.strip_suffix('"'))
        .unwrap_or(fallback)
}

/// Every placeholder's path, or the first problem: an unclosed `{{`, an empty `{{ }}`, or
/// what `path_ok` refuses.
fn placeholders(
    template: &str,
    mut path_ok: impl FnMut(&str) -> Result<(), String>,
) -> Result<Vec<String>, String> {
    let mut paths = Vec::new();
    for piece in pieces(template) {
        match piece {
            Piece::Text(_) => {}
            Piece::Broken(_) => return Err("a {{ is never closed with }}".into()),
            Piece::Var(p) => {
                if p.path.is_empty() {
                    return Err("an empty {{ }}".into());
                }
                path_ok(p.path)?;
                paths.push(p.path.to_owned());
            }
        }
    }
    Ok(paths)
}

/// Every placeholder, or the first problem (an unclosed `{{`, an unknown variable).
pub(crate) fn check(template: &str, trigger: &Trigger) -> Result<Vec<String>, String> {
    placeholders(template, |path| vars::check_path(path, trigger).map(|_| ()))
}

/// What `{{agent.*}}` may read in a text an agent sends by hand: who they are, not the
/// assignment figures a workflow branches on.
const AGENT_TEXT_AGENT_PROPS: &[&str] = &["id", "name", "first_name"];

/// Checks a text an agent sends by hand (a snippet): it may read only the contact
/// (`contact.*`, custom fields and tags included) and the agent sending it, because that is
/// all the inbox has when it renders it.
pub fn check_agent_text(template: &str) -> Result<(), String> {
    placeholders(template, |path| {
        let allowed = match path.split_once('.') {
            Some(("contact", _)) => true,
            Some(("agent", prop)) => AGENT_TEXT_AGENT_PROPS.contains(&prop),
            _ => false,
        };
        if !allowed {
            return Err(format!(
                "{path:?} is not a variable of the contact or of the agent"
            ));
        }
        vars::check_path(path, &Trigger::Manual).map(|_| ())
    })
    .map(|_| ())
}

/// Renders a text an agent sends by hand (see [`check_agent_text`]) with the same resolvers and
/// fallbacks as workflow messages: `{{agent.*}}` is the agent sending it, the contact is the
/// open conversation's. Only those two are looked up, so the inbox that calls this links
/// none of what the other variables need (business hours would bring the time-zone tables).
pub fn render_agent_text(
    template: &str,
    contact: &Contact,
    agent_id: &str,
    agent_name: &str,
) -> String {
    let agent = AgentFacts {
        info: AgentInfo {
            id: agent_id.to_owned(),
            online: true,
            capacity: None,
            teams: Vec::new(),
        },
        name: agent_name.to_owned(),
        open: 0,
    };
    render_with(
        template,
        |path| match path.split_once('.') {
            Some(("contact", key)) => vars::contact(contact, key),
            Some(("agent", key)) => vars::agent(&agent, key),
            _ => None,
        },
        Escape::Plain,
    )
}

pub(crate) fn render(template: &str, scope: &Scope<'_>, escape: Escape) -> String {
    render_with(template, |path| scope.get(path), escape)
}

/// Every placeholder replaced by what `lookup` finds for its path, else its fallback.
fn render_with<'v>(
    template: &str,
    lookup: impl Fn(&str) -> Option<Val<'v>>,
    escape: Escape,
) -> String {
    let mut out = String::with_capacity(template.len());
    for piece in pieces(template) {
        match piece {
            Piece::Text(text) | Piece::Broken(text) => out.push_str(text),
            Piece::Var(p) => {
                let value = lookup(p.path);
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
