// Conversation ownership and workspace settings in a real browser: the owner invites an agent
// and configures them from the Settings page; the agent (access "own and unassigned") gets no
// settings and no view of the owner's conversations; the owner hands a conversation over with
// the assign menu and it appears live in the agent's Mine view. Then the close dialog offers the
// workspace's categories and the contact panel saves a contact.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { launchBrowser, signIn, pageFetch } from "../support/browser.mjs";
import { api, login, newVisitor, visitorSocket } from "../support/clients.mjs";

let edge, browser, owner, ownerPage, agentPage, lucia;
before(async () => {
  edge = await startEdge();
  browser = await launchBrowser();
  owner = await login(edge);
});
after(async () => {
  await browser?.close();
  await edge?.stop();
});

const row = (page, id) => page.locator(`[data-charla="conversation"][data-id="${id}"]`);

async function visitorSays(text) {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.say(text);
  return { session, visitor };
}

test("the owner invites an agent and configures agents, teams and closing notes from Settings", async () => {
  ownerPage = await (await browser.newContext()).newPage();
  await signIn(ownerPage, edge);
  await ownerPage.getByRole("link", { name: "Settings" }).click();
  await ownerPage.getByRole("heading", { name: "Settings" }).waitFor();

  // Invite: the page shows the full link to send.
  await ownerPage.getByLabel("Invite email").fill("lucia@example.com");
  await ownerPage.getByLabel("Invite role").selectOption("agent");
  await ownerPage.getByRole("button", { name: "Create invite link" }).click();
  const linkBox = ownerPage.getByLabel("Invite link");
  await linkBox.waitFor();
  const link = await linkBox.inputValue();
  assert.match(link, new RegExp(`^${edge.url}/inbox/#/invite/demo/\\w+$`));

  // The invitee opens the link in their own browser and joins.
  agentPage = await (await browser.newContext()).newPage();
  await agentPage.goto(link);
  await agentPage.getByLabel("Your name").fill("Lucía");
  await agentPage.getByLabel("Choose a password").fill("una clave larga");
  await agentPage.getByRole("button", { name: "Join workspace" }).click();
  await agentPage.locator('[data-charla="conversation-list"]').waitFor();
  await agentPage.locator('[data-charla="agent"]', { hasText: "Lucía" }).waitFor();

  // Capacity and access. A refusal from the server is shown in the row, as the server says it.
  await ownerPage.getByRole("button", { name: "Refresh agents" }).click();
  const luciaRow = ownerPage.locator('[data-charla="agent-row"]', { hasText: "lucia@example.com" });
  await luciaRow.waitFor();
  await ownerPage.getByLabel("Capacity for Lucía").fill("20000");
  await ownerPage.getByRole("button", { name: "Save changes for Lucía" }).click();
  const rowError = luciaRow.locator('[data-charla="agent-error"]');
  await rowError.waitFor();
  assert.match(await rowError.textContent(), /10000|capacity/i);
  await ownerPage.getByLabel("Capacity for Lucía").fill("3");
  await ownerPage.getByLabel("Access for Lucía").selectOption("mine_and_unassigned");
  await ownerPage.getByRole("button", { name: "Save changes for Lucía" }).click();
  await luciaRow.locator('[data-charla="agent-status"]', { hasText: "Saved." }).waitFor();
  const agents = await (await api(edge, "GET", "/v1/inbox/agents", owner.token)).json();
  lucia = agents.find((a) => a.email === "lucia@example.com");
  assert.equal(lucia.capacity, 3);
  assert.equal(lucia.access, "mine_and_unassigned");
  assert.equal(lucia.role, "agent");

  // A team with Lucía in it.
  await ownerPage.getByLabel("New team name").fill("Ventas");
  await ownerPage.getByRole("group", { name: "Members of the new team" }).getByLabel("Lucía").check();
  await ownerPage.getByRole("button", { name: "Create team" }).click();
  await ownerPage.getByRole("group", { name: "Members of Ventas" }).waitFor();
  assert.ok(await ownerPage.getByRole("group", { name: "Members of Ventas" }).getByLabel("Lucía").isChecked());
  const teams = await (await api(edge, "GET", "/v1/inbox/teams", owner.token)).json();
  assert.deepEqual(teams.map((t) => [t.name, t.members]), [["Ventas", [lucia.id]]]);

  // Closing categories, with the category required.
  for (const category of ["Ventas", "Soporte", "Reclamo"]) {
    await ownerPage.getByLabel("New category").fill(category);
    await ownerPage.getByRole("button", { name: "Add category" }).click();
  }
  await ownerPage.getByRole("button", { name: "Remove category Reclamo" }).click();
  await ownerPage.getByLabel("Category requirement").selectOption("required");
  await ownerPage.getByLabel("Auto-close after (hours)").fill("48");
  await ownerPage.getByRole("button", { name: "Save closing notes" }).click();
  await ownerPage.locator('[data-charla="closing-status"]', { hasText: "saved" }).waitFor();
  const lifecycle = await (await api(edge, "GET", "/v1/inbox/settings/lifecycle", owner.token)).json();
  assert.deepEqual(lifecycle.categories, ["Ventas", "Soporte"]);
  assert.equal(lifecycle.closing_category, "required");
  assert.equal(lifecycle.auto_close_after, 48 * 3_600_000);

  // Assignment: the contact's owner from a contact field, else the team; then off again so
  // the next tests start from unassigned conversations.
  const rule = async () => (await api(edge, "GET", "/v1/inbox/settings/assignment", owner.token)).json();
  await ownerPage.getByLabel("Assign new conversations to").selectOption("dedicated");
  await ownerPage.getByLabel("Owner contact field").fill("account_owner");
  await ownerPage.getByLabel("If the owner cannot take it").selectOption("team");
  await ownerPage.getByLabel("Fallback team").selectOption({ label: "Ventas" });
  await ownerPage.getByLabel("Assignment method").selectOption("fewest_open");
  await ownerPage.getByLabel("Online agents only").check();
  await ownerPage.getByLabel("Max open per agent").fill("lots");
  await ownerPage.getByRole("button", { name: "Save assignment" }).click();
  await ownerPage.locator('[data-charla="assignment-error"]', { hasText: "Max open" }).waitFor();
  await ownerPage.getByLabel("Max open per agent").fill("5");
  await ownerPage.getByLabel("When nobody is available").selectOption("queue");
  await ownerPage.getByRole("button", { name: "Save assignment" }).click();
  await ownerPage.locator('[data-charla="assignment-status"]', { hasText: "saved" }).waitFor();
  const saved = await rule();
  assert.deepEqual(saved.who, { type: "dedicated", owner: null, field: "account_owner", fallback: { type: "team", team_id: teams[0].id } });
  assert.equal(saved.method, "fewest_open");
  assert.equal(saved.online_only, true);
  assert.equal(saved.max_open, 5);
  assert.equal(saved.on_unavailable, "queue");
  // With automatic assignment on, the inbox opens on Mine.
  await ownerPage.goto(`${edge.url}/inbox/#/`);
  await ownerPage.reload();
  await ownerPage.locator('[data-charla="view-mine"][aria-selected="true"]').waitFor();
  await ownerPage.locator('[data-charla="view-all"]').click(); // as it was, for the next tests
  await ownerPage.goto(`${edge.url}/inbox/#/settings`);
  await ownerPage.getByLabel("Assign new conversations to").waitFor();
  await ownerPage.getByLabel("Assign new conversations to").selectOption("off");
  await ownerPage.getByRole("button", { name: "Save assignment" }).click();
  await ownerPage.locator('[data-charla="assignment-status"]', { hasText: "saved" }).waitFor();
  await ownerPage.waitForFunction(async (token) => {
    const res = await fetch("/v1/inbox/settings/assignment", { headers: { authorization: `Bearer ${token}` } });
    return (await res.json()) === null;
  }, owner.token);
});

