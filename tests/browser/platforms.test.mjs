// Install paths and hostile host pages (demo-site/platforms/): on every page the launcher appears
// where it should, opens, sends and receives; the widget looks the same everywhere (screenshots
// of the launcher and of the open panel compared pixel by pixel with the plain HTML page); the
// strict-CSP page works with exactly the documented CSP lines and reports no violation; the
// Wix-like SPA keeps the chat open with its conversation across navigations. Plus the WordPress
// plugin (php -l, its rendered snippet and its escaping through a stubbed-WordPress harness, the
// zip) and the Shopify app embed block (schema, escaping).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PNG } from "pngjs";
import pixelmatch from "pixelmatch";
import { startEdge, ROOT, DEMO } from "../support/edge.mjs";
import { launchBrowser, scratchDir, startDemoSite } from "../support/browser.mjs";
import { agentSocket, login } from "../support/clients.mjs";

const PAGES = [
  { name: "plain-html", path: "/" },
  { name: "wordpress", path: "/platforms/wordpress.html" },
  { name: "shopify", path: "/platforms/shopify.html" },
  { name: "wix-spa", path: "/platforms/wix.html", spa: true },
  { name: "squarespace-ajax", path: "/platforms/squarespace.html", spa: true },
  { name: "gtm", path: "/platforms/gtm.html" },
  { name: "strict-csp", path: "/platforms/strict-csp.html", csp: true },
  { name: "rtl", path: "/platforms/rtl.html" },
];
const REFERENCE = "plain-html";
const VIEWPORT = { width: 1280, height: 800 };
/** Largest share of differing pixels between a page's screenshot and the reference's. */
const TOLERANCE = 0.005;
const HELLO = "Hello! Do you ship to Monterrey?";
const REPLY = "Yes, in three days.";
const SHOT = { animations: "disabled", caret: "hide", scale: "css" };
const DOCS = join(ROOT, "demo-site/docs");
const hasPhp = spawnSync("php", ["--version"]).status === 0;

let edge, site, browser, agentToken;
const shots = new Map(); // page name -> { launcher: Buffer, panel: Buffer }
before(async () => {
  edge = await startEdge();
  site = await startDemoSite(edge);
  browser = await launchBrowser();
  agentToken = (await login(edge)).token;
});
after(async () => {
  await browser?.close();
  await site?.stop();
  await edge?.stop();
});

