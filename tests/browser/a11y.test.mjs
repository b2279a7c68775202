// Accessibility: axe-core (npm, pinned in package-lock.json) run inside real Chromium over the
// visitor widget (its open shadow root included) and every page of the agents' inbox, against
// the WCAG 2.0/2.1 A and AA rules. A violation fails with the rule, the element and axe's help
// text, so the fix is where the message points.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { startEdge, DEMO } from "../support/edge.mjs";
import { launchBrowser, signIn, startDemoSite } from "../support/browser.mjs";
import { agentSocket, api, json, login, invitedAgent } from "../support/clients.mjs";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

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

/** Files the agent sends into the visitor's conversation (a thumbnail and a chip to audit in
 *  the thread, the contact panel and the Files page). */
async function agentSendsFiles(owner) {
  const [conversation] = await json(await api(edge, "GET", "/v1/inbox/conversations", owner.token));
  const ids = [];
  const header = Buffer.from("89504e470d0a1a0a0000000d49484452000000100000000c0806000000", "hex");
  for (const [bytes, name] of [[Buffer.concat([header, Buffer.alloc(64)]), "foto.png"], [Buffer.from("%PDF-1.7\nfactura"), "factura.pdf"]]) {
    const res = await fetch(`${edge.url}/v1/inbox/conversations/${conversation.id}/files?name=${name}`, {
      method: "POST", headers: { authorization: `Bearer ${owner.token}` }, body: bytes,
    });
    assert.equal(res.status, 201, await res.clone().text());
    ids.push((await res.json()).id);
  }
  const staff = await agentSocket(edge, owner.token, conversation.id);
  await staff.next((f) => f.type === "hello");
  staff.send({ type: "send", client_id: "a11y-files", text: "", attachments: ids });
  await staff.next((f) => f.type === "ack");
  await staff.close();
}

