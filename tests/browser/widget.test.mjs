// The visitor side of the widget settings, in a real browser against the real worker: the
// owner's brand colour, side, language and texts applied by the loader and the widget; the
// translations and setLocale; the pre-chat form (checked in the browser, refusals shown inline,
// answers stored on the contact); the page's JavaScript API (queue before load, events, reset);
// identify (a forged HMAC refused, a good one merging into the known user's conversation) and a
// disallowed origin.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { startEdge, DEMO } from "../support/edge.mjs";
import { launchBrowser, startDemoSite } from "../support/browser.mjs";
import { agentSocket, api, inboxSocket, login } from "../support/clients.mjs";

const SESSION_KEY = `charla:${DEMO.workspace}:session`;
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

async function saveSettings(settings) {
  const res = await api(edge, "PUT", "/v1/inbox/settings/widget", owner.token, settings);
  const body = await res.text();
  assert.equal(res.status, 200, body);
  return JSON.parse(body);
}

/** A page that records console errors and page errors (and fails on none by itself). */
async function open(ctx, path = "/") {
  const page = await ctx.newPage();
  const errors = [];
  // Chromium also logs every 4xx answer ("Failed to load resource"); only ours count here.
  page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  await page.goto(site.url + path);
  return { page, errors };
}

const $ = (page, hook) => page.locator(`[data-charla="${hook}"]`);
const storedSession = (page) => page.evaluate((k) => JSON.parse(localStorage.getItem(k)), SESSION_KEY);
const texts = (page) => page.locator('[data-charla="message"] [data-charla="text"]').allTextContents();
/** Wait until the page's charla events include one matching `pred`. */
const eventSeen = (page, name, pred = "true") =>
  page.waitForFunction(([name, pred]) => window.charlaEvents.some(([n, d]) => n === name && new Function("d", `return ${pred}`)(d)), [name, pred]);

async function launcherBox(page) {
  return $(page, "launcher").evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, right: document.documentElement.clientWidth - r.right, background: getComputedStyle(el).backgroundColor, color: getComputedStyle(el).color };
  });
}

test("settings: brand colour, left side, label and Spanish from the loader, before the wasm; the widget's texts; setLocale", async () => {
  await saveSettings({
    brand_color: "#0F766E", position: "left", language: "es", launcher_label: "¿Hablamos?",
    greeting: "¡Bienvenida a <b>Casa Lumbre</b>!", replies_in: "minutes",
  });
  // An agent with the inbox open: the workspace is online and shows who answers.
  const inbox = await inboxSocket(edge, owner.token);
  try {
    // Without the widget at all: the loader alone draws the owner's launcher.
    const bare = await browser.newContext();
    await bare.route(/\/widget\/charla_widget/, (r) => r.abort());
    const { page: placeholder } = await open(bare);
    await $(placeholder, "launcher").waitFor();
    const drawn = await launcherBox(placeholder);
    assert.equal(drawn.left, 20, "on the left");
    assert.equal(drawn.background, "rgb(15, 118, 110)");
    assert.equal(drawn.color, "rgb(255, 255, 255)");
    assert.equal(await $(placeholder, "launcher").textContent(), "¿Hablamos?");
    assert.equal(await placeholder.evaluate(() => localStorage.length + sessionStorage.length), 0);
    await bare.close();

    const ctx = await browser.newContext({ locale: "en-US" });
    const { page, errors } = await open(ctx);
    // The visitor's intent (here: the launcher takes focus) brings the widget, still closed.
    await $(page, "launcher").focus();
    await $(page, "panel").waitFor({ state: "attached" });
    const mounted = await launcherBox(page);
    assert.deepEqual(mounted, drawn, "the widget's launcher is the loader's");
    assert.equal(await $(page, "launcher").textContent(), "¿Hablamos?");
    await $(page, "launcher").click();
    await page.locator('[data-charla="status"][data-state="online"]').waitFor();
    // Spanish by the workspace's setting, whatever the browser prefers.
    assert.equal(await $(page, "title").textContent(), "Chatea con nosotros");
    assert.equal(await $(page, "status").textContent(), "Suele responder en unos minutos");
    assert.equal(await $(page, "composer").getAttribute("placeholder"), "Escribe un mensaje…");
    assert.equal(await $(page, "launcher").getAttribute("aria-label"), "Cerrar chat");
    // The owner's greeting, as text: their markup is not markup.
    assert.equal(await $(page, "greeting").textContent(), "¡Bienvenida a <b>Casa Lumbre</b>!");
    assert.equal(await $(page, "greeting").locator("b").count(), 0);
    assert.match(await $(page, "agents").textContent(), /^[A-Z]{1,2}$/, "the online agent's initials");
    assert.equal(await $(page, "away").count(), 0);
    const panel = await $(page, "panel").evaluate((el) => ({ left: el.getBoundingClientRect().left, header: getComputedStyle(el.firstElementChild).backgroundColor }));
    assert.deepEqual(panel, { left: 20, header: "rgb(15, 118, 110)" });
    assert.equal(await page.evaluate(() => document.getElementById("charla-widget").lang), "es");

    await page.evaluate(() => window.charla("setLocale", "en"));
    await page.waitForFunction(() => document.getElementById("charla-widget").lang === "en");
    assert.equal(await $(page, "title").textContent(), "Chat with us");
    assert.equal(await $(page, "status").textContent(), "Typically replies in a few minutes");
    assert.equal(await $(page, "composer").getAttribute("placeholder"), "Write a message…");
    assert.equal(await $(page, "greeting").textContent(), "¡Bienvenida a <b>Casa Lumbre</b>!", "the owner's text is not translated");
    await page.evaluate(() => window.charla("setLocale", "es-MX"));
    await $(page, "title").filter({ hasText: "Chatea con nosotros" }).waitFor();
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    await inbox.close();
  }
  // The inbox is closed: nobody is online once the workspace has seen the socket go.
  for (let i = 0; i < 100; i++) {
    const config = await (await fetch(`${edge.url}/v1/widget/config/${DEMO.workspace}`)).json();
    if (!config.online) break;
    await new Promise((r) => setTimeout(r, 100));
  }

  // Nobody online, language "auto": the browser's languages decide; the away message shows.
  await saveSettings({ language: "auto", away_message: "Volvemos el lunes." });
  for (const [locale, title, away] of [["es-ES", "Chatea con nosotros", "Volvemos el lunes."], ["fr-FR", "Chat with us", "Volvemos el lunes."]]) {
    const ctx = await browser.newContext({ locale });
    const { page } = await open(ctx);
    await $(page, "launcher").focus();
    await $(page, "panel").waitFor({ state: "attached" });
    assert.equal((await launcherBox(page)).right, 20, "back on the right");
    await $(page, "launcher").click();
    await page.locator('[data-charla="status"][data-state="online"]').waitFor();
    assert.equal(await $(page, "title").textContent(), title, locale);
    assert.equal(await $(page, "away").textContent(), away);
    assert.equal(await $(page, "agents").count(), 0);
    await ctx.close();
  }
});

