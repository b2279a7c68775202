// The inbox's "Chat widget" settings page in a real browser against the real worker, and what
// visitors then get on the demo site (its own origin): the snippet for this workspace; colour,
// side, texts and a pre-chat form saved from the page and drawn by the loader and the widget
// on the next page view; allowed origins (another site's origin refuses the demo page,
// removing it restores); input the edge would refuse caught inline before anything is sent;
// the identity secret shown, rotated (old signatures refused, new ones accepted), and the
// page's signing examples computing what the edge verifies.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { runInNewContext } from "node:vm";
import { startEdge, DEMO } from "../support/edge.mjs";
import { launchBrowser, signIn, startDemoSite } from "../support/browser.mjs";
import { api, json, login, newVisitor } from "../support/clients.mjs";

let edge, site, browser, owner, page, puts, inboxErrors;
before(async () => {
  edge = await startEdge();
  site = await startDemoSite(edge);
  browser = await launchBrowser();
  owner = await login(edge);
  page = await (await browser.newContext()).newPage();
  puts = [];
  page.on("request", (r) => r.method() === "PUT" && r.url().endsWith("/v1/inbox/settings/widget") && puts.push(r.postData()));
  inboxErrors = [];
  page.on("pageerror", (e) => inboxErrors.push(e.message));
});
after(async () => {
  await browser?.close();
  await site?.stop();
  await edge?.stop();
});

const $ = (p, hook) => p.locator(`[data-charla="${hook}"]`);
const stored = async () => json(await api(edge, "GET", "/v1/inbox/settings/widget", owner.token));
const rowKeys = () => $(page, "prechat-row").evaluateAll((rows) => rows.map((r) => r.dataset.key));

async function save() {
  await page.getByRole("button", { name: "Save chat widget" }).click();
  await $(page, "widget-status").filter({ hasText: "saved" }).waitFor();
}

/** A visitor's page on the demo site in a fresh browser context, recording console errors. */
async function visitor() {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  const errors = [];
  p.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && errors.push(m.text()));
  p.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  await p.goto(site.url + "/");
  return { ctx, page: p, errors };
}

