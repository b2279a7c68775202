// Files in conversations through the real worker and local R2: uploads streamed into the
// bucket, sent with a message once (resends included), seen by whoever may see the
// conversation, downloaded byte for byte through short-lived signed links that nobody else
// can forge or stretch, never run as a page, refused (with nothing stored) when too large or
// of a refused type, and deleted when never sent.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { startEdge } from "../support/edge.mjs";
import { api, newVisitor, login, visitorSocket, agentSocket, json, invitedAgent } from "../support/clients.mjs";

// Unsent uploads are deleted after this long here (an hour in production).
const ORPHAN_MS = 4000;

let edge, owner;
before(async () => {
  edge = await startEdge({ vars: { CHARLA_DEV_ORPHAN_MILLIS: String(ORPHAN_MS) } });
  owner = await login(edge);
});
after(async () => edge && (await edge.stop()));

const call = (method, path, token, body) => api(edge, method, path, token, body);

function png(width, height, extra = 4096) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from("\x89PNG\r\n\x1a\n", "latin1"),
    Buffer.from([0, 0, 0, 13]), Buffer.from("IHDR"), ihdr, Buffer.alloc(4),
    randomBytes(extra),
  ]);
}

const pdf = (size) => Buffer.concat([Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1"), randomBytes(size)]);

function upload(token, bytes, name, path = "/v1/widget/files") {
  return fetch(`${edge.url}${path}?name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
    body: bytes,
  });
}

async function uploaded(token, bytes, name, path) {
  const res = await upload(token, bytes, name, path);
  const body = await json(res);
  assert.equal(res.status, 201, JSON.stringify(body));
  return body;
}

/** The link answer for a file, asked as the visitor (`conversation` unset) or an agent. */
function linkFor(token, fileId, conversation) {
  const path = conversation
    ? `/v1/inbox/conversations/${conversation}/files/${fileId}/link`
    : `/v1/widget/files/${fileId}/link`;
  return call("GET", path, token);
}

async function link(token, fileId, conversation) {
  const res = await linkFor(token, fileId, conversation);
  const body = await json(res);
  assert.equal(res.status, 200, JSON.stringify(body));
  return body;
}

/** Blobs in the local bucket (what "nothing stored" is checked against). */
function blobs() {
  const found = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.includes(`${join("r2", "")}`) && p.includes("blobs")) found.push(p);
    }
  };
  walk(edge.dir);
  return found.length;
}

async function conversation() {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.next((f) => f.type === "hello");
  await visitor.say("hola, adjunto la factura");
  return { session, visitor, id: session.conversation_id };
}

const sendFiles = (socket, ids, text = "", clientId = randomUUID()) => {
  socket.send({ type: "send", client_id: clientId, text, attachments: ids });
  return clientId;
};

function assertSafeHeaders(res) {
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.equal(res.headers.get("content-security-policy"), "default-src 'none'; sandbox");
  assert.match(res.headers.get("cache-control"), /^private/);
}

let shared; // the first test's conversation and files, for the access tests

test("a visitor sends a PNG and a PDF in one message; the agent sees them and downloads them byte for byte", async () => {
  const { session, visitor, id } = await conversation();
  const image = png(640, 480);
  const doc = pdf(300_000); // several chunks on the way to the bucket
  const a = await uploaded(session.token, image, "captura.png");
  assert.match(a.id, /^f_[0-9a-f]{32}$/);
  assert.deepEqual(
    { name: a.name, size: a.size, content_type: a.content_type, width: a.width, height: a.height },
    { name: "captura.png", size: image.length, content_type: "image/png", width: 640, height: 480 },
  );
  // The client's name is sanitised; its claimed type is never read.
  const b = await uploaded(session.token, doc, 'C:\\fakepath\\factura "2026".pdf');
  assert.equal(b.name, "factura 2026.pdf");
  assert.equal(b.content_type, "application/pdf");
  assert.equal(b.width, undefined);

  const clientId = sendFiles(visitor, [a.id, b.id]);
  const ack = await visitor.next((f) => f.type === "ack" && f.client_id === clientId);
  assert.equal(ack.duplicate, false);
  const live = await visitor.next((f) => f.type === "message" && f.message.client_id === clientId);
  assert.equal(live.message.text, "");
  assert.deepEqual(live.message.attachments, [a, b]);

  // A resend (same client id): the stored seq, no second message.
  sendFiles(visitor, [a.id, b.id], "", clientId);
  const again = await visitor.next((f) => f.type === "ack" && f.client_id === clientId);
  assert.deepEqual([again.seq, again.duplicate], [ack.seq, true]);
  // The same files under a new client id: each file goes with one message only.
  const other = sendFiles(visitor, [a.id]);
  const refused = await visitor.next((f) => f.type === "error" && f.client_id === other);
  assert.equal(refused.code, "not_found");

  // The agent's history shows the one message with both files.
  const staff = await agentSocket(edge, owner.token, id);
  await staff.next((f) => f.type === "hello");
  const history = await staff.sync(0);
  const withFiles = history.filter((m) => m.attachments);
  assert.equal(withFiles.length, 1);
  assert.equal(withFiles[0].seq, ack.seq);
  assert.deepEqual(withFiles[0].attachments, [a, b]);
  assert.equal(history.at(-1).seq, ack.seq, "nothing stored after it");

  // Downloads: the PDF as an attachment, the PNG inline, both byte for byte.
  const docLink = await link(owner.token, b.id, id);
  assert.deepEqual(docLink.file, b);
  assert.ok(docLink.expires_at > Date.now() && docLink.expires_at <= Date.now() + 5 * 60_000 + 5_000);
  const url = new URL(docLink.url);
  assert.equal(url.origin, edge.url);
  assert.ok(!docLink.url.includes(owner.token) && !docLink.url.includes(session.token), "no session in a link");
  const got = await fetch(docLink.url);
  assert.equal(got.status, 200);
  assert.ok(Buffer.from(await got.arrayBuffer()).equals(doc), "the PDF byte for byte");
  assert.equal(got.headers.get("content-type"), "application/pdf");
  assert.equal(
    got.headers.get("content-disposition"),
    `attachment; filename="factura 2026.pdf"; filename*=UTF-8''factura%202026.pdf`,
  );
  assertSafeHeaders(got);

  const imageLink = await link(session.token, a.id);
  const pic = await fetch(imageLink.url);
  assert.equal(pic.status, 200);
  assert.ok(Buffer.from(await pic.arrayBuffer()).equals(image), "the PNG byte for byte");
  assert.equal(pic.headers.get("content-type"), "image/png");
  assert.match(pic.headers.get("content-disposition"), /^inline; filename="captura.png"/);
  assertSafeHeaders(pic);

  shared = { session, id, a, b, docLink };
  await staff.close();
  await visitor.close();
});

test("an agent sends a file back; a visitor cannot send the agents' uploads", async () => {
  const { session, visitor, id } = await conversation();
  const manual = await uploaded(owner.token, pdf(2_000), "manual.pdf", `/v1/inbox/conversations/${id}/files`);
  // The visitor may neither send nor see it before the agent sends it.
  const stolen = sendFiles(visitor, [manual.id], "mío");
  assert.equal((await visitor.next((f) => f.type === "error" && f.client_id === stolen)).code, "not_found");
  assert.equal((await linkFor(session.token, manual.id)).status, 404);

  const staff = await agentSocket(edge, owner.token, id);
  await staff.next((f) => f.type === "hello");
  const clientId = sendFiles(staff, [manual.id], "aquí tienes el manual");
  await staff.next((f) => f.type === "ack" && f.client_id === clientId);
  const got = await visitor.next((f) => f.type === "message" && f.message.client_id === clientId);
  assert.deepEqual(got.message.attachments, [manual]);
  assert.equal(got.message.author.kind, "agent");
  const { url } = await link(session.token, manual.id);
  assert.equal((await fetch(url)).status, 200);
  await staff.close();
  await visitor.close();
});

test("a second visitor and an agent who may not see the conversation get 403/404", async () => {
  const { session, id, a } = shared;
  const stranger = await newVisitor(edge);
  assert.equal((await linkFor(stranger.token, a.id)).status, 404, "not in their conversation");

  const lia = await invitedAgent(edge, owner, "lia.files@example.com", "agent", "Lía");
  const set = await call("PUT", `/v1/inbox/agents/${lia.agent.id}`, owner.token, { access: "mine_and_unassigned" });
  assert.equal(set.status, 200);
  const staff = await agentSocket(edge, owner.token, id);
  await staff.next((f) => f.type === "timeline");
  staff.send({ type: "action", action: { kind: "assign", agent_id: owner.agent.id, team_id: null } });
  await staff.next((f) => f.type === "activity" && f.event.kind.type === "assigned");
  await staff.close();
  assert.equal((await linkFor(lia.token, a.id, id)).status, 403);
  assert.equal((await upload(lia.token, png(1, 1), "x.png", `/v1/inbox/conversations/${id}/files`)).status, 403);

  // Ids of another conversation, or of no shape at all.
  const elsewhere = await newVisitor(edge);
  assert.equal((await linkFor(owner.token, a.id, elsewhere.conversation_id)).status, 404);
  assert.equal((await linkFor(owner.token, "f_nope", id)).status, 404);
  assert.equal((await linkFor(owner.token, "../../x", id)).status, 404);
  assert.equal((await linkFor(session.token, `f_${"0".repeat(32)}`)).status, 404);
  // No token, or an agent's token on the visitor route.
  assert.equal((await linkFor(null, a.id)).status, 401);
  assert.equal((await linkFor(owner.token, a.id)).status, 401);
});

test("forged, stretched and expired links are refused", async () => {
  const { id, a, b, docLink } = shared;
  const good = new URL(docLink.url);
  const sig = good.searchParams.get("sig");
  const exp = good.searchParams.get("exp");
  const variant = (path, params) => fetch(`${edge.url}${path}?${new URLSearchParams(params)}`);
  const docPath = good.pathname;
  const imagePath = docPath.replace(b.id, a.id);
  const flipped = (sig[0] === "A" ? "B" : "A") + sig.slice(1);
  for (const [what, res] of [
    ["another file under the PDF's signature", await variant(imagePath, { exp, sig })],
    ["a changed signature", await variant(docPath, { exp, sig: flipped })],
    ["a later expiry", await variant(docPath, { exp: String(Number(exp) + 1000), sig })],
    ["no signature", await variant(docPath, { exp })],
    ["no expiry", await variant(docPath, { sig })],
    ["garbage", await variant(docPath, { exp: "soon", sig: "%%%" })],
  ]) {
    assert.equal(res.status, 403, what);
  }
  assert.equal((await fetch(`${edge.url}/v1/files/demo/${id}/..%2F..%2Fx?exp=${exp}&sig=${sig}`)).status, 403);

  // Signed with the real secret (the test knows it): a fresh link works, an expired one not.
  const sign = (fileId, expiresAt) =>
    createHmac("sha256", edge.secret)
      .update(`charla-file-link-v1\ndemo\n${id}\n${fileId}\n${expiresAt}`)
      .digest("base64url");
  const fresh = Date.now() + 60_000;
  assert.equal((await variant(docPath, { exp: String(fresh), sig: sign(b.id, fresh) })).status, 200);
  const past = Date.now() - 1_000;
  assert.equal((await variant(docPath, { exp: String(past), sig: sign(b.id, past) })).status, 403);
  // Nor may a link be made to last longer than links are made for.
  const far = Date.now() + 24 * 3600_000;
  assert.equal((await variant(docPath, { exp: String(far), sig: sign(b.id, far) })).status, 403);
});

test("uploaded HTML and SVG with script download as attachments in a sandbox, never inline", async () => {
  const { session, visitor } = await conversation();
  const html = Buffer.from("<!DOCTYPE html><html><body><script>parent.pwned = 1</script></body></html>");
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>');
  // Named as images: the bytes decide.
  const page = await uploaded(session.token, html, "cute-cat.png");
  const drawing = await uploaded(session.token, svg, "logo.svg");
  assert.equal(page.content_type, "text/html");
  assert.equal(drawing.content_type, "image/svg+xml");
  // Sent, as a visitor would (and so kept: the other tests count the bucket's blobs).
  const clientId = sendFiles(visitor, [page.id, drawing.id]);
  await visitor.next((f) => f.type === "ack" && f.client_id === clientId);
  for (const file of [page, drawing]) {
    const res = await fetch((await link(session.token, file.id)).url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/octet-stream", file.name);
    assert.match(res.headers.get("content-disposition"), /^attachment; /, file.name);
    assertSafeHeaders(res);
    await res.arrayBuffer();
  }
  await visitor.close();
});

test("a file over the limit or of a refused type is refused with its code, and nothing is stored", async () => {
  const { session, visitor } = await conversation();
  const before = blobs();
  const refusals = [
    ["a program named as a photo", Buffer.concat([Buffer.from("MZ\x90\x00"), randomBytes(500)]), "photo.jpg", 415, "file_type_not_allowed"],
    ["unknown binary", Buffer.concat([Buffer.from([0, 1, 2, 3]), randomBytes(500)]), "data.bin", 415, "file_type_not_allowed"],
    ["a video (media is off by default)", Buffer.concat([Buffer.from("\0\0\0\x18ftypisom\0\0\0\0", "latin1"), randomBytes(500)]), "clip.mp4", 415, "file_type_not_allowed"],
    ["an empty file", Buffer.alloc(0), "empty.txt", 400, "bad_request"],
  ];
  for (const [what, bytes, name, status, code] of refusals) {
    const res = await upload(session.token, bytes, name);
    const body = await json(res);
    assert.equal(res.status, status, `${what}: ${JSON.stringify(body)}`);
    assert.equal(body.code, code, what);
    assert.ok(body.message, what);
  }

  // The workspace's limit, as an owner sets it (restored after).
  const rules = await json(await call("GET", "/v1/inbox/settings/files", owner.token));
  assert.deepEqual(rules, { max_bytes: 10 * 1024 * 1024, allowed: ["image", "pdf", "office", "text", "archive"], max_attachments: 10 });
  const visitorRules = await json(await call("GET", "/v1/widget/files/rules", session.token));
  assert.deepEqual(visitorRules, rules);
  const limited = await call("PUT", "/v1/inbox/settings/files", owner.token, { max_bytes: 5000, allowed: ["image"] });
  assert.equal(limited.status, 200, await limited.clone().text());
  try {
    const big = await upload(session.token, png(10, 10, 6000), "big.png");
    const body = await json(big);
    assert.equal(big.status, 413);
    assert.equal(body.code, "file_too_large");
    const notImage = await json(await upload(session.token, pdf(100), "a.pdf"));
    assert.equal(notImage.code, "file_type_not_allowed");
    assert.equal((await call("PUT", "/v1/inbox/settings/files", owner.token, { max_bytes: 10 ** 12, allowed: [] })).status, 400);
  } finally {
    await call("PUT", "/v1/inbox/settings/files", owner.token, { max_bytes: rules.max_bytes, allowed: rules.allowed });
  }
  assert.equal(blobs(), before, "no refused upload reached the bucket");

  // Too many files for one message, and ids of no shape.
  const ids = Array.from({ length: 11 }, (_, i) => `f_${String(i).padStart(32, "0")}`);
  const many = sendFiles(visitor, ids);
  assert.equal((await visitor.next((f) => f.type === "error" && f.client_id === many)).code, "too_many_files");
  const odd = sendFiles(visitor, ["../x"]);
  assert.equal((await visitor.next((f) => f.type === "error" && f.client_id === odd)).code, "not_found");
  const history = await visitor.sync(0);
  assert.equal(history.length, 1, "only the first message was stored");
  await visitor.close();
});

test("an upload no message references is deleted by the alarm, bytes included", async () => {
  const { session, visitor } = await conversation();
  const before = blobs();
  const kept = await uploaded(session.token, png(3, 3), "sent.png");
  const lost = await uploaded(session.token, png(4, 4), "forgotten.png");
  assert.equal(blobs(), before + 2);
  const { url } = await link(session.token, lost.id);
  const clientId = sendFiles(visitor, [kept.id], "solo esta");
  await visitor.next((f) => f.type === "ack" && f.client_id === clientId);

  const deadline = Date.now() + ORPHAN_MS + 15_000;
  while ((await linkFor(session.token, lost.id)).status !== 404) {
    assert.ok(Date.now() < deadline, "the orphan was not deleted in time");
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.equal((await fetch(url)).status, 404, "its bytes are gone");
  assert.equal(blobs(), before + 1);
  const keptLink = await link(session.token, kept.id);
  assert.equal((await fetch(keptLink.url)).status, 200, "the sent file stays");
  await visitor.close();
});

test("the report row of a period counts its files; its messages still count once each", async () => {
  const { session, visitor, id } = await conversation();
  const one = await uploaded(session.token, png(2, 2), "a.png");
  const two = await uploaded(session.token, pdf(100), "b.pdf");
  const clientId = sendFiles(visitor, [one.id, two.id], "las dos");
  await visitor.next((f) => f.type === "ack" && f.client_id === clientId);
  const staff = await agentSocket(edge, owner.token, id);
  await staff.next((f) => f.type === "timeline");
  staff.send({ type: "action", action: { kind: "close" } });
  await staff.next((f) => f.type === "activity" && f.event.kind.type === "closed");
  const deadline = Date.now() + 20_000;
  let row;
  while (!row) {
    const list = await json(await call("GET", "/v1/inbox/reports/conversations?sort=closed_at&desc=true", owner.token));
    row = list.rows?.find((r) => r.conversation_id === id && r.closed_at);
    if (!row) {
      assert.ok(Date.now() < deadline, `no report row; last ${JSON.stringify(list).slice(0, 300)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  assert.deepEqual([row.attachments, row.messages_in], [2, 2]);
  await staff.close();
  await visitor.close();
});
