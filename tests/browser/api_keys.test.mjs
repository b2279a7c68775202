// API keys end to end (real Chromium, real workerd): an owner creates a key in Settings → API
// keys, sees the whole key once (a reload shows only its last four characters), calls the REST
// API with it, and revokes it from the same page (the key is refused from then on). A manager
// has no such tab, and the page refuses them if they open it by address. Webhooks on the same
// page: added with their secret shown once, their delivery log, and a delivery sent again.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { launchBrowser, signIn } from "../support/browser.mjs";
import { createServer } from "node:http";
import { api, invitedAgent, login } from "../support/clients.mjs";

let edge, browser;
before(async () => {
  edge = await startEdge({ vars: { CHARLA_ALLOW_PRIVATE_HTTP: "1" } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await edge?.stop();
});

test("an owner creates a key, sees it once, uses it, and revokes it", async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await signIn(page, edge);
  await page.goto(`${edge.url}/inbox/#/settings/api`);
  const form = page.locator('[data-charla="api-key-form"]');
  await form.waitFor();
  await page.getByRole("link", { name: "API & webhooks" }).waitFor();

  // No name: told so, nothing created.
  await form.locator('[data-charla="api-key-create"]').click();
  await page.locator('[data-charla="api-key-create-error"]', { hasText: "name" }).waitFor();

  await form.locator('[data-charla="api-key-name"]').fill("Sincronizar CRM");
  await form.locator('input[value="contacts:write"]').check();
  await form.locator('[data-charla="api-key-create"]').click();
  const secretBox = form.locator('[data-charla="api-key-secret"]');
  await secretBox.waitFor();
  const key = await secretBox.inputValue();
  assert.match(key, /^ck1\.demo\.k_[0-9a-f]{32}\.[0-9a-f]{64}$/);
  const row = page.locator('[data-charla="api-key"]', { hasText: "Sincronizar CRM" });
  await row.waitFor();
  assert.ok((await row.textContent()).includes(`…${key.slice(-4)}`), "the row shows the hint");

  // The key works against the REST API with the scopes picked.
  const res = await api(edge, "GET", "/v1/api/contacts", key);
  assert.equal(res.status, 200, await res.text());
  const owner = await login(edge);
  const [stored] = (await (await api(edge, "GET", "/v1/inbox/api-keys", owner.token)).json()).filter((k) => k.name === "Sincronizar CRM");
  assert.deepEqual(stored.scopes, ["contacts:read", "contacts:write"]);

  // After a reload the whole key is gone from the page.
  await page.reload();
  await row.waitFor();
  assert.equal(await page.locator('[data-charla="api-key-secret"]').count(), 0);
  assert.ok(!(await page.content()).includes(key.split(".")[3]), "the secret is not on the page");

  // Revoke asks first, then the key stops working.
  await row.locator('[data-charla="api-key-revoke"]').click();
  await row.locator('[data-charla="api-key-revoke-confirm"]').click();
  await row.locator('[data-charla="api-key-revoked"]').waitFor();
  assert.equal((await api(edge, "GET", "/v1/api/contacts", key)).status, 401);
  await ctx.close();
});

test("a manager has no API keys tab, and the page refuses them", async () => {
  const owner = await login(edge);
  await invitedAgent(edge, owner, "gerente.claves@example.com", "manager", "Gerente Claves");
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, edge, "gerente.claves@example.com", "una clave larga");
  await page.goto(`${edge.url}/inbox/#/settings`);
  await page.locator("#teams-title").waitFor();
  assert.equal(await page.getByRole("link", { name: "API & webhooks" }).count(), 0);
  await page.evaluate(() => (location.hash = "#/settings/api"));
  await page.locator('[data-charla="settings-forbidden"]').waitFor();
  assert.equal(await page.locator('[data-charla="api-key-form"]').count(), 0);
  await ctx.close();
});

test("an owner adds a webhook, sees its deliveries, and sends one again", async () => {
  const got = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      got.push(JSON.parse(body));
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("recibido");
    });
  });
  await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
  try {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    page.on("pageerror", (e) => console.error("page error:", e.message));
    await signIn(page, edge);
    await page.goto(`${edge.url}/inbox/#/settings/api`);
    const form = page.locator('[data-charla="webhook-form"]');
    await form.waitFor();
    await form.locator('[data-charla="webhook-url"]').fill(`http://127.0.0.1:${receiver.address().port}/hook`);
    await form.locator('input[value="contact.created"]').check();
    await form.locator('[data-charla="webhook-create"]').click();
    const secret = await form.locator('[data-charla="webhook-secret"]').inputValue();
    assert.match(secret, /^whsec_[0-9a-f]{64}$/);
    const row = page.locator('[data-charla="webhook"]');
    await row.waitFor();

    // An event: a contact made through the API.
    const owner = await login(edge);
    const key = await (await api(edge, "POST", "/v1/inbox/api-keys", owner.token, { name: "Alta", scopes: ["contacts:write"] })).json();
    const made = await api(edge, "POST", "/v1/api/contacts", key.secret, { name: "Nuria Sanz" });
    assert.equal(made.status, 201);
    for (let i = 0; i < 100 && !got.some((e) => e.type === "contact.created"); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(got.some((e) => e.type === "contact.created" && e.data.contact.name === "Nuria Sanz"), "delivered");

    await row.locator('[data-charla="webhook-deliveries"]').click();
    const delivery = row.locator('[data-charla="webhook-delivery"]').first();
    await delivery.waitFor();
    assert.equal(await delivery.getAttribute("data-ok"), "true");
    assert.ok((await delivery.textContent()).includes("recibido"), "the receiver's answer is shown");
    const before = got.length;
    await delivery.locator('[data-charla="webhook-redeliver"]').click();
    for (let i = 0; i < 100 && got.length === before; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(got.length, before + 1, "sent again");
    assert.equal(got.at(-1).id, got.find((e) => e.type === "contact.created").id, "the same event id");

    await row.locator('[data-charla="webhook-delete"]').click();
    await row.locator('[data-charla="webhook-delete-confirm"]').click();
    await row.waitFor({ state: "detached" });
    await ctx.close();
  } finally {
    receiver.close();
  }
});
