// Issue "conversation lifecycle" end to end in a real browser: an agent closes a conversation
// with a closing note from the inbox; another agent's inbox moves it to Closed live and shows
// the note in the timeline.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { launchBrowser, signIn, startDemoSite } from "../support/browser.mjs";
import { login, newVisitor, visitorSocket } from "../support/clients.mjs";

let edge, site, browser;
before(async () => {
  edge = await startEdge();
  site = await startDemoSite(edge);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.stop();
  await edge?.stop();
});


test("an agent closes with a note; another agent's inbox moves it to Closed live with the note in the timeline", async () => {
  const owner = await login(edge);
  const put = await fetch(`${edge.url}/v1/inbox/settings/lifecycle`, {
    method: "PUT",
    headers: { "content-type": "application/json", authorization: `Bearer ${owner.token}` },
    body: JSON.stringify({ closing_category: "required", closing_summary: "optional", categories: ["Ventas", "Soporte", "Reclamo"], auto_close_after: 86_400_000 }),
  });
  assert.equal(put.status, 200);
  const invite = await (await fetch(`${edge.url}/v1/inbox/invites`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${owner.token}` },
    body: JSON.stringify({ email: "lucia@example.com", role: "agent" }),
  })).json();
  const accepted = await fetch(`${edge.url}/v1/auth/accept-invite`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ workspace_id: "demo", token: invite.token, name: "Lucía", password: "una clave larga" }),
  });
  assert.equal(accepted.status, 200);

  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.say("Mi pedido llegó roto");

  const a = await (await browser.newContext()).newPage();
  const b = await (await browser.newContext()).newPage();
  await signIn(a, edge);
  await signIn(b, edge, "lucia@example.com", "una clave larga");
  await b.locator(`[data-charla="conversation"][data-id="${session.conversation_id}"]`).waitFor();

  await a.locator(`[data-charla="conversation"][data-id="${session.conversation_id}"]`).click();
  await a.getByRole("button", { name: "Assign to me" }).click();
  await a.locator('[data-charla="assignee"]', { hasText: "Assigned to you" }).first().waitFor();
  await a.getByRole("button", { name: "Close conversation" }).click();
  const dialog = a.getByRole("dialog", { name: "Close conversation" });
  // Required category missing: the edge refuses and the dialog says why.
  await dialog.getByLabel("Summary").fill("Reemplazo enviado <b>hoy</b>");
  await dialog.getByRole("button", { name: "Confirm close" }).click();
  await dialog.locator('[role="alert"]').waitFor();
  assert.match(await dialog.locator('[role="alert"]').textContent(), /category/i);
  await dialog.getByLabel("Category").selectOption("Reclamo");
  await dialog.getByRole("button", { name: "Confirm close" }).click();
  await dialog.waitFor({ state: "detached" });
  await a.locator('[data-charla="conversation-state"][data-state="closed"]').waitFor();

  // Agent B: the conversation moves to Closed live, and the note is in the timeline.
  await b.locator('[data-charla="view-closed"] [data-charla="view-count"]', { hasText: "1" }).waitFor();
  await b.locator('[data-charla="view-closed"]').click();
  await b.locator(`[data-charla="conversation"][data-id="${session.conversation_id}"]`).click();
  const closedLine = b.locator('[data-charla="activity"][data-kind="closed"]');
  await closedLine.waitFor();
  const text = await closedLine.textContent();
  assert.match(text, /Reclamo/);
  assert.match(text, /Reemplazo enviado <b>hoy<\/b>/, "the summary is shown as text");
  assert.equal(await b.locator('[data-charla="activity"] b').count(), 0);
  await visitor.close();
});
