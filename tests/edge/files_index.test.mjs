// The workspace's files (the inbox's Files page) and deleting a conversation, through the real
// worker and local R2: every file sent in a message is listed newest first, in pages, with
// filters, only to agents who may see its conversation; an owner (and only an owner) deletes
// a conversation with its messages, its inbox line, its files' index rows and their bytes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { startEdge } from "../support/edge.mjs";
import { api, newVisitor, login, visitorSocket, agentSocket, inboxSocket, json, invitedAgent } from "../support/clients.mjs";

let edge, owner, lia, manager;
before(async () => {
  edge = await startEdge();
  owner = await login(edge);
  lia = await invitedAgent(edge, owner, "lia.index@example.com", "agent", "Lía");
  manager = await invitedAgent(edge, owner, "max.index@example.com", "manager", "Max");
  const set = await api(edge, "PUT", `/v1/inbox/agents/${lia.agent.id}`, owner.token, { access: "mine_and_unassigned" });
  assert.equal(set.status, 200);
});
after(async () => edge && (await edge.stop()));

const call = (method, path, token, body) => api(edge, method, path, token, body);
const pdf = (size = 2_000) => Buffer.concat([Buffer.from("%PDF-1.7\n", "latin1"), randomBytes(size)]);
function png(w = 4, h = 3) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([Buffer.from("\x89PNG\r\n\x1a\n", "latin1"), Buffer.from([0, 0, 0, 13]), Buffer.from("IHDR"), ihdr, Buffer.alloc(4), randomBytes(64)]);
}

async function upload(token, bytes, name, path = "/v1/widget/files") {
  const res = await fetch(`${edge.url}${path}?name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: bytes,
  });
  const body = await json(res);
  assert.equal(res.status, 201, JSON.stringify(body));
  return body;
}

/** A visitor conversation with a message carrying `files` ([bytes, name] pairs). */
async function visitorSends(files, text = "") {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.next((f) => f.type === "hello");
  const ids = [];
  for (const [bytes, name] of files) ids.push((await upload(session.token, bytes, name)).id);
  const clientId = randomUUID();
  visitor.send({ type: "send", client_id: clientId, text, attachments: ids });
  await visitor.next((f) => f.type === "ack" && f.client_id === clientId);
  return { session, visitor, id: session.conversation_id, ids };
}

async function files(token, query = "") {
  const res = await call("GET", `/v1/inbox/files${query ? `?${query}` : ""}`, token);
  const body = await json(res);
  assert.equal(res.status, 200, JSON.stringify(body));
  return body;
}

/** The index is fed by publications (a gap after the message): wait until `pred` holds. */
async function eventually(fn, pred, what) {
  const until = Date.now() + 10_000;
  for (;;) {
    const got = await fn();
    if (pred(got)) return got;
    if (Date.now() > until) assert.fail(`${what}: ${JSON.stringify(got).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function blobCount() {
  let n = 0;
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.includes("r2") && p.includes("blobs")) n += 1;
    }
  };
  walk(edge.dir);
  return n;
}

let first, second;

test("files sent by both sides are listed newest first with who sent them, their conversation and contact", async () => {
  first = await visitorSends([[png(640, 480), "captura.png"], [pdf(), "factura.pdf"]], "adjunto");
  const staff = await agentSocket(edge, owner.token, first.id);
  await staff.next((f) => f.type === "hello");
  const back = await upload(owner.token, pdf(), "manual.pdf", `/v1/inbox/conversations/${first.id}/files`);
  const clientId = randomUUID();
  staff.send({ type: "send", client_id: clientId, text: "", attachments: [back.id] });
  await staff.next((f) => f.type === "ack" && f.client_id === clientId);
  await staff.close();

  const page = await eventually(() => files(owner.token, `conversation=${first.id}`), (p) => p.files.length === 3, "three files listed");
  // Files of one message share its time; the agent's reply came later.
  assert.equal(page.files[0].file.name, "manual.pdf");
  assert.deepEqual(page.files.slice(1).map((f) => f.file.name).sort(), ["captura.png", "factura.pdf"]);
  const [agentFile, ...visitorFiles] = page.files;
  assert.equal(agentFile.file.id, back.id);
  assert.equal(agentFile.sender, "agent");
  assert.equal(agentFile.sender_id, owner.agent.id);
  assert.equal(agentFile.sender_name, owner.agent.name);
  for (const f of visitorFiles) {
    assert.equal(f.sender, "contact");
    assert.equal(f.conversation_id, first.id);
    assert.equal(f.contact_id, first.session.visitor_id);
    assert.equal(typeof f.contact_name, "string");
    assert.ok(f.sent_at <= agentFile.sent_at);
  }
  const image = visitorFiles.find((f) => f.file.content_type === "image/png");
  assert.deepEqual([image.file.width, image.file.height], [640, 480]);
  assert.equal(page.next, undefined);
});

