// Helpers for the security suite (tests/security): the real worker under `wrangler dev`, started
// from CHARLA_ROOT when set (to run this suite against another checkout, e.g. the code before a
// fix), else from this repository. Everything else comes from tests/support unchanged.
//   CHARLA_ROOT=/work/wt-base node --test --test-concurrency=1 tests/security/
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { ROOT as OWN_ROOT, DEMO, startEdge as ownStartEdge } from "../support/edge.mjs";
import { Client, json } from "../support/clients.mjs";

export { DEMO };
export const ROOT = process.env.CHARLA_ROOT ? resolve(process.env.CHARLA_ROOT) + "/" : OWN_ROOT;

/** tests/support/edge.mjs startEdge, from ROOT (its wrangler.toml, edge/build and dist). */
export const startEdge = ({ persistTo, secret, vars } = {}) => ownStartEdge({ persistTo, secret, vars, root: ROOT });

/** Whether the browser bundles exist in ROOT (a browser case is skipped without them). */
export const hasWidgetBuild = () => existsSync(join(ROOT, "dist/loader.js")) && existsSync(join(ROOT, "dist/widget/charla_widget_bg.wasm"));
export const hasInboxBuild = () => existsSync(join(ROOT, "dist/inbox/index.html"));
export const builtAt = () => statSync(join(ROOT, "edge/build/index.js")).mtime;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A documentation-range client address (RFC 5737), different each call unless `n` is given. */
let ipCounter = Math.floor(Math.random() * 200);
export function ip(n) {
  const i = n ?? ipCounter++;
  return `198.51.${100 + (Math.floor(i / 250) % 50)}.${1 + (i % 250)}`;
}

/** A JSON call; `opts.ip` sets CF-Connecting-IP (a fresh address unless given). */
export function call(edge, method, path, token, body, opts = {}) {
  return fetch(edge.url + path, {
    method,
    headers: {
      "content-type": "application/json",
      "cf-connecting-ip": opts.ip ?? ip(),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(opts.headers ?? {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function ok(res, what = "") {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what} ${res.status}: ${text}`);
  try { return JSON.parse(text); } catch { return text; }
}

export function loginRaw(edge, { email = DEMO.email, password = DEMO.password, workspace = DEMO.workspace, from } = {}) {
  return call(edge, "POST", "/v1/auth/login", null, { workspace_id: workspace, email, password }, { ip: from });
}
export async function login(edge, creds = {}) {
  return ok(await loginRaw(edge, creds), `login ${creds.email ?? DEMO.email}`);
}

export async function newVisitor(edge, { from } = {}) {
  return ok(await call(edge, "POST", "/v1/widget/session", null, { workspace_id: DEMO.workspace }, { ip: from }), "widget session");
}

/** A new teammate through a one-time invite from `by` (an owner or manager session). */
export async function invited(edge, by, email, role, name, password = "una clave larga") {
  const inv = await ok(await call(edge, "POST", "/v1/inbox/invites", by.token, { email, role }), `invite ${email}`);
  return ok(await call(edge, "POST", "/v1/auth/accept-invite", null, { workspace_id: DEMO.workspace, token: inv.token, name, password }), `accept ${email}`);
}

/** A socket client (tests/support Client) that also records how the socket closed. */
export async function open(url, token, timeout = 15_000) {
  const c = await Client.open(url, token, timeout);
  c.closed = new Promise((resolve) => c.ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  // The server's close frame, as soon as it arrives: ws emits "close" only when the TCP
  // connection ends, which can lag the close handshake by up to its 30 s close timeout.
  c.closing = new Promise((resolve) => {
    const poll = setInterval(() => {
      if (c.ws.readyState >= 2) {
        clearInterval(poll);
        resolve({ code: c.ws._closeFrameReceived ? c.ws._closeCode : "closed by the client", reason: String(c.ws._closeMessage ?? "") });
      }
    }, 20);
    c.ws.once("close", () => { clearInterval(poll); resolve({ code: c.ws._closeCode, reason: String(c.ws._closeMessage ?? "") }); });
  });
  c.isOpen = () => c.ws.readyState === 1;
  return c;
}
export const visitorSocket = (edge, session) => open(`${edge.wsUrl}/v1/widget/ws`, session.token);
export const agentSocket = (edge, token, conversationId) => open(`${edge.wsUrl}/v1/inbox/conversations/${conversationId}/ws`, token);
export const inboxSocket = (edge, token) => open(`${edge.wsUrl}/v1/inbox/ws`, token);

/** Resolves with the HTTP status of a refused WebSocket handshake, or "open" if it opened. */
export async function handshake(url, token) {
  try {
    const c = await Client.open(url, token);
    await c.close();
    return "open";
  } catch (e) {
    return e.status ?? e.message;
  }
}

/** Send an agent action on a conversation socket. */
export const act = (client, action) => client.send({ type: "action", action });

/** Every message of a conversation, read through a fresh owner socket (so a test's own sockets
 *  are not disturbed). */
export async function stored(edge, ownerToken, conversationId) {
  const s = await agentSocket(edge, ownerToken, conversationId);
  await s.next((f) => f.type === "hello");
  const messages = await s.sync(0);
  await s.close();
  return messages;
}

/** The lifecycle state an agent socket is given on connect. */
export async function lifecycleOf(edge, ownerToken, conversationId) {
  const s = await agentSocket(edge, ownerToken, conversationId);
  const frame = await s.next((f) => f.type === "lifecycle");
  const timeline = await s.next((f) => f.type === "timeline");
  await s.close();
  return { state: frame.state, events: timeline.events };
}

/** Poll `fn` until `pred(value)` holds. */
export async function until(fn, pred, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (pred(v)) return v;
    if (Date.now() > deadline) throw new Error(`timeout: ${what}; last ${JSON.stringify(v).slice(0, 400)}`);
    await sleep(100);
  }
}

/** A visitor token signed with the edge's secret (format of shared/src/token.rs). */
export function signToken(secret, claims) {
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const sig = createHmac("sha256", Buffer.from(secret)).update("charla.token.v1." + payload).digest("base64url");
  return `${payload}.${sig}`;
}
export function claimsOf(token) {
  return JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString());
}
export const hexId = (prefix) => `${prefix}_${randomBytes(16).toString("hex")}`;

export const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** A timed request: resolves with {status, ms}. */
export async function timed(promiseFn) {
  const t0 = performance.now();
  const res = await promiseFn();
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t0 };
}

export { Client, json, randomUUID };

/** `sync` from 0 that waits out `rate_limited` refusals (a sync is a frame like any other). */
export async function syncPaced(client, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  const all = [];
  let after = 0;
  for (;;) {
    client.send({ type: "sync", after_seq: after });
    const f = await client.next((x) => x.type === "synced" || (x.type === "error" && x.code === "rate_limited" && !x.client_id), 10_000);
    if (f.type === "error") {
      if (Date.now() > deadline) throw new Error("sync kept being rate limited");
      await sleep(1000);
      continue;
    }
    all.push(...f.messages);
    if (!f.more || f.messages.length === 0) return all;
    after = f.messages.at(-1).seq;
  }
}
