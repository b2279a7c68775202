//! What both Durable Objects do with the WebSockets they hold through the hibernation API: the
//! upgrade they answer, and how a socket that closes or fails is let go.

use charla_shared::protocol::SUBPROTOCOL;
use worker::{Request, Response, WebSocket};

use crate::error::{EdgeError, Result};

/// Refuse anything but a WebSocket upgrade.
pub fn require_upgrade(req: &Request) -> Result<()> {
    match req.headers().get("Upgrade")? {
        Some(v) if v.eq_ignore_ascii_case("websocket") => Ok(()),
        _ => Err(EdgeError::BadRequest("expected a WebSocket upgrade".into())),
    }
}

/// The answer to an accepted upgrade: the client's end, speaking our subprotocol.
pub fn upgraded(client: WebSocket) -> Result<Response> {
    let mut resp = Response::from_websocket(client)?;
    resp.headers_mut()
        .set("Sec-WebSocket-Protocol", SUBPROTOCOL)?;
    Ok(resp)
}

/// The other end closed: complete the closing handshake with its code (1005/1006 are
/// reserved and cannot be sent back, so those are answered with 1000).
pub fn closed(ws: &WebSocket, code: usize) {
    let code = if code == 1005 || code == 1006 {
        1000
    } else {
        code as u16
    };
    let _ = ws.close(Some(code), Some("closing"));
}

/// The socket failed: close it as a server error.
pub fn failed(ws: &WebSocket) {
    let _ = ws.close(Some(1011), Some("socket error"));
}
