// Rate limits, expiring visitor tokens and narrowed access as the visitor and the agent see
// them, in a real browser against the real worker. The edge's refusals are played by the
// browser's request and socket routing (a 429 with Retry-After, a `rate_limited` frame, a 4403
// close), so the client is checked against the contract without waiting out real limits:
// - inbox sign-in and invite pages say when to try again and keep the button disabled until
//   then; any other call answered 429 says "Too many requests" where its errors show;
// - the widget keeps a message refused for rate pending and resends it (same client id) after
//   a pause, with a polite notice; a 429 on session creation says the chat is busy and retries;
// - a stored visitor token older than a day (or of unknown age) is renewed once per page load
//   (same visitor and conversation), and a 401 starts a new session;
// - a conversation socket closed with 4403 leaves the thread with the reason, and does not
//   reconnect.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge, DEMO } from "../support/edge.mjs";
import { launchBrowser, startDemoSite, signIn } from "../support/browser.mjs";
import { newVisitor, visitorSocket } from "../support/clients.mjs";

const KEY = (k) => `charla:${DEMO.workspace}:${k}`;
let edge, site, browser;
before(async () => {
  edge = await startEdge();
  site = await startDemoSite(edge);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.stop();
  await edge?.stop();
});

const $ = (page, hook) => page.locator(`[data-charla="${hook}"]`);
const tooMany = (seconds, { header = true } = {}) => ({
  status: 429,
  headers: {
    "content-type": "application/json",
    "access-control-allow-origin": "*",
    ...(header ? { "retry-after": String(seconds) } : {}),
  },
  body: JSON.stringify({ code: "rate_limited", message: "too many requests", retry_after: seconds }),
});
const json = (status, body) => ({
  status,
  headers: { "content-type": "application/json", "access-control-allow-origin": "*" },
  body: JSON.stringify(body),
});

test("sign-in: a 429 says when to try again, disables the button until then, then signing in works", async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  let wait = 900;
  let calls = 0;
  await page.route("**/v1/auth/login", (route) => {
    calls++;
    return route.fulfill(tooMany(wait));
  });
  const fill = async () => {
    await page.getByLabel("Workspace").fill(DEMO.workspace);
    await page.getByLabel("Email").fill(DEMO.email);
    await page.getByLabel("Password").fill(DEMO.password);
  };
  await page.goto(`${edge.url}/inbox/`);
  await fill();
  const button = page.getByRole("button", { name: "Sign in" });
  await button.click();
  const alert = $(page, "sign-in-error");
  await alert.waitFor();
  assert.equal(await alert.getAttribute("role"), "alert");
  assert.equal((await alert.textContent()).trim(), "Too many sign-in attempts. Try again in 15 minutes.");
  assert.ok(await button.isDisabled(), "disabled while the limit holds");
  // Enter in a field does not submit either.
  await page.getByLabel("Password").press("Enter");
  await page.waitForTimeout(200);
  assert.equal(calls, 1);

  // A short wait: seconds, and the form comes back by itself.
  wait = 2;
  await page.reload();
  await fill();
  await button.click();
  await alert.filter({ hasText: "Too many sign-in attempts. Try again in 2 seconds." }).waitFor();
  assert.ok(await button.isDisabled());
  await page.waitForFunction(() => !document.querySelector(".sign-in-card button[type=submit]").disabled, null, { timeout: 5_000 });
  await alert.waitFor({ state: "detached" });

  await page.unroute("**/v1/auth/login");
  await button.click();
  await $(page, "conversation-list").waitFor();
  await ctx.close();
});

test("accept invite: a 429 (seconds in the body only) says when to try again and disables joining", async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.route("**/v1/auth/accept-invite", (route) => route.fulfill(tooMany(45, { header: false })));
  await page.goto(`${edge.url}/inbox/#/invite/${DEMO.workspace}/not-a-real-token`);
  await page.getByLabel("Your name").fill("Ana");
  await page.getByLabel("Choose a password").fill("a-long-password");
  const join = page.getByRole("button", { name: "Join workspace" });
  await join.click();
  const alert = $(page, "invite-error");
  await alert.filter({ hasText: "Too many attempts. Try again in 45 seconds." }).waitFor();
  assert.equal(await alert.getAttribute("role"), "alert");
  assert.ok(await join.isDisabled());
  await ctx.close();
});