test("the agent has no settings, is refused by the server, and never sees the owner's conversations", async () => {
  // The access level is read when the inbox loads.
  await agentPage.reload();
  await agentPage.locator('[data-charla="view-mine"]').waitFor();
  assert.equal(await agentPage.getByRole("link", { name: "Settings" }).count(), 0);
  // No "All" view once the inbox knows her access level.
  await agentPage.locator('[data-charla="view-all"]').waitFor({ state: "detached" });
  await agentPage.goto(`${edge.url}/inbox/#/settings`);
  await agentPage.getByText("Only owners and managers can change settings").waitFor();
  assert.equal(await agentPage.getByLabel("Invite email").count(), 0);
  const status = await pageFetch(agentPage, "PUT", "/v1/inbox/settings/lifecycle", {
    closing_category: "optional", closing_summary: "optional", categories: [], auto_close_after: null,
  });
  assert.equal(status, 403);
  await agentPage.goto(`${edge.url}/inbox/#/`);

  // An unassigned conversation is visible to the agent until the owner takes it.
  const { session, visitor } = await visitorSays("¿Tienen envío a Lima?");
  await agentPage.locator('[data-charla="view-unassigned"]').click();
  await row(agentPage, session.conversation_id).click();
  await agentPage.locator('[data-charla="conversation-view"]').waitFor();

  await ownerPage.getByRole("link", { name: "Inbox", exact: true }).click();
  await row(ownerPage, session.conversation_id).click();
  await ownerPage.getByRole("button", { name: "Assign to me" }).click();
  await ownerPage.locator('[data-charla="assignee"]', { hasText: "Assigned to you" }).first().waitFor();

  // Gone from the agent's list live; the open thread says why.
  await row(agentPage, session.conversation_id).waitFor({ state: "detached" });
  await agentPage.locator('[data-charla="assigned-elsewhere"]').waitFor();
  // And the server keeps it out after a reload.
  await agentPage.reload();
  await agentPage.locator('[data-charla="view-mine"]').waitFor();
  await agentPage.locator('[data-charla="view-unassigned"]').click();
  await agentPage.locator('[data-charla="view-closed"]').click();
  assert.equal(await row(agentPage, session.conversation_id).count(), 0);
  await visitor.close();
});

