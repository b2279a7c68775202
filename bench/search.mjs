// Search on local workerd: how long a search takes over 100,000 indexed messages, and what
// feeding the index adds to the message path. Not a test; prints figures, asserts nothing.
//
// 1. One edge indexes 100,000 messages sent through the real path (visitors' sockets →
//    Conversation DOs → SEARCH_QUEUE → the Search DO), then answers searches through
//    GET /v1/inbox/search (Worker → Search DO → Workspace DO for access): p50/p99 for common
//    words, rare words, accent-less words, prefixes and two-word queries.
// 2. The message path with and without the indexer (CHARLA_DEV_NO_INDEX=1), two edges in the
//    same run, alternating: round trip visitor → agent p50/p99 and messages/s with 64 in flight.
//   node bench/search.mjs [--messages 100000] [--conversations 100] [--queries 300]
import { close, fmt, nextFrame, open, sendFrame, stats } from "./support/frames.mjs";
import { startEdge } from "../tests/support/edge.mjs";
import { newVisitor, login } from "../tests/support/clients.mjs";

const argv = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const MESSAGES = Number(argv("messages", 100_000));
const CONVERSATIONS = Number(argv("conversations", 100));
const QUERIES = Number(argv("queries", 300));

// Deterministic Spanish-ish text: common words, accented words and a tail of rare ones.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const COMMON = "hola pedido envío factura teléfono tienda ayuda gracias problema pago tarjeta devolución cuenta correo dirección producto talla color precio descuento semana".split(" ");
const FILLER = "el la de que y en un una por con no se me mi es lo para está pero muy ya".split(" ");
const rare = (i) => `ref${(i * 7919) % 50_000}`;
const sentence = (i) => {
  const words = [];
  const n = 6 + Math.floor(rand() * 10);
  for (let k = 0; k < n; k++) words.push(rand() < 0.35 ? COMMON[Math.floor(rand() * COMMON.length)] : FILLER[Math.floor(rand() * FILLER.length)]);
  words.push(rare(i));
  return words.join(" ");
};

async function visitor(edge) {
  const session = await newVisitor(edge);
  const ws = await open(`${edge.wsUrl}/v1/widget/ws`, ["charla.v1", `bearer.${session.token}`]);
  await nextFrame(ws, (f) => f.type === "hello");
  return { ws, id: session.conversation_id };
}

/** `total` messages into one socket, `window` unacknowledged at a time; messages/s. */
async function pump(ws, total, text, prefix, window = 64) {
  let acked = 0, sent = 0;
  const t0 = performance.now();
  await new Promise((resolve) => {
    ws.onFrame = (f) => {
      if (f.type !== "ack") return;
      if (++acked === total) resolve();
      if (sent < total) { ws.send(sendFrame(`${prefix}${sent}`, text(sent))); sent++; }
    };
    for (; sent < Math.min(window, total); sent++) ws.send(sendFrame(`${prefix}${sent}`, text(sent)));
  });
  return total / ((performance.now() - t0) / 1000);
}

async function roundTrips(edge, agent, n) {
  const v = await visitor(edge);
  const first = nextFrame(v.ws, (f) => f.type === "ack");
  v.ws.send(sendFrame("first", "hola"));
  await first;
  const rx = await open(`${edge.wsUrl}/v1/inbox/conversations/${v.id}/ws`, ["charla.v1", `bearer.${agent.token}`]);
  await nextFrame(rx, (f) => f.type === "hello");
  const times = [];
  for (let i = 0; i < n; i++) {
    const id = `rt${i}`;
    const got = nextFrame(rx, (f) => f.message?.client_id === id);
    const t0 = performance.now();
    v.ws.send(sendFrame(id, sentence(i)));
    await got;
    times.push(performance.now() - t0);
  }
  await close(v.ws);
  await close(rx);
  return times;
}

