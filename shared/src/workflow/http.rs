//! Which URLs an HTTP request step may call.
//!
//! A workflow author could otherwise point a request at the platform's own network (metadata
//! services, loopback admin ports). Production allows `https` to public hosts only. Host names
//! are read the way `fetch` (the WHATWG URL parser) reads them, so `https://2130706433/` and
//! `https://0x7f.1/` are the loopback address they are, not names. Names that resolve to
//! private addresses cannot be caught here (no DNS in the core); Workers' `fetch` does not
//! reach private networks, and the DO must not follow redirects (see [`HttpRequest`]).

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

use super::error::WorkflowError;
use super::model::HttpMethod;
use crate::basic::Millis;

/// Largest response body the engine reads; the DO truncates longer ones and the mapping of a
/// truncated JSON fails (the error path runs).
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024;
/// Longest timeout a step may set.
pub const MAX_HTTP_TIMEOUT: Millis = 30_000;

/// A request for the DO to send with `redirect: "manual"` (a redirect counts as the
/// response), then resume the run with the response or the failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpRequest {
    pub method: HttpMethod,
    pub url: String,
    pub headers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub timeout_ms: Millis,
}

fn refuse(why: impl Into<String>) -> WorkflowError {
    WorkflowError::UrlRefused(why.into())
}

/// Whether the rendered URL may be requested. `allow_private` (local development only) also
/// allows `http` and private, loopback and link-local hosts.
pub fn check_url(url: &str, allow_private: bool) -> Result<(), WorkflowError> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(refuse("the URL contains spaces or control characters"));
    }
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| refuse("the URL must start with https://"))?;
    match scheme.to_ascii_lowercase().as_str() {
        "https" => {}
        "http" if allow_private => {}
        _ => return Err(refuse("only https:// URLs may be requested")),
    }
    // The WHATWG parser treats `\` as `/` in http(s) URLs.
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let authority = &rest[..end];
    if authority.contains('@') {
        return Err(refuse("credentials in the URL are not allowed"));
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (inside, after) = v6
            .split_once(']')
            .ok_or_else(|| refuse("unclosed [ in the host"))?;
        let ip: Ipv6Addr = inside
            .parse()
            .map_err(|_| refuse("the host is not an IPv6 address"))?;
        if !allow_private && is_private_v6(ip) {
            return Err(refuse(
                "private, loopback and link-local addresses are not allowed",
            ));
        }
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or_else(|| refuse("bad port"))?),
        };
        (None, port)
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(authority), None),
        }
    };
    if let Some(port) = port {
        let ok = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p));
        if !ok {
            return Err(refuse("bad port"));
        }
    }
    let Some(host) = host else { return Ok(()) };
    let host = host.to_ascii_lowercase();
    let host = host.strip_suffix('.').unwrap_or(&host);
    if host.is_empty() {
        return Err(refuse("the URL has no host"));
    }
    if !host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Err(refuse(
            "the host may only hold letters, digits, '-' and '.' (use punycode for IDNs)",
        ));
    }
    if ends_in_number(host) {
        let ip = whatwg_ipv4(host).ok_or_else(|| refuse("the host is not a valid IPv4 address"))?;
        if !allow_private && is_private_v4(ip) {
            return Err(refuse(
                "private, loopback and link-local addresses are not allowed",
            ));
        }
        return Ok(());
    }
    if !allow_private {
        let last = host.rsplit('.').next().unwrap_or(host);
        if host == "localhost"
            || matches!(last, "localhost" | "local" | "internal")
            || host.ends_with(".home.arpa")
        {
            return Err(refuse("local host names are not allowed"));
        }
    }
    Ok(())
}

/// The WHATWG URL rule: a host whose last label is a number is an IPv4 address.
fn ends_in_number(host: &str) -> bool {
    let last = host.rsplit('.').next().unwrap_or(host);
    if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    last.strip_prefix("0x")
        .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// IPv4 as `fetch` reads it: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x), the
/// last filling the remaining bytes.
fn whatwg_ipv4(host: &str) -> Option<Ipv4Addr> {
    let parts: Vec<&str> = host.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut numbers = Vec::with_capacity(parts.len());
    for part in &parts {
        let n = if let Some(hex) = part.strip_prefix("0x") {
            if hex.is_empty() {
                0
            } else {
                u64::from_str_radix(hex, 16).ok()?
            }
        } else if part.len() > 1 && part.starts_with('0') {
            u64::from_str_radix(&part[1..], 8).ok()?
        } else {
            part.parse::<u64>().ok()?
        };
        numbers.push(n);
    }
    let (last, init) = numbers.split_last()?;
    if init.iter().any(|&n| n > 255) {
        return None;
    }
    let last_bytes = 4 - init.len() as u32;
    if *last >= 1u64 << (8 * last_bytes) {
        return None;
    }
    let mut value = *last;
    for (i, &n) in init.iter().enumerate() {
        value += n << (8 * (3 - i as u32));
    }
    Some(Ipv4Addr::from(u32::try_from(value).ok()?))
}

fn is_private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    a == 0
        || a == 10
        || a == 127
        || (a == 100 && (64..128).contains(&b))
        || (a == 169 && b == 254)
        || (a == 172 && (16..32).contains(&b))
        || (a == 192 && b == 0 && (c == 0 || c == 2))
        || (a == 192 && b == 168)
        || (a == 198 && (b == 18 || b == 19))
        || (a == 198 && b == 51 && c == 100)
        || (a == 203 && b == 0 && c == 113)
        || a >= 224
}

fn is_private_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_private_v4(v4);
    }
    let embedded = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    // 64:ff9b::/96 (NAT64) and 2002::/16 (6to4) carry an IPv4 address.
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_private_v4(embedded(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        return is_private_v4(embedded(s[1], s[2]));
    }
    s[..6] == [0; 6] // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
        || (s[0] & 0xfe00) == 0xfc00 // unique local
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xffc0) == 0xfec0 // site-local
        || (s[0] & 0xff00) == 0xff00 // multicast
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] == 0x0100 && s[1..4] == [0, 0, 0]) // discard
}