test("the owner's assign menu shows the agent online with their load; assigning shows up live in their Mine view", async () => {
  const { session, visitor } = await visitorSays("Quiero cambiar mi pedido");
  await agentPage.goto(`${edge.url}/inbox/#/`);
  await agentPage.locator('[data-charla="view-mine"]').click();
  await agentPage.locator('[data-charla="view-mine"] [data-charla="view-count"]', { hasText: "0" }).waitFor();

  await row(ownerPage, session.conversation_id).click();
  await ownerPage.getByRole("button", { name: "Assign to…" }).click();
  const menu = ownerPage.getByRole("menu", { name: "Assign conversation" });
  const item = menu.getByRole("menuitem", { name: /Lucía/ });
  await item.filter({ hasText: "Online" }).waitFor();
  assert.match(await item.textContent(), /Lucía · Online · 0 \/ 3 open/);
  await menu.getByRole("menuitem", { name: "Team Ventas" }).waitFor();
  await item.click();
  await menu.waitFor({ state: "detached" });
  await ownerPage.locator('[data-charla="assignee"]', { hasText: "Assigned to Lucía" }).first().waitFor();

  await row(agentPage, session.conversation_id).waitFor();
  await agentPage.locator('[data-charla="view-mine"] [data-charla="view-count"]', { hasText: "1" }).waitFor();

  // Her load shows in the menu; going away shows there too.
  await agentPage.getByRole("switch", { name: "Away" }).check();
  await agentPage.locator('[data-charla="my-presence"]', { hasText: "You are away" }).waitFor();
  await ownerPage.keyboard.press("Escape");
  await ownerPage.getByRole("button", { name: "Assign to…" }).click();
  const away = menu.locator(`[data-charla="assign-agent"][data-id="${lucia.id}"][data-presence="away"]`);
  await away.waitFor();
  const awayText = (await away.textContent()).replace(/\s+/g, " ").trim();
  await ownerPage.keyboard.press("Escape");
  await menu.waitFor({ state: "detached" });
  // Going away changes nothing else about her (capacity included).
  assert.equal(awayText, "Lucía · Away · 1 / 3 open");
  await visitor.close();
});

