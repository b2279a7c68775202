// Access levels, agent administration, contacts and dedicated-agent routing through the real
// worker. Every limit is enforced by the server: HTTP statuses, error frames, hidden lines.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { api, newVisitor, login, visitorSocket, agentSocket, inboxSocket, json, invitedAgent } from "../support/clients.mjs";

let edge, owner;
before(async () => {
  edge = await startEdge();
  owner = await login(edge);
});
after(async () => edge && (await edge.stop()));

const call = (method, path, token, body) => api(edge, method, path, token, body);
const act = (client, action) => client.send({ type: "action", action });
const activity = (kind) => (f) => f.type === "activity" && f.event.kind.type === kind;

const invited = (email, role, name) => invitedAgent(edge, owner, email, role, name);

/** A conversation with one visitor message, present in the inbox index. */
async function conversation(text) {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.say(text);
  await waitList(owner.token, (list) => list.some((c) => c.id === session.conversation_id), `${text} indexed`);
  return { session, visitor, id: session.conversation_id };
}

async function waitList(token, pred, what, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const list = await json(await call("GET", "/v1/inbox/conversations", token));
    if (pred(list)) return list;
    if (Date.now() > deadline) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function assign(conversationId, agentId) {
  const staff = await agentSocket(edge, owner.token, conversationId);
  await staff.next((f) => f.type === "timeline");
  act(staff, { kind: "assign", agent_id: agentId });
  await staff.next(activity("assigned"));
  await staff.close();
}

test("an agent limited to 'mine and unassigned' sees and reaches only those, live", async () => {
  const lia = await invited("lia@example.com", "agent", "Lía");
  const set = await call("PUT", `/v1/inbox/agents/${lia.agent.id}`, owner.token, { access: "mine_and_unassigned", capacity: 4 });
  assert.equal(set.status, 200, await set.clone().text());
  const status = await set.json();
  assert.deepEqual([status.access, status.capacity, status.role, status.open], ["mine_and_unassigned", 4, "agent", 0]);

  const others = await conversation("para el dueño");
  const free = await conversation("sin asignar");
  const hers = await conversation("para Lía");
  await assign(others.id, owner.agent.id);
  await assign(hers.id, lia.agent.id);
  await waitList(owner.token, (l) => l.find((c) => c.id === hers.id)?.assignee_id === lia.agent.id, "assigned to Lía");

  const ids = (list) => list.map((c) => c.id);
  const seen = ids(await json(await call("GET", "/v1/inbox/conversations", lia.token)));
  assert.ok(seen.includes(free.id) && seen.includes(hers.id), "own and unassigned listed");
  assert.ok(!seen.includes(others.id), "someone else's conversation is not listed");
  assert.ok(ids(await json(await call("GET", "/v1/inbox/conversations", owner.token))).includes(others.id), "owners see all");

  const inbox = await inboxSocket(edge, lia.token);
  const snapshot = await inbox.next((f) => f.type === "snapshot");
  assert.ok(!ids(snapshot.conversations).includes(others.id));
  await assert.rejects(agentSocket(edge, lia.token, others.id), (e) => e.status === 403);

  // Lía opens the unassigned one; the owner takes it: her line disappears and her socket is
  // refused from then on.
  const hersOpen = await agentSocket(edge, lia.token, free.id);
  await hersOpen.next((f) => f.type === "timeline");
  await assign(free.id, owner.agent.id);
  await inbox.next((f) => f.type === "hidden" && f.id === free.id);
  const refused = await hersOpen.next((f) => f.type === "error");
  assert.equal(refused.code, "forbidden");
  await free.visitor.say("¿hola?");
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(!hersOpen.frames.some((f) => f.type === "message" && f.message.text === "¿hola?"), "no messages after losing access");
  assert.ok(!inbox.frames.some((f) => f.type === "summary" && f.conversation.id === free.id && f.conversation.last_text === "¿hola?"));

  // Load and presence in the agents list.
  const agents = await json(await call("GET", "/v1/inbox/agents", lia.token));
  const me = agents.find((a) => a.id === lia.agent.id);
  assert.deepEqual([me.open, me.online, me.away], [1, true, false]);
  await inbox.close();

  // Back to "all": she sees everything again.
  await call("PUT", `/v1/inbox/agents/${lia.agent.id}`, owner.token, { access: "all" });
  assert.ok(ids(await json(await call("GET", "/v1/inbox/conversations", lia.token))).includes(others.id));
  for (const c of [others, free, hers]) await c.visitor.close();
});

test("agent administration: roles and limits are enforced with the caller's current role", async () => {
  const max = await invited("max@example.com", "agent", "Max");
  const mia = await invited("mia@example.com", "manager", "Mía");
  const cases = [
    ["an agent changes someone's capacity", () => call("PUT", `/v1/inbox/agents/${max.agent.id}`, max.token, { capacity: 99 }), 403],
    ["an agent makes themselves manager", () => call("PUT", `/v1/inbox/agents/${max.agent.id}`, max.token, { role: "manager" }), 403],
    ["a manager makes someone owner", () => call("PUT", `/v1/inbox/agents/${max.agent.id}`, mia.token, { role: "owner" }), 403],
    ["a manager demotes the owner", () => call("PUT", `/v1/inbox/agents/${owner.agent.id}`, mia.token, { role: "agent" }), 403],
    ["the only owner demotes themselves", () => call("PUT", `/v1/inbox/agents/${owner.agent.id}`, owner.token, { role: "manager" }), 400],
    ["an absurd capacity", () => call("PUT", `/v1/inbox/agents/${max.agent.id}`, owner.token, { capacity: 1_000_000 }), 400],
    ["an unknown agent", () => call("PUT", "/v1/inbox/agents/a_nobody", owner.token, { capacity: 2 }), 404],
    ["a manager sets an agent's access", () => call("PUT", `/v1/inbox/agents/${max.agent.id}`, mia.token, { access: "mine_and_unassigned" }), 200],
  ];
  for (const [what, run, status] of cases) assert.equal((await run()).status, status, what);

  // Demoting Mía takes effect at once, though her token still says "manager".
  assert.equal((await call("PUT", `/v1/inbox/agents/${mia.agent.id}`, owner.token, { role: "agent" })).status, 200);
  assert.equal((await call("PUT", "/v1/inbox/settings/lifecycle", mia.token, { categories: [] })).status, 403);
  assert.equal((await json(await call("GET", "/v1/inbox/me", mia.token))).role, "agent");

  // Away is the agent's own toggle.
  assert.equal((await call("PUT", `/v1/inbox/agents/${max.agent.id}`, owner.token, { away: true })).status, 400);
  assert.equal((await call("PUT", `/v1/inbox/agents/${max.agent.id}`, owner.token, { capacity: 3 })).status, 200);
  const away = await json(await call("PUT", "/v1/inbox/me/status", max.token, { away: true }));
  assert.deepEqual([away.away, away.online, away.capacity], [true, false, 3], "away keeps the capacity");
  const demoted = await json(await call("PUT", `/v1/inbox/agents/${max.agent.id}`, owner.token, { access: "all" }));
  assert.equal(demoted.capacity, 3, "an access change keeps the capacity");
});

test("contacts: validated fields and tags, names shown in the inbox, reachable only through a visible conversation", async () => {
  const c = await conversation("hola, soy Ana");
  const contactId = c.session.visitor_id;
  const path = `/v1/inbox/contacts/${contactId}`;
  const empty = await json(await call("GET", path, owner.token));
  assert.deepEqual([empty.id, empty.name, empty.tags], [contactId, null, []]);

  const inbox = await inboxSocket(edge, owner.token);
  await inbox.next((f) => f.type === "snapshot");
  const res = await call("PATCH", path, owner.token, {
    name: "Ana García", email: "ana@example.com", phone: "+34 600 111 222", fields: { plan: "oro" }, add_tags: ["VIP"],
  });
  assert.equal(res.status, 200, await res.clone().text());
  const { contact, changes } = await res.json();
  assert.deepEqual([contact.phone, contact.tags, contact.fields.plan, changes.length], ["+34600111222", ["vip"], "oro", 5]);
  const renamed = await inbox.next((f) => f.type === "summary" && f.conversation.id === c.id);
  assert.equal(renamed.conversation.contact_name, "Ana García");
  const listed = (await json(await call("GET", "/v1/inbox/conversations", owner.token))).find((x) => x.id === c.id);
  assert.equal(listed.contact_name, "Ana García");

  const bad = await call("PATCH", path, owner.token, { name: "Otra", email: "no-es-un-email" });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).message, /not an email address/);
  assert.equal((await json(await call("GET", path, owner.token))).name, "Ana García", "a refused patch changes nothing");
  assert.equal((await call("PATCH", path, owner.token, { phone: "600111222" })).status, 400);
  assert.equal((await call("PATCH", path, owner.token, "{not json")).status, 400);
  assert.equal((await call("GET", `/v1/inbox/contacts/v_${"0".repeat(32)}`, owner.token)).status, 404);
  assert.equal((await call("GET", `/v1/inbox/contacts/${c.id}`, owner.token)).status, 404, "a conversation id is not a contact id");
  assert.equal((await call("GET", path)).status, 401);

  // A limited agent cannot reach a contact whose conversation belongs to someone else.
  const leo = await invited("leo@example.com", "agent", "Leo");
  await call("PUT", `/v1/inbox/agents/${leo.agent.id}`, owner.token, { access: "mine_and_unassigned" });
  assert.equal((await call("GET", path, leo.token)).status, 200, "unassigned: visible");
  await assign(c.id, owner.agent.id);
  assert.equal((await call("GET", path, leo.token)).status, 403);
  assert.equal((await call("PATCH", path, leo.token, { add_tags: ["x"] })).status, 403);
  await inbox.close();
  await c.visitor.close();
});

