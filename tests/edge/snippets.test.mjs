// Snippets through the real worker: workspace snippets are everyone's to read and only owners'
// and managers' to change; personal snippets exist only for their owner. Every refusal is the
// server's, with the project's error body.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { api, login } from "../support/clients.mjs";

let edge, owner, manager, ana, beto;
before(async () => {
  edge = await startEdge();
  owner = await login(edge);
  manager = await invited("mara@example.com", "manager", "Mara");
  ana = await invited("ana@example.com", "agent", "Ana");
  beto = await invited("beto@example.com", "agent", "Beto");
});
after(async () => edge && (await edge.stop()));

const call = (method, path, token, body) => api(edge, method, path, token, body);

async function invited(email, role, name) {
  const inv = await call("POST", "/v1/inbox/invites", owner.token, { email, role });
  assert.equal(inv.status, 200, await inv.clone().text());
  const { token } = await inv.json();
  const acc = await call("POST", "/v1/auth/accept-invite", null, { workspace_id: "demo", token, name, password: "una clave larga" });
  assert.equal(acc.status, 200, await acc.clone().text());
  return acc.json();
}

async function ok(res, status = 200) {
  const text = await res.text();
  assert.equal(res.status, status, text);
  return JSON.parse(text);
}

async function refused(res, status, code) {
  const body = await res.json();
  assert.equal(res.status, status, JSON.stringify(body));
  assert.equal(body.code, code);
  assert.equal(typeof body.message, "string");
  return body;
}

const list = async (who) => ok(await call("GET", "/v1/inbox/snippets", who.token));

test("owners and managers keep workspace snippets; everyone reads them", async () => {
  const made = await ok(await call("POST", "/v1/inbox/snippets", owner.token, {
    shortcut: " Hola ", text: ' Hola {{contact.first_name | "cliente"}}, soy {{agent.name}} ', scope: "workspace",
  }));
  assert.match(made.id, /^s_[0-9a-f]{32}$/);
  assert.equal(made.shortcut, "hola");
  assert.equal(made.text, 'Hola {{contact.first_name | "cliente"}}, soy {{agent.name}}');
  assert.equal(made.scope, "workspace");
  assert.equal(made.owner_id, null);
  for (const who of [owner, manager, ana]) {
    assert.deepEqual((await list(who)).filter((s) => s.scope === "workspace").map((s) => s.id), [made.id]);
  }
  const edited = await ok(await call("PUT", `/v1/inbox/snippets/${made.id}`, manager.token, {
    shortcut: "hola", text: "Hola {{contact.first_name}}", scope: "workspace",
  }));
  assert.equal(edited.text, "Hola {{contact.first_name}}");
  assert.equal((await list(ana)).find((s) => s.id === made.id).text, "Hola {{contact.first_name}}");
  await ok(await call("DELETE", `/v1/inbox/snippets/${made.id}`, manager.token));
  assert.equal((await list(owner)).some((s) => s.id === made.id), false);
  await refused(await call("DELETE", `/v1/inbox/snippets/${made.id}`, owner.token), 404, "not_found");
});

test("agents cannot create, edit or delete workspace snippets", async () => {
  const made = await ok(await call("POST", "/v1/inbox/snippets", owner.token, { shortcut: "gracias", text: "¡Gracias!", scope: "workspace" }));
  await refused(await call("POST", "/v1/inbox/snippets", ana.token, { shortcut: "mio", text: "x", scope: "workspace" }), 403, "forbidden");
  await refused(await call("PUT", `/v1/inbox/snippets/${made.id}`, ana.token, { shortcut: "gracias", text: "hack", scope: "workspace" }), 403, "forbidden");
  // Editing it into a personal one of hers is not a way around the rule either.
  await refused(await call("PUT", `/v1/inbox/snippets/${made.id}`, ana.token, { shortcut: "gracias", text: "hack", scope: "personal" }), 403, "forbidden");
  await refused(await call("DELETE", `/v1/inbox/snippets/${made.id}`, ana.token), 403, "forbidden");
  assert.equal((await list(owner)).find((s) => s.id === made.id).text, "¡Gracias!");
  await refused(await call("GET", "/v1/inbox/snippets"), 401, "unauthorized");
});

