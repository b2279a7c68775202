// Snippets end to end (real Chromium, real workerd): an owner makes a workspace snippet in the
// settings page; in the reply box `/hol` lists it, Enter puts it in with the contact's first
// name and the agent's name filled in (or the fallback for a contact without a name), and the
// visitor's widget shows what was sent. An agent reads the workspace's snippets and keeps her
// own.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { launchBrowser, signIn, startDemoSite } from "../support/browser.mjs";
import { api, login, newVisitor, visitorSocket } from "../support/clients.mjs";

const TEMPLATE = 'Hola {{contact.first_name | "cliente"}}, soy {{agent.name}}';
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

/** The conversation whose last line is `text`, as the owner's list has it. */
async function conversationSaying(owner, text) {
  for (let i = 0; i < 50; i++) {
    const list = await (await api(edge, "GET", "/v1/inbox/conversations", owner.token)).json();
    const found = list.find((c) => c.last_text === text);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no conversation says ${text}`);
}

/** Opens the conversation, waits for its contact, types `/hol` and takes the first row. */
async function insertHola(page, conversationId) {
  await page.locator(`[data-charla="conversation"][data-id="${conversationId}"]`).click();
  await page.locator(`[data-charla="conversation-view"][data-id="${conversationId}"]`).waitFor();
  await page.locator('input[data-charla="contact-name"]').waitFor();
  const reply = page.locator('[data-charla="reply"]');
  await reply.click();
  await page.keyboard.type("/hol");
  const option = page.locator('[data-charla="snippet-option"][data-shortcut="hola"]');
  await option.waitFor();
  assert.equal(await reply.getAttribute("aria-expanded"), "true");
  assert.equal(await reply.getAttribute("aria-activedescendant"), await option.getAttribute("id"));
  await page.keyboard.press("Enter");
  await page.locator('[data-charla="snippet-list"]').waitFor({ state: "detached" });
  assert.equal(await reply.getAttribute("aria-expanded"), "false");
  return reply;
}

test("a / snippet with variables inserts the contact's first name and the agent's name", async () => {
  const owner = await login(edge);
  const agentCtx = await browser.newContext();
  const page = await agentCtx.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await signIn(page, edge);

  // The owner creates the snippet through the settings page.
  await page.goto(`${edge.url}/inbox/#/settings/snippets`);
  const form = page.locator('[data-charla="new-snippet"]');
  await form.waitFor();
  await form.locator('[data-charla="snippet-shortcut"]').fill("hola");
  await form.locator('[data-charla="snippet-text"]').fill(TEMPLATE);
  await form.locator('[data-charla="snippet-save"]').click();
  await page.locator('[data-charla="new-snippet-status"]', { hasText: "/hola" }).waitFor();
  await page.locator('form[data-charla="snippet"]').waitFor();
  const stored = await (await api(edge, "GET", "/v1/inbox/snippets", owner.token)).json();
  assert.deepEqual(stored.map((s) => [s.shortcut, s.text, s.scope]), [["hola", TEMPLATE, "workspace"]]);

  // A visitor chats from the widget; the contact's name is known.
  const visitorCtx = await browser.newContext();
  const visitor = await visitorCtx.newPage();
  await visitor.goto(site.url + "/");
  await visitor.locator('[data-charla="launcher"]').click();
  const composer = visitor.locator('[data-charla="composer"]');
  await composer.waitFor();
  await composer.fill("Buenas, una pregunta");
  await visitor.locator('[data-charla="send"]').click();
  const named = await conversationSaying(owner, "Buenas, una pregunta");
  const patched = await api(edge, "PATCH", `/v1/inbox/contacts/${named.contact_id}`, owner.token, { name: "Lucía Pérez" });
  assert.equal(patched.status, 200, await patched.clone().text());

  await page.goto(`${edge.url}/inbox/#/`);
  const reply = await insertHola(page, named.id);
  const expected = `Hola Lucía, soy ${owner.agent.name}`;
  assert.equal(await reply.inputValue(), expected);
  await page.keyboard.press("Enter");
  await visitor.locator('[data-charla="message"][data-author="agent"] [data-charla="text"]', { hasText: expected }).waitFor();
  assert.equal(await reply.inputValue(), "");

  // A contact without a name gets the fallback, without its quotes.
  const nameless = await visitorSocket(edge, await newVisitor(edge));
  await nameless.say("sin nombre");
  const other = await conversationSaying(owner, "sin nombre");
  const reply2 = await insertHola(page, other.id);
  assert.equal(await reply2.inputValue(), `Hola cliente, soy ${owner.agent.name}`);

  // Escape closes the list and leaves the text; a / inside a word opens nothing.
  await reply2.fill("");
  await page.keyboard.type("/ho");
  await page.locator('[data-charla="snippet-list"]').waitFor();
  await page.keyboard.press("Escape");
  await page.locator('[data-charla="snippet-list"]').waitFor({ state: "detached" });
  assert.equal(await reply2.inputValue(), "/ho");
  await reply2.fill("");
  await page.keyboard.type("y/ho");
  await page.waitForTimeout(200);
  assert.equal(await page.locator('[data-charla="snippet-list"]').count(), 0);

  await nameless.close();
  await visitorCtx.close();
  await agentCtx.close();
});

test("an agent reads the workspace's snippets and keeps personal ones of her own", async () => {
  const owner = await login(edge);
  const inv = await (await api(edge, "POST", "/v1/inbox/invites", owner.token, { email: "eva@example.com", role: "agent" })).json();
  const accepted = await api(edge, "POST", "/v1/auth/accept-invite", null, { workspace_id: "demo", token: inv.token, name: "Eva Gil", password: "una clave larga" });
  assert.equal(accepted.status, 200, await accepted.clone().text());
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, edge, "eva@example.com", "una clave larga");

  await page.locator('[data-charla="snippets-link"]').click();
  await page.locator("#snippets-title").waitFor();
  // The workspace's snippet is there to read, with nothing to edit it with.
  const shared = page.locator('[data-charla="snippet"]', { hasText: "/hola" });
  await shared.waitFor();
  assert.equal(await shared.locator("input, textarea, button").count(), 0);
  assert.equal(await page.locator('[data-charla="snippet-scope"]').count(), 0, "agents make personal snippets only");

  const form = page.locator('[data-charla="new-snippet"]');
  await form.locator('[data-charla="snippet-shortcut"]').fill("firma");
  await form.locator('[data-charla="snippet-text"]').fill("Un saludo, {{agent.first_name}}");
  await form.locator('[data-charla="snippet-save"]').click();
  const mine = page.locator('form[data-charla="snippet"]');
  await mine.waitFor();
  assert.equal(await mine.locator('[data-charla="snippet-shortcut"]').inputValue(), "firma");
  // Nobody else sees it, the owner included.
  const ownerList = await (await api(edge, "GET", "/v1/inbox/snippets", owner.token)).json();
  assert.equal(ownerList.some((s) => s.shortcut === "firma"), false);

  await mine.locator('[data-charla="snippet-delete"]').click();
  await mine.waitFor({ state: "detached" });
  const evaList = await (await api(edge, "GET", "/v1/inbox/snippets", (await login(edge, { email: "eva@example.com", password: "una clave larga" })).token)).json();
  assert.deepEqual(evaList.map((s) => s.shortcut), ["hola"]);
  await ctx.close();
});
