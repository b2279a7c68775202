// End to end in a real browser: the demo site with the snippet, the widget in its shadow root,
// the inbox, the real worker in workerd between them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge, DEMO } from "../support/edge.mjs";
import { launchBrowser, signIn, startDemoSite } from "../support/browser.mjs";

const XSS = "<img src=x onerror=alert(1)>";
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

/** Every page counts JS dialogs: an executed XSS payload would open one. */
async function newPage(context, dialogs) {
  const page = await context.newPage();
  page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
  page.on("pageerror", (e) => console.error("page error:", e.message));
  return page;
}

const messageTexts = (page, author) =>
  page.locator(`[data-charla="message"]${author ? `[data-author="${author}"]` : ""} [data-charla="text"]`).allTextContents();


test("visitor chats with an agent live; history survives reload and navigation; HTML stays text", async () => {
  const dialogs = [];
  const visitorCtx = await browser.newContext();
  const agentCtx = await browser.newContext();
  const visitor = await newPage(visitorCtx, dialogs);
  const agent = await newPage(agentCtx, dialogs);

  await visitor.goto(site.url + "/");
  const launcher = visitor.locator('[data-charla="launcher"]');
  await launcher.waitFor();
  // Privacy: nothing stored and no cookie before the visitor opens the chat.
  assert.equal(await visitor.evaluate(() => localStorage.length + sessionStorage.length), 0);
  assert.deepEqual(await visitorCtx.cookies(), []);

  await launcher.click();
  const composer = visitor.locator('[data-charla="composer"]');
  await composer.waitFor();
  await composer.fill("Hola, ¿hacen envíos a Monterrey?");
  await visitor.locator('[data-charla="send"]').click();
  await visitor.locator('[data-charla="message"][data-author="contact"]:not([data-pending])').first().waitFor();

  await signIn(agent, edge);
  const item = agent.locator('[data-charla="conversation"]').first();
  await item.waitFor();
  assert.match(await item.textContent(), /Monterrey/);
  await item.click();
  await agent.locator('[data-charla="message"][data-author="contact"]').first().waitFor();
  assert.deepEqual(await messageTexts(agent, "contact"), ["Hola, ¿hacen envíos a Monterrey?"]);

  // The agent replies; the visitor sees it live.
  await agent.locator('[data-charla="reply"]').fill("¡Sí! Llega en 3 días.");
  await agent.locator('[data-charla="send"]').click();
  await visitor.locator('[data-charla="message"][data-author="agent"]').first().waitFor();
  assert.deepEqual(await messageTexts(visitor, "agent"), ["¡Sí! Llega en 3 días."]);

  // The visitor's next message reaches the agent live.
  await composer.fill(XSS);
  await composer.press("Enter");
  await agent.locator('[data-charla="message"][data-author="contact"]').nth(1).waitFor();
  assert.deepEqual(await messageTexts(agent, "contact"), ["Hola, ¿hacen envíos a Monterrey?", XSS]);
  await visitor.locator('[data-charla="message"][data-author="contact"]:not([data-pending])').nth(1).waitFor();
  assert.deepEqual(await messageTexts(visitor, "contact"), ["Hola, ¿hacen envíos a Monterrey?", XSS]);
  // Rendered as text in both UIs: no element was created from it, nothing ran.
  for (const page of [visitor, agent]) {
    assert.equal(await page.locator('[data-charla="message"] img').count(), 0);
  }

  // Reload: the chat reopens with the whole history.
  await visitor.reload();
  await visitor.locator('[data-charla="message"]').nth(2).waitFor();
  assert.deepEqual(await messageTexts(visitor), ["Hola, ¿hacen envíos a Monterrey?", "¡Sí! Llega en 3 días.", XSS]);

  // Navigation to another page of the site keeps the chat open and the conversation.
  await visitor.goto(site.url + "/about.html");
  await visitor.locator('[data-charla="message"]').nth(2).waitFor();
  assert.ok(await visitor.locator('[data-charla="panel"]').isVisible());

  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(dialogs, [], "no script from a message ever ran");
  await visitorCtx.close();
  await agentCtx.close();
});

