// OWASP ASVS V4 — Access control across workspaces. An owner of another workspace on the same
// edge holds a real, valid session: every agent route that takes an id (conversations, notes,
// contacts, agents, snippets, search, sockets) must answer as if the first workspace's ids did
// not exist, and change nothing there.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge, call, login, newVisitor, visitorSocket, agentSocket, ok, until, stored } from "./support.mjs";

const ADMIN = "admin-token-for-the-cross-workspace-test";
const OTHER = { workspace: "otra-tienda", email: "duena@otra.example", password: "una clave larga" };

let edge, owner, intruder, victim;
before(async () => {
  edge = await startEdge({ vars: { CHARLA_ADMIN_TOKEN: ADMIN } });
  owner = await login(edge);
  await ok(
    await call(edge, "POST", "/v1/admin/workspaces", ADMIN, {
      workspace_id: OTHER.workspace, owner_email: OTHER.email, owner_name: "Dueña Otra", owner_password: OTHER.password,
    }),
    "create the other workspace",
  );
  intruder = await login(edge, OTHER);
  // The first workspace's conversation, contact and snippet the intruder aims at.
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.say("mi número de pedido secreto es 4242 calabacín");
  await visitor.close();
  victim = { session, id: session.conversation_id, contact: session.visitor_id };
  await until(async () => ok(await call(edge, "GET", "/v1/inbox/search?q=calabacin", owner.token)), (r) => r.some((x) => x.conversation.id === victim.id), "indexed for its own owner");
});
after(async () => edge && (await edge.stop()));

test("a session of another workspace is a session there only", async () => {
  const list = await ok(await call(edge, "GET", "/v1/inbox/conversations", intruder.token));
  assert.ok(!list.some((c) => c.id === victim.id), "the other workspace's list");
  const agents = await ok(await call(edge, "GET", "/v1/inbox/agents", intruder.token));
  assert.ok(!agents.some((a) => a.id === owner.agent.id), "the other workspace's agents");
});

test("search finds nothing of another workspace", async () => {
  for (const q of ["calabacin", "4242", "pedido secreto"]) {
    const hits = await ok(await call(edge, "GET", `/v1/inbox/search?q=${encodeURIComponent(q)}`, intruder.token));
    assert.deepEqual(hits, [], q);
  }
});

test("notes, contacts and sockets on another workspace's conversation are refused, nothing stored", async () => {
  const note = await call(edge, "POST", `/v1/inbox/conversations/${victim.id}/notes`, intruder.token, { client_id: "n-cross-1", text: "hola desde fuera" });
  assert.ok([403, 404].includes(note.status), `note: ${note.status}`);
  const contact = await call(edge, "GET", `/v1/inbox/contacts/${victim.contact}`, intruder.token);
  assert.ok([403, 404].includes(contact.status), `contact read: ${contact.status}`);
  const patch = await call(edge, "PATCH", `/v1/inbox/contacts/${victim.contact}`, intruder.token, { name: "Cambiado" });
  assert.ok([403, 404].includes(patch.status), `contact write: ${patch.status}`);
  const run = await call(edge, "POST", `/v1/inbox/conversations/${victim.id}/workflows/wf_x/run`, intruder.token, {});
  assert.ok([400, 403, 404].includes(run.status), `workflow run: ${run.status}`);
  // The socket opens on the intruder's own workspace, where that conversation does not exist.
  const socket = await agentSocket(edge, intruder.token, victim.id).then(
    async (c) => {
      const first = await c.next(() => true, 5_000).catch(() => null);
      await c.close();
      return first;
    },
    () => null,
  );
  assert.ok(socket === null || socket.type === "error", `socket: ${JSON.stringify(socket)}`);
  // Nothing reached the conversation, its contact or its timeline.
  const messages = await stored(edge, owner.token, victim.id);
  assert.equal(messages.length, 1);
  const mine = await ok(await call(edge, "GET", `/v1/inbox/contacts/${victim.contact}`, owner.token));
  assert.notEqual(mine.name, "Cambiado");
});

