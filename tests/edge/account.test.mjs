// Accounts through the real worker: an agent's own name and password, deactivation and
// reactivation, one-time password-reset links, and sessions that end at once on every route
// and socket (the agent's session generation, checked wherever the Workspace resolves a caller).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { api, json, newVisitor, login, visitorSocket, agentSocket, inboxSocket, invitedAgent } from "../support/clients.mjs";

let edge, owner;
before(async () => {
  edge = await startEdge();
  owner = await login(edge);
});
after(async () => edge && (await edge.stop()));

const call = (method, path, token, body) => api(edge, method, path, token, body);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const act = (client, action) => client.send({ type: "action", action });
const activity = (kind) => (f) => f.type === "activity" && f.event.kind.type === kind;
const PASSWORD = "una clave larga";

async function invited(email, role, name, by = owner) {
  const agent = await invitedAgent(edge, by, email, role, name);
  assert.ok(agent.token, JSON.stringify(agent));
  return agent;
}

/** Resolves with the close code once the socket closes. */
function closed(client) {
  return new Promise((resolve) => {
    if (client.ws.readyState === 3) return resolve(client.closeCode);
    client.ws.once("close", (code) => resolve(code));
  });
}

async function waitFor(what, probe, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`timeout: ${what}`);
    await sleep(100);
  }
}

async function conversation(text) {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.say(text);
  await waitFor(`${text} indexed`, async () =>
    (await json(await call("GET", "/v1/inbox/conversations", owner.token))).some((c) => c.id === session.conversation_id));
  return { session, visitor, id: session.conversation_id };
}

async function assign(conversationId, agentId) {
  const staff = await agentSocket(edge, owner.token, conversationId);
  await staff.next((f) => f.type === "timeline");
  act(staff, { kind: "assign", agent_id: agentId });
  await staff.next(activity("assigned"));
  await staff.close();
}

const line = async (id) => (await json(await call("GET", "/v1/inbox/conversations", owner.token))).find((c) => c.id === id);

test("an agent renames themselves: a fresh session carries the name, and their next message shows it", async () => {
  const rita = await invited("rita@example.com", "agent", "Rita");
  const { id } = await conversation("hola");
  const bad = await call("PUT", "/v1/inbox/me", rita.token, { name: "   " });
  assert.equal(bad.status, 400);
  const long = await call("PUT", "/v1/inbox/me", rita.token, { name: "x".repeat(81) });
  assert.equal(long.status, 400);
  const res = await call("PUT", "/v1/inbox/me", rita.token, { name: "  Rita Gómez " });
  assert.equal(res.status, 200, await res.clone().text());
  const renamed = await res.json();
  assert.equal(renamed.agent.name, "Rita Gómez");
  assert.ok(renamed.token && renamed.token !== rita.token);
  // Other sessions go on, and read the new name.
  assert.equal((await json(await call("GET", "/v1/inbox/me", rita.token))).name, "Rita Gómez");
  assert.equal((await json(await call("GET", "/v1/inbox/me", renamed.token))).name, "Rita Gómez");
  // Even a socket opened with the token signed before the rename writes under the new name.
  const staff = await agentSocket(edge, rita.token, id);
  await staff.next((f) => f.type === "timeline");
  const ack = await staff.say("buenas");
  const [message] = (await staff.sync(ack.seq - 1)).filter((m) => m.seq === ack.seq);
  assert.equal(message.author.name, "Rita Gómez");
  await staff.close();
});

