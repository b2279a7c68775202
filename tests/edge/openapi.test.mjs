// The REST API's OpenAPI 3.1 document (`/v1/openapi.json`) against the real worker: it is a
// valid document, and every operation it lists is called, answers with a status it documents,
// and with a body its schema accepts (ajv, JSON Schema 2020-12, the dialect of OpenAPI 3.1).
// Refusals (no key, a missing scope) are checked against the documented error too.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import Ajv2020 from "ajv/dist/2020.js";
import { startEdge } from "../support/edge.mjs";
import { api, json, login, newVisitor, visitorSocket } from "../support/clients.mjs";

let edge, owner, doc, ajv, full, none;
before(async () => {
  edge = await startEdge({ vars: { CHARLA_ALLOW_PRIVATE_HTTP: "1" } });
  owner = await login(edge);
  const key = async (name, scopes) => (await json(await api(edge, "POST", "/v1/inbox/api-keys", owner.token, { name, scopes }))).secret;
  full = await key("Todo", ["contacts:read", "contacts:write", "conversations:read", "conversations:write", "messages:write", "webhooks"]);
  none = await key("Solo contactos", ["contacts:read"]);
  const res = await fetch(`${edge.url}/v1/openapi.json`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type"), /application\/json/);
  doc = await res.json();
  ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ $id: "doc", components: doc.components });
});
after(async () => edge && (await edge.stop()));

/** Validate `body` against the schema the operation documents for `status`. */
function conforms(path, method, status, body) {
  const op = doc.paths[path]?.[method];
  assert.ok(op, `${method} ${path} is documented`);
  const response = op.responses[String(status)];
  assert.ok(response, `${method.toUpperCase()} ${path} documents ${status} (got ${JSON.stringify(body).slice(0, 300)})`);
  const schema = response.content["application/json"].schema;
  // Inline schemas name components as "#/…"; here they live in the schema added as "doc".
  const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')));
  assert.ok(validate(body), `${method.toUpperCase()} ${path} ${status}: ${JSON.stringify(validate.errors, null, 1)}\n${JSON.stringify(body).slice(0, 500)}`);
}

