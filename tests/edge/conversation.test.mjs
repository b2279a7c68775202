// The conversation protocol against the real worker in workerd (wrangler dev), real sockets.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startEdge } from "../support/edge.mjs";
import { newVisitor, login, visitorSocket, agentSocket, inboxSocket, Client, json } from "../support/clients.mjs";

let edge, agent;
before(async () => {
  edge = await startEdge();
  agent = await login(edge);
});
after(async () => edge && (await edge.stop()));

test("visitor and agent in one conversation see each other's messages, in order", async () => {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  const hello = await visitor.next((f) => f.type === "hello");
  assert.equal(hello.conversation_id, session.conversation_id);
  assert.equal(hello.you.kind, "contact");
  await visitor.say("hola, ¿tienen envíos?");
  const staff = await agentSocket(edge, agent.token, session.conversation_id);
  assert.equal((await staff.next((f) => f.type === "hello")).you.kind, "agent");
  assert.deepEqual((await staff.sync(0)).map((m) => m.text), ["hola, ¿tienen envíos?"]);

  for (let i = 0; i < 20; i++) visitor.send({ type: "send", client_id: `burst-${i}`, text: `m${i}` });
  const seen = [];
  while (seen.length < 20) seen.push((await staff.next((f) => f.type === "message")).message);
  assert.deepEqual(seen.map((m) => m.text), Array.from({ length: 20 }, (_, i) => `m${i}`));
  assert.deepEqual(seen.map((m) => m.seq), Array.from({ length: 20 }, (_, i) => i + 2));

  const ack = await staff.say("Sí, a todo el país");
  const got = await visitor.next((f) => f.type === "message" && f.message.seq === ack.seq);
  assert.equal(got.message.author.kind, "agent");
  assert.equal(got.message.author.name, "Demo Agent");
  await visitor.close();
  await staff.close();
});

test("a resent client id is acknowledged and stored once", async () => {
  const session = await newVisitor(edge);
  const v = await visitorSocket(edge, session);
  const id = randomUUID();
  const first = await v.say("una vez", id);
  const again = await v.say("una vez", id);
  assert.deepEqual([first.duplicate, again.duplicate], [false, true]);
  assert.equal(again.seq, first.seq);
  // Also across a reconnect, which is when clients really resend.
  await v.close();
  const v2 = await visitorSocket(edge, session);
  const third = await v2.say("una vez", id);
  assert.equal(third.seq, first.seq);
  assert.equal(third.duplicate, true);
  assert.equal((await v2.sync(0)).length, 1);
  await v2.close();
});

test("reconnecting with the last seq gets exactly the missed messages", async () => {
  const session = await newVisitor(edge);
  const v = await visitorSocket(edge, session);
  await v.say("uno");
  const last = (await v.say("dos")).seq;
  await v.close();
  const staff = await agentSocket(edge, agent.token, session.conversation_id);
  for (const t of ["tres", "cuatro", "cinco"]) await staff.say(t);
  const v2 = await visitorSocket(edge, session);
  const missed = await v2.sync(last);
  assert.deepEqual(missed.map((m) => [m.seq, m.text]), [[3, "tres"], [4, "cuatro"], [5, "cinco"]]);
  assert.deepEqual(await v2.sync(5), []);
  await v2.close();
  await staff.close();
});

test("long histories page through synced frames", async () => {
  const session = await newVisitor(edge);
  const v = await visitorSocket(edge, session);
  // More than one sender's rate allows at once: what is refused (rate_limited, with its
  // client id) is resent a moment later, as clients do, and stored once.
  const staff = await agentSocket(edge, agent.token, session.conversation_id);
  await staff.next((f) => f.type === "hello");
  let pending = Array.from({ length: 230 }, (_, i) => [i % 4 ? staff : v, `p${i}`]);
  while (pending.length > 0) {
    for (const [c, id] of pending) c.send({ type: "send", client_id: id, text: id });
    const outcomes = await Promise.all(pending.map(([c, id]) =>
      c.next((f) => f.client_id === id && (f.type === "ack" || f.code === "rate_limited"))));
    pending = pending.filter((_, i) => outcomes[i].type !== "ack");
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 500));
  }
  await staff.close();
  const all = await v.sync(0);
  assert.equal(all.length, 230);
  assert.deepEqual(all.map((m) => m.seq), Array.from({ length: 230 }, (_, i) => i + 1));
  await v.close();
});

