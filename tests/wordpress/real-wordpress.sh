#!/usr/bin/env bash
# The Charla Chat plugin on a REAL WordPress: Debian's `wordpress` package (6.1.x on Debian 12,
# the oldest version the plugin supports), a private MariaDB and `php -S`, all in a temp dir.
#
#   bash tests/wordpress/real-wordpress.sh        (make wordpress-check)
#   KEEP=1 bash tests/wordpress/real-wordpress.sh  keeps the temp dir (logs, pages, the site)
#
# It installs what is missing with apt (sudo when not root), then: a MariaDB of its own (its own
# datadir and socket in the temp dir, 127.0.0.1 on a free port; the system's MariaDB is neither
# used nor touched), a WordPress site copied from /usr/share/wordpress with its own wp-config.php
# (Debian's reads /etc/wordpress/config-*.php; nothing in /etc is written), installed with
# wp_install(); the plugin copied in and activated; the settings saved through the plugin's
# sanitizer; then checks over HTTP with curl and in PHP (tests/wordpress/wp-helper.php,
# check-html.php), and the uninstall. Prints PASS/FAIL per check, exits 1 on any failure. Every
# process it starts is stopped by its PID on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/tests/wordpress
PLUGIN_SRC=${CHARLA_WP_PLUGIN_DIR:-$ROOT/demo-site/wordpress/charla-chat} # another copy to test: set it
PLUGIN=charla-chat/charla-chat.php
EDGE=https://charla.example.workers.dev
WORKSPACE=acme
start=$(date +%s)

say() { printf '\033[1m%s\033[0m\n' "$*"; }
die() { printf '\033[31mFAIL\033[0m  %s\n' "$*"; exit 1; }

