// OWASP ASVS V4 — Access control. Attacks by signed-in teammates beyond their role or access
// level: managers changing owners, agents keeping sockets they lost the right to, agents
// reading workflow secrets and run lists of conversations they may not see, visitors acting as
// agents. Each case asserts the refusal and that nothing was changed or lost.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startEdge, call, login, invited, newVisitor, visitorSocket, agentSocket, handshake, act, ok, until, sleep, stored, lifecycleOf,
} from "./support.mjs";

let edge, owner;
before(async () => {
  edge = await startEdge();
  owner = await login(edge);
});
after(async () => edge && (await edge.stop()));

const agentsList = async (token = owner.token) => ok(await call(edge, "GET", "/v1/inbox/agents", token), "agents");
const statusOf = async (id) => {
  const a = (await agentsList()).find((x) => x.id === id);
  return { role: a.role, access: a.access, capacity: a.capacity };
};
const put = (by, id, body) => call(edge, "PUT", `/v1/inbox/agents/${id}`, by.token, body);

/** A conversation with one visitor message, listed in the inbox. */
async function conversation(text) {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.say(text);
  await until(async () => ok(await call(edge, "GET", "/v1/inbox/conversations", owner.token)), (l) => l.some((c) => c.id === session.conversation_id), `${text} indexed`);
  return { session, visitor, id: session.conversation_id };
}

async function assign(conversationId, agentId) {
  const staff = await agentSocket(edge, owner.token, conversationId);
  await staff.next((f) => f.type === "timeline");
  act(staff, { kind: "assign", agent_id: agentId });
  await staff.next((f) => f.type === "activity" && f.event.kind.type === "assigned");
  await staff.close();
}

