// The baseline for the round-trip bench: a Worker that echoes WebSocket frames, no Durable
// Object, no storage. Charla's path (client → Worker → Conversation DO → other client) is
// measured against this in the same run.
export default {
  async fetch(request) {
    if (request.headers.get("Upgrade") !== "websocket") return new Response("echo", { status: 200 });
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    server.addEventListener("message", (e) => server.send(e.data));
    return new Response(null, { status: 101, webSocket: client });
  },
};