test("changing the password: the current one is verified and counted; every other session ends", async () => {
  const pablo = await invited("pablo@example.com", "agent", "Pablo");
  const second = await login(edge, { email: "pablo@example.com", password: PASSWORD });
  const inbox = await inboxSocket(edge, second.token);
  await inbox.next((f) => f.type === "snapshot");
  const ended = closed(inbox);

  const weak = await call("PUT", "/v1/inbox/me/password", pablo.token, { current_password: PASSWORD, new_password: "corta" });
  assert.equal(weak.status, 400);
  assert.match((await weak.json()).message, /at least 10/);
  const wrong = await call("PUT", "/v1/inbox/me/password", pablo.token, { current_password: "no es esta clave", new_password: "otra clave larga" });
  assert.equal(wrong.status, 403, "a wrong current password does not end the session");
  assert.equal((await call("GET", "/v1/inbox/me", pablo.token)).status, 200);

  const res = await call("PUT", "/v1/inbox/me/password", pablo.token, { current_password: PASSWORD, new_password: "otra clave larga" });
  assert.equal(res.status, 200, await res.clone().text());
  const fresh = await res.json();
  assert.equal(await ended, 4401, "the other session's inbox socket closed at once");
  for (const old of [pablo.token, second.token]) {
    assert.equal((await call("GET", "/v1/inbox/me", old)).status, 401);
    assert.equal((await call("GET", "/v1/inbox/teams", old)).status, 401);
  }
  assert.equal((await call("GET", "/v1/inbox/me", fresh.token)).status, 200);
  await assert.rejects(login(edge, { email: "pablo@example.com", password: PASSWORD }), /401/);
  const again = await login(edge, { email: "pablo@example.com", password: "otra clave larga" });
  assert.equal(again.agent.id, pablo.agent.id);

  // Wrong current passwords count against the account like sign-ins: the sixth try is a 429.
  const statuses = [];
  for (let i = 0; i < 6; i++) {
    const r = await call("PUT", "/v1/inbox/me/password", again.token, { current_password: `adivinanza ${i}xx`, new_password: "tercera clave larga" });
    statuses.push(r.status);
  }
  assert.deepEqual(statuses, [403, 403, 403, 403, 403, 429]);
  await assert.rejects(login(edge, { email: "pablo@example.com", password: "otra clave larga" }), /429/);
});

