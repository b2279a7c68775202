// The visitor widget's files, in real Chromium against the real worker and local R2: a pasted
// screenshot and a PDF from the paperclip go in one message (uploaded over HTTP as they are
// picked, with progress; Send waits for them), the agent gets both and the PDF byte for byte,
// a reload shows a thumbnail and a chip; too large and refused files say why in the widget and
// store nothing; HTML and SVG with script download and never run; a message whose ack was lost
// with its socket is stored once with its files; files dropped on the panel attach too; and
// another visitor cannot reach the files.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startEdge, DEMO } from "../support/edge.mjs";
import { launchBrowser, startDemoSite } from "../support/browser.mjs";
import { agentSocket, api, json, login, newVisitor } from "../support/clients.mjs";

const SESSION_KEY = `charla:${DEMO.workspace}:session`;
const DEFAULT_RULES = { max_bytes: 10 * 1024 * 1024, allowed: ["image", "pdf", "office", "text", "archive"] };
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
const pdf = (size) => Buffer.concat([Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1"), Buffer.alloc(size, 0x41)]);

async function setRules(rules) {
  const res = await api(edge, "PUT", "/v1/inbox/settings/files", owner.token, rules);
  assert.equal(res.status, 200, await res.text());
}

/** The demo site with the chat open and connected, recording dialogs, page errors and uploads. */
async function openChat(ctx) {
  const page = await ctx.newPage();
  const seen = { dialogs: [], errors: [], uploads: [] };
  page.on("dialog", (d) => { seen.dialogs.push(d.message()); d.dismiss(); });
  page.on("pageerror", (e) => seen.errors.push(e.message));
  page.on("response", (r) => {
    if (r.request().method() === "POST" && /\/v1\/widget\/files\?/.test(r.url())) seen.uploads.push(r.status());
  });
  await page.goto(site.url + "/");
  await $(page, "launcher").click();
  await page.locator('[data-charla="status"][data-state="online"]').waitFor();
  const session = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)), SESSION_KEY);
  return { page, seen, session };
}

/** A real PNG drawn by the page, pasted into the composer as a screenshot is; its bytes. */
async function pasteScreenshot(page, name = "captura.png") {
  return $(page, "composer").evaluate(async (composer, name) => {
    const canvas = new OffscreenCanvas(640, 480);
    const g = canvas.getContext("2d");
    g.fillStyle = "#0f766e";
    g.fillRect(0, 0, 640, 480);
    g.fillStyle = "#fbbf24";
    g.fillRect(100, 100, 200, 120);
    const blob = await canvas.convertToBlob({ type: "image/png" });
    const data = new DataTransfer();
    data.items.add(new File([blob], name, { type: "image/png" }));
    composer.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true, composed: true }));
    return [...new Uint8Array(await blob.arrayBuffer())];
  }, name);
}

/** Files chosen through the paperclip's file chooser, as a visitor does. */
async function attach(page, files) {
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), $(page, "attach").click()]);
  await chooser.setFiles(files);
}

/** The conversation as the agent's socket syncs it. */
async function agentMessages(conversationId) {
  const socket = await agentSocket(edge, owner.token, conversationId);
  try {
    await socket.next((f) => f.type === "hello");
    return await socket.sync(0);
  } finally {
    await socket.close();
  }
}

