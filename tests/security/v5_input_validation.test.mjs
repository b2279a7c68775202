// OWASP ASVS V5.1/V5.2 — Input validation. Attacks with ids and frames shaped to reach inside:
// path segments in ids, references to objects that do not exist, spreadsheet formulas,
// oversized and malformed frames. Each case asserts the refusal (a typed error, the socket
// kept) and that nothing was stored beyond the expected messages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startEdge, call, login, invited, newVisitor, visitorSocket, agentSocket, act, ok, until, sleep, stored, lifecycleOf, hexId, randomUUID,
} from "./support.mjs";

let edge, owner;
before(async () => {
  edge = await startEdge();
  owner = await login(edge);
});
after(async () => edge && (await edge.stop()));

async function conversation(text) {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.say(text);
  await until(async () => ok(await call(edge, "GET", "/v1/inbox/conversations", owner.token)), (l) => l.some((c) => c.id === session.conversation_id), `${text} indexed`);
  return { session, visitor, id: session.conversation_id };
}
const summaryOf = async (id) => (await ok(await call(edge, "GET", "/v1/inbox/conversations", owner.token))).find((c) => c.id === id);

test("defect 5 — an agent id from a frame never becomes part of an internal path: path-shaped ids are refused with not_found and no phantom agent comes online", async () => {
  // An agent who never opens an inbox: must stay offline whatever the frames say.
  const ghost = await invited(edge, owner, "fantasma@example.com", "agent", "Fantasma");
  const id = ghost.agent.id;
  const c = await conversation("hola");
  const staff = await agentSocket(edge, owner.token, c.id);
  await staff.next((f) => f.type === "timeline");
  staff.frames.length = 0; // hello and lifecycle on connect: only answers to the actions below count
  const shapes = [
    `../ws?agent=${id}`,
    `../ws?agent=${id}&x=`,
    `..%2Fws?agent=${id}`,
    `%2e%2e/ws?agent=${id}`,
    `${id}/../../ws?agent=${id}`,
    `${id}?agent=${id}`,
    `${id}#frag`,
    `../../agents/${id}`,
    hexId("a"), // well-formed, but nobody's
  ];
  const codes = [];
  for (const shape of shapes) {
    act(staff, { kind: "assign", agent_id: shape });
    const f = await staff.next((x) => x.type === "error" || (x.type === "activity" && x.event.kind.type === "assigned"), 10_000);
    codes.push([shape, f.type === "error" ? f.code : `accepted: ${JSON.stringify(f.event.kind)}`]);
  }
  const problems = codes.filter(([, code]) => code !== "not_found").map(([shape, code]) => `${shape}: ${code}`);
  await sleep(300);

  // No phantom inbox: the ghost is offline everywhere presence shows.
  const agents = await ok(await call(edge, "GET", "/v1/inbox/agents", owner.token));
  if (agents.find((a) => a.id === id).online !== false) problems.push("the ghost shows as online in GET /v1/inbox/agents");
  const cfg = await ok(await call(edge, "GET", "/v1/widget/config/demo"));
  if (JSON.stringify(cfg.agents ?? []).includes("Fantasma")) problems.push(`the ghost is in the public widget config: ${JSON.stringify(cfg.agents)}`);
  if (cfg.online !== false) problems.push("the widget config says online though nobody has an inbox open");
  assert.deepEqual(problems, [], "every shape is refused with not_found, and no phantom comes online");

  // Nothing stored: still unassigned, no assignment line; a real assignment still works.
  const { state, events } = await lifecycleOf(edge, owner.token, c.id);
  assert.equal(state.assignee_id, null);
  assert.ok(!events.some((e) => e.kind.type === "assigned"), JSON.stringify(events.map((e) => e.kind.type)));
  act(staff, { kind: "assign", agent_id: id });
  const assigned = await staff.next((f) => f.type === "lifecycle" && f.state.assignee_id === id);
  assert.equal(assigned.state.assignee_id, id);
  assert.ok(staff.isOpen(), "refusals keep the socket open");
  await staff.close();
  await c.visitor.close();
});

test("defect 6 — assign_team with a team that does not exist, or a spreadsheet formula, is refused with not_found and nothing is stored", async () => {
  const team = await ok(await call(edge, "POST", "/v1/inbox/teams", owner.token, { name: "Ventas", members: [owner.agent.id] }));
  const c = await conversation("quiero comprar");
  const before = await lifecycleOf(edge, owner.token, c.id);
  const summaryBefore = await summaryOf(c.id);
  const staff = await agentSocket(edge, owner.token, c.id);
  await staff.next((f) => f.type === "timeline");
  staff.frames.length = 0; // hello and lifecycle on connect: only answers to the actions below count
  const bad = [hexId("t"), "=cmd|' /C calc'!A0", "+SUM(A1)", "@team", `${team.id}/../x`, "", "t_" + "0".repeat(32) + "\n"];
  const problems = [];
  for (const team_id of bad) {
    act(staff, { kind: "assign_team", team_id });
    const err = await staff.next((f) => f.type === "error" || (f.type === "lifecycle" && f.state.team_id !== null), 10_000);
    if (err.type !== "error" || err.code !== "not_found") problems.push(`${JSON.stringify(team_id)}: ${JSON.stringify(err)}`);
  }
  // Also through assign's optional team.
  act(staff, { kind: "assign", agent_id: owner.agent.id, team_id: "=cmd|' /C calc'!A0" });
  const err = await staff.next((f) => f.type === "error" || f.type === "lifecycle", 10_000);
  if (err.type !== "error" || err.code !== "not_found") problems.push(`assign with a formula team: ${JSON.stringify(err)}`);
  assert.deepEqual(problems, [], "refusals");

  const after = await lifecycleOf(edge, owner.token, c.id);
  assert.deepEqual(after.state, before.state, "lifecycle unchanged");
  assert.equal(after.events.length, before.events.length, "no timeline line");
  const summaryAfter = await summaryOf(c.id);
  assert.equal(summaryAfter.team_id ?? null, summaryBefore.team_id ?? null, "inbox line unchanged");
  assert.equal(summaryAfter.assignee_id ?? null, null);

  // The real team still works.
  act(staff, { kind: "assign_team", team_id: team.id });
  const ok2 = await staff.next((f) => f.type === "lifecycle" && f.state.team_id === team.id);
  assert.equal(ok2.state.team_id, team.id);
  await staff.close();
  await c.visitor.close();
});