test("deactivation: old tokens are refused on every agent route and socket, conversations go back to nobody", async () => {
  const dora = await invited("dora@example.com", "manager", "Dora");
  const conv = await conversation("necesito ayuda");
  const other = await conversation("otra consulta");
  const done = await conversation("ya está resuelto");
  await assign(done.id, dora.agent.id);
  const closer = await agentSocket(edge, dora.token, done.id);
  await closer.next((f) => f.type === "timeline");
  await closer.say("Resuelto, gracias.");
  act(closer, { kind: "close" });
  await closer.next(activity("closed"));
  await closer.close();
  await assign(conv.id, dora.agent.id);
  await waitFor("assigned to Dora", async () => (await line(conv.id))?.assignee_id === dora.agent.id);
  const inbox = await inboxSocket(edge, dora.token);
  await inbox.next((f) => f.type === "snapshot");
  const staff = await agentSocket(edge, dora.token, conv.id);
  await staff.next((f) => f.type === "timeline");
  const inboxEnded = closed(inbox);
  const staffEnded = closed(staff);
  const watcher = await agentSocket(edge, owner.token, conv.id);
  await watcher.next((f) => f.type === "timeline");

  const res = await call("POST", `/v1/inbox/agents/${dora.agent.id}/deactivate`, owner.token);
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal((await res.json()).deactivated, true);
  assert.equal(await inboxEnded, 4401, "inbox socket closed");
  assert.ok([4401, 4403].includes(await staffEnded), "conversation socket closed");

  // Unassigned through the conversation (source system), so the timeline says so.
  const unassigned = await watcher.next(activity("unassigned"));
  assert.equal(unassigned.event.source, "system");
  await waitFor("unassigned in the index", async () => (await line(conv.id))?.assignee_id === null);
  await watcher.close();

  // Every agent route of edge/src/http/mod.rs, with the token signed before deactivation.
  const wf = "w_" + "0".repeat(32);
  const team = "t_" + "0".repeat(32);
  const routes = [
    ["GET", "/v1/inbox/settings/business-hours"], ["PUT", "/v1/inbox/settings/business-hours", null],
    ["GET", "/v1/inbox/settings/widget"], ["PUT", "/v1/inbox/settings/widget", {}],
    ["GET", "/v1/inbox/settings/identity-secret"], ["POST", "/v1/inbox/settings/identity-secret"],
    ["GET", "/v1/inbox/me"], ["PUT", "/v1/inbox/me", { name: "Dora" }],
    ["PUT", "/v1/inbox/me/password", { current_password: PASSWORD, new_password: "otra clave larga" }],
    ["GET", "/v1/inbox/conversations"], ["GET", "/v1/inbox/agents"],
    ["POST", "/v1/inbox/invites", { email: "q@example.com", role: "agent" }],
    ["GET", "/v1/inbox/settings/lifecycle"], ["PUT", "/v1/inbox/settings/lifecycle", {}],
    ["GET", "/v1/inbox/settings/assignment"], ["PUT", "/v1/inbox/settings/assignment", null],
    ["PUT", `/v1/inbox/agents/${owner.agent.id}`, { capacity: 3 }],
    ["POST", `/v1/inbox/agents/${owner.agent.id}/deactivate`],
    ["POST", `/v1/inbox/agents/${owner.agent.id}/reactivate`],
    ["POST", `/v1/inbox/agents/${owner.agent.id}/password-reset`],
    ["GET", `/v1/inbox/contacts/${conv.session.visitor_id}`],
    ["PATCH", `/v1/inbox/contacts/${conv.session.visitor_id}`, { add_tags: ["x"] }],
    ["GET", "/v1/inbox/teams"], ["POST", "/v1/inbox/teams", { name: "Equipo" }],
    ["PUT", `/v1/inbox/teams/${team}`, { name: "Equipo" }],
    ["PUT", "/v1/inbox/me/status", { away: true }],
    ["GET", "/v1/inbox/me/notifications"], ["PUT", "/v1/inbox/me/notifications", {}],
    ["POST", `/v1/inbox/conversations/${other.id}/workflows/${wf}/run`, {}],
    ["POST", `/v1/inbox/conversations/${other.id}/notes`, { client_id: "n1", text: "nota" }],
    ["GET", "/v1/inbox/search?q=hola"],
    ["GET", "/v1/inbox/snippets"], ["POST", "/v1/inbox/snippets", { shortcut: "hola", text: "Hola", scope: "personal" }],
    ["PUT", `/v1/inbox/snippets/s_${"0".repeat(32)}`, { shortcut: "hola", text: "Hola", scope: "personal" }],
    ["DELETE", `/v1/inbox/snippets/s_${"0".repeat(32)}`],
    ["GET", "/v1/inbox/workflow-templates"],
    ["GET", "/v1/inbox/workflows"], ["POST", "/v1/inbox/workflows", { template: "welcome" }],
    ["GET", `/v1/inbox/workflows/${wf}`], ["PUT", `/v1/inbox/workflows/${wf}`, {}],
    ["DELETE", `/v1/inbox/workflows/${wf}`], ["GET", `/v1/inbox/workflows/${wf}/runs`],
    ["PUT", `/v1/inbox/workflows/${wf}/enabled`, { enabled: true }],
    ["POST", `/v1/inbox/workflows/${wf}/secret`],
    ["GET", "/v1/inbox/reports/conversations"], ["GET", "/v1/inbox/reports/conversations.csv"],
    ["GET", "/v1/inbox/reports/overview"], ["GET", "/v1/inbox/reports/agents"],
    ["GET", "/v1/inbox/reports/teams"],
    ["GET", "/v1/inbox/settings/workspace"], ["PUT", "/v1/inbox/settings/workspace", { time_zone: "Europe/Madrid" }],
  ];
  for (const [method, path, body] of routes) {
    const r = await call(method, path, dora.token, body);
    assert.equal(r.status, 401, `${method} ${path}`);
  }
  await assert.rejects(inboxSocket(edge, dora.token), (e) => e.status === 401, "inbox socket refused");
  await assert.rejects(agentSocket(edge, dora.token, other.id), (e) => e.status === 401, "conversation socket refused");

  // They cannot sign in, with a reason; they stay listed (as deactivated) and named in reports.
  const signIn = await call("POST", "/v1/auth/login", null, { workspace_id: "demo", email: "dora@example.com", password: PASSWORD });
  assert.equal(signIn.status, 401);
  assert.match((await signIn.json()).message, /deactivated/);
  const listed = (await json(await call("GET", "/v1/inbox/agents", owner.token))).find((a) => a.id === dora.agent.id);
  assert.deepEqual([listed.name, listed.deactivated, listed.online, listed.open], ["Dora", true, false, 0]);
  const board = await waitFor("Dora's closed period in the leaderboard", async () => {
    const b = await json(await call("GET", "/v1/inbox/reports/agents?preset=today", owner.token));
    return b.agents.find((a) => a.agent_id === dora.agent.id && a.closed === 1);
  });
  assert.ok(board, "still on the leaderboard");
  const csv = await (await call("GET", "/v1/inbox/reports/conversations.csv?preset=today", owner.token)).text();
  assert.match(csv, /Dora/, "the export still names her");
  // Nobody can give them a conversation any more.
  const staff2 = await agentSocket(edge, owner.token, other.id);
  await staff2.next((f) => f.type === "timeline");
  act(staff2, { kind: "assign", agent_id: dora.agent.id });
  const refused = await staff2.next((f) => f.type === "error");
  assert.equal(refused.code, "not_found");
  await staff2.close();

  // Reactivation: they sign in again, with a new token; the old one stays dead.
  const back = await call("POST", `/v1/inbox/agents/${dora.agent.id}/reactivate`, owner.token);
  assert.equal(back.status, 200);
  assert.equal((await back.json()).deactivated, false);
  const again = await login(edge, { email: "dora@example.com", password: PASSWORD });
  assert.equal((await call("GET", "/v1/inbox/me", again.token)).status, 200);
  assert.equal((await call("GET", "/v1/inbox/me", dora.token)).status, 401);
  await conv.visitor.close();
  await other.visitor.close();
  await done.visitor.close();
});

