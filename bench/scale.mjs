// A workspace at a realistic load on local workerd: C open conversations (default 1,000), each
// visitor sending a message every 5 s (staggered, ≈ C/5 messages/s), and 20 agents with the
// inbox socket open. Prints ack p50/p99 (send → ack), inbox-line lag p50/p99 (send → the line
// with that message reaches an agent's inbox socket) and Workspace DO requests per message
// (counted by the Workspace itself, read through the dev-only GET /v1/dev/workspace-calls,
// which exists only with CHARLA_DEV_SEED=1). Locally every object shares one workerd thread,
// so what this machine holds is a bound on CPU per message, not Cloudflare's per-object one:
// the run is profiled (workerd's V8 profiler, bench/support/devtools.mjs) and the CPU split by
// Durable Object class, so it prints what each object spends per message and extrapolates how
// many conversations one Workspace DO (or one shard of it) carries at this pace on Cloudflare,
// where each object has its own thread. Asserts nothing.
//   node bench/scale.mjs [--conversations 1000] [--agents 20] [--seconds 30] [--every 5000]
import WebSocket from "ws";
import { startEdge } from "../tests/support/edge.mjs";
import { newVisitor, login, api, visitorIp } from "../tests/support/clients.mjs";
import { devtools, busyByObject } from "./support/devtools.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const C = arg("conversations", 1000);
const AGENTS = arg("agents", 20);
const SECONDS = arg("seconds", 30);
const EVERY = arg("every", 5000);
// --no-profile: the same run without workerd's profiler (its sampling costs the thread too).
const PROFILE = !process.argv.includes("--no-profile");

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (xs) => {
  if (!xs.length) return "(no samples)";
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${pct(s, 50).toFixed(1)} ms  p99 ${pct(s, 99).toFixed(1)} ms  max ${s.at(-1).toFixed(1)} ms  (n=${s.length})`;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function open(url, token) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ["charla.v1", `bearer.${token}`]);
    ws.onFrame = () => {};
    ws.on("message", (d) => ws.onFrame(JSON.parse(d.toString())));
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

async function agentTokens(edge, owner, n) {
  const tokens = [owner.token];
  for (let i = 1; i < n; i++) {
    const ip = visitorIp();
    const inv = await (await fetch(`${edge.url}/v1/inbox/invites`, {
      method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${owner.token}`, "cf-connecting-ip": ip },
      body: JSON.stringify({ email: `scale-${i}@example.com`, role: "agent" }),
    })).json();
    const accepted = await fetch(`${edge.url}/v1/auth/accept-invite`, {
      method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": ip },
      body: JSON.stringify({ workspace_id: "demo", token: inv.token, name: `Scale ${i}`, password: "una clave larga" }),
    });
    if (!accepted.ok) throw new Error(`accept-invite ${accepted.status}: ${await accepted.text()}`);
    const a = await accepted.json();
    tokens.push(a.token ?? (await login(edge, { email: `scale-${i}@example.com`, password: "una clave larga" })).token);
  }
  return tokens;
}

const workspaceCalls = async (edge, token) => (await (await api(edge, "GET", "/v1/dev/workspace-calls", token)).json()).calls;

