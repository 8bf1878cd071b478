#!/usr/bin/env bash
# Renders the attention fixture to HTML and loads it in headless Chromium (file://, no network):
# the page must draw without script errors, report the expected numbers of small maps, cells
# and axis labels, and show the hostile token as text. Takes screenshots of both items.
# usage: browser_check.sh ATTN_VIZ_FIXTURE FIXTURE.json
# Exit 77 (ctest SKIP) only when Chromium is missing and cannot be installed.
# VIZ_SCREENSHOT_DIR=dir keeps the screenshots there.
set -euo pipefail
renderer=${1:?usage: browser_check.sh ATTN_VIZ_FIXTURE FIXTURE.json}
fixture=${2:?usage: browser_check.sh ATTN_VIZ_FIXTURE FIXTURE.json}

find_chromium() { command -v chromium || command -v chromium-browser || true; }
chromium=$(find_chromium)
if [ -z "$chromium" ] && [ "$(id -u)" = 0 ]; then
  echo "chromium not found; trying: apt-get install chromium" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 || true
  chromium=$(find_chromium)
fi
if [ -z "$chromium" ]; then
  echo "SKIP: chromium is not installed and could not be installed (make deps installs it)"
  exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$renderer" "$fixture" "$work/page.html" >"$work/expected.txt"
cat "$work/expected.txt"

# Static checks on the page itself.
grep -q '<script>alert' "$work/page.html" && fail "raw <script>alert from a token in the HTML"
grep -qF '\u003cscript\u003ealert(1)\u003c/script\u003e' "$work/page.html" || fail "escaped token missing from the page data"
[ "$(grep -c '</script>' "$work/page.html")" = 3 ] || fail "expected exactly 3 </script> tags (error hook, data, main)"
grep -qE '(src|href)="(https?:)?//' "$work/page.html" && fail "page references the network"

browse() {  # browse URL OUT_PREFIX: dumps the DOM and takes a screenshot
  local flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
    --disable-component-update --disable-sync --disable-extensions --hide-scrollbars --window-size=1200,900
    --virtual-time-budget=5000 --enable-logging=stderr --v=0)
  timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$(mktemp -d "$work/profile.XXXX")" \
    --dump-dom "$1" >"$2.dom" 2>"$2.log" || { cat "$2.log" >&2; fail "chromium --dump-dom failed on $1"; }
  timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$(mktemp -d "$work/profile.XXXX")" \
    --screenshot="$2.png" "$1" >/dev/null 2>"$2.shot.log" || { cat "$2.shot.log" >&2; fail "chromium --screenshot failed"; }
}

body_attr() {  # body_attr DOM NAME: value of a data attribute on <body>
  grep -o '<body[^>]*>' "$1" | head -n 1 | grep -o "$2=\"[^\"]*\"" | sed -E 's/.*="(.*)"/\1/'
}

check_item() {  # check_item INDEX FRAGMENT
  local index=$1 prefix="$work/item$1" expected
  expected=$(grep "^item=$index " "$work/expected.txt") || fail "renderer printed nothing for item $index"
  browse "file://$work/page.html$2" "$prefix"
  grep -q 'CONSOLE' "$prefix.log" && { grep 'CONSOLE' "$prefix.log" >&2; fail "console messages on item $index"; }
  [ "$(body_attr "$prefix.dom" data-ready)" = 1 ] || fail "item $index: page did not finish drawing"
  [ "$(body_attr "$prefix.dom" data-errors)" = 0 ] || fail "item $index: script errors: $(body_attr "$prefix.dom" data-errors)"
  [ "$(body_attr "$prefix.dom" data-item)" = "$index" ] || fail "item $index: page shows item $(body_attr "$prefix.dom" data-item)"
  for key in thumbnails cells labels; do
    local want got
    want=$(grep -o "$key=[0-9]*" <<<"$expected" | cut -d= -f2)
    got=$(body_attr "$prefix.dom" "data-$key")
    [ "$got" = "$want" ] || fail "item $index: data-$key is '$got', expected $want"
  done
  [ "$(grep -c '<script>alert' "$prefix.dom")" = 0 ] || fail "item $index: a token became a <script> element"
  [ -s "$prefix.png" ] || fail "item $index: no screenshot"
  echo "item $index: ok ($expected)"
}

check_item 0 ""
# The token shows as text in the drawn axis labels (serialised escaped by the DOM dump).
grep -qF '>&lt;script&gt;alert(1)&lt;/script&gt;</span>' "$work/item0.dom" || fail "hostile token not shown as label text"
check_item 1 "#item=1"

if [ -n "${VIZ_SCREENSHOT_DIR:-}" ]; then
  mkdir -p "$VIZ_SCREENSHOT_DIR"
  cp "$work"/item*.png "$work/page.html" "$VIZ_SCREENSHOT_DIR"/
fi
echo "browser check passed"