test("the owner installs, styles and builds a pre-chat form from Settings → Chat widget; visitors get it on their next page view", async () => {
  await signIn(page, edge);
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("link", { name: "Chat widget" }).click();
  await page.waitForURL(/#\/settings\/widget$/);
  await $(page, "settings-widget").waitFor();

  // Install: the tag for this edge and the signed-in workspace.
  const snippet = page.getByLabel("Embed snippet");
  assert.equal(await snippet.inputValue(), `<script async src="${edge.url}/loader.js" data-workspace="${DEMO.workspace}"></script>`);
  assert.equal(await snippet.getAttribute("readonly"), "");

  // Appearance, with the preview following along.
  await page.getByLabel("Launcher label").waitFor();
  await page.getByLabel("Colour hex code").fill("#0F766E");
  assert.equal(await page.getByLabel("Brand colour", { exact: true }).inputValue(), "#0f766e");
  const headerColour = () => $(page, "preview-header").evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.equal(await headerColour(), "rgb(15, 118, 110)");
  await page.getByLabel("Bottom left").check();
  assert.equal(await $(page, "widget-preview").getAttribute("data-position"), "left");
  await page.getByLabel("Launcher label").fill("¿Hablamos?");
  assert.equal(await $(page, "preview-label").textContent(), "¿Hablamos?");
  // The owner's text is text: markup in it is shown, never parsed.
  await page.getByLabel("Header text").fill("Casa <b>Lumbre</b>");
  assert.equal(await $(page, "preview-title").textContent(), "Casa <b>Lumbre</b>");
  assert.equal(await $(page, "preview-title").locator("b").count(), 0);
  // The greeting is a paragraph: its line break is kept.
  await page.getByLabel("Greeting").fill("¡Hola!\nPregúntanos lo que quieras.");
  await page.getByLabel("Typically replies in").selectOption("minutes");
  await page.getByLabel("Language").selectOption("es");
  assert.equal(await $(page, "preview-status").textContent(), "Suele responder en unos minutos");
  await page.getByLabel("Away message").fill("Volvemos el lunes.");

  // Pre-chat: a required custom field (key from its label) and an email field, then reordered.
  await page.getByLabel("Enable pre-chat form").check();
  await page.getByLabel("New pre-chat field label").fill("Order number");
  await page.getByRole("button", { name: "Add text field" }).click();
  const order = page.locator('[data-charla="prechat-row"][data-key="order_number"]');
  await order.waitFor();
  assert.equal(await order.locator('[data-charla="prechat-key"]').textContent(), "order_number");
  assert.equal(await page.getByLabel("New pre-chat field label").inputValue(), "");
  await page.getByLabel("Required: order_number").check();
  await page.getByRole("button", { name: "Add email field" }).click();
  await page.locator('[data-charla="prechat-row"][data-key="email"]').waitFor();
  assert.ok(await page.getByRole("button", { name: "Add email field" }).isDisabled(), "one email field at most");
  assert.deepEqual(await rowKeys(), ["order_number", "email"]);
  await page.getByRole("button", { name: "Move email up" }).click();
  assert.deepEqual(await rowKeys(), ["email", "order_number"]);
  assert.ok(await page.getByRole("button", { name: "Move email up" }).isDisabled());
  await page.getByLabel("Label for email").fill("Tu email");
  await $(page, "widget-unsaved").waitFor();

  await save();
  await $(page, "widget-unsaved").waitFor({ state: "detached" });
  const s = await stored();
  assert.equal(s.brand_color, "#0f766e");
  assert.equal(s.position, "left");
  assert.equal(s.launcher_label, "¿Hablamos?");
  assert.equal(s.header_text, "Casa <b>Lumbre</b>");
  assert.equal(s.greeting, "¡Hola!\nPregúntanos lo que quieras.");
  assert.equal(s.replies_in, "minutes");
  assert.equal(s.language, "es");
  assert.equal(s.away_message, "Volvemos el lunes.");
  assert.deepEqual(s.prechat, {
    enabled: true,
    fields: [
      { key: "email", label: "Tu email", kind: "email", required: false },
      { key: "order_number", label: "Order number", kind: "text", required: true },
    ],
  });

  // Reloaded, the page shows what is stored.
  await page.reload();
  await page.getByLabel("Launcher label").waitFor();
  assert.equal(await page.getByLabel("Launcher label").inputValue(), "¿Hablamos?");
  assert.ok(await page.getByLabel("Bottom left").isChecked());
  assert.ok(await page.getByLabel("Required: order_number").isChecked());
  assert.equal(await page.getByLabel("Language").inputValue(), "es");

  // A visitor's next page view: the loader's launcher on the left, in the colour, with the label.
  const { ctx, page: v, errors } = await visitor();
  const launcher = $(v, "launcher");
  await launcher.waitFor();
  await launcher.focus();
  await $(v, "panel").waitFor({ state: "attached" });
  const box = await launcher.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, right: document.documentElement.clientWidth - r.right, background: getComputedStyle(el).backgroundColor };
  });
  assert.equal(box.left, 20, "on the left");
  assert.equal(box.background, "rgb(15, 118, 110)");
  assert.equal(await launcher.textContent(), "¿Hablamos?");
  await launcher.click();
  assert.equal(await $(v, "title").textContent(), "Casa <b>Lumbre</b>");
  const form = $(v, "prechat");
  await form.waitFor();
  assert.deepEqual(await form.locator("label").allTextContents(), ["Tu email (opcional)", "Order number"]);
  // The required custom field is asked for; the answers land on the contact.
  await $(v, "prechat-submit").click();
  await v.locator('[data-charla="field-error"][data-field="order_number"]').filter({ hasText: "obligatorio" }).waitFor();
  await v.getByLabel("Order number").fill("A-1042");
  await v.getByLabel("Tu email").fill("eva@example.com");
  await $(v, "prechat-submit").click();
  await $(v, "composer").waitFor();
  // innerText follows the CSS: the line break shows as one.
  assert.equal(await $(v, "greeting").evaluate((el) => el.innerText), "¡Hola!\nPregúntanos lo que quieras.");
  await $(v, "composer").fill("¿Dónde está mi pedido?");
  await $(v, "send").click();
  await v.locator('[data-charla="message"][data-author="contact"]:not([data-pending])').waitFor();
  const { visitor_id } = await v.evaluate((k) => JSON.parse(localStorage.getItem(k)), `charla:${DEMO.workspace}:session`);
  const contact = await json(await api(edge, "GET", `/v1/inbox/contacts/${visitor_id}`, owner.token));
  assert.equal(contact.email, "eva@example.com", JSON.stringify(contact));
  assert.equal(contact.fields.order_number, "A-1042");
  assert.deepEqual(errors, []);
  assert.deepEqual(inboxErrors, []);
  await ctx.close();
});