test("inbox: any other call answered 429 says 'Too many requests' where its errors show", async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, edge);
  await page.route("**/v1/inbox/me/status", (route) => route.fulfill(tooMany(30)));
  const away = $(page, "away");
  await page.waitForFunction(() => !document.querySelector('[data-charla="away"]').disabled);
  await away.click();
  const error = $(page, "away-error");
  await error.filter({ hasText: "Too many requests. Try again in 30 seconds." }).waitFor();
  assert.equal(await error.getAttribute("role"), "alert");
  // The switch went back: nothing changed.
  assert.equal(await away.isChecked(), false);
  await ctx.close();
});

test("inbox: a conversation socket closed with 4403 leaves the thread with the reason and does not reconnect", async () => {
  const visitor = await newVisitor(edge);
  const socket = await visitorSocket(edge, visitor);
  await socket.next((f) => f.type === "hello");
  await socket.say("¿Siguen ahí?");
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  let opened = 0;
  await page.routeWebSocket(/\/v1\/inbox\/conversations\/[^/]+\/ws$/, (ws) => {
    opened++;
    ws.onMessage(() => {});
    setTimeout(() => {
      ws.send(JSON.stringify({
        type: "hello", conversation_id: visitor.conversation_id,
        you: { kind: "agent", id: "a_demo", name: "Demo" }, last_seq: 0, status: "open",
      }));
      ws.send(JSON.stringify({ type: "error", code: "forbidden", message: "you may no longer see this conversation" }));
      ws.close({ code: 4403, reason: "forbidden" });
    }, 100);
  });
  await signIn(page, edge);
  await page.locator(`[data-charla="view-all"]`).click();
  await page.locator(`[data-charla="conversation"][data-id="${visitor.conversation_id}"]`).click();
  const notice = $(page, "assigned-elsewhere");
  await notice.waitFor();
  assert.match(await notice.textContent(), /You can no longer see this conversation: it was assigned to someone else or your access changed\./);
  assert.equal(await notice.getAttribute("role"), "alert");
  assert.equal(await $(page, "reply").count(), 0, "no composer left");
  // Backoff would have retried within a second or two.
  await page.waitForTimeout(3_000);
  assert.equal(opened, 1, "no reconnect after 4403");
  await ctx.close();
  await socket.close();
});

/** A widget page whose edge calls are played by the test: session creation (`create`), token
 *  renewal (`renew`) and the conversation socket (hello, sync, then `onSend`). */
async function widgetPage({ create, renew, onSend, seed }) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const calls = { create: 0, renew: [], sockets: [] };
  if (seed) {
    // Before the widget runs, once per test (not on reloads).
    await page.addInitScript(([seed, KEYS]) => {
      if (sessionStorage.getItem("seeded")) return;
      sessionStorage.setItem("seeded", "1");
      localStorage.setItem(KEYS.session, JSON.stringify(seed.session));
      if (seed.renewed !== undefined) localStorage.setItem(KEYS.renewed, String(seed.renewed));
    }, [seed, { session: KEY("session"), renewed: KEY("renewed") }]);
  }
  await page.route("**/v1/widget/session", (route) => {
    const req = route.request();
    if (req.method() === "POST") return route.fulfill(create(++calls.create));
    if (req.method() === "GET") {
      calls.renew.push(req.headers()["authorization"]);
      return route.fulfill(renew(calls.renew.length));
    }
    return route.fallback();
  });
  await page.routeWebSocket(/\/v1\/widget\/ws$/, (ws) => {
    const socket = { sends: [] };
    calls.sockets.push(socket);
    ws.onMessage((raw) => {
      const f = JSON.parse(raw);
      if (f.type === "sync") ws.send(JSON.stringify({ type: "synced", messages: [], last_seq: 0, more: false }));
      else if (f.type === "ping") ws.send(JSON.stringify({ type: "pong" }));
      else if (f.type === "send") {
        socket.sends.push({ ...f, at: Date.now() });
        for (const reply of onSend(f, calls)) ws.send(JSON.stringify(reply));
      }
    });
    setTimeout(() => ws.send(JSON.stringify({
      type: "hello", conversation_id: "c_test", you: { kind: "contact", id: "v_test", name: "Visitor" },
      last_seq: 0, status: "open",
    })), 50);
  });
  return { ctx, page, calls };
}

const SESSION = { visitor_id: "v_test", conversation_id: "c_test", token: "tok1" };
const stored = (page, k) => page.evaluate((k) => localStorage.getItem(k), KEY(k));

