// The floor of Charla's message path: a Worker that forwards a WebSocket to a Durable Object
// named by the URL (one per conversation), which accepts it with the hibernation API and, per
// message, does one SQLite insert, then acks the sender and broadcasts to the other sockets —
// the least a durable chat can do. No auth, no rate limit, no index, no workflows: what Charla
// spends beyond this is what bench/roundtrip.mjs reports as the ratio.
import { DurableObject } from "cloudflare:workers";

export class Room extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, client_id TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL)",
    );
  }

  async fetch() {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    server.send(JSON.stringify({ type: "hello" }));
    return new Response(null, { status: 101, webSocket: client });
  }

  webSocketMessage(ws, data) {
    const frame = JSON.parse(data);
    if (frame.type !== "send") return;
    const at = Date.now();
    const { seq } = this.ctx.storage.sql
      .exec("INSERT INTO messages (client_id, text, at) VALUES (?, ?, ?) RETURNING seq", frame.client_id, frame.text, at)
      .one();
    ws.send(JSON.stringify({ type: "ack", client_id: frame.client_id, seq }));
    const out = JSON.stringify({ type: "message", message: { seq, client_id: frame.client_id, text: frame.text, at } });
    for (const other of this.ctx.getWebSockets()) if (other !== ws) other.send(out);
  }

  webSocketClose(ws, code) {
    try { ws.close(code === 1005 ? 1000 : code); } catch {}
  }
}

export default {
  async fetch(request, env) {
    if (request.headers.get("Upgrade") !== "websocket") return new Response("floor", { status: 200 });
    const room = new URL(request.url).pathname.slice(1) || "room";
    return env.ROOM.get(env.ROOM.idFromName(room)).fetch(request);
  },
};
