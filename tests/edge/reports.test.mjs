// Reports through the real worker: two conversations played over real sockets (one answered
// at once, one after a wait), closed with notes, then read back through every report route —
// list (filters, sort, pages, an agent's own view), CSV export, overview, leaderboard, teams —
// in the workspace's time zone. Then a reopened conversation adds a second row.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { api, newVisitor, login, visitorSocket, agentSocket, json, invitedAgent } from "../support/clients.mjs";

const ZONE = "America/Mexico_City"; // no DST since 2022: every time is at -06:00
const SLOW_MS = 1_500;
const INJECTION = '=HYPERLINK("http://evil.example","ver")';

let edge, owner, ana, quick, slow;
before(async () => {
  edge = await startEdge();
  owner = await login(edge);
  ana = await invited("ana@example.com", "agent", "Ana");
});
after(async () => {
  for (const c of [quick, slow]) if (c) await Promise.all([c.visitor.close(), c.staff.close()]);
  if (edge) await edge.stop();
  if (seeded) await seeded.stop();
});

const call = (method, path, token, body) => api(edge, method, path, token, body);
const act = (client, action) => client.send({ type: "action", action });
const activity = (kind) => (f) => f.type === "activity" && f.event.kind.type === kind;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const invited = (email, role, name) => invitedAgent(edge, owner, email, role, name);

/** GET a report as `token` (the owner by default), asserting 200. */
async function report(path, token = owner.token) {
  const res = await call("GET", `/v1/inbox/reports/${path}`, token);
  assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
  return res.json();
}

/** Poll the list until `pred` holds: rows are written by the Conversation DO after the close. */
async function waitList(query, pred, what, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const list = await report(`conversations?${query}`);
    if (pred(list)) return list;
    if (Date.now() > deadline) throw new Error(`timeout: ${what}; last ${JSON.stringify(list).slice(0, 400)}`);
    await sleep(100);
  }
}

/** A visitor writes, `agent` takes it and answers after `waitMs`, then closes it with `note`. */
async function play(agent, waitMs, note) {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.say("hola, necesito ayuda");
  const staff = await agentSocket(edge, agent.token, session.conversation_id);
  await staff.next((f) => f.type === "timeline");
  act(staff, { kind: "assign", agent_id: agent.agent.id });
  await staff.next(activity("assigned"));
  if (waitMs) await sleep(waitMs);
  await staff.say("¡Hola! Ya lo miro.");
  act(staff, { kind: "close", note });
  await staff.next(activity("closed"));
  return { id: session.conversation_id, visitor, staff };
}

/** RFC 4180: quoted cells, doubled quotes, CRLF line ends. */
function parseCsv(text) {
  const rows = [];
  let row = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(cell); cell = ""; }
    else if (c === "\r" && text[i + 1] === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; i++; }
    else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(new Date());

test("the workspace time zone: UTC by default, owners and managers change it, validated", async () => {
  assert.deepEqual(await json(await call("GET", "/v1/inbox/settings/workspace", ana.token)), { time_zone: "UTC" });
  const cases = [
    ["an agent", ana.token, { time_zone: "Europe/Madrid" }, 403],
    ["not a zone", owner.token, { time_zone: "Mars/Olympus_Mons" }, 400],
    ["an offset is not a zone", owner.token, { time_zone: "+02:00" }, 400],
    ["no zone at all", owner.token, {}, 400],
    ["no token", null, { time_zone: ZONE }, 401],
  ];
  for (const [what, token, body, status] of cases) {
    assert.equal((await call("PUT", "/v1/inbox/settings/workspace", token, body)).status, status, what);
  }
  const set = await call("PUT", "/v1/inbox/settings/workspace", owner.token, { time_zone: ZONE });
  assert.equal(set.status, 200, await set.clone().text());
  assert.deepEqual(await set.json(), { time_zone: ZONE });
  assert.deepEqual(await json(await call("GET", "/v1/inbox/settings/workspace", ana.token)), { time_zone: ZONE });
});