test("defect 3 — agent administration follows the rule table for every caller × target × field", async () => {
  // Two owners, so "the last owner stays an owner" does not mask the cells; callers and targets
  // are different people.
  const owner2 = await invited(edge, owner, "duena2@example.com", "owner", "Dueña Dos");
  const mgr = await invited(edge, owner, "gerente@example.com", "manager", "Gerente");
  const mgr2 = await invited(edge, owner, "gerente2@example.com", "manager", "Gerente Dos");
  const agt = await invited(edge, owner, "agente@example.com", "agent", "Agente");
  const agt2 = await invited(edge, owner, "agente2@example.com", "agent", "Agente Dos");
  const targets = { owner: owner2, manager: mgr2, agent: agt2 };
  const original = {};
  for (const [role, t] of Object.entries(targets)) {
    original[role] = await statusOf(t.agent.id);
    assert.equal(original[role].role, role);
  }
  // The change tried on each field (always a real change for that target).
  const change = {
    role: { owner: { role: "agent" }, manager: { role: "agent" }, agent: { role: "manager" } },
    access: { owner: { access: "mine_and_unassigned" }, manager: { access: "mine_and_unassigned" }, agent: { access: "mine_and_unassigned" } },
    capacity: { owner: { capacity: 0 }, manager: { capacity: 0 }, agent: { capacity: 0 } },
  };
  // The rules of docs/API.md: owners change anyone (the last owner stays an owner); managers
  // change only agents and grant only agent/manager; agents change no one.
  const allowed = (caller, target) => caller === "owner" || (caller === "manager" && target === "agent");
  const callers = { owner, manager: mgr, agent: agt };
  const problems = [];
  for (const [callerRole, caller] of Object.entries(callers)) {
    for (const [targetRole, target] of Object.entries(targets)) {
      for (const field of ["role", "access", "capacity"]) {
        const body = change[field][targetRole];
        const res = await put(caller, target.agent.id, body);
        const want = allowed(callerRole, targetRole) ? 200 : 403;
        const now = await statusOf(target.agent.id);
        const cell = `${callerRole} sets ${targetRole}'s ${field} to ${JSON.stringify(body[field])}`;
        if (res.status !== want) problems.push(`${cell}: ${res.status}, want ${want}`);
        if (want === 403 && JSON.stringify(now) !== JSON.stringify(original[targetRole])) {
          problems.push(`${cell}: refused or not, the target changed: ${JSON.stringify(now)}`);
        }
        if (res.status === 200) {
          assert.equal(now[field], body[field], `${cell} took effect`);
          // Restore (as the first owner) for the next cell.
          const back = await put(owner, target.agent.id, { [field]: original[targetRole][field] });
          assert.equal(back.status, 200, `restore ${targetRole} ${field}`);
          assert.deepEqual(await statusOf(target.agent.id), original[targetRole]);
        }
      }
    }
  }
  assert.deepEqual(problems, [], "rule table cells that do not hold");

  // Roles a manager may grant: agent → manager yes (checked above), agent → owner never.
  const toOwner = await put(mgr, agt2.agent.id, { role: "owner" });
  assert.equal(toOwner.status, 403, "a manager grants owner");
  assert.deepEqual(await statusOf(agt2.agent.id), original.agent);

  // The last owner stays an owner: with owner2 demoted, the first owner cannot demote themselves.
  assert.equal((await put(owner, owner2.agent.id, { role: "manager" })).status, 200);
  const last = await put(owner, owner.agent.id, { role: "manager" });
  assert.equal(last.status, 400, "demoting the last owner");
  assert.equal((await statusOf(owner.agent.id)).role, "owner");
  assert.equal((await put(owner, owner2.agent.id, { role: "owner" })).status, 200);

  // A manager cannot change themselves either (docs/API.md: "no (403), themselves included").
  const self = await statusOf(mgr.agent.id);
  assert.equal((await put(mgr, mgr.agent.id, { capacity: 0 })).status, 403, "a manager changes their own capacity");
  assert.deepEqual(await statusOf(mgr.agent.id), self);

  // Agents change only their own away status.
  assert.equal((await put(agt, agt.agent.id, { capacity: 99 })).status, 403, "an agent raises their own capacity");
  assert.equal((await put(agt, agt.agent.id, { access: "all" })).status, 403, "an agent widens their own access");
  const away = await call(edge, "PUT", "/v1/inbox/me/status", agt.token, { away: true });
  assert.equal(away.status, 200);
  assert.equal((await away.json()).away, true);
  await call(edge, "PUT", "/v1/inbox/me/status", agt.token, { away: false });

  // Nothing lost: every account still signs in with its role.
  for (const [role, t] of Object.entries({ ...targets, caller_manager: mgr, caller_agent: agt })) {
    const me = await ok(await call(edge, "GET", "/v1/inbox/me", t.token));
    assert.equal(me.id, t.agent.id, role);
  }
});

test("defect 4 — narrowing an agent's access reaches an already-open socket at once: error forbidden, close 4403, no later messages; a new socket gets 403", async () => {
  const lia = await invited(edge, owner, "lia-acceso@example.com", "agent", "Lía");
  assert.equal((await statusOf(lia.agent.id)).access, "all");
  const c = await conversation("para el dueño");
  await assign(c.id, owner.agent.id);

  // Lía (access "all") watches the owner's conversation.
  const hers = await agentSocket(edge, lia.token, c.id);
  await hers.next((f) => f.type === "timeline");
  await c.visitor.say("visible mientras tanto");
  await hers.next((f) => f.type === "message" && f.message.text === "visible mientras tanto");

  const set = await put(owner, lia.agent.id, { access: "mine_and_unassigned" });
  assert.equal(set.status, 200);
  const refused = await hers.next((f) => f.type === "error", 5_000);
  assert.equal(refused.code, "forbidden");
  const closed = await Promise.race([hers.closing, sleep(5_000).then(() => ({ code: "still open" }))]);
  assert.equal(closed.code, 4403);

  await c.visitor.say("ya no para Lía");
  await sleep(300);
  assert.ok(!hers.frames.some((f) => f.type === "message" && f.message.text === "ya no para Lía"), "no message after losing access");
  assert.equal(await handshake(`${edge.wsUrl}/v1/inbox/conversations/${c.id}/ws`, lia.token), 403, "a new socket");

  // Nothing lost: the owner's conversation holds every message, and Lía still works on what she may see.
  assert.deepEqual((await stored(edge, owner.token, c.id)).map((m) => m.text), ["para el dueño", "visible mientras tanto", "ya no para Lía"]);
  const free = await conversation("sin asignar");
  const ok2 = await agentSocket(edge, lia.token, free.id);
  await ok2.next((f) => f.type === "hello");
  await ok2.say("te atiendo yo");
  await ok2.close();
  await c.visitor.close();
  await free.visitor.close();
});