# ------------------------------------------------------------------------------ packages
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo DEBIAN_FRONTEND=noninteractive "$@"; fi; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
want=(wordpress wordpress-theme-twentytwentythree wordpress-theme-twentytwentyone mariadb-server php-cli php-mysql curl)
missing=()
for p in "${want[@]}"; do installed "$p" || missing+=("$p"); done
apt_seconds=0
if [ ${#missing[@]} -gt 0 ]; then
  if ! installed wordpress; then
    # `wordpress` depends on "apache2 | httpd" and "libapache2-mod-php | php": without these,
    # apt installs and enables Apache. micro-httpd (inetd-run, no daemon of its own) and PHP's
    # CGI binary satisfy them; the site here is served by `php -S`.
    phpv=$(apt-cache depends php-cli 2>/dev/null | sed -n 's/.*Depends: php\([0-9.]*\)-cli$/\1/p' | head -1)
    missing+=(micro-httpd php "php${phpv:-8.2}-cgi")
  fi
  say "apt-get install ${missing[*]}"
  t=$(date +%s)
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  apt_seconds=$(( $(date +%s) - t ))
fi
for b in mariadbd mariadb-install-db mariadb mariadb-admin php curl; do
  command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] || die "$b not found after apt"
done
MARIADBD=$(command -v mariadbd || echo /usr/sbin/mariadbd)

# ------------------------------------------------------------------------------ temp dir, cleanup
T=$(mktemp -d "${TMPDIR:-/tmp}/real-wordpress.XXXXXX") # no "charla" in it: the log check greps for it
DB_PID= WEB_PID=
stop() { # stop PID: TERM, up to 20 s, then KILL
  local pid=$1 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  stop "$WEB_PID"
  stop "$DB_PID"
  if [ "${KEEP:-}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { php -r '$s = stream_socket_server("tcp://127.0.0.1:0"); echo explode(":", stream_socket_get_name($s, false))[1];'; }

# ------------------------------------------------------------------------------ MariaDB of our own
say "MariaDB in $T/db"
DB_PORT=$(free_port)
DB_SOCK=$T/db.sock
DB_PASS=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
as_user=()
[ "$(id -u)" = 0 ] && as_user=(--user=root) # mariadbd refuses root unless told so
mariadb-install-db --no-defaults --datadir="$T/db" --auth-root-authentication-method=normal \
  --skip-test-db "${as_user[@]}" >"$T/db-install.log" 2>&1 || { cat "$T/db-install.log"; die "mariadb-install-db"; }
"$MARIADBD" --no-defaults --datadir="$T/db" --socket="$DB_SOCK" --port="$DB_PORT" \
  --bind-address=127.0.0.1 --skip-name-resolve --pid-file="$T/db.pid" --log-error="$T/db.err" \
  --skip-log-bin --innodb-buffer-pool-size=32M "${as_user[@]}" >"$T/db.out" 2>&1 &
DB_PID=$!
sql() { mariadb --no-defaults --socket="$DB_SOCK" -uroot "$@"; }
for i in $(seq 1 150); do
  mariadb-admin --no-defaults --socket="$DB_SOCK" -uroot ping >/dev/null 2>&1 && break
  kill -0 "$DB_PID" 2>/dev/null || { cat "$T/db.err"; die "mariadbd exited"; }
  sleep 0.2
done
sql -e "CREATE DATABASE wordpress CHARACTER SET utf8mb4;
        CREATE USER 'wordpress'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
        GRANT ALL ON wordpress.* TO 'wordpress'@'127.0.0.1';" || die "create database and user"

# ------------------------------------------------------------------------------ WordPress site
WP_PORT=$(free_port)
URL=http://127.0.0.1:$WP_PORT
SITE=$T/site
say "WordPress from /usr/share/wordpress in $SITE, served at $URL"
mkdir "$SITE"
# A copy (symlinks followed: Debian links getid3, underscore… to /usr/share, relatively), without
# Debian's wp-config.php and its .htaccess link into /etc. WordPress finds wp-config.php next to
# wp-load.php, i.e. ours; a symlinked core would resolve to /usr/share/wordpress and Debian's.
tar -C /usr/share/wordpress -chf - --exclude=./wp-config.php --exclude=./.htaccess . | tar -C "$SITE" -xf -
salt() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }
cat >"$SITE/wp-config.php" <<PHP
<?php
// Written by tests/wordpress/real-wordpress.sh.
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wordpress' );
define( 'DB_PASSWORD', '$DB_PASS' );
define( 'DB_HOST', '127.0.0.1:$DB_PORT' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
\$table_prefix = 'wp_';
foreach ( array( 'AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT' ) as \$k ) {
	define( \$k, \$k . '$(salt)' );
}
define( 'WP_HOME', '$URL' );
define( 'WP_SITEURL', '$URL' );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', '$T/debug.log' );
define( 'WP_DEBUG_DISPLAY', false );
define( 'DISABLE_WP_CRON', true );          // no loopback requests to the one php -S
define( 'WP_HTTP_BLOCK_EXTERNAL', true );   // no update checks to wordpress.org
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'FS_METHOD', 'direct' );
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
PHP
php -S "127.0.0.1:$WP_PORT" -t "$SITE" >"$T/web.log" 2>&1 &
WEB_PID=$!
for i in $(seq 1 50); do
  curl -s -o /dev/null "$URL/wp-includes/js/wp-emoji.js" && break
  kill -0 "$WEB_PID" 2>/dev/null || { cat "$T/web.log"; die "php -S exited"; }
  sleep 0.1
done

helper() { WP_TEST_HOST=127.0.0.1:$WP_PORT php "$HERE/wp-helper.php" "$SITE" "$@"; }
ADMIN_PASS=$(salt)
helper install "$URL" "$ADMIN_PASS" >"$T/install.json" || { cat "$T/install.json"; die "wp_install()"; }
version=$(helper version) || die "version: $version"
WP_VERSION=$(php -r 'echo json_decode($argv[1])->wp;' "$version")
say "WordPress $WP_VERSION (Debian package $(dpkg-query -W -f='${Version}' wordpress)), $(php -r '$v = json_decode($argv[1]); echo "PHP $v->php, $v->db";' "$version")"

# ------------------------------------------------------------------------------ checks
results=()
failures=0
pass() { printf '\033[32mPASS\033[0m  %s\n' "$1"; results+=("PASS  $1"); }
fail() { printf '\033[31mFAIL\033[0m  %s\n' "$1"; results+=("FAIL  $1"); failures=$((failures + 1)); }
# check NAME COMMAND…: PASS if the command succeeds; its output is shown either way.
check() {
  local name=$1 out
  shift
  if out=$("$@" 2>&1); then pass "$name"; else fail "$name"; fi
  [ -z "$out" ] || printf '%s\n' "${out:0:600}" | sed 's/^/      /'
}
get() { curl -sS --max-time 30 "$@"; }
fetch() { # fetch PATH FILE: a 200 page
  local code
  code=$(get -o "$2" -w '%{http_code}' "$URL$1") && [ "$code" = 200 ] || { echo "GET $1: HTTP $code $(head -c 300 "$2")"; return 1; }
}
footer() { # footer PATH FILE EDGE: exactly one async loader tag, in the footer
  fetch "$1" "$2" && php "$HERE/check-html.php" footer "$2" "$3" "$WORKSPACE"
}
none() { # none PATH FILE [TEXT]: the page (which has TEXT) has no loader tag
  fetch "$1" "$2" || return 1
  [ -z "${3:-}" ] || grep -qF -- "$3" "$2" || { echo "not the expected page: no $3"; return 1; }
  php "$HERE/check-html.php" none "$2"
}
option_is() { # option_is JSON: the stored option equals this (raw from wp_options)
  local got
  got=$(helper option) || { echo "$got"; return 1; }
  php -r 'exit(json_decode($argv[1], true)["value"] === json_decode($argv[2], true) ? 0 : 1);' "$got" "$1" || { echo "stored: $got"; return 1; }
  echo "stored: $got"
}

mkdir "$SITE/wp-content/plugins/charla-chat"
cp -R "$PLUGIN_SRC/." "$SITE/wp-content/plugins/charla-chat/"
check "activate_plugin() (Requires at least 6.1 / PHP 7.4 met, no output)" helper activate "$PLUGIN"
check "front page before the settings are saved: no loader tag" none / "$T/front-unset.html"
check "update_option() of the registered setting runs charla_chat_sanitize (\"$EDGE/\" stored as \"$EDGE\")" \
  helper save-option "{\"edge_url\":\"$EDGE/\",\"workspace\":\"$WORKSPACE\"}"
check "option charla_chat = {edge_url: $EDGE, workspace: $WORKSPACE}" \
  option_is "{\"edge_url\":\"$EDGE\",\"workspace\":\"$WORKSPACE\"}"

check "front page (twentytwentythree, block theme): exactly one loader tag, async, data-workspace=\"$WORKSPACE\", before </body>" \
  footer / "$T/front-block.html" "$EDGE"
check "a post (?p=1): the loader tag too" footer '/?p=1' "$T/post.html" "$EDGE"
check "switch_theme(twentytwentyone), a classic theme" helper theme twentytwentyone
check "front page (twentytwentyone, classic theme): exactly one loader tag, async, before </body>" \
  footer / "$T/front-classic.html" "$EDGE"
check "feed (?feed=rss2): no loader tag" none '/?feed=rss2' "$T/feed.xml" '<rss'
check "wp-login.php: no loader tag" none /wp-login.php "$T/login.html" 'id="user_login"'

# Log in as a browser does: the test cookie first, then the form POST.
JAR=$T/cookies.txt
login() {
  get -c "$JAR" -o /dev/null "$URL/wp-login.php" &&
    get -b "$JAR" -c "$JAR" -o /dev/null -w '%{http_code} %{redirect_url}\n' \
      --data-urlencode log=admin --data-urlencode "pwd=$ADMIN_PASS" -d wp-submit=Log+In \
      --data-urlencode "redirect_to=$URL/wp-admin/" -d testcookie=1 "$URL/wp-login.php" >"$T/login.txt" &&
    grep -q '^302 .*/wp-admin/$' "$T/login.txt" && grep -q wordpress_logged_in_ "$JAR" && cat "$T/login.txt"
}
check "log in through the wp-login.php form" login
SETTINGS=$URL/wp-admin/options-general.php?page=charla-chat
settings_page() { get -b "$JAR" -o "$1" -w '%{http_code}' "$SETTINGS" | grep -qx 200 || { echo "HTTP $(tail -c 300 "$1")"; return 1; }; }
settings_ok() { settings_page "$T/settings.html" && php "$HERE/check-html.php" settings "$T/settings.html"; }
check "settings page: the status box id=\"charla-chat-status\" and the edge field type=\"text\" inputmode=\"url\"" settings_ok
check "settings page (wp-admin): no loader tag" php "$HERE/check-html.php" none "$T/settings.html"
plugins_link() {
  get -b "$JAR" -o "$T/plugins.html" "$URL/wp-admin/plugins.php" &&
    grep -qF 'options-general.php?page=charla-chat">Settings</a>' "$T/plugins.html" &&
    grep -qE "href=[\"']options-general\.php\?page=charla-chat[\"']" "$T/plugins.html" ||
    { echo "no Settings link under the plugin, or no Settings → Charla Chat menu entry"; return 1; }
}
check "Plugins screen: the plugin's Settings link, and Settings → Charla Chat in the menu" plugins_link
check "settings page shows the saved values" \
  grep -q "id=\"charla_chat_edge_url\" name=\"charla_chat\[edge_url\]\" value=\"$EDGE\"" "$T/settings.html"

# Save through the real form: options.php with the nonce and referer from the page.
save_form() { # save_form EDGE_INPUT OUT_PREFIX: POST the form, print the redirect
  local page=$2.html fields args=()
  settings_page "$page" || return 1
  fields=$(php "$HERE/check-html.php" form "$page") || { echo "$fields"; return 1; }
  grep -q '^_wpnonce=.' <<<"$fields" && grep -q '^option_page=charla_chat$' <<<"$fields" || { echo "form fields: $fields"; return 1; }
  while IFS= read -r f; do args+=(--data-urlencode "$f"); done <<<"$fields"
  get -b "$JAR" -c "$JAR" -o "$2.response" -w '%{http_code} %{redirect_url}\n' "${args[@]}" \
    --data-urlencode "charla_chat[edge_url]=$1" --data-urlencode "charla_chat[workspace]=$WORKSPACE" \
    --data-urlencode "submit=Save Changes" "$URL/wp-admin/options.php" >"$2.redirect"
  grep -q '^302 .*options-general\.php?page=charla-chat&settings-updated=true' "$2.redirect" || { echo "options.php answered: $(cat "$2.redirect") $(head -c 300 "$2.response")"; return 1; }
  cat "$2.redirect"
}
check "options.php form POST of edge \"Https://Chat.Example.com\" (nonce from the page)" save_form "Https://Chat.Example.com" "$T/save-ok"
check "... stored as https://chat.example.com" option_is "{\"edge_url\":\"https://chat.example.com\",\"workspace\":\"$WORKSPACE\"}"
check "... and the front page loads https://chat.example.com/loader.js" footer / "$T/front-saved.html" "https://chat.example.com"

refused() { # an invalid edge: one error message on the page WordPress redirects to, value kept
  save_form "javascript:alert(1)" "$T/save-bad" || return 1
  get -b "$JAR" -o "$T/save-bad.after.html" "$(cut -d' ' -f2 "$T/save-bad.redirect")"
  local n
  n=$(php "$HERE/check-html.php" count "$T/save-bad.after.html" "The edge URL must be an https:// address")
  [ "$n" = 1 ] || { echo "the error message is on the page $n times"; return 1; }
  option_is "{\"edge_url\":\"https://chat.example.com\",\"workspace\":\"$WORKSPACE\"}"
}
check "options.php form POST of edge \"javascript:alert(1)\": refused with one error message, value kept" refused

spanish() { # the plugin's own es_ES .mo, loaded by WordPress's MO reader for a Spanish admin
  local out
  out=$(helper user-locale es_ES) || { echo "$out"; return 1; }
  settings_page "$T/settings-es.html" || return 1
  for s in 'Widget de chat' 'URL del edge' 'Id del espacio de trabajo'; do
    grep -qF "$s" "$T/settings-es.html" || { echo "no \"$s\" on the settings page"; return 1; }
  done
  helper user-locale '' >/dev/null
}
check "settings page for a Spanish (es_ES) admin: the plugin's translation is loaded" spanish

# The PHP error log (WP_DEBUG_LOG) of every request and CLI call above.
touch "$T/debug.log"
debug_log() {
  local ours
  ours=$(grep -ih 'charla' "$T/debug.log" "$T/web.log" | grep -iE 'notice|warning|deprecated|error|doing_it_wrong|called incorrectly' || true)
  [ -z "$ours" ] || { echo "$ours"; return 1; }
  echo "$(grep -c 'PHP ' "$T/debug.log" || true) lines from WordPress $WP_VERSION itself on PHP $(php -r 'echo PHP_VERSION;'), none about charla-chat"
}
check "PHP error log (WP_DEBUG_LOG): no notice/warning/deprecation about charla-chat" debug_log

uninstall() {
  local out
  out=$(helper uninstall "$PLUGIN") || { echo "$out"; return 1; }
  php -r '$r = json_decode($argv[1]); exit($r->uninstallable && !$r->files_left ? 0 : 1);' "$out" || { echo "$out"; return 1; }
  out=$(helper option) && [ "$out" = '{"exists":false,"value":null}' ] || { echo "after the uninstall: $out"; return 1; }
  echo "no charla_chat row in wp_options, no wp-content/plugins/charla-chat"
}
check "deactivate_plugins() + delete_plugins(): uninstall.php runs, the option and the folder are gone" uninstall
check "front page after the uninstall: no loader tag" none / "$T/front-gone.html"
check "PHP error log after the uninstall: still nothing about charla-chat" debug_log

# ------------------------------------------------------------------------------ summary
total=$(( $(date +%s) - start ))
echo
say "WordPress $WP_VERSION: $(( ${#results[@]} - failures )) passed, $failures failed; ${total}s (apt ${apt_seconds}s)"
[ "$failures" = 0 ]