test("pages follow the cursor without gaps or repeats; filters by type, contact, conversation and dates", async () => {
  second = await visitorSends([[pdf(), "a.pdf"], [pdf(), "b.pdf"], [png(), "c.png"]]);
  await eventually(() => files(owner.token), (p) => p.files.length >= 6, "six files listed");
  const all = (await files(owner.token, "limit=200")).files;
  const seen = [];
  let cursor = "";
  for (let i = 0; i < 10; i++) {
    const page = await files(owner.token, `limit=2${cursor ? `&cursor=${cursor}` : ""}`);
    assert.ok(page.files.length <= 2);
    seen.push(...page.files.map((f) => f.file.id));
    if (!page.next) break;
    cursor = encodeURIComponent(page.next);
  }
  assert.deepEqual(seen, all.map((f) => f.file.id), "the pages are the whole list in order");
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].sent_at >= all[i].sent_at, "newest first");

  const pdfs = (await files(owner.token, "type=pdf")).files;
  assert.ok(pdfs.length >= 4 && pdfs.every((f) => f.file.content_type === "application/pdf"));
  const images = (await files(owner.token, `type=image&contact=${second.session.visitor_id}`)).files;
  assert.deepEqual(images.map((f) => f.file.name), ["c.png"]);
  const newest = all[0].sent_at;
  assert.equal((await files(owner.token, `from=${newest + 1}`)).files.length, 0);
  assert.ok((await files(owner.token, `from=${newest}&to=${newest + 1}`)).files.every((f) => f.sent_at === newest));
  assert.equal((await files(owner.token, `to=${all.at(-1).sent_at}`)).files.length, 0);

  for (const bad of ["type=exe", "contact=../x", "conversation=v_1", "cursor=nope", "from=ayer"]) {
    const res = await call("GET", `/v1/inbox/files?${bad}`, owner.token);
    assert.ok([400, 404].includes(res.status), `${bad}: ${res.status}`);
  }
  assert.equal((await call("GET", "/v1/inbox/files")).status, 401);
  assert.equal((await call("GET", "/v1/inbox/files", first.session.token)).status, 401, "a visitor token");
});

test("an agent who sees only their own and unassigned conversations lists only their files", async () => {
  // Unassigned: Lía sees both conversations' files.
  const visible = (await files(lia.token, "limit=200")).files.map((f) => f.conversation_id);
  assert.ok(visible.includes(first.id) && visible.includes(second.id));
  // The first conversation goes to the owner: its files leave Lía's list (and links).
  const staff = await agentSocket(edge, owner.token, first.id);
  await staff.next((f) => f.type === "timeline");
  staff.send({ type: "action", action: { kind: "assign", agent_id: owner.agent.id, team_id: null } });
  await staff.next((f) => f.type === "activity" && f.event.kind.type === "assigned");
  await staff.close();
  await eventually(() => files(lia.token, "limit=200"), (p) => !p.files.some((f) => f.conversation_id === first.id), "hidden from Lía");
  assert.equal((await files(lia.token, `conversation=${first.id}`)).files.length, 0);
  assert.ok((await files(lia.token, "limit=200")).files.some((f) => f.conversation_id === second.id));
  assert.equal((await call("GET", `/v1/inbox/conversations/${first.id}/files/${first.ids[0]}/link`, lia.token)).status, 403);
  // A manager sees everything.
  assert.ok((await files(manager.token, "limit=200")).files.some((f) => f.conversation_id === first.id));
});

