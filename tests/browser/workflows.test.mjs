// Issue "workflows" end to end in a real browser: the owner creates "Unassign after the
// conversation is closed" from its template and turns it on from the Workflows page; a visitor
// writes; the owner takes the conversation and closes it with a note; the workflow unassigns it
// (the inbox list shows nobody holding it) and the timeline shows the run. Then the editor
// shows the server's itemised problems beside the step they name.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { launchBrowser, signIn } from "../support/browser.mjs";
import { api, json, login, newVisitor, visitorSocket } from "../support/clients.mjs";

const NAME = "Unassign after the conversation is closed";

let edge, browser, owner, page;
before(async () => {
  edge = await startEdge();
  browser = await launchBrowser();
  owner = await login(edge);
});
after(async () => {
  await browser?.close();
  await edge?.stop();
});

/** Poll `fn` until it returns a truthy value (or fail after `ms`). */
async function until(fn, ms = 15_000, what = "condition") {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test("a template turned on in the UI unassigns a conversation closed by an agent; the timeline shows the run", async () => {
  const put = await api(edge, "PUT", "/v1/inbox/settings/lifecycle", owner.token, {
    closing_category: "optional", closing_summary: "optional", categories: ["Soporte", "Ventas"], auto_close_after: 86_400_000,
  });
  assert.equal(put.status, 200);

  page = await (await browser.newContext()).newPage();
  await signIn(page, edge);
  await page.getByRole("link", { name: "Workflows", exact: true }).click();
  await page.getByRole("heading", { name: "Workflows", exact: true }).waitFor();
  const templates = page.locator('[data-charla="template"]');
  await templates.first().waitFor();
  assert.equal(await templates.count(), 9, "the nine templates are offered");

  // Create from the template: the editor opens on the new, disabled workflow.
  await page.getByRole("button", { name: `Create from template: ${NAME}` }).click();
  await page.getByRole("heading", { name: "Edit workflow" }).waitFor();
  assert.equal(await page.getByLabel("Workflow name").inputValue(), NAME);
  assert.equal(await page.getByLabel("Trigger type").inputValue(), "conversation_closed");
  assert.equal(await page.getByLabel("Trigger condition 1 variable").inputValue(), "event.source");
  assert.equal(await page.getByLabel("Trigger condition 1 value").inputValue(), "user");
  assert.equal(await page.getByLabel("Step 1 type").inputValue(), "assign");
  assert.equal(await page.getByLabel("Step 1 assign to").inputValue(), "unassign");
  assert.equal(await page.getByRole("switch", { name: "Workflow enabled" }).isChecked(), false);

  // Turn it on from the list.
  await page.getByRole("link", { name: "All workflows" }).click();
  const row = page.locator('[data-charla="workflow-row"]', { hasText: NAME });
  await row.waitFor();
  assert.match(await row.locator('[data-charla="workflow-trigger"]').textContent(), /Conversation closed/);
  const toggle = page.getByRole("switch", { name: `Enabled: ${NAME}` });
  await toggle.check();
  await until(async () => {
    const list = await json(await api(edge, "GET", "/v1/inbox/workflows", owner.token));
    return list.find((l) => l.workflow.name === NAME)?.workflow.enabled;
  }, 10_000, "the workflow to be enabled on the server");
  assert.equal(await toggle.isChecked(), true);
  assert.equal(await row.locator('[data-charla="workflow-error"]').count(), 0);

  // A visitor writes; the owner takes the conversation and closes it with a note.
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.say("Hola, mi pedido no llega");
  await page.getByRole("link", { name: "Inbox", exact: true }).click();
  const conversation = page.locator(`[data-charla="conversation"][data-id="${session.conversation_id}"]`);
  await conversation.click();
  await page.getByRole("button", { name: "Assign to me" }).click();
  await page.locator('[data-charla="assignee"]', { hasText: "Assigned to you" }).first().waitFor();
  await page.getByRole("button", { name: "Close conversation" }).click();
  const dialog = page.getByRole("dialog", { name: "Close conversation" });
  await dialog.getByLabel("Category").selectOption("Soporte");
  await dialog.getByLabel("Summary").fill("Pedido reenviado");
  await dialog.getByRole("button", { name: "Confirm close" }).click();
  await dialog.waitFor({ state: "detached" });
  await page.locator('[data-charla="conversation-state"][data-state="closed"]').waitFor();

  // The workflow ran: the timeline says so, and nobody holds the conversation any more.
  const ran = page.locator('[data-charla="activity"][data-kind="workflow_ran"]');
  await ran.waitFor({ timeout: 20_000 });
  assert.match(await ran.textContent(), new RegExp(`Workflow “${NAME}” ran`));
  await page.locator('[data-charla="activity"][data-kind="unassigned"]').waitFor();
  await page.locator('[data-charla="view-closed"]').click();
  await conversation.waitFor();
  await until(async () => (await conversation.locator('[data-charla="assignee"]').count()) === 0, 10_000, "the list to show it unassigned");
  const list = await json(await api(edge, "GET", "/v1/inbox/conversations", owner.token));
  const line = list.find((c) => c.id === session.conversation_id);
  assert.equal(line.status, "closed");
  assert.equal(line.assignee_id ?? null, null, JSON.stringify(line));

  // The workflow's run list has the run, completed, for this conversation.
  await page.getByRole("link", { name: "Workflows", exact: true }).click();
  const lastRun = page.locator('[data-charla="workflow-row"]', { hasText: NAME }).locator('[data-charla="run"]').first();
  await page.getByRole("button", { name: "Refresh workflows" }).click();
  await lastRun.waitFor();
  assert.equal(await lastRun.getAttribute("data-outcome"), "completed");
  await visitor.close();
});

test("the editor shows the server's problems beside the step they name, and saves a fixed version", async () => {
  await page.getByRole("link", { name: "Workflows", exact: true }).click();
  await page.getByRole("link", { name: "New workflow" }).click();
  await page.getByRole("heading", { name: "New workflow" }).waitFor();
  await page.getByLabel("Workflow name").fill("Saludo <b>VIP</b>");
  await page.getByLabel("Trigger type").selectOption("shortcut");
  // Step 1: a message left empty; step 2: a tag step; step 3: a jump to a step that will be gone.
  await page.getByLabel("New step type").selectOption("add_tag");
  await page.getByRole("button", { name: "Add step" }).click();
  await page.getByLabel("Step 2 tags").fill("vip");
  await page.getByLabel("New step type").selectOption("branch");
  await page.getByRole("button", { name: "Add step" }).click();
  await page.getByRole("button", { name: "Add an arm to step 3" }).click();
  await page.getByLabel("Step 3 arm 1 condition 1 variable").fill("contact.tags");
  await page.getByLabel("Step 3 arm 1 condition 1 test").selectOption("contains");
  await page.getByLabel("Step 3 arm 1 condition 1 value").fill("vip");
  await page.getByLabel("Step 3 arm 1 next step").selectOption("step_1");
  await page.getByRole("button", { name: "Save workflow" }).click();

  // The message is empty: the server says so on step 1, and nothing is stored.
  const step1 = page.locator('[data-charla="step"][data-step-id="step_1"]');
  const problems = step1.locator('[data-charla="step-problems"]');
  await problems.waitFor();
  assert.match(await problems.textContent(), /empty/i);
  assert.equal(await step1.getAttribute("data-invalid"), "true");
  assert.equal(await page.locator('[data-charla="step"][data-step-id="step_2"] [data-charla="step-problems"]').count(), 0);
  await page.locator('[data-charla="workflow-error"]').waitFor();
  const stored = await json(await api(edge, "GET", "/v1/inbox/workflows", owner.token));
  assert.ok(!stored.some((l) => l.workflow.name.startsWith("Saludo")), "nothing was saved");

  // Fixed, it is created (then opened by its id), with the branch as built.
  await page.getByLabel("Step 1 message").fill("Hola {{contact.first_name | there}}");
  await page.getByRole("button", { name: "Save workflow" }).click();
  await page.getByRole("heading", { name: "Edit workflow" }).waitFor();
  await page.locator('[data-charla="workflow-status"]', { hasText: "created" }).waitFor();
  const created = (await json(await api(edge, "GET", "/v1/inbox/workflows", owner.token)))
    .find((l) => l.workflow.name === "Saludo <b>VIP</b>").workflow;
  assert.deepEqual(created.trigger, { type: "shortcut" });
  assert.deepEqual(created.steps.map((s) => [s.id, s.type, s.next ?? null]), [
    ["step_1", "send_message", "step_2"],
    ["step_2", "add_tag", "step_3"],
    ["step_3", "branch", null],
  ]);
  assert.deepEqual(created.steps[2].arms, [{ condition: { type: "compare", var: "contact.tags", op: "contains", value: "vip" }, next: "step_1" }]);
  // The name is text, never markup.
  assert.equal(await page.locator(".workflow-editor b").count(), 0);

  // An edit saves version 2.
  await page.getByLabel("Step 2 tags").fill("vip, saludado");
  await page.getByRole("button", { name: "Save workflow" }).click();
  await page.locator('[data-charla="workflow-status"]', { hasText: "version 2" }).waitFor();
  const v2 = await json(await api(edge, "GET", `/v1/inbox/workflows/${created.id}`, owner.token));
  assert.deepEqual(v2.steps[1].tags, ["vip", "saludado"]);
});

test("an agent runs a shortcut workflow from the conversation's “Run workflow” menu", async () => {
  // Needs the edge's run route (POST /v1/inbox/conversations/{id}/workflows/{workflow}/run).
  const created = await json(await api(edge, "POST", "/v1/inbox/workflows", owner.token, { template: "close_and_resume_bot" }));
  const on = await api(edge, "PUT", `/v1/inbox/workflows/${created.id}/enabled`, owner.token, { enabled: true });
  assert.equal(on.status, 200, await on.clone().text());

  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.say("¿Siguen abiertos?");
  await page.getByRole("link", { name: "Inbox", exact: true }).click();
  await page.locator('[data-charla="view-all"]').click();
  await page.locator(`[data-charla="conversation"][data-id="${session.conversation_id}"]`).click();
  await page.locator('[data-charla="conversation-state"][data-state="open"]').waitFor();

  await page.getByRole("button", { name: "Run workflow" }).click();
  const menu = page.getByRole("menu", { name: "Run workflow" });
  const items = menu.getByRole("menuitem");
  await items.first().waitFor();
  // Only enabled manual/shortcut workflows are offered (not "Unassign after close").
  assert.deepEqual(await items.locator(".menu-name").allTextContents(), [created.name]);
  await menu.getByRole("menuitem", { name: new RegExp(created.name) }).click();
  const outcome = page.locator('[data-charla="run-outcome"]');
  await outcome.waitFor();
  assert.match(await outcome.textContent(), /Started/, await outcome.textContent());
  await page.locator('[data-charla="conversation-state"][data-state="closed"]').waitFor();
  await page.locator('[data-charla="activity"][data-kind="workflow_ran"]', { hasText: created.name }).waitFor();
  await visitor.close();
});