test("pre-chat form: checked in the browser, refusals inline, answers on the contact, asked once", async () => {
  const fields = [
    { key: "name", label: "Your name", kind: "name", required: true },
    { key: "email", label: "Email", kind: "email", required: true },
    { key: "phone", label: "Phone", kind: "phone", required: false },
  ];
  await saveSettings({ language: "en", prechat: { enabled: true, fields } });
  const ctx = await browser.newContext();
  const { page, errors } = await open(ctx);
  const posted = [];
  page.on("request", (r) => r.url().endsWith("/v1/widget/prechat") && posted.push(r.postData()));
  await $(page, "launcher").click();
  const form = $(page, "prechat");
  await form.waitFor();
  assert.equal(await $(page, "composer").isVisible(), false, "no composer before the answers");
  assert.deepEqual(await form.locator("label").allTextContents(), ["Your name", "Email", "Phone (optional)"]);

  const error = (key) => page.locator(`[data-charla="field-error"][data-field="${key}"]`);
  await page.getByLabel("Your name").fill("Ana García");
  await page.getByLabel("Email").fill("ana@example");
  await page.getByLabel(/Phone/).fill("600 111 222");
  await $(page, "prechat-submit").click();
  await error("email").filter({ hasText: "Enter a valid email address" }).waitFor();
  assert.match(await error("phone").textContent(), /country code.*\+34600111222/);
  assert.equal(await error("name").textContent(), "");
  assert.equal(await page.getByLabel("Email").getAttribute("aria-invalid"), "true");
  assert.deepEqual(posted, [], "nothing sent while the answers are wrong");

  await page.getByLabel("Email").fill("ana@example.com");
  await page.getByLabel(/Phone/).fill("+34 600-111-222");
  await $(page, "prechat-submit").click();
  await $(page, "composer").waitFor();
  assert.equal(await form.isVisible(), false);
  assert.equal(posted.length, 1);
  await $(page, "composer").fill("Hola, ¿tienen la taza en azul?");
  await $(page, "send").click();
  await page.locator('[data-charla="message"][data-author="contact"]:not([data-pending])').waitFor();

  const { visitor_id } = await storedSession(page);
  const contact = await (await api(edge, "GET", `/v1/inbox/contacts/${visitor_id}`, owner.token)).json();
  assert.equal(contact.name, "Ana García");
  assert.equal(contact.email, "ana@example.com");
  assert.equal(contact.phone, "+34600111222");

  // Answered for this session: not asked again (the chat reopens, the widget's own panel).
  await page.reload();
  await $(page, "panel").waitFor();
  await $(page, "composer").waitFor();
  assert.equal(await form.isVisible(), false);
  assert.deepEqual(errors, []);
  await ctx.close();

  // The owner makes the phone required while a visitor has the old form open: the edge's
  // refusal lands on the phone field, translated.
  const ctx2 = await browser.newContext();
  const { page: late } = await open(ctx2);
  await $(late, "launcher").click();
  await $(late, "prechat").waitFor();
  await late.evaluate(() => window.charla("setLocale", "es"));
  await saveSettings({ language: "en", prechat: { enabled: true, fields: fields.map((f) => ({ ...f, required: true })) } });
  await late.getByLabel("Your name").fill("Luis");
  await late.getByLabel("Email").fill("luis@example.com");
  await $(late, "prechat-submit").click();
  await late.locator('[data-charla="field-error"][data-field="phone"]').filter({ hasText: "Este campo es obligatorio." }).waitFor();
  assert.equal(await $(late, "composer").isVisible(), false);
  await ctx2.close();
  await saveSettings({});
});