async function agentDownload(conversationId, fileId) {
  const link = await json(await api(edge, "GET", `/v1/inbox/conversations/${conversationId}/files/${fileId}/link`, owner.token));
  const res = await fetch(link.url);
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

test("a pasted screenshot and a PDF from the paperclip go in one message; the agent gets both; a reload shows a thumbnail and a chip", async () => {
  const ctx = await browser.newContext({ locale: "en-US", acceptDownloads: true });
  const { page, seen, session } = await openChat(ctx);
  // A slow uplink, so the PDF's progress can be seen and Send has something to wait for.
  const cdp = await ctx.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 256 * 1024 });

  const png = Buffer.from(await pasteScreenshot(page));
  const doc = pdf(900_000);
  await attach(page, { name: "factura 2026.pdf", mimeType: "application/pdf", buffer: doc });
  const items = $(page, "attachment");
  await items.nth(1).waitFor();
  assert.deepEqual(await $(page, "attachment-name").allTextContents(), ["captura.png", "factura 2026.pdf"]);
  // The screenshot previews itself; the PDF is named by its type.
  assert.match(await items.nth(0).locator("img").getAttribute("src"), /^blob:/);
  assert.equal((await items.nth(1).locator(".tp").textContent()).trim(), "PDF");

  // Uploading: a progress bar between 0 and 100, and Send waits with a reason.
  const progress = items.nth(1).locator("progress");
  await page.waitForFunction((el) => el && Number(el.value) > 0 && Number(el.value) < 100, await progress.elementHandle(), { polling: 50 });
  assert.equal(await progress.getAttribute("aria-label"), "Uploading factura 2026.pdf");
  await $(page, "composer").fill("Aquí va la captura y la factura");
  await $(page, "composer").press("Enter");
  await $(page, "notice").filter({ hasText: "Wait until your files finish uploading, then send." }).waitFor();
  assert.equal(await $(page, "message").count(), 0, "nothing sent while uploading");
  assert.equal(await $(page, "composer").inputValue(), "Aquí va la captura y la factura", "the text is kept");

  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await page.locator('[data-charla="attachment"][data-state="done"]').nth(1).waitFor({ timeout: 30_000 });
  assert.equal((await $(page, "notice").textContent()).trim(), "", "nothing to wait for any more");
  assert.deepEqual(seen.uploads, [201, 201], "each file uploaded once, over HTTP");
  await $(page, "send").click();
  const line = page.locator('[data-charla="message"][data-author="contact"]');
  await line.and(page.locator("[data-seq]:not([data-seq=''])")).waitFor();
  assert.equal(await $(page, "attachment").count(), 0, "the tray emptied");
  assert.equal(await $(page, "composer").inputValue(), "");

  // The agent: one message, two files, the PDF byte for byte through the agent's link.
  const messages = await agentMessages(session.conversation_id);
  assert.equal(messages.length, 1);
  const [message] = messages;
  assert.equal(message.text, "Aquí va la captura y la factura");
  assert.deepEqual(message.attachments.map((f) => [f.name, f.content_type, f.size]), [
    ["captura.png", "image/png", png.length],
    ["factura 2026.pdf", "application/pdf", doc.length],
  ]);
  assert.deepEqual([message.attachments[0].width, message.attachments[0].height], [640, 480]);
  const got = await agentDownload(session.conversation_id, message.attachments[1].id);
  assert.equal(got.res.status, 200);
  assert.ok(got.bytes.equals(doc), "the PDF byte for byte");
  const image = await agentDownload(session.conversation_id, message.attachments[0].id);
  assert.ok(image.bytes.equals(png), "the screenshot byte for byte");

  // In the thread: the screenshot as a thumbnail (sized before it loads), the PDF as a chip.
  const checkThread = async () => {
    const thumb = page.locator('[data-charla="file"][data-kind="image"] img');
    await page.waitForFunction((img) => img.complete && img.naturalWidth === 640, await thumb.elementHandle());
    assert.equal(await thumb.getAttribute("alt"), "captura.png");
    assert.deepEqual([await thumb.getAttribute("width"), await thumb.getAttribute("height")], ["220", "165"]);
    const chip = page.locator('[data-charla="file"][data-kind="file"]');
    assert.equal(await chip.locator('[data-charla="file-name"]').textContent(), "factura 2026.pdf");
    assert.match(await chip.textContent(), /879 KB · PDF/);
  };
  await checkThread();

  // The chip downloads the PDF through a fresh link, and the page stays where it is.
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator('[data-charla="file"][data-kind="file"]').click()]);
  assert.equal(download.suggestedFilename(), "factura 2026.pdf");
  assert.ok(readFileSync(await download.path()).equals(doc));
  assert.equal(new URL(page.url()).origin, site.url);
  // The thumbnail opens the full image in a new tab.
  const [tab] = await Promise.all([ctx.waitForEvent("page"), page.locator('[data-charla="file"][data-kind="image"]').click()]);
  await tab.waitForLoadState();
  assert.match(tab.url(), new RegExp(`/v1/files/${DEMO.workspace}/${session.conversation_id}/f_[0-9a-f]{32}\\?exp=`));
  await tab.close();

  await page.reload();
  await page.locator('[data-charla="status"][data-state="online"]').waitFor();
  await checkThread();
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(seen.dialogs, []);
  await ctx.close();
});