test("agents and snippets of another workspace cannot be touched", async () => {
  for (const path of [`/v1/inbox/agents/${owner.agent.id}/deactivate`, `/v1/inbox/agents/${owner.agent.id}/password-reset`]) {
    const res = await call(edge, "POST", path, intruder.token, {});
    assert.ok([403, 404].includes(res.status), `${path}: ${res.status}`);
  }
  const role = await call(edge, "PUT", `/v1/inbox/agents/${owner.agent.id}`, intruder.token, { role: "agent" });
  assert.ok([403, 404].includes(role.status), `change agent: ${role.status}`);
  const snippet = await ok(await call(edge, "POST", "/v1/inbox/snippets", owner.token, { shortcut: "cruzado", text: "solo nuestro", scope: "workspace" }));
  const theirs = await ok(await call(edge, "GET", "/v1/inbox/snippets", intruder.token));
  assert.ok(!theirs.some((s) => s.id === snippet.id), "listed to another workspace");
  for (const [method, body] of [["PUT", { shortcut: "cruzado", text: "cambiado", scope: "workspace" }], ["DELETE", undefined]]) {
    const res = await call(edge, method, `/v1/inbox/snippets/${snippet.id}`, intruder.token, body);
    assert.ok([403, 404].includes(res.status), `${method} snippet: ${res.status}`);
  }
  const still = await ok(await call(edge, "GET", "/v1/inbox/snippets", owner.token));
  assert.equal(still.find((s) => s.id === snippet.id)?.text, "solo nuestro");
  // The owner of the first workspace is still an owner, still signed in.
  const me = await ok(await call(edge, "GET", "/v1/inbox/me", owner.token));
  assert.equal(me.role, "owner");
});

test("API keys, webhooks, the files list and contact deletion: another workspace's owner and a visitor's token reach nothing", async () => {
  const key = await ok(await call(edge, "POST", "/v1/inbox/api-keys", owner.token, { name: "Nuestra", scopes: ["contacts:read"] }));
  const hook = await ok(await call(edge, "POST", "/v1/inbox/webhooks", owner.token, { url: "https://crm.example.com/hooks", events: ["contact.updated"] }));
  // The intruder, an owner over there, lists only their own.
  assert.ok(!(await ok(await call(edge, "GET", "/v1/inbox/api-keys", intruder.token))).some((k) => k.id === key.id));
  assert.ok(!(await ok(await call(edge, "GET", "/v1/inbox/webhooks", intruder.token))).some((h) => h.id === hook.id));
  assert.ok(!JSON.stringify(await ok(await call(edge, "GET", "/v1/inbox/files", intruder.token))).includes(victim.id));
  for (const [method, path] of [
    ["DELETE", `/v1/inbox/api-keys/${key.id}`],
    ["DELETE", `/v1/inbox/webhooks/${hook.id}`],
    ["GET", `/v1/inbox/webhooks/${hook.id}/deliveries`],
    ["DELETE", `/v1/inbox/contacts/${victim.contact}`],
    ["DELETE", `/v1/inbox/conversations/${victim.id}`],
  ]) {
    const res = await call(edge, method, path, intruder.token);
    assert.ok([403, 404].includes(res.status), `${method} ${path}: ${res.status}`);
  }
  // Their own key is a key of their workspace only.
  const theirs = await ok(await call(edge, "POST", "/v1/inbox/api-keys", intruder.token, { name: "Suya", scopes: ["contacts:read", "conversations:read"] }));
  assert.equal((await call(edge, "GET", `/v1/api/contacts/${victim.contact}`, theirs.secret)).status, 404);
  assert.equal((await call(edge, "GET", `/v1/api/conversations/${victim.id}`, theirs.secret)).status, 404);
  // A visitor's token, or none, opens none of these agent routes.
  for (const token of [victim.session.token, null]) {
    for (const [method, path] of [
      ["GET", "/v1/inbox/api-keys"],
      ["GET", "/v1/inbox/webhooks"],
      ["GET", "/v1/inbox/files"],
      ["DELETE", `/v1/inbox/contacts/${victim.contact}`],
      ["GET", "/v1/api/contacts"],
    ]) {
      assert.equal((await call(edge, method, path, token)).status, 401, `${method} ${path} with ${token ? "a visitor token" : "no token"}`);
    }
  }
  // Everything of ours is still there.
  assert.ok((await ok(await call(edge, "GET", "/v1/inbox/api-keys", owner.token))).find((k) => k.id === key.id && !k.revoked_at));
  assert.ok((await ok(await call(edge, "GET", "/v1/inbox/webhooks", owner.token))).some((h) => h.id === hook.id));
  assert.equal((await stored(edge, owner.token, victim.id)).length, 1);
  // No test reaches an outside host: the subscription goes before any event can be sent.
  await ok(await call(edge, "DELETE", `/v1/inbox/webhooks/${hook.id}`, owner.token));
});
