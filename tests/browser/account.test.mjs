// Accounts in a real browser: an agent changes their name and password on their profile page
// and signs in with the new password; an owner deactivates an agent whose inbox is open in
// another browser, which is signed out at once; an owner makes a password-reset link and the
// agent uses it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { launchBrowser, signIn } from "../support/browser.mjs";
import { api, login, invitedAgent } from "../support/clients.mjs";

let edge, browser, owner;
before(async () => {
  edge = await startEdge();
  browser = await launchBrowser();
  owner = await login(edge);
});
after(async () => {
  await browser?.close();
  await edge?.stop();
});

const signInForm = (page) => page.getByRole("button", { name: "Sign in" });

test("an agent changes their name and password on their profile page, then signs in with it", async () => {
  await invitedAgent(edge, owner, "sara@example.com", "agent", "Sara");
  const page = await (await browser.newContext()).newPage();
  await signIn(page, edge, "sara@example.com", "una clave larga");
  await page.locator('[data-charla="agent"]').click();
  await page.getByRole("heading", { name: "Your details" }).waitFor();

  await page.getByLabel("Your name").fill("Sara Ruiz");
  await page.getByRole("button", { name: "Save name" }).click();
  await page.locator('[data-charla="agent"]', { hasText: "Sara Ruiz" }).waitFor();
  await page.locator('[data-charla="name-status"]', { hasText: "Sara Ruiz" }).waitFor();
  assert.equal(await page.getByLabel("Your name").inputValue(), "Sara Ruiz");

  // A wrong current password is named as such, and the agent stays signed in.
  await page.getByLabel("Current password").fill("no es la clave");
  await page.getByLabel("New password (10 characters or more)").fill("clave nueva y larga");
  await page.getByLabel("Repeat the new password").fill("clave nueva y larga");
  await page.getByRole("button", { name: "Change password" }).click();
  const wrong = page.locator('[data-charla="password-error"]');
  await wrong.waitFor();
  assert.match(await wrong.textContent(), /current password/);
  assert.equal(await wrong.getAttribute("role"), "alert");

  await page.getByLabel("Current password").fill("una clave larga");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.locator('[data-charla="password-status"]', { hasText: "Password changed" }).waitFor();
  await page.locator('[data-charla="agent"]', { hasText: "Sara Ruiz" }).waitFor();
  // Still signed in (the new session), on the profile page.
  await page.waitForTimeout(1_500);
  assert.equal(await signInForm(page).count(), 0, "the agent's own inbox stays signed in");

  await page.locator('[data-charla="sign-out"]').click();
  await signInForm(page).waitFor();
  await signIn(page, edge, "sara@example.com", "clave nueva y larga");
  await page.locator('[data-charla="agent"]', { hasText: "Sara Ruiz" }).waitFor();
  await page.context().close();
});

test("an owner deactivates an agent whose inbox is open elsewhere: that inbox is signed out", async () => {
  await invitedAgent(edge, owner, "tino@example.com", "agent", "Tino");
  const agentPage = await (await browser.newContext()).newPage();
  await signIn(agentPage, edge, "tino@example.com", "una clave larga");
  await agentPage.locator('[data-charla="status"][data-state="online"]').waitFor();

  const ownerPage = await (await browser.newContext()).newPage();
  await signIn(ownerPage, edge);
  await ownerPage.getByRole("link", { name: "Settings" }).click();
  const row = ownerPage.locator('[data-charla="agent-row"]', { hasText: "tino@example.com" });
  await row.waitFor();
  await ownerPage.getByRole("button", { name: "Deactivate Tino" }).click();
  // Nothing happens before the confirmation.
  await ownerPage.getByRole("group", { name: "Deactivate Tino" }).waitFor();
  await row.locator('[data-charla="confirm-deactivate"]').click();
  await row.locator('[data-charla="account-status"]', { hasText: "deactivated" }).waitFor();
  await row.locator('[data-charla="agent-presence"]', { hasText: "Deactivated" }).waitFor();

  await signInForm(agentPage).waitFor({ timeout: 15_000 });
  const refused = await api(edge, "POST", "/v1/auth/login", null, { workspace_id: "demo", email: "tino@example.com", password: "una clave larga" });
  assert.equal(refused.status, 401);

  await ownerPage.getByRole("button", { name: "Reactivate Tino" }).click();
  await row.locator('[data-charla="agent-presence"]', { hasText: "Offline" }).waitFor();
  await signIn(agentPage, edge, "tino@example.com", "una clave larga");
  await agentPage.context().close();
  await ownerPage.context().close();
});

test("an owner makes a password-reset link; the agent uses it once and is signed in", async () => {
  await invitedAgent(edge, owner, "uma@example.com", "agent", "Uma");
  const ownerPage = await (await browser.newContext()).newPage();
  await signIn(ownerPage, edge);
  await ownerPage.getByRole("link", { name: "Settings" }).click();
  const row = ownerPage.locator('[data-charla="agent-row"]', { hasText: "uma@example.com" });
  await row.waitFor();
  await ownerPage.getByRole("button", { name: "Password reset link for Uma" }).click();
  const box = row.locator('[data-charla="reset-link"]');
  await box.waitFor();
  const link = await box.inputValue();
  assert.match(link, new RegExp(`^${edge.url}/inbox/#/reset/demo/\\w+$`));

  const agentPage = await (await browser.newContext()).newPage();
  await agentPage.goto(link);
  await agentPage.getByRole("heading", { name: "Choose a new password" }).waitFor();
  await agentPage.getByLabel("New password", { exact: true }).fill("clave de Uma nueva");
  await agentPage.getByLabel("Repeat the new password").fill("otra cosa distinta");
  await agentPage.getByRole("button", { name: "Set password and sign in" }).click();
  await agentPage.locator('[data-charla="reset-error"]', { hasText: "not the same" }).waitFor();
  await agentPage.getByLabel("Repeat the new password").fill("clave de Uma nueva");
  await agentPage.getByRole("button", { name: "Set password and sign in" }).click();
  await agentPage.locator('[data-charla="conversation-list"]').waitFor();
  await agentPage.locator('[data-charla="agent"]', { hasText: "Uma" }).waitFor();
  assert.equal((await login(edge, { email: "uma@example.com", password: "clave de Uma nueva" })).agent.name, "Uma");

  // The link is spent: opened again, it says so.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await again.getByLabel("New password", { exact: true }).fill("una tercera clave");
  await again.getByLabel("Repeat the new password").fill("una tercera clave");
  await again.getByRole("button", { name: "Set password and sign in" }).click();
  const error = again.locator('[data-charla="reset-error"]');
  await error.waitFor();
  assert.match(await error.textContent(), /already used|expired/);
  for (const p of [ownerPage, agentPage, again]) await p.context().close();
});
