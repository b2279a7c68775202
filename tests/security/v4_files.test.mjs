// OWASP ASVS V4 (access control) and V12 (files) — the file routes as an attacker meets them:
// another workspace's real session, a visitor's token on the agents' routes, an agent's
// token on the visitor's, no token at all, an agent changing the workspace's file rules, and a
// signed link moved onto another workspace. Every refusal stores nothing in the bucket.
// Also the public connection-check route's per-address limit.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { startEdge, call, login, newVisitor, visitorSocket, invited, ok, ip, hexId } from "./support.mjs";

const ADMIN = "admin-token-for-the-files-access-test";
const OTHER = { workspace: "otra-tienda-archivos", email: "duena@archivos.example", password: "una clave larga" };

let edge, owner, intruder, victim;

const png = () =>
  Buffer.concat([
    Buffer.from("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x02\0\0\0\x02\x08\x06\0\0\0", "latin1"),
    Buffer.alloc(64, 7),
  ]);

function upload(path, token, bytes = png(), name = "captura.png") {
  return fetch(`${edge.url}${path}?name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: {
      "cf-connecting-ip": ip(),
      "content-type": "application/octet-stream",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: bytes,
  });
}

/** Blob files in the local R2 bucket: what "nothing stored" is checked against. */
function blobs() {
  let found = 0;
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.includes(join("r2", "")) && p.includes("blobs")) found++;
    }
  };
  walk(edge.dir);
  return found;
}

before(async () => {
  edge = await startEdge({ vars: { CHARLA_ADMIN_TOKEN: ADMIN } });
  owner = await login(edge);
  await ok(
    await call(edge, "POST", "/v1/admin/workspaces", ADMIN, {
      workspace_id: OTHER.workspace, owner_email: OTHER.email, owner_name: "Dueña Otra", owner_password: OTHER.password,
    }),
    "create the other workspace",
  );
  intruder = await login(edge, OTHER);
  // The first workspace's conversation with one sent file (a visitor's screenshot).
  const session = await newVisitor(edge);
  const socket = await visitorSocket(edge, session);
  const file = await ok(await upload("/v1/widget/files", session.token), "visitor upload");
  socket.send({ type: "send", client_id: "c-files-1", text: "mira", attachments: [file.id] });
  await socket.next((f) => f.type === "ack" && f.client_id === "c-files-1");
  await socket.close();
  const link = await ok(
    await call(edge, "GET", `/v1/inbox/conversations/${session.conversation_id}/files/${file.id}/link`, owner.token),
    "owner link",
  );
  victim = { session, id: session.conversation_id, file, link };
});
after(async () => edge && (await edge.stop()));

test("another workspace's session can neither upload into nor link to this workspace's files", async () => {
  const before = blobs();
  const up = await upload(`/v1/inbox/conversations/${victim.id}/files`, intruder.token);
  assert.ok([403, 404].includes(up.status), `upload: ${up.status}`);
  const link = await call(edge, "GET", `/v1/inbox/conversations/${victim.id}/files/${victim.file.id}/link`, intruder.token);
  assert.ok([403, 404].includes(link.status), `link: ${link.status}`);
  assert.ok(!(await link.text()).includes("/v1/files/"), "no link in the refusal");
  // Its own rules route answers its own workspace's rules; this one's stay as they were.
  const mine = await ok(await call(edge, "GET", "/v1/inbox/settings/files", owner.token));
  await ok(await call(edge, "PUT", "/v1/inbox/settings/files", intruder.token, { max_bytes: 1000, allowed: ["pdf"] }), "own rules");
  assert.deepEqual(await ok(await call(edge, "GET", "/v1/inbox/settings/files", owner.token)), mine);
  assert.equal(blobs(), before, "nothing reached the bucket");
});

test("a link signed for one workspace does not open another workspace's path", async () => {
  const url = new URL(victim.link.url);
  assert.equal((await fetch(url)).status, 200, "the real link works");
  const moved = new URL(url);
  moved.pathname = url.pathname.replace(/^\/v1\/files\/demo\//, `/v1/files/${OTHER.workspace}/`);
  assert.notEqual(moved.pathname, url.pathname);
  assert.equal((await fetch(moved)).status, 403);
});

test("the agents' file routes refuse a visitor's token, and the visitor's refuse an agent's", async () => {
  const before = blobs();
  const { session, id, file } = victim;
  for (const [what, res] of [
    ["upload", await upload(`/v1/inbox/conversations/${id}/files`, session.token)],
    ["link", await call(edge, "GET", `/v1/inbox/conversations/${id}/files/${file.id}/link`, session.token)],
    ["rules read", await call(edge, "GET", "/v1/inbox/settings/files", session.token)],
    ["rules write", await call(edge, "PUT", "/v1/inbox/settings/files", session.token, { max_bytes: 1, allowed: [] })],
  ]) {
    assert.equal(res.status, 401, `visitor token on the agents' ${what}`);
  }
  for (const [what, res] of [
    ["upload", await upload("/v1/widget/files", owner.token)],
    ["link", await call(edge, "GET", `/v1/widget/files/${file.id}/link`, owner.token)],
    ["rules", await call(edge, "GET", "/v1/widget/files/rules", owner.token)],
  ]) {
    assert.equal(res.status, 401, `agent token on the visitor's ${what}`);
  }
  assert.equal(blobs(), before, "nothing reached the bucket");
});

