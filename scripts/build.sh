#!/usr/bin/env bash
# Builds the edge worker (edge/build) and the browser bundles (dist/: loader, widget, inbox).
#   scripts/build.sh [edge|widget|inbox|all]   (default all)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
root=$(pwd)
what=${1:-all}
WASM_OPT="$root/node_modules/.bin/wasm-opt"
# Rust >= 1.87 emits these post-MVP features; every browser we target and workerd support them.
OPT_FEATURES="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue"

log() { printf '\033[1;34m[build]\033[0m %s\n' "$*"; }

build_edge() {
  log "edge (worker-build --release)"
  # worker-build would download wasm-bindgen/wasm-opt from GitHub; use the pinned local CLI.
  # No wasm-opt here: the worker's size is not on anyone's page load, and binaryen's output with
  # the exception-handling feature worker-build needs is rejected by workerd.
  (cd edge && WASM_BINDGEN_BIN="$(command -v wasm-bindgen)" worker-build --release --no-opt)
}

# build_web CRATE OUT_DIR [RUSTFLAGS]: cargo (wasm-small profile) -> wasm-bindgen --target web
# -> wasm-opt -Oz
build_web() {
  local crate=$1 out=$2 name=${1//-/_} flags=${3:-}
  log "$crate -> $out"
  RUSTFLAGS="$flags" cargo build -p "$crate" --target wasm32-unknown-unknown --profile wasm-small
  mkdir -p "$out"
  wasm-bindgen --target web --no-typescript --out-dir "$out" \
    "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm-small/$name.wasm"
  "$WASM_OPT" -Oz --strip-debug --strip-producers $OPT_FEATURES "$out/${name}_bg.wasm" -o "$out/${name}_bg.wasm.opt"
  mv "$out/${name}_bg.wasm.opt" "$out/${name}_bg.wasm"
}

build_widget() {
  build_web charla-widget dist/widget
  # The loader is on every page of every site, the widget's JS glue on every opened chat: both
  # minified (esbuild comes with wrangler, from package-lock.json; the glue 8.9 -> 6.4 KB gz).
  # es2020 = the widget's own floor (dynamic import, wasm): no newer syntax.
  local esbuild="$root/node_modules/.bin/esbuild"
  [ -x "$esbuild" ] || { echo "missing $esbuild: run npm ci" >&2; exit 1; }
  "$esbuild" widget/loader/loader.js --minify --legal-comments=none --target=es2020 \
    --log-level=warning --outfile=dist/loader.js
  "$esbuild" dist/widget/charla_widget.js --minify --format=esm --legal-comments=none \
    --target=es2020 --log-level=warning --allow-overwrite --outfile=dist/widget/charla_widget.js
}

build_inbox() {
  # Leptos' type-erased views: one generic instantiation per view shape instead of one per
  # view (inbox wasm 939 -> 798 KB gz). Its own target dir keeps the two flag sets from
  # rebuilding each other's dependencies. --emit-relocs keeps the linker's relocations, which
  # wasm-split-cli needs to move code and data out of the main module.
  local target="$root/target/erased" out=dist/inbox split="$root/target/erased/inbox-split"
  command -v wasm-split-cli >/dev/null || { echo "missing wasm-split-cli: run scripts/setup.sh" >&2; exit 1; }
  log "charla-inbox -> $out (split at inbox/src/shell/pages.rs)"
  CARGO_TARGET_DIR="$target" RUSTFLAGS="--cfg erase_components -Clink-args=--emit-relocs" \
    cargo build -p charla-inbox --target wasm32-unknown-unknown --profile wasm-small
  # The pages opened from the header (settings, workflows, reports) become split_*.wasm, what
  # they share chunk_*.wasm; __wasm_split.js fetches them the first time one opens (first
  # view's wasm 798 -> 420 KB gz; the parts 450 KB gz, 105-222 KB for any one page). The main
  # module left over is what wasm-bindgen sees; it must keep the exports the parts link to.
  rm -rf "$split" "$out"
  mkdir -p "$split" "$out"
  wasm-split-cli --target web --out-name charla_inbox \
    "$target/wasm32-unknown-unknown/wasm-small/charla_inbox.wasm" "$split"
  wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle --out-dir "$out" \
    "$split/charla_inbox.wasm"
  cp "$split"/__wasm_split.js "$split"/split_*.wasm "$out"/
  if compgen -G "$split/chunk_*.wasm" >/dev/null; then cp "$split"/chunk_*.wasm "$out"/; fi
  local wasm
  for wasm in "$out"/*.wasm; do
    "$WASM_OPT" -Oz --strip-debug --strip-producers $OPT_FEATURES "$wasm" -o "$wasm.opt"
    mv "$wasm.opt" "$wasm"
  done
  cp inbox/static/* "$out"/
  # The glue is on every agent's first load too (51 -> 24 KB raw).
  local js
  for js in charla_inbox.js __wasm_split.js; do
    "$root/node_modules/.bin/esbuild" "$out/$js" --minify --format=esm --legal-comments=none \
      --target=es2020 --log-level=warning --allow-overwrite --outfile="$out/$js"
  done
}

mkdir -p dist
cp edge/assets/_headers dist/_headers
case "$what" in
  edge) build_edge ;;
  widget) build_widget ;;
  inbox) build_inbox ;;
  all) build_widget; build_inbox; build_edge ;;
  *) echo "usage: $0 [edge|widget|inbox|all]" >&2; exit 2 ;;
esac
log "done: $what"
