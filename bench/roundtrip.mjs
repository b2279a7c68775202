// Message round trip visitor → Worker → Conversation DO → agent on local workerd, beside a raw
// WebSocket echo worker (no DO) started in the same run; then sustained messages/s into one
// conversation. Prints figures; asserts nothing.
//   node bench/roundtrip.mjs [--messages 1000] [--burst 5000]
import { spawn } from "node:child_process";
import { join } from "node:path";
import WebSocket from "ws";
import { startEdge, freePort, ROOT } from "../tests/support/edge.mjs";
import { newVisitor, login, visitorSocket, agentSocket } from "../tests/support/clients.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg("messages", 1000);
const BURST = arg("burst", 5000);
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${pct(s, 50).toFixed(2)} ms  p99 ${pct(s, 99).toFixed(2)} ms  mean ${(s.reduce((a, b) => a + b, 0) / s.length).toFixed(2)} ms`;
};

async function startEcho() {
  const port = await freePort();
  const inspector = await freePort();
  const child = spawn(join(ROOT, "node_modules/.bin/wrangler"), ["dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspector), "--show-interactive-dev-session=false", "--log-level", "warn"], {
    cwd: join(ROOT, "bench/echo-worker"), detached: true, stdio: "ignore", env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  for (let i = 0; i < 240; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/`)).ok) break; } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url: `ws://127.0.0.1:${port}/`, stop: () => { try { process.kill(-child.pid, "SIGKILL"); } catch {} } };
}

async function echoRoundTrips(url, n) {
  const ws = new WebSocket(url);
  await new Promise((r) => ws.once("open", r));
  const times = [];
  for (let i = 0; i < n; i++) {
    const payload = JSON.stringify({ type: "send", client_id: `e${i}`, text: `echo ${i}` });
    const t0 = performance.now();
    await new Promise((r) => { ws.once("message", r); ws.send(payload); });
    times.push(performance.now() - t0);
  }
  ws.close();
  return times;
}

async function charlaRoundTrips(edge, n) {
  const session = await newVisitor(edge);
  const agent = await login(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.say("warm-up");
  const staff = await agentSocket(edge, agent.token, session.conversation_id);
  await staff.next((f) => f.type === "hello");
  const times = [];
  for (let i = 0; i < n; i++) {
    const id = `rt${i}`;
    const t0 = performance.now();
    visitor.send({ type: "send", client_id: id, text: `message ${i}` });
    await staff.next((f) => f.type === "message" && f.message.client_id === id);
    times.push(performance.now() - t0);
    visitor.frames.length = 0; // acks and echoes we don't await
  }
  await visitor.close();
  await staff.close();
  return times;
}

/** ping → pong through the Worker and the Conversation DO: the DO hop without a storage write. */
async function doPings(edge, n) {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.next((f) => f.type === "hello");
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    visitor.send({ type: "ping" });
    await visitor.next((f) => f.type === "pong");
    times.push(performance.now() - t0);
  }
  await visitor.close();
  return times;
}

async function sustained(edge, total, window = 64) {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.next((f) => f.type === "hello");
  let acked = 0, sent = 0;
  const t0 = performance.now();
  await new Promise((resolve) => {
    visitor.ws.on("message", (d) => {
      if (d.toString().includes('"type":"ack"')) {
        acked++;
        if (sent < total) visitor.send({ type: "send", client_id: `s${sent}`, text: `sustained ${sent++}` });
        if (acked === total) resolve();
      }
    });
    for (; sent < Math.min(window, total); sent++) visitor.send({ type: "send", client_id: `s${sent}`, text: `sustained ${sent}` });
  });
  const secs = (performance.now() - t0) / 1000;
  await visitor.close();
  return total / secs;
}

const edge = await startEdge();
const echo = await startEcho();
try {
  await echoRoundTrips(echo.url, 100); // warm both up
  await charlaRoundTrips(edge, 100);
  const raw = await echoRoundTrips(echo.url, N);
  const charla = await charlaRoundTrips(edge, N);
  const pings = await doPings(edge, N);
  const sRaw = [...raw].sort((a, b) => a - b), sCh = [...charla].sort((a, b) => a - b);
  console.log(`== round trip over ${N} sequential messages (local workerd, loopback)`);
  console.log(`raw echo worker (no DO)              ${fmt(raw)}`);
  console.log(`ping → Conversation DO → pong         ${fmt(pings)}   (DO hop, no storage write)`);
  console.log(`visitor → Conversation DO → agent    ${fmt(charla)}   (stored durably before delivery)`);
  console.log(`ratio p50 ${(pct(sCh, 50) / pct(sRaw, 50)).toFixed(2)}×  p99 ${(pct(sCh, 99) / pct(sRaw, 99)).toFixed(2)}×`);
  const rate = await sustained(edge, BURST);
  console.log(`== sustained: ${BURST} messages into one conversation, 64 in flight: ${rate.toFixed(0)} messages/s (stored + acked + broadcast)`);
} finally {
  echo.stop();
  await edge.stop();
}
