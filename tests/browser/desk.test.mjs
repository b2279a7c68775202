// The agent's desk in a real browser: notifications for an agent whose inbox tab is in the
// background (desktop notification, chime, title count; a click opens the conversation), the
// switches kept on the server, and internal notes with a mention that notify the other agent
// and never reach the visitor's widget.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { launchBrowser, signIn, startDemoSite } from "../support/browser.mjs";
import { agentSocket, api, invitedAgent, json, login, newVisitor, visitorSocket } from "../support/clients.mjs";

let edge, site, browser, owner;
before(async () => {
  edge = await startEdge();
  site = await startDemoSite(edge);
  browser = await launchBrowser();
  owner = await login(edge);
});
after(async () => {
  await browser?.close();
  await site?.stop();
  await edge?.stop();
});

/** Headless Chromium keeps every tab "visible" and shows notifications nowhere, so the page
 *  gets a switch for its visibility (as a background tab reports it) and a record of the
 *  notifications it creates (the real ones are still created) and of the chimes it plays. */
function backgroundable() {
  window.__notes = [];
  window.__chimes = 0;
  const Real = window.Notification;
  if (Real) {
    window.Notification = class extends Real {
      constructor(title, options) {
        super(title, options);
        window.__notes.push({ title, body: options?.body, tag: options?.tag, note: this });
      }
    };
  }
  let hidden = false;
  Object.defineProperty(document, "hidden", { get: () => hidden, configurable: true });
  Object.defineProperty(document, "visibilityState", { get: () => (hidden ? "hidden" : "visible"), configurable: true });
  const hasFocus = Document.prototype.hasFocus;
  Document.prototype.hasFocus = function () { return !hidden && hasFocus.call(this); };
  window.__setHidden = (value) => {
    hidden = value;
    document.dispatchEvent(new Event("visibilitychange"));
  };
  const createOscillator = window.AudioContext?.prototype.createOscillator;
  if (createOscillator) {
    window.AudioContext.prototype.createOscillator = function () {
      window.__chimes += 1;
      return createOscillator.call(this);
    };
  }
}

async function agentPage(email, password) {
  const ctx = await browser.newContext({ permissions: ["notifications"] });
  await ctx.addInitScript(backgroundable);
  const page = await ctx.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await signIn(page, edge, email, password);
  return { ctx, page };
}

const notes = (page) => page.evaluate(() => window.__notes.map(({ title, body, tag }) => ({ title, body, tag })));

async function waitNote(page, pred, what) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = (await notes(page)).find(pred);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no notification: ${what}; have ${JSON.stringify(await notes(page))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("a background-tab agent gets a notification, a chime and a title count for a new chat; the click opens it", async () => {
  const { ctx, page } = await agentPage();
  await page.waitForFunction(() => document.title.includes("Charla inbox"));
  const before = await page.title();
  await page.evaluate(() => window.__setHidden(true));

  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.say("Mi pedido 4411 no llegó");

  const shown = await waitNote(page, (n) => n.tag === session.conversation_id, "new conversation");
  assert.match(shown.title, /^New conversation: /);
  assert.equal(shown.body, "Mi pedido 4411 no llegó");
  assert.ok((await page.evaluate(() => window.__chimes)) >= 1, "a chime played");
  const count = (t) => Number((/^\((\d+)\) /.exec(t) ?? [0, 0])[1]);
  const expected = `(${count(before) + 1}) Charla inbox`;
  await page.waitForFunction((t) => document.title === t, expected);

  // The click brings the tab forward on that conversation.
  await page.evaluate((tag) => window.__notes.find((n) => n.tag === tag).note.dispatchEvent(new Event("click")), session.conversation_id);
  await page.locator(`[data-charla="conversation-view"][data-id="${session.conversation_id}"]`).waitFor();
  await page.evaluate(() => window.__setHidden(false));
  // Read now: the count drops back.
  await page.waitForFunction((t) => document.title === t, before);

  // The agent's own reply, and a message in a conversation nobody assigned to them: no news.
  const quiet = (await notes(page)).length;
  await page.locator('[data-charla="reply"]').fill("Lo reviso ahora");
  await page.locator('[data-charla="send"]').click();
  await page.locator('[data-charla="message"][data-author="agent"]').first().waitFor();
  await visitor.say("gracias");
  await new Promise((r) => setTimeout(r, 800));
  assert.equal((await notes(page)).length, quiet, "nothing while the agent looks at the conversation");

  // Switches are kept by the server: sound off survives a reload.
  await page.goto(`${edge.url}/inbox/#/profile`);
  const sound = page.locator('[data-charla="notify-sound"]');
  await sound.waitFor();
  assert.equal(await sound.isChecked(), true);
  await sound.uncheck();
  await page.getByRole("button", { name: "Save notifications" }).click();
  await page.locator('[data-charla="notify-save-status"]', { hasText: "Saved." }).waitFor();
  await page.reload();
  await page.locator('[data-charla="notify-sound"]').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-charla="notify-sound"]').checked);
  const prefs = await json(await api(edge, "GET", "/v1/inbox/me/notifications", owner.token));
  assert.equal(prefs.sound, false);
  assert.equal(prefs.desktop, true);
  const restored = await api(edge, "PUT", "/v1/inbox/me/notifications", owner.token, { ...prefs, sound: true });
  assert.equal(restored.status, 200);
  await visitor.close();
  await ctx.close();
});