test("JS API: calls queued before the loader, events, hide/show, reset forgets the visitor", async () => {
  await saveSettings({});
  const ctx = await browser.newContext();
  const { page, errors } = await open(ctx, "/js-api.html?open");
  // charla("open") was queued by the page before the loader ran: the chat opens by itself.
  await $(page, "panel").waitFor();
  await eventSeen(page, "ready");
  await eventSeen(page, "open");
  await page.locator('[data-charla="status"][data-state="online"]').waitFor();
  const first = await storedSession(page);
  await $(page, "composer").fill("Hola");
  await $(page, "send").click();
  await page.locator('[data-charla="message"][data-author="contact"]:not([data-pending])').waitFor();

  const agent = await agentSocket(edge, owner.token, first.conversation_id);
  try {
    await agent.say("¡Hola! ¿En qué te ayudo?");
    await eventSeen(page, "message", 'd.text === "¡Hola! ¿En qué te ayudo?" && d.seq === 2 && typeof d.author === "string"');
    // Only agents' messages, and only new ones: not the visitor's own, not the history.
    assert.equal(await page.evaluate(() => charlaEvents.filter(([n]) => n === "message").length), 1);
    // Read while open: no unread count.
    assert.ok(!(await page.evaluate(() => charlaEvents.some(([n, d]) => n === "unread-count-changed" && d > 0))));

    await page.getByRole("button", { name: "Close", exact: true }).click();
    await eventSeen(page, "close");
    await agent.say("¿Sigues ahí?");
    await eventSeen(page, "unread-count-changed", "d === 1");
    await $(page, "badge").filter({ hasText: "1" }).waitFor();
    await page.getByRole("button", { name: "Open", exact: true }).click();
    await eventSeen(page, "unread-count-changed", "d === 0");

    // Launcher hidden and shown by the page; the chat itself still opens.
    await page.getByRole("button", { name: "Hide launcher" }).click();
    await $(page, "launcher").waitFor({ state: "hidden" });
    assert.ok(await $(page, "panel").isVisible());
    await page.getByRole("button", { name: "Show launcher" }).click();
    await $(page, "launcher").waitFor();

    // Handlers that throw or misuse the API do not break the widget.
    await page.evaluate(() => {
      charla("on", "close", () => { throw new Error("a broken handler"); });
      charla("nonsense");
    });
    await eventSeen(page, "error", 'd.source === "api" && /nonsense/.test(d.message)');

    // Log out: the visitor is forgotten and the chat closes; opening again is someone new.
    await page.getByRole("button", { name: "Log out (reset)" }).click();
    await $(page, "panel").waitFor({ state: "hidden" });
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), SESSION_KEY), null);
    assert.deepEqual(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("charla:"))), []);
    assert.equal(await $(page, "message").count(), 0, "the old conversation is gone from the screen");
    await page.getByRole("button", { name: "Open", exact: true }).click();
    await page.locator('[data-charla="status"][data-state="online"]').waitFor();
    await page.waitForFunction((k) => localStorage.getItem(k) !== null, SESSION_KEY);
    const second = await storedSession(page);
    assert.notEqual(second.visitor_id, first.visitor_id);
    assert.notEqual(second.conversation_id, first.conversation_id);
    assert.equal(await $(page, "message").count(), 0);
  } finally {
    await agent.close();
  }
  assert.deepEqual(errors.filter((e) => !/charla: (unknown command|a handler)/.test(e)), []);
  await ctx.close();
});

