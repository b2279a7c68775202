// The REST API on conversations through the real worker: list them by cursor (filtered by
// status and contact), read one and its messages page by page, act on it (assign, close with
// a closing note, reopen) with source `api`, and send messages as an agent or as the key,
// retried safely by client id. Each route needs its scope; ids are checked before use.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { api, json, login, newVisitor, visitorSocket, agentSocket } from "../support/clients.mjs";

let edge, owner, reader, writer;
before(async () => {
  edge = await startEdge();
  owner = await login(edge);
  const key = async (name, scopes) => {
    const res = await api(edge, "POST", "/v1/inbox/api-keys", owner.token, { name, scopes });
    assert.equal(res.status, 201);
    return (await res.json()).secret;
  };
  reader = await key("Lector de conversaciones", ["conversations:read"]);
  writer = await key("Integración", ["conversations:read", "conversations:write", "messages:write"]);
});
after(async () => edge && (await edge.stop()));

const call = (method, path, token, body) => api(edge, method, path, token, body);

async function conversation(lines) {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.next((f) => f.type === "hello");
  for (const line of lines) await visitor.say(line);
  return { session, visitor, id: session.conversation_id };
}

test("conversations are listed by cursor, filtered, and read with their messages page by page", async () => {
  const a = await conversation(["hola", "¿tenéis talla M?", "gracias"]);
  const b = await conversation(["buenas"]);
  await a.visitor.close();
  await b.visitor.close();

  const seen = [];
  let cursor = "";
  for (let i = 0; i < 50; i++) {
    const page = await json(await call("GET", `/v1/api/conversations?limit=1&cursor=${cursor}`, reader));
    seen.push(...page.conversations.map((c) => c.id));
    if (!page.next) break;
    cursor = page.next;
  }
  assert.ok(seen.includes(a.id) && seen.includes(b.id));
  assert.deepEqual(seen, [...seen].sort());
  const theirs = await json(await call("GET", `/v1/api/conversations?contact=${a.session.visitor_id}`, reader));
  assert.deepEqual(theirs.conversations.map((c) => c.id), [a.id]);
  const closed = await json(await call("GET", "/v1/api/conversations?status=closed", reader));
  assert.ok(!closed.conversations.some((c) => c.id === a.id));

  const one = await json(await call("GET", `/v1/api/conversations/${a.id}`, reader));
  assert.equal(one.contact_id, a.session.visitor_id);
  assert.equal(one.last_seq, 3);
  assert.equal(one.lifecycle.status, "open");

  const first = await json(await call("GET", `/v1/api/conversations/${a.id}/messages?limit=2`, reader));
  assert.deepEqual(first.messages.map((m) => m.text), ["hola", "¿tenéis talla M?"]);
  assert.equal(first.next, 2);
  const rest = await json(await call("GET", `/v1/api/conversations/${a.id}/messages?after=${first.next}`, reader));
  assert.deepEqual(rest.messages.map((m) => m.text), ["gracias"]);
  assert.equal(rest.next, null);

  for (const [path, status] of [
    [`/v1/api/conversations/c_${"0".repeat(32)}`, 404],
    ["/v1/api/conversations/..%2Fx", 404],
    ["/v1/api/conversations?status=maybe", 400],
    ["/v1/api/conversations?cursor=../x", 400],
    [`/v1/api/conversations/${a.id}/messages?after=-1`, 400],
    [`/v1/api/conversations/${a.id}/messages?limit=500`, 400],
  ]) {
    assert.equal((await call("GET", path, reader)).status, status, path);
  }
});

