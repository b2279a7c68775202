// Files in the agents' inbox, in real Chromium against wrangler dev and local R2: a visitor's
// image and PDF show as a thumbnail (decoded) and a chip (downloaded byte for byte); the agent
// sends files with the paperclip, by pasting an image and by dropping; a reload shows them;
// the contact panel and the Files page list them (filters; an agent with restricted access
// sees none of a conversation they may not see); refused files say why and are never sent
// nor stored; an owner deletes a conversation (links die, bytes go), an agent may not.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { deflateSync, crc32 } from "node:zlib";
import { startEdge } from "../support/edge.mjs";
import { launchBrowser, signIn } from "../support/browser.mjs";
import { api, invitedAgent, json, login, newVisitor, visitorSocket, agentSocket } from "../support/clients.mjs";

let edge, browser, owner, lia;
before(async () => {
  edge = await startEdge();
  browser = await launchBrowser();
  owner = await login(edge);
  lia = await invitedAgent(edge, owner, "lia.files@example.com", "agent", "Lía");
  const set = await api(edge, "PUT", `/v1/inbox/agents/${lia.agent.id}`, owner.token, { access: "mine_and_unassigned" });
  assert.equal(set.status, 200);
});
after(async () => {
  await browser?.close();
  await edge?.stop();
});

/** A real (decodable) RGBA PNG of `w`×`h`. */
function png(w, h) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const rows = [];
  for (let y = 0; y < h; y++) rows.push(Buffer.from([0]), Buffer.alloc(w * 4, y % 2 ? 0x33 : 0xcc));
  return Buffer.concat([
    Buffer.from("\x89PNG\r\n\x1a\n", "latin1"),
    chunk("IHDR", ihdr), chunk("IDAT", deflateSync(Buffer.concat(rows))), chunk("IEND", Buffer.alloc(0)),
  ]);
}
const pdf = (size = 20_000) => Buffer.concat([Buffer.from("%PDF-1.7\n", "latin1"), randomBytes(size)]);

async function upload(token, bytes, name, path = "/v1/widget/files") {
  const res = await fetch(`${edge.url}${path}?name=${encodeURIComponent(name)}`, {
    method: "POST", headers: { authorization: `Bearer ${token}` }, body: bytes,
  });
  const body = await json(res);
  assert.equal(res.status, 201, JSON.stringify(body));
  return body;
}

/** A visitor's conversation, opened with a first message. */
async function visitorConversation(text = "hola") {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.next((f) => f.type === "hello");
  await visitor.say(text);
  return { session, visitor, id: session.conversation_id };
}

async function visitorSendsFiles(conv, files) {
  const ids = [];
  for (const [bytes, name] of files) ids.push((await upload(conv.session.token, bytes, name)).id);
  const clientId = randomUUID();
  conv.visitor.send({ type: "send", client_id: clientId, text: "", attachments: ids });
  await conv.visitor.next((f) => f.type === "ack" && f.client_id === clientId);
  return ids;
}

function blobCount() {
  let n = 0;
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.includes("r2") && p.includes("blobs")) n += 1;
    }
  };
  walk(edge.dir);
  return n;
}

async function agentPage(email, password) {
  const ctx = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await signIn(page, edge, email, password);
  return { ctx, page };
}

async function openConversation(page, id) {
  await page.evaluate((h) => (location.hash = h), `#/c/${id}`);
  await page.locator(`[data-charla="conversation-view"][data-id="${id}"]`).waitFor();
}

const agentMessages = (page) => page.locator('[data-charla="messages"] [data-charla="message"][data-author="agent"]:not([data-pending])');

let main; // the conversation most tests share
const imageBytes = png(64, 48);
const pdfBytes = pdf();