test("with automatic assignment on, a deactivated agent's conversations are routed again", async () => {
  const eva = await invited("eva@example.com", "agent", "Eva");
  const leo = await invited("leo@example.com", "agent", "Leo");
  const leoInbox = await inboxSocket(edge, leo.token);
  await leoInbox.next((f) => f.type === "snapshot");
  const { id, visitor } = await conversation("me ayudan?");
  await assign(id, eva.agent.id);
  await waitFor("assigned to Eva", async () => (await line(id))?.assignee_id === eva.agent.id);
  // Only Leo is online, so the rule can only give it to Leo.
  const rule = await call("PUT", "/v1/inbox/settings/assignment", owner.token, { who: { type: "workspace" }, method: "round_robin", online_only: true });
  assert.equal(rule.status, 200, await rule.clone().text());
  assert.equal((await call("POST", `/v1/inbox/agents/${eva.agent.id}/deactivate`, owner.token)).status, 200);
  await waitFor("routed to Leo", async () => (await line(id))?.assignee_id === leo.agent.id);
  assert.equal((await call("PUT", "/v1/inbox/settings/assignment", owner.token, null)).status, 200);
  await leoInbox.close();
  await visitor.close();
});

test("roles: agents deactivate and reset nobody; managers touch neither owners nor themselves; the last owner stays", async () => {
  const agent = await invited("ag@example.com", "agent", "Agente");
  const manager = await invited("ma@example.com", "manager", "Mánager");
  const other = await invited("ot@example.com", "agent", "Otro");
  const cases = [
    ["an agent deactivates an agent", agent, `/v1/inbox/agents/${other.agent.id}/deactivate`, 403],
    ["an agent makes a reset link", agent, `/v1/inbox/agents/${other.agent.id}/password-reset`, 403],
    ["a manager deactivates an owner", manager, `/v1/inbox/agents/${owner.agent.id}/deactivate`, 403],
    ["a manager resets an owner", manager, `/v1/inbox/agents/${owner.agent.id}/password-reset`, 403],
    ["a manager deactivates themselves", manager, `/v1/inbox/agents/${manager.agent.id}/deactivate`, 403],
    ["the owner deactivates themselves", owner, `/v1/inbox/agents/${owner.agent.id}/deactivate`, 403],
    ["a bad id", owner, "/v1/inbox/agents/a_nope/deactivate", 400],
    ["an unknown agent", owner, `/v1/inbox/agents/a_${"0".repeat(32)}/deactivate`, 404],
    ["a manager makes a reset link for an agent", manager, `/v1/inbox/agents/${other.agent.id}/password-reset`, 200],
    ["a manager deactivates an agent", manager, `/v1/inbox/agents/${other.agent.id}/deactivate`, 200],
    ["a manager reactivates an agent", manager, `/v1/inbox/agents/${other.agent.id}/reactivate`, 200],
  ];
  for (const [what, by, path, status] of cases) {
    const r = await call("POST", path, by.token);
    assert.ok(r.status === status || (status === 400 && r.status === 404), `${what}: ${r.status} ${await r.text()}`);
  }
  assert.equal((await call("GET", "/v1/inbox/me", agent.token)).status, 200, "refusals changed nothing");
  assert.equal((await call("GET", "/v1/inbox/me", owner.token)).status, 200);
});

