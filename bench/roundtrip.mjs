// The message path on local workerd, Charla beside its floors started in the same run: a raw
// WebSocket echo worker (no Durable Object), bench/floor-worker (a Durable Object that does
// one SQLite insert per message, then acks and broadcasts) and its Rust twin
// bench/floor-rust-worker (the same work through the worker crate and wasm bindings Charla uses:
// what any Rust Durable Object pays; built here if it is not yet). Prints, for each, the round trip
// sender → receiver (p50/p99), messages/s into one conversation with 64 in flight, and the
// whole workspace with 10/50/100 conversations sending at once (messages/s, ack p50/p99), with
// Charla's ratio to the floor. Asserts nothing.
//
// Charla runs with CHARLA_DEV_UNPACED=1 (dev only: the per-sender frame buckets are off, or a
// visitor could not send more than 5 frames/s); everything else is the production path.
//   node bench/roundtrip.mjs [--messages 1000] [--burst 5000] [--per 50] [--workspace 10,50,100] [--no-index]
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { close, fmt, nextFrame, open, sendFrame, stats } from "./support/frames.mjs";
import { startEdge, ROOT } from "../tests/support/edge.mjs";
import { newVisitor, login } from "../tests/support/clients.mjs";

const argv = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const N = Number(argv("messages", 1000));
const BURST = Number(argv("burst", 5000));
const PER = Number(argv("per", 50));
const SIZES = String(argv("workspace", "10,50,100")).split(",").map(Number);

const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

/** `wrangler dev` for a bench worker (its own folder and wrangler.toml), fresh state; the
 * tests' start-up (fresh ports, retry, an error if it never answers). */
const startWorker = (dir) => startEdge({ root: join(ROOT, dir), health: "/" });

/** The three systems under one interface: a conversation = a sending socket and a receiving one. */
const systems = {
  echo: (w) => ({
    name: "raw echo worker (no DO)",
    async conversation() { const ws = await open(`${w.wsUrl}/`); return { sender: ws, receiver: ws }; },
  }),
  floor: (w) => {
    let rooms = 0;
    return {
      name: "floor: DO, 1 insert + broadcast",
      async conversation({ receiver = true } = {}) {
        const url = `${w.wsUrl}/room-${rooms++}`;
        const sender = await open(url);
        return { sender, receiver: receiver ? await open(url) : null };
      },
    };
  },
  charla: (edge, agent) => ({
    name: "Charla: visitor → DO → agent",
    async conversation({ receiver = true } = {}) {
      const session = await newVisitor(edge);
      const sender = await open(`${edge.wsUrl}/v1/widget/ws`, ["charla.v1", `bearer.${session.token}`]);
      const hello = nextFrame(sender, (f) => f.type === "hello");
      await hello;
      // The conversation exists once its first message is stored (as for a real visitor).
      const first = nextFrame(sender, (f) => f.type === "ack");
      sender.send(sendFrame("first", "hello"));
      await first;
      if (!receiver) return { sender, receiver: null };
      const rx = await open(`${edge.wsUrl}/v1/inbox/conversations/${session.conversation_id}/ws`, ["charla.v1", `bearer.${agent.token}`]);
      await nextFrame(rx, (f) => f.type === "hello");
      return { sender, receiver: rx };
    },
  }),
};

/** Sequential messages, each timed from send until the receiver has it. */
async function roundTrips(system, n) {
  const { sender, receiver } = await system.conversation();
  const times = [];
  for (let i = 0; i < n; i++) {
    const id = `rt${i}`;
    const got = nextFrame(receiver, (f) => f.client_id === id || f.message?.client_id === id);
    const t0 = performance.now();
    sender.send(sendFrame(id, `message ${i}`));
    await got;
    times.push(performance.now() - t0);
  }
  await close(sender);
  if (receiver !== sender) await close(receiver);
  return times;
}

/** `total` messages into one conversation, `window` unacknowledged at any time. */
async function sustained(system, total, window = 64) {
  const { sender, receiver } = await system.conversation({ receiver: false });
  let acked = 0, sent = 0;
  const t0 = performance.now();
  await new Promise((resolve) => {
    sender.onFrame = (f) => {
      if (f.type !== "ack") return;
      if (++acked === total) resolve();
      if (sent < total) sender.send(sendFrame(`s${sent}`, `sustained ${sent++}`));
    };
    for (; sent < Math.min(window, total); sent++) sender.send(sendFrame(`s${sent}`, `sustained ${sent}`));
  });
  const rate = total / ((performance.now() - t0) / 1000);
  await close(sender);
  if (receiver) await close(receiver);
  return rate;
}

/** `count` conversations at once, each sending `per` messages one after another (the next when
 * the last is acked): messages/s over all of them and each message's ack latency. */
