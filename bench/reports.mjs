// Report queries over 100,000 closed periods in one Workspace DO on local workerd, timed
// through the real HTTP routes (token check → Workspace DO → SQLite → JSON). Rows are seeded
// through the dev-only POST /v1/dev/report-rows (exists only with CHARLA_DEV_SEED=1), 1,000
// per request, each batch one synchronous turn in the DO. Prints figures; asserts nothing.
//   node bench/reports.mjs [--rows 100000] [--runs 5] [--root <other checkout, for a before/after>]
import { startSeedableEdge } from "../tests/support/seedable_edge.mjs";
import { api, login } from "../tests/support/clients.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROWS = arg("--rows", 100_000);
const RUNS = arg("--runs", 5);
/** `--root DIR`: run another checkout's build (e.g. main before the rollups) for a before/after. */
const ROOT_ARG = process.argv.indexOf("--root") > 0 ? process.argv[process.argv.indexOf("--root") + 1] : undefined;
const BATCH = 1_000;
const DAYS = 90;
const DAY = 86_400_000;

// A small deterministic PRNG, so every run seeds the same rows.
let seed = 42;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = (list) => list[Math.floor(rand() * list.length)];
const between = (lo, hi) => Math.floor(lo + rand() * (hi - lo));
/** Heavy-tailed durations, as response and resolution times are: mostly short, some very long. */
const skewed = (lo, hi) => Math.floor(lo * (hi / lo) ** (rand() ** 2));

const AGENTS = Array.from({ length: 8 }, (_, i) => `a_bench${i}`);
const TEAMS = ["t_ventas", "t_soporte", "t_postventa", null];
const CATEGORIES = ["Ventas", "Soporte", "Reclamo", "Facturación", null];

function row(n, now) {
  const resolution = skewed(60_000, 2 * DAY);
  const closedAt = now - between(0, DAYS * DAY - 1);
  const openedAt = closedAt - resolution;
  const assignee = rand() < 0.95 ? pick(AGENTS) : null;
  const answered = rand() < 0.9;
  const firstResponse = answered ? Math.min(skewed(5_000, 2 * 3_600_000), resolution) : null;
  const responder = answered ? (assignee && rand() < 0.85 ? assignee : pick(AGENTS)) : null;
  const responses = answered ? between(1, 6) : 0;
  const avg = answered ? skewed(5_000, 3_600_000) : null;
  const out = between(1, 12);
  const closer = rand();
  const [closedByKind, closedById, closedBySource] =
    closer < 0.85 && assignee ? ["agent", assignee, "user"] : closer < 0.95 ? ["system", null, "system"] : ["workflow", "w_bench", "workflow"];
  const agents = {};
  if (assignee) agents[assignee] = { assigned: true, messages: out };
  if (responder && responder !== assignee) agents[responder] = { assigned: false, messages: 1 };
  return {
    conversation_id: `c_bench${String(n).padStart(7, "0")}`,
    period: 1,
    contact_id: `v_bench${n}`,
    contact_name: `Contacto ${n}`,
    assignee_id: assignee,
    team_id: pick(TEAMS),
    opened_at: openedAt,
    opened_by_kind: "contact",
    opened_by_source: "contact",
    closed_at: closedAt,
    first_assigned_at: assignee ? openedAt + 1_000 : null,
    first_response_at: answered ? openedAt + firstResponse : null,
    first_responder_id: responder,
    first_response_ms: firstResponse,
    first_assignment_to_response_ms: answered && assignee ? Math.max(0, firstResponse - 1_000) : null,
    avg_response_ms: avg,
    responses,
    response_total_ms: answered ? avg * responses : 0,
    waiting_since: null,
    resolution_ms: resolution,
    first_response_business_ms: null,
    resolution_business_ms: null,
    messages_in: between(1, 12),
    messages_out: out,
    assignments: assignee ? between(1, 3) : 0,
    closed_by_kind: closedByKind,
    closed_by_id: closedById,
    closed_by_source: closedBySource,
    category: pick(CATEGORIES),
    summary: rand() < 0.5 ? `Resumen de la conversación ${n}, todo en orden.` : null,
    agents,
  };
}