test("a visitor's PNG and PDF: the agent sees the thumbnail and the chip, and downloads the PDF byte for byte", async () => {
  main = await visitorConversation("adjunto la factura");
  await visitorSendsFiles(main, [[imageBytes, "captura.png"], [pdfBytes, "factura.pdf"]]);
  const { ctx, page } = await agentPage();
  await openConversation(page, main.id);

  const thumb = page.locator('[data-charla="messages"] [data-charla="file-thumb"] img');
  await thumb.waitFor();
  assert.equal(await thumb.getAttribute("alt"), "captura.png");
  assert.deepEqual([await thumb.getAttribute("width"), await thumb.getAttribute("height")], ["64", "48"]);
  await page.waitForFunction(() => {
    const img = document.querySelector('[data-charla="messages"] [data-charla="file-thumb"] img');
    return img && img.complete && img.naturalWidth > 0;
  });
  assert.equal(await thumb.evaluate((img) => img.naturalWidth), 64);
  // A click opens the full-size image in a new tab.
  const [tab] = await Promise.all([ctx.waitForEvent("page"), page.locator('[data-charla="messages"] [data-charla="file-thumb"]').click()]);
  await tab.waitForLoadState();
  assert.match(tab.url(), /\/v1\/files\/demo\/c_[0-9a-f]{32}\/f_[0-9a-f]{32}\?exp=/);
  await tab.close();

  const chip = page.locator('[data-charla="messages"] [data-charla="file-chip"]', { hasText: "factura.pdf" });
  await chip.waitFor();
  assert.match(await chip.innerText(), /factura\.pdf[\s\S]*KB[\s\S]*PDF/);
  const [download] = await Promise.all([page.waitForEvent("download"), chip.click()]);
  assert.equal(download.suggestedFilename(), "factura.pdf");
  assert.ok(readFileSync(await download.path()).equals(pdfBytes), "the PDF byte for byte");

  // The contact panel lists the conversation's files.
  const panel = page.locator('[data-charla="contact-files"]');
  await panel.locator('[data-charla="file-chip"]').waitFor();
  assert.equal(await panel.locator('[data-charla="file-thumb"], [data-charla="file-chip"]').count(), 2);
  await ctx.close();
});

test("the agent sends files with the paperclip, by pasting and by dropping; a reload shows them", async () => {
  const { ctx, page } = await agentPage();
  await openConversation(page, main.id);
  await page.locator('[data-charla="messages"] [data-charla="file-chip"]').first().waitFor();

  // Paperclip: the hidden input behind it.
  const manual = pdf(8_000);
  await page.locator('[data-charla="file-input"]').setInputFiles({ name: "manual.pdf", mimeType: "application/pdf", buffer: manual });
  await page.locator('[data-charla="tray-item"][data-state="ready"]').waitFor();
  await page.locator('[data-charla="reply"]').fill("aquí tienes el manual");
  await page.locator('[data-charla="send"]').click();
  await agentMessages(page).filter({ hasText: "manual.pdf" }).waitFor();
  assert.equal(await page.locator('[data-charla="tray-item"]').count(), 0, "the tray empties once sent");
  const got = await main.visitor.next((f) => f.type === "message" && f.message.author.kind === "agent");
  assert.equal(got.message.text, "aquí tienes el manual");
  assert.deepEqual(got.message.attachments.map((a) => a.name), ["manual.pdf"]);

  // Paste of an image: into the tray with a preview, sent without text.
  const pasted = png(20, 10).toString("base64");
  await page.evaluate((b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], "pegado.png", { type: "image/png" }));
    const paste = new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true });
    document.querySelector('[data-charla="reply"]').dispatchEvent(paste);
  }, pasted);
  await page.locator('[data-charla="tray-item"][data-state="ready"] img.tray-preview').waitFor();
  await page.locator('[data-charla="send"]').click();
  await agentMessages(page).locator('[data-charla="file-thumb"] img[alt="pegado.png"]').waitFor();
  const pastedMessage = await main.visitor.next((f) => f.type === "message" && f.message.author.kind === "agent");
  assert.deepEqual([pastedMessage.message.text, pastedMessage.message.attachments[0].name], ["", "pegado.png"]);

  // A drop on the conversation lands in the tray too (removed again: nothing sent).
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.items.add(new File(["plain words"], "notas.txt", { type: "text/plain" }));
    const view = document.querySelector('[data-charla="conversation-view"]');
    view.dispatchEvent(new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }));
    view.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  const dropped = page.locator('[data-charla="tray-item"]', { hasText: "notas.txt" });
  await dropped.and(page.locator('[data-state="ready"]')).waitFor();
  await dropped.locator('[data-charla="tray-remove"]').click();
  await dropped.waitFor({ state: "detached" });

  await page.reload();
  await page.locator(`[data-charla="conversation-view"][data-id="${main.id}"]`).waitFor();
  await agentMessages(page).locator('[data-charla="file-chip"]', { hasText: "manual.pdf" }).waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-charla="messages"] [data-charla="file-thumb"] img')]
    .filter((img) => img.complete && img.naturalWidth > 0).length === 2);
  assert.equal(await page.locator('[data-charla="messages"] [data-charla="file-chip"]', { hasText: "notas.txt" }).count(), 0);
  // Newest first in the contact panel: the pasted image, the manual, then the visitor's two.
  const panelFiles = page.locator('[data-charla="contact-files"] [data-file]');
  await page.waitForFunction(() => document.querySelectorAll('[data-charla="contact-files"] [data-file]').length === 4);
  assert.equal(await panelFiles.first().locator("img").getAttribute("alt"), "pegado.png");
  await ctx.close();
});

