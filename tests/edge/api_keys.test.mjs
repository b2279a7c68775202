// The REST API's keys through the real worker: owners create (the key shown once, only a hint
// listed after), scope, and revoke them; managers and agents cannot; a key reads and changes
// contacts only as its scopes say (403 names the missing scope), a revoked or made-up key is
// 401, and one key past its limit gets 429 + Retry-After while another key goes on.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { startEdge } from "../support/edge.mjs";
import { api, json, login, newVisitor, visitorSocket, invitedAgent } from "../support/clients.mjs";

let edge, owner;
before(async () => {
  edge = await startEdge();
  owner = await login(edge);
});
after(async () => edge && (await edge.stop()));

const call = (method, path, token, body) => api(edge, method, path, token, body);

async function created(name, scopes, by = owner) {
  const res = await call("POST", "/v1/inbox/api-keys", by.token, { name, scopes });
  const body = await json(res);
  assert.equal(res.status, 201, JSON.stringify(body));
  return body;
}

/** A contact with a conversation (a visitor who wrote once), named by the inbox. */
async function contact(name, email) {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.next((f) => f.type === "hello");
  await visitor.say("hola");
  await visitor.close();
  if (name) {
    const res = await call("PATCH", `/v1/inbox/contacts/${session.visitor_id}`, owner.token, { name, email });
    assert.equal(res.status, 200, await res.text());
  }
  return session.visitor_id;
}

test("owners create keys shown once; lists show a hint, never the secret; others may not", async () => {
  const key = await created("  Sincronizar Shopify ", ["contacts:write", "contacts:read", "contacts:read"]);
  assert.match(key.secret, /^ck1\.demo\.k_[0-9a-f]{32}\.[0-9a-f]{64}$/);
  assert.equal(key.name, "Sincronizar Shopify");
  assert.deepEqual(key.scopes, ["contacts:read", "contacts:write"]);
  assert.equal(key.hint, key.secret.slice(-4));
  assert.equal(key.created_by, owner.agent.id);
  const listed = await json(await call("GET", "/v1/inbox/api-keys", owner.token));
  const mine = listed.find((k) => k.id === key.id);
  assert.ok(mine, "listed");
  assert.equal(mine.secret, undefined);
  assert.ok(!JSON.stringify(listed).includes(key.secret.split(".")[3]), "no secret in the list");

  for (const [body, why] of [
    [{ name: " ", scopes: ["contacts:read"] }, "no name"],
    [{ name: "x", scopes: [] }, "no scope"],
    [{ name: "x", scopes: ["admin"] }, "unknown scope"],
    [{ name: "n".repeat(81), scopes: ["webhooks"] }, "long name"],
  ]) {
    assert.equal((await call("POST", "/v1/inbox/api-keys", owner.token, body)).status, 400, why);
  }

  const manager = await invitedAgent(edge, owner, "gerente.api@example.com", "manager", "Gerente");
  const agent = await invitedAgent(edge, owner, "agente.api@example.com", "agent", "Agente");
  for (const who of [manager, agent]) {
    assert.equal((await call("GET", "/v1/inbox/api-keys", who.token)).status, 403);
    assert.equal((await call("POST", "/v1/inbox/api-keys", who.token, { name: "x", scopes: ["contacts:read"] })).status, 403);
    assert.equal((await call("DELETE", `/v1/inbox/api-keys/${key.id}`, who.token)).status, 403);
  }
  assert.equal((await call("GET", "/v1/inbox/api-keys", null)).status, 401);
  assert.equal((await call("DELETE", "/v1/inbox/api-keys/../x", owner.token)).status, 404);
});