test("forged, foreign and missing tokens are refused before any socket opens", async () => {
  const a = await newVisitor(edge);
  const b = await newVisitor(edge);
  const [payloadA, sigA] = a.token.split(".");
  const [payloadB] = b.token.split(".");
  const refusals = [
    ["visitor token with another visitor's payload", `${edge.wsUrl}/v1/widget/ws`, `${payloadB}.${sigA}`],
    ["garbage", `${edge.wsUrl}/v1/widget/ws`, "nope"],
    ["visitor token on an agent route", `${edge.wsUrl}/v1/inbox/conversations/${a.conversation_id}/ws`, a.token],
    ["visitor token on the inbox", `${edge.wsUrl}/v1/inbox/ws`, a.token],
    ["agent token on the widget route", `${edge.wsUrl}/v1/widget/ws`, agent.token],
  ];
  for (const [what, url, token] of refusals) {
    await assert.rejects(Client.open(url, token), (e) => e.status === 401, what);
  }
  // A token in the URL is not a credential.
  await assert.rejects(Client.open(`${edge.wsUrl}/v1/widget/ws?token=${a.token}`, "x"), (e) => e.status === 401);
  // Unauthenticated HTTP routes of the inbox.
  for (const path of ["/v1/inbox/conversations", "/v1/inbox/me"]) {
    assert.equal((await fetch(edge.url + path)).status, 401, path);
    assert.equal((await fetch(edge.url + path, { headers: { authorization: `Bearer ${a.token}` } })).status, 401, path);
  }
  // Unknown conversation for a valid agent.
  await assert.rejects(
    Client.open(`${edge.wsUrl}/v1/inbox/conversations/c_${"0".repeat(32)}/ws`, agent.token),
    (e) => e.status === 404,
  );
  // The real token still works, and sees only its own conversation.
  const v = await visitorSocket(edge, a);
  assert.equal((await v.next((f) => f.type === "hello")).conversation_id, a.conversation_id);
  await v.close();
});

test("oversized and malformed frames get typed errors and the socket stays usable", async () => {
  const session = await newVisitor(edge);
  const v = await visitorSocket(edge, session);
  v.send({ type: "send", client_id: "big", text: "x".repeat(20_000) });
  assert.equal((await v.next((f) => f.type === "error")).code, "frame_too_large");
  v.send({ type: "send", client_id: "long", text: "é".repeat(4_001) });
  const long = await v.next((f) => f.type === "error");
  assert.deepEqual([long.code, long.client_id], ["text_too_long", "long"]);
  v.send("{not json");
  assert.equal((await v.next((f) => f.type === "error")).code, "malformed_frame");
  v.ws.send(Buffer.from([1, 2, 3]));
  assert.equal((await v.next((f) => f.type === "error")).code, "malformed_frame");
  v.send({ type: "send", client_id: "bad id!", text: "x" });
  assert.equal((await v.next((f) => f.type === "error")).code, "invalid_client_id");
  const ok = await v.say("sigo aquí");
  assert.equal(ok.seq, 1, "nothing refused was stored");
  v.send({ type: "ping" });
  await v.next((f) => f.type === "pong");
  await v.close();
});

test("HTML in messages is stored and delivered as plain text", async () => {
  const session = await newVisitor(edge);
  const v = await visitorSocket(edge, session);
  const html = "<img src=x onerror=alert(1)>";
  await v.say(html);
  assert.equal((await v.sync(0))[0].text, html);
  await v.close();
});

test("the inbox lists conversations live with unread counts; an agent's read clears them", async () => {
  const inbox = await inboxSocket(edge, agent.token);
  await inbox.next((f) => f.type === "snapshot");
  const session = await newVisitor(edge);
  const v = await visitorSocket(edge, session);
  await v.say("primera");
  await v.say("segunda");
  const isMine = (f) => f.type === "summary" && f.conversation.id === session.conversation_id;
  let s = await inbox.next((f) => isMine(f) && f.conversation.unread === 2);
  assert.equal(s.conversation.last_text, "segunda");
  assert.equal(s.conversation.last_author, "contact");

  const list = await json(await fetch(`${edge.url}/v1/inbox/conversations`, { headers: { authorization: `Bearer ${agent.token}` } }));
  assert.equal(list[0].id, session.conversation_id, "newest activity first");

  const staff = await agentSocket(edge, agent.token, session.conversation_id);
  staff.send({ type: "read", seq: 2 });
  s = await inbox.next((f) => isMine(f) && f.conversation.unread === 0);
  assert.equal(s.conversation.last_seq, 2);
  assert.deepEqual(await v.next((f) => f.type === "read"), { type: "read", author_kind: "agent", seq: 2 });

  staff.send({ type: "typing", active: true });
  assert.equal((await v.next((f) => f.type === "typing")).author.kind, "agent");
  inbox.send({ type: "ping" });
  await inbox.next((f) => f.type === "pong");
  await Promise.all([inbox.close(), v.close(), staff.close()]);
});

