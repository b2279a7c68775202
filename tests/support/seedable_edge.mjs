// `wrangler dev` like ./edge.mjs, plus CHARLA_DEV_SEED=1 for the dev-only bulk seeding route
// (POST /v1/dev/report-rows): how the reports bench and tests get thousands of report rows
// without playing thousands of conversations.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { ROOT, freePort } from "./edge.mjs";

/** `root`: another checkout's build to run (its wrangler.toml and edge/build), e.g. the code
 * before a change, for a before/after bench. */
export async function startSeedableEdge({ root = ROOT } = {}) {
  const port = await freePort();
  const inspector = await freePort();
  const child = spawn(
    join(ROOT, "node_modules/.bin/wrangler"),
    [
      "dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspector),
      "--persist-to", mkdtempSync(join(tmpdir(), "charla-seedable-")),
      "--show-interactive-dev-session=false", "--log-level", "warn",
      "--var", `CHARLA_SECRET:${randomBytes(32).toString("hex")}`, "--var", "CHARLA_DEMO_WORKSPACE:demo",
      "--var", "CHARLA_DEV_SEED:1",
    ],
    { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" } },
  );
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${log}`);
    try { if ((await fetch(`${url}/v1/health`)).ok) break; } catch {}
    if (Date.now() > deadline) { process.kill(-child.pid, "SIGKILL"); throw new Error(`wrangler dev not ready:\n${log}`); }
    await new Promise((r) => setTimeout(r, 250));
  }
  const killGroup = (sig) => { try { process.kill(-child.pid, sig); } catch {} };
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      killGroup("SIGTERM");
      const timer = setTimeout(() => killGroup("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    killGroup("SIGKILL");
  };
  return { url, stop, log: () => log };
}
