// Automatic assignment throughput in the Workspace DO on local workerd: N conversations whose
// first messages arrive at once, timed until every one is assigned (first message → summary →
// routing decision in the Workspace DO → assignment applied in the Conversation DO → summary).
// Prints figures; asserts nothing.   node bench/assignment.mjs [--conversations 200]
import { startEdge } from "../tests/support/edge.mjs";
import { api, newVisitor, login, visitorSocket, inboxSocket } from "../tests/support/clients.mjs";

const i = process.argv.indexOf("--conversations");
const N = i > 0 ? Number(process.argv[i + 1]) : 200;
const edge = await startEdge();
try {
  const owner = await login(edge);
  const inboxes = [];
  for (let k = 0; k < 3; k++) {
    const { token } = await (await api(edge, "POST", "/v1/inbox/invites", owner.token, { email: `bench${k}@example.com`, role: "agent" })).json();
    const agent = await (await api(edge, "POST", "/v1/auth/accept-invite", null, { workspace_id: "demo", token, name: `Bench ${k}`, password: "una clave larga" })).json();
    inboxes.push(await inboxSocket(edge, agent.token));
  }
  await api(edge, "PUT", "/v1/inbox/settings/assignment", owner.token, { who: { type: "workspace" }, method: "round_robin", online_only: true });
  const sessions = [];
  for (let k = 0; k < N; k += 25) sessions.push(...(await Promise.all(Array.from({ length: Math.min(25, N - k) }, () => newVisitor(edge)))));
  const sockets = await Promise.all(sessions.map((s) => visitorSocket(edge, s)));
  await Promise.all(sockets.map((v) => v.next((f) => f.type === "hello")));
  const ids = new Set(sessions.map((s) => s.conversation_id));
  const t0 = performance.now();
  sockets.forEach((v, k) => v.send({ type: "send", client_id: `b${k}`, text: `hola ${k}` }));
  let assigned = 0;
  while (assigned < N) {
    const list = await (await api(edge, "GET", "/v1/inbox/conversations", owner.token)).json();
    assigned = list.filter((c) => ids.has(c.id) && c.assignee_id).length;
    if (performance.now() - t0 > 120_000) throw new Error(`only ${assigned}/${N} assigned after 120 s`);
    if (assigned < N) await new Promise((r) => setTimeout(r, 20));
  }
  const ms = performance.now() - t0;
  console.log(`== automatic assignment: ${N} conversations opened at once, all assigned in ${ms.toFixed(0)} ms`);
  console.log(`   ${(N / (ms / 1000)).toFixed(0)} assignments/s end to end (message → Workspace DO decision → assignment applied)`);
  await Promise.all([...sockets, ...inboxes].map((s) => s.close()));
} finally {
  await edge.stop();
}