test("the closed-conversations CSV counts the period's files (both sides) in its last column", async () => {
  const staff = await agentSocket(edge, owner.token, first.id);
  await staff.next((f) => f.type === "timeline");
  staff.send({ type: "action", action: { kind: "close" } });
  await staff.next((f) => f.type === "lifecycle" && f.state.status === "closed");
  await staff.close();
  const row = await eventually(async () => {
    const res = await call("GET", "/v1/inbox/reports/conversations.csv?preset=today", owner.token);
    const lines = (await res.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    const header = lines[0].split(",");
    const line = lines.find((l) => l.startsWith(first.id));
    return line && { header, cells: line.split(",") };
  }, Boolean, "the closed period's row");
  assert.equal(row.header.at(-1), "Attachments");
  assert.equal(row.cells.at(-1), "3");
});

test("only an owner deletes a conversation: messages, inbox line, files, links and bytes go; reports stay", async () => {
  const { id, ids, session, visitor } = second;
  for (const who of [lia, manager]) {
    const res = await call("DELETE", `/v1/inbox/conversations/${id}`, who.token);
    assert.equal(res.status, 403, await res.text());
  }
  assert.equal((await call("DELETE", `/v1/inbox/conversations/${id}`)).status, 401);
  assert.equal((await call("DELETE", "/v1/inbox/conversations/c_nope", owner.token)).status, 404);
  assert.equal((await call("DELETE", `/v1/inbox/conversations/c_${"0".repeat(32)}`, owner.token)).status, 404);

  const link = await json(await call("GET", `/v1/inbox/conversations/${id}/files/${ids[0]}/link`, owner.token));
  assert.equal((await fetch(link.url)).status, 200);
  // A closed period, so there is a report row to keep.
  const staff = await agentSocket(edge, owner.token, id);
  await staff.next((f) => f.type === "timeline");
  staff.send({ type: "action", action: { kind: "close" } });
  await staff.next((f) => f.type === "lifecycle" && f.state.status === "closed");
  await staff.close();
  const csv = async () => (await (await call("GET", "/v1/inbox/reports/conversations.csv?preset=today", owner.token)).text());
  await eventually(csv, (text) => text.includes(id), "the closed period's report row");
  const blobsBefore = blobCount();
  const inbox = await inboxSocket(edge, owner.token);
  await inbox.next((f) => f.type === "snapshot");
  const closed = new Promise((resolve) => visitor.ws.once("close", (code) => resolve(code)));

  const res = await call("DELETE", `/v1/inbox/conversations/${id}`, owner.token);
  const body = await json(res);
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.deepEqual(body, { conversation_id: id, contact_id: session.visitor_id, files: 3 });
  assert.equal(await closed, 4404, "the visitor's socket is closed");
  await inbox.next((f) => f.type === "hidden" && f.id === id);
  await inbox.close();

  assert.equal((await fetch(link.url)).status, 404, "a link made before is dead: the bytes are gone");
  assert.ok(blobCount() <= blobsBefore - 3, `bytes deleted (${blobsBefore} -> ${blobCount()})`);
  assert.equal((await call("GET", `/v1/inbox/conversations/${id}/files/${ids[0]}/link`, owner.token)).status, 404);
  assert.equal((await files(owner.token, `conversation=${id}`)).files.length, 0);
  const list = await json(await call("GET", "/v1/inbox/conversations", owner.token));
  assert.ok(!list.some((c) => c.id === id), "gone from the inbox");
  assert.equal((await call("DELETE", `/v1/inbox/conversations/${id}`, owner.token)).status, 404, "deleted once");
  assert.ok((await csv()).includes(id), "reports keep the deleted conversation's period");
  // An agent's socket on it is refused; the other conversation is untouched.
  await assert.rejects(agentSocket(edge, owner.token, id), (e) => e.status === 404);
  assert.equal((await files(owner.token, `conversation=${first.id}`)).files.length, 3);
});
