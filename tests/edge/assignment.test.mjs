// Automatic assignment through the real worker: the Workspace DO is the single writer, so 200
// conversations opening at once are spread fairly and nobody exceeds capacity.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { api, newVisitor, login, visitorSocket, agentSocket, inboxSocket, json } from "../support/clients.mjs";

let edge, owner;
before(async () => {
  edge = await startEdge();
  owner = await login(edge);
});
after(async () => edge && (await edge.stop()));

const call = (method, path, token, body) => api(edge, method, path, token, body);

async function agentsOnline(prefix, n, capacity) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const { token } = await (await call("POST", "/v1/inbox/invites", owner.token, { email: `${prefix}${i}@example.com`, role: "agent" })).json();
    const res = await fetch(`${edge.url}/v1/auth/accept-invite`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ workspace_id: "demo", token, name: `${prefix} ${i}`, password: "una clave larga" }),
    });
    const agent = await res.json();
    if (capacity !== null) {
      assert.equal((await call("PUT", `/v1/inbox/agents/${agent.agent.id}`, owner.token, { capacity })).status, 200);
    }
    const inbox = await inboxSocket(edge, agent.token); // online = an open inbox
    await inbox.next((f) => f.type === "snapshot");
    out.push({ ...agent, inbox });
  }
  return out;
}

/** n conversations whose first messages all arrive at once. Identities are created in
 * batches (plain HTTP, not what is under test); then all n sockets open and all n first
 * messages are sent concurrently, so n routing decisions race in the Workspace DO. */
async function openConversations(n) {
  const sessions = [];
  for (let i = 0; i < n; i += 25) {
    sessions.push(...(await Promise.all(Array.from({ length: Math.min(25, n - i) }, () => newVisitor(edge)))));
  }
  const sockets = await Promise.all(sessions.map((s) => visitorSocket(edge, s)));
  await Promise.all(sockets.map((v, i) => v.say(`hola ${i}`)));
  return sessions.map((session, i) => ({ session, v: sockets[i] }));
}

