// OWASP ASVS V5.3 — Output encoding. Attacks that try to make stored text become markup or a
// spreadsheet formula somewhere it is shown: message text, contact names, CSV export. The edge
// stores and returns text verbatim (JSON-escaped, never HTML-escaped or stripped: the clients
// render text nodes); the CSV neutralises formulas; the inbox renders HTML as text (browser).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startEdge, call, login, newVisitor, visitorSocket, agentSocket, act, ok, until, sleep, hasInboxBuild, DEMO,
} from "./support.mjs";

const PAYLOADS = [
  "<img src=x onerror=alert(1)>",
  "<script>alert('xss')</script>",
  "\"><svg/onload=alert(document.domain)>",
  "javascript:alert(1)",
  "{{contact.email}} ${7*7} <%= 7*7 %>",
  "&lt;b&gt;ya escapado&lt;/b&gt; & <b>negrita</b>",
  "\u202Egnp.exe\u202C ‮ RTL",
  "línea 1\nlínea 2",
];
const NAME = "<img src=x onerror=alert('nombre')>";

let edge, owner;
before(async () => {
  edge = await startEdge();
  owner = await login(edge);
});
after(async () => edge && (await edge.stop()));

test("HTML, template and control text in messages is stored and returned verbatim to visitor and agent (sync, live frames, inbox line)", async () => {
  const session = await newVisitor(edge);
  const v = await visitorSocket(edge, session);
  await v.next((f) => f.type === "hello");
  const staff = await agentSocket(edge, owner.token, session.conversation_id);
  await staff.next((f) => f.type === "hello");
  for (const [i, text] of PAYLOADS.entries()) {
    await v.say(text, `p${i}`);
    const live = await staff.next((f) => f.type === "message" && f.message.client_id === `p${i}`);
    assert.equal(live.message.text, text, "live frame to the agent");
  }
  await staff.say(PAYLOADS[0], "agent-0");
  const back = await v.next((f) => f.type === "message" && f.message.client_id === "agent-0");
  assert.equal(back.message.text, PAYLOADS[0], "live frame to the visitor");

  const all = await v.sync(0);
  assert.deepEqual(all.map((m) => m.text), [...PAYLOADS, PAYLOADS[0]], "exactly the messages sent, verbatim, in order");
  const line = await until(async () => (await ok(await call(edge, "GET", "/v1/inbox/conversations", owner.token))).find((c) => c.id === session.conversation_id),
    (c) => c?.last_text === PAYLOADS[0], "inbox line");
  assert.equal(line.last_text, PAYLOADS[0]);

  // The JSON answers are JSON, not HTML a browser could sniff.
  const res = await call(edge, "GET", "/v1/inbox/conversations", owner.token);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  await v.close();
  await staff.close();
});

test("an HTML contact name is kept as text; error messages never reflect markup back as HTML", async () => {
  const session = await newVisitor(edge);
  const v = await visitorSocket(edge, session);
  await v.say("hola");
  const patched = await ok(await call(edge, "PATCH", `/v1/inbox/contacts/${session.visitor_id}`, owner.token, { name: NAME }));
  assert.equal(patched.contact.name, NAME);
  assert.equal((await ok(await call(edge, "GET", `/v1/inbox/contacts/${session.visitor_id}`, owner.token))).name, NAME);

  const bad = await call(edge, "GET", `/v1/widget/config/${encodeURIComponent("<script>alert(1)</script>")}`);
  assert.equal(bad.status, 400);
  assert.match(bad.headers.get("content-type") ?? "", /^application\/json/, "errors are JSON, never text/html");
  const notFound = await call(edge, "GET", `/v1/nope/${encodeURIComponent("<svg onload=alert(1)>")}`);
  assert.match(notFound.headers.get("content-type") ?? "", /^application\/json/);
  await v.close();
});

test("CSV export: a formula-looking contact name is prefixed with ' (no spreadsheet injection), the row is still there", async () => {
  const formula = "=HYPERLINK(\"https://evil.example\",\"clic\")";
  const session = await newVisitor(edge);
  const v = await visitorSocket(edge, session);
  await v.say("hola");
  await ok(await call(edge, "PATCH", `/v1/inbox/contacts/${session.visitor_id}`, owner.token, { name: formula }));
  const staff = await agentSocket(edge, owner.token, session.conversation_id);
  await staff.next((f) => f.type === "timeline");
  act(staff, { kind: "close", note: { category: null, summary: "@SUM(1+1)" } });
  await staff.next((f) => f.type === "lifecycle" && f.state.status === "closed");
  await staff.close();
  const csv = await until(async () => {
    const res = await call(edge, "GET", "/v1/inbox/reports/conversations.csv?preset=today", owner.token);
    return res.ok ? res.text() : "";
  }, (t) => t.includes("HYPERLINK"), "closed row in the CSV");
  assert.ok(csv.includes("'=HYPERLINK"), `formula cell neutralised: ${csv.slice(0, 400)}`);
  assert.ok(!/(^|,)"?=HYPERLINK/m.test(csv), "no cell starts with =");
  assert.ok(csv.includes("'@SUM"), "summary cell neutralised");
  await v.close();
});

test("browser: the inbox renders message text and contact names with HTML as text (no element, no script)", { skip: !hasInboxBuild() && "no inbox build (dist/inbox)" }, async () => {
  const { launchBrowser } = await import("../support/browser.mjs");
  const session = await newVisitor(edge);
  const v = await visitorSocket(edge, session);
  for (const text of PAYLOADS.slice(0, 3)) await v.say(text);
  await ok(await call(edge, "PATCH", `/v1/inbox/contacts/${session.visitor_id}`, owner.token, { name: NAME }));
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const dialogs = [];
    page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
    // The inbox served by this edge, signed in as the demo owner.
    await page.goto(`${edge.url}/inbox/`);
    await page.getByLabel("Workspace").fill(DEMO.workspace);
    await page.getByLabel("Email").fill(DEMO.email);
    await page.getByLabel("Password").fill(DEMO.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    const list = page.locator('[data-charla="conversation-list"]');
    await list.waitFor();
    const item = page.locator('[data-charla="conversation"]').filter({ hasText: "onerror" }).first();
    await item.waitFor();
    await item.click();
    await page.locator('[data-charla="message"][data-author="contact"]').nth(2).waitFor();
    const texts = await page.locator('[data-charla="message"][data-author="contact"] [data-charla="text"]').allTextContents();
    assert.deepEqual(texts, PAYLOADS.slice(0, 3));
    await sleep(300);
    assert.equal(await page.locator('[data-charla="message"] img, [data-charla="message"] script, [data-charla="message"] svg').count(), 0);
    assert.equal(await page.locator('[data-charla="conversation-list"] img[src="x"]').count(), 0);
    assert.deepEqual(dialogs, [], "no script ran");
  } finally {
    await browser.close();
    await v.close();
  }
});