test("a password-reset link: shown once, used once, ends earlier sessions and signs the agent in", async () => {
  const nora = await invited("nora@example.com", "agent", "Nora");
  const inbox = await inboxSocket(edge, nora.token);
  await inbox.next((f) => f.type === "snapshot");
  const ended = closed(inbox);
  const made = await call("POST", `/v1/inbox/agents/${nora.agent.id}/password-reset`, owner.token);
  assert.equal(made.status, 200, await made.clone().text());
  const link = await made.json();
  assert.ok(link.path.startsWith("/inbox/#/reset/demo/") && link.path.endsWith(link.token));
  const day = 24 * 60 * 60 * 1000;
  assert.ok(Math.abs(link.expires_at - (Date.now() + day)) < 60_000, "valid for a day");
  // Making a link changes nothing yet.
  assert.equal((await call("GET", "/v1/inbox/me", nora.token)).status, 200);

  const reset = (token, password = "clave nueva y larga", ip = "10.9.0.1") => fetch(`${edge.url}/v1/auth/reset-password`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip },
    body: JSON.stringify({ workspace_id: "demo", token, password }),
  });
  const weak = await reset(link.token, "corta");
  assert.equal(weak.status, 400, "a weak password does not use the link up");
  const used = await reset(link.token);
  assert.equal(used.status, 200, await used.clone().text());
  const session = await used.json();
  assert.equal(session.agent.id, nora.agent.id);
  assert.equal(await ended, 4401);
  assert.equal((await call("GET", "/v1/inbox/me", nora.token)).status, 401, "the earlier session ended");
  assert.equal((await call("GET", "/v1/inbox/me", session.token)).status, 200);
  const twice = await reset(link.token, "otra clave más larga");
  assert.equal(twice.status, 401);
  assert.match((await twice.json()).message, /already used|expired/);
  const unknown = await reset("0".repeat(64));
  assert.equal(unknown.status, 401);
  const signedIn = await login(edge, { email: "nora@example.com", password: "clave nueva y larga" });
  assert.equal(signedIn.agent.id, nora.agent.id);

  // A deactivated agent gets no link; rate-limited per IP like invite acceptance.
  assert.equal((await call("POST", `/v1/inbox/agents/${nora.agent.id}/deactivate`, owner.token)).status, 200);
  assert.equal((await call("POST", `/v1/inbox/agents/${nora.agent.id}/password-reset`, owner.token)).status, 400);
  const statuses = [];
  for (let i = 0; i < 12; i++) statuses.push((await reset("1".repeat(64), "clave nueva y larga", "10.9.0.77")).status);
  assert.ok(statuses.includes(429), `limited per IP: ${statuses}`);
});