test("dedicated agent: a contact field names the owner; away owner → the rule's fallback team", async () => {
  const rosa = await invited("rosa@example.com", "agent", "Rosa");
  const tomas = await invited("tomas@example.com", "agent", "Tomás");
  const team = await json(await call("POST", "/v1/inbox/teams", owner.token, { name: "Soporte VIP", members: [tomas.agent.id] }));
  const rule = {
    who: { type: "dedicated", owner: null, field: "account_manager", fallback: { type: "team", team_id: team.id } },
    method: "round_robin", online_only: true,
  };
  assert.equal((await call("PUT", "/v1/inbox/settings/assignment", owner.token, rule)).status, 200);
  const rosaInbox = await inboxSocket(edge, rosa.token);
  const tomasInbox = await inboxSocket(edge, tomas.token);

  // First visit: no owner yet → fallback team (Tomás).
  const c = await conversation("primera visita");
  const first = await waitList(owner.token, (l) => l.find((x) => x.id === c.id)?.assignee_id, "first routed");
  assert.equal(first.find((x) => x.id === c.id).assignee_id, tomas.agent.id);
  // The account manager is recorded on the contact; the next period goes to Rosa.
  const patched = await call("PATCH", `/v1/inbox/contacts/${c.session.visitor_id}`, owner.token, { fields: { account_manager: "ROSA@example.com" } });
  assert.equal(patched.status, 200);
  const closeAndReturn = async (text) => {
    const staff = await agentSocket(edge, owner.token, c.id);
    await staff.next((f) => f.type === "timeline");
    act(staff, { kind: "close" });
    await staff.next(activity("closed"));
    await staff.close();
    await c.visitor.say(text);
  };
  await closeAndReturn("segunda visita");
  const second = await waitList(owner.token, (l) => {
    const x = l.find((y) => y.id === c.id);
    return x?.period === 2 && x.assignee_id;
  }, "second routed");
  assert.equal(second.find((x) => x.id === c.id).assignee_id, rosa.agent.id);

  // Rosa is away: the third period falls back to the team.
  await call("PUT", "/v1/inbox/me/status", rosa.token, { away: true });
  await closeAndReturn("tercera visita");
  const third = await waitList(owner.token, (l) => {
    const x = l.find((y) => y.id === c.id);
    return x?.period === 3 && x.assignee_id;
  }, "third routed");
  assert.equal(third.find((x) => x.id === c.id).assignee_id, tomas.agent.id);
  await call("PUT", "/v1/inbox/settings/assignment", owner.token, null);
  await Promise.all([rosaInbox.close(), tomasInbox.close(), c.visitor.close()]);
});
