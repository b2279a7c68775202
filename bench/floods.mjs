// Floods against one workspace on local workerd, and what the legitimate users see meanwhile.
// Prints figures; asserts nothing (tests/security asserts the behaviour).
//   (a) a signed-in agent's request latency (sequential GET /v1/inbox/agents) idle vs during a
//       50-login flood spread over distinct CF-Connecting-IP values and accounts;
//   (b) another conversation's round trip (visitor → Conversation DO → agent socket) idle vs
//       during one visitor's flood of 10,000 frames.
//   node bench/floods.mjs [--requests 200] [--logins 50] [--frames 10000] [--roundtrips 200]
import { randomBytes } from "node:crypto";
import { startEdge } from "../tests/security/support.mjs"; // honours CHARLA_ROOT (another checkout)
import { Client } from "../tests/support/clients.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const REQUESTS = arg("requests", 200);
const LOGINS = arg("logins", 50);
const FRAMES = arg("frames", 10_000);
const ROUNDTRIPS = arg("roundtrips", 200);

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: pct(s, 50), p99: pct(s, 99), max: s.at(-1), n: s.length };
};
const fmt = (xs) => {
  if (!xs.length) return "(no samples)";
  const s = stats(xs);
  return `p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  max ${s.max.toFixed(1)} ms  (n=${s.n})`;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let ipN = 0;
const nextIp = () => { ipN++; return `203.0.${113 + Math.floor(ipN / 250) % 10}.${1 + (ipN % 250)}`; };

const post = (edge, path, body, { token, ip } = {}) => fetch(edge.url + path, {
  method: "POST",
  headers: { "content-type": "application/json", "cf-connecting-ip": ip ?? nextIp(), ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: JSON.stringify(body),
});
const okJson = async (res, what) => { if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`); return res.json(); };
const login = async (edge, email, password) => okJson(await post(edge, "/v1/auth/login", { workspace_id: "demo", email, password }), `login ${email}`);
const newVisitor = async (edge) => okJson(await post(edge, "/v1/widget/session", { workspace_id: "demo" }), "session");
const visitorSocket = (edge, s) => Client.open(`${edge.wsUrl}/v1/widget/ws`, s.token);
const agentSocket = (edge, token, id) => Client.open(`${edge.wsUrl}/v1/inbox/conversations/${id}/ws`, token);

/** Sequential GETs, timed; stops early when `until()` says so (after at least `min`). */
/** A request that takes longer than this counts as this long (and as a timeout). */
const TIMEOUT_MS = 30_000;
let timeouts = 0;
async function agentLatency(edge, token, n, until = () => false, min = 1) {
  const times = [];
  for (let i = 0; i < n; i++) {
    if (i >= min && until()) break;
    const t0 = performance.now();
    try {
      const res = await fetch(edge.url + "/v1/inbox/agents", { headers: { authorization: `Bearer ${token}`, "cf-connecting-ip": nextIp() }, signal: AbortSignal.timeout(TIMEOUT_MS) });
      await res.arrayBuffer();
      times.push(performance.now() - t0);
    } catch {
      timeouts++;
      times.push(TIMEOUT_MS);
    }
  }
  return times;
}

async function loginFlood(edge) {
  const owner = await login(edge, "demo@charla.dev", "charla-demo");
  // A few real accounts besides unknown emails: the flood mixes both, as a sprayer would.
  const accounts = [];
  for (let i = 0; i < 5; i++) {
    const inv = await okJson(await post(edge, "/v1/inbox/invites", { email: `bench-${i}@example.com`, role: "agent" }, { token: owner.token }), "invite");
    await okJson(await post(edge, "/v1/auth/accept-invite", { workspace_id: "demo", token: inv.token, name: `Bench ${i}`, password: "una clave larga" }), "accept");
    accounts.push(`bench-${i}@example.com`);
  }
  await agentLatency(edge, owner.token, 30); // warm-up
  const idle = await agentLatency(edge, owner.token, REQUESTS);

  let done = 0;
  const counts = {};
  const t0 = performance.now();
  const flood = Array.from({ length: LOGINS }, (_, i) => {
    const email = i % 2 === 0 ? accounts[i % accounts.length] : `unknown-${i}@example.com`;
    return fetch(edge.url + "/v1/auth/login", {
      method: "POST", signal: AbortSignal.timeout(120_000),
      headers: { "content-type": "application/json", "cf-connecting-ip": nextIp() },
      body: JSON.stringify({ workspace_id: "demo", email, password: `wrong-${i}-${randomBytes(4).toString("hex")}` }),
    })
      .then(async (r) => { await r.arrayBuffer(); counts[r.status] = (counts[r.status] ?? 0) + 1; })
      .catch((e) => { const k = e.name === "TimeoutError" ? "timeout" : e.message; counts[k] = (counts[k] ?? 0) + 1; })
      .finally(() => done++);
  });
  timeouts = 0;
  const during = await agentLatency(edge, owner.token, REQUESTS, () => done === LOGINS);
  await Promise.all(flood);
  const floodMs = performance.now() - t0;

  console.log(`== (a) signed-in agent: ${REQUESTS} sequential GET /v1/inbox/agents, idle vs during a ${LOGINS}-login flood`);
  console.log(`idle                      ${fmt(idle)}`);
  console.log(`during the login flood    ${fmt(during)}   (samples taken while the flood was unanswered${timeouts ? `; ${timeouts} timed out after ${TIMEOUT_MS / 1000} s` : ""})`);
  const si = stats(idle), sd = stats(during);
  console.log(`ratio during/idle         p50 ${(sd.p50 / si.p50).toFixed(2)}×  p99 ${(sd.p99 / si.p99).toFixed(2)}×   (target: within 2×)`);
  console.log(`flood answers             ${Object.entries(counts).map(([k, v]) => `${k}: ${v}`).join("  ")}   (${LOGINS} logins, ${LOGINS} addresses, ${accounts.length} real accounts + unknown emails; all answered in ${floodMs.toFixed(0)} ms)`);
}

async function frameFlood(edge) {
  const owner = await login(edge, "demo@charla.dev", "charla-demo");
  // The measured conversation: visitor → DO → the agent's socket.
  const s = await newVisitor(edge);
  const visitor = await visitorSocket(edge, s);
  await visitor.say("warm-up");
  const staff = await agentSocket(edge, owner.token, s.conversation_id);
  await staff.next((f) => f.type === "hello");
  let seq = 0;
  let rtTimeouts = 0, lastProblem = "";
  const roundTrip = async () => {
    const id = `rt${seq++}`;
    const t0 = performance.now();
    visitor.send({ type: "send", client_id: id, text: `message ${id}` });
    try {
      await staff.next((f) => f.type === "message" && f.message.client_id === id, TIMEOUT_MS);
    } catch {
      rtTimeouts++;
      lastProblem = JSON.stringify(visitor.frames.filter((f) => f.type === "error").slice(-1)) + ` (agent socket state ${staff.ws.readyState}, visitor socket state ${visitor.ws.readyState}; visitor frames ${JSON.stringify(visitor.frames.slice(-3)).slice(0, 300)})`;
      return TIMEOUT_MS;
    } finally {
      visitor.frames.length = 0;
    }
    return performance.now() - t0;
  };
  // Paced under the per-visitor rate so the measuring visitor is never the one limited.
  const roundTrips = async (n, until = () => false) => {
    const times = [];
    for (let i = 0; i < n && !(i >= 10 && until()) && rtTimeouts <= 3; i++) {
      times.push(await roundTrip());
      await sleep(250);
    }
    return times;
  };
  for (let i = 0; i < 5; i++) await roundTrip();
  await sleep(2000);
  const idle = await roundTrips(ROUNDTRIPS);

  // The attacker: one visitor token, FRAMES frames as fast as the socket takes them.
  const a = await newVisitor(edge);
  const attacker = await visitorSocket(edge, a);
  await attacker.next((f) => f.type === "hello");
  let acks = 0, limited = 0, otherErrors = 0, answered = 0;
  attacker.ws.removeAllListeners("message");
  const allAnswered = new Promise((resolve) => {
    attacker.ws.on("message", (d) => {
      const t = d.toString();
      if (t.includes('"type":"ack"')) acks++;
      else if (t.includes('"rate_limited"')) limited++;
      else if (t.includes('"type":"error"')) otherErrors++;
      else return;
      if (++answered === FRAMES) resolve();
    });
  });
  const t0 = performance.now();
  for (let i = 0; i < FRAMES; i++) attacker.send({ type: "send", client_id: `f${i}`, text: `flood ${i}` });
  const sentMs = performance.now() - t0;
  let floodDone = false;
  const settled = Promise.race([allAnswered, sleep(180_000)]).then(() => (floodDone = true));
  const during = await roundTrips(ROUNDTRIPS, () => floodDone);
  await settled;
  const floodMs = performance.now() - t0;

  console.log(`== (b) another conversation's round trip (visitor → Conversation DO → agent socket), idle vs during one visitor's ${FRAMES}-frame flood`);
  console.log(`idle                      ${fmt(idle)}`);
  console.log(`during the frame flood    ${fmt(during)}${rtTimeouts ? `   (${rtTimeouts} round trips timed out after ${TIMEOUT_MS / 1000} s; last visitor error ${lastProblem})` : ""}`);
  console.log(`flood answers             ack ${acks}  rate_limited ${limited}  other errors ${otherErrors}  unanswered ${FRAMES - answered}   (sent in ${sentMs.toFixed(0)} ms, answered in ${floodMs.toFixed(0)} ms)`);
  await Promise.all([visitor.close(), staff.close(), attacker.close()]);
}

const edge = await startEdge();
try {
  await loginFlood(edge);
  await frameFlood(edge);
} finally {
  await edge.stop();
}
