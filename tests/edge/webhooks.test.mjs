// Outbound webhooks through the real worker and its local queue, to a receiver on 127.0.0.1:
// events arrive signed (HMAC-SHA256 over "<t>.<body>" with the secret shown once), one per
// message with a stable event id, conversation opened/assigned/closed (with the closing note)
// and contact updates; a receiver's 500 is retried and the delivery log shows both tries; a
// delivery can be sent again; a deleted subscription gets nothing more. Owners (or keys with
// the `webhooks` scope) manage them; nobody else.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { startEdge } from "../support/edge.mjs";
import { api, json, login, newVisitor, visitorSocket, agentSocket, invitedAgent } from "../support/clients.mjs";

let edge, owner, receiver, received, failNext;
before(async () => {
  received = [];
  failNext = new Set();
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const event = JSON.parse(body);
      const failing = failNext.has(event.type);
      if (failing) failNext.delete(event.type);
      received.push({ headers: req.headers, body, event, answered: failing ? 500 : 200 });
      res.writeHead(failing ? 500 : 200, { "content-type": "text/plain" });
      res.end(failing ? "temporarily broken" : "ok");
    });
  });
  await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
  edge = await startEdge({ vars: { CHARLA_ALLOW_PRIVATE_HTTP: "1", CHARLA_DEV_WEBHOOK_RETRY_SECS: "1" } });
  owner = await login(edge);
});
after(async () => {
  await edge?.stop();
  receiver?.close();
});

const call = (method, path, token, body) => api(edge, method, path, token, body);
const url = () => `http://127.0.0.1:${receiver.address().port}/hooks/charla`;

function signedBy(secret, delivery) {
  const header = delivery.headers["charla-signature"] ?? "";
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=")));
  const expected = createHmac("sha256", secret).update(`${parts.t}.${delivery.body}`).digest("hex");
  return parts.v1 === expected && Math.abs(Date.now() / 1000 - Number(parts.t)) < 300;
}