test("uploads without a token, or with a made-up one, are refused before any byte is stored", async () => {
  const before = blobs();
  const forged = `${Buffer.from('{"v":"x"}').toString("base64url")}.${"A".repeat(43)}`;
  for (const token of [null, "", "not-a-token", forged]) {
    assert.equal((await upload("/v1/widget/files", token)).status, 401, `widget upload with ${JSON.stringify(token)}`);
    assert.equal(
      (await upload(`/v1/inbox/conversations/${victim.id}/files`, token)).status,
      401,
      `inbox upload with ${JSON.stringify(token)}`,
    );
  }
  // A well-formed id of no conversation, with a real agent session.
  const unknown = await upload(`/v1/inbox/conversations/${hexId("c")}/files`, owner.token);
  assert.equal(unknown.status, 404);
  assert.equal(blobs(), before, "nothing reached the bucket");
});

test("only owners and managers change the file rules", async () => {
  const agent = await invited(edge, owner, "agente.archivos@example.com", "agent", "Agente Archivos");
  const rules = await ok(await call(edge, "GET", "/v1/inbox/settings/files", agent.token), "an agent reads them");
  const put = await call(edge, "PUT", "/v1/inbox/settings/files", agent.token, { max_bytes: 100_000_000, allowed: ["image", "pdf", "office", "text", "archive", "media"] });
  assert.equal(put.status, 403);
  assert.deepEqual(await ok(await call(edge, "GET", "/v1/inbox/settings/files", owner.token)), rules, "unchanged");
  const manager = await invited(edge, owner, "gerente.archivos@example.com", "manager", "Gerente Archivos");
  const set = await ok(await call(edge, "PUT", "/v1/inbox/settings/files", manager.token, { ...rules, max_bytes: rules.max_bytes - 1 }));
  assert.equal(set.max_bytes, rules.max_bytes - 1);
  await ok(await call(edge, "PUT", "/v1/inbox/settings/files", owner.token, { max_bytes: rules.max_bytes, allowed: rules.allowed }));
});

test("the public connection check is limited per address (429 + Retry-After), other addresses unaffected", async () => {
  const from = ip();
  let limited = null;
  let answered = 0;
  for (let i = 0; i < 700 && !limited; i++) {
    const res = await call(edge, "GET", "/v1/widget/check/demo?site=https://tienda.example", null, undefined, { ip: from });
    if (res.status === 429) limited = { res, body: await res.json() };
    else {
      assert.equal(res.status, 200);
      await res.arrayBuffer();
      answered++;
    }
  }
  assert.ok(limited, `${answered} checks from one address were all answered`);
  assert.match(limited.res.headers.get("retry-after") ?? "", /^[1-9][0-9]*$/);
  assert.equal(limited.body.code, "rate_limited");
  assert.equal(limited.res.headers.get("access-control-allow-origin"), "*", "the refusal is readable by the page");
  assert.equal((await call(edge, "GET", "/v1/widget/check/demo", null, undefined, { ip: ip() })).status, 200);
});