test("input the edge would refuse is caught inline, and nothing is sent", async () => {
  const before = puts.length;
  const problem = (field) => page.locator(`[data-charla="widget-problem"][data-field="${field}"]`);

  // Not an origin: refused where it was typed; the list stays as it was.
  await page.getByLabel("New allowed origin").fill("example.com/path");
  await page.getByRole("button", { name: "Add origin" }).click();
  await $(page, "origin-error").filter({ hasText: "not an origin" }).waitFor();
  assert.equal(await page.getByLabel("New allowed origin").getAttribute("aria-invalid"), "true");
  await page.getByLabel("New allowed origin").fill("https://shop.example.com/cart");
  await page.getByLabel("New allowed origin").press("Enter");
  await $(page, "origin-error").filter({ hasText: "has a path" }).waitFor();
  assert.equal(await $(page, "origin-row").count(), 0);
  await page.getByLabel("New allowed origin").fill("");

  // Over the edge's limits or malformed: shown as typed; Save says so and sends nothing.
  await page.getByLabel("Launcher label").fill("x".repeat(31));
  await problem("launcher_label").filter({ hasText: "at most 30 characters" }).waitFor();
  await page.getByLabel("Colour hex code").fill("#12");
  await problem("brand_color").filter({ hasText: "#4f46e5" }).waitFor();
  await page.getByLabel("Label for email").fill(" ");
  await problem("prechat").filter({ hasText: "needs a label" }).waitFor();
  await page.getByRole("button", { name: "Save chat widget" }).click();
  await $(page, "widget-error").filter({ hasText: "Brand colour" }).waitFor();
  assert.equal(puts.length, before, "nothing was sent");

  // Fixed, the problems go away; the stored settings never changed.
  await page.getByLabel("Launcher label").fill("¿Hablamos?");
  await page.getByLabel("Colour hex code").fill("#0f766e");
  await page.getByLabel("Label for email").fill("Tu email");
  assert.equal(await page.locator('[data-charla="widget-problem"]:visible').count(), 0);
  await $(page, "widget-unsaved").waitFor({ state: "detached" });
  assert.equal((await stored()).launcher_label, "¿Hablamos?");
});