test("the document is OpenAPI 3.1 with a scope and an operation id on every operation", () => {
  assert.equal(doc.openapi, "3.1.0");
  const ids = new Set();
  for (const [path, item] of Object.entries(doc.paths)) {
    assert.match(path, /^\/v1\/api\//);
    for (const [method, op] of Object.entries(item)) {
      assert.ok(op.operationId && !ids.has(op.operationId), `${method} ${path}: unique operationId`);
      ids.add(op.operationId);
      assert.match(op["x-scope"], /^((contacts|conversations|messages):(read|write)|webhooks)$/);
      for (const status of ["401", "403", "429"]) assert.ok(op.responses[status], `${op.operationId} documents ${status}`);
    }
  }
  // Every schema compiles.
  for (const name of Object.keys(doc.components.schemas)) ajv.compile({ $ref: `doc#/components/schemas/${name}` });
});

test("every documented operation answers as documented", async () => {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.next((f) => f.type === "hello");
  await visitor.say("hola, ¿tenéis envío a Canarias?");
  await visitor.close();
  const contact = session.visitor_id;
  const conversation = session.conversation_id;
  const called = new Set();
  const check = async (method, template, path, token, body) => {
    const res = await api(edge, method.toUpperCase(), path, token, body);
    const answer = await res.json();
    conforms(template, method, res.status, answer);
    called.add(`${method} ${template}`);
    return { status: res.status, answer };
  };

  const made = await check("post", "/v1/api/contacts", "/v1/api/contacts", full, { name: "Marta Ruiz", email: "marta@example.com" });
  assert.equal(made.status, 201);
  const patched = await check("patch", "/v1/api/contacts/{id}", `/v1/api/contacts/${contact}`, full, { name: "Lucía", email: "lucia@example.com", fields: { pedido: "4242" }, add_tags: ["canarias"] });
  assert.equal(patched.status, 200);
  assert.equal((await check("get", "/v1/api/contacts", "/v1/api/contacts?limit=5&q=luc", full)).answer.contacts[0].id, contact);
  await check("get", "/v1/api/contacts/{id}", `/v1/api/contacts/${contact}`, full);
  await check("get", "/v1/api/conversations", `/v1/api/conversations?contact=${contact}`, full);
  await check("get", "/v1/api/conversations/{id}", `/v1/api/conversations/${conversation}`, full);
  assert.equal((await check("post", "/v1/api/conversations/{id}/messages", `/v1/api/conversations/${conversation}/messages`, full, { client_id: "oa-1", text: "Sí, en 3 días", agent_id: owner.agent.id })).status, 201);
  assert.equal((await check("post", "/v1/api/conversations/{id}/messages", `/v1/api/conversations/${conversation}/messages`, full, { client_id: "oa-1", text: "Sí, en 3 días", agent_id: owner.agent.id })).status, 200);
  await check("get", "/v1/api/conversations/{id}/messages", `/v1/api/conversations/${conversation}/messages?limit=1`, full);
  await check("post", "/v1/api/conversations/{id}/actions", `/v1/api/conversations/${conversation}/actions`, full, { kind: "close", note: { category: null, summary: "Envío confirmado" } });

  const hook = await check("post", "/v1/api/webhooks", "/v1/api/webhooks", full, { url: "http://127.0.0.1:9/nadie-escucha", events: ["contact.updated"] });
  assert.equal(hook.status, 201);
  await check("get", "/v1/api/webhooks", "/v1/api/webhooks", full);
  await check("patch", "/v1/api/contacts/{id}", `/v1/api/contacts/${contact}`, full, { add_tags: ["con-webhook"] });
  let deliveries;
  for (let i = 0; i < 100; i++) {
    deliveries = await check("get", "/v1/api/webhooks/{id}/deliveries", `/v1/api/webhooks/${hook.answer.id}/deliveries`, full);
    if (deliveries.answer.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(deliveries.answer.length > 0, "a delivery was tried (and failed: nobody listens)");
  await check("post", "/v1/api/webhooks/deliveries/{delivery}/redeliver", `/v1/api/webhooks/deliveries/${deliveries.answer[0].id}/redeliver`, full);
  await check("delete", "/v1/api/webhooks/{id}", `/v1/api/webhooks/${hook.answer.id}`, full);
  await check("get", "/v1/api/webhooks/{id}/deliveries", `/v1/api/webhooks/${hook.answer.id}/deliveries`, full);

  const doomed = await check("post", "/v1/api/contacts", "/v1/api/contacts", full, { name: "Para borrar" });
  assert.equal((await check("delete", "/v1/api/contacts/{id}", `/v1/api/contacts/${doomed.answer.id}`, full)).status, 200);

  // Refusals, against the documented error.
  await check("get", "/v1/api/contacts/{id}", `/v1/api/contacts/v_${"0".repeat(32)}`, full);
  await check("get", "/v1/api/conversations/{id}", `/v1/api/conversations/${conversation}`, none);
  await check("get", "/v1/api/contacts", "/v1/api/contacts", null);
  await check("post", "/v1/api/conversations/{id}/actions", `/v1/api/conversations/${conversation}/actions`, full, { kind: "close" });
  await check("get", "/v1/api/conversations", "/v1/api/conversations?status=maybe", full);

  const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`));
  assert.deepEqual(documented.filter((op) => !called.has(op)), [], "operations never called");
});

test("no route of the REST API is left out of the document", async () => {
  // A path the router does not know answers "no such API route"; every documented one is known.
  const unknown = await api(edge, "GET", "/v1/api/nothing-here", full);
  assert.equal(unknown.status, 404);
  assert.match((await unknown.json()).message, /no such API route/);
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item)) {
      const prefix = path.includes("contacts") ? "v" : path.includes("webhooks") ? "h" : "c";
      const concrete = path.replace("{id}", `${prefix}_${"0".repeat(32)}`).replace("{delivery}", "1");
      const res = await api(edge, method.toUpperCase(), concrete, full, method === "get" ? undefined : {});
      const body = await res.json();
      assert.doesNotMatch(body.message ?? "", /no such API route/, `${method} ${path} is routed`);
    }
  }
});
