// Real Debian Chromium (headless) driven by playwright-core, plus the demo site server.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, freePort, DEMO } from "./edge.mjs";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

/** The demo site on its own origin, its snippet pointing at `edge`. */
export async function startDemoSite(edge) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, "scripts/demo-server.mjs"), "--port", String(port), "--edge", edge.url], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise((resolve, reject) => {
    child.stdout.once("data", resolve);
    child.once("exit", (code) => reject(new Error(`demo server exited ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once("exit", r), child.kill("SIGTERM")))),
  };
}

export function scratchDir() {
  return mkdtempSync(join(tmpdir(), "charla-browser-"));
}

/** Sign in to the inbox served by `edge` (the seeded demo agent unless told otherwise). */
export async function signIn(page, edge, email = DEMO.email, password = DEMO.password) {
  await page.goto(`${edge.url}/inbox/`);
  await page.getByLabel("Workspace").fill(DEMO.workspace);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator('[data-charla="conversation-list"]').waitFor();
}

/** A JSON call made by the page itself with the signed-in inbox session's token (as a script
 *  on that page could); resolves with the HTTP status. */
export function pageFetch(page, method, path, body) {
  return page.evaluate(async ([method, path, body]) => {
    const session = JSON.parse(localStorage.getItem("charla-inbox:session"));
    const res = await fetch(path, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${session.token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.status;
  }, [method, path, body]);
}
