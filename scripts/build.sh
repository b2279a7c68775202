#!/usr/bin/env bash
# Builds the edge worker (edge/build) and the browser bundles (dist/: loader, widget, inbox).
#   scripts/build.sh [edge|widget|inbox|all] [--if-changed]   (default all)
# --if-changed (make dev): a part whose inputs (its sources, shared/, Cargo.lock, this script)
# hash as they did at its last build here, with its output still there, is not built again.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
root=$(pwd)
what=${1:-all}
if_changed=
[ "${2:-}" = "--if-changed" ] && if_changed=1
[ "$what" = "--if-changed" ] && { what=all; if_changed=1; }
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

# build_web CRATE OUT_DIR [RUSTFLAGS] [WASM_OPT_FLAGS] [NIGHTLY] [AFTER_BINDGEN]: cargo
# (wasm-small profile; with NIGHTLY, that toolchain and std rebuilt with the crate) ->
# wasm-bindgen --target web -> AFTER_BINDGEN OUT_DIR, if given -> wasm-opt -Oz
build_web() {
  local crate=$1 out=$2 name=${1//-/_} flags=${3:-} opt_flags=${4:-} nightly=${5:-} after=${6:-}
  local cargo=(cargo)
  [ -z "$nightly" ] || cargo=(cargo "+$nightly" -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size)
  log "$crate -> $out"
  RUSTFLAGS="$flags" "${cargo[@]}" build -p "$crate" --target wasm32-unknown-unknown --profile wasm-small
  mkdir -p "$out"
  wasm-bindgen --target web --no-typescript --out-dir "$out" \
    "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm-small/$name.wasm"
  [ -z "$after" ] || $after "$out"
  "$WASM_OPT" -Oz $opt_flags --strip-debug --strip-producers $OPT_FEATURES "$out/${name}_bg.wasm" -o "$out/${name}_bg.wasm.opt"
  [ -s "$out/${name}_bg.wasm.opt" ] || { echo "wasm-opt wrote an empty ${name}_bg.wasm (disk full?)" >&2; exit 1; }
  mv "$out/${name}_bg.wasm.opt" "$out/${name}_bg.wasm"
}

# The widget's std is rebuilt by a pinned nightly (installed here, once: ~20 s, rustup's own
# servers), so that a panic is a bare trap: no panic messages, locations or formatting, and
# `Debug` output (which the widget never shows) empty. The wasm 108.8 -> 94.9 KB gz. std's
# `optimize_for_size` picks its smaller algorithms (0.2 KB); legacy symbol names keep
# wasm-bindgen's export names (in the wasm and the glue) short. Everything else, and every
# check (fmt, clippy, tests), stays on rust-toolchain.toml's stable.
WIDGET_NIGHTLY=nightly-2026-05-20
WIDGET_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none"
WIDGET_RUSTFLAGS="$WIDGET_RUSTFLAGS -Csymbol-mangling-version=legacy"

ensure_widget_nightly() {
  local sysroot
  sysroot=$(rustup run "$WIDGET_NIGHTLY" rustc --print sysroot 2>/dev/null || true)
  if [ -z "$sysroot" ] || [ ! -d "$sysroot/lib/rustlib/src/rust/library" ]; then
    log "installing $WIDGET_NIGHTLY with rust-src (once)"
    rustup toolchain install "$WIDGET_NIGHTLY" --profile minimal --component rust-src
  fi
}

# wasm-streams' exports (Leptos links them; the widget never streams) out of the wasm and the
# glue: see widget/build/drop-streams.mjs (0.5 KB gz).
drop_streams() {
  node widget/build/drop-streams.mjs "$1" "$root/node_modules/.bin/wasm-metadce" $OPT_FEATURES
}

build_widget() {
  ensure_widget_nightly
  # --converge: -Oz again until nothing shrinks. The two assumptions hold for rustc's output:
  # the stack comes first, so data starts at 1 MiB and the lowest KiB is never addressed, and
  # the module's own memory starts zeroed (wasm 110.1 -> 108.8 KB gz). Its own target dir:
  # another toolchain and other flags than the workspace's stable builds.
  CARGO_TARGET_DIR="$root/target/widget" build_web charla-widget dist/widget "$WIDGET_RUSTFLAGS" \
    "--converge --low-memory-unused --zero-filled-memory" "$WIDGET_NIGHTLY" drop_streams
  # wasm-bindgen's hashed import names, twice each (wasm and glue), become a, b, …: see
  # widget/build/short-imports.mjs (wasm 3.4 KB gz, glue 1.9 KB gz), and so do the exports the
  # glue reads (0.5 KB gz).
  node widget/build/short-imports.mjs dist/widget
  # The loader is on every page of every site, the widget's JS glue on every opened chat: both
  # minified (esbuild comes with wrangler, from package-lock.json; the glue 8.9 -> 6.4 KB gz).
  # es2020 = the widget's own floor (dynamic import, wasm): no newer syntax.
  local esbuild="$root/node_modules/.bin/esbuild"
  [ -x "$esbuild" ] || { echo "missing $esbuild: run npm ci" >&2; exit 1; }
  "$esbuild" widget/loader/loader.js --minify --legal-comments=none --target=es2020 \
    --log-level=warning --outfile=dist/loader.js
  # --bundle takes in the glue's one import, widget/src/attachments.js (wasm-bindgen copies it
  # to snippets/), so opening the chat costs no request more; the files module it imports on
  # first use (widget/files/files.js: the tray, uploads, a message's files) is minified beside
  # the glue, and only fetched then.
  "$esbuild" dist/widget/charla_widget.js --bundle --minify --format=esm --legal-comments=none \
    --target=es2020 --log-level=warning --allow-overwrite --outfile=dist/widget/charla_widget.js
  rm -rf dist/widget/snippets
  grep -Eq 'from ?"\./' dist/widget/charla_widget.js && { echo "the widget's glue still imports a file" >&2; exit 1; }
  "$esbuild" widget/files/files.js --minify --format=esm --legal-comments=none --target=es2020 \
    --log-level=warning --outfile=dist/widget/files.js
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
  # The pages opened from the header (settings, workflows, reports, files) and the parts of a
  # conversation seldom shown (chat/parts.rs: the file tray, uploads, delete) become split_*.wasm, what
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
    # A full disk leaves wasm-opt's output empty without an error: that page would never load.
    [ -s "$wasm.opt" ] || { echo "wasm-opt wrote an empty $wasm.opt (disk full?)" >&2; exit 1; }
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

# The inputs of a part: every tracked or new file under its folders, hashed with their names.
inputs_hash() {
  git ls-files -z -co --exclude-standard -- "$@" Cargo.lock Cargo.toml rust-toolchain.toml scripts/build.sh \
    | sort -zu | xargs -0 sha256sum 2>/dev/null | sha256sum | cut -d' ' -f1
}
# build PART OUTPUT FOLDERS...: build_PART, unless --if-changed and nothing changed since.
build() {
  local part=$1 output=$2 stamp="$root/target/.build-stamps/$1" sum
  shift 2
  sum=$(inputs_hash "$@")
  if [ -n "$if_changed" ] && [ -e "$output" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then
    log "$part: up to date (inputs unchanged since its last build)"
    return
  fi
  "build_$part"
  mkdir -p "$(dirname "$stamp")"
  echo "$sum" > "$stamp"
}

mkdir -p dist
cp edge/assets/_headers dist/_headers
case "$what" in
  edge) build edge edge/build/index.js edge shared ;;
  widget) build widget dist/widget/charla_widget_bg.wasm widget shared ;;
  inbox) build inbox dist/inbox/index.html inbox shared ;;
  all)
    build widget dist/widget/charla_widget_bg.wasm widget shared
    build inbox dist/inbox/index.html inbox shared
    build edge edge/build/index.js edge shared
    ;;
  *) echo "usage: $0 [edge|widget|inbox|all] [--if-changed]" >&2; exit 2 ;;
esac
log "done: $what"