async function workspaceWide(system, count, per) {
  const convs = [];
  for (let i = 0; i < count; i += 10) {
    convs.push(...(await Promise.all(Array.from({ length: Math.min(10, count - i) }, () => system.conversation({ receiver: false })))));
  }
  const acks = [];
  const t0 = performance.now();
  await Promise.all(convs.map(({ sender }, c) => new Promise((resolve) => {
    let k = 0, sentAt = 0;
    const next = () => { sentAt = performance.now(); sender.send(sendFrame(`w${c}-${k}`, `workspace ${k}`)); };
    sender.onFrame = (f) => {
      if (f.type !== "ack") return;
      acks.push(performance.now() - sentAt);
      if (++k === per) resolve(); else next();
    };
    next();
  })));
  const rate = (count * per) / ((performance.now() - t0) / 1000);
  await Promise.all(convs.map(({ sender }) => close(sender)));
  return { rate, ack: stats(acks) };
}

// CHARLA_ROOT: run another checkout's build (the code before a change) against the same floors.
if (!existsSync(join(ROOT, "bench/floor-rust-worker/build/index.js")) || process.argv.includes("--rebuild-floor")) {
  console.log("building bench/floor-rust-worker (worker-build, once)");
  execFileSync("worker-build", ["--release", "--no-opt"], {
    cwd: join(ROOT, "bench/floor-rust-worker"),
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, WASM_BINDGEN_BIN: execFileSync("sh", ["-c", "command -v wasm-bindgen"]).toString().trim() },
  });
}
// --no-index: the search indexer off (its cost on the message path is the difference).
const NO_INDEX = process.argv.includes("--no-index") ? { CHARLA_DEV_NO_INDEX: "1" } : {};
const edge = await startEdge({ vars: { CHARLA_DEV_UNPACED: "1", ...NO_INDEX }, root: process.env.CHARLA_ROOT });
const [echoWorker, floorWorker, rustWorker] = await Promise.all(
  ["bench/echo-worker", "bench/floor-worker", "bench/floor-rust-worker"].map(startWorker),
);
try {
  const agent = await login(edge);
  // An agent with the inbox open: the Workspace pushes every line change to it, as in real use.
  const inbox = await open(`${edge.wsUrl}/v1/inbox/ws`, ["charla.v1", `bearer.${agent.token}`]);
  const echo = systems.echo(echoWorker), floor = systems.floor(floorWorker), charla = systems.charla(edge, agent);
  const rust = { ...systems.floor(rustWorker), name: "Rust floor: same, worker crate" };
  for (const s of [echo, floor, rust, charla]) await roundTrips(s, 100); // warm-up

  console.log(`== round trip over ${N} sequential messages (local workerd, loopback, one run)`);
  const rt = {};
  for (const s of [echo, floor, rust, charla]) {
    rt[s.name] = stats(await roundTrips(s, N));
    console.log(`${s.name.padEnd(34)} ${fmt(rt[s.name])}`);
  }
  const [e, f, r, c] = [echo, floor, rust, charla].map((s) => rt[s.name]);
  console.log(`Charla / floor                     p50 ${ratio(c.p50, f.p50)}  p99 ${ratio(c.p99, f.p99)}   (target ≤ 1.5×)`);
  console.log(`Charla / Rust floor                p50 ${ratio(c.p50, r.p50)}  p99 ${ratio(c.p99, r.p99)}`);
  console.log(`Rust floor / floor                 p50 ${ratio(r.p50, f.p50)}  p99 ${ratio(r.p99, f.p99)}`);
  console.log(`floor / raw echo                   p50 ${ratio(f.p50, e.p50)}  p99 ${ratio(f.p99, e.p99)}`);

  console.log(`== sustained: ${BURST} messages into one conversation, 64 in flight (stored + acked + broadcast)`);
  const sFloor = await sustained(floor, BURST);
  const sRust = await sustained(rust, BURST);
  const sCharla = await sustained(charla, BURST);
  console.log(`floor                              ${sFloor.toFixed(0)} messages/s`);
  console.log(`Rust floor                         ${sRust.toFixed(0)} messages/s   (${ratio(sRust, sFloor)} the floor)`);
  console.log(`Charla                             ${sCharla.toFixed(0)} messages/s   (${ratio(sCharla, sFloor)} the floor; target ≥ 0.8×; ${ratio(sCharla, sRust)} the Rust floor)`);

  console.log(`== whole workspace: N conversations sending at once, ${PER} messages each, the next on its ack`);
  for (const n of SIZES) {
    const fl = await workspaceWide(floor, n, PER);
    const rf = await workspaceWide(rust, n, PER);
    const ch = await workspaceWide(charla, n, PER);
    console.log(`${String(n).padStart(3)} conversations  floor  ${fl.rate.toFixed(0).padStart(5)} msgs/s  ack ${fmt(fl.ack)}`);
    console.log(`${String(n).padStart(3)} conversations  Rust   ${rf.rate.toFixed(0).padStart(5)} msgs/s  ack ${fmt(rf.ack)}   (${ratio(rf.rate, fl.rate)} the floor's msgs/s)`);
    console.log(`${String(n).padStart(3)} conversations  Charla ${ch.rate.toFixed(0).padStart(5)} msgs/s  ack ${fmt(ch.ack)}   (${ratio(ch.rate, fl.rate)} the floor's msgs/s, ${ratio(ch.rate, rf.rate)} the Rust floor's)`);
  }
  await close(inbox);
} finally {
  await Promise.all([echoWorker.stop(), floorWorker.stop(), rustWorker.stop(), edge.stop()]);
}
