// OWASP ASVS V3 — Session management. Attacks on the signed tokens (visitor and agent): old,
// forged, foreign, crossed and misplaced tokens. Each case asserts the refusal and that the
// legitimate session still works and its conversation is intact.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startEdge, call, login, newVisitor, visitorSocket, agentSocket, handshake, signToken, claimsOf, hexId, ok, randomUUID,
} from "./support.mjs";

let edge, owner;
before(async () => {
  edge = await startEdge();
  owner = await login(edge);
});
after(async () => edge && (await edge.stop()));

const widgetWs = () => `${edge.wsUrl}/v1/widget/ws`;
const IAT_2001 = Date.UTC(2001, 8, 1, 12, 0, 0);

test("defect 8a — a visitor token issued in 2001 is refused (GET /v1/widget/session and the socket), while a fresh one is renewed for the same visitor and conversation", async () => {
  // An old token, correctly signed with this edge's secret (a leaked token from long ago).
  const old = signToken(edge.secret, { k: "visitor", ws: "demo", sub: hexId("v"), conv: hexId("c"), iat: IAT_2001 });
  const check = await call(edge, "GET", "/v1/widget/session", old);
  assert.equal(check.status, 401, "an expired visitor token on GET /v1/widget/session");
  assert.equal(await handshake(widgetWs(), old), 401, "an expired visitor token on the socket");

  // Nothing lost: a current visitor keeps working, and the renewal keeps their conversation.
  const session = await newVisitor(edge);
  const v = await visitorSocket(edge, session);
  await v.say("antes de renovar", "c-before");
  const renewedRes = await call(edge, "GET", "/v1/widget/session", session.token);
  assert.equal(renewedRes.status, 200);
  const renewed = await renewedRes.json();
  assert.equal(renewed.visitor_id, session.visitor_id);
  assert.equal(renewed.conversation_id, session.conversation_id);
  assert.equal(typeof renewed.token, "string", `a renewed token is returned: ${JSON.stringify(renewed)}`);
  const c = claimsOf(renewed.token);
  assert.deepEqual([c.k, c.ws, c.sub, c.conv], ["visitor", "demo", session.visitor_id, session.conversation_id]);
  const v2 = await visitorSocket(edge, { token: renewed.token });
  const hello = await v2.next((f) => f.type === "hello");
  assert.equal(hello.conversation_id, session.conversation_id);
  const history = await v2.sync(0);
  assert.deepEqual(history.map((m) => m.text), ["antes de renovar"], "the renewed session sees its history");
  await v2.say("después de renovar");
  await v.close();
  await v2.close();
});

test("forged, foreign-secret and tampered visitor tokens are refused before any Durable Object", async () => {
  const session = await newVisitor(edge);
  const [payload, sig] = session.token.split(".");
  const claims = claimsOf(session.token);
  const other = { ...claims, conv: hexId("c") };
  const cases = {
    "another secret": signToken("x".repeat(64), claims),
    "claims swapped to another conversation, old signature": `${Buffer.from(JSON.stringify(other)).toString("base64url")}.${sig}`,
    "no signature": `${payload}.`,
    "unsigned JSON": Buffer.from(JSON.stringify(claims)).toString("base64url"),
    "garbage": "not-a-token",
    "signature flipped": `${payload}.${sig.slice(0, -2)}${sig.at(-2) === "A" ? "B" : "A"}${sig.at(-1)}`,
  };
  for (const [what, token] of Object.entries(cases)) {
    assert.equal((await call(edge, "GET", "/v1/widget/session", token)).status, 401, what);
    assert.equal(await handshake(widgetWs(), token), 401, `${what} (socket)`);
  }
  // The genuine token still works.
  const v = await visitorSocket(edge, session);
  await v.say("sigo aquí");
  assert.deepEqual((await v.sync(0)).map((m) => m.text), ["sigo aquí"]);
  await v.close();
});

test("tokens are not interchangeable: a visitor token is not an agent session and vice versa; an expired agent session is refused", async () => {
  const session = await newVisitor(edge);
  assert.equal((await call(edge, "GET", "/v1/inbox/conversations", session.token)).status, 401, "visitor token on the inbox");
  assert.equal(await handshake(`${edge.wsUrl}/v1/inbox/ws`, session.token), 401, "visitor token on the inbox socket");
  assert.equal(await handshake(`${edge.wsUrl}/v1/inbox/conversations/${session.conversation_id}/ws`, session.token), 401);
  assert.equal(await handshake(widgetWs(), owner.token), 401, "agent token on the widget socket");

  const c = claimsOf(owner.token);
  const expired = signToken(edge.secret, { ...c, exp: Date.now() - 1000 });
  assert.equal((await call(edge, "GET", "/v1/inbox/me", expired)).status, 401, "expired agent session");
  const promoted = signToken("y".repeat(64), { ...c, role: "owner", exp: Date.now() + 3_600_000 });
  assert.equal((await call(edge, "GET", "/v1/inbox/me", promoted)).status, 401, "self-made agent token");

  // Nothing lost: the owner's real session works.
  assert.equal((await ok(await call(edge, "GET", "/v1/inbox/me", owner.token))).id, owner.agent.id);
});

test("tokens never travel in URLs: a token in the query string is not a credential", async () => {
  const session = await newVisitor(edge);
  const res = await fetch(`${edge.url}/v1/widget/session?token=${encodeURIComponent(session.token)}`);
  assert.equal(res.status, 401);
  const res2 = await fetch(`${edge.url}/v1/inbox/me?token=${encodeURIComponent(owner.token)}`);
  assert.equal(res2.status, 401);
  const res3 = await fetch(`${edge.url}/v1/inbox/me?access_token=${encodeURIComponent(owner.token)}`);
  assert.equal(res3.status, 401);
});

test("a visitor token names one conversation: the socket takes no conversation id from the visitor", async () => {
  const a = await newVisitor(edge);
  const b = await newVisitor(edge);
  const vb = await visitorSocket(edge, b);
  await vb.say("secreto de B", randomUUID());
  // A tries to reach B's conversation through the URL and through the agent route.
  const tries = [
    `${edge.wsUrl}/v1/widget/ws?conversation_id=${b.conversation_id}`,
    `${edge.wsUrl}/v1/widget/ws/${b.conversation_id}`,
  ];
  for (const url of tries) {
    const status = await handshake(url, a.token);
    if (status === "open") {
      const s = await (await import("./support.mjs")).open(url, a.token);
      const hello = await s.next((f) => f.type === "hello");
      assert.equal(hello.conversation_id, a.conversation_id, `${url} opened A's own conversation only`);
      assert.deepEqual(await s.sync(0), []);
      await s.close();
    } else {
      assert.ok([400, 401, 403, 404].includes(status), `${url}: ${status}`);
    }
  }
  assert.equal(await handshake(`${edge.wsUrl}/v1/inbox/conversations/${b.conversation_id}/ws`, a.token), 401);
  // B's conversation holds exactly B's message.
  const staff = await agentSocket(edge, owner.token, b.conversation_id);
  await staff.next((f) => f.type === "hello");
  assert.deepEqual((await staff.sync(0)).map((m) => m.text), ["secreto de B"]);
  await staff.close();
  await vb.close();
});
