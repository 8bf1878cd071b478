#!/usr/bin/env bash
# Renders the attention fixture to HTML and loads it in headless Chromium (file://, no network):
# the page must draw without script errors, report the expected numbers of small maps, cells
# and axis labels, and show the hostile token as text. Takes screenshots of both items.
# usage: browser_check.sh ATTN_VIZ_FIXTURE FIXTURE.json
# Exit 77 (ctest SKIP) only when Chromium is missing and cannot be installed (1 with ATTN_REQUIRE_TOOLS=1).
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
  # tests/fresh_machine.sh sets ATTN_REQUIRE_TOOLS: there a missing tool is a missing install step.
  [ "${ATTN_REQUIRE_TOOLS:-0}" = 1 ] && exit 1
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

check_item() {  # check_item NAME ITEM LAYER FRAGMENT
  local name=$1 item=$2 layer=$3 prefix="$work/$1" thumbs shown
  thumbs=$(grep "^item=$item thumbnails=" "$work/expected.txt" | cut -d= -f3) || fail "no expectations for item $item"
  shown=$(grep "^item=$item layer=$layer " "$work/expected.txt") || fail "no expectations for item $item layer $layer"
  browse "file://$work/page.html$4" "$prefix"
  grep -q 'CONSOLE' "$prefix.log" && { grep 'CONSOLE' "$prefix.log" >&2; fail "$name: console messages"; }
  [ "$(body_attr "$prefix.dom" data-ready)" = 1 ] || fail "$name: page did not finish drawing"
  [ "$(body_attr "$prefix.dom" data-errors)" = 0 ] || fail "$name: script errors: $(body_attr "$prefix.dom" data-errors)"
  [ "$(body_attr "$prefix.dom" data-item)" = "$item" ] || fail "$name: page shows item $(body_attr "$prefix.dom" data-item)"
  [ "$(body_attr "$prefix.dom" data-thumbnails)" = "$thumbs" ] ||
    fail "$name: data-thumbnails is '$(body_attr "$prefix.dom" data-thumbnails)', expected $thumbs"
  for key in cells labels; do
    local want got
    want=$(grep -o "$key=[0-9]*" <<<"$shown" | cut -d= -f2)
    got=$(body_attr "$prefix.dom" "data-$key")
    [ "$got" = "$want" ] || fail "$name: data-$key is '$got', expected $want"
  done
  [ "$(grep -c '<script>alert' "$prefix.dom")" = 0 ] || fail "$name: a token became a <script> element"
  [ -s "$prefix.png" ] || fail "$name: no screenshot"
  echo "$name: ok (item $item, $shown, thumbnails=$thumbs)"
}

check_item item0 0 0 ""
# The token shows as text in the drawn axis labels (serialised escaped by the DOM dump).
grep -qF '>&lt;script&gt;alert(1)&lt;/script&gt;</span>' "$work/item0.dom" || fail "hostile token not shown as label text"
check_item item1 1 0 "#item=1"
# A link to one weight selects its map and shows the tooltip as on hover.
check_item item0-cell 0 4 "#item=0&layer=4&head=1&cell=2,4"
grep -qE '<div id="tooltip" role="tooltip" style="[^"]*">' "$work/item0-cell.dom" || fail "tooltip not shown for #cell"
grep -qF '<span class="k">weight </span>' "$work/item0-cell.dom" || fail "tooltip has no weight"

if [ -n "${VIZ_SCREENSHOT_DIR:-}" ]; then
  mkdir -p "$VIZ_SCREENSHOT_DIR"
  cp "$work"/item*.png "$work/page.html" "$VIZ_SCREENSHOT_DIR"/
fi
echo "browser check passed"
