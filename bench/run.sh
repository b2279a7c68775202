#!/usr/bin/env bash
# Prints Charla's figures: widget bytes, DO round trip vs raw echo, messages/s. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false
if [ "${1:-}" != "--no-build" ]; then bash scripts/setup.sh && bash scripts/build.sh all; fi
node bench/sizes.mjs
node bench/page.mjs
node bench/roundtrip.mjs "${@:2}"
node bench/assignment.mjs
node bench/workflows.mjs
node bench/reports.mjs
node bench/floods.mjs