test("widget: busy on session creation, then a message refused for rate stays pending and is resent with its client id", async () => {
  let seq = 0;
  const seen = new Map();
  const { ctx, page, calls } = await widgetPage({
    create: (n) => (n === 1 ? tooMany(2) : json(200, SESSION)),
    renew: () => json(500, {}),
    // The first try of each message is refused for rate; the next is stored.
    onSend: (f) => {
      const tries = (seen.get(f.client_id) ?? 0) + 1;
      seen.set(f.client_id, tries);
      if (tries === 1) return [{ type: "error", code: "rate_limited", message: "slow down", client_id: f.client_id }];
      return [{ type: "ack", client_id: f.client_id, seq: ++seq }];
    },
  });
  await page.goto(site.url + "/");
  await $(page, "launcher").click();
  const notice = $(page, "notice");
  await notice.filter({ hasText: "Chat is busy, try again in a moment." }).waitFor();
  assert.equal(await notice.getAttribute("role"), "status");
  // Asked again after the edge's retry_after, by itself.
  await $(page, "status").and(page.locator('[data-state="online"]')).waitFor({ timeout: 10_000 });
  assert.equal(calls.create, 2);
  assert.equal((await notice.textContent()).trim(), "");

  await $(page, "composer").fill("Hola, ¿hay envíos a Lima?");
  await $(page, "composer").press("Enter");
  const line = $(page, "message").filter({ hasText: "Hola, ¿hay envíos a Lima?" });
  await notice.filter({ hasText: "You're sending messages too fast — we'll send this in a moment." }).waitFor();
  assert.notEqual(await line.getAttribute("data-pending"), null, "still pending");
  assert.equal(await line.getAttribute("data-failed"), null, "never failed");
  assert.equal(await line.locator('[data-charla="error"]').count(), 0);

  await line.and(page.locator('[data-seq="1"]')).waitFor({ timeout: 10_000 });
  assert.equal((await notice.textContent()).trim(), "");
  const [sends] = calls.sockets.map((s) => s.sends);
  assert.equal(sends.length, 2);
  assert.equal(sends[0].client_id, sends[1].client_id, "same client id");
  assert.equal(sends[0].text, sends[1].text);
  const pause = sends[1].at - sends[0].at;
  assert.ok(pause >= 1_800 && pause < 6_000, `resent after a short pause (${pause} ms)`);
  // Spanish.
  await page.evaluate(() => window.charla("setLocale", "es"));
  await $(page, "composer").fill("otra");
  await $(page, "composer").press("Enter");
  await notice.filter({ hasText: "Estás enviando mensajes muy rápido: lo enviaremos en un momento." }).waitFor();
  await $(page, "message").and(page.locator('[data-seq="2"]')).waitFor({ timeout: 10_000 });
  await ctx.close();
});

test("widget: a stored token of unknown age is renewed once per page load, keeping the conversation", async () => {
  const { ctx, page, calls } = await widgetPage({
    seed: { session: SESSION },
    create: () => json(500, {}),
    renew: (n) => json(200, { ...SESSION, token: `tok${n + 1}`, expires_at: Date.now() + 30 * 86_400_000 }),
    onSend: () => [],
  });
  await page.goto(site.url + "/");
  // A returning visitor connects on load; the renewal follows the greeting.
  await page.waitForFunction((k) => JSON.parse(localStorage.getItem(k) ?? "{}").token === "tok2", KEY("session"), { timeout: 15_000 });
  assert.deepEqual(calls.renew, ["Bearer tok1"]);
  const session = JSON.parse(await stored(page, "session"));
  assert.equal(session.visitor_id, "v_test");
  assert.equal(session.conversation_id, "c_test");
  const renewed = Number(await stored(page, "renewed"));
  assert.ok(Math.abs(Date.now() - renewed) < 60_000, "renewal time stored");
  assert.equal(calls.create, 0);
  // A fresh token is not renewed again on the next page.
  await page.reload();
  await $(page, "launcher").click();
  await $(page, "status").and(page.locator('[data-state="online"]')).waitFor({ timeout: 15_000 });
  await page.waitForTimeout(500);
  assert.equal(calls.renew.length, 1);
  await ctx.close();
});

test("widget: a token older than a day that the edge no longer accepts (401) starts a new session", async () => {
  const fresh = { visitor_id: "v_new", conversation_id: "c_new", token: "new1" };
  const { ctx, page, calls } = await widgetPage({
    seed: { session: SESSION, renewed: Date.now() - 2 * 86_400_000 },
    create: () => json(200, fresh),
    renew: () => json(401, { code: "unauthorized", message: "token expired" }),
    onSend: () => [],
  });
  await page.goto(site.url + "/");
  await page.waitForFunction((k) => JSON.parse(localStorage.getItem(k) ?? "{}").token === "new1", KEY("session"), { timeout: 15_000 });
  assert.equal(calls.renew.length, 1);
  assert.equal(calls.create, 1);
  await ctx.close();
});