/** Runs axe on the whole `page` (open shadow roots included); returns its violations, labelled. */
async function violationsOf(page, what) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${JSON.stringify(n.target)} ${n.failureSummary.replace(/\s+/g, " ")}`),
    }));
  }, WCAG_AA);
  return violations.map((v) => ({ page: what, ...v }));
}

/** Audits each page as the test reaches it and fails at the end with every violation found. */
function auditor(t) {
  const found = [];
  return {
    audit: async (page, what) => found.push(...(await violationsOf(page, what))),
    done: () => assert.deepEqual(found, [], `${t.name}: axe WCAG 2.1 AA violations:\n${JSON.stringify(found, null, 2)}`),
  };
}

test("the visitor widget: closed launcher, open panel with a conversation, in both languages", async (t) => {
  const { audit, done } = auditor(t);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(site.url + "/");
  const launcher = page.locator('[data-charla="launcher"]');
  await launcher.waitFor();
  await audit(page, "widget, launcher only");
  await launcher.click();
  const composer = page.locator('[data-charla="composer"]');
  await composer.waitFor();
  await composer.fill("Hola, necesito ayuda con mi pedido");
  await page.locator('[data-charla="send"]').click();
  await page.locator('[data-charla="message"][data-author="contact"]:not([data-pending])').first().waitFor();
  await audit(page, "widget, open panel with a message");
  // Files: a thumbnail and a chip in the thread, then a tray with one file uploaded and one
  // the edge refused (its reason and remove button).
  await composer.evaluate(async (el) => {
    const canvas = new OffscreenCanvas(320, 200);
    canvas.getContext("2d").fillRect(0, 0, 320, 200);
    const data = new DataTransfer();
    data.items.add(new File([await canvas.convertToBlob()], "captura.png", { type: "image/png" }));
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  });
  const fileInput = page.locator('[data-charla="file-input"]');
  const pdf = { name: "factura.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.7\n" + "x".repeat(3000)) };
  await fileInput.setInputFiles(pdf);
  await page.locator('[data-charla="attachment"][data-state="done"]').nth(1).waitFor();
  await page.locator('[data-charla="send"]').click();
  await page.locator('[data-charla="file"][data-kind="image"] img[src]').waitFor();
  await fileInput.setInputFiles([pdf, { name: "programa.pdf", mimeType: "application/pdf", buffer: Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(400)]) }]);
  await page.locator('[data-charla="upload-error"]').waitFor();
  await page.locator('[data-charla="attachment"][data-state="done"]').waitFor();
  await audit(page, "widget with files: a thumbnail, a chip, a tray with an upload and a refusal");
  await page.locator('[data-charla="panel"]').dispatchEvent("dragenter", { dataTransfer: await page.evaluateHandle(() => {
    const d = new DataTransfer();
    d.items.add(new File(["x"], "x.txt", { type: "text/plain" }));
    return d;
  }) });
  await page.locator('[data-charla="panel"]:not([data-drop=""])').waitFor();
  await audit(page, "widget while files are dragged over it");
  await page.locator('[data-charla="panel"]').dispatchEvent("dragleave", { dataTransfer: await page.evaluateHandle(() => {
    const d = new DataTransfer();
    d.items.add(new File(["x"], "x.txt", { type: "text/plain" }));
    return d;
  }) });
  await page.evaluate(() => window.charla("setLocale", "es"));
  await page.locator('[data-charla="composer"]').waitFor();
  await audit(page, "widget in Spanish");
  await ctx.close();
  done();
});

test("the inbox: sign-in, conversation list and thread, settings tabs, workflows, reports", async (t) => {
  const { audit, done } = auditor(t);
  // A conversation to look at, opened by a visitor on the demo site.
  const visitorCtx = await browser.newContext();
  const visitor = await visitorCtx.newPage();
  await visitor.goto(site.url + "/");
  await visitor.locator('[data-charla="launcher"]').click();
  await visitor.locator('[data-charla="composer"]').fill("¿Tienen la talla M?");
  await visitor.locator('[data-charla="send"]').click();
  await visitor.locator('[data-charla="message"][data-author="contact"]:not([data-pending])').first().waitFor();

  // A snippet, so the reply box's `/` list can be audited open.
  const owner = await login(edge);
  const snippet = await api(edge, "POST", "/v1/inbox/snippets", owner.token, { shortcut: "talla", text: 'Hola {{contact.first_name | "cliente"}}', scope: "workspace" });
  assert.equal(snippet.status, 200, await snippet.clone().text());
  await agentSendsFiles(owner);

  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${edge.url}/inbox/`);
  await page.getByLabel("Password").waitFor();
  await audit(page, "inbox sign-in");
  await signIn(page, edge);
  await page.locator('[data-charla="conversation"]').first().click();
  await page.locator('[data-charla="message"][data-author="contact"]').first().waitFor();
  await page.locator('[data-charla="messages"] [data-charla="file-chip"]').waitFor();
  await page.locator('[data-charla="contact-files"] [data-charla="file-chip"]').waitFor();
  await audit(page, "inbox with an open conversation (files in the thread and the contact panel)");
  await page.locator('[data-charla="file-input"]').setInputFiles([
    { name: "nota.txt", mimeType: "text/plain", buffer: Buffer.from("hola") },
    { name: "setup.exe", mimeType: "application/octet-stream", buffer: Buffer.concat([Buffer.from("MZ"), Buffer.alloc(64)]) },
  ]);
  await page.locator('[data-charla="tray-item"][data-state="failed"]').waitFor();
  await page.locator('[data-charla="tray-item"][data-state="ready"]').waitFor();
  await audit(page, "inbox: the reply box's file tray (ready and refused)");
  while (await page.locator('[data-charla="tray-remove"]').count()) await page.locator('[data-charla="tray-remove"]').first().click();
  await page.locator('[data-charla="delete-conversation"]').click();
  const deleting = page.getByRole("alertdialog", { name: "Delete this conversation?" });
  await deleting.waitFor();
  await audit(page, "inbox: the delete dialog");
  await deleting.getByRole("button", { name: "Cancel" }).click();
  await deleting.waitFor({ state: "hidden" });
  const reply = page.locator('[data-charla="reply"]');
  await reply.click();
  await page.keyboard.type("/tal");
  await page.locator('[data-charla="snippet-list"]').waitFor();
  await audit(page, "inbox: the reply box's snippet list");
  await page.keyboard.press("Escape");
  await reply.fill("");
  await page.getByRole("button", { name: "Close conversation" }).click();
  const dialog = page.getByRole("dialog", { name: "Close conversation" });
  await dialog.waitFor();
  await audit(page, "inbox: the close dialog");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "hidden" });
  await page.keyboard.press("?");
  const sheet = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await sheet.waitFor();
  await audit(page, "inbox: the keyboard shortcuts sheet");
  await sheet.getByRole("button", { name: "Close" }).click();
  await sheet.waitFor({ state: "hidden" });

  for (const [hash, what, ready] of [
    ["#/settings", "settings: team & conversations", "#teams-title"],
    ["#/settings/widget", "settings: chat widget", "#widget-install-title"],
    ["#/settings/hours", "settings: business hours", "#hours-title"],
    ["#/settings/snippets", "settings: snippets", "#snippets-title"],
    ["#/settings/api", "settings: API keys and webhooks", "#webhooks-title"],
    ["#/workflows", "workflows list", "#workflow-list-title"],
    ["#/workflows/new", "workflow editor", "#wf-steps-title"],
    ["#/reports", "reports", '[data-charla="card-closed"]'],
    ["#/files", "files", '[data-charla="file-row"]'],
    ["#/profile", "profile: notifications", "#notify-title"],
  ]) {
    await page.evaluate((h) => (location.hash = h), hash);
    await page.locator(ready).first().waitFor();
    // Let the page's first fetches land so what is audited is what an agent sees.
    await page.waitForLoadState("networkidle");
    await audit(page, what);
  }
  await ctx.close();
  await visitorCtx.close();
  done();
});

