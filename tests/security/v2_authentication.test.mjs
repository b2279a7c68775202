// OWASP ASVS V2 — Authentication. Attacks on sign-in through the real worker (workerd under
// `wrangler dev`): password guessing, account probing, invite replay. Each case asserts the
// refusal and that the legitimate users lost nothing (they still sign in and work).
//
// Under `wrangler dev` a client-sent CF-Connecting-IP reaches the Worker as is (in production
// Cloudflare sets it), so varying it stands for an attacker with many addresses.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge, call, login, loginRaw, invited, ip, ok, DEMO } from "./support.mjs";

let edge, owner;
before(async () => {
  edge = await startEdge();
  owner = await login(edge);
});
after(async () => edge && (await edge.stop()));

/** Wrong passwords for `email`, each from a new address, until a 429 (at most `max` tries). */
async function guessUntilLimited(email, max = 60) {
  const statuses = [];
  for (let i = 0; i < max; i++) {
    const res = await loginRaw(edge, { email, password: `guess-${i}-wrong`, from: ip() });
    const body = await res.json();
    statuses.push(res.status);
    if (res.status === 429) return { statuses, res, body };
    assert.equal(res.status, 401, `a wrong password is a 401 until the limit (try ${i}: ${JSON.stringify(body)})`);
  }
  return { statuses };
}

test("defect 2 — password guessing on one account, spread over many IPs, is limited with 429 + Retry-After; the right password is refused during the lock; another account is unaffected", async () => {
  const victim = await invited(edge, owner, "victima@example.com", "agent", "Víctima", "la clave correcta");
  const bystander = await invited(edge, owner, "testigo@example.com", "agent", "Testigo", "otra clave correcta");

  const { statuses, res, body } = await guessUntilLimited("victima@example.com");
  assert.ok(res, `no 429 after ${statuses.length} wrong passwords from ${statuses.length} addresses: ${statuses.join(",")}`);
  const retry = res.headers.get("retry-after");
  assert.match(retry ?? "", /^[1-9][0-9]*$/, `Retry-After is whole seconds > 0, got ${retry}`);
  assert.equal(body.code, "rate_limited");
  assert.ok(Number.isInteger(body.retry_after) && body.retry_after > 0, JSON.stringify(body));
  assert.equal(String(body.retry_after), retry, "body and header agree");

  // The lock holds for the right password too (a guess that happens to be right learns nothing).
  const right = await loginRaw(edge, { email: "victima@example.com", password: "la clave correcta", from: ip() });
  assert.equal(right.status, 429, "right password during the lock");
  assert.equal((await right.json()).code, "rate_limited");

  // Nothing lost: another account signs in; the victim's existing session still works.
  const other = await login(edge, { email: "testigo@example.com", password: "otra clave correcta" });
  assert.equal(other.agent.id, bystander.agent.id);
  assert.equal((await call(edge, "GET", "/v1/inbox/me", victim.token)).status, 200, "an existing session is not logged out by the attack");
  assert.equal((await call(edge, "GET", "/v1/inbox/agents", owner.token)).status, 200);
});

test("an unknown workspace or email looks exactly like a wrong password (no account probing)", async () => {
  const cases = [
    [{ email: "nadie@example.com", password: "una clave cualquiera" }, 401],
    [{ email: DEMO.email, password: "una clave cualquiera", workspace: "no-such-workspace" }, 401],
  ];
  for (const [creds, status] of cases) {
    const res = await loginRaw(edge, { ...creds, from: ip() });
    assert.equal(res.status, status, JSON.stringify(creds));
    assert.equal((await res.json()).code, "unauthorized");
  }
  const bad = await loginRaw(edge, { email: DEMO.email, password: "x", workspace: "../demo", from: ip() });
  assert.equal(bad.status, 400, "a workspace id outside the grammar never reaches a Durable Object name");
  assert.equal((await login(edge)).agent.id, owner.agent.id, "the owner still signs in");
});

test("an invite link works once; a guessed or replayed invite token is refused", async () => {
  const inv = await ok(await call(edge, "POST", "/v1/inbox/invites", owner.token, { email: "una-vez@example.com", role: "agent" }));
  const accept = (token, from) => call(edge, "POST", "/v1/auth/accept-invite", null, { workspace_id: "demo", token, name: "Una", password: "una clave larga" }, { ip: from });
  assert.equal((await accept("0".repeat(64))).status, 401, "guessed token");
  const first = await accept(inv.token);
  assert.equal(first.status, 200);
  const replay = await accept(inv.token);
  assert.equal(replay.status, 401, "replayed token");
  // Nothing lost: the account made by the first acceptance signs in, once.
  const agents = await ok(await call(edge, "GET", "/v1/inbox/agents", owner.token));
  assert.equal(agents.filter((a) => a.email === "una-vez@example.com").length, 1);
  await login(edge, { email: "una-vez@example.com", password: "una clave larga" });
});

test("passwords are never echoed or stored readable: agent listings carry no hash or password", async () => {
  const text = JSON.stringify(await ok(await call(edge, "GET", "/v1/inbox/agents", owner.token)));
  assert.ok(!/password|hash|pbkdf2/i.test(text), text.slice(0, 300));
  assert.ok(!text.includes(DEMO.password));
});
