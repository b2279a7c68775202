// Starts the real worker in workerd (`wrangler dev`) on a free 127.0.0.1 port for a test, and
// stops it by process-group id afterwards. Requires a prior `scripts/build.sh all`.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DEMO = { workspace: "demo", email: "demo@charla.dev", password: "charla-demo" };

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh persistence dir (or the given one) and a fresh secret unless one is passed; `vars`
 * adds `--var`s (the benches' dev-only switches); `health` is the path that answers once the
 * worker is up (the benches' own workers have no /v1/health). `root`
 * runs another checkout's build (its wrangler.toml, edge/build and dist) with this one's
 * wrangler, e.g. the code before a fix (tests/security/support.mjs). */
export async function startEdge(options = {}) {
  // A free port is only free until someone else binds it: with test files running side by side,
  // workerd now and then loses the race for its socket and exits with "The Workers runtime failed
  // to start". That is the harness's luck, not the product's, so it gets fresh ports and a retry.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEdgeOnce(options);
    } catch (e) {
      if (attempt >= 3 || !/runtime failed to start|EADDRINUSE|address already in use/i.test(String(e.message))) throw e;
      console.error(`wrangler dev failed to start (attempt ${attempt}); retrying on fresh ports`);
    }
  }
}

async function startEdgeOnce({ persistTo, secret, root = ROOT, vars = {}, health = "/v1/health" }) {
  const port = await freePort();
  const inspector = await freePort();
  const dir = persistTo ?? mkdtempSync(join(tmpdir(), "charla-edge-"));
  const key = secret ?? randomBytes(32).toString("hex");
  const child = spawn(
    join(ROOT, "node_modules/.bin/wrangler"),
    [
      "dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspector),
      "--persist-to", dir, "--show-interactive-dev-session=false", "--log-level", "warn",
      "--var", `CHARLA_SECRET:${key}`, "--var", "CHARLA_DEMO_WORKSPACE:demo",
      ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ],
    {
      cwd: root,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
    },
  );
  // The newest 1 MB of wrangler's output (a bench's load can print more than a string holds).
  let log = "";
  const keep = (d) => {
    log += d;
    if (log.length > 2_000_000) log = log.slice(-1_000_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${log}`);
    try {
      const r = await fetch(`${url}${health}`);
      if (r.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      process.kill(-child.pid, "SIGKILL");
      throw new Error(`wrangler dev did not become ready:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  // wrangler runs workerd in its process group; workerd can outlive a SIGTERMed wrangler, so
  // the whole group is SIGKILLed once wrangler is gone (or after 5 s).
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
  return { url, wsUrl: url.replace("http", "ws"), dir, secret: key, stop, log: () => log, inspectorPort: inspector };
}
