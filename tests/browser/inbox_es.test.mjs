// The inbox in Spanish and English: an es-ES browser gets the whole inbox in Spanish (sign-in,
// header, views, an open conversation, the composer, the close dialog, the timeline, a refused
// action's error), the agent switches to English in the profile and sees it at once and after
// a reload; an en-US browser gets English. `<html lang>` follows the language shown.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { launchBrowser } from "../support/browser.mjs";
import { api, json, login, newVisitor, visitorSocket } from "../support/clients.mjs";
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

/** Known English leftovers (whole words or phrases) in `root`'s text and in the names,
 *  placeholders and titles of what it holds. */
async function englishLeftovers(root, phrases) {
  return root.evaluate((el, phrases) => {
    const texts = [el.innerText];
    for (const node of el.querySelectorAll("*")) {
      for (const attr of ["aria-label", "placeholder", "title"]) {
        const v = node.getAttribute(attr);
        if (v) texts.push(v);
      }
      if (node.tagName === "OPTION") texts.push(node.textContent);
    }
    const all = texts.join("\n");
    return phrases.filter((p) => new RegExp(`(^|[^\\p{L}])${p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^\\p{L}])`, "u").test(all));
  }, phrases);
}

const SETTINGS_ENGLISH = [
  "Agents", "Refresh agents", "Capacity", "Access", "Status", "Invite an agent", "Create invite link",
  "Deactivate", "Password reset link", "Save", "No limit", "Owner", "Manager", "All conversations",
  "Own and unassigned", "Teams", "Closing notes", "Assignment", "Time zone", "open",
];
const HOURS_ENGLISH = [
  "Business hours", "When can visitors reach you?", "Always open", "Open on a schedule", "Opening hours",
  "Monday", "Tuesday", "Sunday", "Copy Monday to weekdays", "Holidays", "Add holiday", "Holiday date",
  "Name (optional)", "Save business hours", "Add hours", "opens", "closes", "Closed", "Open now",
];
const WIDGET_ENGLISH = [
  "Install", "Copy snippet", "Embed snippet", "Appearance", "Brand colour", "Hex code", "Position",
  "Launcher label", "Header text", "Greeting", "Typically replies in", "Show agent avatars",
  "When nobody is online", "Away message", "Pre-chat form", "Add text field", "Allowed origins",
  "Add origin", "Identity verification", "Show secret", "Rotate secret", "Save chat widget", "Preview",
];
const WORKFLOW_ENGLISH = [
  "New workflow", "All workflows", "About", "Workflow name", "Description", "Trigger", "Starts when",
  "Trigger conditions", "Add condition", "Steps", "First step", "Add step", "New step type",
  "Save workflow", "Step 1", "Message", "Remove", "Then", "End the run", "is empty",
  "Conversation opened", "Send message",
];
const REPORTS_ENGLISH = [
  "Reports", "Period", "Last 7 days", "Today", "Agent filter", "All agents", "All teams",
  "All categories", "Overview", "Closed conversations", "Download CSV", "Previous page", "Next page",
  "Rows per page", "Page", "conversations", "Opened", "First response", "Resolution", "Messages received",
  "Conversations by day",
];