// CHARLA_ROOT: run another checkout's build (the code before a change).
const edge = await startEdge({ vars: { CHARLA_DEV_SEED: "1" }, root: process.env.CHARLA_ROOT });
try {
  const owner = await login(edge);
  const tokens = await agentTokens(edge, owner, AGENTS);
  const inboxes = await Promise.all(tokens.map((t) => open(`${edge.wsUrl}/v1/inbox/ws`, t)));

  // The conversations: a session, a socket, a first message (the conversation exists from then).
  const convs = [];
  const t0 = performance.now();
  for (let i = 0; i < C; i += 25) {
    const batch = await Promise.all(Array.from({ length: Math.min(25, C - i) }, async () => {
      const s = await newVisitor(edge);
      const ws = await open(`${edge.wsUrl}/v1/widget/ws`, s.token);
      const acked = new Promise((r) => { ws.onFrame = (f) => { if (f.type === "ack") r(); }; });
      ws.send(JSON.stringify({ type: "send", client_id: "first", text: "hello" }));
      await acked;
      return { id: s.conversation_id, ws };
    }));
    convs.push(...batch);
  }
  console.log(`== ${C} conversations open (${((performance.now() - t0) / 1000).toFixed(1)} s to open), ${AGENTS} agents with the inbox open`);
  await sleep(2000);

  // Inbox-line lag, seen on the first agent's inbox socket: the line carrying the message's seq.
  const awaitingLine = new Map(); // conversation id → [{ seq, sentAt }]
  const lineLags = [];
  // The line may reach the inbox before the ack reaches the visitor (two sockets): the newest
  // line seen per conversation is kept, and an ack whose seq it already covers counts then.
  const lineSeen = new Map(); // conversation id → { last_seq, at }
  const settleLines = (id) => {
    const waiting = awaitingLine.get(id);
    const seen = lineSeen.get(id);
    if (!waiting || !seen) return;
    while (waiting.length && waiting[0].seq !== undefined && waiting[0].seq <= seen.last_seq) lineLags.push(seen.at - waiting.shift().sentAt);
  };
  inboxes[0].onFrame = (f) => {
    if (f.type !== "summary") return;
    lineSeen.set(f.conversation.id, { last_seq: f.conversation.last_seq, at: performance.now() });
    settleLines(f.conversation.id);
  };
  const acks = [];
  let sent = 0, acked = 0, errors = 0;
  const before = await workspaceCalls(edge, owner.token);
  const cdp = PROFILE ? await devtools(edge.inspectorPort) : null;
  if (cdp) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
    await cdp.send("Profiler.start");
  }
  const start = performance.now();
  const end = start + SECONDS * 1000;
  const timers = convs.map((c, i) => {
    let k = 0;
    const pending = new Map();
    awaitingLine.set(c.id, []);
    c.ws.onFrame = (f) => {
      if (f.type === "ack" && pending.has(f.client_id)) {
        const entry = pending.get(f.client_id);
        pending.delete(f.client_id);
        acks.push(performance.now() - entry.sentAt);
        entry.seq = f.seq;
        acked++;
        settleLines(c.id);
      } else if (f.type === "error") errors++;
    };
    const tick = () => {
      if (performance.now() >= end) return;
      const id = `m${k++}`;
      const entry = { sentAt: performance.now(), seq: undefined };
      pending.set(id, entry);
      awaitingLine.get(c.id).push(entry);
      sent++;
      c.ws.send(JSON.stringify({ type: "send", client_id: id, text: `message ${k} of ${c.id}` }));
    };
    // Staggered over the first interval, then every EVERY ms.
    return setTimeout(() => { tick(); c.interval = setInterval(tick, EVERY); }, (i / C) * EVERY);
  });
  await sleep(SECONDS * 1000);
  timers.forEach(clearTimeout);
  convs.forEach((c) => clearInterval(c.interval));
  await sleep(3000); // the last acks and lines
  const profile = cdp ? (await cdp.send("Profiler.stop")).profile : null;
  cdp?.close();
  if (profile && process.env.CHARLA_PROFILE_OUT) (await import("node:fs")).writeFileSync(process.env.CHARLA_PROFILE_OUT, JSON.stringify(profile));
  const after = await workspaceCalls(edge, owner.token);
  const calls = after - before - 1; // the second read counts itself
  const secs = (performance.now() - start) / 1000;

  console.log(`== ${SECONDS} s at one message per conversation every ${EVERY / 1000} s: ${sent} sent, ${acked} acked${errors ? `, ${errors} error frames` : ""} (${(acked / SECONDS).toFixed(0)} messages/s offered)`);
  console.log(`ack (send → ack)                 ${fmt(acks)}`);
  console.log(`inbox-line lag (send → line)     ${fmt(lineLags)}`);
  console.log(`Workspace DO requests            ${calls} in ${secs.toFixed(1)} s = ${(calls / secs).toFixed(1)}/s, ${(calls / Math.max(1, acked)).toFixed(3)} per message`);

  // CPU per message by object class; the unattributed rest (runtime, bindings, the glue between
  // frames) is shared out in proportion. One object gets one thread on Cloudflare; a budget of
  // half of it (the rest: bursts, other calls) is what the extrapolation allows.
  if (profile) {
    const by = busyByObject(profile);
    const attributed = by.conversation + by.workspace + by.worker;
    const share = (us) => (us + (by.unattributed * us) / Math.max(1, attributed)) / Math.max(1, acked) / 1000;
    const [conv, ws, worker] = [share(by.conversation), share(by.workspace), share(by.worker)];
    const rate = 1000 / EVERY; // messages per conversation per second
    console.log(`CPU per message (profiled)       Conversation DO ${conv.toFixed(2)} ms · Workspace DO ${ws.toFixed(2)} ms · Worker ${worker.toFixed(2)} ms`);
    console.log(`one Workspace DO at 50% of a thread carries ${Math.floor(500 / (ws * rate)).toLocaleString("en")} conversations at a message per ${EVERY / 1000} s` +
      ` (100,000 need ${Math.ceil((100_000 * rate * ws) / 500)} inbox shards, see ARCHITECTURE.md); one Conversation DO uses ${(conv * rate / 10).toFixed(3)}% of its thread`);
  }
  await Promise.all([...convs.map((c) => c.ws), ...inboxes].map((ws) => new Promise((r) => { ws.once("close", r); ws.close(); })));
} finally {
  await edge.stop();
}