test("closed conversations: rows with notes and times, filters, sort, pages, an agent's own view", async () => {
  const lifecycle = await call("PUT", "/v1/inbox/settings/lifecycle", owner.token, {
    closing_category: "optional", closing_summary: "optional", categories: ["Ventas", "Soporte"], auto_close_after: null,
  });
  assert.equal(lifecycle.status, 200, await lifecycle.clone().text());
  quick = await play(ana, 0, { category: "Ventas", summary: INJECTION });
  slow = await play(owner, SLOW_MS, { category: "Soporte", summary: "Reembolso hecho, gracias" });

  const list = await waitList("preset=today", (l) => l.total === 2, "two closed rows");
  assert.equal(list.time_zone, ZONE);
  assert.deepEqual([list.first, list.last, list.page, list.page_size, list.agent], [today(), today(), 1, 50, null]);
  assert.equal(list.to - list.from, 86_400_000, "one local day");
  const byId = Object.fromEntries(list.rows.map((r) => [r.conversation_id, r]));
  const q = byId[quick.id], s = byId[slow.id];
  assert.deepEqual([q.period, q.category, q.summary, q.assignee_id, q.closed_by_id, q.closed_by_source], [1, "Ventas", INJECTION, ana.agent.id, ana.agent.id, "user"]);
  assert.deepEqual([s.category, s.summary, s.assignee_id, s.first_responder_id], ["Soporte", "Reembolso hecho, gracias", owner.agent.id, owner.agent.id]);
  for (const r of [q, s]) {
    assert.ok(r.first_response_ms >= 0 && r.resolution_ms >= r.first_response_ms, JSON.stringify(r));
    assert.deepEqual([r.messages_in, r.messages_out, r.responses, r.assignments], [1, 1, 1, 1]);
    assert.ok(r.closed_at >= list.from && r.closed_at < list.to);
  }
  assert.ok(s.first_response_ms >= SLOW_MS, `slow answer took ${s.first_response_ms} ms`);
  assert.ok(q.first_response_ms < s.first_response_ms, `quick ${q.first_response_ms} < slow ${s.first_response_ms}`);
  // One wait, from the contact's message (the first response counts from the period's open).
  assert.ok(s.avg_response_ms >= SLOW_MS && s.avg_response_ms <= s.first_response_ms, `${s.avg_response_ms} ms`);

  // Filters narrow the list; an unknown value matches nothing.
  const ids = (l) => l.rows.map((r) => r.conversation_id);
  assert.deepEqual(ids(await report("conversations?preset=last_7_days&category=Soporte")), [slow.id]);
  assert.deepEqual(ids(await report(`conversations?preset=last_7_days&agent=${ana.agent.id}`)), [quick.id]);
  assert.equal((await report("conversations?preset=last_7_days&team=t_nobody")).total, 0);
  const dates = await report(`conversations?from=${today()}&to=${today()}`);
  assert.equal(dates.total, 2, "explicit local dates, both included");

  // Sort: by first response, both ways; by resolution, slowest first.
  assert.deepEqual(ids(await report("conversations?sort=first_response")), [quick.id, slow.id]);
  assert.deepEqual(ids(await report("conversations?sort=first_response&desc=true")), [slow.id, quick.id]);
  assert.deepEqual(ids(await report("conversations?sort=resolution&desc=true")), [slow.id, quick.id]);

  // Pages: one row each, the total stays; past the end is empty, not an error.
  const pages = [];
  for (const page of [1, 2, 3]) pages.push(await report(`conversations?sort=first_response&page_size=1&page=${page}`));
  assert.deepEqual(pages.map((p) => [p.total, ids(p)]), [[2, [quick.id]], [2, [slow.id]], [2, []]]);

  // An agent sees only the periods they held at close, whatever they ask for.
  const hers = await report("conversations?preset=today", ana.token);
  assert.deepEqual([hers.total, ids(hers), hers.agent], [1, [quick.id], ana.agent.id]);
  assert.deepEqual(ids(await report(`conversations?agent=${owner.agent.id}`, ana.token)), [quick.id]);
});

