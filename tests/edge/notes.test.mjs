// Internal notes through the real worker: stored once per client id, shown to the agents'
// sockets and timeline, pushed as a mention to the mentioned agent's inbox, refused when a
// mentioned agent could not see the conversation, and never reaching the visitor in any way.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startEdge } from "../support/edge.mjs";
import { api, newVisitor, login, visitorSocket, agentSocket, inboxSocket, json, invitedAgent } from "../support/clients.mjs";

let edge, owner;
before(async () => {
  edge = await startEdge();
  owner = await login(edge);
});
after(async () => edge && (await edge.stop()));

const call = (method, path, token, body) => api(edge, method, path, token, body);
const note = (token, id, text, clientId = randomUUID()) =>
  call("POST", `/v1/inbox/conversations/${id}/notes`, token, { client_id: clientId, text });
const isNote = (f) => f.type === "activity" && f.event.kind.type === "comment";

const invited = (email, role, name) => invitedAgent(edge, owner, email, role, name);

async function conversation(text) {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.next((f) => f.type === "hello");
  await visitor.say(text);
  return { session, visitor, id: session.conversation_id };
}

test("a note with a mention reaches the agents and the mentioned inbox, never the visitor", async () => {
  const bruno = await invited("bruno.notes@example.com", "agent", "Bruno Díaz");
  const { session, visitor, id } = await conversation("necesito una factura");
  const staff = await agentSocket(edge, owner.token, id);
  await staff.next((f) => f.type === "timeline");
  const brunoInbox = await inboxSocket(edge, bruno.token);
  await brunoInbox.next((f) => f.type === "snapshot");

  const secret = "NOTA-SECRETA <b>solo agentes</b> @bruno revisa el pago";
  const clientId = randomUUID();
  const res = await note(owner.token, id, secret, clientId);
  assert.equal(res.status, 201, await res.clone().text());
  const stored = await res.json();
  assert.equal(stored.duplicate, false);
  assert.equal(stored.event.kind.text, secret);
  assert.deepEqual(stored.event.kind.mentions, [{ agent_id: bruno.agent.id, name: "Bruno Díaz" }]);
  assert.deepEqual(stored.event.actor, { kind: "agent", id: owner.agent.id });

  const live = await staff.next(isNote);
  assert.equal(live.event.kind.text, secret);
  const mention = await brunoInbox.next((f) => f.type === "mention");
  assert.equal(mention.conversation_id, id);
  assert.equal(mention.by.id, owner.agent.id);
  assert.equal(mention.text, secret);

  // The same client id again: the stored note, no second note, no second mention.
  const again = await note(owner.token, id, secret, clientId);
  assert.equal(again.status, 200);
  assert.equal((await again.json()).duplicate, true);
  await assert.rejects(brunoInbox.next((f) => f.type === "mention", 1_000));

  // A reconnecting agent finds it once in the timeline.
  const later = await agentSocket(edge, owner.token, id);
  const timeline = await later.next((f) => f.type === "timeline");
  assert.equal(timeline.events.filter((e) => e.kind.type === "comment").length, 1);

  // The visitor: nothing live, nothing on resume, nothing on a fresh socket, seq unmoved.
  await visitor.say("¿hola?");
  const everything = JSON.stringify(visitor.frames);
  assert.ok(!everything.includes("NOTA-SECRETA"), "no frame of the open visitor socket carries the note");
  const fresh = await visitorSocket(edge, session);
  const hello = await fresh.next((f) => f.type === "hello");
  assert.equal(hello.last_seq, 2, "a note takes no message seq");
  const history = await fresh.sync(0);
  assert.deepEqual(history.map((m) => m.text), ["necesito una factura", "¿hola?"]);
  assert.ok(!JSON.stringify(fresh.frames).includes("NOTA-SECRETA"));
  const renewed = await fetch(`${edge.url}/v1/widget/session`, { headers: { authorization: `Bearer ${session.token}` } });
  assert.ok(!(await renewed.text()).includes("NOTA-SECRETA"));
  // Nor the inbox line (its last text is the visitor's message).
  const list = await json(await call("GET", "/v1/inbox/conversations", owner.token));
  assert.equal(list.find((c) => c.id === id).last_text, "¿hola?");
  for (const c of [staff, later, brunoInbox, visitor, fresh]) await c.close();
});