test("personal snippets are their owner's alone", async () => {
  const mine = await ok(await call("POST", "/v1/inbox/snippets", ana.token, { shortcut: "firma", text: "Un saludo, {{agent.first_name}}", scope: "personal" }));
  assert.equal(mine.scope, "personal");
  assert.equal(mine.owner_id, ana.agent.id);
  assert.ok((await list(ana)).some((s) => s.id === mine.id));
  for (const other of [beto, owner, manager]) {
    assert.equal((await list(other)).some((s) => s.id === mine.id), false);
    // To anyone else the id names nothing, owners included.
    await refused(await call("PUT", `/v1/inbox/snippets/${mine.id}`, other.token, { shortcut: "firma", text: "x", scope: "personal" }), 404, "not_found");
    await refused(await call("DELETE", `/v1/inbox/snippets/${mine.id}`, other.token), 404, "not_found");
  }
  // The same shortcut is free in another agent's scope and in the workspace's.
  await ok(await call("POST", "/v1/inbox/snippets", beto.token, { shortcut: "firma", text: "Beto", scope: "personal" }));
  await ok(await call("POST", "/v1/inbox/snippets", owner.token, { shortcut: "firma", text: "El equipo", scope: "workspace" }));
  await refused(await call("POST", "/v1/inbox/snippets", ana.token, { shortcut: "FIRMA", text: "otra", scope: "personal" }), 400, "bad_request");
  const edited = await ok(await call("PUT", `/v1/inbox/snippets/${mine.id}`, ana.token, { shortcut: "firma2", text: "Ana", scope: "personal" }));
  assert.equal(edited.shortcut, "firma2");
  await refused(await call("PUT", `/v1/inbox/snippets/${mine.id}`, ana.token, { shortcut: "firma2", text: "Ana", scope: "workspace" }), 403, "forbidden");
  await ok(await call("DELETE", `/v1/inbox/snippets/${mine.id}`, ana.token));
  assert.equal((await list(ana)).some((s) => s.id === mine.id), false);
});

test("bad input is refused before it is stored", async () => {
  const before = (await list(owner)).length;
  const bad = [
    { shortcut: "", text: "x", scope: "workspace" },
    { shortcut: "con espacio", text: "x", scope: "workspace" },
    { shortcut: "x".repeat(33), text: "x", scope: "workspace" },
    { shortcut: "ok", text: "   ", scope: "workspace" },
    { shortcut: "ok", text: "x".repeat(2001), scope: "workspace" },
    { shortcut: "ok", text: "{{event.text}}", scope: "workspace" },
    { shortcut: "ok", text: "{{contact.first_name", scope: "workspace" },
    { shortcut: "ok", text: "x", scope: "team" },
    { shortcut: "ok", text: "x" },
    { shortcut: 7, text: "x", scope: "workspace" },
  ];
  for (const body of bad) {
    await refused(await call("POST", "/v1/inbox/snippets", owner.token, body), 400, "bad_request");
  }
  const huge = await fetch(`${edge.url}/v1/inbox/snippets`, {
    method: "POST",
    headers: { authorization: `Bearer ${owner.token}`, "content-type": "application/json" },
    body: JSON.stringify({ shortcut: "big", text: "x".repeat(20_000), scope: "workspace" }),
  });
  await refused(huge, 400, "bad_request");
  for (const id of ["../agents", "s_123", "a_00000000000000000000000000000000", "s_0000000000000000000000000000000G"]) {
    await refused(await call("PUT", `/v1/inbox/snippets/${encodeURIComponent(id)}`, owner.token, { shortcut: "ok", text: "x", scope: "workspace" }), 404, "not_found");
    await refused(await call("DELETE", `/v1/inbox/snippets/${encodeURIComponent(id)}`, owner.token), 404, "not_found");
  }
  await refused(await call("PUT", `/v1/inbox/snippets/s_${"0".repeat(32)}`, owner.token, { shortcut: "ok", text: "x", scope: "workspace" }), 404, "not_found");
  assert.equal((await list(owner)).length, before);
});