async function get(edge, token, path) {
  const res = await fetch(`${edge.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

// 1. Search latency over the index.
{
  const edge = await startEdge({ vars: { CHARLA_DEV_UNPACED: "1", CHARLA_DEV_SEED: "1" } });
  try {
    const agent = await login(edge);
    const per = Math.ceil(MESSAGES / CONVERSATIONS);
    console.log(`== indexing ${MESSAGES} messages in ${CONVERSATIONS} conversations through the real path`);
    const t0 = performance.now();
    let done = 0;
    for (let c = 0; c < CONVERSATIONS; c += 10) {
      const batch = await Promise.all(Array.from({ length: Math.min(10, CONVERSATIONS - c) }, () => visitor(edge)));
      await Promise.all(batch.map((v, k) => pump(v.ws, per, (i) => sentence((c + k) * per + i), `m${c + k}-`)));
      await Promise.all(batch.map((v) => close(v.ws)));
      done += batch.length * per;
    }
    const stored = performance.now();
    console.log(`stored                             ${(done / ((stored - t0) / 1000)).toFixed(0)} messages/s`);
    for (;;) {
      const count = await get(edge, agent.token, "/v1/dev/search-count");
      if (count >= done) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const indexed = performance.now();
    console.log(`indexed ${done} messages           ${((indexed - stored) / 1000).toFixed(1)} s after the last was stored (${(done / ((indexed - t0) / 1000)).toFixed(0)} messages/s end to end)`);

    const kinds = {
      "common word (thousands of hits)": () => COMMON[Math.floor(rand() * COMMON.length)],
      "accent-less word": () => ["telefono", "envio", "devolucion", "direccion"][Math.floor(rand() * 4)],
      "rare word (a few hits)": () => rare(Math.floor(rand() * done)),
      "prefix while typing": () => COMMON[Math.floor(rand() * COMMON.length)].slice(0, 3),
      "two words": () => `${COMMON[Math.floor(rand() * COMMON.length)]} ${COMMON[Math.floor(rand() * COMMON.length)]}`,
    };
    console.log(`== GET /v1/inbox/search over ${done} messages (Worker → Search DO → Workspace DO), ${QUERIES} queries each, sequential`);
    for (const [name, query] of Object.entries(kinds)) {
      const times = [];
      let results = 0;
      for (let i = 0; i < QUERIES; i++) {
        const q = query();
        const t = performance.now();
        results += (await get(edge, agent.token, `/v1/inbox/search?q=${encodeURIComponent(q)}`)).length;
        times.push(performance.now() - t);
      }
      console.log(`${name.padEnd(34)} ${fmt(stats(times))}   ${(results / QUERIES).toFixed(1)} results each`);
    }
  } catch (e) {
    console.error(`the edge's log, newest lines:\n${edge.log().slice(-3000)}`);
    throw e;
  } finally {
    await edge.stop();
  }
}

// 2. What the indexer adds to the message path.
{
  const [on, off] = await Promise.all([
    startEdge({ vars: { CHARLA_DEV_UNPACED: "1" } }),
    startEdge({ vars: { CHARLA_DEV_UNPACED: "1", CHARLA_DEV_NO_INDEX: "1" } }),
  ]);
  try {
    const agents = { on: await login(on), off: await login(off) };
    const edges = { on, off };
    const rt = { on: [], off: [] }, rate = { on: [], off: [] };
    for (const name of ["on", "off"]) await roundTrips(edges[name], agents[name], 100); // warm-up
    for (let round = 0; round < 3; round++) {
      for (const name of round % 2 ? ["off", "on"] : ["on", "off"]) {
        rt[name].push(...(await roundTrips(edges[name], agents[name], 500)));
        const v = await visitor(edges[name]);
        rate[name].push(await pump(v.ws, 3000, sentence, `r${round}-`));
        await close(v.ws);
      }
    }
    const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log("== the message path with and without feeding the index (same run, alternating)");
    console.log(`round trip, indexer off            ${fmt(stats(rt.off))}   sustained ${mean(rate.off).toFixed(0)} messages/s`);
    console.log(`round trip, indexer on             ${fmt(stats(rt.on))}   sustained ${mean(rate.on).toFixed(0)} messages/s`);
    const a = stats(rt.on), b = stats(rt.off);
    console.log(`added per message                  p50 ${(a.p50 - b.p50).toFixed(2)} ms  p99 ${(a.p99 - b.p99).toFixed(2)} ms  sustained ${((mean(rate.on) / mean(rate.off) - 1) * 100).toFixed(1)}%`);
  } finally {
    await Promise.all([on.stop(), off.stop()]);
  }
}