test("defect 7 — a plain agent sees no HTTP step header values; run lists show a restricted agent no conversation it may not see", async () => {
  const secretWf = await ok(await call(edge, "POST", "/v1/inbox/workflows", owner.token, {
    name: "Avisar al CRM", trigger: { type: "manual" }, start: "crm",
    steps: [{
      id: "crm", type: "http_request", method: "POST", url: "https://crm.example.com/hook",
      headers: { Authorization: "Bearer sekret-123", "X-Api-Key": "llave-456" }, body: "{\"id\":\"{{conversation.id}}\"}",
    }],
  }), "create HTTP workflow");
  const tagWf = await ok(await call(edge, "POST", "/v1/inbox/workflows", owner.token, {
    name: "Etiquetar", trigger: { type: "manual" }, start: "tag", steps: [{ id: "tag", type: "add_tag", tags: ["visto"] }],
  }), "create tag workflow");
  assert.equal((await call(edge, "PUT", `/v1/inbox/workflows/${tagWf.id}/enabled`, owner.token, { enabled: true })).status, 200);

  const restricted = await invited(edge, owner, "restringida@example.com", "agent", "Restringida");
  assert.equal((await put(owner, restricted.agent.id, { access: "mine_and_unassigned" })).status, 200);
  const plain = await invited(edge, owner, "normal@example.com", "agent", "Normal");

  // A run on a conversation the restricted agent may not see.
  const c = await conversation("conversación del dueño");
  await assign(c.id, owner.agent.id);
  const ran = await call(edge, "POST", `/v1/inbox/conversations/${c.id}/workflows/${tagWf.id}/run`, owner.token);
  assert.equal(ran.status, 200, await ran.clone().text());
  // Nothing lost: the owner sees the run in the listing.
  await until(async () => ok(await call(edge, "GET", "/v1/inbox/workflows", owner.token)),
    (l) => JSON.stringify(l.find((x) => x.workflow.id === tagWf.id)?.last_runs ?? []).includes(c.id), "owner sees the run");

  for (const [who, s] of [["plain agent", plain], ["restricted agent", restricted]]) {
    const listRes = await call(edge, "GET", "/v1/inbox/workflows", s.token);
    assert.equal(listRes.status, 200, `${who} lists workflows (sees what they do)`);
    const list = await listRes.json();
    const text = JSON.stringify(list);
    assert.ok(list.some((l) => l.workflow.id === secretWf.id), `${who} sees the workflow exists`);
    assert.ok(!text.includes("sekret-123") && !text.includes("llave-456"), `${who}: header values in the listing: ${text.slice(0, 600)}`);
    const one = await call(edge, "GET", `/v1/inbox/workflows/${secretWf.id}`, s.token);
    if (one.status === 200) {
      const t = await one.text();
      assert.ok(!t.includes("sekret-123") && !t.includes("llave-456"), `${who}: header values in GET /workflows/{id}`);
    } else {
      assert.equal(one.status, 403);
    }
    assert.equal((await call(edge, "GET", `/v1/inbox/workflows/${tagWf.id}/runs`, s.token)).status, 403, `${who} reads a run list`);
  }
  const restrictedList = JSON.stringify(await ok(await call(edge, "GET", "/v1/inbox/workflows", restricted.token)));
  assert.ok(!restrictedList.includes(c.id), "the restricted agent's last_runs name a conversation it may not see");

  // Nothing lost: the owner still holds the secret (it is theirs to manage) and the workflow works.
  const ownerView = JSON.stringify(await ok(await call(edge, "GET", `/v1/inbox/workflows/${secretWf.id}`, owner.token)));
  assert.ok(ownerView.includes("crm.example.com"));
  const contact = await ok(await call(edge, "GET", `/v1/inbox/contacts/${c.session.visitor_id}`, owner.token));
  assert.deepEqual(contact.tags, ["visto"]);
  await c.visitor.close();
});

