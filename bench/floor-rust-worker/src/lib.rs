//! The floor of Charla's message path in Rust: the same work as `bench/floor-worker/index.js`
//! (per message, one SQLite insert, then the ack and the broadcast; no auth, no rate, no index,
//! no workflows) through the same `worker` crate and wasm bindings as Charla's edge. Between the
//! JavaScript floor and this one lies what any Rust Durable Object pays; beyond this one, what
//! Charla adds.

use serde::{Deserialize, Serialize};
use worker::{
    durable_object, event, Context, DurableObject, Env, Request, Response, Result, State,
    WebSocket, WebSocketIncomingMessage, WebSocketPair,
};

#[derive(Deserialize)]
struct Frame {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    text: String,
}

#[derive(Deserialize)]
struct Stored {
    seq: i64,
}

#[derive(Serialize)]
struct Ack<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    client_id: &'a str,
    seq: i64,
}

#[derive(Serialize)]
struct Message<'a> {
    seq: i64,
    client_id: &'a str,
    text: &'a str,
    at: i64,
}

#[derive(Serialize)]
struct Broadcast<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    message: Message<'a>,
}

fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| worker::Error::RustError(e.to_string()))
}

#[durable_object]
pub struct Room {
    state: State,
}

impl DurableObject for Room {
    fn new(state: State, _env: Env) -> Self {
        let created = state.storage().sql().exec(
            "CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, client_id TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL)",
            None,
        );
        if let Err(err) = created {
            worker::console_error!("creating the table failed: {err:?}");
        }
        Room { state }
    }

    async fn fetch(&self, _req: Request) -> Result<Response> {
        let pair = WebSocketPair::new()?;
        self.state.accept_web_socket(&pair.server);
        pair.server.send_with_str(r#"{"type":"hello"}"#)?;
        Response::from_websocket(pair.client)
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> Result<()> {
        let WebSocketIncomingMessage::String(raw) = message else {
            return Ok(());
        };
        let Ok(frame) = serde_json::from_str::<Frame>(&raw) else {
            return Ok(());
        };
        if frame.kind != "send" {
            return Ok(());
        }
        let at = js_now();
        let stored: Stored = self
            .state
            .storage()
            .sql()
            .exec(
                "INSERT INTO messages (client_id, text, at) VALUES (?, ?, ?) RETURNING seq",
                vec![
                    frame.client_id.as_str().into(),
                    frame.text.as_str().into(),
                    at.into(),
                ],
            )?
            .one()?;
        ws.send_with_str(to_json(&Ack {
            kind: "ack",
            client_id: &frame.client_id,
            seq: stored.seq,
        })?)?;
        let out = to_json(&Broadcast {
            kind: "message",
            message: Message {
                seq: stored.seq,
                client_id: &frame.client_id,
                text: &frame.text,
                at,
            },
        })?;
        for other in self.state.get_websockets() {
            if other != ws {
                let _ = other.send_with_str(&out);
            }
        }
        Ok(())
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        code: usize,
        _reason: String,
        _was_clean: bool,
    ) -> Result<()> {
        let code = if code == 1005 { 1000 } else { code };
        let _ = ws.close(Some(code as u16), None::<String>);
        Ok(())
    }
}

fn js_now() -> i64 {
    worker::Date::now().as_millis() as i64
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    if req.headers().get("Upgrade")?.as_deref() != Some("websocket") {
        return Response::ok("floor (rust)");
    }
    let path = req.path();
    let room = path.trim_start_matches('/');
    let room = if room.is_empty() { "room" } else { room };
    let stub = env.durable_object("ROOM")?.id_from_name(room)?.get_stub()?;
    stub.fetch_with_request(req).await
}
