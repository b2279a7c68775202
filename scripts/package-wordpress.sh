#!/usr/bin/env bash
# Builds the installable WordPress plugin zip from demo-site/wordpress/charla-chat/.
#   scripts/package-wordpress.sh [OUT.zip]     (default dist-plugins/charla-chat.zip)
# The zip holds one folder, charla-chat/, as WordPress's "Upload Plugin" expects. Entries are
# sorted and dated 1980-01-01, so the same sources give the same bytes. Lints every PHP file
# with `php -l` when php is installed (scripts/setup.sh --test installs php-cli).
set -euo pipefail
cd "$(dirname "$0")/.."
src=demo-site/wordpress/charla-chat
out=${1:-dist-plugins/charla-chat.zip}
log() { printf '\033[1;34m[wordpress]\033[0m %s\n' "$*"; }

version=$(sed -n 's/^ \* Version: *//p' "$src/charla-chat.php")
stable=$(sed -n 's/^Stable tag: *//p' "$src/readme.txt")
if [ -z "$version" ] || [ "$version" != "$stable" ]; then
  echo "plugin header Version ($version) and readme.txt Stable tag ($stable) differ" >&2
  exit 1
fi

if command -v php >/dev/null; then
  find "$src" -name '*.php' -print0 | sort -z | xargs -0 -n1 php -l >/dev/null
  log "php -l: ok"
else
  log "php not installed: PHP files not linted (bash scripts/setup.sh --test installs php-cli)"
fi

# The translations WordPress loads are compiled from the .po files, and must be complete.
python3 scripts/wp-i18n.py check "$src" >/dev/null

mkdir -p "$(dirname "$out")"
rm -f "$out"
python3 - "$src" "$out" <<'PY'
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
base = os.path.basename(src.rstrip("/"))
files = sorted(
    os.path.join(d, f)
    for d, _, fs in os.walk(src)
    for f in fs
    if not f.startswith(".")
)
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for path in files:
        name = base + "/" + os.path.relpath(path, src).replace(os.sep, "/")
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        with open(path, "rb") as fh:
            z.writestr(info, fh.read())
PY
log "built $out (version $version)"