test("a visitor cannot act as an agent: lifecycle actions from the widget socket are refused and change nothing", async () => {
  const c = await conversation("hola");
  act(c.visitor, { kind: "assign", agent_id: owner.agent.id });
  act(c.visitor, { kind: "close", note: { category: null, summary: null } });
  const errs = [await c.visitor.next((f) => f.type === "error"), await c.visitor.next((f) => f.type === "error")];
  assert.deepEqual(errs.map((e) => e.code), ["forbidden", "forbidden"]);
  assert.ok(!c.visitor.frames.some((f) => f.type === "lifecycle" || f.type === "activity"), "visitors never receive lifecycle frames");
  const { state } = await lifecycleOf(edge, owner.token, c.id);
  assert.equal(state.status, "open");
  assert.equal(state.assignee_id, null);
  await c.visitor.say("sigo");
  assert.deepEqual((await stored(edge, owner.token, c.id)).map((m) => m.text), ["hola", "sigo"]);
  await c.visitor.close();
});

test("agents cannot reach owner/manager functions: invites, settings, identity secret, run lists", async () => {
  const agent = await invited(edge, owner, "sin-poderes@example.com", "agent", "Sin Poderes");
  const before = await ok(await call(edge, "GET", "/v1/inbox/settings/lifecycle", owner.token));
  const cases = [
    ["invite", () => call(edge, "POST", "/v1/inbox/invites", agent.token, { email: "x@example.com", role: "agent" })],
    ["lifecycle settings", () => call(edge, "PUT", "/v1/inbox/settings/lifecycle", agent.token, { ...before, categories: ["hackeado"] })],
    ["widget settings", () => call(edge, "PUT", "/v1/inbox/settings/widget", agent.token, { greeting: "hackeado" })],
    ["identity secret read", () => call(edge, "GET", "/v1/inbox/settings/identity-secret", agent.token)],
    ["identity secret rotate", () => call(edge, "POST", "/v1/inbox/settings/identity-secret", agent.token)],
    ["assignment rule", () => call(edge, "PUT", "/v1/inbox/settings/assignment", agent.token, null)],
    ["create workflow", () => call(edge, "POST", "/v1/inbox/workflows", agent.token, { template: "out_of_hours" })],
  ];
  for (const [what, run] of cases) assert.equal((await run()).status, 403, what);
  assert.deepEqual(await ok(await call(edge, "GET", "/v1/inbox/settings/lifecycle", owner.token)), before, "settings unchanged");
  const cfg = await ok(await call(edge, "GET", "/v1/widget/config/demo"));
  assert.notEqual(cfg.greeting, "hackeado");
});

test("cross-origin reads of the agents' API are not allowed (no CORS on /v1/inbox, /v1/auth); only widget routes are open to any origin", async () => {
  const evil = { origin: "https://evil.example" };
  const pre = await fetch(`${edge.url}/v1/inbox/agents`, { method: "OPTIONS", headers: { ...evil, "access-control-request-method": "GET", "access-control-request-headers": "authorization" } });
  assert.equal(pre.headers.get("access-control-allow-origin"), null, "preflight for the inbox API");
  const res = await call(edge, "GET", "/v1/inbox/agents", owner.token, undefined, { headers: evil });
  assert.equal(res.headers.get("access-control-allow-origin"), null, "inbox API answer readable cross-origin");
  const loginPre = await fetch(`${edge.url}/v1/auth/login`, { method: "OPTIONS", headers: { ...evil, "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });
  assert.equal(loginPre.headers.get("access-control-allow-origin"), null, "preflight for login");
  // The widget's public routes are meant for any site.
  const widget = await call(edge, "GET", "/v1/widget/config/demo", null, undefined, { headers: evil });
  assert.equal(widget.headers.get("access-control-allow-origin"), "*");
});