/** Everything that must not happen on a page: errors, failed widget loads, CSP violations. */
async function watch(page) {
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    const from = m.location()?.url || "";
    if (from.endsWith("/favicon.ico")) return; // the demo site has no icon
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
    if (m.type() === "warning" && m.text().startsWith("charla:")) problems.push(`loader: ${m.text()}`);
  });
  await page.addInitScript(() => {
    window.__violations = [];
    addEventListener(
      "securitypolicyviolation",
      (e) => window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`),
      true,
    );
  });
  return problems;
}

const texts = (page, author) =>
  page.locator(`[data-charla="message"]${author ? `[data-author="${author}"]` : ""} [data-charla="text"]`).allTextContents();

/** The launcher sits 20 px from the viewport's right and bottom edges, on top of everything. */
async function assertLauncherPlaced(page, where) {
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const box = await page.locator('[data-charla="launcher"]').evaluate((el) => {
    const r = el.getBoundingClientRect();
    const root = document.documentElement;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {
      right: root.clientWidth - r.right, bottom: root.clientHeight - r.bottom, width: r.width, height: r.height,
      onTop: hit === document.getElementById("charla-widget"),
    };
  });
  const near = (a, b) => Math.abs(a - b) < 0.51;
  assert.ok(near(box.right, 20) && near(box.bottom, 20) && near(box.width, 56) && near(box.height, 56),
    `${where}: launcher box ${JSON.stringify(box)}`);
  assert.ok(box.onTop, `${where}: something covers the launcher`);
}

for (const p of PAGES) {
  test(`${p.name}: the launcher appears, opens, sends and receives`, async () => {
    const ctx = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    const problems = await watch(page);
    let agent;
    try {
      const res = await page.goto(site.url + p.path);
      assert.equal(res.status(), 200);
      const launcher = page.locator('[data-charla="launcher"]');
      await launcher.waitFor();
      // Privacy holds on every platform: nothing stored, no cookie, before the chat is opened.
      assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0);
      assert.deepEqual(await ctx.cookies(), []);
      // The widget replaces the loader's placeholder once the visitor shows intent (here the
      // launcher takes focus), still closed.
      await launcher.focus();
      await page.locator('[data-charla="panel"]').waitFor({ state: "attached" });
      assert.equal(await page.evaluate(() => document.querySelectorAll("#charla-widget").length), 1);
      await assertLauncherPlaced(page, p.name);
      const launcherShot = await launcher.screenshot(SHOT);

      await launcher.click();
      const composer = page.locator('[data-charla="composer"]');
      await composer.waitFor();
      await page.locator('[data-charla="status"][data-state="online"]').waitFor();
      // Real key events, which host pages' keyboard handlers see too (WordPress: type-to-search).
      await composer.pressSequentially(HELLO);
      await composer.press("Enter");
      await page.locator('[data-charla="message"][data-author="contact"]:not([data-pending])').first().waitFor();
      assert.deepEqual(await texts(page, "contact"), [HELLO]);
      if (p.name === "wordpress") {
        assert.equal(await page.evaluate(() => window.wpThemeReady), true, "the theme's jQuery ran");
        assert.equal(await page.locator("#search-overlay.open").count(), 0, "keys typed in the chat reached the theme");
      }

      const session = await page.evaluate((w) => JSON.parse(localStorage.getItem(`charla:${w}:session`)), DEMO.workspace);
      agent = await agentSocket(edge, agentToken, session.conversation_id);
      const seen = await agent.sync();
      assert.deepEqual(seen.map((m) => m.text), [HELLO]);
      await agent.say(REPLY);
      await page.locator('[data-charla="message"][data-author="agent"]').first().waitFor();
      assert.deepEqual(await texts(page), [HELLO, REPLY]);

      await page.mouse.move(0, 0);
      const panel = page.locator('[data-charla="panel"]');
      shots.set(p.name, { launcher: launcherShot, panel: await panel.screenshot(SHOT) });

      if (p.spa) await spaNavigation(page, agent, p.name);
      if (p.name === "rtl") {
        const dirs = await page.evaluate(() => [document.documentElement.dir, getComputedStyle(document.getElementById("charla-widget")).direction]);
        assert.deepEqual(dirs, ["rtl", "ltr"], "the widget keeps its own direction on an RTL page");
      }
      if (p.csp) await cspChecks(page, res, problems);
      else assert.deepEqual(await page.evaluate(() => window.__violations), []);
      assert.deepEqual(problems, [], `${p.name}: errors on the page`);
    } finally {
      await agent?.close();
      await ctx.close();
    }
  });
}

/** Wix-like (pushState + the body content replaced + the custom code injected again) and
 * Squarespace-like (Ajax loading: pushState + #page replaced, the footer code not run again).
 * The chat must survive, not be rebuilt: the same host element and the same socket throughout. */
async function spaNavigation(page, agent, name) {
  const panel = page.locator('[data-charla="panel"]');
  const host = await page.evaluateHandle(() => document.getElementById("charla-widget"));
  const sockets = [];
  page.on("websocket", (ws) => sockets.push(ws.url()));
  for (const [target, expected] of [["shop", [HELLO, REPLY, "And to Oaxaca?"]], ["about", null]]) {
    await page.locator(`a[data-spa][href="?page=${target}"]`).click();
    await page.locator(`h1[data-page="${target}"]`).waitFor();
    assert.ok(await panel.isVisible(), `the chat stayed open after navigating to ${target}`);
    assert.equal(await page.evaluate(() => document.querySelectorAll("#charla-widget").length), 1);
    assert.ok(await host.evaluate((el) => el.isConnected && el === document.getElementById("charla-widget")),
      `the same widget survived navigating to ${target}`);
    await assertLauncherPlaced(page, `${name} after navigating to ${target}`);
    if (expected) {
      // The same socket still carries both ways.
      const composer = page.locator('[data-charla="composer"]');
      await composer.pressSequentially(expected[2]);
      await composer.press("Enter");
      await agent.next((f) => f.type === "message" && f.message.text === expected[2]);
      await page.locator('[data-charla="message"][data-author="contact"]:not([data-pending])').nth(1).waitFor();
      await agent.say("Also to Oaxaca.");
      await page.locator('[data-charla="message"][data-author="agent"]').nth(1).waitFor();
      assert.deepEqual(await texts(page), [...expected.slice(0, 3), "Also to Oaxaca."]);
    }
  }
  const state = await page.evaluate(() => ({
    navigations: window.spaNavigations,
    snippets: document.querySelectorAll("script[data-workspace]").length,
    url: location.search,
  }));
  assert.equal(state.navigations, 2);
  assert.equal(state.snippets, 1, "one snippet: Wix's injected again (the loader ran and was a no-op), Squarespace's not run again");
  assert.equal(state.url, "?page=about");
  await page.goBack();
  await page.locator('h1[data-page="shop"]').waitFor();
  assert.ok(await panel.isVisible());
  assert.equal((await texts(page)).length, 4);
  assert.ok(await host.evaluate((el) => el.isConnected));
  assert.deepEqual(sockets, [], "no new socket: the conversation stayed on its connection");
  // The page API survived too.
  await page.evaluate(() => window.charla("close"));
  await panel.waitFor({ state: "hidden" });
  await page.evaluate(() => window.charla("open"));
  await panel.waitFor({ state: "visible" });
}

/** The served policy is the documented one, and it is enforced: no 'unsafe-inline', no eval. */
async function cspChecks(page, res, problems) {
  const policy = res.headers()["content-security-policy"];
  assert.ok(policy, "the strict page is served with a Content-Security-Policy header");
  assert.match(policy, new RegExp(`script-src 'self' ${edge.url} 'wasm-unsafe-eval';`));
  assert.match(policy, new RegExp(`connect-src 'self' ${edge.url} ${edge.wsUrl};`));
  assert.match(policy, /style-src 'self';/);
  assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'|\*/);
  assert.deepEqual(await page.evaluate(() => window.__violations), [], "CSP violations while chatting");
  assert.deepEqual(problems, [], "errors while chatting under the strict CSP");
  // Controls: the policy really is enforced, and violations really are seen by this test.
  // (An inline <script>, not eval: code run through DevTools' evaluate may eval anyway.)
  const inlineScript = await page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.__inlineRan = true";
    document.head.append(s);
    return window.__inlineRan === true;
  });
  assert.equal(inlineScript, false);
  const inlineStyle = await page.evaluate(() => {
    const s = document.createElement("style");
    s.textContent = "body{outline:3px solid red}";
    document.head.append(s);
    return getComputedStyle(document.body).outlineStyle;
  });
  assert.equal(inlineStyle, "none");
  await page.waitForFunction(() => window.__violations.length >= 2);
  const seen = await page.evaluate(() => window.__violations.join("\n"));
  assert.match(seen, /script-src/);
  assert.match(seen, /style-src/);
  problems.length = 0; // the controls' own console errors
}

test("the widget looks the same on every page (launcher and open panel, pixel diff)", () => {
  assert.equal(shots.size, PAGES.length, "every page test produced its screenshots");
  const dir = scratchDir();
  const failures = [];
  const table = [];
  const ref = shots.get(REFERENCE);
  for (const [name, s] of shots) {
    const row = { page: name };
    for (const part of ["launcher", "panel"]) {
      writeFileSync(join(dir, `${name}-${part}.png`), s[part]);
      if (name === REFERENCE) continue;
      const { ratio, diff, error } = compare(ref[part], s[part], part === "launcher");
      row[part] = error ?? `${(ratio * 100).toFixed(3)}%`;
      if (error || ratio > TOLERANCE) {
        if (diff) writeFileSync(join(dir, `${name}-${part}-diff.png`), PNG.sync.write(diff));
        failures.push(`${name} ${part}: ${row[part]}`);
      }
    }
    table.push(row);
  }
  console.log(`screenshot diffs against ${REFERENCE} (tolerance ${TOLERANCE * 100}%), images in ${dir}`);
  console.table(table);
  assert.deepEqual(failures, [], `screenshots differ; see ${dir}`);
});

/** Share of differing pixels. For the round launcher, the page behind its corners is not
 * the widget's: only pixels inside its circle (minus the anti-aliased rim) count. */
function compare(aBuf, bBuf, round) {
  const a = PNG.sync.read(aBuf);
  const b = PNG.sync.read(bBuf);
  if (a.width !== b.width || a.height !== b.height) {
    return { error: `size ${b.width}x${b.height} instead of ${a.width}x${a.height}` };
  }
  let counted = a.width * a.height;
  if (round) {
    const r = Math.min(a.width, a.height) / 2 - 1.5;
    counted = 0;
    for (let y = 0; y < a.height; y++) {
      for (let x = 0; x < a.width; x++) {
        const inside = Math.hypot(x + 0.5 - a.width / 2, y + 0.5 - a.height / 2) <= r;
        if (inside) { counted++; continue; }
        const i = (y * a.width + x) * 4;
        for (let k = 0; k < 4; k++) b.data[i + k] = a.data[i + k];
      }
    }
  }
  const diff = new PNG({ width: a.width, height: a.height });
  const n = pixelmatch(a.data, b.data, diff.data, a.width, a.height, { threshold: 0.1 });
  return { ratio: n / counted, diff };
}

test("WordPress plugin: php -l, the rendered snippet, escaping and validation of hostile settings", async (t) => {
  const plugin = join(ROOT, "demo-site/wordpress/charla-chat");
  const header = readFileSync(join(plugin, "charla-chat.php"), "utf8");
  for (const h of [/Plugin Name: +Charla Chat$/m, /Version: +0\.\d+\.\d+$/m, /Requires at least: +6\.1$/m, /Requires PHP: +7\.4$/m,
    /License: +MIT$/m, /Text Domain: +charla-chat$/m]) {
    assert.match(header, h, "plugin header");
  }
  assert.match(header, /'strategy'\s*=>\s*'async'/);
  assert.match(header, /'in_footer'\s*=>\s*true/);
  assert.match(header, /is_admin\(\)/);
  const readme = readFileSync(join(plugin, "readme.txt"), "utf8");
  for (const h of ["=== Charla Chat ===", "Contributors:", "Tags:", "Requires at least:", "Tested up to:", "Stable tag:", "License:",
    "== Description ==", "== Installation ==", "== Frequently Asked Questions ==", "== Changelog =="]) {
    assert.ok(readme.includes(h), `readme.txt has ${h}`);
  }
  if (!hasPhp) {
    t.skip("php is not installed (bash scripts/setup.sh --test installs php-cli)");
    return;
  }
  const phpFiles = [...readdirSync(plugin).filter((f) => f.endsWith(".php")).map((f) => join(plugin, f)),
    join(ROOT, "demo-site/wordpress/harness/render.php")];
  assert.ok(phpFiles.length >= 4);
  for (const f of phpFiles) execFileSync("php", ["-l", f], { stdio: "pipe" });

  const harness = join(ROOT, "demo-site/wordpress/harness/render.php");
  const r = JSON.parse(execFileSync("php", [harness, "checks", edge.url], { encoding: "utf8" }));
  const tag = `<script data-workspace="demo" data-cfasync="false" src="${edge.url}/loader.js" id="charla-chat-js" async data-wp-strategy="async"></script>\n`;
  assert.deepEqual(r.valid_save, { saved: { edge_url: edge.url, workspace: "demo" }, errors: [] });
  assert.deepEqual(r.valid_page, { head: "", footer: tag }, "one async script in the footer, nothing in the head");
  assert.deepEqual(r.admin_page, { head: "", footer: "" }, "nothing in wp-admin");
  assert.deepEqual(r.pasted_loader.saved, { edge_url: "https://chat.example.com", workspace: "acme_shop-2" });
  for (const h of r.hostile) {
    assert.deepEqual(h.result.saved, r.pasted_loader.saved, `refused and kept the previous value: ${JSON.stringify(h.input)}`);
    assert.deepEqual(h.result.errors, ["charla_chat_edge_url", "charla_chat_workspace"]);
  }
  assert.deepEqual(r.emptied_page, { head: "", footer: "" });
  assert.deepEqual(r.stored_hostile_page, { head: "", footer: "" }, "a hostile stored value prints nothing");
  assert.ok(r.stored_hostile_fields.includes('value="https://evil.example/&quot; onload=&quot;alert(1)"'));
  assert.ok(r.stored_hostile_fields.includes('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"'));
  assert.doesNotMatch(r.stored_hostile_fields, /<img|" onload=/);
  assert.equal(r.other_tag, '<script src="https://x.example/a.js" id="a-js"></script>');
  assert.match(r.pre63_tag, /^<script data-workspace="demo" data-cfasync="false" async src=/);
  // WordPress 6.1/6.2 (no loading strategies): one async tag in the footer all the same.
  assert.deepEqual(r.wp61_page, { head: "", footer: `<script data-workspace="demo" data-cfasync="false" async src="${edge.url}/loader.js" id="charla-chat-js"></script>\n` });
  // A capitalised scheme or none at all is what owners type; all mean the same edge.
  for (const c of r.capitalised) assert.deepEqual(c, { saved: { edge_url: "https://chat.example.com", workspace: "acme" }, errors: [] });
  // The browser must not refuse a bare host before the plugin's clean-up sees it.
  assert.match(r.edge_field, /<input type="text" inputmode="url" id="charla_chat_edge_url"/);
  // Uninstall on a network beyond get_sites()'s default page of 100.
  const un = JSON.parse(execFileSync("php", [harness, "uninstall", "250"], { encoding: "utf8" }));
  assert.deepEqual(un, { sites: 250, left_with_option: [], other_options_kept: 250 });

  // The WordPress demo page the browser test chatted on carries exactly this output.
  const res = await fetch(site.url + "/platforms/wordpress.html");
  assert.equal(res.headers.get("x-charla-wordpress-footer"), "php");
  assert.ok((await res.text()).includes(tag));
});

test("WordPress settings page: the connection check says a wrong workspace, a site not allowed, a live chat", async (t) => {
  if (!hasPhp) {
    t.skip("php is not installed (bash scripts/setup.sh --test installs php-cli)");
    return;
  }
  const harness = join(ROOT, "demo-site/wordpress/harness/render.php");
  const page = await browser.newPage();
  const status = async (workspace, edgeUrl = edge.url, siteUrl = "https://blog.example.com/") => {
    await page.setContent(execFileSync("php", [harness, "settings", edgeUrl, workspace, siteUrl], { encoding: "utf8" }));
    const box = page.locator("#charla-chat-status");
    await page.waitForFunction(() => !/Checking/.test(document.getElementById("charla-chat-status").textContent));
    return { text: (await box.textContent()).trim(), kind: await box.getAttribute("class") };
  };
  const widget = (allowed) => fetch(`${edge.url}/v1/inbox/settings/widget`, {
    method: "PUT",
    headers: { "content-type": "application/json", authorization: `Bearer ${agentToken}` },
    body: JSON.stringify({ brand_color: "#4f46e5", allowed_origins: allowed }),
  });
  try {
    const wrong = await status("acme-typo");
    assert.match(wrong.text, /The workspace “acme-typo” does not exist on this edge/);
    assert.match(wrong.kind, /notice-error/);

    assert.equal((await widget(["https://shop.example.com"])).status, 200);
    const denied = await status(DEMO.workspace);
    assert.match(denied.text, /this site \(https:\/\/blog\.example\.com\) is not in the workspace’s allowed origins/);
    assert.match(denied.kind, /notice-error/);

    assert.equal((await widget(["https://shop.example.com", "https://blog.example.com"])).status, 200);
    const quiet = await status(DEMO.workspace);
    assert.match(quiet.text, /^Connected: the chat is live on this site\. Nobody is online/);
    assert.match(quiet.kind, /notice-warning/);

    const down = await status(DEMO.workspace, "http://127.0.0.1:9");
    assert.match(down.text, /The edge at http:\/\/127\.0\.0\.1:9 does not answer/);

    const off = await status("");
    assert.match(off.text, /The chat is off: fill in both fields/);
  } finally {
    await widget([]);
    await page.close();
  }
});

test("WordPress plugin zip: scripts/package-wordpress.sh builds an installable charla-chat/ folder", () => {
  const out = join(scratchDir(), "charla-chat.zip");
  execFileSync("bash", [join(ROOT, "scripts/package-wordpress.sh"), out], { stdio: "pipe" });
  const list = execFileSync("python3", ["-c", "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", out], { encoding: "utf8" });
  assert.deepEqual(list.trim().split("\n").sort(), [
    "charla-chat/charla-chat.php", "charla-chat/index.php",
    "charla-chat/languages/charla-chat-es_ES.mo", "charla-chat/languages/charla-chat-es_ES.po", "charla-chat/languages/charla-chat.pot",
    "charla-chat/readme.txt", "charla-chat/uninstall.php",
  ]);
  // Every string the plugin shows is in the .pot and translated to Spanish, and the .mo
  // WordPress loads is compiled from that .po (scripts/wp-i18n.py, no gettext needed).
  execFileSync("python3", [join(ROOT, "scripts/wp-i18n.py"), "check", join(ROOT, "demo-site/wordpress/charla-chat")], { stdio: "pipe" });
  const es = execFileSync("python3", ["-c", "import gettext,sys; t=gettext.GNUTranslations(open(sys.argv[1],'rb')); print(t.gettext('Checking the connection…'))",
    join(ROOT, "demo-site/wordpress/charla-chat/languages/charla-chat-es_ES.mo")], { encoding: "utf8" });
  assert.equal(es.trim(), "Comprobando la conexión…");
});

test("Shopify app embed block: target body, both settings, every output escaped", () => {
  const ext = join(ROOT, "demo-site/shopify/extensions/charla-chat");
  assert.match(readFileSync(join(ext, "shopify.extension.toml"), "utf8"), /^type = "theme"$/m);
  const liquid = readFileSync(join(ext, "blocks/charla-chat.liquid"), "utf8");
  const schema = JSON.parse(liquid.match(/{%\s*schema\s*%}([\s\S]*?){%\s*endschema\s*%}/)[1]);
  assert.equal(schema.target, "body");
  assert.deepEqual(schema.settings.filter((s) => s.id).map((s) => s.id), ["edge_url", "workspace"]);
  assert.match(schema.settings.find((s) => s.type === "paragraph").content, /Connection check/);
  const outputs = [...liquid.replace(/{%-?\s*comment[\s\S]*?endcomment\s*-?%}/g, "").matchAll(/{{(.*?)}}/g)].map((m) => m[1].trim());
  assert.deepEqual(outputs, ["edge | escape", "workspace | escape"]);
  assert.match(liquid, /<script async src="{{ edge \| escape }}\/loader.js" data-workspace="{{ workspace \| escape }}"><\/script>/);
});

test("install docs: one per platform, linked from the README, snippets identical to the demo pages'", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  for (const doc of ["wordpress.md", "shopify.md", "wix.md", "squarespace.md", "html-and-gtm.md", "csp.md"]) {
    assert.ok(readme.includes(`demo-site/docs/${doc}`), `README links ${doc}`);
  }
  const gtmDoc = readFileSync(join(DOCS, "html-and-gtm.md"), "utf8");
  const gtmPage = readFileSync(join(ROOT, "demo-site/platforms/gtm.html"), "utf8");
  const tagCode = gtmPage.match(/<template id="gtm-custom-html-tag">\s*([\s\S]*?)\s*<\/template>/)[1]
    .replaceAll("__CHARLA_EDGE__", "https://charla.example.workers.dev").replaceAll("__CHARLA_WORKSPACE__", "acme");
  const lines = (s) => s.split("\n").map((l) => l.trim()).join("\n");
  assert.ok(lines(gtmDoc).includes(lines(tagCode)), "the GTM page runs the documented Custom HTML tag verbatim");
  const index = readFileSync(join(ROOT, "demo-site/index.html"), "utf8");
  for (const p of PAGES.filter((p) => p.path !== "/")) assert.ok(index.includes(`href="${p.path}"`), `demo index links ${p.path}`);
});
