// OWASP ASVS V11 — Business logic: floods and limits. Attacks that try to freeze a workspace's
// desk or exhaust a conversation: a login flood, too many sockets on one visitor token, a frame
// flood from one visitor, a burst on a cold conversation. We assert function (the desk answers,
// the flood is refused with a typed error, nothing is lost or reordered), never benchmark
// figures: those are printed by bench/floods.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startEdge, call, login, loginRaw, newVisitor, visitorSocket, agentSocket, handshake, ip, ok, sleep, timed, syncPaced, open,
} from "./support.mjs";

let edge, owner;
before(async () => {
  edge = await startEdge();
  owner = await login(edge);
});
after(async () => edge && (await edge.stop()));

/** Stop workerd and start it again on the same storage and secret (tokens stay valid). */
async function restartEdge() {
  const { dir, secret } = edge;
  await edge.stop();
  edge = null;
  edge = await startEdge({ persistTo: dir, secret });
}

const BOUND_MS = 1500;

test("defect 1 — 48 concurrent wrong-password logins do not stall the workspace: the desk and new visitors answer quickly meanwhile", async () => {
  // Warm everything the measured calls touch.
  await ok(await call(edge, "GET", "/v1/inbox/agents", owner.token));
  await newVisitor(edge);
  await loginRaw(edge, { email: "calentar@example.com", password: "no es esta" });

  // The flood: 48 sign-ins at once, each from its own address and for its own email (spraying,
  // so neither the per-IP nor the per-account limit alone answers it).
  const flood = Array.from({ length: 48 }, (_, i) =>
    loginRaw(edge, { email: `rociado-${i}@example.com`, password: `adivina-${i}-mal`, from: ip() }).then(async (r) => (await r.arrayBuffer(), r.status)));
  await sleep(150); // the flood is in flight
  const [agents, session] = await Promise.all([
    timed(() => call(edge, "GET", "/v1/inbox/agents", owner.token)),
    timed(() => call(edge, "POST", "/v1/widget/session", null, { workspace_id: "demo" })),
  ]);
  const statuses = await Promise.all(flood);

  assert.equal(agents.status, 200);
  assert.equal(session.status, 200);
  assert.ok(agents.ms < BOUND_MS, `GET /v1/inbox/agents took ${agents.ms.toFixed(0)} ms during the flood`);
  assert.ok(session.ms < BOUND_MS, `POST /v1/widget/session took ${session.ms.toFixed(0)} ms during the flood`);
  assert.deepEqual(statuses.filter((s) => s !== 401 && s !== 429), [], "every flood attempt is refused (401/429), none errors");

  // Nothing lost: the owner signs in right after, the new visitor's session works.
  assert.equal((await login(edge)).agent.id, owner.agent.id);
});

test("defect 8b — more than 10 simultaneous sockets on one visitor token: the extra ones are refused; the first ten keep working", async () => {
  const session = await newVisitor(edge);
  const sockets = [];
  for (let i = 0; i < 10; i++) {
    const s = await visitorSocket(edge, session);
    await s.next((f) => f.type === "hello");
    sockets.push(s);
  }
  // Sockets 11 and 12: refused at the handshake, or closed at once.
  const extra = [];
  for (let i = 0; i < 2; i++) {
    try {
      const s = await visitorSocket(edge, session);
      const outcome = await Promise.race([s.closed.then((c) => `closed ${c.code}`), sleep(1500).then(() => "open")]);
      extra.push(outcome);
      if (outcome === "open") sockets.push(s);
    } catch (e) {
      extra.push(`refused ${e.status ?? e.message}`);
    }
  }
  assert.ok(extra.every((o) => o !== "open"), `extra sockets: ${extra.join(", ")}`);

  // Nothing lost: the ten are open and all receive a message sent on one of them.
  assert.ok(sockets.slice(0, 10).every((s) => s.isOpen()), "the first ten stay open");
  await sockets[0].say("a todas las pestañas", "tabs-1");
  for (const s of sockets.slice(1, 10)) await s.next((f) => f.type === "message" && f.message.client_id === "tabs-1");
  // Closing one frees a place.
  await sockets[9].close();
  await sleep(300);
  const again = await visitorSocket(edge, session);
  await again.next((f) => f.type === "hello");
  for (const s of [...sockets.slice(0, 9), again]) await s.close();
});

