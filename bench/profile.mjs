// Where the worker's CPU goes on the message path: a V8 CPU profile of workerd (through
// wrangler dev's inspector) while visitors send into one conversation and into many at once,
// printed as the functions with the most self and total time. Wasm functions show with their
// Rust names when the edge build keeps its name section (worker-build does).
//
//   node bench/profile.mjs [--messages 3000] [--conversations 20] [--top 40] [--out profile.cpuprofile] [--floor]
//
// --floor profiles bench/floor-worker instead (one insert + broadcast per message), to tell
// what any durable message costs in workerd from what Charla adds.
// The two .cpuprofile files (--out NAME writes NAME-one and NAME-many) open in Chromium's DevTools (Performance panel, load profile).
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { startEdge } from "../tests/support/edge.mjs";
import { newVisitor, login, api } from "../tests/support/clients.mjs";
import { devtools, profiled, samples } from "./support/devtools.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const MESSAGES = Number(arg("messages", 3000));
const CONVERSATIONS = Number(arg("conversations", 20));
const TOP = Number(arg("top", 40));
const OUT = arg("out", null);
const FLOOR = process.argv.includes("--floor");

function open(url, token) {
  return new Promise((resolve, reject) => {
    const ws = token ? new WebSocket(url, ["charla.v1", `bearer.${token}`]) : new WebSocket(url);
    ws.onFrame = () => {};
    ws.on("message", (d) => ws.onFrame(JSON.parse(d.toString())));
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}
const nextFrame = (ws, pred) => new Promise((r) => { ws.onFrame = (f) => { if (pred(f)) { ws.onFrame = () => {}; r(f); } }; });
const sendFrame = (id, text) => JSON.stringify({ type: "send", client_id: id, text });

let rooms = 0;
async function visitor(edge) {
  if (FLOOR) {
    const ws = await open(`${edge.wsUrl}/room-${rooms++}`);
    await nextFrame(ws, (f) => f.type === "hello");
    return ws;
  }
  const session = await newVisitor(edge);
  const ws = await open(`${edge.wsUrl}/v1/widget/ws`, session.token);
  await nextFrame(ws, (f) => f.type === "hello");
  const first = nextFrame(ws, (f) => f.type === "ack");
  ws.send(sendFrame("first", "hola"));
  await first;
  return ws;
}

/** `per` messages from each socket, `window` unacknowledged at a time per socket. */
function pump(sockets, per, window) {
  return Promise.all(sockets.map((ws, c) => new Promise((resolve) => {
    let sent = 0, acked = 0;
    const send = () => ws.send(sendFrame(`p${c}-${sent}`, `message ${sent++}`));
    ws.onFrame = (f) => {
      if (f.type !== "ack") return;
      if (++acked === per) resolve();
      else if (sent < per) send();
    };
    while (sent < Math.min(window, per)) send();
  })));
}

/** Self and total sampled time per function name. */
function summarize(profile) {
  const self = new Map(), total = new Map();
  let all = 0;
  for (const { stack, us } of samples(profile)) {
    all += us;
    self.set(stack[0], (self.get(stack[0]) ?? 0) + us);
    for (const name of new Set(stack)) total.set(name, (total.get(name) ?? 0) + us);
  }
  return { self, total, all };
}

function print(title, { self, total, all }, messages) {
  const idle = (self.get("(idle)") ?? 0) + (self.get("(program)") ?? 0);
  const busy = all - idle;
  console.log(`\n== ${title}: ${(all / 1e3).toFixed(0)} ms sampled, ${(busy / 1e3).toFixed(0)} ms busy, ${(busy / messages).toFixed(0)} µs busy per message`);
  const rows = (map) => [...map.entries()].filter(([n]) => n !== "(idle)" && n !== "(root)").sort((a, b) => b[1] - a[1]).slice(0, TOP);
  console.log("-- self time");
  for (const [n, t] of rows(self)) console.log(`${(t / messages).toFixed(1).padStart(8)} µs/msg ${(100 * t / busy).toFixed(1).padStart(5)}%  ${n.slice(0, 140)}`);
  console.log("-- total time (inclusive)");
  for (const [n, t] of rows(total)) console.log(`${(t / messages).toFixed(1).padStart(8)} µs/msg ${(100 * t / busy).toFixed(1).padStart(5)}%  ${n.slice(0, 140)}`);
}

const edge = FLOOR
  ? await startEdge({ root: fileURLToPath(new URL("floor-worker/", import.meta.url)), health: "/" })
  : await startEdge({ vars: { CHARLA_DEV_UNPACED: "1", CHARLA_DEV_SEED: "1" }, root: process.env.CHARLA_ROOT });
try {
  // The demo workspace exists before the first visitor; the dev-only call counter says how
  // many Workspace requests each message cost.
  const owner = FLOOR ? null : await login(edge);
  const calls = async () => (owner ? (await (await api(edge, "GET", "/v1/dev/workspace-calls", owner.token)).json()).calls : 0);
  const cdp = await devtools(edge.inspectorPort);

  const one = [await visitor(edge)];
  await pump(one, 200, 64); // warm-up, not profiled
  let before = await calls();
  const single = await profiled(cdp, () => pump(one, MESSAGES, 64));
  print(`one conversation, ${MESSAGES} messages, 64 in flight`, summarize(single), MESSAGES);
  if (owner) console.log(`Workspace requests per message: ${((await calls() - before) / MESSAGES).toFixed(2)}`);
  if (OUT) writeFileSync(OUT.replace(/(\.cpuprofile)?$/, "-one.cpuprofile"), JSON.stringify(single));

  const many = [];
  for (let i = 0; i < CONVERSATIONS; i++) many.push(await visitor(edge));
  const per = Math.max(1, Math.round(MESSAGES / CONVERSATIONS));
  before = await calls();
  const wide = await profiled(cdp, () => pump(many, per, 1));
  print(`${CONVERSATIONS} conversations at once, ${per} messages each, one at a time`, summarize(wide), per * CONVERSATIONS);
  if (owner) console.log(`Workspace requests per message: ${((await calls() - before) / (per * CONVERSATIONS)).toFixed(2)}`);
  if (OUT) writeFileSync(OUT.replace(/(\.cpuprofile)?$/, "-many.cpuprofile"), JSON.stringify(wide));
  for (const ws of [...one, ...many]) ws.close();
  cdp.close();
} finally {
  await edge.stop();
}