test("an es-ES browser sees settings, business hours, the widget, workflows (and a validation problem), reports and the invite page in Spanish", async () => {
  const owner = await login(edge);
  const ctx = await browser.newContext({ locale: "es-ES" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(`${edge.url}/inbox/`);
  await page.getByLabel("Espacio de trabajo").fill(DEMO.workspace);
  await page.getByLabel("Email").fill(DEMO.email);
  await page.getByLabel("Contraseña").fill(DEMO.password);
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
  await page.locator('[data-charla="conversation-list"]').waitFor();

  // Settings: agents and the invite form.
  await page.goto(`${edge.url}/inbox/#/settings`);
  const agents = page.locator('[data-charla="settings-agents"]');
  await agents.getByRole("heading", { name: "Agentes" }).waitFor();
  await agents.locator('[data-charla="agent-row"]').first().waitFor();
  await agents.getByRole("heading", { name: "Invitar a un agente" }).waitFor();
  await agents.getByRole("button", { name: "Crear enlace de invitación" }).click();
  await agents.getByText("Escribe el email del agente nuevo.").waitFor();
  const settings = page.locator('[data-charla="settings"]');
  assert.deepEqual(await englishLeftovers(settings, SETTINGS_ENGLISH), []);

  // Business hours.
  await page.goto(`${edge.url}/inbox/#/settings/hours`);
  const hours = page.locator('[data-charla="settings-hours"]');
  await hours.getByRole("heading", { name: "Horario de atención" }).waitFor();
  await hours.getByLabel("Abierto según un horario").check();
  await hours.getByRole("group", { name: "Lunes" }).waitFor();
  await hours.getByLabel("Abierto el lunes").check();
  assert.deepEqual(await englishLeftovers(hours, HOURS_ENGLISH), []);
  assert.match(await hours.locator('[data-charla="hours-status"]').textContent(), /^Abierto ahora/);

  // The chat widget.
  await page.goto(`${edge.url}/inbox/#/settings/widget`);
  const widget = page.locator('[data-charla="settings-widget"]');
  await widget.getByRole("heading", { name: "Apariencia" }).waitFor();
  await widget.getByRole("button", { name: "Guardar widget de chat" }).waitFor();
  assert.deepEqual(await englishLeftovers(widget, WIDGET_ENGLISH), []);

  // The workflows editor: the server's validation problem, worded from its kind.
  await page.goto(`${edge.url}/inbox/#/workflows/new`);
  await page.getByRole("heading", { name: "Nuevo flujo de trabajo" }).waitFor();
  await page.getByLabel("Nombre del flujo de trabajo").fill("Bienvenida");
  await page.getByRole("button", { name: "Guardar flujo de trabajo" }).click();
  const problems = page.locator('[data-charla="step"][data-step-id="step_1"] [data-charla="step-problems"]');
  await problems.waitFor();
  assert.equal((await problems.textContent()).trim(), "Falta el mensaje.");
  const editor = page.locator('[data-charla="workflows"]');
  assert.deepEqual(await englishLeftovers(editor, WORKFLOW_ENGLISH), []);

  // Reports.
  await page.goto(`${edge.url}/inbox/#/reports`);
  const reports = page.locator('[data-charla="reports"]');
  await reports.getByRole("heading", { name: "Informes" }).waitFor();
  await reports.locator('[data-charla="overview-cards"]').waitFor();
  assert.deepEqual(await englishLeftovers(reports, REPORTS_ENGLISH), []);
  await reports.getByRole("tab", { name: "Conversaciones cerradas" }).click();
  await reports.locator('[data-charla="page-status"]', { hasText: /^Página 1 de 1 · \d+ conversaci/ }).waitFor();
  assert.deepEqual(await englishLeftovers(reports, REPORTS_ENGLISH), []);
  await ctx.close();

  // The invite page, and a used link refused in Spanish.
  const invite = await json(await api(edge, "POST", "/v1/inbox/invites", owner.token, { email: "lucia.es@example.com", role: "agent" }));
  const used = await api(edge, "POST", "/v1/auth/accept-invite", null, { workspace_id: DEMO.workspace, token: invite.token, name: "Lucía", password: "una clave larga" });
  assert.equal(used.status, 200, await used.text());
  const fresh = await browser.newContext({ locale: "es-ES" });
  const invitePage = await fresh.newPage();
  await invitePage.goto(`${edge.url}/inbox/#/invite/${DEMO.workspace}/${invite.token}`);
  const form = invitePage.locator('[data-charla="accept-invite"]');
  await form.getByRole("heading", { name: "Únete a la bandeja de Charla" }).waitFor();
  await form.getByLabel("Tu nombre").fill("Lucía");
  await form.getByLabel("Elige una contraseña").fill("una clave larga");
  await form.getByRole("button", { name: "Unirme al espacio de trabajo" }).click();
  await form.locator('[data-charla="invite-error"]', { hasText: "Este enlace de invitación ya se usó o ha caducado. Pide uno nuevo." }).waitFor();
  assert.deepEqual(
    await englishLeftovers(form, ["Join the Charla inbox", "Your name", "Choose a password", "Join workspace", "Not now", "invited"]),
    [],
  );
  await fresh.close();
});
