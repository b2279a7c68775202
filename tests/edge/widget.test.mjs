// Widget settings, the public config, allowed origins, the pre-chat form and identity
// verification through the real worker.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { startEdge } from "../support/edge.mjs";
import { api, newVisitor, login, visitorSocket, inboxSocket, json } from "../support/clients.mjs";

let edge, owner;
before(async () => {
  edge = await startEdge();
  owner = await login(edge);
});
after(async () => edge && (await edge.stop()));

const call = (method, path, token, body) => api(edge, method, path, token, body);
const fromOrigin = (origin, path, body, token) => fetch(edge.url + path, {
  method: "POST",
  headers: { "content-type": "application/json", origin, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: JSON.stringify(body),
});
const base = { brand_color: "#0E7490", position: "left", launcher_label: "Chat", greeting: "¡Hola!", language: "es" };

test("public config: settings applied, nothing secret, presence live", async () => {
  const cfg0 = await json(await call("GET", "/v1/widget/config/demo"));
  assert.equal(cfg0.online, false);
  assert.equal((await call("GET", "/v1/widget/config/nope")).status, 404);
  assert.equal((await call("GET", "/v1/widget/config/Bad!")).status, 400);

  const put = await call("PUT", "/v1/inbox/settings/widget", owner.token, { ...base, allowed_origins: ["https://shop.example.com/"] });
  assert.equal(put.status, 200, await put.clone().text());
  assert.deepEqual((await put.json()).allowed_origins, ["https://shop.example.com"]);
  assert.equal((await call("PUT", "/v1/inbox/settings/widget", owner.token, { ...base, brand_color: "blue" })).status, 400);

  const inbox = await inboxSocket(edge, owner.token);
  await inbox.next((f) => f.type === "snapshot");
  const res = await call("GET", "/v1/widget/config/demo");
  assert.equal(res.headers.get("access-control-allow-origin"), "*");
  const cfg = await res.json();
  assert.deepEqual([cfg.brand_color, cfg.position, cfg.launcher_label, cfg.language, cfg.online], ["#0e7490", "left", "Chat", "es", true]);
  assert.ok(cfg.agents.length === 1 && !JSON.stringify(cfg).includes("@"), `first names only, no emails: ${JSON.stringify(cfg)}`);
  assert.ok(!("allowed_origins" in cfg) && !("require_identity_verification" in cfg));
  await inbox.close();
});

test("allowed origins: another site gets a clear 403 and no session", async () => {
  await call("PUT", "/v1/inbox/settings/widget", owner.token, { ...base, allowed_origins: ["https://shop.example.com"] });
  const evil = await fromOrigin("https://evil.example", "/v1/widget/session", { workspace_id: "demo" });
  assert.equal(evil.status, 403);
  assert.match((await evil.json()).message, /origin https:\/\/evil\.example is not allowed/);
  assert.equal((await fromOrigin("https://shop.example.com", "/v1/widget/session", { workspace_id: "demo" })).status, 200);
  await call("PUT", "/v1/inbox/settings/widget", owner.token, { ...base, allowed_origins: [] });
  assert.equal((await fromOrigin("https://evil.example", "/v1/widget/session", { workspace_id: "demo" })).status, 200);
});

test("pre-chat form: validated answers become the contact's fields", async () => {
  const prechat = { enabled: true, fields: [
    { key: "name", label: "Nombre", kind: "name", required: true },
    { key: "email", label: "Email", kind: "email", required: true },
    { key: "phone", label: "Teléfono", kind: "phone", required: false },
    { key: "pedido", label: "Pedido", kind: "text", required: false },
  ] };
  assert.equal((await call("PUT", "/v1/inbox/settings/widget", owner.token, { ...base, prechat })).status, 200);
  const cfg = await json(await call("GET", "/v1/widget/config/demo"));
  assert.deepEqual(cfg.prechat.fields.map((f) => f.key), ["name", "email", "phone", "pedido"]);

  const session = await newVisitor(edge);
  const send = (answers) => call("POST", "/v1/widget/prechat", session.token, { answers });
  const missing = await send({ name: "Ana" });
  assert.equal(missing.status, 400);
  assert.match((await missing.json()).message, /Email is required/);
  assert.equal((await send({ name: "Ana", email: "ana@x" })).status, 400);
  assert.equal((await send({ name: "Ana", email: "ana@example.com", phone: "12" })).status, 400);
  assert.equal((await send({ name: "Ana", email: "ana@example.com", vip: "sí" })).status, 400);
  assert.equal((await call("POST", "/v1/widget/prechat", null, { answers: {} })).status, 401);
  const ok = await send({ name: "Ana Ruiz", email: "ana@example.com", phone: "+34 600 111 222", pedido: "1042" });
  assert.equal(ok.status, 200, await ok.clone().text());

  const v = await visitorSocket(edge, session);
  await v.say("hola");
  let contact;
  for (let i = 0; i < 50; i++) {
    const res = await call("GET", `/v1/inbox/contacts/${session.visitor_id}`, owner.token);
    if (res.status === 200) { contact = await res.json(); break; }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual([contact.name, contact.email, contact.phone, contact.fields.pedido], ["Ana Ruiz", "ana@example.com", "+34600111222", "1042"]);
  await v.close();
  await call("PUT", "/v1/inbox/settings/widget", owner.token, base);
});

test("identify: HMAC verification required; a verified user gets their own conversation back", async () => {
  await call("PUT", "/v1/inbox/settings/widget", owner.token, { ...base, require_identity_verification: true });
  assert.equal((await call("GET", "/v1/inbox/settings/identity-secret", (await newVisitor(edge)).token)).status, 401);
  const { secret } = await json(await call("GET", "/v1/inbox/settings/identity-secret", owner.token));
  assert.equal(secret.length, 64);
  const sign = (id, key = secret) => createHmac("sha256", key).update(id).digest("hex");

  const laptop = await newVisitor(edge);
  const ident = (s, body) => call("POST", "/v1/widget/identify", s.token, body);
  const unsigned = await ident(laptop, { user_id: "cliente-7", name: "Eva" });
  assert.equal(unsigned.status, 403);
  assert.match((await unsigned.json()).message, /requires identity verification/);
  const forged = await ident(laptop, { user_id: "cliente-7", user_hash: sign("cliente-7", "not-the-secret") });
  assert.equal(forged.status, 403);
  assert.match((await forged.json()).message, /verification failed/);
  assert.equal((await ident(laptop, { user_id: "cliente-8", user_hash: sign("cliente-7") })).status, 403, "hash of another user");

  const first = await json(await ident(laptop, { user_id: "cliente-7", user_hash: sign("cliente-7"), name: "Eva Gil", email: "eva@example.com", attributes: { plan: "pro" } }));
  assert.equal(first.merged, false);
  assert.equal(first.session.conversation_id, laptop.conversation_id);
  const v1 = await visitorSocket(edge, first.session);
  await v1.say("escribo desde el portátil");
  await v1.close();

  // The same user on another device is merged into the known contact and conversation.
  const phone = await newVisitor(edge);
  const second = await json(await ident(phone, { user_id: "cliente-7", user_hash: sign("cliente-7").toUpperCase() }));
  assert.equal(second.merged, true);
  assert.deepEqual([second.session.visitor_id, second.session.conversation_id], [laptop.visitor_id, laptop.conversation_id]);
  const v2 = await visitorSocket(edge, second.session);
  await v2.next((f) => f.type === "hello");
  const history = await v2.sync(0);
  assert.deepEqual(history.map((m) => m.text), ["escribo desde el portátil"]);
  await v2.close();
  const contact = await json(await call("GET", `/v1/inbox/contacts/${laptop.visitor_id}`, owner.token));
  assert.deepEqual([contact.name, contact.email, contact.fields.plan, contact.fields.user_id], ["Eva Gil", "eva@example.com", "pro", "cliente-7"]);

  // Rotating the secret invalidates old signatures.
  const rotated = await json(await call("POST", "/v1/inbox/settings/identity-secret", owner.token));
  assert.notEqual(rotated.secret, secret);
  assert.equal((await ident(await newVisitor(edge), { user_id: "cliente-7", user_hash: sign("cliente-7") })).status, 403);

  // Without required verification an unsigned identify only fills in the current contact.
  await call("PUT", "/v1/inbox/settings/widget", owner.token, base);
  const anon = await newVisitor(edge);
  const loose = await json(await ident(anon, { user_id: "cliente-7", name: "Quien Sea" }));
  assert.deepEqual([loose.merged, loose.session.conversation_id], [false, anon.conversation_id]);
});

test("connection check: the workspace exists, the site's origin is allowed or not, who is online", async () => {
  const check = (ws, query = "", headers = {}) => fetch(`${edge.url}/v1/widget/check/${ws}${query}`, { headers });
  assert.equal((await check("no-such-shop")).status, 404);
  assert.equal((await check("Bad!")).status, 400);
  assert.equal((await check("demo", "?site=javascript:alert(1)")).status, 400);

  await call("PUT", "/v1/inbox/settings/widget", owner.token, { ...base, allowed_origins: [] });
  const open = await check("demo", "?site=" + encodeURIComponent("https://Tienda.example.com/producto/7?x=1"));
  assert.equal(open.status, 200);
  assert.equal(open.headers.get("access-control-allow-origin"), "*");
  assert.equal(open.headers.get("cache-control"), "no-store");
  assert.deepEqual(await open.json(), { origin: "https://tienda.example.com", origin_status: "any_site", agents_online: 0, open: true });

  await call("PUT", "/v1/inbox/settings/widget", owner.token, { ...base, allowed_origins: ["https://shop.example.com"] });
  const allowed = await json(await check("demo", "?site=https://shop.example.com/"));
  assert.equal(allowed.origin_status, "allowed");
  const refused = await json(await check("demo", "?site=https://evil.example"));
  assert.equal(refused.origin_status, "not_allowed");
  // From a browser with no `site`: the page's own Origin is checked.
  const fromPage = await json(await check("demo", "", { origin: "https://shop.example.com" }));
  assert.deepEqual([fromPage.origin, fromPage.origin_status], ["https://shop.example.com", "allowed"]);
  const fromServer = await json(await check("demo"));
  assert.deepEqual([fromServer.origin, fromServer.origin_status], [null, "unknown"]);

  const inbox = await inboxSocket(edge, owner.token);
  await inbox.next((f) => f.type === "snapshot");
  assert.equal((await json(await check("demo", "?site=https://shop.example.com"))).agents_online, 1);
  await inbox.close();
  await call("PUT", "/v1/inbox/settings/widget", owner.token, { ...base, allowed_origins: [] });
});