async function arrived(pred, what, timeout = 20_000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    const found = received.filter(pred);
    if (found.length) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no delivery: ${what} (got ${received.map((d) => d.event.type).join(", ")})`);
}

let hook;
test("owners subscribe (secret shown once); managers cannot; bad requests are refused", async () => {
  const res = await call("POST", "/v1/inbox/webhooks", owner.token, { url: url(), events: ["message.created", "conversation.opened", "conversation.assigned", "conversation.closed", "contact.updated", "contact.created"] });
  assert.equal(res.status, 201);
  hook = await res.json();
  assert.match(hook.id, /^h_[0-9a-f]{32}$/);
  assert.match(hook.secret, /^whsec_[0-9a-f]{64}$/);
  const listed = await json(await call("GET", "/v1/inbox/webhooks", owner.token));
  assert.deepEqual(listed.map((h) => h.id), [hook.id]);
  assert.ok(!JSON.stringify(listed).includes(hook.secret), "no secret in the list");

  const manager = await invitedAgent(edge, owner, "gerente.hooks@example.com", "manager", "Gerente");
  assert.equal((await call("GET", "/v1/inbox/webhooks", manager.token)).status, 403);
  assert.equal((await call("POST", "/v1/inbox/webhooks", manager.token, { url: url(), events: ["message.created"] })).status, 403);
  for (const body of [{ url: url(), events: [] }, { url: "ftp://example.com/x", events: ["message.created"] }, { url: url(), events: ["everything"] }]) {
    assert.equal((await call("POST", "/v1/inbox/webhooks", owner.token, body)).status, 400, JSON.stringify(body));
  }
});

test("a conversation's events arrive signed: opened, each message once, assigned, closed with its note", async () => {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.next((f) => f.type === "hello");
  await visitor.say("hola, mi pedido no llega");
  await visitor.say("es el 4242");
  const id = session.conversation_id;
  const ofThis = (type) => (d) => d.event.type === type && JSON.stringify(d.event.data).includes(id);

  const [opened] = await arrived(ofThis("conversation.opened"), "opened");
  assert.ok(signedBy(hook.secret, opened), "signed with the subscription's secret");
  assert.ok(!signedBy("whsec_other", opened));
  assert.equal(opened.headers["charla-event-type"], "conversation.opened");
  assert.equal(opened.event.workspace_id, "demo");

  const messages = await arrived((d) => ofThis("message.created")(d) && d.event.data.message.seq === 2, "second message");
  const all = received.filter(ofThis("message.created"));
  assert.deepEqual(all.map((d) => d.event.data.message.text).sort(), ["es el 4242", "hola, mi pedido no llega"]);
  assert.deepEqual(all.map((d) => d.event.id).sort(), [`evt_${id}_1`, `evt_${id}_2`], "one stable id per message");
  assert.ok(messages.every((d) => signedBy(hook.secret, d)));

  const staff = await agentSocket(edge, owner.token, id);
  await staff.next((f) => f.type === "timeline");
  staff.send({ type: "action", action: { kind: "assign", agent_id: owner.agent.id, team_id: null } });
  const [assigned] = await arrived(ofThis("conversation.assigned"), "assigned");
  assert.equal(assigned.event.data.conversation.assignee_id, owner.agent.id);
  staff.send({ type: "action", action: { kind: "close", note: { category: null, summary: "Reenviado por mensajería" } } });
  const [closed] = await arrived(ofThis("conversation.closed"), "closed");
  assert.equal(closed.event.data.closing_note.summary, "Reenviado por mensajería");
  assert.equal(closed.event.data.conversation.status, "closed");
  await staff.close();
  await visitor.close();

  const patched = await call("PATCH", `/v1/inbox/contacts/${session.visitor_id}`, owner.token, { name: "Lucía Gómez" });
  assert.equal(patched.status, 200);
  const [updated] = await arrived((d) => d.event.type === "contact.updated" && d.event.data.contact.id === session.visitor_id, "contact updated");
  assert.equal(updated.event.data.changes[0].new, "Lucía Gómez");
});

test("a receiver's 500 is retried; the log shows both tries; a delivery can be sent again", async () => {
  failNext.add("contact.created");
  const key = await json(await call("POST", "/v1/inbox/api-keys", owner.token, { name: "Hooks", scopes: ["contacts:write", "webhooks"] }));
  const made = await fetch(`${edge.url}/v1/api/contacts`, {
    method: "POST",
    headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "Ramón Prieto", email: "ramon@example.com" }),
  });
  assert.equal(made.status, 201);
  const contact = await made.json();
  const ofContact = (d) => d.event.type === "contact.created" && d.event.data.contact.id === contact.id;
  const tries = await arrived((d) => ofContact(d) && d.answered === 200, "the retry");
  const both = received.filter(ofContact);
  assert.deepEqual(both.map((d) => d.answered), [500, 200]);
  assert.equal(both[0].event.id, both[1].event.id, "the same event id on every try");
  assert.deepEqual(both.map((d) => d.headers["charla-delivery-attempt"]), ["1", "2"]);
  void tries;

  const log = await json(await call("GET", `/v1/inbox/webhooks/${hook.id}/deliveries`, owner.token));
  const ofEvent = log.filter((d) => d.event_id === both[0].event.id);
  assert.deepEqual(ofEvent.map((d) => [d.attempt, d.status, d.ok]).sort(), [[1, 500, false], [2, 200, true]]);
  assert.equal(ofEvent.find((d) => d.attempt === 1).response, "temporarily broken");

  const before = received.filter(ofContact).length;
  const again = await call("POST", `/v1/inbox/webhooks/deliveries/${ofEvent[0].id}/redeliver`, owner.token);
  assert.equal(again.status, 200);
  await arrived((d) => ofContact(d) && received.filter(ofContact).length > before, "the redelivery");

  // The API manages webhooks with the `webhooks` scope; a key without it may not.
  const viaKey = await fetch(`${edge.url}/v1/api/webhooks`, { headers: { authorization: `Bearer ${key.secret}` } });
  assert.deepEqual((await viaKey.json()).map((h) => h.id), [hook.id]);
  const reader = await json(await call("POST", "/v1/inbox/api-keys", owner.token, { name: "Sin hooks", scopes: ["contacts:read"] }));
  const refused = await fetch(`${edge.url}/v1/api/webhooks`, { headers: { authorization: `Bearer ${reader.secret}` } });
  assert.equal(refused.status, 403);
  assert.deepEqual((await refused.json()).details, [{ missing_scope: "webhooks" }]);
});

test("a deleted subscription gets nothing more", async () => {
  assert.equal((await call("DELETE", `/v1/inbox/webhooks/${hook.id}`, owner.token)).status, 200);
  assert.deepEqual(await json(await call("GET", "/v1/inbox/webhooks", owner.token)), []);
  const count = received.length;
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.next((f) => f.type === "hello");
  await visitor.say("¿hay alguien?");
  await visitor.close();
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal(received.length, count);
});