test("an internal note with a mention notifies the other agent and never reaches the visitor", async () => {
  await invitedAgent(edge, owner, "bruno.desk@example.com", "agent", "Bruno Díaz");

  const visitorCtx = await browser.newContext();
  const visitor = await visitorCtx.newPage();
  await visitor.goto(site.url + "/");
  await visitor.locator('[data-charla="launcher"]').click();
  const composer = visitor.locator('[data-charla="composer"]');
  await composer.waitFor();
  await composer.fill("¿Me cobraron dos veces?");
  await composer.press("Enter");
  await visitor.locator('[data-charla="message"][data-author="contact"]:not([data-pending])').first().waitFor();

  const bruno = await agentPage("bruno.desk@example.com", "una clave larga");
  await bruno.page.evaluate(() => window.__setHidden(true));
  const ana = await agentPage();
  await ana.page.locator('[data-charla="conversation"]', { hasText: "dos veces" }).first().click();
  await ana.page.locator('[data-charla="message"][data-author="contact"]').first().waitFor();

  await ana.page.locator('[data-charla="mode-note"]').click();
  assert.equal(await ana.page.locator('form.composer').getAttribute("data-mode"), "note");
  const reply = ana.page.locator('[data-charla="reply"]');
  await reply.fill("NOTA-INTERNA @Bruno Díaz ¿puedes revisar el cobro doble?");
  await reply.press("Enter");
  const card = ana.page.locator('[data-charla="note"]');
  await card.waitFor();
  assert.match(await card.locator('[data-charla="note-text"]').textContent(), /NOTA-INTERNA/);
  assert.match(await card.textContent(), /Mentioned Bruno Díaz/);
  assert.equal(await reply.inputValue(), "", "the box is cleared once the note is stored");

  const mention = await waitNote(bruno.page, (n) => /mentioned you$/.test(n.title), "mention");
  assert.match(mention.body, /NOTA-INTERNA/);
  const conversationId = mention.tag;
  await bruno.page.evaluate((tag) => window.__notes.find((n) => n.tag === tag).note.dispatchEvent(new Event("click")), conversationId);
  await bruno.page.locator(`[data-charla="conversation-view"][data-id="${conversationId}"] [data-charla="note"]`).waitFor();

  // Back to a reply: the visitor gets the reply and nothing of the note, live or after a reload.
  await ana.page.locator('[data-charla="mode-reply"]').click();
  await reply.fill("Ya lo estamos revisando");
  await reply.press("Enter");
  await visitor.locator('[data-charla="message"][data-author="agent"]').first().waitFor();
  const widgetText = () => visitor.locator('[data-charla="message"]').allTextContents();
  assert.ok(!(await widgetText()).join(" ").includes("NOTA-INTERNA"));
  assert.equal(await visitor.locator("text=NOTA-INTERNA").count(), 0);
  // The chat reopens by itself after a reload, with its whole history.
  await visitor.reload();
  await visitor.locator('[data-charla="message"][data-author="agent"]').first().waitFor();
  assert.ok(!(await widgetText()).join(" ").includes("NOTA-INTERNA"));
  for (const c of [visitorCtx, bruno.ctx, ana.ctx]) await c.close();
});