test("defect 8c — a frame flood from one visitor gets rate_limited error frames, the socket stays open, other conversations still deliver, and resent client ids are stored exactly once", async () => {
  const N = 60;
  const session = await newVisitor(edge);
  const v = await visitorSocket(edge, session);
  await v.next((f) => f.type === "hello");
  // Another conversation, watched by an agent, must keep delivering during the flood.
  const other = await newVisitor(edge);
  const ov = await visitorSocket(edge, other);
  await ov.say("otra conversación");
  const staff = await agentSocket(edge, owner.token, other.conversation_id);
  await staff.next((f) => f.type === "hello");

  const ids = Array.from({ length: N }, (_, i) => `flood-${i}`);
  for (const id of ids) v.send({ type: "send", client_id: id, text: `inundación ${id}` });
  const t0 = performance.now();
  ov.send({ type: "send", client_id: "during", text: "durante la inundación" });
  await staff.next((f) => f.type === "message" && f.message.client_id === "during", 5_000);
  const otherMs = performance.now() - t0;

  // Every flood frame is answered: an ack, or a typed refusal (which may not name the client id:
  // a refused frame need not even be parsed).
  const isAnswer = (batch) => (x) => (x.type === "ack" && batch.includes(x.client_id)) || (x.type === "error" && (x.code === "rate_limited" || batch.includes(x.client_id)));
  const answers = [];
  for (let k = 0; k < N; k++) answers.push(await v.next(isAnswer(ids), 20_000));
  const limited = answers.filter((f) => f.type === "error");
  assert.ok(limited.length > 0, `a flood of ${N} frames was accepted whole`);
  assert.ok(limited.every((f) => f.code === "rate_limited"), JSON.stringify(limited.find((f) => f.code !== "rate_limited")));
  assert.ok(v.isOpen(), "the socket stays open");
  v.send({ type: "ping" });
  await v.next((f) => f.type === "pong");
  assert.ok(otherMs < BOUND_MS, `another conversation's message took ${otherMs.toFixed(0)} ms during the flood`);

  // The visitor (e.g. the widget reconnecting) resends everything with the same client ids, paced.
  const acked = new Set();
  const resendDeadline = Date.now() + 60_000;
  await sleep(3_200);
  while (acked.size < N) {
    assert.ok(Date.now() < resendDeadline, `resend did not finish: ${acked.size}/${N}`);
    const batch = ids.filter((id) => !acked.has(id)).slice(0, 15);
    for (const id of batch) v.send({ type: "send", client_id: id, text: `inundación ${id}` });
    let refused = false;
    for (let k = 0; k < batch.length; k++) {
      const f = await v.next(isAnswer(batch), 10_000);
      if (f.type === "ack") acked.add(f.client_id);
      else refused = true;
    }
    await sleep(refused ? 3_200 : 2_800);
  }
  await sleep(1_200);
  const msgs = await syncPaced(v);
  const byId = new Map();
  for (const m of msgs) byId.set(m.client_id, (byId.get(m.client_id) ?? 0) + 1);
  assert.deepEqual([...byId.entries()].filter(([, n]) => n !== 1), [], "each client id stored exactly once");
  assert.deepEqual([...byId.keys()].sort(), [...ids].sort(), "every flood message stored once the visitor slowed down");
  assert.deepEqual(msgs.map((m) => m.seq), msgs.map((_, i) => i + 1), "consecutive seqs");
  for (const m of msgs) assert.equal(m.text, `inundación ${m.client_id}`);

  // The other conversation lost nothing.
  const o = await syncPaced(staff);
  assert.deepEqual(o.map((m) => m.text), ["otra conversación", "durante la inundación"]);
  await Promise.all([v.close(), ov.close(), staff.close()]);
});

test("defect 9 — a cold Conversation DO (after a restart) receiving 20 frames at once stores them in the order sent", async () => {
  // Conversations that exist, then a restart of workerd: their Durable Objects come back cold
  // (nothing cached), as after an eviction.
  const sessions = [];
  for (let round = 0; round < 3; round++) {
    const session = await newVisitor(edge);
    const v = await visitorSocket(edge, session);
    await v.say(`antes del reinicio ${round}`, `r${round}-first`);
    await v.close();
    sessions.push(session);
  }
  await restartEdge();

  const problems = [];
  for (const [round, session] of sessions.entries()) {
    const v = await visitorSocket(edge, session);
    // The whole burst in one go, right after the socket opens (a widget resending after a reconnect).
    const ids = Array.from({ length: 20 }, (_, i) => `r${round}-m${String(i).padStart(2, "0")}`);
    for (const id of ids) v.send({ type: "send", client_id: id, text: `mensaje ${id}` });
    const acks = [];
    for (let i = 0; i < ids.length; i++) acks.push(await v.next((f) => (f.type === "ack" && ids.includes(f.client_id)) || f.type === "error"));
    assert.deepEqual(acks.filter((f) => f.type !== "ack"), [], "20 frames at once are within what a reconnecting visitor may send");
    await sleep(1_200);
    const msgs = await syncPaced(v);
    const order = msgs.map((m) => m.client_id);
    if (JSON.stringify(order) !== JSON.stringify([`r${round}-first`, ...ids])) problems.push(`round ${round}: stored as ${order.join(" ")}`);
    assert.equal(msgs.length, 21, "nothing lost or duplicated");
    assert.deepEqual(msgs.map((m) => m.seq), msgs.map((_, i) => i + 1));
    await v.close();
  }
  assert.deepEqual(problems, [], "seqs follow the send order");
});

test("new widget sessions from one address are limited (429 + Retry-After); other addresses and existing visitors are unaffected", async () => {
  const from = ip();
  const existing = await newVisitor(edge);
  let limited = null;
  let made = 0;
  for (let i = 0; i < 400 && !limited; i++) {
    const res = await call(edge, "POST", "/v1/widget/session", null, { workspace_id: "demo" }, { ip: from });
    if (res.status === 429) limited = { res, body: await res.json() };
    else { assert.equal(res.status, 200); await res.arrayBuffer(); made++; }
  }
  assert.ok(limited, `${made} sessions from one address were all made`);
  assert.match(limited.res.headers.get("retry-after") ?? "", /^[1-9][0-9]*$/);
  assert.equal(limited.body.code, "rate_limited");
  assert.ok(made >= 20, `a shop behind one NAT gets a fair number of sessions first (${made})`);
  // Nothing lost: another address gets a session; an existing visitor keeps chatting.
  await newVisitor(edge, { from: ip() });
  const v = await visitorSocket(edge, existing);
  await v.say("sigo aquí");
  await v.close();
  void open; void handshake;
});
