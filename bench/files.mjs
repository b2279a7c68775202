// Files on local workerd with local R2, the widget's path: upload throughput through
// `POST /v1/widget/files` (2 MB and 10 MB, MB/s), and the time from a visitor's `send` of a
// 2 MB image (already uploaded) to an agent's socket having the message, then its download
// link, then its bytes (what the inbox does to show a thumbnail). p50 over the runs. Asserts
// nothing.
//   node bench/files.mjs [--runs 10]
import { randomBytes, randomUUID } from "node:crypto";
import { startEdge } from "../tests/support/edge.mjs";
import { agentSocket, api, json, login, newVisitor, visitorSocket } from "../tests/support/clients.mjs";

const argv = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const RUNS = Number(argv("runs", 10));
const MB = 1024 * 1024;

const p50 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;

function png(size) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1600, 0);
  ihdr.writeUInt32BE(1200, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const head = Buffer.concat([Buffer.from("\x89PNG\r\n\x1a\n", "latin1"), Buffer.from([0, 0, 0, 13]), Buffer.from("IHDR"), ihdr, Buffer.alloc(4)]);
  return Buffer.concat([head, randomBytes(size - head.length)]);
}
const pdf = (size) => Buffer.concat([Buffer.from("%PDF-1.7\n", "latin1"), randomBytes(size - 9)]);

/** A visitor whose conversation exists (its first message stored), with its socket open. */
async function visitor(edge) {
  const session = await newVisitor(edge);
  const socket = await visitorSocket(edge, session);
  await socket.next((f) => f.type === "hello");
  await socket.say("hola");
  return { session, socket };
}

async function upload(edge, token, bytes, name) {
  const res = await fetch(`${edge.url}/v1/widget/files?name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: bytes,
  });
  const body = await json(res);
  if (res.status !== 201) throw new Error(`upload ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

const edge = await startEdge();
try {
  const owner = await login(edge);
  console.log("== uploads through POST /v1/widget/files (local workerd + R2), MB/s");
  for (const [size, runs] of [[2 * MB, RUNS], [10 * MB, Math.max(3, Math.round(RUNS / 2))]]) {
    const { session, socket } = await visitor(edge);
    const rates = [];
    for (let i = 0; i < runs; i++) {
      const bytes = pdf(size);
      const t0 = performance.now();
      const file = await upload(edge, session.token, bytes, `doc-${i}.pdf`);
      const seconds = (performance.now() - t0) / 1000;
      rates.push(size / MB / seconds);
      // Sent, so the conversation's unsent uploads never reach their cap.
      socket.send({ type: "send", client_id: randomUUID(), text: "", attachments: [file.id] });
      await socket.next((f) => f.type === "ack");
    }
    await socket.close();
    console.log(`${String(size / MB).padStart(3)} MB × ${runs}: p50 ${p50(rates).toFixed(1)} MB/s, best ${Math.max(...rates).toFixed(1)} MB/s`);
  }

  console.log(`== a 2 MB image: visitor's send → the agent has the message, its link, its bytes (p50 of ${RUNS})`);
  const rows = { message: [], link: [], bytes: [], upload: [] };
  for (let i = 0; i < RUNS; i++) {
    const { session, socket } = await visitor(edge);
    const agent = await agentSocket(edge, owner.token, session.conversation_id);
    await agent.next((f) => f.type === "hello");
    const image = png(2 * MB);
    const t0 = performance.now();
    const file = await upload(edge, session.token, image, `captura-${i}.png`);
    const t1 = performance.now();
    socket.send({ type: "send", client_id: randomUUID(), text: "", attachments: [file.id] });
    const { message } = await agent.next((f) => f.type === "message" && f.message.attachments?.length);
    const t2 = performance.now();
    const { id } = message.attachments[0];
    const link = await json(await api(edge, "GET", `/v1/inbox/conversations/${session.conversation_id}/files/${id}/link`, owner.token));
    const t3 = performance.now();
    const bytes = Buffer.from(await (await fetch(link.url)).arrayBuffer());
    const t4 = performance.now();
    if (!bytes.equals(image)) throw new Error("the image came back changed");
    rows.upload.push(t1 - t0);
    rows.message.push(t2 - t1);
    rows.link.push(t3 - t1);
    rows.bytes.push(t4 - t1);
    await agent.close();
    await socket.close();
  }
  console.log(`upload (2 MB, before the send)         p50 ${ms(p50(rows.upload))}`);
  console.log(`send → agent has the message           p50 ${ms(p50(rows.message))}`);
  console.log(`send → agent has its download link     p50 ${ms(p50(rows.link))}`);
  console.log(`send → agent has the image's bytes     p50 ${ms(p50(rows.bytes))}`);
} finally {
  await edge.stop();
}
