// What a visitor's browser pays for Charla, in real Chromium against the real worker and the
// demo site: bytes from the edge and main-thread long tasks before the visitor shows intent (the
// launcher's hover, focus or press), and click -> composer usable (the loader's plain panel or
// the widget's, whichever is there first) and click -> widget mounted, at CPU 1x and 4x and on a
// throttled "Fast 3G" network with a cold cache. Each twice: the pointer rests on the launcher
// for --hover ms before the click (a mouse), and the click as the first intent (touch: the
// finger lands and lifts at once). Prints figures (median of --runs, default 5, each in a fresh
// context); asserts nothing.
//   node bench/page.mjs [--runs 5] [--settle 4000] [--hover 300] [--root DIR]
// --root measures another checkout's build (its edge/build and dist, e.g. main's) with this
// bench, for a before/after on the same machine.
import { startEdge } from "../tests/support/edge.mjs";
import { launchBrowser, startDemoSite } from "../tests/support/browser.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg("runs", 5);
/** How long the page sits after `load` before the click: what a visitor reading the page gives
 *  the loader (its idle-time work happens here). */
const SETTLE = arg("settle", 4000);
/** How long the pointer rests on the launcher before the click, in the "hover first" runs. */
const HOVER = arg("hover", 300);
// Chrome DevTools' "Fast 3G" preset (the values Lighthouse uses, with its adjustment factors).
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024 / 8) * 0.9, uploadThroughput: (750 * 1024 / 8) * 0.9 };

const SCENARIOS = [
  { name: "CPU 1x", cpu: 1 },
  { name: "CPU 4x", cpu: 4 },
  { name: "CPU 4x, Fast 3G, cold cache", cpu: 4, network: FAST_3G },
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** Long tasks, the first intent, the click, and the first frame after it where the composer is
 *  usable and where the widget has mounted, recorded by the page itself from its first script
 *  on (a frame delayed by a busy main thread counts: the visitor could not type either). */
function instrument() {
  const b = (window.__bench = { longTasks: [], clickAt: null, intentAt: null, usableAt: null, mountedAt: null });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: "longtask", buffered: true });
  const shadow = () => document.getElementById("charla-widget")?.shadowRoot;
  // Visible and not disabled: it can take text.
  const usable = () => {
    const el = shadow()?.querySelector('[data-charla="composer"]');
    if (!el || el.disabled || el.readOnly) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const mounted = () => Boolean(shadow()?.querySelector('[data-charla="panel"]'));
  const frame = () => {
    if (b.usableAt === null && usable()) b.usableAt = performance.now();
    if (b.mountedAt === null && mounted()) b.mountedAt = performance.now();
    if (b.usableAt === null || b.mountedAt === null) requestAnimationFrame(frame);
  };
  // Capture phase on the document: the first thing to see the visitor's click (the launcher is
  // in a shadow root, whose events reach the document retargeted to the host).
  document.addEventListener("click", () => {
    if (b.clickAt !== null) return;
    b.clickAt = performance.now();
    b.mountedBefore = mounted();
    requestAnimationFrame(frame);
  }, true);
  for (const type of ["pointerover", "pointerdown", "focusin"]) {
    document.addEventListener(type, () => (b.intentAt ??= performance.now()), true);
  }
}

async function once(browser, site, edge, scenario, hoverFirst) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  if (scenario.network) await cdp.send("Network.emulateNetworkConditions", scenario.network);
  if (scenario.cpu > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: scenario.cpu });

  // Bytes on the wire (encoded, headers included) of the edge's requests made before intent.
  const edgeOrigin = new URL(edge.url).origin;
  const beforeIntent = new Set();
  let intent = false;
  let bytesBefore = 0;
  cdp.on("Network.requestWillBeSent", (e) => !intent && e.request.url.startsWith(edgeOrigin) && beforeIntent.add(e.requestId));
  cdp.on("Network.loadingFinished", (e) => beforeIntent.has(e.requestId) && (bytesBefore += e.encodedDataLength));

  await page.addInitScript(instrument);
  page.on("console", (m) => m.text().startsWith("charla:") && console.error(`  (${scenario.name}) ${m.text()}`));
  await page.goto(site.url + "/", { waitUntil: "load" });
  const launcher = page.locator('[data-charla="launcher"]');
  await launcher.waitFor();
  await page.waitForTimeout(SETTLE);
  const before = await page.evaluate(() => window.__bench.longTasks.slice());

  intent = true;
  if (hoverFirst) {
    await launcher.hover();
    await page.waitForTimeout(HOVER);
  }
  await launcher.click();
  await page.waitForFunction(() => window.__bench.usableAt !== null && window.__bench.mountedAt !== null, null, { timeout: 60_000 });
  const { clickAt, usableAt, mountedAt, mountedBefore } = await page.evaluate(() => window.__bench);
  await ctx.close();
  return {
    bytesBefore,
    longTasksBefore: before.length,
    longestBefore: Math.max(0, ...before.map((t) => t.duration)),
    blockingBefore: before.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0),
    clickToComposer: usableAt - clickAt,
    // 0 when the widget was already mounted at the click (the hover was long enough).
    clickToWidget: mountedBefore ? 0 : mountedAt - clickAt,
  };
}

const rootAt = process.argv.indexOf("--root");
const edge = await startEdge(rootAt > 0 ? { root: process.argv[rootAt + 1] } : {});
const site = await startDemoSite(edge);
const browser = await launchBrowser();
try {
  console.log(`== the host page with the snippet (demo site), median of ${RUNS} fresh visits, ${SETTLE} ms on the page before the first intent`);
  for (const scenario of SCENARIOS) {
    for (const hoverFirst of [true, false]) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await once(browser, site, edge, scenario, hoverFirst));
      const m = (k) => median(runs.map((r) => r[k]));
      const range = (k) => `min ${Math.min(...runs.map((r) => r[k])).toFixed(0)}, max ${Math.max(...runs.map((r) => r[k])).toFixed(0)}`;
      console.log(
        `${scenario.name.padEnd(28)} ${(hoverFirst ? `hover ${HOVER} ms, click` : "click first").padEnd(20)}` +
          ` bytes before intent ${kb(m("bytesBefore")).padStart(8)}` +
          `   long tasks before intent ${String(m("longTasksBefore")).padStart(2)} (longest ${m("longestBefore").toFixed(0)} ms, blocking ${m("blockingBefore").toFixed(0)} ms)` +
          `   click -> composer usable ${m("clickToComposer").toFixed(0)} ms (${range("clickToComposer")})` +
          `   click -> widget mounted ${m("clickToWidget").toFixed(0)} ms (${range("clickToWidget")})`,
      );
    }
  }
} finally {
  await browser.close();
  await site.stop();
  await edge.stop();
}