test("identify: remembered until the session exists, a forged HMAC refused, a good one merges into the user's conversation", async () => {
  await saveSettings({ require_identity_verification: true });
  const { secret } = await (await api(edge, "GET", "/v1/inbox/settings/identity-secret", owner.token)).json();
  const userId = "user-4821";
  const hash = createHmac("sha256", secret).update(userId).digest("hex");

  // First device: the page identifies the user on every load, before the widget exists.
  const a = await browser.newContext();
  await a.addInitScript(([userId, hash]) => {
    window.charla = window.charla || function () { (charla.q = charla.q || []).push(arguments); };
    charla("identify", { user_id: userId, user_hash: hash, name: "Marta Ruiz", email: "marta@example.com", attributes: { plan: "pro", orders: 3 } });
  }, [userId, hash]);
  const { page: pa, errors: errorsA } = await open(a);
  await $(pa, "launcher").click();
  await $(pa, "composer").fill("Hola, soy Marta");
  await $(pa, "send").click();
  await pa.locator('[data-charla="message"][data-author="contact"]:not([data-pending])').waitFor();
  const sessionA = await storedSession(pa);
  // Identified right after the session was created.
  let contact;
  for (let i = 0; i < 50 && !contact?.fields?.user_id; i++) {
    contact = await (await api(edge, "GET", `/v1/inbox/contacts/${sessionA.visitor_id}`, owner.token)).json();
    if (!contact?.fields?.user_id) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(contact.fields.user_id, userId);
  assert.equal(contact.fields.plan, "pro");
  assert.equal(contact.fields.orders, "3");
  assert.equal(contact.name, "Marta Ruiz");
  assert.deepEqual(errorsA, []);

  // Second device: a fresh visitor with a forged hash is refused, loudly but harmlessly.
  const b = await browser.newContext();
  const { page: pb, errors: errorsB } = await open(b, "/js-api.html");
  await $(pb, "launcher").click();
  await pb.locator('[data-charla="status"][data-state="online"]').waitFor();
  const before = await storedSession(pb);
  await pb.evaluate((userId) => charla("identify", { user_id: userId, user_hash: "00".repeat(32) }), userId);
  await eventSeen(pb, "error", 'd.source === "identify" && d.code === "forbidden"');
  assert.ok(errorsB.some((e) => /^charla: identity verification failed/.test(e)), errorsB.join("\n"));
  assert.deepEqual(await storedSession(pb), before, "the session is untouched");
  await $(pb, "composer").fill("sigo aquí");
  await $(pb, "send").click();
  await pb.locator('[data-charla="message"][data-author="contact"]:not([data-pending])').waitFor();

  // The real user logs in there: the widget switches to their conversation, history included.
  await pb.evaluate(([userId, hash]) => charla("identify", { user_id: userId, user_hash: hash }), [userId, hash]);
  await pb.waitForFunction(([k, v]) => JSON.parse(localStorage.getItem(k)).visitor_id === v, [SESSION_KEY, sessionA.visitor_id]);
  await pb.locator('[data-charla="message"]', { hasText: "Hola, soy Marta" }).waitFor();
  assert.deepEqual(await texts(pb), ["Hola, soy Marta"]);
  assert.equal((await storedSession(pb)).conversation_id, sessionA.conversation_id);
  // And it chats there: the first device sees it.
  await $(pb, "composer").fill("Ahora desde el móvil");
  await $(pb, "send").click();
  await pa.locator('[data-charla="message"]', { hasText: "Ahora desde el móvil" }).waitFor();
  assert.deepEqual(errorsB.filter((e) => !/identity verification failed/.test(e)), []);
  await a.close();
  await b.close();
  await saveSettings({});
});

test("a disallowed origin: the reason in the console, nothing stored, the panel says the chat is unavailable", async () => {
  await saveSettings({ allowed_origins: ["https://shop.example.com"] });
  try {
    const ctx = await browser.newContext();
    const { page, errors } = await open(ctx);
    await $(page, "launcher").click();
    await $(page, "unavailable").waitFor();
    assert.equal(await $(page, "status").getAttribute("data-state"), "unavailable");
    assert.equal(await $(page, "composer").isVisible(), false);
    assert.equal(errors.length, 1, errors.join("\n"));
    assert.match(errors[0], new RegExp(`^charla: origin ${site.url.replace(/[.]/g, "\\.")} is not allowed`));
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), SESSION_KEY), null);
    await ctx.close();
  } finally {
    await saveSettings({});
  }
});