test("the Files page lists the workspace's files with filters; a restricted agent sees none of a conversation they may not see", async () => {
  // Another, unassigned conversation with a file, which Lía may see.
  const other = await visitorConversation("otra consulta");
  await visitorSendsFiles(other, [[pdf(3_000), "presupuesto.pdf"]]);
  const { ctx, page } = await agentPage();
  await page.evaluate(() => (location.hash = "#/files"));
  await page.locator('[data-charla="files-page"]').waitFor();
  const rows = page.locator('[data-charla="file-row"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-charla="file-row"]').length >= 5);
  assert.equal(await rows.first().locator('[data-charla="file-name"]').innerText(), "presupuesto.pdf", "newest first");
  assert.match(await rows.first().locator('[data-charla="file-sender"]').innerText(), /^Visitor/);
  assert.match(await rows.filter({ hasText: "manual.pdf" }).locator('[data-charla="file-sender"]').innerText(), /^Agent · /);

  await page.locator('[data-charla="files-type"]').selectOption("pdf");
  await page.waitForFunction(() => {
    const names = [...document.querySelectorAll('[data-charla="file-row"] [data-charla="file-name"]')].map((n) => n.textContent);
    return names.length === 3 && names.every((n) => n.endsWith(".pdf"));
  });
  await rows.filter({ hasText: "manual.pdf" }).locator('[data-charla="only-conversation"]').click();
  await page.waitForFunction((id) => {
    const found = [...document.querySelectorAll('[data-charla="file-row"]')];
    return found.length === 2 && found.every((r) => r.dataset.conversation === id);
  }, main.id);
  // Download from the page: the same bytes.
  const [download] = await Promise.all([page.waitForEvent("download"), rows.filter({ hasText: "factura.pdf" }).locator('[data-charla="file-open"]').click()]);
  assert.ok(readFileSync(await download.path()).equals(pdfBytes));
  await page.locator('[data-charla="files-conversation-filter"] button').click();
  await page.locator('[data-charla="files-type"]').selectOption("image");
  await page.waitForFunction(() => document.querySelectorAll('[data-charla="file-row"]').length === 2);
  await page.locator('[data-charla="files-type"]').selectOption("");
  await rows.filter({ hasText: "presupuesto.pdf" }).locator('[data-charla="only-contact"]').click();
  await page.locator('[data-charla="files-contact-filter"]').waitFor();
  await page.waitForFunction((id) => {
    const found = [...document.querySelectorAll('[data-charla="file-row"]')];
    return found.length === 1 && found[0].dataset.conversation === id;
  }, other.id);
  await page.locator('[data-charla="files-contact-filter"] button').click();
  // A date range that ends before today lists nothing.
  await page.locator('[data-charla="files-to"]').fill("2020-01-01");
  await page.locator('[data-charla="files-empty"]').waitFor();
  // The conversation link opens it.
  await page.locator('[data-charla="files-to"]').fill("");
  await rows.first().locator('[data-charla="file-conversation"]').click();
  await page.locator('[data-charla="conversation-view"]').waitFor();
  await ctx.close();

  // The shared conversation goes to the owner: Lía may no longer see it.
  const staff = await agentSocket(edge, owner.token, main.id);
  await staff.next((f) => f.type === "timeline");
  staff.send({ type: "action", action: { kind: "assign", agent_id: owner.agent.id, team_id: null } });
  await staff.next((f) => f.type === "activity" && f.event.kind.type === "assigned");
  await staff.close();
  const list = await json(await api(edge, "GET", `/v1/inbox/files?conversation=${main.id}`, owner.token));
  const link = await api(edge, "GET", `/v1/inbox/conversations/${main.id}/files/${list.files[0].file.id}/link`, lia.token);
  assert.equal(link.status, 403);

  const mine = await agentPage("lia.files@example.com", "una clave larga");
  await mine.page.evaluate(() => (location.hash = "#/files"));
  await mine.page.locator('[data-charla="file-row"]', { hasText: "presupuesto.pdf" }).waitFor();
  await mine.page.waitForLoadState("networkidle");
  assert.equal(await mine.page.locator(`[data-charla="file-row"][data-conversation="${main.id}"]`).count(), 0);
  await mine.ctx.close();
});

