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

test("a workflow waiting on a timer resumes after a wrangler dev restart", async () => {
  let edge = await startEdge();
  const { dir, secret } = edge;
  let session, wf;
  const owner = await login(edge);
  const call = (e, method, path, body) => fetch(`${e.url}${path}`, {
    method, headers: { authorization: `Bearer ${owner.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  try {
    wf = await json(await call(edge, "POST", "/v1/inbox/workflows", {
      name: "Recordatorio", trigger: { type: "contact_message", first_in_period_only: true },
      start: "wait", steps: [
        { id: "wait", type: "wait", duration_ms: 4_000, next: "ping" },
        { id: "ping", type: "send_message", text: "Seguimos aquí tras el reinicio." },
      ],
    }));
    assert.equal((await call(edge, "PUT", `/v1/inbox/workflows/${wf.id}/enabled`, { enabled: true })).status, 200);
    session = await newVisitor(edge);
    const v = await visitorSocket(edge, session);
    await v.say("hola");
    await v.close();
  } finally {
    await edge.stop();
  }
  edge = await startEdge({ persistTo: dir, secret });
  try {
    // The alarm fires in the restarted runtime; the pending run picks up where it waited.
    const deadline = Date.now() + 30_000;
    let texts = [];
    while (Date.now() < deadline && !texts.includes("Seguimos aquí tras el reinicio.")) {
      const v = await visitorSocket(edge, session);
      texts = (await v.sync(0)).map((m) => m.text);
      await v.close();
      if (!texts.includes("Seguimos aquí tras el reinicio.")) await new Promise((r) => setTimeout(r, 500));
    }
    assert.deepEqual(texts, ["hola", "Seguimos aquí tras el reinicio."]);
    // The run list is written just after the run's last effect.
    let runs = [];
    for (let i = 0; i < 50 && runs.length === 0; i++) {
      runs = await json(await call(edge, "GET", `/v1/inbox/workflows/${wf.id}/runs`));
      if (runs.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(runs[0].outcome.type, "completed");
  } finally {
    await edge.stop();
  }
});
