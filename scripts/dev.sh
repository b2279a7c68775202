#!/usr/bin/env bash
# One command to run Charla locally: installs what is missing, builds, then serves
#   edge + inbox  on http://127.0.0.1:${CHARLA_PORT:-8787}  (wrangler dev, local persisted DOs)
#   demo site     on http://127.0.0.1:${CHARLA_DEMO_PORT:-8788}
# Data persists in .wrangler/state across restarts. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false
port=${CHARLA_PORT:-8787}
demo_port=${CHARLA_DEMO_PORT:-8788}

bash scripts/setup.sh
# A second start with nothing changed skips the builds (seconds instead of minutes).
bash scripts/build.sh all --if-changed

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

npx wrangler dev --ip 127.0.0.1 --port "$port" --persist-to .wrangler/state \
  --show-interactive-dev-session=false &
pids+=($!)
node scripts/demo-server.mjs --port "$demo_port" --edge "http://127.0.0.1:$port" &
pids+=($!)

for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$port/v1/health" >/dev/null 2>&1 && break
  sleep 0.5
done
cat <<MSG

  Charla is running.
    Demo site (chat as a visitor): http://127.0.0.1:$demo_port/
    Agent inbox:                   http://127.0.0.1:$port/inbox/
    Demo login:                    workspace "demo", demo@charla.dev / charla-demo

MSG
wait
