#!/usr/bin/env bash
# Prints Charla's figures: widget bytes, the message path beside its floors (raw echo, a DO that
# inserts then broadcasts), a workspace at a realistic load, assignment, workflows, reports, search, files. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false
if [ "${1:-}" != "--no-build" ]; then bash scripts/setup.sh && bash scripts/build.sh all; fi
node bench/sizes.mjs
node bench/page.mjs
node bench/roundtrip.mjs "${@:2}"
node bench/scale.mjs
node bench/assignment.mjs
node bench/workflows.mjs
node bench/reports.mjs
node bench/search.mjs
node bench/files.mjs
node bench/api.mjs
node bench/floods.mjs
