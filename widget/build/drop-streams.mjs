// Drops wasm-streams' exports from the widget's wasm-bindgen output (before wasm-opt).
//   node widget/build/drop-streams.mjs OUT_DIR WASM_METADCE [FEATURE_FLAGS...]
//
// Leptos always enables server_fn's `browser` feature, whose wasm-streams crate exports three
// classes (IntoUnderlyingSource, IntoUnderlyingByteSource, IntoUnderlyingSink) to JS. The
// widget never streams and the loader only calls `default` (init) and `mount`, but exports are
// roots: their code stays in the wasm and their classes in the glue. This removes both: the
// wasm's exports through binaryen's wasm-metadce (which then drops what only they reached),
// the glue's classes and their finalization registries by name. Anything unexpected in the
// glue fails the build instead of shipping a half-edited module.
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { tmpdir } from "node:os";

const [outDir, metadce, ...features] = process.argv.slice(2);
const wasmPath = join(outDir, "charla_widget_bg.wasm");
const jsPath = join(outDir, "charla_widget.js");
const dropped = (name) => /intounderlying/i.test(name);

// The export section's names (section id 7).
function exportNames(bytes) {
  let p = 8;
  const leb = () => {
    let result = 0, shift = 0, b;
    do {
      b = bytes[p++];
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return result >>> 0;
  };
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = leb();
    const end = p + size;
    if (id === 7) {
      const names = [];
      for (let n = leb(); n > 0; n--) {
        const len = leb();
        names.push(new TextDecoder().decode(bytes.subarray(p, p + len)));
        p += len + 1; // the kind byte
        leb(); // the index
      }
      return names;
    }
    p = end;
  }
  throw new Error("no export section");
}

const exports = exportNames(readFileSync(wasmPath));
const gone = exports.filter(dropped);
if (gone.length === 0 || !exports.includes("mount")) {
  throw new Error(`unexpected exports: ${exports.join(", ")}`);
}
const graph = [
  { name: "js", root: true, reaches: exports.filter((e) => !dropped(e)).map((e) => `e:${e}`) },
  ...exports.map((e) => ({ name: `e:${e}`, export: e })),
];
const graphPath = join(tmpdir(), `charla-widget-graph-${process.pid}.json`);
writeFileSync(graphPath, JSON.stringify(graph));
execFileSync(metadce, [...features, "-f", graphPath, wasmPath, "-o", wasmPath], {
  stdio: ["ignore", "ignore", "inherit"],
});
rmSync(graphPath);

let js = readFileSync(jsPath, "utf8");
const classes = /export class (IntoUnderlying\w+) \{[\s\S]*?\nif \(Symbol\.dispose\) \1\.prototype\[Symbol\.dispose\] = \1\.prototype\.free;\n/g;
const registries = /const (IntoUnderlying\w+)Finalization = \(typeof FinalizationRegistry === 'undefined'\)\n.*\n.*\n/g;
const before = js;
js = js.replace(classes, "").replace(registries, "");
const left = exports.filter(dropped).filter((e) => js.includes(`wasm.${e}(`));
if (js === before || /IntoUnderlying/.test(js) || left.length > 0) {
  throw new Error("the glue's wasm-streams classes were not where expected");
}
writeFileSync(jsPath, js);
console.log(`[build] widget: dropped ${gone.length} wasm-streams exports and their classes`);
