// Serves demo-site/ on 127.0.0.1 as a separate origin from the edge (like a real customer
// site), filling in the edge URL and workspace in the snippet of every HTML page.
//   node scripts/demo-server.mjs --port 8788 --edge http://127.0.0.1:8787 [--workspace demo]
//
// Besides the static files:
//   /vendor/jquery.min.js        jQuery from node_modules (the WordPress-like page needs it;
//                                nothing here may come from an outside host)
//   /platforms/strict-csp.html   served with a real Content-Security-Policy response header:
//                                exactly the policy documented in demo-site/docs/csp.md, with
//                                the edge's origin in place of the placeholders
//   /platforms/wordpress.html    its snippet is what the WordPress plugin's PHP prints, run
//                                through demo-site/wordpress/harness/render.php (stubbed
//                                WordPress functions) when `php` is installed; otherwise the
//                                static copy in the page. Header x-charla-wordpress-footer
//                                says which.
// Only the file types below are served; the WordPress plugin's PHP, the Shopify Liquid and the
// rest of the sources under demo-site/ are not part of the site.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const root = fileURLToPath(new URL("../demo-site/", import.meta.url));
const modules = fileURLToPath(new URL("../node_modules/", import.meta.url));
const port = Number(args.port || 8788);
const edge = (args.edge || "http://127.0.0.1:8787").replace(/\/+$/, "");
const workspace = args.workspace || "demo";
const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml", ".png": "image/png", ".md": "text/plain; charset=utf-8",
};
const vendor = { "/vendor/jquery.min.js": join(modules, "jquery/dist/jquery.min.js") };

/** The policy block of demo-site/docs/csp.md (the fenced block after `<!-- csp-policy -->`),
 * with the documented placeholders replaced by this edge. */
function documentedPolicy(edgeUrl) {
  const doc = readFileSync(join(root, "docs/csp.md"), "utf8");
  const block = doc.split("<!-- csp-policy -->")[1]?.match(/```[a-z]*\n([\s\S]*?)```/);
  if (!block) throw new Error("demo-site/docs/csp.md: no policy block after <!-- csp-policy -->");
  const origin = new URL(edgeUrl);
  const ws = `${origin.protocol === "https:" ? "wss:" : "ws:"}//${origin.host}`;
  return block[1]
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join(" ")
    .replaceAll("wss://charla.example.workers.dev", ws)
    .replaceAll("https://charla.example.workers.dev", origin.origin);
}

/** The plugin's wp_footer output for this edge and workspace, or null without php. */
function wordpressFooter() {
  try {
    const harness = join(root, "wordpress/harness/render.php");
    return execFileSync("php", [harness, "footer", edge, workspace], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch {
    return null;
  }
}
const WP_FOOTER = /(<!-- wp_footer: charla-chat -->\n)[\s\S]*?(<!-- \/wp_footer: charla-chat -->)/;
let wpFooter;

const headersFor = {
  "/platforms/strict-csp.html": () => ({ "content-security-policy": documentedPolicy(edge) }),
};
const rewrite = {
  "/platforms/wordpress.html": (html, headers) => {
    if (wpFooter === undefined) wpFooter = wordpressFooter();
    headers["x-charla-wordpress-footer"] = wpFooter === null ? "static" : "php";
    return wpFooter === null ? html : html.replace(WP_FOOTER, (_, open, close) => open + wpFooter + close);
  },
};

const server = createServer(async (req, res) => {
  const url = new URL(req.url, "http://x");
  let path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, "");
  if (path.endsWith("/")) path += "index.html";
  const type = types[extname(path)];
  try {
    if (!type) throw new Error("not served");
    let body = await readFile(vendor[path] || join(root, path));
    const headers = { "content-type": type, "cache-control": "no-store", ...headersFor[path]?.() };
    if (type.startsWith("text/html")) {
      body = body.toString("utf8").replaceAll("__CHARLA_EDGE__", edge).replaceAll("__CHARLA_WORKSPACE__", workspace);
      if (rewrite[path]) body = rewrite[path](body, headers);
    }
    res.writeHead(200, headers);
    res.end(body);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  }
});
server.listen(port, "127.0.0.1", () => console.log(`demo site on http://127.0.0.1:${port}/ (edge ${edge})`));
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.close(() => process.exit(0)));
