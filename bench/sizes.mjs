// Bytes a host page pays: before the visitor shows intent (the loader; besides it only the
// config JSON, which bench/page.mjs counts on the wire) and once the widget loads.
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const sizes = (file) => {
  const raw = readFileSync(file);
  return {
    raw: raw.length,
    gz: gzipSync(raw, { level: 9 }).length,
    br: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
const kb = (n) => (n / 1024).toFixed(1).padStart(6) + " KB";
const row = (name, s) => console.log(`${name.padEnd(34)} raw ${kb(s.raw)}   gzip ${kb(s.gz)}   brotli ${kb(s.br)}`);
const sum = (list) => list.reduce((a, s) => ({ raw: a.raw + s.raw, gz: a.gz + s.gz, br: a.br + s.br }), { raw: 0, gz: 0, br: 0 });

console.log("== bytes before intent (the host page loads only the loader, and its config)");
const loader = sizes(join(dist, "loader.js"));
row("loader.js", loader);
console.log("== bytes of the widget (downloaded on intent)");
// files.js is not part of it: the widget imports it the first time a file is picked, dropped
// or pasted, or the open thread shows a message with files.
const onFirstFile = (f) => f === "files.js";
const files = readdirSync(join(dist, "widget")).filter((f) => /\.(js|wasm|css)$/.test(f) && !onFirstFile(f));
const parts = files.map((f) => [f, sizes(join(dist, "widget", f))]);
for (const [f, s] of parts) row(`widget/${f}`, s);
row("widget total", sum(parts.map(([, s]) => s)));
row("loader + widget total", sum([loader, ...parts.map(([, s]) => s)]));
console.log("== bytes of the widget's files module (fetched on the first file picked or shown)");
row("widget/files.js", sizes(join(dist, "widget", "files.js")));

// The agents' inbox: what its first view (sign-in, list, a conversation) downloads, and each
// part fetched the first time a page opens (scripts/build.sh splits them out; a chunk_* is code
// two pages share, fetched with whichever opens first).
console.log("== bytes of the inbox's first view (sign-in, the list, a conversation)");
const inboxDir = join(dist, "inbox");
const inboxFiles = readdirSync(inboxDir).filter((f) => /\.(js|wasm|css)$/.test(f)).sort();
const lazy = (f) => /^(split|chunk)_.*\.wasm$/.test(f);
const first = inboxFiles.filter((f) => !lazy(f)).map((f) => [f, sizes(join(inboxDir, f))]);
for (const [f, s] of first) row(`inbox/${f}`, s);
row("inbox first view total", sum(first.map(([, s]) => s)));
row("inbox first view wasm", sum(first.filter(([f]) => f.endsWith(".wasm")).map(([, s]) => s)));
console.log("== bytes of the inbox's lazy parts (each fetched the first time its page opens)");
for (const f of inboxFiles.filter(lazy)) row(`inbox/${f}`, sizes(join(inboxDir, f)));