test("refused frames (oversized, malformed, too long, empty, bad client id, unknown type) get a typed error, keep the socket, and store nothing", async () => {
  const session = await newVisitor(edge);
  const v = await visitorSocket(edge, session);
  await v.next((f) => f.type === "hello");
  await v.say("primero", "ok-1");
  const cases = [
    ["frame over 16 KiB", JSON.stringify({ type: "send", client_id: "big", text: "x".repeat(17 * 1024) }), "frame_too_large"],
    ["not JSON", "{\"type\":\"send\",", "malformed_frame"],
    ["unknown frame type", JSON.stringify({ type: "drop_table", table: "messages" }), "malformed_frame"],
    ["text over 4,000 characters", JSON.stringify({ type: "send", client_id: "long", text: "ñ".repeat(4001) }), "text_too_long"],
    ["whitespace only", JSON.stringify({ type: "send", client_id: "blank", text: " \n\t " }), "empty_text"],
    ["client id with a path", JSON.stringify({ type: "send", client_id: "../../etc", text: "hola" }), "invalid_client_id"],
    ["client id too long", JSON.stringify({ type: "send", client_id: "a".repeat(65), text: "hola" }), "invalid_client_id"],
    ["client id with SQL", JSON.stringify({ type: "send", client_id: "x' OR '1'='1", text: "hola" }), "invalid_client_id"],
    ["sync with a negative seq", JSON.stringify({ type: "sync", after_seq: -1 }), "malformed_frame"],
  ];
  const got = [];
  for (const [what, raw, code] of cases) {
    v.send(raw);
    const err = await v.next((f) => f.type === "error" || f.type === "synced");
    got.push([what, err.type === "error" ? err.code : err.type, code]);
  }
  assert.deepEqual(got.filter(([, a, b]) => a !== b), [], "codes");
  assert.ok(v.isOpen());
  await v.say("segundo", "ok-2");
  const msgs = await v.sync(0);
  assert.deepEqual(msgs.map((m) => [m.seq, m.client_id, m.text]), [[1, "ok-1", "primero"], [2, "ok-2", "segundo"]]);
  await v.close();
});

test("ids in HTTP paths and queries outside the grammar are refused before any lookup", async () => {
  const c = await conversation("hola");
  const paths = [
    ["GET", "/v1/inbox/contacts/..%2F..%2Fagents"],
    ["GET", `/v1/inbox/contacts/${c.session.visitor_id}%27%20OR%201=1`],
    ["PUT", "/v1/inbox/agents/..%2Fws"],
    ["GET", "/v1/widget/config/..%2Fdemo"],
    ["GET", "/v1/inbox/workflows/..%2F..%2Fsettings"],
    ["GET", "/v1/inbox/reports/conversations?agent=x%27%20OR%201%3D1%20--"],
    ["GET", "/v1/inbox/reports/conversations?sort=closed_at;DROP%20TABLE%20report_rows"],
  ];
  for (const [method, path] of paths) {
    const res = await call(edge, method, path, owner.token, method === "PUT" ? { capacity: 1 } : undefined);
    const text = await res.text();
    if (path.includes("agent=x")) {
      // A filter value is bound, not spliced: a valid (empty) answer, not an error or everything.
      assert.equal(res.status, 200, `${path}: ${text}`);
      assert.equal(JSON.parse(text).total, 0, path);
    } else {
      assert.ok([400, 404].includes(res.status), `${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    }
  }
  // Nothing lost.
  assert.deepEqual((await stored(edge, owner.token, c.id)).map((m) => m.text), ["hola"]);
  assert.ok((await ok(await call(edge, "GET", "/v1/inbox/agents", owner.token))).length >= 1);
  await c.visitor.close();
});

test("contact fields are validated: bad keys, emails, phones and oversized lists are refused and change nothing", async () => {
  const c = await conversation("hola");
  const path = `/v1/inbox/contacts/${c.session.visitor_id}`;
  assert.equal((await call(edge, "PATCH", path, owner.token, { name: "Ana" })).status, 200);
  const before = await ok(await call(edge, "GET", path, owner.token));
  const bad = [
    { email: "<script>@x" },
    { phone: "12; DROP TABLE contacts" },
    { fields: { "../key": "x" } },
    { fields: { "Key With Spaces": "x" } },
    { add_tags: Array.from({ length: 60 }, (_, i) => `t${i}`) },
  ];
  for (const patch of bad) assert.equal((await call(edge, "PATCH", path, owner.token, patch)).status, 400, JSON.stringify(patch).slice(0, 80));
  assert.deepEqual(await ok(await call(edge, "GET", path, owner.token)), before);
  await c.visitor.close();
});

void randomUUID;
