#!/usr/bin/env bash
# What `wrangler deploy` would upload, without uploading: wrangler.toml's bindings are read and
# checked and the worker bundled (`--dry-run`); prints the bundle's size beside Cloudflare's
# limits and fails on a wrangler error or a worker over the paid plan's limit.
#   scripts/deploy-check.sh      (after scripts/build.sh edge)
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
log=$(npx --no-install wrangler deploy --dry-run --outdir "$out" 2>&1) || {
  printf '%s\n' "$log" >&2
  echo "wrangler deploy --dry-run failed" >&2
  exit 1
}
printf '%s\n' "$log" | grep -E '^(Total Upload|env\.)' || true
# "Total Upload: 4383.50 KiB / gzip: 1203.01 KiB"
gzip_kib=$(printf '%s\n' "$log" | sed -n 's/.*Total Upload: .* gzip: \([0-9.]*\) KiB.*/\1/p' | head -1)
[ -n "$gzip_kib" ] || { echo "no size in wrangler's output" >&2; exit 1; }
# Workers' compressed size limits: 3 MiB on the Free plan, 10 MiB on Paid.
python3 - "$gzip_kib" <<'PY'
import sys
kib = float(sys.argv[1])
free, paid = 3 * 1024, 10 * 1024
print(f"worker gzip {kib:.0f} KiB: {kib / free:.0%} of the Free plan's 3 MiB, {kib / paid:.0%} of the Paid plan's 10 MiB")
if kib > paid:
    sys.exit("the worker is over Cloudflare's 10 MiB limit: it cannot be deployed")
if kib > free:
    print("warning: over the Free plan's 3 MiB: deploys need the Workers Paid plan")
PY