test("the inbox in Spanish: sign-in, list and thread, close dialog, shortcuts, profile (axe checks lang too)", async (t) => {
  const { audit, done } = auditor(t);
  const ctx = await browser.newContext({ locale: "es-ES" });
  const page = await ctx.newPage();
  await page.goto(`${edge.url}/inbox/`);
  await page.getByLabel("Contraseña").waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "es");
  await audit(page, "inbox sign-in, Spanish");
  await page.getByLabel("Email").fill(DEMO.email);
  await page.getByLabel("Contraseña").fill(DEMO.password);
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
  await page.locator('[data-charla="conversation-list"]').waitFor();
  await page.locator('[data-charla="view-all"]').click();
  await page.locator('[data-charla="conversation"]').first().click();
  await page.locator('[data-charla="message"]').first().waitFor();
  await audit(page, "inbox with an open conversation, Spanish");
  await page.getByRole("button", { name: "Cerrar conversación" }).click();
  const dialog = page.getByRole("dialog", { name: "Cerrar conversación" });
  await dialog.waitFor();
  await audit(page, "inbox: the close dialog, Spanish");
  await dialog.getByRole("button", { name: "Cancelar" }).click();
  await dialog.waitFor({ state: "hidden" });
  await page.keyboard.press("?");
  const sheet = page.getByRole("dialog", { name: "Atajos de teclado" });
  await sheet.waitFor();
  await audit(page, "inbox: the keyboard shortcuts sheet, Spanish");
  await sheet.getByRole("button", { name: "Cerrar" }).click();
  await page.evaluate(() => (location.hash = "#/files"));
  await page.locator('[data-charla="files-page"] h1').waitFor();
  await page.waitForLoadState("networkidle");
  await audit(page, "files, Spanish");
  await page.evaluate(() => (location.hash = "#/profile"));
  await page.locator("#language-title").waitFor();
  await page.waitForLoadState("networkidle");
  await audit(page, "profile, Spanish");
  await ctx.close();
  done();
});

