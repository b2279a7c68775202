// The launcher's place, set by the owner: moved off a theme's corner (offsets from the side and
// the bottom) and hidden on phones. The loader draws it there before any wasm, the widget keeps
// it there after it mounts, the open panel sits above it, and on a phone with "hide on mobile"
// there is no launcher while the page's own link still opens the chat.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { launchBrowser, startDemoSite } from "../support/browser.mjs";
import { api, login } from "../support/clients.mjs";

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

const setWidget = async (body) => {
  const res = await api(edge, "PUT", "/v1/inbox/settings/widget", owner.token, { brand_color: "#4f46e5", ...body });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
};
const hook = (page, name) => page.locator(`[data-charla="${name}"]`);
const box = (locator) => locator.evaluate((el) => {
  const r = el.getBoundingClientRect();
  return { left: r.left, right: innerWidth - r.right, bottom: innerHeight - r.bottom, visible: r.width > 0 };
});

test("offsets move the launcher and the panel, before and after the widget mounts", async () => {
  assert.equal((await api(edge, "PUT", "/v1/inbox/settings/widget", owner.token, { offset_x: 201 })).status, 400);
  await setWidget({ offset_x: 48, offset_y: 96 });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  // The loader's launcher, with no wasm on the page yet.
  const wasm = [];
  page.on("request", (r) => r.url().endsWith(".wasm") && wasm.push(r.url()));
  await page.goto(site.url + "/");
  const launcher = hook(page, "launcher");
  await launcher.waitFor();
  assert.deepEqual(wasm, [], "drawn by the loader");
  let at = await box(launcher);
  assert.equal(at.right, 48);
  assert.equal(at.bottom, 96);
  // Mounted and open: the widget keeps the place, the panel sits 68 px above the launcher's bottom.
  await launcher.click();
  await hook(page, "panel").waitFor();
  // The pointer off the launcher (hovered, it grows by 6 %) and its transition over.
  await page.mouse.move(0, 0);
  await page.waitForTimeout(300);
  at = await box(launcher);
  assert.equal(at.right, 48);
  assert.equal(at.bottom, 96);
  const panel = await box(hook(page, "panel"));
  assert.equal(panel.right, 48);
  assert.equal(panel.bottom, 96 + 68);
  await ctx.close();

  // On the left side the offset is from the left edge.
  await setWidget({ position: "left", offset_x: 30, offset_y: 20 });
  const left = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await left.goto(site.url + "/");
  const l = await box(hook(left, "launcher"));
  assert.equal(l.left, 30);
  assert.equal(l.bottom, 20);
  await left.context().close();
});

test("hide on mobile: no launcher on a phone, the page's own link still opens the chat; desktops keep it", async () => {
  await setWidget({ hide_on_mobile: true });
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
  await phone.goto(site.url + "/");
  await phone.waitForFunction(() => document.getElementById("charla-widget")?.shadowRoot?.querySelector('[data-charla="launcher"]'));
  assert.equal(await hook(phone, "launcher").isVisible(), false, "hidden by the loader");
  await phone.evaluate(() => window.charla("open"));
  await hook(phone, "panel").waitFor();
  await hook(phone, "composer").waitFor();
  assert.equal(await hook(phone, "launcher").isVisible(), false, "still hidden once the widget is mounted");
  await phone.context().close();

  const desk = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await desk.goto(site.url + "/");
  await hook(desk, "launcher").waitFor();
  assert.equal(await hook(desk, "launcher").isVisible(), true);
  await desk.context().close();
  await setWidget({});
});

test("from Settings → Chat widget: the owner sets the launcher's place and checks a site's connection", async () => {
  await setWidget({ allowed_origins: ["https://shop.example.com"] });
  const { signIn } = await import("../support/browser.mjs");
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(page, edge);
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("link", { name: "Chat widget" }).click();
  await hook(page, "offset-x").fill("64");
  await hook(page, "offset-x").press("Tab");
  await hook(page, "offset-y").fill("120");
  await hook(page, "offset-y").press("Tab");
  await hook(page, "hide-on-mobile").check();
  await page.getByRole("button", { name: "Save chat widget" }).click();
  await hook(page, "widget-status").filter({ hasText: "saved" }).waitFor();
  const stored = await (await api(edge, "GET", "/v1/inbox/settings/widget", owner.token)).json();
  assert.deepEqual([stored.offset_x, stored.offset_y, stored.hide_on_mobile], [64, 120, true]);

  // The check starts from the first allowed origin; a site not on the list is said so.
  const site = hook(page, "check-site");
  assert.equal(await site.inputValue(), "https://shop.example.com");
  await hook(page, "check-run").click();
  const status = hook(page, "check-status");
  await status.filter({ hasText: "Connected: the chat works on https://shop.example.com" }).waitFor();
  await site.fill("https://Other.example/tienda?x=1");
  await site.press("Enter");
  await status.filter({ hasText: "https://other.example is not in the allowed origins" }).waitFor();
  assert.match(await status.getAttribute("class"), /form-error/);
  await site.fill("not a site");
  await hook(page, "check-run").click();
  await status.filter({ hasText: "Enter the site's address" }).waitFor();
  await page.context().close();
  await setWidget({});
});
