// Issue "reports" end to end in a real browser: two conversations are played over real sockets
// (one answered at once, one after a wait) and closed with notes; the owner sets the workspace
// time zone in Settings, opens Reports → Closed conversations for today and sees both rows with
// their notes, sorts them by first response (quick before slow), downloads the CSV (same rows),
// opens a conversation from its row, and reads the overview cards, charts and leaderboard.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { startEdge } from "../support/edge.mjs";
import { launchBrowser, signIn } from "../support/browser.mjs";
import { agentSocket, api, json, login, newVisitor, visitorSocket } from "../support/clients.mjs";

const ZONE = "America/Mexico_City";
const SLOW_MS = 2_500;

let edge, browser, owner;
const played = [];
before(async () => {
  edge = await startEdge();
  browser = await launchBrowser();
  owner = await login(edge);
});
after(async () => {
  for (const c of played) await Promise.all([c.visitor.close(), c.staff.close()]);
  await browser?.close();
  await edge?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const activity = (kind) => (f) => f.type === "activity" && f.event.kind.type === kind;

/** A visitor writes; the owner takes it, answers after `waitMs` and closes it with `note`. */
async function play(waitMs, note) {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.say("hola, necesito ayuda");
  const staff = await agentSocket(edge, owner.token, session.conversation_id);
  await staff.next((f) => f.type === "timeline");
  staff.send({ type: "action", action: { kind: "assign", agent_id: owner.agent.id } });
  await staff.next(activity("assigned"));
  if (waitMs) await sleep(waitMs);
  await staff.say("¡Hola! Ya lo miro.");
  staff.send({ type: "action", action: { kind: "close", note } });
  await staff.next(activity("closed"));
  const c = { id: session.conversation_id, visitor, staff, note };
  played.push(c);
  return c;
}

/** RFC 4180: quoted cells, doubled quotes, CRLF line ends; the BOM dropped. */
function parseCsv(text) {
  text = text.replace(/^\uFEFF/, "");
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

test("closed conversations for today: notes, first responses quick < slow, the same rows in the CSV", async () => {
  const lifecycle = await api(edge, "PUT", "/v1/inbox/settings/lifecycle", owner.token, {
    closing_category: "optional", closing_summary: "optional", categories: ["Ventas", "Soporte"], auto_close_after: null,
  });
  assert.equal(lifecycle.status, 200);
  const quick = await play(0, { category: "Ventas", summary: "Respuesta al momento" });
  const slow = await play(SLOW_MS, { category: "Soporte", summary: "Tardamos <b>un poco</b>" });

  const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await signIn(page, edge);

  // The time zone reports count days in, from Settings.
  await page.getByRole("link", { name: "Settings", exact: true }).click();
  const zone = page.getByLabel("Workspace time zone");
  await zone.waitFor();
  assert.equal(await zone.inputValue(), "UTC");
  await zone.fill(ZONE);
  await page.getByRole("button", { name: "Save time zone" }).click();
  await page.locator('[data-charla="time-zone-status"]', { hasText: ZONE }).waitFor();
  assert.deepEqual(await json(await api(edge, "GET", "/v1/inbox/settings/workspace", owner.token)), { time_zone: ZONE });

  // Reports → Closed conversations, today.
  await page.getByRole("link", { name: "Reports", exact: true }).click();
  await page.getByRole("heading", { name: "Reports", exact: true }).waitFor();
  await page.getByLabel("Period").selectOption("today");
  await page.getByRole("tab", { name: "Closed conversations" }).click();
  const rows = page.locator('[data-charla="report-row"]');
  const deadline = Date.now() + 20_000;
  while ((await rows.count()) < 2) {
    if (Date.now() > deadline) throw new Error(`expected 2 rows, have ${await rows.count()}`);
    // Rows are written by the Conversation DOs after the close: ask again.
    await page.getByLabel("Period").selectOption("yesterday");
    await page.getByLabel("Period").selectOption("today");
    await sleep(300);
  }
  assert.match(await page.locator('[data-charla="report-range"]').textContent(), new RegExp(ZONE.replace("/", "\\/")));
  assert.match(await page.locator('[data-charla="page-status"]').textContent(), /2 conversations/);
  for (const c of [quick, slow]) {
    const row = page.locator(`[data-charla="report-row"][data-id="${c.id}"]`);
    assert.equal(await row.locator('[data-charla="row-category"]').textContent(), c.note.category);
    assert.equal(await row.locator('[data-charla="row-summary"]').textContent(), c.note.summary, "summary as text");
    assert.equal(await row.locator('[data-charla="row-assignee"]').textContent(), owner.agent.name);
  }
  assert.equal(await page.locator('[data-charla="closed-table"] b').count(), 0, "no markup from a summary");

  // Newest closed first by default; sorted by first response, quick comes before slow.
  assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.id)), [slow.id, quick.id]);
  await page.getByRole("button", { name: "Sort by first response" }).click();
  await page.locator('th[aria-sort="ascending"]', { hasText: "First response" }).waitFor();
  await page.waitForFunction(
    (first) => document.querySelector('[data-charla="report-row"]')?.dataset.id === first,
    quick.id,
  );
  const firstResponses = await page.locator('[data-charla="row-first-response"]').evaluateAll((tds) =>
    tds.map((td) => ({ ms: Number(td.dataset.ms), text: td.textContent })));
  assert.ok(firstResponses[0].ms < firstResponses[1].ms, JSON.stringify(firstResponses));
  assert.ok(firstResponses[1].ms >= SLOW_MS, JSON.stringify(firstResponses));
  assert.match(firstResponses[1].text, /^\d+(\.\d)? s$/, "a human-friendly duration");

  // The CSV download holds the same rows, in the same order.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download CSV" }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^charla-closed-.*\.csv$/);
  const csv = parseCsv(await readFile(await download.path(), "utf8"));
  const [header, ...lines] = csv.filter((r) => r.length > 1);
  const col = (name) => header.indexOf(name);
  assert.ok(col("Conversation") >= 0 && col("Category") >= 0 && col("Summary") >= 0, header.join(","));
  assert.deepEqual(
    lines.map((l) => [l[col("Conversation")], l[col("Category")], l[col("Summary")]]),
    [quick, slow].map((c) => [c.id, c.note.category, c.note.summary]),
  );
  assert.ok(Number(lines[0][col("First response (s)")]) <= Number(lines[1][col("First response (s)")]));

  // A row opens its conversation.
  await rows.first().click();
  await page.locator(`[data-charla="conversation-view"][data-id="${quick.id}"]`).waitFor();
  await page.locator('[data-charla="activity"][data-kind="closed"]', { hasText: "Respuesta al momento" }).waitFor();

  // Overview: cards and charts by day; the leaderboard has the owner's line.
  await page.getByRole("link", { name: "Reports", exact: true }).click();
  await page.getByLabel("Period").selectOption("today");
  await page.getByRole("tab", { name: "Overview" }).click();
  const closedCard = page.locator('[data-charla="card-closed"] [data-charla="card-value"]');
  await closedCard.waitFor();
  await page.waitForFunction(() => document.querySelector('[data-charla="card-closed"] [data-charla="card-value"]')?.textContent === "2");
  const chart = page.getByRole("img", { name: "Conversations by day" });
  await chart.waitFor();
  assert.ok((await chart.locator("rect.bar").count()) >= 1);
  assert.equal(await chart.evaluate((svg) => svg.querySelector("title").namespaceURI), "http://www.w3.org/2000/svg");
  assert.ok(await page.getByRole("img", { name: "First response by day" }).isVisible());
  await page.getByRole("tab", { name: "Agents" }).click();
  const me = page.locator(`[data-charla="agent-stats"][data-id="${owner.agent.id}"]`);
  await me.waitFor();
  assert.match(await me.textContent(), new RegExp(owner.agent.name));
});