test("mentioning an agent who cannot see the conversation is refused, naming them", async () => {
  const lia = await invited("lia.notes@example.com", "agent", "Lía Ramos");
  const set = await call("PUT", `/v1/inbox/agents/${lia.agent.id}`, owner.token, { access: "mine_and_unassigned" });
  assert.equal(set.status, 200);
  const { id, visitor } = await conversation("tema privado");
  // Unassigned: Lía may see it, so the mention is fine.
  assert.equal((await note(owner.token, id, "@Lía Ramos échale un vistazo")).status, 201);

  const staff = await agentSocket(edge, owner.token, id);
  await staff.next((f) => f.type === "timeline");
  staff.send({ type: "action", action: { kind: "assign", agent_id: owner.agent.id } });
  await staff.next((f) => f.type === "activity" && f.event.kind.type === "assigned");
  const refused = await note(owner.token, id, "@lía ramos mira esto");
  assert.equal(refused.status, 400);
  const body = await refused.json();
  assert.equal(body.code, "bad_request");
  assert.match(body.message, /Lía Ramos cannot see this conversation/);
  assert.deepEqual(body.details, [{ field: "mentions", reason: "cannot_see_conversation", agent_id: lia.agent.id, name: "Lía Ramos" }]);
  const timeline = await (await agentSocket(edge, owner.token, id)).next((f) => f.type === "timeline");
  assert.equal(timeline.events.filter((e) => e.kind.type === "comment").length, 1, "the refused note was not stored");

  // Lía herself cannot write notes on a conversation she cannot see.
  assert.equal((await note(lia.token, id, "hola")).status, 403);
  await staff.close();
  await visitor.close();
});

test("bad notes get clear errors and store nothing", async () => {
  const { id, visitor } = await conversation("algo");
  const cases = [
    [{ client_id: "../x", text: "hola" }, 400],
    [{ client_id: randomUUID(), text: "   " }, 400],
    [{ client_id: randomUUID(), text: "x".repeat(4001) }, 400],
    [{ text: "sin id" }, 400],
  ];
  for (const [body, status] of cases) {
    const res = await call("POST", `/v1/inbox/conversations/${id}/notes`, owner.token, body);
    assert.equal(res.status, status, JSON.stringify(body).slice(0, 60));
    assert.ok((await res.json()).code);
  }
  assert.equal((await note(null, id, "sin sesión")).status, 401);
  const visitorToken = (await newVisitor(edge)).token;
  assert.equal((await note(visitorToken, id, "soy visitante")).status, 401);
  assert.equal((await note(owner.token, "c_" + "0".repeat(32), "nadie")).status, 404);
  assert.equal((await note(owner.token, "not-an-id", "nadie")).status, 404);
  await visitor.close();
});

test("notification switches are each agent's own, all on until changed", async () => {
  const kim = await invited("kim.notify@example.com", "agent", "Kim");
  const get = async (token) => json(await call("GET", "/v1/inbox/me/notifications", token));
  const all = { sound: true, desktop: true, title: true, new_conversation: true, assigned_to_me: true, message_in_mine: true, mention: true };
  assert.deepEqual(await get(kim.token), all);
  const put = await call("PUT", "/v1/inbox/me/notifications", kim.token, { sound: false, new_conversation: false });
  assert.equal(put.status, 200);
  assert.deepEqual(await put.json(), { ...all, sound: false, new_conversation: false });
  assert.deepEqual(await get(kim.token), { ...all, sound: false, new_conversation: false });
  assert.deepEqual(await get(owner.token), all, "another agent's switches are untouched");
  assert.equal((await call("PUT", "/v1/inbox/me/notifications", kim.token, { sound: "loud" })).status, 400);
  assert.equal((await call("GET", "/v1/inbox/me/notifications", null)).status, 401);
});
