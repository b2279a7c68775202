// Conversations, the inbox index and agents survive a restart of `wrangler dev` (local
// persisted Durable Object storage).
import { test } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { newVisitor, login, visitorSocket, json } from "../support/clients.mjs";

test("data survives a wrangler dev restart", async () => {
  let edge = await startEdge();
  const { dir, secret } = edge;
  let session;
  try {
    session = await newVisitor(edge);
    const v = await visitorSocket(edge, session);
    for (const t of ["antes", "del", "reinicio"]) await v.say(t);
    await v.close();
  } finally {
    await edge.stop();
  }
  edge = await startEdge({ persistTo: dir, secret });
  try {
    const v = await visitorSocket(edge, session);
    assert.equal((await v.next((f) => f.type === "hello")).last_seq, 3);
    assert.deepEqual((await v.sync(0)).map((m) => m.text), ["antes", "del", "reinicio"]);
    assert.equal((await v.say("después")).seq, 4);
    await v.close();
    const agent = await login(edge);
    const list = await json(await fetch(`${edge.url}/v1/inbox/conversations`, { headers: { authorization: `Bearer ${agent.token}` } }));
    assert.ok(list.some((c) => c.id === session.conversation_id && c.last_seq === 4));
  } finally {
    await edge.stop();
  }
});
