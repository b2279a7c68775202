// Keyboard shortcuts in the inbox (real Chromium, real workerd): j/k walk the list as it is
// shown, r focuses the reply box (and a j typed there is text), m assigns to me, x opens the
// close dialog, ? shows the sheet and Escape hides it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { launchBrowser, signIn } from "../support/browser.mjs";
import { newVisitor, visitorSocket } from "../support/clients.mjs";

let edge, browser;
before(async () => {
  edge = await startEdge();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await edge?.stop();
});

test("j/k, r, m, x and ? drive the inbox from the keyboard; keys typed in the reply box are text", async () => {
  const visitors = [];
  for (const text of ["primera consulta", "segunda consulta"]) {
    const v = await visitorSocket(edge, await newVisitor(edge));
    await v.say(text);
    visitors.push(v);
  }
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, edge);
  const rows = page.locator('[data-charla="conversation"]');
  await rows.nth(1).waitFor();
  await page.locator('[data-charla="no-conversation"] kbd', { hasText: "?" }).waitFor();
  const ids = await rows.evaluateAll((els) => els.map((e) => e.dataset.id));
  const open = () => page.locator('[data-charla="conversation-view"]').getAttribute("data-id");

  await page.keyboard.press("j");
  await page.locator(`[data-charla="conversation-view"][data-id="${ids[0]}"]`).waitFor();
  await page.keyboard.press("j");
  await page.locator(`[data-charla="conversation-view"][data-id="${ids[1]}"]`).waitFor();
  await page.keyboard.press("k");
  await page.locator(`[data-charla="conversation-view"][data-id="${ids[0]}"]`).waitFor();

  // r: the reply box takes the keys, so j is a letter there, not the next conversation.
  await page.keyboard.press("r");
  const reply = page.locator('[data-charla="reply"]');
  await page.waitForFunction(() => document.activeElement?.dataset?.charla === "reply");
  await page.keyboard.type("jk");
  assert.equal(await reply.inputValue(), "jk");
  assert.equal(await open(), ids[0]);
  await reply.fill("");
  await page.locator('[data-charla="messages"]').click();

  await page.keyboard.press("m");
  await page.locator('[data-charla="assignee"]', { hasText: "Assigned to you" }).first().waitFor();
  await page.keyboard.press("x");
  await page.locator('[data-charla="close-dialog"]').waitFor();
  await page.locator('[data-charla="close-cancel"]').click();

  await page.keyboard.press("?");
  const sheet = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await sheet.waitFor();
  assert.match(await sheet.textContent(), /Next conversation/);
  await page.keyboard.press("Escape");
  await sheet.waitFor({ state: "detached" });

  await ctx.close();
  await Promise.all(visitors.map((v) => v.close()));
});
