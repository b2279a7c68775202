#!/usr/bin/env bash
# Every check and test Charla has. What CI runs (`.ci/run` calls this). Fails loudly.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH" WRANGLER_SEND_METRICS=false
step() { printf '\n\033[1;35m==> %s\033[0m\n' "$*"; }

step "setup (toolchain, wasm-bindgen, worker-build, npm ci, chromium)"
bash scripts/setup.sh --test

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy, native"
cargo clippy --workspace --all-targets -- -D warnings
step "clippy, wasm32"
cargo clippy --workspace --target wasm32-unknown-unknown -- -D warnings

step "cargo test (shared core and every crate, native)"
cargo test --workspace

step "the widget's files module, without a browser"
node --test tests/widget/

step "build worker, widget, inbox"
bash scripts/build.sh all

step "deploy dry run: wrangler.toml's bindings and the worker's size against Cloudflare's limits"
bash scripts/deploy-check.sh

step "edge tests: real workerd via wrangler dev, real WebSockets"
node --test --test-concurrency=1 tests/edge/

step "security suite (OWASP ASVS areas): real workerd, attacks refused, nothing lost"
node --test --test-concurrency=1 tests/security/

step "browser end-to-end: Debian chromium + wrangler dev + demo site"
node --test --test-concurrency=1 tests/browser/

step "WordPress plugin on a real WordPress: Debian's wordpress 6.1 package, a private MariaDB, php -S"
bash tests/wordpress/real-wordpress.sh

step "all tests passed"
