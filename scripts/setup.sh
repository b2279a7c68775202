#!/usr/bin/env bash
# Installs everything Charla needs on a fresh machine (idempotent; fast when already done).
#   scripts/setup.sh          toolchain for building and running
#   scripts/setup.sh --test   also Debian chromium + chromium-driver for browser tests, php-cli
#                             for the WordPress plugin's checks
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown

# The wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock, byte for byte.
want_bindgen=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[version ="]/,""); print; exit}' Cargo.lock)
have_bindgen=$(wasm-bindgen --version 2>/dev/null | awk '{print $NF}' || true)
if [ "$have_bindgen" != "$want_bindgen" ]; then
  log "installing wasm-bindgen-cli $want_bindgen (a few minutes, once)"
  # Not --locked: the registry mirror lacks some versions the CLI's own lockfile names.
  cargo install wasm-bindgen-cli --version "$want_bindgen" --force
fi

# worker-build must match the worker crate.
want_worker=$(awk '/^name = "worker"$/{getline; gsub(/[version ="]/,""); print; exit}' Cargo.lock)
have_worker=$(worker-build --version 2>/dev/null | awk '{print $NF}' || true)
if [ "$have_worker" != "$want_worker" ]; then
  log "installing worker-build $want_worker (once)"
  cargo install worker-build --version "$want_worker" --force
fi

# wasm-split-cli splits the inbox's wasm at its wasm_split points (scripts/build.sh); the
# crate's own lockfile pins its dependencies. It has no --version, so ask cargo what it installed.
want_split=0.2.4
if ! cargo install --list | grep -x "wasm_split_cli_support v$want_split:" >/dev/null; then
  log "installing wasm-split-cli $want_split (once)"
  cargo install wasm_split_cli_support --version "$want_split" --features build-binary --locked --force
fi

if [ ! -x node_modules/.bin/wrangler ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci (wrangler, workerd, binaryen, test clients)"
  npm ci --no-audit --no-fund
fi

if [ "${1:-}" = "--test" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    log "installing Debian chromium + chromium-driver"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium chromium-driver
  fi
  # php -l and the rendered-snippet harness of the WordPress plugin (tests/browser/platforms).
  if ! command -v php >/dev/null; then
    log "installing Debian php-cli"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q php-cli
  fi
fi

# Local secrets for `wrangler dev`; production uses `wrangler secret put CHARLA_SECRET`.
if [ ! -f .dev.vars ]; then
  log "writing .dev.vars with a fresh random CHARLA_SECRET"
  {
    printf 'CHARLA_SECRET="%s"\n' "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    # Seeds workspace "demo" with demo@charla.dev / charla-demo on first use. Local only.
    printf 'CHARLA_DEMO_WORKSPACE="demo"\n'
  } > .dev.vars
fi
log "ready"