test("the loader's launcher and plain panel before the widget mounts: the visitor's language from the first paint, the owner's label as its name", async (t) => {
  const { audit, done } = auditor(t);
  const owner = await login(edge);
  const host = (page) => page.evaluate(() => {
    const el = document.getElementById("charla-widget");
    const b = el.shadowRoot.querySelector('[data-charla="launcher"]');
    return { lang: el.lang, name: b.getAttribute("aria-label"), text: b.textContent };
  });
  /** A visit whose widget never arrives: what the loader alone draws. */
  async function bare(locale) {
    const ctx = await browser.newContext({ locale });
    await ctx.route(/\/widget\/charla_widget/, (r) => r.abort());
    const page = await ctx.newPage();
    await page.goto(site.url + "/");
    await page.locator('[data-charla="launcher"]').waitFor();
    return { ctx, page };
  }
  // Language "auto" (the default): the browser's languages decide, as the widget will.
  let { ctx, page } = await bare("es-MX");
  assert.deepEqual(await host(page), { lang: "es", name: "Abrir chat", text: "" });
  await audit(page, "loader only, Spanish browser");
  // The loader's own panel, drawn on the click while the widget is still on its way: labelled
  // in the visitor's language, a message waiting in it.
  await page.locator('[data-charla="launcher"]').click();
  await page.getByRole("textbox", { name: "Mensaje" }).fill("¿Tienen envío gratis?");
  await page.getByRole("button", { name: "Enviar" }).click();
  await page.locator('[data-charla="message"][data-pending]').waitFor();
  assert.equal(await page.getByRole("dialog", { name: "Chat" }).count(), 1);
  assert.equal(await page.getByRole("button", { name: "Cerrar chat" }).count(), 2, "the launcher and the panel's close");
  await audit(page, "the loader's plain panel, Spanish browser");
  await ctx.close();
  ({ ctx, page } = await bare("en-GB"));
  assert.deepEqual(await host(page), { lang: "en", name: "Open chat", text: "" });
  await ctx.close();

  const res = await api(edge, "PUT", "/v1/inbox/settings/widget", owner.token, { language: "es", launcher_label: "¿Hablamos?" });
  assert.equal(res.status, 200, await res.text());
  ({ ctx, page } = await bare("en-US"));
  assert.deepEqual(await host(page), { lang: "es", name: "¿Hablamos?", text: "¿Hablamos?" });
  await audit(page, "loader only, the owner's label");
  await ctx.close();
  // The mounted widget keeps both.
  ctx = await browser.newContext({ locale: "en-US" });
  page = await ctx.newPage();
  await page.goto(site.url + "/");
  await page.locator('[data-charla="launcher"]').hover();
  await page.locator('[data-charla="panel"]').waitFor({ state: "attached" });
  await page.mouse.move(0, 0);
  assert.deepEqual(await host(page), { lang: "es", name: "¿Hablamos?", text: "¿Hablamos?" });
  await audit(page, "mounted widget, the owner's label");
  await ctx.close();
  const reset = await api(edge, "PUT", "/v1/inbox/settings/widget", owner.token, { language: "auto", launcher_label: "" });
  assert.equal(reset.status, 200, await reset.text());
  done();
});

test("the widget's pre-chat form, with the refusals it shows inline", async (t) => {
  const { audit, done } = auditor(t);
  const owner = await login(edge);
  const fields = [
    { key: "name", label: "Your name", kind: "name", required: true },
    { key: "email", label: "Email", kind: "email", required: true },
    { key: "phone", label: "Phone", kind: "phone", required: false },
  ];
  const res = await api(edge, "PUT", "/v1/inbox/settings/widget", owner.token, { language: "en", prechat: { enabled: true, fields } });
  assert.equal(res.status, 200, await res.text());
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(site.url + "/");
  await page.locator('[data-charla="launcher"]').click();
  await page.locator('[data-charla="prechat"]').waitFor();
  await audit(page, "widget: pre-chat form");
  await page.getByLabel("Email").fill("ana@example");
  await page.locator('[data-charla="prechat-submit"]').click();
  await page.locator('[data-charla="field-error"][data-field="email"]').filter({ hasText: /./ }).waitFor();
  await audit(page, "widget: pre-chat form with refusals");
  await ctx.close();
  done();
});

test("accounts: your details, an agent's account actions and reset link, the reset-password page", async (t) => {
  const { audit, done } = auditor(t);
  const owner = await login(edge);
  await invitedAgent(edge, owner, "a11y-agent@example.com", "agent", "Vera");
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, edge);
  await page.evaluate(() => (location.hash = "#/profile"));
  await page.locator("#details-title").waitFor();
  await page.getByRole("button", { name: "Change password" }).click();
  await page.locator('[data-charla="password-error"]').waitFor();
  await audit(page, "profile: your details, with an error");

  await page.evaluate(() => (location.hash = "#/settings"));
  await page.getByRole("button", { name: "Deactivate Vera" }).click();
  await page.getByRole("group", { name: "Deactivate Vera" }).waitFor();
  await audit(page, "settings: confirming a deactivation");
  await page.getByRole("group", { name: "Deactivate Vera" }).getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("button", { name: "Password reset link for Vera" }).click();
  const link = await page.locator('[data-charla="reset-link"]').inputValue();
  await audit(page, "settings: a password-reset link shown");

  const other = await (await browser.newContext()).newPage();
  await other.goto(link);
  await other.getByLabel("New password", { exact: true }).fill("una clave larga");
  await other.getByLabel("Repeat the new password").fill("otra distinta!!");
  await other.getByRole("button", { name: "Set password and sign in" }).click();
  await other.locator('[data-charla="reset-error"]').waitFor();
  await audit(other, "the reset-password page, with an error");
  await other.context().close();
  await ctx.close();
  done();
});
