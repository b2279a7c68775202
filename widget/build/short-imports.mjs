// Renames the widget's wasm imports and exports to short names, in the wasm and in the glue
// (after wasm-opt).
//   node widget/build/short-imports.mjs OUT_DIR
//
// wasm-bindgen names every import after its JS function plus a 16-hex-digit hash
// (`__wbg_setAttribute_7a8e…`), from the module "./charla_widget_bg.js": about 150 names that
// appear twice (the wasm's import section, the glue's import object), hashes that no
// compressor can shrink. Only those two places hold them, so both are rewritten here: the
// imports become `a`, `b`, … of module `w`. Anything unexpected in either file fails the
// build instead of shipping a wasm whose imports the glue does not provide. Exports the glue
// reads (`wasm.name`; some are hashed too) get short names the same way, the others and the
// custom sections go.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const outDir = process.argv[2];
const wasmPath = join(outDir, "charla_widget_bg.wasm");
const jsPath = join(outDir, "charla_widget.js");
const MODULE = "./charla_widget_bg.js";
const fail = (why) => {
  throw new Error(`short-imports: ${why}`);
};

const bytes = readFileSync(wasmPath);
let p = 0;
const leb = () => {
  let result = 0, shift = 0, b;
  do {
    b = bytes[p++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return result;
};
const encodeLeb = (n) => {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
};
const encodeName = (s) => {
  const b = Buffer.from(s, "utf8");
  return [...encodeLeb(b.length), ...b];
};
const readName = () => {
  const len = leb();
  const s = bytes.subarray(p, p + len).toString("utf8");
  p += len;
  return s;
};
// Skips a limits (table, memory) description.
const limits = () => {
  const flags = bytes[p++];
  leb();
  if (flags & 1) leb();
};

// A short JS identifier per index: a..z, A..Z, then two letters.
const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const shortName = (i) =>
  i < LETTERS.length ? LETTERS[i] : LETTERS[Math.floor(i / LETTERS.length) - 1] + LETTERS[i % LETTERS.length];

if (bytes.readUInt32LE(0) !== 0x6d736100) fail("not a wasm module");
p = 8;
const pieces = [bytes.subarray(0, 8)];
const renames = new Map();
const exportRenames = new Map();
const glue = readFileSync(jsPath, "utf8");
const escape = (s) => s.replace(/[$]/g, "\\$&");
const exportUses = (name) => new RegExp(`\\bwasm\\.${escape(name)}\\b`, "g");
while (p < bytes.length) {
  const start = p;
  const id = bytes[p++];
  const size = leb();
  const body = p;
  const end = body + size;
  if (id === 7) {
    const entries = [];
    for (let n = leb(); n > 0; n--) {
      let name = readName();
      const descStart = p;
      p++;
      leb();
      // One the glue never reads (wasm-split's marker, the abort flags) has no use outside.
      if ((glue.match(exportUses(name)) || []).length === 0) continue;
      exportRenames.set(name, shortName(exportRenames.size));
      entries.push([...encodeName(exportRenames.get(name)), ...bytes.subarray(descStart, p)]);
    }
    if (p !== end) fail("export section not read to its end");
    const content = [...encodeLeb(entries.length), ...entries.flat()];
    pieces.push(Buffer.from([7, ...encodeLeb(content.length), ...content]));
    continue;
  }
  if (id === 0) {
    // Custom sections (target features, wasm-split's table) mean nothing to a browser.
    p = end;
    continue;
  }
  if (id !== 2) {
    pieces.push(bytes.subarray(start, end));
    p = end;
    continue;
  }
  const entries = [];
  for (let n = leb(); n > 0; n--) {
    const module = readName();
    const name = readName();
    const descStart = p;
    const kind = bytes[p++];
    if (kind === 0) leb();
    else if (kind === 1) (p++, limits());
    else if (kind === 2) limits();
    else if (kind === 3) p += 2;
    else if (kind === 4) (p++, leb());
    else fail(`import kind ${kind}`);
    const desc = bytes.subarray(descStart, p);
    if (module === MODULE && kind === 0) {
      if (renames.has(name)) fail(`${name} imported twice`);
      renames.set(name, shortName(renames.size));
      entries.push([...encodeName("w"), ...encodeName(renames.get(name)), ...desc]);
    } else {
      entries.push([...encodeName(module), ...encodeName(name), ...desc]);
    }
  }
  if (p !== end) fail("import section not read to its end");
  const content = [...encodeLeb(entries.length), ...entries.flat()];
  pieces.push(Buffer.from([2, ...encodeLeb(content.length), ...content]));
}
if (renames.size === 0) fail(`no imports from ${MODULE}`);

let js = glue;
const keyed = `\n        "${MODULE}": import0,\n`;
if (js.split(keyed).length !== 2) fail("the glue's import object is not where expected");
js = js.replace(keyed, "\n        w: import0,\n");
for (const [name, short] of renames) {
  const from = `\n        ${name}: function(`;
  if (js.split(from).length !== 2) fail(`the glue does not define ${name} once`);
  js = js.replace(from, `\n        ${short}: function(`);
}
if (!exportRenames.has("mount")) fail("mount is not exported");
for (const [name, short] of exportRenames) js = js.replace(exportUses(name), `wasm.${short}`);
writeFileSync(wasmPath, Buffer.concat(pieces));
writeFileSync(jsPath, js);
console.log(`[build] widget: ${renames.size} imports and ${exportRenames.size} exports renamed`);
