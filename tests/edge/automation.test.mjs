// Workflows running in the Conversation DO through the real worker: the seed scenario (an agent
// closes → unassigned; a workflow closes → nothing), questions with quick replies answered by
// the visitor, waits woken by the alarm, the run log in the timeline and the run list.
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
const act = (client, action) => client.send({ type: "action", action });
const activity = (kind) => (f) => f.type === "activity" && f.event.kind.type === kind;

async function enabled(definition) {
  const res = await call("POST", "/v1/inbox/workflows", owner.token, definition);
  assert.equal(res.status, 200, await res.clone().text());
  const wf = await res.json();
  const on = await call("PUT", `/v1/inbox/workflows/${wf.id}/enabled`, owner.token, { enabled: true });
  assert.equal(on.status, 200, await on.clone().text());
  return wf;
}
const disable = (wf) => call("PUT", `/v1/inbox/workflows/${wf.id}/enabled`, owner.token, { enabled: false });

/** The workflow's run list once `pred` holds (runs are recorded just after their effects). */
async function runsOf(wf, pred, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const runs = await json(await call("GET", `/v1/inbox/workflows/${wf.id}/runs`, owner.token));
    if (pred(runs)) return runs;
    if (Date.now() > deadline) throw new Error(`timeout: run list ${JSON.stringify(runs).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function summaryOf(id, pred, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const c = (await json(await call("GET", "/v1/inbox/conversations", owner.token))).find((x) => x.id === id);
    if (c && pred(c)) return c;
    if (Date.now() > deadline) throw new Error(`timeout: ${what}: ${JSON.stringify(c)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("seed scenario: an agent closes → the agent is unassigned; a workflow closes → nothing happens", async () => {
  const unassign = await enabled({ template: "unassign_after_close" });
  const byeCloses = await enabled({
    name: "Cerrar al despedirse", trigger: { type: "contact_message" },
    conditions: [{ type: "compare", var: "event.text", op: "contains", value: "adiós" }],
    start: "close", steps: [{ id: "close", type: "close_conversation", note: { summary: "Cerrada por despedida" } }],
  });

  // 1. A user closes: unassigned by the workflow, the run is in the timeline.
  const s1 = await newVisitor(edge);
  const v1 = await visitorSocket(edge, s1);
  await v1.say("hola");
  const staff = await agentSocket(edge, owner.token, s1.conversation_id);
  await staff.next((f) => f.type === "timeline");
  act(staff, { kind: "assign", agent_id: owner.agent.id });
  await staff.next(activity("assigned"));
  act(staff, { kind: "close", note: { category: null, summary: "resuelto" } });
  const unassigned = await staff.next(activity("unassigned"));
  assert.deepEqual([unassigned.event.source, unassigned.event.actor], ["workflow", { kind: "workflow", id: unassign.id }]);
  const ran = await staff.next(activity("workflow_ran"));
  assert.deepEqual([ran.event.kind.workflow_id, ran.event.kind.outcome, ran.event.kind.steps], [unassign.id, "completed", 1]);
  await summaryOf(s1.conversation_id, (c) => c.status === "closed" && c.assignee_id === null, "closed and unassigned");
  const runs = await runsOf(unassign, (r) => r.length >= 1);
  assert.equal(runs.length, 1);
  assert.deepEqual([runs[0].conversation_id, runs[0].outcome.type, runs[0].steps[0].step_id], [s1.conversation_id, "completed", "unassign"]);

  // 2. A workflow closes: the "Source = User" condition keeps the agent assigned.
  const s2 = await newVisitor(edge);
  const v2 = await visitorSocket(edge, s2);
  await v2.say("una pregunta");
  const staff2 = await agentSocket(edge, owner.token, s2.conversation_id);
  await staff2.next((f) => f.type === "timeline");
  act(staff2, { kind: "assign", agent_id: owner.agent.id });
  await staff2.next(activity("assigned"));
  await v2.say("gracias, adiós");
  const closed = await staff2.next(activity("closed"));
  assert.deepEqual([closed.event.source, closed.event.kind.note.summary], ["workflow", "Cerrada por despedida"]);
  const c2 = await summaryOf(s2.conversation_id, (c) => c.status === "closed", "closed by the workflow");
  assert.equal(c2.assignee_id, owner.agent.id, `a workflow close does not trigger unassign: ${JSON.stringify(staff2.frames.filter((f) => f.type === "activity").map((f) => [f.event.kind, f.event.source]))}`);
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(!staff2.frames.some((f) => f.type === "activity" && f.event.kind.type === "unassigned"));
  assert.equal((await json(await call("GET", `/v1/inbox/workflows/${unassign.id}/runs`, owner.token))).length, 1);

  await Promise.all([disable(unassign), disable(byeCloses)]);
  await Promise.all([v1.close(), v2.close(), staff.close(), staff2.close()]);
});

test("a question with quick replies: the visitor's choice is saved and the run goes on", async () => {
  const wf = await enabled({
    name: "Tema", trigger: { type: "contact_message", first_in_period_only: true },
    start: "ask", steps: [
      { id: "ask", type: "ask_question", kind: "buttons", prompt: "¿Ventas o soporte?",
        buttons: [{ label: "Ventas", value: "sales" }, { label: "Soporte", value: "support" }],
        save_to_field: "tema", next: "thanks" },
      { id: "thanks", type: "send_message", text: "Gracias, te atiende {{contact.tema}}." },
      { id: "tag", type: "add_tag", tags: ["{{contact.tema}}"] },
    ],
  });
  const s = await newVisitor(edge);
  const v = await visitorSocket(edge, s);
  await v.say("hola");
  const question = await v.next((f) => f.type === "message" && f.message.author.kind === "system");
  assert.equal(question.message.text, "¿Ventas o soporte?");
  assert.deepEqual(question.message.buttons, [{ label: "Ventas", value: "sales" }, { label: "Soporte", value: "support" }]);
  await v.say("Soporte");
  const thanks = await v.next((f) => f.type === "message" && f.message.text.startsWith("Gracias"));
  assert.equal(thanks.message.text, "Gracias, te atiende support.");
  const contact = await json(await call("GET", `/v1/inbox/contacts/${s.visitor_id}`, owner.token));
  assert.equal(contact.fields.tema, "support");
  // The question survives a reload: stored with its buttons.
  const history = await v.sync(0);
  assert.deepEqual(history.find((m) => m.text === "¿Ventas o soporte?").buttons.map((b) => b.label), ["Ventas", "Soporte"]);
  // Only the first message of the period starts it.
  await v.say("otra cosa");
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(v.frames.filter((f) => f.type === "message" && f.message.text === "¿Ventas o soporte?").length, 0);
  await disable(wf);
  await v.close();
});

test("a workflow enabled or disabled while a conversation is open applies from its next message", async () => {
  const s = await newVisitor(edge);
  const v = await visitorSocket(edge, s);
  // Messages with no workflow listening: the conversation learns so from the Workspace.
  await v.say("uno");
  await v.say("dos");
  const wf = await enabled({
    name: "Acuse", trigger: { type: "contact_message", first_in_period_only: false },
    start: "reply", steps: [{ id: "reply", type: "send_message", text: "Recibido." }],
  });
  await v.say("tres");
  await v.next((f) => f.type === "message" && f.message.text === "Recibido.");
  assert.equal((await disable(wf)).status, 200);
  const cuatro = await v.say("cuatro");
  await new Promise((r) => setTimeout(r, 500));
  const history = await v.sync(0);
  const replies = history.filter((m) => m.text === "Recibido.");
  assert.ok(replies.some((m) => m.seq > history.find((x) => x.text === "tres").seq), "the message after enabling was answered");
  assert.deepEqual(replies.filter((m) => m.seq > cuatro.seq), [], "the message after disabling was not");
  await v.close();
});

test("a wait is woken by the alarm and the run finishes", async () => {
  const wf = await enabled({
    name: "Seguimiento", trigger: { type: "contact_message", first_in_period_only: true },
    start: "wait", steps: [
      { id: "wait", type: "wait", duration_ms: 2_000, next: "ping" },
      { id: "ping", type: "send_message", text: "¿Sigues ahí, {{contact.first_name | amigo}}?" },
    ],
  });
  const s = await newVisitor(edge);
  const v = await visitorSocket(edge, s);
  const t0 = Date.now();
  await v.say("hola");
  const ping = await v.next((f) => f.type === "message" && f.message.text.startsWith("¿Sigues"), 15_000);
  assert.equal(ping.message.text, "¿Sigues ahí, amigo?");
  assert.ok(Date.now() - t0 >= 1_900, "not before the wait");
  const runs = await runsOf(wf, (r) => r.length >= 1);
  assert.equal(runs[0].outcome.type, "completed");
  await disable(wf);
  await v.close();
});

test("manual runs from the inbox and webhook calls start their workflow on the named conversation", async () => {
  const manual = await enabled({
    name: "Etiquetar VIP", trigger: { type: "manual" },
    start: "tag", steps: [{ id: "tag", type: "add_tag", tags: ["vip"] }],
  });
  const created = await json(await call("POST", "/v1/inbox/workflows", owner.token, {
    name: "Pedido enviado", trigger: { type: "webhook", secret_fingerprint: "" },
    start: "say", steps: [{ id: "say", type: "send_message", text: "Tu pedido {{event.body.order}} va en camino." }],
  }));
  const { secret } = await json(await call("POST", `/v1/inbox/workflows/${created.id}/secret`, owner.token));
  assert.equal((await call("PUT", `/v1/inbox/workflows/${created.id}/enabled`, owner.token, { enabled: true })).status, 200);

  const s = await newVisitor(edge);
  const v = await visitorSocket(edge, s);
  await v.say("hola");
  await summaryOf(s.conversation_id, () => true, "indexed");
  const run = (wf) => call("POST", `/v1/inbox/conversations/${s.conversation_id}/workflows/${wf}/run`, owner.token);
  const ran = await run(manual.id);
  assert.equal(ran.status, 200, await ran.clone().text());
  assert.deepEqual(await ran.json(), { started: true });
  const contact = await json(await call("GET", `/v1/inbox/contacts/${s.visitor_id}`, owner.token));
  assert.deepEqual(contact.tags, ["vip"]);
  assert.equal((await run(created.id)).status, 400, "a webhook workflow is not run by hand");
  assert.equal((await run("w_nope")).status, 404);
  assert.equal((await call("POST", `/v1/inbox/conversations/${s.conversation_id}/workflows/${manual.id}/run`)).status, 401);

  const hook = (body, headers = { "x-charla-secret": secret }) => fetch(`${edge.url}/v1/hooks/demo/${created.id}`, {
    method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body),
  });
  assert.equal((await hook({ conversation_id: s.conversation_id }, { "x-charla-secret": "wrong" })).status, 401);
  assert.equal((await hook({ conversation_id: s.conversation_id }, {})).status, 401);
  assert.equal((await hook({ order: 1 })).status, 400, "must name a conversation or contact");
  assert.equal((await hook({ contact_id: `v_${"0".repeat(32)}` })).status, 404);
  const ok = await hook({ contact_id: s.visitor_id, order: "#1042" });
  assert.equal(ok.status, 200, await ok.clone().text());
  assert.deepEqual(await ok.json(), { started: true, conversation_id: s.conversation_id });
  const said = await v.next((f) => f.type === "message" && f.message.text.startsWith("Tu pedido"));
  assert.equal(said.message.text, "Tu pedido #1042 va en camino.");
  await Promise.all([disable(manual), disable(created)]);
  await v.close();
});

test("contact changes by an agent start 'tag updated' workflows on the contact's conversation", async () => {
  const wf = await enabled({
    name: "VIP", trigger: { type: "contact_tag_updated" },
    conditions: [{ type: "compare", var: "event.tag", op: "equals", value: "vip" }],
    start: "note", steps: [
      { id: "note", type: "internal_comment", text: "Cliente VIP: atender primero", next: "team" },
      { id: "team", type: "pause_bot" },
    ],
  });
  const s = await newVisitor(edge);
  const v = await visitorSocket(edge, s);
  await v.say("hola");
  await summaryOf(s.conversation_id, () => true, "indexed");
  const staff = await agentSocket(edge, owner.token, s.conversation_id);
  await staff.next((f) => f.type === "timeline");
  assert.equal((await call("PATCH", `/v1/inbox/contacts/${s.visitor_id}`, owner.token, { add_tags: ["otro"] })).status, 200);
  assert.equal((await call("PATCH", `/v1/inbox/contacts/${s.visitor_id}`, owner.token, { add_tags: ["VIP"] })).status, 200);
  const note = await staff.next(activity("comment"));
  assert.deepEqual([note.event.kind.text, note.event.source], ["Cliente VIP: atender primero", "workflow"]);
  await staff.next(activity("bot_paused"));
  await staff.next(activity("workflow_ran"));
  assert.equal(staff.frames.filter((f) => f.type === "activity" && f.event.kind.type === "comment").length, 0, "the other tag did not match");
  assert.ok(!v.frames.some((f) => f.type === "activity"), "the visitor never sees internal notes");
  await disable(wf);
  await Promise.all([v.close(), staff.close()]);
});

test("business hours: the out-of-hours template answers when closed; the widget shows the away state", async () => {
  const today = new Date().toISOString().slice(0, 10);
  const closedNow = { time_zone: "UTC", week: { mon: [{ from: "09:00", to: "10:00" }] }, holidays: [{ date: today, name: "Hoy no" }] };
  const bad = await call("PUT", "/v1/inbox/settings/business-hours", owner.token, { time_zone: "UTC", week: { mon: [{ from: "10:00", to: "09:00" }] } });
  assert.equal(bad.status, 400);
  assert.equal((await call("PUT", "/v1/inbox/settings/business-hours", owner.token, { time_zone: "Mars/Olympus", week: {} })).status, 400);
  const put = await call("PUT", "/v1/inbox/settings/business-hours", owner.token, closedNow);
  assert.equal(put.status, 200, await put.clone().text());
  assert.deepEqual((await json(await call("GET", "/v1/inbox/settings/business-hours", owner.token))).holidays, closedNow.holidays);

  const wf = await enabled({ template: "out_of_hours" });
  const s = await newVisitor(edge);
  const v = await visitorSocket(edge, s);
  const reply = await v.next((f) => f.type === "message" && f.message.author.kind === "system");
  assert.match(reply.message.text, /We're closed right now\. We'll be back on Monday at 09:00/);

  const inbox = await inboxSocket(edge, owner.token);
  await inbox.next((f) => f.type === "snapshot");
  assert.equal((await json(await call("GET", "/v1/widget/config/demo"))).online, false, "closed: away, though an agent is in");
  assert.equal((await call("PUT", "/v1/inbox/settings/business-hours", owner.token, null)).status, 200);
  assert.equal((await json(await call("GET", "/v1/widget/config/demo"))).online, true);
  await disable(wf);
  await Promise.all([v.close(), inbox.close()]);
});
