// The loader on the host page, in real Chromium against the real worker: nothing of the widget
// is fetched before the visitor shows intent; a click draws a working panel before the widget
// exists, and what the visitor writes there reaches the agent exactly once when it mounts; a
// returning visitor who had the chat open finds it open with the history; a required pre-chat
// form is never bypassed through the plain panel.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge, DEMO } from "../support/edge.mjs";
import { launchBrowser, startDemoSite } from "../support/browser.mjs";
import { agentSocket, api, login } from "../support/clients.mjs";

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

const $ = (page, hook) => page.locator(`[data-charla="${hook}"]`);
const SESSION_KEY = `charla:${DEMO.workspace}:session`;

async function saveSettings(settings) {
  const res = await api(edge, "PUT", "/v1/inbox/settings/widget", owner.token, settings);
  assert.equal(res.status, 200, await res.text());
}

/** Paths requested from the edge, in order. */
function edgeRequests(page) {
  const seen = [];
  page.on("request", (r) => r.url().startsWith(edge.url) && seen.push(new URL(r.url()).pathname));
  return seen;
}

/** Holds the widget's wasm until `release()`: the visitor acts before the widget exists. */
async function holdWasm(ctx) {
  let release;
  const held = new Promise((r) => (release = r));
  await ctx.route(/\/widget\/charla_widget_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

/** What the page's only composer holds and whether it has the focus with the caret at the end. */
const composerState = (page) => page.evaluate(() => {
  const root = document.getElementById("charla-widget").shadowRoot;
  const all = root.querySelectorAll('[data-charla="composer"]');
  const el = all[0];
  return {
    count: all.length,
    value: el.value,
    focused: root.activeElement === el,
    caretAtEnd: el.selectionStart === el.value.length && el.selectionEnd === el.value.length,
  };
});

test("before intent only the loader and its config; hovering the launcher starts the widget, closed", async () => {
  await saveSettings({});
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const requests = edgeRequests(page);
  await page.goto(site.url + "/");
  await $(page, "launcher").waitFor();
  // Long enough for the old idle-time import to have happened.
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(2500);
  assert.deepEqual(requests, ["/loader.js", `/v1/widget/config/${DEMO.workspace}`]);
  assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0);

  await $(page, "launcher").hover();
  await $(page, "panel").waitFor({ state: "attached" });
  assert.deepEqual(requests.slice(2).sort(), ["/widget/charla_widget.js", "/widget/charla_widget_bg.wasm"]);
  assert.equal(await $(page, "panel").isVisible(), false, "hovering opens nothing");
  assert.equal(await $(page, "launcher").getAttribute("aria-expanded"), "false");
  // Nothing is created for a visitor who only hovered.
  assert.ok(!requests.includes("/v1/widget/session"));
  await ctx.close();
});

test("written before the widget mounts: the submitted message is sent exactly once, the rest stays in the composer", async () => {
  await saveSettings({ language: "en" });
  const ctx = await browser.newContext();
  const release = await holdWasm(ctx);
  const page = await ctx.newPage();
  await page.goto(site.url + "/");
  // The click is the first intent (a finger on a phone): the panel is the loader's.
  await $(page, "launcher").click();
  const composer = $(page, "composer");
  await composer.waitFor();
  assert.equal(await $(page, "panel").count(), 0, "the widget is not there yet");
  assert.equal(await $(page, "title").textContent(), "Chat with us");
  assert.equal(await $(page, "launcher").getAttribute("aria-expanded"), "true");
  assert.equal(await $(page, "launcher").getAttribute("aria-label"), "Close chat");
  assert.ok((await composerState(page)).focused, "the composer takes the focus");
  await composer.pressSequentially("Hello, is the blue mug in stock?");
  await composer.press("Enter");
  await composer.pressSequentially("And the red one");
  const pending = page.locator('[data-charla="message"][data-author="contact"][data-pending]');
  assert.deepEqual(await pending.locator('[data-charla="text"]').allTextContents(), ["Hello, is the blue mug in stock?"]);
  assert.deepEqual(await composerState(page), { count: 1, value: "And the red one", focused: true, caretAtEnd: true });
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), SESSION_KEY), null, "nothing sent before the widget");

  release();
  await $(page, "panel").waitFor();
  assert.deepEqual(await composerState(page), { count: 1, value: "And the red one", focused: true, caretAtEnd: true });
  await page.locator('[data-charla="message"][data-author="contact"]:not([data-pending])').waitFor();
  assert.deepEqual(await $(page, "text").allTextContents(), ["Hello, is the blue mug in stock?"]);

  // The agent's side: the conversation holds it once.
  const { conversation_id } = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)), SESSION_KEY);
  const agent = await agentSocket(edge, owner.token, conversation_id);
  try {
    const messages = await agent.sync();
    assert.deepEqual(messages.map((m) => [m.author.kind, m.text]), [["contact", "Hello, is the blue mug in stock?"]]);
  } finally {
    await agent.close();
  }
  // The rest is still the visitor's to send, through the widget now.
  await composer.press("Enter");
  await page.locator('[data-charla="message"][data-author="contact"]:not([data-pending])').nth(1).waitFor();
  assert.deepEqual(await $(page, "text").allTextContents(), ["Hello, is the blue mug in stock?", "And the red one"]);

  // A returning visitor (same tab) who had the chat open: open again at once, with the history.
  await page.reload();
  await $(page, "composer").waitFor();
  assert.equal(await $(page, "launcher").getAttribute("aria-expanded"), "true");
  await page.locator('[data-charla="message"][data-author="contact"]:not([data-pending])').nth(1).waitFor();
  assert.ok(await $(page, "panel").isVisible());
  assert.deepEqual(await $(page, "text").allTextContents(), ["Hello, is the blue mug in stock?", "And the red one"]);
  await ctx.close();
});

test("a press that outlasts the widget's download still opens the chat: the widget mounts after the click", async () => {
  await saveSettings({ language: "en" });
  const ctx = await browser.newContext();
  const release = await holdWasm(ctx);
  const page = await ctx.newPage();
  await page.goto(site.url + "/");
  const box = await $(page, "launcher").boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2); // intent: the download starts
  await page.mouse.down();
  const downloaded = page.waitForResponse((r) => r.url().endsWith("/widget/charla_widget_bg.wasm"));
  release();
  await downloaded;
  // The widget is ready while the button is still held (a slow tap, a cached widget).
  await page.waitForTimeout(1500);
  assert.equal(await $(page, "panel").count(), 0, "the widget waits for the press to end");
  await page.mouse.up();
  await $(page, "panel").waitFor();
  assert.equal(await $(page, "launcher").getAttribute("aria-expanded"), "true");
  await $(page, "composer").waitFor();
  await ctx.close();
});

test("a required pre-chat form: the plain panel offers no composer to get around it", async () => {
  const fields = [{ key: "name", label: "Your name", kind: "name", required: true }];
  await saveSettings({ language: "en", prechat: { enabled: true, fields } });
  try {
    const ctx = await browser.newContext();
    const release = await holdWasm(ctx);
    const page = await ctx.newPage();
    await page.goto(site.url + "/");
    await $(page, "launcher").click();
    await $(page, "greeting").waitFor();
    assert.equal(await $(page, "composer").count(), 0, "nothing to write before the form");
    release();
    await $(page, "prechat").waitFor();
    assert.equal(await $(page, "composer").isVisible(), false);
    await page.getByLabel("Your name").fill("Ana");
    await $(page, "prechat-submit").click();
    await $(page, "composer").waitFor();
    await ctx.close();
  } finally {
    await saveSettings({});
  }
});
