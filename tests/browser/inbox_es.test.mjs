// The inbox in Spanish and English: an es-ES browser gets the whole inbox in Spanish (sign-in,
// header, views, an open conversation, the composer, the close dialog, the timeline, a refused
// action's error), the agent switches to English in the profile and sees it at once and after
// a reload; an en-US browser gets English. `<html lang>` follows the language shown.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { launchBrowser } from "../support/browser.mjs";
import { api, login, newVisitor, visitorSocket } from "../support/clients.mjs";
import { DEMO } from "../support/edge.mjs";

let edge, browser;
before(async () => {
  edge = await startEdge();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await edge?.stop();
});

const htmlLang = (page) => page.evaluate(() => document.documentElement.lang);

test("an es-ES browser sees the inbox in Spanish, switches to English in the profile and stays English", async () => {
  const owner = await login(edge);
  const put = await api(edge, "PUT", "/v1/inbox/settings/lifecycle", owner.token, {
    closing_category: "required",
    closing_summary: "optional",
    categories: ["Ventas", "Soporte"],
    auto_close_after: 86_400_000,
  });
  assert.equal(put.status, 200, await put.text());
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.say("Hola, mi pedido no llegó");

  const ctx = await browser.newContext({ locale: "es-ES" });
  const page = await ctx.newPage();
  await page.goto(`${edge.url}/inbox/`);

  // Sign-in, and a refusal from the edge worded in Spanish (never the server's English text).
  await page.getByRole("heading", { name: "Bandeja de Charla" }).waitFor();
  assert.equal(await htmlLang(page), "es");
  await page.getByLabel("Espacio de trabajo").fill(DEMO.workspace);
  await page.getByLabel("Email").fill(DEMO.email);
  await page.getByLabel("Contraseña").fill("no-es-la-clave");
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
  const signInError = page.locator('[data-charla="sign-in-error"]');
  await signInError.filter({ hasText: "El espacio de trabajo, el email o la contraseña no son correctos." }).waitFor();
  await page.getByLabel("Contraseña").fill(DEMO.password);
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
  await page.locator('[data-charla="conversation-list"]').waitFor();

  // Header and views.
  const nav = page.getByRole("navigation", { name: "Páginas" });
  await nav.getByRole("link", { name: "Bandeja de entrada" }).waitFor();
  await nav.getByRole("link", { name: "Informes" }).waitFor();
  await nav.getByRole("link", { name: "Configuración" }).waitFor();
  await page.getByRole("button", { name: "Cerrar sesión" }).waitFor();
  const tabs = (await page.getByRole("tab").allTextContents()).map((t) => t.replace(/\s*\d+\s*$/, "").trim());
  assert.deepEqual(tabs, ["Asignadas a mí", "Sin asignar", "Todas", "Cerradas"]);
  await page.getByText("Selecciona una conversación para empezar a responder.").waitFor();

  // An open conversation: its buttons, the composer, a timeline line.
  await page.locator('[data-charla="view-unassigned"]').click();
  await page.locator(`[data-charla="conversation"][data-id="${session.conversation_id}"]`).click();
  await page.locator('[data-charla="message"][data-author="contact"]').first().waitFor();
  await page.getByRole("button", { name: "Asignar a…" }).waitFor();
  await page.getByRole("button", { name: "Ejecutar flujo de trabajo" }).waitFor();
  await page.getByRole("button", { name: "Datos del contacto" }).waitFor();
  const reply = page.locator('[data-charla="reply"]');
  assert.equal(await reply.getAttribute("placeholder"), "Escribe una respuesta… (Intro para enviar, Mayús+Intro para una nueva línea)");
  assert.equal(await reply.getAttribute("aria-label"), "Responder");
  await page.getByRole("button", { name: "Asignarme" }).click();
  await page.locator('[data-charla="assignee"]', { hasText: "Asignada a ti" }).first().waitFor();
  const assigned = page.locator('[data-charla="activity"][data-kind="assigned"] [data-charla="activity-text"]').last();
  await assigned.waitFor();
  assert.match(await assigned.textContent(), /^Asignada a .+ por .+$/);
  await page.getByRole("button", { name: "Nota interna" }).click();
  assert.match(await reply.getAttribute("placeholder"), /^Nota solo para agentes/);
  await page.getByRole("button", { name: "Responder", exact: true }).click();

  // The close dialog, and the edge's refusal (category required) in Spanish.
  await page.getByRole("button", { name: "Cerrar conversación" }).click();
  const dialog = page.getByRole("dialog", { name: "Cerrar conversación" });
  await dialog.waitFor();
  const category = dialog.getByRole("combobox", { name: "Categoría" });
  assert.deepEqual(await category.locator("option").allTextContents(), ["Elige una categoría", "Ventas", "Soporte"]);
  await dialog.getByRole("button", { name: "Confirmar cierre" }).click();
  const refusal = dialog.locator('[role="alert"]');
  await refusal.waitFor();
  assert.equal((await refusal.textContent()).trim(), "Revisa la categoría y el resumen: el espacio de trabajo puede exigirlos para cerrar una conversación.");
  await dialog.getByRole("button", { name: "Cancelar" }).click();
  await dialog.waitFor({ state: "hidden" });

  // The shortcut sheet.
  await page.locator("body").click({ position: { x: 1, y: 1 } });
  await page.keyboard.press("?");
  const sheet = page.getByRole("dialog", { name: "Atajos de teclado" });
  await sheet.getByText("Siguiente conversación").waitFor();
  await sheet.getByRole("button", { name: "Cerrar" }).click();
  await sheet.waitFor({ state: "hidden" });

  // The profile: English applies at once, without a reload, and survives one.
  await page.locator('[data-charla="agent"]').click();
  const language = page.locator('[data-charla="settings-language"]');
  await language.getByRole("heading", { name: "Idioma" }).waitFor();
  await language.getByLabel("English").check();
  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Inbox" }).waitFor();
  await language.getByRole("heading", { name: "Language" }).waitFor();
  assert.equal(await htmlLang(page), "en");
  await page.reload();
  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Inbox" }).waitFor();
  assert.equal(await htmlLang(page), "en");
  assert.equal(await page.getByLabel("English").isChecked(), true);
  // Back to automatic: this browser's Spanish again.
  await page.getByLabel(/^Automatic/).check();
  await page.getByRole("navigation", { name: "Páginas" }).getByRole("link", { name: "Bandeja de entrada" }).waitFor();
  assert.equal(await htmlLang(page), "es");

  await ctx.close();
  await visitor.close();
});

test("an en-US browser sees the inbox in English", async () => {
  const ctx = await browser.newContext({ locale: "en-US" });
  const page = await ctx.newPage();
  await page.goto(`${edge.url}/inbox/`);
  await page.getByRole("heading", { name: "Charla inbox" }).waitFor();
  assert.equal(await htmlLang(page), "en");
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  await ctx.close();
});