test("CSV export: the same rows, BOM, names, injection-safe cells, attachment name", async () => {
  const res = await call("GET", "/v1/inbox/reports/conversations.csv?preset=today&sort=first_response", owner.token);
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(res.headers.get("content-type"), "text/csv; charset=utf-8");
  assert.equal(res.headers.get("content-disposition"), `attachment; filename="charla-closed-${today()}_${today()}.csv"`);
  assert.deepEqual([res.headers.get("x-charla-export-rows"), res.headers.get("x-charla-export-total"), res.headers.get("x-charla-export-truncated")], ["2", "2", null]);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 BOM for Excel");
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes).slice(1);
  assert.ok(text.endsWith("\r\n"));
  const [header, ...lines] = parseCsv(text);
  assert.equal(header.length, 22);
  assert.equal(header.at(-1), "Attachments");
  assert.deepEqual(header.slice(0, 3), ["Conversation", "Period", "Contact"]);
  assert.equal(lines.length, 2);
  const [first, second] = lines.map((l) => Object.fromEntries(header.map((h, i) => [h, l[i]])));
  assert.deepEqual([first.Conversation, second.Conversation], [quick.id, slow.id], "the list's order");
  assert.deepEqual([first.Assignee, second.Assignee, first["Closed by"]], ["Ana", "Demo Agent", "Ana"], "names, not ids");
  assert.deepEqual([first.Category, second.Category, second.Summary], ["Ventas", "Soporte", "Reembolso hecho, gracias"]);
  assert.equal(first.Summary, `'${INJECTION}`, "a formula is defused with a leading quote");
  assert.ok(first["Closed at"].endsWith("-06:00"), `times in ${ZONE}: ${first["Closed at"]}`);
  assert.ok(lines.every((l) => l.length === 22));
  assert.deepEqual(lines.map((l) => l.at(-1)), ["0", "0"], "no files were sent in these periods");
  assert.equal(first["Closed via"], "user");
  const listed = await report("conversations?preset=today&sort=first_response");
  assert.equal(Number(second["First response (s)"]), Math.floor((listed.rows[1].first_response_ms + 500) / 1000));

  // An agent's export holds only their rows.
  const hers = parseCsv((await (await call("GET", "/v1/inbox/reports/conversations.csv", ana.token)).text()).replace(/^\uFEFF/, ""));
  assert.deepEqual(hers.slice(1).map((l) => l[0]), [quick.id]);
});

test("overview, leaderboard and teams add up to the same two periods", async () => {
  const o = await report("overview?preset=last_7_days");
  assert.deepEqual([o.opened, o.closed, o.answered, o.messages_in, o.messages_out, o.assignments, o.responses], [2, 2, 2, 2, 2, 2, 2]);
  assert.deepEqual([o.first_response.count, o.resolution.count, o.time_zone, o.last], [2, 2, ZONE, today()]);
  assert.equal(o.days.length, 7);
  const day = o.days.at(-1);
  assert.deepEqual([day.date, day.opened, day.closed, day.first_response.count], [today(), 2, 2, 2]);
  assert.equal(o.days.slice(0, -1).reduce((n, d) => n + d.closed, 0), 0);
  const list = await report("conversations?sort=first_response");
  assert.equal(o.first_response.median, list.rows[0].first_response_ms, "nearest-rank median of two = the lower");
  assert.equal(o.first_response.p90, list.rows[1].first_response_ms);
  const lean = await report("overview?preset=last_7_days&day_percentiles=false");
  assert.deepEqual([lean.closed, lean.days.at(-1).closed, lean.days.at(-1).first_response.count], [2, 2, 0]);

  const board = await report("agents?preset=today");
  const line = (b, id) => b.agents.find((a) => a.agent_id === id);
  const a = line(board, ana.agent.id), d = line(board, owner.agent.id);
  assert.deepEqual([a.assigned, a.closed, a.messages_sent, a.first_response.count, a.resolution.count, a.open_now], [1, 1, 1, 1, 1, 0]);
  assert.deepEqual([d.assigned, d.closed, d.messages_sent, d.first_response.count], [1, 1, 1, 1]);
  assert.ok(a.first_response.median < d.first_response.median);
  const herBoard = await report("agents?preset=today", ana.token);
  assert.deepEqual(herBoard.agents.map((x) => x.agent_id), [ana.agent.id], "an agent sees their own line");

  const teams = await report("teams?preset=today");
  assert.deepEqual(teams.teams.map((t) => [t.team_id, t.closed, t.answered, t.first_response.count]), [[null, 2, 2, 2]]);
  const herTeams = await report("teams", ana.token);
  assert.equal(herTeams.teams[0].closed, 1);
});

