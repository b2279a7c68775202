// Protocol clients for tests and benches: a visitor and an agent speaking the real frames.
import WebSocket from "ws";
import { randomBytes, randomUUID } from "node:crypto";
import { DEMO } from "./edge.mjs";

export async function json(res) {
  const text = await res.text();
  try { return JSON.parse(text); } catch { return text; }
}

/** A JSON call to the edge, with an agent (or visitor) token when given. */
export function api(edge, method, path, token, body) {
  return fetch(edge.url + path, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A client address for one simulated visitor: real visitors come from many addresses, and
 * the edge limits new sessions per address (`wrangler dev` passes a client-sent
 * CF-Connecting-IP through; on Cloudflare the edge sets it). */
export function visitorIp() {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

export async function newVisitor(edge, workspace = DEMO.workspace) {
  const res = await fetch(`${edge.url}/v1/widget/session`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": visitorIp() },
    body: JSON.stringify({ workspace_id: workspace }),
  });
  if (!res.ok) throw new Error(`session ${res.status}: ${await res.text()}`);
  return res.json();
}

export async function login(edge, { workspace = DEMO.workspace, email = DEMO.email, password = DEMO.password } = {}) {
  const res = await fetch(`${edge.url}/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ workspace_id: workspace, email, password }),
  });
  if (!res.ok) throw new Error(`login ${res.status}: ${await res.text()}`);
  return res.json();
}

/** A socket that queues every frame, so tests can await the next frame matching a predicate. */
export class Client {
  static open(url, token, timeout = 15_000) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, ["charla.v1", `bearer.${token}`], { handshakeTimeout: timeout });
      const c = new Client(ws);
      ws.once("open", () => resolve(c));
      ws.once("unexpected-response", (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
      ws.once("error", reject);
    });
  }
  constructor(ws) {
    this.ws = ws;
    this.frames = [];
    this.waiters = [];
    ws.on("message", (data) => {
      const frame = JSON.parse(data.toString());
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => (w.pred(frame) ? (w.resolve(frame), false) : true));
    });
  }
  send(frame) { this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame)); }
  /** Resolves with the first frame (already received or future) matching `pred`, consuming it. */
  next(pred = () => true, timeout = 10_000) {
    const i = this.frames.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.frames.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve: (f) => { clearTimeout(t); this.frames.splice(this.frames.indexOf(f), 1); resolve(f); } };
      const t = setTimeout(() => { this.waiters = this.waiters.filter((x) => x !== w); reject(new Error(`timeout waiting for frame; have ${JSON.stringify(this.frames).slice(0, 500)}`)); }, timeout);
      this.waiters.push(w);
    });
  }
  /** Sync after `afterSeq`, following `more` pages; returns all messages. */
  async sync(afterSeq = 0) {
    const all = [];
    for (;;) {
      this.send({ type: "sync", after_seq: afterSeq });
      // A sync refused for rate (after a burst of sends) is asked again a moment later, as
      // the widget and the inbox do.
      const page = await this.next((f) => f.type === "synced"
        || (f.type === "error" && f.code === "rate_limited" && !f.client_id));
      if (page.type === "error") {
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      all.push(...page.messages);
      if (!page.more || page.messages.length === 0) return all;
      afterSeq = page.messages.at(-1).seq;
    }
  }
  async say(text, clientId = randomUUID()) {
    this.send({ type: "send", client_id: clientId, text });
    return this.next((f) => f.type === "ack" && f.client_id === clientId);
  }
  close() {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once("close", resolve);
      this.ws.close();
    });
  }
}

export const visitorSocket = (edge, session) => Client.open(`${edge.wsUrl}/v1/widget/ws`, session.token);
export const agentSocket = (edge, token, conversationId) =>
  Client.open(`${edge.wsUrl}/v1/inbox/conversations/${conversationId}/ws`, token);
export const inboxSocket = (edge, token) => Client.open(`${edge.wsUrl}/v1/inbox/ws`, token);

/** A new agent of the demo workspace, invited by `by` (an owner or manager's login) and
 *  signed up with a fixed password: their `LoginResponse`. */
export async function invitedAgent(edge, by, email, role, name, password = "una clave larga") {
  const inv = await json(await api(edge, "POST", "/v1/inbox/invites", by.token, { email, role }));
  return json(await api(edge, "POST", "/v1/auth/accept-invite", null, { workspace_id: DEMO.workspace, token: inv.token, name, password }));
}
