// Workflow latency inside the Conversation DO on local workerd: a visitor message triggers a
// workflow whose one step answers; timed from sending the message to receiving the workflow's
// answer, against the plain ack of the same message (what the workflow adds on top).
// Prints figures; asserts nothing.   node bench/workflows.mjs [--messages 300]
import { startEdge } from "../tests/support/edge.mjs";
import { api, newVisitor, login, visitorSocket } from "../tests/support/clients.mjs";

const i = process.argv.indexOf("--messages");
const N = i > 0 ? Number(process.argv[i + 1]) : 300;
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const edge = await startEdge();
try {
  const owner = await login(edge);
  const wf = await (await api(edge, "POST", "/v1/inbox/workflows", owner.token, {
    name: "Eco", trigger: { type: "contact_message" },
    conditions: [{ type: "compare", var: "event.text", op: "starts_with", value: "bench" }],
    start: "echo", steps: [{ id: "echo", type: "send_message", text: "eco: {{event.text}}" }],
  })).json();
  await api(edge, "PUT", `/v1/inbox/workflows/${wf.id}/enabled`, owner.token, { enabled: true });
  const v = await visitorSocket(edge, await newVisitor(edge));
  await v.next((f) => f.type === "hello");
  for (let k = 0; k < 20; k++) { // warm-up
    v.send({ type: "send", client_id: `w${k}`, text: `bench w${k}` });
    await v.next((f) => f.type === "message" && f.message.text === `eco: bench w${k}`);
  }
  const acks = [];
  const answers = [];
  const t0 = performance.now();
  for (let k = 0; k < N; k++) {
    const t = performance.now();
    v.send({ type: "send", client_id: `m${k}`, text: `bench ${k}` });
    await v.next((f) => f.type === "ack" && f.client_id === `m${k}`);
    acks.push(performance.now() - t);
    await v.next((f) => f.type === "message" && f.message.text === `eco: bench ${k}`);
    answers.push(performance.now() - t);
  }
  const s = (performance.now() - t0) / 1000;
  const runs = await (await api(edge, "GET", `/v1/inbox/workflows/${wf.id}/runs`, owner.token)).json();
  console.log(`== workflow in the Conversation DO: ${N} messages, one at a time`);
  console.log(`   ack (no workflow work yet)      p50 ${pct(acks, 50).toFixed(2)} ms   p99 ${pct(acks, 99).toFixed(2)} ms`);
  console.log(`   workflow answer received        p50 ${pct(answers, 50).toFixed(2)} ms   p99 ${pct(answers, 99).toFixed(2)} ms`);
  console.log(`   ${(N / s).toFixed(0)} triggering messages/s end to end; run list holds ${runs.length} runs`);
  await v.close();
} finally {
  await edge.stop();
}