test("a reopened conversation closed again is a second row; the first stays as it was", async () => {
  const before = (await report(`conversations?agent=${ana.agent.id}`)).rows[0];
  await quick.visitor.say("una cosa más");
  assert.equal((await quick.staff.next(activity("reopened"))).event.kind.period, 2);
  act(quick.staff, { kind: "assign", agent_id: ana.agent.id });
  await quick.staff.next(activity("assigned"));
  // Open now: the leaderboard counts the open conversation assigned to Ana.
  const deadline = Date.now() + 20_000;
  while ((await report("agents")).agents.find((a) => a.agent_id === ana.agent.id)?.open_now !== 1) {
    if (Date.now() > deadline) throw new Error("open_now never reached 1");
    await sleep(100);
  }
  await quick.staff.say("Hecho también.");
  act(quick.staff, { kind: "close", note: { category: "Soporte", summary: null } });
  await quick.staff.next(activity("closed"));
  const list = await waitList("sort=closed_at&desc=true", (l) => l.total === 3, "a third row");
  const periods = list.rows.filter((r) => r.conversation_id === quick.id);
  assert.deepEqual(periods.map((r) => [r.period, r.category]), [[2, "Soporte"], [1, "Ventas"]]);
  const first = periods.find((r) => r.period === 1);
  assert.deepEqual({ ...first, contact_name: null }, { ...before, contact_name: null }, "period 1's row did not change");
  const o = await report("overview");
  assert.deepEqual([o.opened, o.closed], [3, 3]);
});

test("bad input is a 400 with the reason; no token is a 401; the dev seeding route does not exist here", async () => {
  const bad = [
    "conversations?from=2024-02-30&to=2024-03-01",
    "conversations?from=2024-3-1&to=2024-03-02",
    "conversations?from=2024-03-10&to=2024-03-01",
    "conversations?from=2023-01-01&to=2024-12-31",
    "conversations?from=2024-03-01",
    "conversations?preset=someday",
    "conversations?preset=today&from=2024-03-01&to=2024-03-02",
    "conversations?sort=password",
    "conversations?sort=closed_at&desc=maybe",
    "conversations?page=0",
    "conversations?page=-1",
    "conversations?page_size=201",
    "conversations?page_size=0",
    "conversations?catgory=Ventas",
    "conversations?category=",
    "conversations?page=1&page=2",
    "overview?from=1999-12-31&to=2000-01-02",
    "agents?preset=tomorrow",
    "teams?sort=nope",
    "conversations.csv?page_size=9999",
  ];
  for (const path of bad) {
    const res = await call("GET", `/v1/inbox/reports/${path}`, owner.token);
    assert.equal(res.status, 400, path);
    const body = await res.json();
    assert.equal(body.code, "bad_request", path);
    assert.ok(body.message.length > 10, `${path}: ${body.message}`);
  }
  for (const path of ["conversations", "conversations.csv", "overview", "agents", "teams"]) {
    assert.equal((await call("GET", `/v1/inbox/reports/${path}`, null)).status, 401, path);
    assert.equal((await call("GET", `/v1/inbox/reports/${path}`, "not-a-token")).status, 401, path);
  }
  assert.equal((await call("GET", "/v1/inbox/settings/workspace", null)).status, 401);
  assert.equal((await call("GET", "/v1/inbox/reports/nothing", owner.token)).status, 404);
  assert.equal((await call("POST", "/v1/dev/report-rows", owner.token, [])).status, 404, "dev seeding is off without CHARLA_DEV_SEED=1");
});

test("business hours: rows count first response and resolution within the workspace's opening hours", async () => {
  const setHours = async (hours) => {
    const res = await call("PUT", "/v1/inbox/settings/business-hours", owner.token, hours);
    assert.equal(res.status, 200, await res.clone().text());
  };
  const allDay = [{ from: "00:00", to: "24:00" }];
  const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const rowOf = async (id) => (await waitList("sort=closed_at&desc=true", (l) => l.rows.some((r) => r.conversation_id === id), `row of ${id}`)).rows.find((r) => r.conversation_id === id);
  try {
    // Open around the clock: business-hours times are the clock times.
    await setHours({ time_zone: ZONE, week: Object.fromEntries(days.map((d) => [d, allDay])), holidays: [] });
    const open = await play(ana, 300, { category: "Ventas", summary: null });
    const o = await rowOf(open.id);
    assert.deepEqual([o.first_response_business_ms, o.resolution_business_ms], [o.first_response_ms, o.resolution_ms], JSON.stringify(o));
    // Never open: the team was closed for the whole wait.
    await setHours({ time_zone: ZONE, week: {}, holidays: [] });
    const closed = await play(ana, 300, { category: "Ventas", summary: null });
    const c = await rowOf(closed.id);
    assert.ok(c.first_response_ms >= 300, JSON.stringify(c));
    assert.deepEqual([c.first_response_business_ms, c.resolution_business_ms], [0, 0]);
    // Always open (no schedule): the variants stay empty, and the overview counts the two above.
    await setHours(null);
    const plain = await play(ana, 0, { category: "Ventas", summary: null });
    const p = await rowOf(plain.id);
    assert.deepEqual([p.first_response_business_ms, p.resolution_business_ms], [null, null]);
    const overview = await report("overview?preset=today");
    assert.equal(overview.resolution_business.count, 2);
    assert.equal(overview.resolution_business.median, 0, "nearest-rank median of {0, x}");
    for (const x of [open, closed, plain]) await Promise.all([x.visitor.close(), x.staff.close()]);
  } finally {
    await setHours(null);
  }
});