test("a refused type and a file over the limit say why in the composer; nothing is sent or stored", async () => {
  const conv = await visitorConversation("¿me mandas algo?");
  const { ctx, page } = await agentPage();
  await openConversation(page, conv.id);
  const before = blobCount();
  await page.locator('[data-charla="file-input"]').setInputFiles({ name: "setup.exe", mimeType: "application/octet-stream", buffer: Buffer.concat([Buffer.from("MZ\x90\0\x03", "latin1"), Buffer.alloc(2048)]) });
  const refused = page.locator('[data-charla="tray-item"][data-state="failed"]', { hasText: "setup.exe" });
  await refused.waitFor();
  assert.equal(await refused.locator('[data-charla="tray-error"]').innerText(), "Files of this type are not accepted here.");
  assert.equal(await refused.locator('[data-charla="tray-retry"]').count(), 1, "Retry is offered");
  // Send with only a refused file sends nothing.
  await page.locator('[data-charla="send"]').click();
  await refused.locator('[data-charla="tray-remove"]').click();

  const rules = await json(await api(edge, "GET", "/v1/inbox/settings/files", owner.token));
  assert.equal((await api(edge, "PUT", "/v1/inbox/settings/files", owner.token, { max_bytes: 1000, allowed: rules.allowed })).status, 200);
  await page.reload();
  await page.locator(`[data-charla="conversation-view"][data-id="${conv.id}"]`).waitFor();
  await page.waitForLoadState("networkidle");
  await page.locator('[data-charla="file-input"]').setInputFiles({ name: "grande.pdf", mimeType: "application/pdf", buffer: pdf(5_000) });
  const big = page.locator('[data-charla="tray-item"][data-state="failed"]', { hasText: "grande.pdf" });
  await big.waitFor();
  assert.equal(await big.locator('[data-charla="tray-error"]').innerText(), "Larger than this workspace accepts (1000 B at most).");
  assert.equal(await big.locator('[data-charla="tray-retry"]').count(), 0);
  await page.locator('[data-charla="reply"]').fill("solo texto");
  await page.locator('[data-charla="send"]').click();
  const sent = await conv.visitor.next((f) => f.type === "message" && f.message.author.kind === "agent");
  assert.equal(sent.message.text, "solo texto");
  assert.equal(sent.message.attachments, undefined, "the refused file never went");
  assert.equal(await big.count(), 1, "it stays in the tray, never shown as sent");
  assert.equal(blobCount(), before, "nothing stored");
  assert.equal((await json(await api(edge, "GET", `/v1/inbox/files?conversation=${conv.id}`, owner.token))).files.length, 0);
  assert.equal((await api(edge, "PUT", "/v1/inbox/settings/files", owner.token, rules)).status, 200);
  await ctx.close();
});

test("only an owner deletes a conversation: its links answer 404 and its bytes are gone", async () => {
  const conv = await visitorConversation("borra esto");
  const [fileId] = await visitorSendsFiles(conv, [[pdf(4_000), "privado.pdf"]]);
  const denied = await api(edge, "DELETE", `/v1/inbox/conversations/${conv.id}`, lia.token);
  assert.equal(denied.status, 403);

  // An agent sees no Delete button.
  const agent = await agentPage("lia.files@example.com", "una clave larga");
  await openConversation(agent.page, conv.id);
  await agent.page.locator('[data-charla="messages"] [data-charla="file-chip"]').waitFor();
  assert.equal(await agent.page.locator('[data-charla="delete-conversation"]').count(), 0);
  await agent.ctx.close();

  const link = await json(await api(edge, "GET", `/v1/inbox/conversations/${conv.id}/files/${fileId}/link`, owner.token));
  assert.equal((await fetch(link.url)).status, 200);
  const before = blobCount();
  const { ctx, page } = await agentPage();
  await openConversation(page, conv.id);
  await page.locator('[data-charla="delete-conversation"]').click();
  const dialog = page.getByRole("alertdialog", { name: "Delete this conversation?" });
  await dialog.waitFor();
  // Cancel keeps it.
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "hidden" });
  await page.locator('[data-charla="delete-conversation"]').click();
  await dialog.getByRole("button", { name: "Delete for good" }).click();
  await page.locator('[data-charla="no-conversation"]').waitFor();
  await page.waitForFunction((id) => !document.querySelector(`[data-charla="conversation"][data-id="${id}"]`), conv.id);
  assert.equal((await fetch(link.url)).status, 404, "the link made before is dead");
  assert.ok(blobCount() < before, "the bytes are gone");
  assert.equal((await api(edge, "GET", `/v1/inbox/conversations/${conv.id}/files/${fileId}/link`, owner.token)).status, 404);
  await ctx.close();
});
