// workerd's V8 CPU profiler through `wrangler dev`'s inspector (tests/support/edge.mjs returns its
// port): shared by bench/profile.mjs (where a message's CPU goes, by function) and
// bench/scale.mjs (by Durable Object class, to extrapolate per object).
import WebSocket from "ws";

/** A Chrome DevTools Protocol session on the inspector's one target (the workers). */
export async function devtools(port) {
  const [target] = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((r, j) => { ws.once("open", r); ws.once("error", j); });
  let id = 0;
  const waiting = new Map();
  ws.on("message", (d) => {
    const m = JSON.parse(d.toString());
    if (m.id && waiting.has(m.id)) {
      const { resolve, reject } = waiting.get(m.id);
      waiting.delete(m.id);
      m.error ? reject(new Error(JSON.stringify(m.error))) : resolve(m.result);
    }
  });
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    waiting.set(++id, { resolve, reject });
    ws.send(JSON.stringify({ id, method, params }));
  });
  return { send, close: () => ws.close() };
}

/** Profile `work()`, sampling every `intervalUs` µs; answers the V8 profile. */
export async function profiled(cdp, work, intervalUs = 100) {
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: intervalUs });
  await cdp.send("Profiler.start");
  await work();
  return (await cdp.send("Profiler.stop")).profile;
}

const IDLE = new Set(["(idle)", "(program)", "(root)"]);

/** Each sample's stack (leaf first) as function names, with its duration in µs. workerd's
 * isolate takes no samples while it waits for an event, so the sample after a wait carries
 * the whole wait as its delta: a delta is capped at twice the sampling interval (the 10th
 * percentile of the deltas; in a saturated run nothing is capped, in a mostly idle one the
 * waits do not land on whatever ran next). */
export function* samples(profile) {
  const sorted = [...profile.timeDeltas].sort((a, b) => a - b);
  const cap = 2 * Math.max(1, sorted[Math.floor(sorted.length / 10)] ?? 1);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n) => {
    const f = n.callFrame;
    return f.functionName || (f.url ? `(anonymous ${f.url.split("/").pop()}:${f.lineNumber})` : "(anonymous)");
  };
  for (let i = 0; i < profile.samples.length; i++) {
    const stack = [];
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) stack.push(name(byId.get(id)));
    yield { stack, us: Math.min(cap, profile.timeDeltas[i] ?? 0) };
  }
}

/** Busy µs (not idle) of a profile. */
export function busyUs(profile) {
  let busy = 0;
  for (const { stack, us } of samples(profile)) if (!IDLE.has(stack[0])) busy += us;
  return busy;
}

/** Busy µs by the Durable Object class whose code is on the stack (the innermost
 * `charla_edge::conversation::` / `charla_edge::workspace::` / `charla_edge::http::` frame);
 * the rest (runtime, bindings, promise glue between frames) is `unattributed`. */
export function busyByObject(profile) {
  const out = { conversation: 0, workspace: 0, worker: 0, unattributed: 0 };
  for (const { stack, us } of samples(profile)) {
    if (IDLE.has(stack[0])) continue;
    const owner = stack.find((f) => /charla_edge::(conversation|workspace|http)::/.test(f));
    const kind = owner?.match(/charla_edge::(conversation|workspace|http)::/)[1];
    out[kind === "http" ? "worker" : kind ?? "unattributed"] += us;
  }
  return out;
}