test("the close dialog offers the workspace's categories; the contact panel saves with errors inline", async () => {
  const { session, visitor } = await visitorSays("Necesito una factura");
  await row(ownerPage, session.conversation_id).click();
  const panel = ownerPage.getByRole("complementary", { name: "Contact" });
  await panel.getByLabel("Contact email").waitFor();

  await panel.getByLabel("Contact name").fill("Marta Ruiz");
  await panel.getByLabel("Contact email").fill("not an email");
  await panel.getByRole("button", { name: "Save contact" }).click();
  const error = panel.locator('[data-charla="contact-error"]');
  await error.waitFor();
  assert.match(await error.textContent(), /email/i);
  await panel.getByLabel("Contact email").fill("marta@example.com");
  await panel.getByLabel("Contact phone").fill("+34 600 111 222");
  await panel.getByLabel("New field name").fill("plan");
  await panel.getByLabel("New field value").fill("<b>pro</b>");
  await panel.getByRole("button", { name: "Add field" }).click();
  await panel.getByLabel("New tag").fill("VIP");
  await panel.getByRole("button", { name: "Add tag" }).click();
  await panel.getByRole("button", { name: "Save contact" }).click();
  await panel.locator('[data-charla="contact-status"]', { hasText: "Contact saved." }).waitFor();
  const contact = await (await api(edge, "GET", `/v1/inbox/contacts/${session.visitor_id}`, owner.token)).json();
  assert.equal(contact.name, "Marta Ruiz");
  assert.equal(contact.email, "marta@example.com");
  assert.equal(contact.phone, "+34600111222");
  assert.deepEqual(contact.fields, { plan: "<b>pro</b>" });
  assert.deepEqual(contact.tags, ["vip"]);
  assert.equal(await panel.getByLabel("Field plan", { exact: true }).inputValue(), "<b>pro</b>");
  assert.equal(await panel.locator("b").count(), 0, "values are text, never markup");

  await panel.getByRole("button", { name: "Remove tag vip" }).click();
  await panel.getByRole("button", { name: "Remove field plan" }).click();
  await panel.getByRole("button", { name: "Save contact" }).click();
  await panel.locator('[data-charla="contact-status"]', { hasText: "Contact saved." }).waitFor();
  await ownerPage.waitForFunction(async ([url, token]) => {
    const c = await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).json();
    return c.tags.length === 0 && Object.keys(c.fields).length === 0;
  }, [`/v1/inbox/contacts/${session.visitor_id}`, owner.token]);

  // Closing: the category is a choice among the workspace's categories, and required.
  await ownerPage.getByRole("button", { name: "Assign to me" }).click();
  await ownerPage.locator('[data-charla="assignee"]', { hasText: "Assigned to you" }).first().waitFor();
  await ownerPage.getByRole("button", { name: "Close conversation" }).click();
  const dialog = ownerPage.getByRole("dialog", { name: "Close conversation" });
  const category = dialog.getByRole("combobox", { name: "Category" });
  await category.waitFor();
  const options = await category.locator("option").allTextContents();
  assert.deepEqual(options, ["Choose a category", "Ventas", "Soporte"]);
  await dialog.getByRole("button", { name: "Confirm close" }).click();
  await dialog.locator('[role="alert"]').waitFor();
  assert.match(await dialog.locator('[role="alert"]').textContent(), /category/i);
  await category.selectOption("Soporte");
  await dialog.getByRole("button", { name: "Confirm close" }).click();
  await dialog.waitFor({ state: "detached" });
  const closed = ownerPage.locator('[data-charla="activity"][data-kind="closed"]');
  await closed.waitFor();
  assert.match(await closed.textContent(), /Category: Soporte/);
  await visitor.close();
});