test("allowed origins: another site's origin makes the demo page refuse; removing it restores the chat", async () => {
  await page.getByLabel("New allowed origin").fill("HTTPS://Shop.Example.com/");
  await page.getByRole("button", { name: "Add origin" }).click();
  await page.locator('[data-charla="origin-row"][data-origin="https://shop.example.com"]').waitFor();
  await page.getByLabel("New allowed origin").fill("https://shop.example.com");
  await page.getByRole("button", { name: "Add origin" }).click();
  await $(page, "origin-error").filter({ hasText: "already allowed" }).waitFor();
  assert.equal(await $(page, "origin-row").count(), 1);
  await page.getByLabel("New allowed origin").fill("");
  await save();
  assert.deepEqual((await stored()).allowed_origins, ["https://shop.example.com"]);

  {
    const { ctx, page: v, errors } = await visitor();
    await $(v, "launcher").click();
    await $(v, "unavailable").waitFor();
    assert.equal(await $(v, "status").getAttribute("data-state"), "unavailable");
    assert.equal(await $(v, "prechat").isVisible(), false);
    assert.equal(errors.length, 1, errors.join("\n"));
    assert.match(errors[0], new RegExp(`^charla: origin ${site.url.replace(/[.]/g, "\\.")} is not allowed`));
    await ctx.close();
  }

  await page.getByRole("button", { name: "Remove https://shop.example.com" }).click();
  await $(page, "origins-empty").waitFor();
  await save();
  assert.deepEqual((await stored()).allowed_origins, []);

  const { ctx, page: v, errors } = await visitor();
  await $(v, "launcher").click();
  await v.locator('[data-charla="status"][data-state="online"]').waitFor();
  await $(v, "prechat").waitFor();
  assert.equal(await $(v, "unavailable").isVisible(), false);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("identity: the secret is shown on request and rotated after a confirmation; old signatures are refused, the page's examples sign right", async () => {
  const secretNow = async () => (await json(await api(edge, "GET", "/v1/inbox/settings/identity-secret", owner.token))).secret;
  const secretBox = page.getByLabel("Identity secret");
  assert.equal(await secretBox.count(), 0, "hidden until asked for");
  await page.getByRole("button", { name: "Show secret" }).click();
  await secretBox.waitFor();
  const oldSecret = await secretBox.inputValue();
  assert.match(oldSecret, /^[0-9a-f]{64}$/);
  assert.equal(oldSecret, await secretNow());

  await page.getByLabel("Require identity verification").check();
  await save();
  assert.equal((await stored()).require_identity_verification, true);

  // Dismissed: nothing changes.
  page.once("dialog", (d) => d.dismiss());
  await page.getByRole("button", { name: "Rotate secret" }).click();
  assert.equal(await secretBox.inputValue(), oldSecret);
  assert.equal(await secretNow(), oldSecret);

  let question;
  page.once("dialog", (d) => ((question = d.message()), d.accept()));
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await $(page, "identity-secret-status").filter({ hasText: "New secret" }).waitFor();
  assert.match(question, /^Rotate the identity secret\?/);
  const newSecret = await secretBox.inputValue();
  assert.match(newSecret, /^[0-9a-f]{64}$/);
  assert.notEqual(newSecret, oldSecret);
  assert.equal(newSecret, await secretNow());

  // Identify through the HTTP API, as the widget does.
  const userId = "cliente-42";
  const identify = async (user_hash) => {
    const v = await newVisitor(edge);
    const res = await api(edge, "POST", "/v1/widget/identify", v.token, { user_id: userId, user_hash });
    return { status: res.status, body: await json(res) };
  };
  const sign = (key) => createHmac("sha256", key).update(userId).digest("hex");
  const old = await identify(sign(oldSecret));
  assert.equal(old.status, 403);
  assert.match(old.body.message, /verification failed/);
  assert.equal((await identify()).status, 403, "unsigned, with verification required");

  // The Node example on the page, run as shown, with the new secret in its environment.
  const node = await page.locator('[data-charla="signing-example"][data-lang="node"]').textContent();
  const nodeHash = runInNewContext(`${node}\nuserHash`, {
    require: createRequire(import.meta.url), process: { env: { CHARLA_IDENTITY_SECRET: newSecret } }, userId, String,
  });
  assert.equal(nodeHash, sign(newSecret));
  const signed = await identify(nodeHash);
  assert.equal(signed.status, 200, JSON.stringify(signed.body));
  assert.equal(signed.body.merged, false);

  // The PHP example too, when PHP is installed.
  const php = await page.locator('[data-charla="signing-example"][data-lang="php"]').textContent();
  let phpHash;
  try {
    phpHash = execFileSync("php", ["-r", `$userId = ${JSON.stringify(userId)};\n${php}\necho $userHash;`], {
      env: { ...process.env, CHARLA_IDENTITY_SECRET: newSecret }, encoding: "utf8",
    });
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
  }
  if (phpHash !== undefined) assert.equal(phpHash, sign(newSecret));

  await page.getByRole("button", { name: "Hide secret" }).click();
  await secretBox.waitFor({ state: "detached" });
  await page.getByLabel("Require identity verification").uncheck();
  await save();
  assert.equal((await stored()).require_identity_verification, false);
  assert.deepEqual(inboxErrors, []);
});
