// A workflow question with quick replies, end to end: the widget shows the buttons, the
// visitor's click flows back as their message, the workflow saves the choice and answers.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { launchBrowser, startDemoSite } from "../support/browser.mjs";
import { api, login, json } from "../support/clients.mjs";

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

test("the visitor picks a quick reply; the workflow routes on it", async () => {
  const owner = await login(edge);
  const wf = await json(await api(edge, "POST", "/v1/inbox/workflows", owner.token, {
    name: "Elegir tema", trigger: { type: "contact_message", first_in_period_only: true },
    start: "ask", steps: [
      { id: "ask", type: "ask_question", kind: "buttons", prompt: "¿Con quién quieres hablar?",
        buttons: [{ label: "Ventas", value: "sales", next: "sales" }, { label: "Soporte", value: "support", next: "support" }],
        save_to_field: "tema" },
      { id: "sales", type: "send_message", text: "Te paso con ventas." },
      { id: "support", type: "send_message", text: "Te paso con soporte ({{contact.tema}})." },
    ],
  }));
  assert.equal((await api(edge, "PUT", `/v1/inbox/workflows/${wf.id}/enabled`, owner.token, { enabled: true })).status, 200);

  const page = await (await browser.newContext()).newPage();
  await page.goto(site.url + "/");
  await page.locator('[data-charla="launcher"]').click();
  const composer = page.locator('[data-charla="composer"]');
  await composer.waitFor();
  await composer.fill("Hola");
  await page.locator('[data-charla="send"]').click();

  const replies = page.locator('[data-charla="quick-reply"]');
  await replies.first().waitFor();
  assert.deepEqual(await replies.allTextContents(), ["Ventas", "Soporte"]);
  await replies.filter({ hasText: "Soporte" }).click();

  const texts = page.locator('[data-charla="message"] [data-charla="text"]');
  await texts.filter({ hasText: "Te paso con soporte" }).waitFor({ timeout: 15_000 });
  const all = await texts.allTextContents();
  assert.ok(all.includes("Soporte"), `the choice is the visitor's message: ${JSON.stringify(all)}`);
  assert.ok(all.includes("Te paso con soporte (support)."), JSON.stringify(all));
  assert.ok(!all.includes("Te paso con ventas."));
  await page.context().close();
});