async function waitFor(pred, what, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const list = await json(await call("GET", "/v1/inbox/conversations", owner.token));
    if (pred(list)) return list;
    if (Date.now() > deadline) throw new Error(`timeout: ${what}: ${JSON.stringify(list.map((c) => c.assignee_id)).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test("200 conversations opened concurrently: round robin stays fair and capacity holds", async () => {
  // Routing is off by default; the owner is offline (no inbox open), so only the three get work.
  const agents = await agentsOnline("rr", 3, 70);
  const rule = { who: { type: "workspace" }, method: "round_robin", online_only: true, on_unavailable: "queue" };
  assert.equal((await call("PUT", "/v1/inbox/settings/assignment", owner.token, rule)).status, 200);

  const convs = await openConversations(200);
  const ids = new Set(convs.map((c) => c.session.conversation_id));
  const list = await waitFor(
    (l) => l.filter((c) => ids.has(c.id) && c.assignee_id).length === 200,
    "all 200 assigned",
  );
  const counts = Object.fromEntries(agents.map((a) => [a.agent.id, 0]));
  for (const c of list.filter((c) => ids.has(c.id))) {
    assert.ok(c.assignee_id in counts, `assigned to an online agent, not ${c.assignee_id}`);
    counts[c.assignee_id]++;
  }
  const n = Object.values(counts);
  console.log(`round robin over 200 concurrent conversations: ${JSON.stringify(n)}`);
  assert.ok(Math.max(...n) - Math.min(...n) <= 1, JSON.stringify(counts));
  assert.ok(Math.max(...n) <= 70);

  // The assignment is in the conversation's timeline, with source "system".
  const sample = convs[0].session.conversation_id;
  const staff = await agentSocket(edge, owner.token, sample);
  const t = await staff.next((f) => f.type === "timeline");
  const assigned = t.events.find((e) => e.kind.type === "assigned");
  assert.equal(assigned.source, "system");
  await staff.close();

  // Turn routing off again for the next test and leave.
  assert.equal((await call("PUT", "/v1/inbox/settings/assignment", owner.token, null)).status, 200);
  await Promise.all([...convs.map((c) => c.v.close()), ...agents.map((a) => a.inbox.close())]);
});

test("at capacity a conversation waits unassigned and takes the first freed slot", async () => {
  const [agent] = await agentsOnline("cap", 1, 2);
  // Only this agent is online now (the others closed their inboxes).
  const rule = { who: { type: "workspace" }, method: "fewest_open", online_only: true, on_unavailable: "queue" };
  assert.equal((await call("PUT", "/v1/inbox/settings/assignment", owner.token, rule)).status, 200);
  const convs = [];
  for (let i = 0; i < 3; i++) convs.push(...(await openConversations(1)));
  const ids = convs.map((c) => c.session.conversation_id);
  let list = await waitFor(
    (l) => l.filter((c) => ids.includes(c.id) && c.assignee_id === agent.agent.id).length === 2
      && l.some((c) => ids.includes(c.id) && !c.assignee_id),
    "two assigned and the third listed",
  );
  const waiting = list.find((c) => ids.includes(c.id) && !c.assignee_id);
  assert.ok(waiting, "the third waits unassigned");
  // The agent closes one: the waiting conversation gets the slot.
  const first = list.find((c) => ids.includes(c.id) && c.assignee_id === agent.agent.id);
  const staff = await agentSocket(edge, agent.token, first.id);
  staff.send({ type: "action", action: { kind: "close", note: { summary: "listo" } } });
  await staff.next((f) => f.type === "lifecycle" && f.state.status === "closed");
  list = await waitFor((l) => l.find((c) => c.id === waiting.id)?.assignee_id === agent.agent.id, "queued one assigned");
  assert.equal(list.filter((c) => ids.includes(c.id) && c.status === "open" && c.assignee_id === agent.agent.id).length, 2);
  await Promise.all([staff.close(), agent.inbox.close(), ...convs.map((c) => c.v.close())]);
});

test("routing to a team gives conversations only to its members, in turn", async () => {
  const agents = await agentsOnline("tm", 3, null);
  const [a, b, outsider] = agents;
  const refused = await call("POST", "/v1/inbox/teams", a.token, { name: "Ventas", members: [a.agent.id] });
  assert.equal(refused.status, 403, "agents cannot manage teams");
  const created = await call("POST", "/v1/inbox/teams", owner.token, { name: "Ventas", members: [a.agent.id, b.agent.id] });
  assert.equal(created.status, 200, await created.clone().text());
  const team = await created.json();
  assert.equal((await call("POST", "/v1/inbox/teams", owner.token, { name: "X", members: ["a_nobody"] })).status, 400);
  const listed = await (await call("GET", "/v1/inbox/teams", outsider.token)).json();
  assert.deepEqual(listed.map((t) => t.name), ["Ventas"]);

  const rule = { who: { type: "team", team_id: team.id }, method: "round_robin", online_only: true };
  assert.equal((await call("PUT", "/v1/inbox/settings/assignment", owner.token, rule)).status, 200);
  const convs = await openConversations(10);
  const ids = new Set(convs.map((c) => c.session.conversation_id));
  const list = await waitFor((l) => l.filter((c) => ids.has(c.id) && c.assignee_id).length === 10, "ten assigned");
  const mine = list.filter((c) => ids.has(c.id));
  const count = (id) => mine.filter((c) => c.assignee_id === id).length;
  assert.deepEqual([count(a.agent.id), count(b.agent.id), count(outsider.agent.id)], [5, 5, 0]);
  assert.ok(mine.every((c) => c.team_id === team.id));
  assert.equal((await call("PUT", "/v1/inbox/settings/assignment", owner.token, null)).status, 200);
  await Promise.all([...convs.map((c) => c.v.close()), ...agents.map((x) => x.inbox.close())]);
});