test("actions through the API: assign, close with a closing note, reopen; each needs conversations:write", async () => {
  const c = await conversation(["necesito ayuda con un pedido"]);
  const staff = await agentSocket(edge, owner.token, c.id);
  await staff.next((f) => f.type === "timeline");

  const refused = await call("POST", `/v1/api/conversations/${c.id}/actions`, reader, { kind: "unassign" });
  assert.equal(refused.status, 403);
  assert.deepEqual((await refused.json()).details, [{ missing_scope: "conversations:write" }]);

  const assigned = await json(await call("POST", `/v1/api/conversations/${c.id}/actions`, writer, { kind: "assign", agent_id: owner.agent.id, team_id: null }));
  assert.equal(assigned.lifecycle.assignee_id, owner.agent.id);
  const seenByAgent = await staff.next((f) => f.type === "activity" && f.event.kind.type === "assigned");
  assert.equal(seenByAgent.event.source, "api");
  assert.equal(seenByAgent.event.actor.kind, "integration");

  for (const [body, status] of [
    [{ kind: "assign", agent_id: `a_${"0".repeat(32)}`, team_id: null }, 404],
    [{ kind: "assign", agent_id: "../x", team_id: null }, 404],
    [{ kind: "assign_team", team_id: `t_${"0".repeat(32)}` }, 404],
    [{ kind: "explode" }, 400],
  ]) {
    assert.equal((await call("POST", `/v1/api/conversations/${c.id}/actions`, writer, body)).status, status, JSON.stringify(body));
  }

  const closed = await json(await call("POST", `/v1/api/conversations/${c.id}/actions`, writer, {
    kind: "close", note: { category: null, summary: "Resuelto desde el CRM" },
  }));
  assert.equal(closed.lifecycle.status, "closed");
  const closing = await staff.next((f) => f.type === "activity" && f.event.kind.type === "closed");
  assert.equal(closing.event.source, "api");
  const again = await call("POST", `/v1/api/conversations/${c.id}/actions`, writer, { kind: "close" });
  assert.equal(again.status, 400, "already closed");
  const reopened = await json(await call("POST", `/v1/api/conversations/${c.id}/actions`, writer, { kind: "reopen" }));
  assert.equal(reopened.lifecycle.status, "open");
  await staff.close();
  await c.visitor.close();
});

test("messages through the API reach the visitor, as an agent or as the key, once per client id", async () => {
  const c = await conversation(["¿a qué hora abrís?"]);
  const refused = await call("POST", `/v1/api/conversations/${c.id}/messages`, reader, { client_id: "crm-1", text: "hola" });
  assert.equal(refused.status, 403);
  assert.deepEqual((await refused.json()).details, [{ missing_scope: "messages:write" }]);

  const sent = await call("POST", `/v1/api/conversations/${c.id}/messages`, writer, { client_id: "crm-1", text: "Abrimos a las 9", agent_id: owner.agent.id });
  assert.equal(sent.status, 201);
  const posted = await sent.json();
  assert.equal(posted.seq, 2);
  const got = await c.visitor.next((f) => f.type === "message" && f.message.text === "Abrimos a las 9");
  assert.equal(got.message.author.kind, "agent");
  assert.equal(got.message.author.id, owner.agent.id);

  // A retry with the same client id: the stored seq, nothing new for the visitor.
  const retry = await call("POST", `/v1/api/conversations/${c.id}/messages`, writer, { client_id: "crm-1", text: "Abrimos a las 9", agent_id: owner.agent.id });
  assert.equal(retry.status, 200);
  assert.deepEqual(await retry.json(), { seq: 2, duplicate: true });

  const asKey = await json(await call("POST", `/v1/api/conversations/${c.id}/messages`, writer, { client_id: "crm-2", text: "<b>Pedido</b> enviado" }));
  assert.equal(asKey.seq, 3);
  const system = await c.visitor.next((f) => f.type === "message" && f.message.seq === 3);
  assert.equal(system.message.author.kind, "system");
  assert.equal(system.message.author.name, "Integración");
  assert.equal(system.message.text, "<b>Pedido</b> enviado", "stored as sent, rendered as text by clients");

  const page = await json(await call("GET", `/v1/api/conversations/${c.id}/messages`, writer));
  assert.deepEqual(page.messages.map((m) => m.seq), [1, 2, 3]);

  for (const [body, status] of [
    [{ client_id: "crm-3", text: "   " }, 400],
    [{ client_id: "con espacios", text: "hola" }, 400],
    [{ client_id: "crm-4", text: "x".repeat(4001) }, 400],
    [{ client_id: "crm-5", text: "hola", agent_id: `a_${"0".repeat(32)}` }, 404],
    [{ text: "sin id" }, 400],
  ]) {
    assert.equal((await call("POST", `/v1/api/conversations/${c.id}/messages`, writer, body)).status, status, JSON.stringify(body));
  }
  assert.equal((await call("POST", `/v1/api/conversations/c_${"0".repeat(32)}/messages`, writer, { client_id: "crm-6", text: "hola" })).status, 404);
  await c.visitor.close();
});
