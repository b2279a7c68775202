// Agents, roles and workspace settings through the real worker. Roles are enforced by the
// server: every refusal below is an HTTP status, not a hidden button.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { api, newVisitor, login, visitorSocket, agentSocket } from "../support/clients.mjs";

let edge, owner;
before(async () => {
  edge = await startEdge();
  owner = await login(edge);
});
after(async () => edge && (await edge.stop()));

const call = (method, path, token, body) => api(edge, method, path, token, body);

async function invited(by, email, role, name = "Invitada", password = "una clave larga") {
  const inv = await call("POST", "/v1/inbox/invites", by.token, { email, role });
  assert.equal(inv.status, 200, await inv.clone().text());
  const { token, path } = await inv.json();
  assert.ok(path.endsWith(token) && path.startsWith("/inbox/#/invite/demo/"));
  const acc = await call("POST", "/v1/auth/accept-invite", null, { workspace_id: "demo", token, name, password });
  assert.equal(acc.status, 200, await acc.clone().text());
  return { ...(await acc.json()), inviteToken: token };
}

test("an owner invites an agent with a one-time link; the agent signs in with its own password", async () => {
  const ana = await invited(owner, "ana@example.com", "agent", "Ana");
  assert.equal(ana.agent.role, "agent");
  assert.equal(ana.agent.email, "ana@example.com");
  // The link works once.
  const again = await call("POST", "/v1/auth/accept-invite", null, { workspace_id: "demo", token: ana.inviteToken, name: "X", password: "otra clave larga" });
  assert.equal(again.status, 401);
  const forged = await call("POST", "/v1/auth/accept-invite", null, { workspace_id: "demo", token: "0".repeat(64), name: "X", password: "otra clave larga" });
  assert.equal(forged.status, 401);
  const relogin = await login(edge, { email: "ana@example.com", password: "una clave larga" });
  assert.equal(relogin.agent.id, ana.agent.id);
  const list = await (await call("GET", "/v1/inbox/agents", ana.token)).json();
  assert.deepEqual(list.map((a) => a.email).sort(), ["ana@example.com", "demo@charla.dev"]);
  // Weak passwords and duplicate emails are refused with reasons.
  const inv = await (await call("POST", "/v1/inbox/invites", owner.token, { email: "ana@example.com", role: "agent" })).json();
  const dup = await call("POST", "/v1/auth/accept-invite", null, { workspace_id: "demo", token: inv.token, name: "Ana 2", password: "una clave larga" });
  assert.equal(dup.status, 400);
  const inv2 = await (await call("POST", "/v1/inbox/invites", owner.token, { email: "corta@example.com", role: "agent" })).json();
  const weak = await call("POST", "/v1/auth/accept-invite", null, { workspace_id: "demo", token: inv2.token, name: "C", password: "corta" });
  assert.equal(weak.status, 400);
  assert.match((await weak.json()).message, /at least 10/);
});

test("roles are enforced on the server", async () => {
  const agent = await invited(owner, "beto@example.com", "agent", "Beto");
  const manager = await invited(owner, "mara@example.com", "manager", "Mara");
  const settings = { closing_category: "required", closing_summary: "optional", categories: ["Ventas"], auto_close_after: 86_400_000 };
  const cases = [
    ["agent invites", () => call("POST", "/v1/inbox/invites", agent.token, { email: "x@example.com", role: "agent" }), 403],
    ["agent edits settings", () => call("PUT", "/v1/inbox/settings/lifecycle", agent.token, settings), 403],
    ["agent reads settings", () => call("GET", "/v1/inbox/settings/lifecycle", agent.token), 200],
    ["manager invites an owner", () => call("POST", "/v1/inbox/invites", manager.token, { email: "y@example.com", role: "owner" }), 403],
    ["manager invites a manager", () => call("POST", "/v1/inbox/invites", manager.token, { email: "z@example.com", role: "manager" }), 200],
    ["nobody lists agents", () => call("GET", "/v1/inbox/agents"), 401],
    ["nobody edits settings", () => call("PUT", "/v1/inbox/settings/lifecycle", null, settings), 401],
    ["a visitor token edits settings", async () => call("PUT", "/v1/inbox/settings/lifecycle", (await newVisitor(edge)).token, settings), 401],
  ];
  for (const [what, run, status] of cases) assert.equal((await run()).status, status, what);
});

test("closing-note settings apply to the next close; out-of-range auto-close is refused", async () => {
  const bad = await call("PUT", "/v1/inbox/settings/lifecycle", owner.token, { auto_close_after: 60_000 });
  assert.equal(bad.status, 400);
  const put = await call("PUT", "/v1/inbox/settings/lifecycle", owner.token, {
    closing_category: "required", closing_summary: "optional", categories: ["Ventas", "Soporte", "Reclamo"], auto_close_after: 1_800_000,
  });
  assert.equal(put.status, 200, await put.clone().text());
  assert.deepEqual((await (await call("GET", "/v1/inbox/settings/lifecycle", owner.token)).json()).categories, ["Ventas", "Soporte", "Reclamo"]);

  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.say("quiero devolver un pedido");
  const staff = await agentSocket(edge, owner.token, session.conversation_id);
  await staff.next((f) => f.type === "timeline");
  staff.send({ type: "action", action: { kind: "close", note: { summary: "sin categoría" } } });
  const refused = await staff.next((f) => f.type === "error");
  assert.equal(refused.code, "bad_request");
  assert.match(refused.message, /category/);
  staff.send({ type: "action", action: { kind: "close", note: { category: "Otra" } } });
  assert.equal((await staff.next((f) => f.type === "error")).code, "bad_request");
  staff.send({ type: "action", action: { kind: "close", note: { category: "Reclamo", summary: "Devolución aprobada" } } });
  const closed = await staff.next((f) => f.type === "activity" && f.event.kind.type === "closed");
  assert.deepEqual(closed.event.kind.note, { category: "Reclamo", summary: "Devolución aprobada" });
  await Promise.all([visitor.close(), staff.close()]);
});