test("too large and refused files say why in the widget, in the visitor's language, and nothing is stored", async () => {
  await setRules({ ...DEFAULT_RULES, max_bytes: 50 * 1024 });
  try {
    const ctx = await browser.newContext({ locale: "es-ES" });
    const { page, seen, session } = await openChat(ctx);
    // Checked before uploading: nothing leaves the browser.
    await attach(page, { name: "grande.pdf", mimeType: "application/pdf", buffer: pdf(80_000) });
    const error = $(page, "upload-error");
    await error.filter({ hasText: "Demasiado grande: el límite es 50 KB." }).waitFor();
    assert.equal(await error.getAttribute("role"), "alert");
    assert.equal(await $(page, "retry").count(), 0, "a retry would not change the size");
    assert.deepEqual(seen.uploads, []);
    // A failed upload is never sent.
    await $(page, "composer").fill("¿Os llega?");
    await $(page, "composer").press("Enter");
    await $(page, "notice").filter({ hasText: "Algunos archivos no se pudieron subir: reinténtalo o quítalos." }).waitFor();
    assert.equal(await $(page, "message").count(), 0);
    await page.getByRole("button", { name: "Quitar grande.pdf" }).click();
    assert.equal(await $(page, "attachment").count(), 0);
    assert.equal(await page.evaluate(() => document.getElementById("charla-widget").shadowRoot.activeElement?.dataset.charla), "attach", "the focus goes back to the paperclip");

    // A program: the edge sniffs it and refuses it (415).
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(4000)]);
    await attach(page, { name: "factura.pdf", mimeType: "application/pdf", buffer: elf });
    await error.filter({ hasText: "No se pueden enviar archivos de este tipo." }).waitFor();
    assert.deepEqual(seen.uploads, [415]);
    await page.getByRole("button", { name: "Quitar factura.pdf" }).click();

    // The limit goes down after the widget read it: the edge's 413 is the authority, and the
    // widget asks again to say the new limit.
    await setRules({ ...DEFAULT_RULES, max_bytes: 20 * 1024 });
    await attach(page, { name: "mediano.pdf", mimeType: "application/pdf", buffer: pdf(30_000) });
    await error.filter({ hasText: "Demasiado grande: el límite es 20 KB." }).waitFor();
    assert.deepEqual(seen.uploads, [415, 413]);

    // Nothing stored: no message, and no file the visitor could link to.
    assert.deepEqual(await agentMessages(session.conversation_id), []);
    assert.deepEqual(seen.errors, []);
    await ctx.close();
  } finally {
    await setRules(DEFAULT_RULES);
  }
});

test("HTML and SVG with script download as attachments and never run; another visitor gets 404", async () => {
  const ctx = await browser.newContext({ locale: "en-US", acceptDownloads: true });
  const { page, seen, session } = await openChat(ctx);
  const script = "document.title='pwned';window.__pwned=1;alert('pwned')";
  const html = Buffer.from(`<!doctype html><html><head><title>x</title></head><body><script>${script}</script><img src=x onerror="${script}"></body></html>`);
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" onload="${script}"><script>${script}</script><rect width="10" height="10"/></svg>`);
  await attach(page, [
    { name: "oferta<i>.html", mimeType: "text/html", buffer: html },
    { name: "logo.svg", mimeType: "image/svg+xml", buffer: svg },
  ]);
  await page.locator('[data-charla="attachment"][data-state="done"]').nth(1).waitFor();
  await $(page, "send").click();
  await page.locator('[data-charla="message"][data-seq="1"]').waitFor();
  // Both are chips (an SVG is never a thumbnail), their names as text.
  const chips = page.locator('[data-charla="file"][data-kind="file"]');
  assert.equal(await chips.count(), 2);
  assert.equal(await page.locator('[data-charla="file"][data-kind="image"]').count(), 0);
  assert.deepEqual(await chips.locator('[data-charla="file-name"]').allTextContents(), ["ofertai.html", "logo.svg"]);
  assert.equal(await page.locator('[data-charla="message"] i').count(), 0);

  const title = await page.title();
  for (const [i, name] of [[0, "ofertai.html"], [1, "logo.svg"]]) {
    const [download] = await Promise.all([page.waitForEvent("download"), chips.nth(i).click()]);
    assert.equal(download.suggestedFilename(), name);
  }
  // Opened directly, in a tab of their own: still downloads, never a page.
  const [message] = await agentMessages(session.conversation_id);
  for (const file of message.attachments) {
    const link = await json(await api(edge, "GET", `/v1/widget/files/${file.id}/link`, session.token));
    const res = await fetch(link.url);
    assert.match(res.headers.get("content-disposition"), /^attachment;/);
    assert.equal(res.headers.get("content-type"), "application/octet-stream");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    const tab = await ctx.newPage();
    tab.on("dialog", (d) => { seen.dialogs.push(d.message()); d.dismiss(); });
    const [download] = await Promise.all([tab.waitForEvent("download"), tab.goto(link.url).catch(() => {})]);
    assert.ok(download);
    assert.notEqual(await tab.title(), "pwned");
    await tab.close();

    // Another visitor: not their conversation's file.
    const other = await newVisitor(edge);
    const refused = await api(edge, "GET", `/v1/widget/files/${file.id}/link`, other.token);
    assert.equal(refused.status, 404);
  }
  assert.equal(await page.title(), title);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(seen.errors, []);
  await ctx.close();
});

