// Serves demo-site/ on 127.0.0.1 as a separate origin from the edge (like a real customer
// site), filling in the edge URL and workspace in the snippet of every HTML page.
//   node scripts/demo-server.mjs --port 8788 --edge http://127.0.0.1:8787 [--workspace demo]
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const root = fileURLToPath(new URL("../demo-site/", import.meta.url));
const port = Number(args.port || 8788);
const edge = args.edge || "http://127.0.0.1:8787";
const workspace = args.workspace || "demo";
const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".png": "image/png" };

const server = createServer(async (req, res) => {
  const url = new URL(req.url, "http://x");
  let path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, "");
  if (path.endsWith("/")) path += "index.html";
  try {
    let body = await readFile(join(root, path));
    const type = types[extname(path)] || "application/octet-stream";
    if (type.startsWith("text/html")) {
      body = body.toString("utf8").replaceAll("__CHARLA_EDGE__", edge).replaceAll("__CHARLA_WORKSPACE__", workspace);
    }
    res.writeHead(200, { "content-type": type, "cache-control": "no-store" });
    res.end(body);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  }
});
server.listen(port, "127.0.0.1", () => console.log(`demo site on http://127.0.0.1:${port}/ (edge ${edge})`));
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.close(() => process.exit(0)));