test("read receipts both ways: the visitor sees «Visto», the agent sees «Seen»; a turn of replies names its agent once", async () => {
  const dialogs = [];
  const visitorCtx = await browser.newContext({ locale: "es-ES" });
  const agentCtx = await browser.newContext();
  const visitor = await newPage(visitorCtx, dialogs);
  const agent = await newPage(agentCtx, dialogs);

  await visitor.goto(site.url + "/");
  await visitor.locator('[data-charla="launcher"]').click();
  const composer = visitor.locator('[data-charla="composer"]');
  await composer.fill("¿Tienen la talla M?");
  await composer.press("Enter");
  const mine = visitor.locator('[data-charla="message"][data-author="contact"]:not([data-pending])');
  await mine.first().waitFor();
  assert.equal(await visitor.locator('[data-charla="seen"]').count(), 0, "nobody has read it yet");

  // The agent opens the conversation: reading it puts "Visto" under the visitor's message.
  await signIn(agent, edge);
  await agent.locator('[data-charla="conversation"]', { hasText: "talla M" }).first().click();
  await agent.locator('[data-charla="message"][data-author="contact"]').first().waitFor();
  await mine.first().locator('[data-charla="seen"]').waitFor();
  assert.equal(await mine.first().locator('[data-charla="seen"]').textContent(), "Visto");

  // Two replies in one turn: the first names the agent (first name and initials), the second does not.
  for (const text of ["¡Sí, la tenemos!", "¿Te la envío hoy?"]) {
    await agent.locator('[data-charla="reply"]').fill(text);
    await agent.locator('[data-charla="send"]').click();
  }
  const replies = visitor.locator('[data-charla="message"][data-author="agent"]');
  await replies.nth(1).waitFor();
  assert.equal(await replies.nth(0).locator('[data-charla="author"]').textContent(), "DADemo");
  assert.equal(await replies.nth(1).locator('[data-charla="author"]').count(), 0);

  // The visitor has the chat open, so the replies are read: "Seen" under the agent's last one.
  const sent = agent.locator('[data-charla="message"][data-author="agent"]');
  await sent.last().locator('[data-charla="seen"]').waitFor();
  assert.equal(await agent.locator('[data-charla="seen"]').count(), 1);
  assert.match(await sent.last().textContent(), /¿Te la envío hoy\?/);

  // After a reload the marks come back with the hello.
  await visitor.reload();
  await visitor.locator('[data-charla="message"][data-author="contact"] [data-charla="seen"]').waitFor();
  assert.deepEqual(dialogs, []);
  await visitorCtx.close();
  await agentCtx.close();
});

test("inbox without a session shows sign-in and wrong passwords are refused", async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${edge.url}/inbox/`);
  await page.getByLabel("Email").fill(DEMO.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText(/invalid credentials|credentials/i).first().waitFor();
  assert.equal(await page.locator('[data-charla="conversation-list"]').count(), 0);
  await ctx.close();
});

test("a widget whose stored token the edge refuses starts a new session instead of retrying forever", async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(site.url + "/");
  // A session signed with another secret (e.g. before a rotation) and the panel left open.
  await page.evaluate(() => {
    localStorage.setItem("charla:demo:session", JSON.stringify({ visitor_id: "v_old", conversation_id: "c_old", token: "eyJrIjoidmlzaXRvciJ9.c2lnbmF0dXJl" }));
    sessionStorage.setItem("charla:demo:open", "1");
  });
  await page.reload();
  await page.locator('[data-charla="status"][data-state="online"]').waitFor({ timeout: 20_000 });
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("charla:demo:session")));
  assert.notEqual(stored.visitor_id, "v_old");
  await page.locator('[data-charla="composer"]').fill("¿sigue ahí?");
  await page.locator('[data-charla="send"]').click();
  await page.locator('[data-charla="message"][data-author="contact"]:not([data-pending])').first().waitFor();
  await ctx.close();
});