test("a message whose ack is lost with its socket is stored once, with its files", async () => {
  const ctx = await browser.newContext({ locale: "en-US" });
  const page = await ctx.newPage();
  // The first socket forwards everything until the message with files goes out, then drops
  // the edge's answers to it and closes; the widget reconnects (through untouched sockets).
  let sockets = 0;
  const sends = [];
  await page.routeWebSocket(/\/v1\/widget\/ws$/, (ws) => {
    const n = ++sockets;
    const server = ws.connectToServer();
    let cut = false;
    ws.onMessage((m) => {
      const frame = JSON.parse(m);
      if (frame.type === "send") sends.push({ socket: n, ...frame });
      server.send(m);
      if (n === 1 && frame.type === "send" && frame.attachments?.length) {
        cut = true;
        setTimeout(() => ws.close({ code: 4000, reason: "dropped" }), 300);
      }
    });
    server.onMessage((m) => { if (!cut) ws.send(m); });
  });
  await page.goto(site.url + "/");
  await $(page, "launcher").click();
  await page.locator('[data-charla="status"][data-state="online"]').waitFor();
  const session = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)), SESSION_KEY);
  await pasteScreenshot(page, "pantalla.png");
  await attach(page, { name: "pedido.pdf", mimeType: "application/pdf", buffer: pdf(2_000) });
  await page.locator('[data-charla="attachment"][data-state="done"]').nth(1).waitFor();
  await $(page, "send").click();
  // Pending until the second socket's ack (a duplicate) stores it.
  await page.locator('[data-charla="message"][data-seq="1"]').waitFor({ timeout: 20_000 });
  assert.ok(sockets >= 2, "the widget reconnected");
  const withFiles = sends.filter((f) => f.attachments?.length);
  assert.ok(withFiles.length >= 2, "sent again after the drop");
  assert.equal(new Set(withFiles.map((f) => f.client_id)).size, 1, "under one client id");
  assert.ok(withFiles.every((f) => JSON.stringify(f.attachments) === JSON.stringify(withFiles[0].attachments)), "with the same files");

  const messages = await agentMessages(session.conversation_id);
  assert.equal(messages.length, 1, "stored once");
  assert.deepEqual(messages[0].attachments.map((f) => f.name), ["pantalla.png", "pedido.pdf"]);
  assert.equal(await $(page, "message").count(), 1);
  assert.equal(await page.locator('[data-charla="message"] [data-charla="file"]').count(), 2);
  await ctx.close();
});

test("files dragged onto the panel: a hint says where to drop them, and they attach", async () => {
  const ctx = await browser.newContext({ locale: "en-US" });
  const { page, session } = await openChat(ctx);
  const panel = $(page, "panel");
  // The hint is the panel's `data-drop`, drawn over it by the CSS.
  const hint = () => panel.evaluate((el) => [el.dataset.drop, getComputedStyle(el, "::after").content]);
  assert.deepEqual(await hint(), ["", "none"]);
  const data = await page.evaluateHandle(() => {
    const d = new DataTransfer();
    d.items.add(new File(["%PDF-1.4\n" + "x".repeat(500)], "arrastrado.pdf", { type: "application/pdf" }));
    return d;
  });
  await $(page, "composer").dispatchEvent("dragenter", { dataTransfer: data });
  await page.waitForFunction((el) => el.dataset.drop !== "", await panel.elementHandle());
  assert.deepEqual(await hint(), ["Drop files here to attach them", '"Drop files here to attach them"']);
  // Over the hint (the panel itself) the drag goes on; dropping attaches and ends it.
  await panel.dispatchEvent("dragover", { dataTransfer: data });
  await panel.dispatchEvent("drop", { dataTransfer: data });
  await page.waitForFunction((el) => el.dataset.drop === "", await panel.elementHandle());
  await page.locator('[data-charla="attachment"][data-state="done"]').waitFor();
  // Leaving the panel without dropping takes the hint away too; leaving one of its parts
  // does not.
  await panel.dispatchEvent("dragenter", { dataTransfer: data });
  await page.waitForFunction((el) => el.dataset.drop !== "", await panel.elementHandle());
  await $(page, "composer").dispatchEvent("dragleave", { dataTransfer: data });
  await page.waitForTimeout(100);
  assert.notEqual((await hint())[0], "");
  await panel.dispatchEvent("dragleave", { dataTransfer: data });
  await page.waitForFunction((el) => el.dataset.drop === "", await panel.elementHandle());

  // Files and no text: a message all the same.
  await $(page, "composer").press("Enter");
  await page.locator('[data-charla="message"][data-seq="1"] [data-charla="file"]').waitFor();
  const [message] = await agentMessages(session.conversation_id);
  assert.equal(message.text, "");
  assert.deepEqual(message.attachments.map((f) => f.name), ["arrastrado.pdf"]);
  await ctx.close();
});