test("a key reads contacts page by page and searches them; writing needs contacts:write", async () => {
  const ana = await contact("Ana Pérez", "ana@tienda.example");
  const bruno = await contact("Bruno Díaz", "bruno@tienda.example");
  const reader = await created("Lector", ["contacts:read"]);
  const writer = await created("Escritor", ["contacts:write", "contacts:read"]);

  // Every page by a cursor: each contact once, in id order.
  const seen = [];
  let cursor = "";
  for (let pages = 0; pages < 50; pages++) {
    const page = await json(await call("GET", `/v1/api/contacts?limit=1&cursor=${cursor}`, reader.secret));
    assert.ok(page.contacts.length <= 1);
    seen.push(...page.contacts.map((c) => c.id));
    if (!page.next) break;
    cursor = page.next;
  }
  assert.ok(seen.includes(ana) && seen.includes(bruno), "both contacts listed");
  assert.deepEqual(seen, [...seen].sort(), "id order");
  assert.equal(new Set(seen).size, seen.length, "each once");

  const found = await json(await call("GET", `/v1/api/contacts?q=${encodeURIComponent("PÉREZ")}`, reader.secret));
  assert.deepEqual(found.contacts.map((c) => c.id), [ana]);
  const byMail = await json(await call("GET", "/v1/api/contacts?q=bruno%40tienda", reader.secret));
  assert.deepEqual(byMail.contacts.map((c) => c.id), [bruno]);
  const wild = await json(await call("GET", "/v1/api/contacts?q=%25", reader.secret));
  assert.deepEqual(wild.contacts, [], "a % is a character, not a wildcard");

  const one = await json(await call("GET", `/v1/api/contacts/${ana}`, reader.secret));
  assert.equal(one.email, "ana@tienda.example");
  assert.equal((await call("GET", `/v1/api/contacts/v_${"0".repeat(32)}`, reader.secret)).status, 404);
  assert.equal((await call("GET", "/v1/api/contacts/..%2Fx", reader.secret)).status, 404);
  assert.equal((await call("GET", "/v1/api/contacts?limit=0", reader.secret)).status, 400);
  assert.equal((await call("GET", "/v1/api/contacts?cursor=../x", reader.secret)).status, 400);

  const refused = await call("PATCH", `/v1/api/contacts/${ana}`, reader.secret, { name: "Cambiada" });
  assert.equal(refused.status, 403);
  const why = await refused.json();
  assert.equal(why.code, "forbidden");
  assert.deepEqual(why.details, [{ missing_scope: "contacts:write" }]);
  assert.match(why.message, /contacts:write/);

  const patched = await json(await call("PATCH", `/v1/api/contacts/${ana}`, writer.secret, { phone: "+34600111222", add_tags: ["vip"] }));
  assert.equal(patched.contact.phone, "+34600111222");
  assert.deepEqual(patched.contact.tags, ["vip"]);
  const inInbox = await json(await call("GET", `/v1/inbox/contacts/${ana}`, owner.token));
  assert.equal(inInbox.phone, "+34600111222", "the inbox sees the API's change");
  const invalid = await call("PATCH", `/v1/api/contacts/${ana}`, writer.secret, { email: "no es un correo" });
  assert.equal(invalid.status, 400, "validated as every write path is");

  // Used keys say when (written at most once a minute).
  const listed = await json(await call("GET", "/v1/inbox/api-keys", owner.token));
  assert.ok(listed.find((k) => k.id === reader.id).last_used_at > 0);
});

test("revoked, made-up and misplaced keys are 401; a session token is not a key", async () => {
  const key = await created("Para revocar", ["contacts:read"]);
  assert.equal((await call("GET", "/v1/api/contacts", key.secret)).status, 200);
  const revoked = await json(await call("DELETE", `/v1/inbox/api-keys/${key.id}`, owner.token));
  assert.ok(revoked.revoked_at > 0);
  assert.equal((await call("GET", "/v1/api/contacts", key.secret)).status, 401);

  const [prefix, ws, id, secret] = key.secret.split(".");
  const other = randomBytes(32).toString("hex");
  for (const [what, token] of [
    ["none", null],
    ["agent session", owner.token],
    ["another secret", [prefix, ws, id, other].join(".")],
    ["unknown key id", [prefix, ws, `k_${randomBytes(16).toString("hex")}`, secret].join(".")],
    ["unknown workspace", [prefix, "no-existe", id, secret].join(".")],
    ["bad shape", `${key.secret}.x`],
    ["path in the workspace", [prefix, "../demo", id, secret].join(".")],
  ]) {
    const res = await call("GET", "/v1/api/contacts", token);
    assert.equal(res.status, 401, what);
    assert.equal((await res.json()).code, "unauthorized", what);
  }
});

test("one key past its limit gets 429 + Retry-After; another key goes on", async () => {
  const busy = await created("Bucle", ["contacts:read"]);
  const calm = await created("Tranquila", ["contacts:read"]);
  let limited = null;
  let answered = 0;
  for (let i = 0; i < 700 && !limited; i++) {
    const res = await fetch(`${edge.url}/v1/api/contacts/v_${"0".repeat(32)}`, {
      headers: { authorization: `Bearer ${busy.secret}`, "cf-connecting-ip": `10.9.${i % 250}.${1 + (i % 200)}` },
    });
    if (res.status === 429) limited = { res, body: await res.json() };
    else {
      assert.equal(res.status, 404);
      await res.arrayBuffer();
      answered++;
    }
  }
  assert.ok(limited, `${answered} calls with one key were all answered`);
  assert.ok(answered >= 500, `the key got its budget first (${answered})`);
  assert.match(limited.res.headers.get("retry-after") ?? "", /^[1-9][0-9]*$/);
  assert.equal(limited.body.code, "rate_limited");
  assert.equal((await call("GET", "/v1/api/contacts?limit=1", calm.secret)).status, 200);
});