const edge = await startSeedableEdge(ROOT_ARG ? { root: ROOT_ARG } : {});
try {
  const owner = await login(edge);
  const now = Date.now();
  const t0 = performance.now();
  for (let start = 0; start < ROWS; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, ROWS - start) }, (_, k) => row(start + k, now));
    // Upserts are idempotent, so a batch cut short by a worker reload (a rebuild of
    // edge/build while the bench runs) is simply sent again.
    for (let attempt = 1; ; attempt++) {
      const res = await api(edge, "POST", "/v1/dev/report-rows", owner.token, batch);
      if (res.ok) break;
      const text = await res.text();
      if (res.status !== 503 || attempt === 3) throw new Error(`seeding ${res.status}: ${text}`);
    }
  }
  const seedMs = performance.now() - t0;
  console.log(`== reports: ${ROWS.toLocaleString("en")} closed periods over ${DAYS} days seeded in ${(seedMs / 1000).toFixed(1)} s (${Math.round(ROWS / (seedMs / 1000)).toLocaleString("en")} rows/s, ${BATCH} per request)`);

  const iso = (t) => new Date(t).toISOString().slice(0, 10);
  const range = `from=${iso(now - DAYS * DAY)}&to=${iso(now)}`; // every seeded row; zone: UTC
  const cases = [
    ["baseline: GET settings/workspace (auth + DO round trip)", "/v1/inbox/settings/workspace"],
    ["list, first page (50, newest first) + total", `/v1/inbox/reports/conversations?${range}`],
    ["list, page_size=1 (≈ the count alone)", `/v1/inbox/reports/conversations?${range}&page_size=1`],
    ["list, filtered (agent + category) + total", `/v1/inbox/reports/conversations?${range}&agent=a_bench3&category=Soporte`],
    ["list, sorted by resolution desc + total", `/v1/inbox/reports/conversations?${range}&sort=resolution&desc=true`],
    ["list, page 500 by resolution (OFFSET 24,950)", `/v1/inbox/reports/conversations?${range}&sort=resolution&desc=true&page=500`],
    ["overview: cards + by-day, with daily p50/p90", `/v1/inbox/reports/overview?${range}`],
    ["overview: cards + by-day, no daily percentiles", `/v1/inbox/reports/overview?${range}&day_percentiles=false`],
    ["overview, last 7 days", "/v1/inbox/reports/overview?preset=last_7_days"],
    ["overview, one agent", `/v1/inbox/reports/overview?${range}&agent=a_bench3`],
    ["agents leaderboard", `/v1/inbox/reports/agents?${range}`],
    ["teams breakdown", `/v1/inbox/reports/teams?${range}`],
    ["CSV export, every row", `/v1/inbox/reports/conversations.csv?${range}`],
  ];
  const results = [];
  for (const [name, path] of cases) {
    const csv = path.includes(".csv");
    const runs = csv ? Math.min(RUNS, 3) : RUNS;
    const times = [];
    let note = "";
    for (let k = 0; k <= runs; k++) {
      const start = performance.now();
      const res = await api(edge, "GET", path, owner.token);
      const body = await res.arrayBuffer();
      const ms = performance.now() - start;
      if (!res.ok) throw new Error(`${path}: ${res.status} ${new TextDecoder().decode(body)}`);
      if (k > 0) times.push(ms); // the first run warms the DO and its page cache
      if (csv) note = `${res.headers.get("x-charla-export-rows")} rows, ${(body.byteLength / 2 ** 20).toFixed(1)} MiB`;
      else if (path.includes("conversations?")) {
        const j = JSON.parse(new TextDecoder().decode(body));
        note = `${j.rows.length} rows of ${j.total.toLocaleString("en")}`;
      } else if (path.includes("overview")) {
        const j = JSON.parse(new TextDecoder().decode(body));
        note = `closed ${j.closed.toLocaleString("en")}, ${j.days.length} days`;
      } else if (path.includes("agents?")) note = `${JSON.parse(new TextDecoder().decode(body)).agents.length} agents`;
      else if (path.includes("teams?")) note = `${JSON.parse(new TextDecoder().decode(body)).teams.length} teams`;
    }
    times.sort((a, b) => a - b);
    results.push({ name, median: times[Math.floor((times.length - 1) / 2)], min: times[0], runs: times.length, note });
  }
  // The CSV export while the same workspace is asked something small every 10 ms: time to the
  // headers and to the first body bytes, the whole file, and what the small calls waited.
  const csvPath = `/v1/inbox/reports/conversations.csv?${range}`;
  for (let k = 0; k < Math.min(RUNS, 3); k++) {
    // Every small call started while the file streams counts, including one still waiting
    // when the file ends.
    const small = [];
    let streaming = true;
    const poller = (async () => {
      while (streaming) {
        const s = performance.now();
        const r = await api(edge, "GET", "/v1/inbox/settings/workspace", owner.token);
        await r.arrayBuffer();
        small.push(performance.now() - s);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const start = performance.now();
    const res = await api(edge, "GET", csvPath, owner.token);
    const headersAt = performance.now() - start;
    const reader = res.body.getReader();
    let firstByteAt = null;
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (firstByteAt === null) firstByteAt = performance.now() - start;
      bytes += value.byteLength;
    }
    const total = performance.now() - start;
    streaming = false;
    await poller;
    small.sort((a, b) => a - b);
    const q = (p) => (small.length ? small[Math.min(small.length - 1, Math.floor((p / 100) * small.length))].toFixed(1) : "-");
    results.push({
      name: `CSV streamed, run ${k + 1}: headers / first bytes / whole (ms)`,
      median: total, min: total, runs: 1,
      note: `${headersAt.toFixed(0)} / ${firstByteAt?.toFixed(0)} / ${total.toFixed(0)}, ${(bytes / 2 ** 20).toFixed(1)} MiB; a small call meanwhile: ${small.length} answered, p50 ${q(50)} ms, p99 ${q(99)} ms, max ${small.length ? small.at(-1).toFixed(1) : "-"} ms`,
    });
  }
  const w = Math.max(...results.map((r) => r.name.length));
  console.log(`   ${"request".padEnd(w)}  median ms    min ms  runs  answer`);
  for (const r of results) {
    console.log(`   ${r.name.padEnd(w)}  ${r.median.toFixed(1).padStart(9)}  ${r.min.toFixed(1).padStart(8)}  ${String(r.runs).padStart(4)}  ${r.note}`);
  }
  console.log("   (local workerd, wall-clock through HTTP from this process; medians after one warm-up run)");
} catch (e) {
  console.error(edge.log().slice(-3000));
  throw e;
} finally {
  await edge.stop();
}
