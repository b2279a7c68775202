// The inbox's first view (sign-in, the list, a conversation) downloads only the main wasm; the
// settings, workflows, reports and files pages are split into their own parts (scripts/build.sh),
// fetched the first time one opens. A part that fails to download says so, and opening the
// page again retries; a deep link on a cold load fetches its page's part first.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { launchBrowser, signIn } from "../support/browser.mjs";

let edge, browser;
before(async () => {
  edge = await startEdge();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await edge?.stop();
});

const PART = /\/inbox\/(split|chunk)_[^/]*\.wasm$/;

/** A page that records every wasm it fetches. */
async function watchedPage() {
  const page = await (await browser.newContext()).newPage();
  const wasm = [];
  page.on("request", (req) => {
    if (req.url().endsWith(".wasm")) wasm.push(new URL(req.url()).pathname);
  });
  return { page, wasm };
}

test("signing in and the inbox fetch no page's part; each page fetches its own when opened", async () => {
  const { page, wasm } = await watchedPage();
  await signIn(page, edge);
  assert.deepEqual(wasm, ["/inbox/charla_inbox_bg.wasm"]);

  await page.locator('[data-charla="settings-link"]').click();
  await page.getByRole("heading", { name: "Settings" }).waitFor();
  assert.ok(wasm.some((p) => p.startsWith("/inbox/split_settings")), wasm.join(" "));
  assert.ok(!wasm.some((p) => /split_(workflows|reports)/.test(p)), wasm.join(" "));

  await page.locator('[data-charla="workflows-link"]').click();
  await page.locator("#workflow-list-title").waitFor();
  assert.ok(wasm.some((p) => p.startsWith("/inbox/split_workflows")), wasm.join(" "));

  await page.locator('[data-charla="reports-link"]').click();
  await page.locator('[data-charla="card-closed"]').waitFor();
  assert.ok(wasm.some((p) => p.startsWith("/inbox/split_reports")), wasm.join(" "));

  await page.locator('[data-charla="files-link"]').click();
  await page.locator('[data-charla="files-page"]').waitFor();
  assert.ok(wasm.some((p) => p.startsWith("/inbox/split_files")), wasm.join(" "));
  // The reply box's tray, its uploads and the delete dialog are parts too: none came yet.
  assert.ok(!wasm.some((p) => /split_(file_tray|file_uploads|delete_dialog)/.test(p)), wasm.join(" "));

  // Back and forth: a part is fetched once.
  const fetched = wasm.length;
  await page.locator('[data-charla="settings-link"]').click();
  await page.getByRole("heading", { name: "Settings" }).waitFor();
  assert.equal(wasm.length, fetched);
  await page.close();
});

test("a part that fails to download says so, and opening the page again retries", async () => {
  const { page, wasm } = await watchedPage();
  await signIn(page, edge);
  await page.route(PART, (route) => route.abort("internetdisconnected"));
  await page.locator('[data-charla="workflows-link"]').click();
  await page.locator('[data-charla="page-unavailable"]').waitFor();
  // The rest of the inbox still works.
  await page.locator('[data-charla="inbox-link"]').click();
  await page.locator('[data-charla="conversation-list"]').waitFor({ state: "visible" });

  await page.unroute(PART);
  await page.locator('[data-charla="workflows-link"]').click();
  await page.locator("#workflow-list-title").waitFor();
  assert.ok(wasm.filter((p) => p.startsWith("/inbox/split_workflows")).length >= 2, wasm.join(" "));
  await page.close();
});

test("a deep link on a cold load opens its page", async () => {
  const { page } = await watchedPage();
  await signIn(page, edge);
  for (const [hash, ready] of [
    ["#/settings/hours", "#hours-title"],
    ["#/workflows/new", "#wf-steps-title"],
    ["#/reports", '[data-charla="card-closed"]'],
  ]) {
    const fresh = await page.context().newPage();
    await fresh.goto(`${edge.url}/inbox/${hash}`);
    await fresh.locator(ready).waitFor();
    assert.equal(new URL(fresh.url()).hash, hash);
    await fresh.close();
  }
  await page.close();
});