test("search finds a message by an accent-less word, opens the conversation at it, and respects access levels", async () => {
  const lia = await invitedAgent(edge, owner, "lia.desk@example.com", "agent", "Lía Desk");
  assert.equal((await api(edge, "PUT", `/v1/inbox/agents/${lia.agent.id}`, owner.token, { access: "mine_and_unassigned" })).status, 200);
  const open = async (...texts) => {
    const session = await newVisitor(edge);
    const socket = await visitorSocket(edge, session);
    for (const text of texts) await socket.say(text);
    return { id: session.conversation_id, socket };
  };
  const free = await open("Hola", "El TELÉFONO de la tienda no contesta");
  const taken = await open("Otro teléfono roto");
  const staff = await agentSocket(edge, owner.token, taken.id);
  await staff.next((f) => f.type === "timeline");
  staff.send({ type: "action", action: { kind: "assign", agent_id: owner.agent.id } });
  await staff.next((f) => f.type === "activity" && f.event.kind.type === "assigned");

  const ana = await agentPage();
  const box = ana.page.getByRole("searchbox", { name: "Search conversations and messages" });
  // "/" from the list focuses the box.
  await ana.page.locator('[data-charla="messages"], [data-charla="no-conversation"]').first().click();
  await ana.page.keyboard.press("/");
  await ana.page.waitForFunction(() => document.activeElement?.dataset?.charla === "search");
  const hit = (page, id) => page.locator(`[data-charla="search-hit"][data-id="${id}"]`);
  // The index is fed through a queue: type again until both are in.
  for (let i = 0; ; i++) {
    await box.fill("");
    await box.fill("telefono");
    try {
      await hit(ana.page, free.id).waitFor({ timeout: 3_000 });
      await hit(ana.page, taken.id).waitFor({ timeout: 1_000 });
      break;
    } catch (e) {
      if (i > 5) throw e;
    }
  }
  assert.equal(await hit(ana.page, free.id).locator("mark").first().textContent(), "TELÉFONO");
  assert.equal(await hit(ana.page, free.id).getAttribute("data-seq"), "2");
  await hit(ana.page, free.id).click();
  await ana.page.locator(`[data-charla="conversation-view"][data-id="${free.id}"] [data-charla="message"][data-seq="2"][data-found="true"]`).waitFor();
  // Escape brings the list back.
  await box.fill("telefono");
  await box.press("Escape");
  assert.equal(await box.inputValue(), "");
  await ana.page.locator('[data-charla="search-results"]').waitFor({ state: "detached" });

  const liaPage = await agentPage("lia.desk@example.com", "una clave larga");
  const liaBox = liaPage.page.getByRole("searchbox", { name: "Search conversations and messages" });
  await liaBox.fill("telefono");
  await hit(liaPage.page, free.id).waitFor();
  assert.equal(await hit(liaPage.page, taken.id).count(), 0, "someone else's conversation is not found");
  for (const c of [staff, free.socket, taken.socket]) await c.close();
  for (const c of [ana.ctx, liaPage.ctx]) await c.close();
});

test("in an internal note, @ lists the workspace's agents: arrows move, Escape closes, Enter puts @Full Name in", async () => {
  await invitedAgent(edge, owner, "carla.mention@example.com", "agent", "Carla Menéndez");
  await invitedAgent(edge, owner, "carlos.mention@example.com", "agent", "Carlos Ruiz");
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.say("Necesito ayuda con la factura");

  const ana = await agentPage();
  const page = ana.page;
  await page.goto(`${edge.url}/inbox/#/c/${session.conversation_id}`);
  await page.locator('[data-charla="message"][data-author="contact"]').first().waitFor();
  const reply = page.locator('[data-charla="reply"]');
  const list = page.getByRole("listbox", { name: "Agents to mention" });

  // A reply to the visitor mentions nobody: @ opens nothing.
  await reply.click();
  await reply.pressSequentially("@Car");
  await page.waitForTimeout(200);
  assert.equal(await list.count(), 0);
  await reply.fill("");

  await page.locator('[data-charla="mode-note"]').click();
  await reply.click();
  await reply.pressSequentially("Revisa esto @Car");
  await list.waitFor();
  const options = list.getByRole("option");
  assert.deepEqual(await options.allTextContents(), ["@Carla Menéndez", "@Carlos Ruiz"]);
  assert.equal(await reply.getAttribute("aria-expanded"), "true");
  assert.equal(await reply.getAttribute("aria-controls"), "mention-list");
  assert.equal(await reply.getAttribute("aria-activedescendant"), "mention-option-0");
  await reply.press("ArrowDown");
  assert.equal(await reply.getAttribute("aria-activedescendant"), "mention-option-1");
  assert.equal(await options.nth(1).getAttribute("aria-selected"), "true");
  await reply.press("ArrowUp");
  assert.equal(await reply.getAttribute("aria-activedescendant"), "mention-option-0");
  // Escape closes it and leaves the text as typed.
  await reply.press("Escape");
  await list.waitFor({ state: "detached" });
  assert.equal(await reply.inputValue(), "Revisa esto @Car");
  assert.equal(await reply.getAttribute("aria-expanded"), "false");

  // A new @: typing narrows the list, Enter puts the full name in (and sends nothing).
  await reply.pressSequentially(" y @carla");
  await list.waitFor();
  assert.deepEqual(await options.allTextContents(), ["@Carla Menéndez"]);
  await reply.press("Enter");
  await list.waitFor({ state: "detached" });
  assert.equal(await reply.inputValue(), "Revisa esto @Car y @Carla Menéndez ");
  await reply.pressSequentially("por favor");
  await reply.press("Enter");
  const card = page.locator('[data-charla="note"]', { hasText: "por favor" });
  await card.waitFor();
  assert.match(await card.textContent(), /Mentioned Carla Menéndez/);
  await ana.ctx.close();
  await visitor.close();
});