test("contacts made through the API: a retry with the same Idempotency-Key makes one contact", async () => {
  const writer = await created("Importador", ["contacts:write", "contacts:read"]);
  const make = (body, idem) =>
    fetch(`${edge.url}/v1/api/contacts`, {
      method: "POST",
      headers: { authorization: `Bearer ${writer.secret}`, "content-type": "application/json", ...(idem ? { "idempotency-key": idem } : {}) },
      body: JSON.stringify(body),
    });
  const first = await make({ name: "Carmen Vidal", email: "carmen@tienda.example", add_tags: ["importado"] }, "fila-17");
  assert.equal(first.status, 201);
  const carmen = await first.json();
  assert.match(carmen.id, /^v_[0-9a-f]{32}$/);
  assert.deepEqual(carmen.tags, ["importado"]);
  const again = await make({ name: "Carmen Vidal", email: "carmen@tienda.example" }, "fila-17");
  assert.equal(again.status, 200);
  assert.equal((await again.json()).id, carmen.id, "the same contact");
  const other = await make({ name: "Carmen Vidal" }, "fila-18");
  assert.equal(other.status, 201);
  assert.notEqual((await other.json()).id, carmen.id);

  const listed = await json(await call("GET", `/v1/api/contacts?q=${encodeURIComponent("carmen@tienda")}`, writer.secret));
  assert.deepEqual(listed.contacts.map((c) => c.id), [carmen.id], "listed though it has no conversation");
  assert.equal((await json(await call("GET", `/v1/api/contacts/${carmen.id}`, writer.secret))).email, "carmen@tienda.example");

  assert.equal((await make({ fields: { pedido: "1" } })).status, 400, "names nobody");
  assert.equal((await make({ name: "X", email: "no es correo" })).status, 400, "validated");
  assert.equal((await make({ name: "X" }, "con espacios")).status, 400, "malformed key");
  const reader = await created("Solo lectura", ["contacts:read"]);
  const refused = await fetch(`${edge.url}/v1/api/contacts`, {
    method: "POST",
    headers: { authorization: `Bearer ${reader.secret}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "Nadie" }),
  });
  assert.equal(refused.status, 403);
});

test("deleting a contact deletes its conversations and their files; only owners do it in the inbox", async () => {
  const writer = await created("Borrador", ["contacts:write", "contacts:read", "conversations:read"]);
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.next((f) => f.type === "hello");
  const up = await fetch(`${edge.url}/v1/widget/files?name=factura.pdf`, {
    method: "POST",
    headers: { authorization: `Bearer ${session.token}`, "content-type": "application/octet-stream" },
    body: Buffer.concat([Buffer.from("%PDF-1.7\n", "latin1"), randomBytes(2000)]),
  });
  assert.equal(up.status, 201);
  const file = await up.json();
  visitor.send({ type: "send", client_id: "borrar-1", text: "mi factura", attachments: [file.id] });
  await visitor.next((f) => f.type === "ack" && f.client_id === "borrar-1");
  const link = await json(await call("GET", `/v1/inbox/conversations/${session.conversation_id}/files/${file.id}/link`, owner.token));
  assert.equal((await fetch(link.url)).status, 200);

  const agent = await invitedAgent(edge, owner, "agente.borrar@example.com", "agent", "Agente");
  assert.equal((await call("DELETE", `/v1/inbox/contacts/${session.visitor_id}`, agent.token)).status, 403);
  const reader = await created("Lector sin borrar", ["contacts:read"]);
  assert.equal((await call("DELETE", `/v1/api/contacts/${session.visitor_id}`, reader.secret)).status, 403);

  const gone = await call("DELETE", `/v1/api/contacts/${session.visitor_id}`, writer.secret);
  assert.equal(gone.status, 200);
  assert.deepEqual(await gone.json(), { deleted: true, conversations: 1 });
  assert.equal((await call("GET", `/v1/api/contacts/${session.visitor_id}`, writer.secret)).status, 404);
  assert.equal((await call("GET", `/v1/api/conversations/${session.conversation_id}`, writer.secret)).status, 404);
  assert.equal((await fetch(link.url)).status, 404, "the file's bytes are gone");
  const list = await json(await call("GET", "/v1/inbox/conversations", owner.token));
  assert.ok(!list.some((c) => c.id === session.conversation_id));
  assert.equal((await call("DELETE", `/v1/api/contacts/${session.visitor_id}`, writer.secret)).status, 404, "already gone");
  await visitor.close().catch(() => {});
});