// ---------------------------------------------------------------------------------------------
// Thousands of rows through the dev seeding route (a second edge, with CHARLA_DEV_SEED=1): the
// overview and leaderboard read daily rollups and walk indexes for percentiles, so they are
// checked here against a plain reference computed in this file from the same rows — after
// rows are rewritten (opened, then closed, then closed again differently, then a stale
// "opened" write), and after the workspace's time zone changes (the rollups are rebuilt).
// Then the CSV export, read page by page across turns of the Workspace DO.

import { startSeedableEdge } from "../support/seedable_edge.mjs";

const DAY = 86_400_000;
const SEED_FROM = Date.UTC(2025, 2, 1); // 2025-03-01
const SEED_DAYS = 20;
const AGENTS = ["a_seed0", "a_seed1", "a_seed2", "a_seed3", "a_seed4"];
const TEAMS = ["t_ventas", "t_soporte", null];
const CATEGORIES = ["Ventas", "Soporte", "Reclamo", null];
const ZONES = { "Asia/Kolkata": 330 * 60_000, "America/Mexico_City": -360 * 60_000 }; // no DST in 2025

let seedRand = 7;
const rnd = () => ((seedRand = (seedRand * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pickOf = (list) => list[Math.floor(rnd() * list.length)];
const upTo = (n) => Math.floor(rnd() * n);

function seededOpen(n) {
  const opened = SEED_FROM - DAY + upTo((SEED_DAYS + 1) * DAY);
  return {
    conversation_id: `c_seed${String(n).padStart(6, "0")}`, period: 1 + (n % 2), contact_id: `v_seed${n}`,
    contact_name: pickOf(["Contacto", "contacto", "CONTACTO", "Álvaro"]) + ` ${n % 97}`,
    assignee_id: pickOf([...AGENTS, null]), team_id: pickOf(TEAMS), opened_at: opened,
    opened_by_kind: "contact", opened_by_source: "contact", closed_at: null, first_assigned_at: null,
    first_response_at: null, first_responder_id: null, first_response_ms: null, first_assignment_to_response_ms: null,
    avg_response_ms: null, responses: 0, response_total_ms: 0, waiting_since: opened, resolution_ms: null,
    first_response_business_ms: null, resolution_business_ms: null, messages_in: 1, messages_out: 0, assignments: 0,
    closed_by_kind: null, closed_by_id: null, closed_by_source: null, category: null, summary: null, agents: {},
  };
}

function seededClose(open) {
  const resolution = upTo(2 * DAY);
  const answered = rnd() < 0.85;
  const fr = answered ? Math.min(upTo(3 * 3_600_000), resolution) : null;
  const assignee = pickOf([...AGENTS, null]);
  const responder = answered ? pickOf(AGENTS) : null;
  const byAgent = rnd() < 0.7;
  const agents = {};
  for (const a of AGENTS) if (rnd() < 0.3) agents[a] = { assigned: rnd() < 0.5, messages: upTo(6) };
  const responses = answered ? 1 + upTo(4) : 0;
  return {
    ...open, assignee_id: assignee, team_id: pickOf(TEAMS), category: pickOf(CATEGORIES),
    closed_at: open.opened_at + resolution, resolution_ms: resolution,
    first_response_at: answered ? open.opened_at + fr : null, first_responder_id: responder, first_response_ms: fr,
    first_assignment_to_response_ms: answered && rnd() < 0.7 ? upTo(fr + 1) : null,
    first_response_business_ms: rnd() < 0.3 ? upTo(3_600_000) : null, resolution_business_ms: rnd() < 0.3 ? upTo(DAY) : null,
    responses, response_total_ms: responses * 1_000, avg_response_ms: answered ? 1_000 : null,
    messages_in: 1 + upTo(9), messages_out: upTo(9), assignments: upTo(3),
    closed_by_kind: byAgent ? "agent" : "system", closed_by_id: byAgent ? pickOf(AGENTS) : null,
    closed_by_source: byAgent ? "user" : "system", waiting_since: null, agents,
  };
}

/** Nearest rank: the value at ceil(p·n/100) of the sorted values. */
function dist(values) {
  const v = values.filter((x) => x !== null).sort((a, b) => a - b);
  const at = (p) => (v.length ? v[Math.max(1, Math.ceil((p * v.length) / 100)) - 1] : null);
  return { count: v.length, median: at(50), p90: at(90) };
}

const dayOf = (t, offset) => Math.floor((t + offset) / DAY);
const dateOf = (day) => new Date(day * DAY).toISOString().slice(0, 10);

/** The overview as docs/REPORTS.md defines it, over the rows as stored. */
function expectedOverview(rows, offset, { from, to, team, category, agent }) {
  const [first, end] = [dayOf(Date.parse(from), 0), dayOf(Date.parse(to), 0) + 1];
  const fits = (r) => (!team || r.team_id === team) && (!category || r.category === category) && (!agent || r.assignee_id === agent);
  const inRange = (t) => t !== null && first <= dayOf(t, offset) && dayOf(t, offset) < end;
  const opened = rows.filter((r) => inRange(r.opened_at) && fits(r));
  const closed = rows.filter((r) => inRange(r.closed_at) && fits(r));
  const sum = (rs, f) => rs.reduce((n, r) => n + f(r), 0);
  const days = [];
  for (let d = first; d < end; d++) {
    const c = closed.filter((r) => dayOf(r.closed_at, offset) === d);
    days.push({
      date: dateOf(d), opened: opened.filter((r) => dayOf(r.opened_at, offset) === d).length, closed: c.length,
      messages_in: sum(c, (r) => r.messages_in), messages_out: sum(c, (r) => r.messages_out),
      first_response: dist(c.map((r) => r.first_response_ms)), resolution: dist(c.map((r) => r.resolution_ms)),
    });
  }
  return {
    opened: opened.length, closed: closed.length, answered: closed.filter((r) => r.first_response_at !== null).length,
    messages_in: sum(closed, (r) => r.messages_in), messages_out: sum(closed, (r) => r.messages_out),
    assignments: sum(closed, (r) => r.assignments), responses: sum(closed, (r) => r.responses),
    response_total_ms: sum(closed, (r) => r.response_total_ms),
    first_response: dist(closed.map((r) => r.first_response_ms)),
    first_assignment_to_response: dist(closed.map((r) => r.first_assignment_to_response_ms)),
    resolution: dist(closed.map((r) => r.resolution_ms)),
    first_response_business: dist(closed.map((r) => r.first_response_business_ms)),
    resolution_business: dist(closed.map((r) => r.resolution_business_ms)),
    days,
  };
}

function expectedLeaderboard(rows, offset, { from, to, team, category }) {
  const [first, end] = [dayOf(Date.parse(from), 0), dayOf(Date.parse(to), 0) + 1];
  const closed = rows.filter((r) => r.closed_at !== null && first <= dayOf(r.closed_at, offset) && dayOf(r.closed_at, offset) < end
    && (!team || r.team_id === team) && (!category || r.category === category));
  const ids = new Set();
  for (const r of closed) {
    Object.keys(r.agents).forEach((a) => ids.add(a));
    for (const a of [r.assignee_id, r.first_responder_id, r.closed_by_kind === "agent" ? r.closed_by_id : null]) if (a) ids.add(a);
  }
  return [...ids].sort().map((id) => ({
    agent_id: id,
    assigned: closed.filter((r) => r.agents[id]?.assigned).length,
    closed: closed.filter((r) => r.closed_by_kind === "agent" && r.closed_by_id === id).length,
    messages_sent: closed.reduce((n, r) => n + (r.agents[id]?.messages ?? 0), 0),
    first_response: dist(closed.filter((r) => r.first_responder_id === id).map((r) => r.first_response_ms)),
    resolution: dist(closed.filter((r) => r.assignee_id === id).map((r) => r.resolution_ms)),
    open_now: 0,
  }));
}

const OVERVIEW_KEYS = ["opened", "closed", "answered", "messages_in", "messages_out", "assignments", "responses", "response_total_ms",
  "first_response", "first_assignment_to_response", "resolution", "first_response_business", "resolution_business"];
const DAY_KEYS = ["date", "opened", "closed", "messages_in", "messages_out", "first_response", "resolution"];
const pickKeys = (o, keys) => Object.fromEntries(keys.map((k) => [k, o[k]]));

let seeded, seededOwner;
const stored = new Map(); // key -> the row as the Workspace keeps it
const keyOf = (r) => `${r.conversation_id}/${r.period}`;
const seedCall = (method, path, body) => api(seeded, method, path, seededOwner.token, body);

async function seed(rows) {
  for (let i = 0; i < rows.length; i += 5_000) {
    const res = await seedCall("POST", "/v1/dev/report-rows", rows.slice(i, i + 5_000));
    assert.equal(res.status, 200, await res.clone().text());
  }
  for (const r of rows) {
    const old = stored.get(keyOf(r));
    if (!(old && old.closed_at !== null && r.closed_at === null)) stored.set(keyOf(r), r);
  }
}

async function setZone(zone) {
  const res = await seedCall("PUT", "/v1/inbox/settings/workspace", { time_zone: zone });
  assert.equal(res.status, 200, await res.clone().text());
}

async function checkReports(zone) {
  const rows = [...stored.values()];
  const range = { from: "2025-03-01", to: "2025-03-20" };
  const dates = `from=${range.from}&to=${range.to}`;
  for (const filter of [{}, { team: "t_ventas" }, { agent: "a_seed3" }, { team: "t_soporte", category: "Soporte" }, { category: "Reclamo", agent: "a_seed1" }]) {
    const qs = Object.entries(filter).map(([k, v]) => `&${k}=${v}`).join("");
    const res = await seedCall("GET", `/v1/inbox/reports/overview?${dates}${qs}`);
    assert.equal(res.status, 200, await res.clone().text());
    const got = await res.json();
    const want = expectedOverview(rows, ZONES[zone], { ...range, ...filter });
    assert.deepEqual(pickKeys(got, OVERVIEW_KEYS), pickKeys(want, OVERVIEW_KEYS), `${zone} overview ${qs}`);
    assert.deepEqual(got.days.map((d) => pickKeys(d, DAY_KEYS)), want.days, `${zone} overview days ${qs}`);
  }
  for (const filter of [{}, { category: "Soporte" }, { team: "t_ventas", category: "Ventas" }]) {
    const qs = Object.entries(filter).map(([k, v]) => `&${k}=${v}`).join("");
    const res = await seedCall("GET", `/v1/inbox/reports/agents?${dates}${qs}`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual((await res.json()).agents, expectedLeaderboard(rows, ZONES[zone], { ...range, ...filter }), `${zone} leaderboard ${qs}`);
  }
}

const SEEDED_ROWS = 10_500;

/** A failing test here shows the seeded edge's last log lines (its Rust errors). */
const withEdgeLog = (fn) => async () => {
  try {
    await fn();
  } catch (e) {
    if (seeded) console.error(seeded.log().slice(-4000));
    throw e;
  }
};

test("rollups: overview and leaderboard over 10,500 rows equal the reference, through rewrites and zone changes", withEdgeLog(async () => {
  seeded = await startSeedableEdge();
  seededOwner = await login(seeded);
  const opens = Array.from({ length: SEEDED_ROWS }, (_, n) => seededOpen(n));
  await seed(opens); // built while the zone is the default, UTC
  const closes = opens.filter(() => rnd() < 0.9).map(seededClose);
  await seed(closes);
  await setZone("Asia/Kolkata"); // a half-hour zone: every cell rebuilt from the rows
  await checkReports("Asia/Kolkata");
  // Rewrites kept incrementally: closes again with other figures, and stale "opened" writes.
  const again = closes.filter(() => rnd() < 0.2).map((r) => seededClose(r));
  const stale = closes.filter(() => rnd() < 0.05).map((r) => ({ ...r, closed_at: null, resolution_ms: null }));
  await seed([...again, ...stale, seededClose(seededOpen(SEEDED_ROWS + 1))]);
  await checkReports("Asia/Kolkata");
  await setZone("America/Mexico_City");
  await checkReports("America/Mexico_City");
}));

/** CSV text to [conversation id, period] per data line. */
const csvKeys = (text) => parseCsv(text.replace(/^\uFEFF/, "")).slice(1).map((l) => `${l[0]}/${l[1]}`);

test("CSV export over many pages: the list's order for every kind of sort column, nulls last", withEdgeLog(async () => {
  assert.ok(seeded, "runs after the rollups test seeded its rows");
  const closedRows = [...stored.values()].filter((r) => r.closed_at !== null);
  const zoneOffset = ZONES["America/Mexico_City"];
  const [first, end] = [dayOf(Date.parse("2025-03-01"), 0), dayOf(Date.parse("2025-03-20"), 0) + 1];
  const inRange = closedRows.filter((r) => first <= dayOf(r.closed_at, zoneOffset) && dayOf(r.closed_at, zoneOffset) < end);
  const cases = [
    ["first_response", false, (r) => r.first_response_ms],
    ["contact_name", true, (r) => r.contact_name.replace(/[A-Z]/g, (c) => c.toLowerCase())],
    ["team", false, (r) => r.team_id],
  ];
  for (const [column, desc, value] of cases) {
    const res = await seedCall("GET", `/v1/inbox/reports/conversations.csv?from=2025-03-01&to=2025-03-20&sort=${column}&desc=${desc}`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get("x-charla-export-rows"), String(inRange.length));
    const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
    const want = [...inRange].sort((a, b) => {
      const [x, y] = [value(a), value(b)];
      if ((x === null) !== (y === null)) return x === null ? 1 : -1; // nulls last either way
      const dir = desc ? -1 : 1;
      return dir * (cmp(x, y) || cmp(a.conversation_id, b.conversation_id) || cmp(a.period, b.period));
    }).map(keyOf);
    assert.ok(want.length > 3_000, "several pages");
    assert.deepEqual(csvKeys(await res.text()), want, `sort=${column} desc=${desc}`);
  }
}));

test("CSV export is read in turns: the workspace answers, and takes writes, while the file streams", withEdgeLog(async () => {
  assert.ok(seeded, "runs after the rollups test seeded its rows");
  // Rows fat enough (a 4 KB summary each, ~25 MB of CSV) that the file cannot sit whole in the
  // buffers between the Worker and this client: while this test holds the body unread, the
  // Worker has to stop asking the Workspace for pages.
  const summary = "Resumen largo. ".repeat(270);
  const april = Date.UTC(2025, 3, 1, 6); // 2025-04-01 00:00 in Mexico City
  const fat = Array.from({ length: 6_000 }, (_, n) => {
    const r = seededClose(seededOpen(SEEDED_ROWS + 10 + n));
    const closedAt = april + Math.floor((n / 6_000) * 9 * DAY);
    return { ...r, conversation_id: `c_fat${String(n).padStart(5, "0")}`, period: 1, summary, opened_at: closedAt - 60_000, closed_at: closedAt, resolution_ms: 60_000 };
  });
  for (let i = 0; i < fat.length; i += 1_000) await seed(fat.slice(i, i + 1_000));
  const res = await seedCall("GET", "/v1/inbox/reports/conversations.csv?from=2025-04-01&to=2025-04-10&sort=closed_at&desc=false");
  assert.equal(res.status, 200);
  const total = Number(res.headers.get("x-charla-export-rows"));
  assert.equal(total, fat.length);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = decoder.decode((await reader.read()).value, { stream: true });
  // The body has started and is held unread: the same workspace answers a small call and
  // takes a write meanwhile.
  const settings = await seedCall("GET", "/v1/inbox/settings/workspace");
  assert.equal(settings.status, 200, "a small call to the same workspace answers mid-export");
  const late = { ...fat[0], conversation_id: "c_fatlate", closed_at: Date.parse("2025-04-10T23:59:59.999-06:00") };
  late.opened_at = late.closed_at - 60_000;
  await seed([late]);
  // And while the body is read as fast as it comes, a call started now answers before its end.
  let bodyDone = false;
  const during = seedCall("GET", "/v1/inbox/settings/workspace").then((r) => [r.status, bodyDone]);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  bodyDone = true;
  assert.deepEqual(await during, [200, false], "answered while the file was still streaming");
  const keys = csvKeys(text + decoder.decode());
  assert.equal(keys.at(-1), "c_fatlate/1", "a row closed while the export streamed is in its later pages");
  assert.equal(keys.length, total + 1);
  await seeded.stop();
  seeded = null;
}));
