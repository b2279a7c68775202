// The REST API on local workerd: p50/p99 of a contacts page and of a contact create (with an
// Idempotency-Key), and webhook delivery latency from the event (a contact made through the
// API) to a receiver on 127.0.0.1 having it. The per-key and per-IP limits are lifted
// (`CHARLA_DEV_UNPACED`) so the figures are the work, not the limit. Asserts nothing.
//   node bench/api.mjs [--calls 300] [--hooks 100]
import { createServer } from "node:http";
import { startEdge } from "../tests/support/edge.mjs";
import { api, json, login } from "../tests/support/clients.mjs";

const argv = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const CALLS = argv("calls", 300);
const HOOKS = argv("hooks", 100);
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const line = (what, xs) =>
  console.log(`${what.padEnd(44)} p50 ${pct(xs, 50).toFixed(2)} ms  p99 ${pct(xs, 99).toFixed(2)} ms  (${xs.length})`);

const arrivals = new Map();
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const event = JSON.parse(body);
    if (event.type === "contact.created") arrivals.set(event.data.contact.email, performance.now());
    res.writeHead(200);
    res.end("ok");
  });
});
await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
const edge = await startEdge({ vars: { CHARLA_DEV_UNPACED: "1", CHARLA_ALLOW_PRIVATE_HTTP: "1" } });
try {
  const owner = await login(edge);
  const key = (await json(await api(edge, "POST", "/v1/inbox/api-keys", owner.token, { name: "Bench", scopes: ["contacts:read", "contacts:write", "webhooks"] }))).secret;
  const timed = async (fn) => {
    const t = performance.now();
    const res = await fn();
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`status ${res.status}`);
    return performance.now() - t;
  };
  const create = (i, idem) =>
    fetch(`${edge.url}/v1/api/contacts`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "idempotency-key": idem },
      body: JSON.stringify({ name: `Cliente ${i}`, email: `cliente${i}@bench.example` }),
    });

  const creates = [];
  for (let i = 0; i < CALLS; i++) creates.push(await timed(() => create(i, `bench-${i}`)));
  const lists = [];
  for (let i = 0; i < CALLS; i++) lists.push(await timed(() => api(edge, "GET", "/v1/api/contacts?limit=50", key)));
  line("POST /v1/api/contacts (new contact)", creates);
  line("GET /v1/api/contacts?limit=50", lists);

  // Webhooks: one subscription; each create's contact.created is timed from the request.
  const hook = await api(edge, "POST", "/v1/api/webhooks", key, { url: `http://127.0.0.1:${receiver.address().port}/hook`, events: ["contact.created"] });
  if (hook.status !== 201) throw new Error(`webhook ${hook.status}`);
  const latencies = [];
  for (let i = 0; i < HOOKS; i++) {
    const email = `hook${i}@bench.example`;
    const sent = performance.now();
    const res = await fetch(`${edge.url}/v1/api/contacts`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ name: `Hook ${i}`, email }),
    });
    await res.arrayBuffer();
    const end = Date.now() + 10_000;
    while (!arrivals.has(email) && Date.now() < end) await new Promise((r) => setTimeout(r, 2));
    if (arrivals.has(email)) latencies.push(arrivals.get(email) - sent);
  }
  line("webhook: event to receiver (contact.created)", latencies);
  if (latencies.length < HOOKS) console.log(`webhook: ${HOOKS - latencies.length} deliveries did not arrive within 10 s`);
} finally {
  await edge.stop();
  receiver.close();
}
