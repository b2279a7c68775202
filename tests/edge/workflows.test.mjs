// Workflow store through the real worker: templates, validation errors itemised for the
// editor, versions, enable/disable, webhook secrets shown once, roles enforced.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { api, login, json } from "../support/clients.mjs";

let edge, owner;
before(async () => {
  edge = await startEdge();
  owner = await login(edge);
});
after(async () => edge && (await edge.stop()));

const call = (method, path, token, body) => api(edge, method, path, token, body);

async function agentToken() {
  const inv = await json(await call("POST", "/v1/inbox/invites", owner.token, { email: "wf-agent@example.com", role: "agent" }));
  const acc = await json(await call("POST", "/v1/auth/accept-invite", null, { workspace_id: "demo", token: inv.token, name: "Agente", password: "una clave larga" }));
  return acc.token;
}

test("templates become editable, versioned workflows; problems come back per step", async () => {
  const templates = await json(await call("GET", "/v1/inbox/workflow-templates", owner.token));
  assert.equal(templates.length, 9);
  assert.ok(templates.every((t) => t.template && t.name && t.description));

  const created = await call("POST", "/v1/inbox/workflows", owner.token, { template: "unassign_after_close" });
  assert.equal(created.status, 200, await created.clone().text());
  const wf = await created.json();
  assert.match(wf.id, /^w_/);
  assert.deepEqual([wf.version, wf.enabled, wf.trigger.type], [1, false, "conversation_closed"]);
  assert.equal(wf.conditions[0].value, "user");

  // A broken edit is refused whole, with the step it is about.
  const broken = structuredClone(wf);
  broken.steps[0].next = "nowhere";
  const refused = await call("PUT", `/v1/inbox/workflows/${wf.id}`, owner.token, broken);
  assert.equal(refused.status, 400);
  const body = await refused.json();
  assert.ok(body.details.length >= 1, JSON.stringify(body));
  assert.ok(body.details.some((d) => d.step_id === "unassign" && /nowhere/.test(d.message)), JSON.stringify(body.details));
  // Clients word it from the stable kind and its fields, not from the English message.
  assert.ok(
    body.details.some((d) => d.kind === "no_such_step" && d.part === "next" && d.value === "nowhere"),
    JSON.stringify(body.details),
  );
  assert.equal((await json(await call("GET", `/v1/inbox/workflows/${wf.id}`, owner.token))).version, 1, "nothing saved");
  assert.equal((await call("PUT", `/v1/inbox/workflows/${wf.id}`, owner.token, { nonsense: true })).status, 400);

  const edited = { ...wf, name: "Desasignar al cerrar" };
  const v2 = await json(await call("PUT", `/v1/inbox/workflows/${wf.id}`, owner.token, edited));
  assert.deepEqual([v2.version, v2.name], [2, "Desasignar al cerrar"]);
  const on = await json(await call("PUT", `/v1/inbox/workflows/${wf.id}/enabled`, owner.token, { enabled: true }));
  assert.deepEqual([on.enabled, on.version], [true, 2], "enabling is not an edit");
  const list = await json(await call("GET", "/v1/inbox/workflows", owner.token));
  const line = list.find((l) => l.workflow.id === wf.id);
  assert.deepEqual([line.workflow.enabled, line.last_runs], [true, []]);
  assert.equal((await call("GET", "/v1/inbox/workflows/w_nope", owner.token)).status, 404);
});

test("webhook secrets are shown once and never stored; agents cannot edit workflows", async () => {
  const hook = {
    id: "ignored", name: "Webhook", enabled: false,
    trigger: { type: "webhook", secret_fingerprint: "attacker-chosen" },
    start: "tag", steps: [{ id: "tag", type: "add_tag", tags: ["webhook"] }],
  };
  const res = await call("POST", "/v1/inbox/workflows", owner.token, hook);
  assert.equal(res.status, 200, await res.clone().text());
  const wf = await res.json();
  assert.notEqual(wf.id, "ignored");
  assert.equal(wf.trigger.secret_fingerprint, "", "a client cannot choose the fingerprint");
  const early = await call("PUT", `/v1/inbox/workflows/${wf.id}/enabled`, owner.token, { enabled: true });
  assert.equal(early.status, 400, "no secret yet: cannot enable");
  const { secret } = await json(await call("POST", `/v1/inbox/workflows/${wf.id}/secret`, owner.token));
  assert.equal(secret.length, 48);
  const stored = await json(await call("GET", `/v1/inbox/workflows/${wf.id}`, owner.token));
  assert.ok(!JSON.stringify(stored).includes(secret));
  assert.equal(stored.trigger.secret_fingerprint.length, 64);

  const agent = await agentToken();
  const cases = [
    ["agent lists workflows", () => call("GET", "/v1/inbox/workflows", agent), 200],
    ["agent creates", () => call("POST", "/v1/inbox/workflows", agent, { template: "out_of_hours" }), 403],
    ["agent edits", () => call("PUT", `/v1/inbox/workflows/${wf.id}`, agent, stored), 403],
    ["agent enables", () => call("PUT", `/v1/inbox/workflows/${wf.id}/enabled`, agent, { enabled: true }), 403],
    ["agent reads the secret", () => call("POST", `/v1/inbox/workflows/${wf.id}/secret`, agent), 403],
    ["agent reads runs", () => call("GET", `/v1/inbox/workflows/${wf.id}/runs`, agent), 403],
    ["agent deletes", () => call("DELETE", `/v1/inbox/workflows/${wf.id}`, agent), 403],
    ["nobody lists", () => call("GET", "/v1/inbox/workflows"), 401],
    ["owner deletes", () => call("DELETE", `/v1/inbox/workflows/${wf.id}`, owner.token), 200],
    ["deleted is gone", () => call("GET", `/v1/inbox/workflows/${wf.id}`, owner.token), 404],
  ];
  for (const [what, run, status] of cases) assert.equal((await run()).status, status, what);
});
