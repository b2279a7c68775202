// Search through the real worker: messages reach the index through the queue, off the message
// path; accents and case do not matter; matches come back marked; contacts are found by email
// and phone; a limited agent finds only what they may open; hostile queries are only text.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { api, newVisitor, login, visitorSocket, agentSocket, json, invitedAgent } from "../support/clients.mjs";

let edge, owner;
before(async () => {
  edge = await startEdge();
  owner = await login(edge);
});
after(async () => edge && (await edge.stop()));

const call = (method, path, token, body) => api(edge, method, path, token, body);
const search = async (token, q) => {
  const res = await call("GET", `/v1/inbox/search?q=${encodeURIComponent(q)}`, token);
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
};

/** Search until `pred` holds (the index is fed through a queue, a moment after the message). */
async function searchUntil(token, q, pred, what, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const results = await search(token, q);
    if (pred(results)) return results;
    if (Date.now() > deadline) throw new Error(`timeout: ${what}; last ${JSON.stringify(results).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function conversation(...texts) {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  for (const text of texts) await visitor.say(text);
  return { session, visitor, id: session.conversation_id };
}

test("a message is found by an accent-less, lower-case word, marked, at its seq", async () => {
  const { id, visitor } = await conversation("Hola", "Mi TELÉFONO no enciende desde ayer");
  const results = await searchUntil(owner.token, "telefono", (r) => r.some((x) => x.conversation.id === id), "indexed");
  const hit = results.find((x) => x.conversation.id === id);
  assert.equal(hit.seq, 2);
  assert.equal(hit.snippet, "Mi \u0002TELÉFONO\u0003 no enciende desde ayer");
  assert.equal(hit.conversation.last_text, "Mi TELÉFONO no enciende desde ayer");
  // Several words: all must be there; the last one may be a prefix (results while typing).
  assert.ok((await search(owner.token, "enciende tele")).some((x) => x.conversation.id === id));
  assert.ok(!(await search(owner.token, "enciende nevera")).some((x) => x.conversation.id === id));
  await visitor.close();
});

test("contacts are found by name, email and phone digits", async () => {
  const { id, session, visitor } = await conversation("necesito ayuda");
  const patch = await call("PATCH", `/v1/inbox/contacts/${session.visitor_id}`, owner.token, {
    name: "Íñigo Zubiría", email: "inigo.z@example.com", phone: "+34 611 222 333",
  });
  assert.equal(patch.status, 200, await patch.clone().text());
  for (const q of ["inigo zubiria", "inigo.z@example.com", "611222333", "+34611222333"]) {
    const results = await searchUntil(owner.token, q, (r) => r.some((x) => x.conversation.id === id), `contact by ${q}`);
    const hit = results.find((x) => x.conversation.id === id);
    assert.equal(hit.seq, null, "a contact hit opens the conversation, not a message");
    assert.equal(hit.conversation.contact_name, "Íñigo Zubiría");
  }
  await visitor.close();
});

test("a limited agent finds only the conversations they may see", async () => {
  const lia = await invitedAgent(edge, owner, "lia.search@example.com", "agent", "Lía Search");
  assert.equal((await call("PUT", `/v1/inbox/agents/${lia.agent.id}`, owner.token, { access: "mine_and_unassigned" })).status, 200);
  const theirs = await conversation("factura duplicada zanahoria");
  const free = await conversation("otra factura zanahoria");
  await searchUntil(owner.token, "zanahoria", (r) => r.filter((x) => [theirs.id, free.id].includes(x.conversation.id)).length === 2, "both indexed");
  const staff = await agentSocket(edge, owner.token, theirs.id);
  await staff.next((f) => f.type === "timeline");
  staff.send({ type: "action", action: { kind: "assign", agent_id: owner.agent.id } });
  await staff.next((f) => f.type === "activity" && f.event.kind.type === "assigned");
  const seen = await searchUntil(lia.token, "zanahoria", (r) => !r.some((x) => x.conversation.id === theirs.id), "hidden from Lía");
  assert.ok(seen.some((x) => x.conversation.id === free.id), "the unassigned one is hers to find");
  assert.ok((await search(owner.token, "zanahoria")).some((x) => x.conversation.id === theirs.id), "owners find all");
  for (const c of [staff, theirs.visitor, free.visitor]) await c.close();
});

test("hostile or empty queries are only text; the route needs an agent", async () => {
  for (const q of ["", "*", "\"", "OR", "NEAR(a b)", "text:hola", "a\" OR \"b", "^x", "'; DROP TABLE docs; --", "\u0002"]) {
    const res = await call("GET", `/v1/inbox/search?q=${encodeURIComponent(q)}`, owner.token);
    assert.equal(res.status, 200, `${q}: ${await res.clone().text()}`);
    assert.ok(Array.isArray(await res.json()));
  }
  assert.equal((await call("GET", "/v1/inbox/search?q=hola", null)).status, 401);
  const visitor = await newVisitor(edge);
  assert.equal((await call("GET", "/v1/inbox/search?q=hola", visitor.token)).status, 401);
  // Notes are not messages: not searchable through the message index.
  const { id, visitor: v } = await conversation("algo normal");
  const note = await call("POST", `/v1/inbox/conversations/${id}/notes`, owner.token, { client_id: "n-search-1", text: "pepinillo secreto" });
  assert.equal(note.status, 201);
  await new Promise((r) => setTimeout(r, 2500));
  assert.ok(!(await search(owner.token, "pepinillo")).some((x) => x.conversation.id === id));
  await v.close();
});

test("conversations stored before search existed are found after the backfill, with no new message", async () => {
  // A workspace whose messages were stored with no index (as before an upgrade): indexing off.
  let old = await startEdge({ vars: { CHARLA_DEV_NO_INDEX: "1" } });
  const { dir, secret } = old;
  let id;
  try {
    const session = await newVisitor(old);
    const v = await visitorSocket(old, session);
    await v.say("el pedido de calabazas se perdió");
    await v.close();
    id = session.conversation_id;
    const before = await login(old);
    await new Promise((r) => setTimeout(r, 1500));
    const res = await api(old, "GET", `/v1/inbox/search?q=calabazas`, before.token);
    assert.deepEqual(await res.json(), [], "nothing indexed while indexing is off");
  } finally {
    await old.stop();
  }
  // Upgraded: nobody writes to or opens the conversation; the Workspace's backfill wakes it.
  const upgraded = await startEdge({ persistTo: dir, secret });
  try {
    const agent = await login(upgraded);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await api(upgraded, "GET", `/v1/inbox/search?q=calabaza`, agent.token);
      assert.equal(res.status, 200);
      const hits = await res.json();
      if (hits.some((x) => x.conversation.id === id && x.seq === 1)) break;
      assert.ok(Date.now() < deadline, `not backfilled: ${JSON.stringify(hits)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await upgraded.stop();
  }
});

test("a script looping over search is slowed per agent; a person typing never is", async () => {
  // 60 searches in 10 s per agent (the inbox asks once per pause in typing).
  const lena = await invitedAgent(edge, owner, "lena.limit@example.com", "agent", "Lena Limit");
  // The limit counts in fixed 10 s windows: a loop that starts near a window's end gets a
  // fresh window part way through, so it is refused by 120 searches at the latest.
  const statuses = [];
  let refused = null;
  for (let i = 0; i < 130 && !refused; i++) {
    const res = await call("GET", `/v1/inbox/search?q=factura${i}`, lena.token);
    if (res.status === 429) refused = res;
    else statuses.push(res.status);
  }
  assert.ok(statuses.slice(0, 50).every((s) => s === 200), `first ones answered: ${statuses.slice(0, 50)}`);
  assert.ok(refused, `${statuses.length} searches in a row were all answered`);
  assert.equal(refused.status, 429);
  assert.ok(Number(refused.headers.get("retry-after")) > 0);
  assert.equal((await refused.json()).code, "rate_limited");
  // Another agent of the workspace is not slowed by Lena's searches.
  assert.equal((await call("GET", "/v1/inbox/search?q=factura", owner.token)).status, 200);
});