test("read marks go to the other side once, are kept, and come back in the hello after a reconnect", async () => {
  const session = await newVisitor(edge);
  const v = await visitorSocket(edge, session);
  assert.deepEqual((await v.next((f) => f.type === "hello")).read, { agent: 0, contact: 0 });
  await v.say("uno");
  const staff = await agentSocket(edge, agent.token, session.conversation_id);
  await staff.next((f) => f.type === "hello");
  const reply = await staff.say("dos");
  await v.next((f) => f.type === "message" && f.message.seq === reply.seq);

  staff.send({ type: "read", seq: 1 });
  assert.deepEqual(await v.next((f) => f.type === "read"), { type: "read", author_kind: "agent", seq: 1 });
  v.send({ type: "read", seq: 2 });
  assert.deepEqual(await staff.next((f) => f.type === "read"), { type: "read", author_kind: "contact", seq: 2 });
  // The same mark again, or an older one, is not told again: the next read frame is the newer one.
  v.send({ type: "read", seq: 1 });
  v.send({ type: "read", seq: 2 });
  staff.send({ type: "read", seq: 2 });
  assert.deepEqual(await v.next((f) => f.type === "read"), { type: "read", author_kind: "agent", seq: 2 });
  await staff.close();
  await v.close();

  const again = await visitorSocket(edge, session);
  assert.deepEqual((await again.next((f) => f.type === "hello")).read, { agent: 2, contact: 2 });
  const staffAgain = await agentSocket(edge, agent.token, session.conversation_id);
  assert.deepEqual((await staffAgain.next((f) => f.type === "hello")).read, { agent: 2, contact: 2 });
  await Promise.all([again.close(), staffAgain.close()]);
});

test("login refuses wrong passwords and unknown workspaces alike; sessions need a known workspace", async () => {
  const post = (path, body) =>
    fetch(edge.url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  assert.equal((await post("/v1/auth/login", { workspace_id: "demo", email: "demo@charla.dev", password: "wrong" })).status, 401);
  assert.equal((await post("/v1/auth/login", { workspace_id: "nope", email: "demo@charla.dev", password: "charla-demo" })).status, 401);
  assert.equal((await post("/v1/widget/session", { workspace_id: "nope" })).status, 404);
  const bad = await post("/v1/widget/session", { workspace_id: "Bad Id!" });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).code, "bad_request");
  assert.equal((await post("/v1/widget/session", "][")).status, 400);
  const preflight = await fetch(`${edge.url}/v1/widget/session`, { method: "OPTIONS" });
  assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
  assert.match(preflight.headers.get("access-control-allow-headers"), /authorization/i);
});

test("the widget can ask whether its stored token is still accepted", async () => {
  const session = await newVisitor(edge);
  const check = (token) => fetch(`${edge.url}/v1/widget/session`, { headers: { authorization: `Bearer ${token}` } });
  const ok = await check(session.token);
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get("access-control-allow-origin"), "*");
  const renewed = await ok.json();
  assert.equal(renewed.visitor_id, session.visitor_id);
  assert.equal(renewed.conversation_id, session.conversation_id);
  // The answer carries a renewed token for the same visitor and conversation.
  assert.ok(renewed.expires_at > Date.now() + 29 * 24 * 3600 * 1000);
  const again = await (await check(renewed.token)).json();
  assert.equal(again.conversation_id, session.conversation_id);
  assert.equal((await check(session.token.slice(0, -2) + "AA")).status, 401);
  assert.equal((await check(agent.token)).status, 401);
  assert.equal((await fetch(`${edge.url}/v1/widget/session`)).status, 401);
});
