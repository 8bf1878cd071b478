#!/usr/bin/env bash
# Renders the attention fixtures to HTML and loads them in headless Chromium (file://, no network):
# each page must draw without script errors and report the expected numbers of small maps, cells,
# axis labels and text-view tokens, and show hostile tokens and labels as text.
# - SEQ2SEQ.json, an attn.attention/1 encoder-decoder dump: the grid views of both items and a
#   link to one weight.
# - CLASSIFY.json, an attn.attention/2 classifier dump: the text view (tokens shaded by pooling
#   weight, prediction, reference) of items 0 and 1, grids reached through #view=grid (one of a
#   kind the page does not know), and the shaded-text SVG figure, which must parse.
# - IMAGE.json, image items: the gallery the page opens on (every picture, wrong predictions
#   marked), the picture view with its overlay and small maps, a pinned patch's row (#patch=R,C),
#   an image item's grid, and the picture SVG figures: they parse, their overlay covers exactly
#   their picture, and their title fits.
# - FORECAST.json, forecast items: the series view the page opens on (the pooling map's bands, every
#   map as a strip), a self-attention map's pinned row (#row=R), an item past the series' end (no
#   true value), a grid, and the series SVG figures: they parse, a band per past step, text inside.
# usage: browser_check.sh ATTN_VIZ_FIXTURE SEQ2SEQ.json CLASSIFY.json IMAGE.json FORECAST.json
# Exit 77 (ctest SKIP) only when Chromium is missing and cannot be installed (1 with ATTN_REQUIRE_TOOLS=1).
# VIZ_SCREENSHOT_DIR=dir keeps the screenshots, pages and figures there.
set -euo pipefail
usage="usage: browser_check.sh ATTN_VIZ_FIXTURE SEQ2SEQ.json CLASSIFY.json IMAGE.json FORECAST.json"
renderer=${1:?$usage}
seq2seq=${2:?$usage}
classify=${3:?$usage}
image=${4:?$usage}
forecast=${5:?$usage}

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

static_checks() {  # static_checks PAGE: the page itself, before any browser
  grep -q '<script>alert' "$1" && fail "$1: raw <script>alert from a token in the HTML"
  grep -qF '\u003cscript\u003ealert(1)\u003c/script\u003e' "$1" || fail "$1: escaped token missing from the page data"
  [ "$(grep -c '</script>' "$1")" = 3 ] || fail "$1: expected exactly 3 </script> tags (error hook, data, main)"
  grep -qE '(src|href)="(https?:)?//' "$1" && fail "$1: page references the network"
  return 0
}

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

load_page() {  # load_page NAME PAGE FRAGMENT ITEM VIEW: browse, then the checks common to every view
  local name=$1 prefix="$work/$1"
  browse "file://$2$3" "$prefix"
  grep -q 'CONSOLE' "$prefix.log" && { grep 'CONSOLE' "$prefix.log" >&2; fail "$name: console messages"; }
  [ "$(body_attr "$prefix.dom" data-ready)" = 1 ] || fail "$name: page did not finish drawing"
  [ "$(body_attr "$prefix.dom" data-errors)" = 0 ] || fail "$name: script errors: $(body_attr "$prefix.dom" data-errors)"
  [ "$(body_attr "$prefix.dom" data-item)" = "$4" ] || fail "$name: page shows item $(body_attr "$prefix.dom" data-item)"
  [ "$(body_attr "$prefix.dom" data-view)" = "$5" ] || fail "$name: page shows the $(body_attr "$prefix.dom" data-view) view"
  [ "$(grep -c '<script>alert' "$prefix.dom")" = 0 ] || fail "$name: a token became a <script> element"
  [ -s "$prefix.png" ] || fail "$name: no screenshot"
}

check_item() {  # check_item NAME PAGE EXPECTED ITEM LAYER FRAGMENT: the grid view
  local name=$1 prefix="$work/$1" thumbs shown
  thumbs=$(grep "^item=$4 thumbnails=" "$3" | cut -d= -f3) || fail "no expectations for item $4"
  shown=$(grep "^item=$4 layer=$5 " "$3") || fail "no expectations for item $4 layer $5"
  load_page "$name" "$2" "$6" "$4" grid
  [ "$(body_attr "$prefix.dom" data-thumbnails)" = "$thumbs" ] ||
    fail "$name: data-thumbnails is '$(body_attr "$prefix.dom" data-thumbnails)', expected $thumbs"
  for key in cells labels; do
    local want got
    want=$(grep -o "$key=[0-9]*" <<<"$shown" | cut -d= -f2)
    got=$(body_attr "$prefix.dom" "data-$key")
    [ "$got" = "$want" ] || fail "$name: data-$key is '$got', expected $want"
  done
  echo "$name: ok (item $4, $shown, thumbnails=$thumbs)"
}

check_text() {  # check_text NAME PAGE EXPECTED ITEM FRAGMENT: a classifier's text view
  local name=$1 prefix="$work/$1" tokens
  tokens=$(grep "^item=$4 text_tokens=" "$3" | cut -d= -f3) || fail "no text expectations for item $4"
  load_page "$name" "$2" "$5" "$4" text
  [ "$(body_attr "$prefix.dom" data-text-tokens)" = "$tokens" ] ||
    fail "$name: data-text-tokens is '$(body_attr "$prefix.dom" data-text-tokens)', expected $tokens"
  [ "$(grep -o '<span class="word[ "]' "$prefix.dom" | wc -l)" = "$tokens" ] || fail "$name: not $tokens token spans"
  [ "$(grep -o '<span class="word[^>]*style="background-color: rgb(' "$prefix.dom" | wc -l)" = "$tokens" ] ||
    fail "$name: not every token is shaded"
  grep -qE '<span class="word[^>]*title="token 0: [^"]* · weight [0-9.e-]+"' "$prefix.dom" ||
    fail "$name: a token's title has no weight"
  echo "$name: ok (item $4, text view, tokens=$tokens)"
}

# attn.attention/1, sequence to sequence.
mkdir "$work/heatmaps"
"$renderer" "$seq2seq" "$work/page.html" "$work/heatmaps" >"$work/expected.txt"
cat "$work/expected.txt"
static_checks "$work/page.html"
# Without a fragment the page opens on the first cross-attention layer (3 in item 0, 1 in item 1).
check_item item0 "$work/page.html" "$work/expected.txt" 0 3 ""
# The token shows as text in the drawn axis labels (serialised escaped by the DOM dump).
grep -qF '>&lt;script&gt;alert(1)&lt;/script&gt;</span>' "$work/item0.dom" || fail "hostile token not shown as label text"
check_item item1 "$work/page.html" "$work/expected.txt" 1 1 "#item=1"
check_item item0-encoder "$work/page.html" "$work/expected.txt" 0 0 "#item=0&layer=0&head=0"
# A link to one weight selects its map and shows the tooltip as on hover.
check_item item0-cell "$work/page.html" "$work/expected.txt" 0 4 "#item=0&layer=4&head=1&cell=2,4"
grep -qE '<div id="tooltip" role="tooltip" style="[^"]*">' "$work/item0-cell.dom" || fail "tooltip not shown for #cell"
grep -qF '<span class="k">weight </span>' "$work/item0-cell.dom" || fail "tooltip has no weight"
head_title() { grep -o '<[a-z0-9]* id="head-title"[^>]*>[^<]*' "$1" | sed 's/.*>//'; }
[[ "$(head_title "$work/item0.dom")" == decoder.layers.0.cross_attn* ]] ||
  fail "item0: opens on '$(head_title "$work/item0.dom")', not the first cross-attention"
grep -qF 'id="row-sum">each row of a softmax map sums to 1' "$work/item0.dom" || fail "item0: footer lacks the normalizer"

# The same dump as attend --reduce mean writes it, with what each decoder row predicts.
jq -c '.schema = "attn.attention/2" | .model.normalizer = "sparsemax"
  | .items[0].layers |= map(
      (.heads | length) as $n | .heads as $h
      | .heads = [[range(0; .query_tokens | length) as $q
                   | [range(0; .key_tokens | length) as $k | ([$h[][$q][$k] // 0] | add) / $n]]]
      | .reduced = {op: "mean", heads: $n}
      | if (.kind | startswith("decoder")) then .query_predicts = (.query_tokens[1:] + ["<eos>"]) else . end)' \
  "$seq2seq" >"$work/reduced.json"
mkdir "$work/heatmaps-reduced"
"$renderer" "$work/reduced.json" "$work/reduced.html" "$work/heatmaps-reduced" >"$work/reduced.txt"
load_page reduced "$work/reduced.html" "" 0 grid
[ "$(head_title "$work/reduced.dom")" = "decoder.layers.0.cross_attn · mean of 2 heads" ] ||
  fail "reduced: head title is '$(head_title "$work/reduced.dom")'"
grep -qF '>&lt;bos&gt; → HH</span>' "$work/reduced.dom" || fail "reduced: decoder rows do not say what they predict"
grep -qF 'id="row-sum">each row of a sparsemax map sums to 1' "$work/reduced.dom" || fail "reduced: footer says softmax"
echo "reduced: ok (mean of 2 heads, rows labelled by prediction, sparsemax footer)"

# Heatmap SVGs: each parses, and its title ends inside its viewBox as Chromium lays it out.
{
  echo '<!doctype html><html><body>'
  for figure in "$work"/heatmaps*/item*-layer*.svg; do
    echo "<div data-name=\"$(basename "$(dirname "$figure")")/$(basename "$figure")\">"; cat "$figure"; echo '</div>'
  done
  cat <<'HTML'
<script>
var bad = [];
document.querySelectorAll('div[data-name]').forEach(function (d) {
  var svg = d.querySelector('svg'), title = svg.querySelector('text.title');
  var right = title.getBBox().x + title.getBBox().width, width = svg.viewBox.baseVal.width;
  if (!(right <= width)) bad.push(d.getAttribute('data-name') + ' ' + right.toFixed(1) + ' > ' + width);
});
document.body.setAttribute('data-figures', String(document.querySelectorAll('div[data-name]').length));
document.body.setAttribute('data-overflow', bad.join('; '));
</script></body></html>
HTML
} >"$work/heatmaps.html"
browse "file://$work/heatmaps.html" "$work/heatmaps"
figures=$(body_attr "$work/heatmaps.dom" data-figures)
[ "${figures:-0}" = 16 ] || fail "heatmaps: '${figures}' figures laid out, expected 16 (8 per dump)"
[ -z "$(body_attr "$work/heatmaps.dom" data-overflow)" ] ||
  fail "heatmap titles run past their figures: $(body_attr "$work/heatmaps.dom" data-overflow)"
echo "heatmaps: ok ($figures figures, titles inside their viewBox)"

# attn.attention/2, a classifier.
mkdir "$work/svg"
"$renderer" "$classify" "$work/classify.html" "$work/svg" >"$work/classify.txt"
cat "$work/classify.txt"
static_checks "$work/classify.html"
check_text classify0 "$work/classify.html" "$work/classify.txt" 0 ""
grep -qF '<span class="pred-label">spam</span>' "$work/classify0.dom" || fail "classify0: predicted label not shown"
grep -qF '<span class="verdict correct">' "$work/classify0.dom" || fail "classify0: not marked correct"
check_text classify1 "$work/classify.html" "$work/classify.txt" 1 "#item=1"
grep -qF '<span class="verdict incorrect">' "$work/classify1.dom" || fail "classify1: not marked incorrect"
grep -qF '>&lt;script&gt;alert(1)&lt;/script&gt;</span>' "$work/classify1.dom" || fail "classify1: hostile token not shown as text"
check_text classify2 "$work/classify.html" "$work/classify.txt" 2 "#item=2"
grep -qF '<span class="pred-label">&lt;/script&gt;&lt;b&gt;promo&lt;/b&gt;</span>' "$work/classify2.dom" ||
  fail "classify2: hostile label not shown as text"
check_item classify0-grid "$work/classify.html" "$work/classify.txt" 0 1 "#item=0&view=grid&layer=1&head=2"
# A layer of a kind the page has no name for is drawn as a grid all the same.
check_item classify2-unknown "$work/classify.html" "$work/classify.txt" 2 3 "#item=2&view=grid&layer=3&head=0"
grep -qF '<div class="kind-title">future kind</div>' "$work/classify2-unknown.dom" || fail "unknown kind has no group"

# The shaded-text figure parses as SVG (a broken one shows Chromium's <parsererror>).
for figure in "$work"/svg/item*-text.svg; do
  name=$(basename "$figure" .svg)
  browse "file://$figure" "$work/$name"
  grep -q 'parsererror' "$work/$name.dom" && fail "$name: the SVG does not parse"
  [ "$(grep -c '<g class="token">' "$work/$name.dom")" -gt 0 ] || fail "$name: no tokens in the figure"
  echo "$name: ok"
done
[ -s "$work/svg/item0-text.svg" ] || fail "no shaded-text figure for item 0"

# Image items.
mkdir "$work/pictures"
"$renderer" "$image" "$work/image.html" "$work/pictures" >"$work/image.txt"
cat "$work/image.txt"
static_checks "$work/image.html"
# A file of several pictures opens on the gallery: every card, the wrong ones marked.
load_page gallery "$work/image.html" "" 0 gallery
read -r cards wrong < <(grep '^gallery ' "$work/image.txt" | sed -E 's/gallery cards=([0-9]+) wrong=([0-9]+)/\1 \2/')
[ "$(body_attr "$work/gallery.dom" data-gallery-cards)" = "$cards" ] || fail "gallery: not $cards cards"
[ "$(body_attr "$work/gallery.dom" data-gallery-wrong)" = "$wrong" ] || fail "gallery: not $wrong wrong predictions"
[ "$(grep -o '<figure class="card wrong"' "$work/gallery.dom" | wc -l)" = "$wrong" ] || fail "gallery: wrong cards not marked"
grep -qF '<span class="card-label">&lt;script&gt;alert(1)&lt;/script&gt;</span>' "$work/gallery.dom" ||
  fail "gallery: hostile label not shown as text"
echo "gallery: ok ($cards cards, $wrong wrong)"

check_picture() {  # check_picture NAME ITEM FRAGMENT ROW: the picture view, ROW the pinned patch or ""
  local name=$1 prefix="$work/$1" want
  want=$(grep "^item=$2 image_patches=" "$work/image.txt") || fail "no image expectations for item $2"
  load_page "$name" "$work/image.html" "$3" "$2" image
  for key in image-patches image-maps; do
    [ "$(body_attr "$prefix.dom" "data-$key")" = "$(grep -o "${key/-/_}=[0-9]*" <<<"$want" | cut -d= -f2)" ] ||
      fail "$name: data-$key is '$(body_attr "$prefix.dom" "data-$key")', expected: $want"
  done
  [ "$(body_attr "$prefix.dom" data-image-row)" = "$4" ] || fail "$name: shows the row of '$(body_attr "$prefix.dom" data-image-row)', not '$4'"
  echo "$name: ok (item $2, $want, row '$4')"
}
check_picture picture0 0 "#item=0&view=image" ""
grep -qF '<span class="verdict correct">' "$work/picture0.dom" || fail "picture0: not marked correct"
grep -qE 'id="image-title">pool.rollout · ' "$work/picture0.dom" || fail "picture0: does not open on pool.rollout"
check_picture picture1 1 "#item=1&view=image" ""
grep -qF '<span class="verdict incorrect">' "$work/picture1.dom" || fail "picture1: not marked incorrect"
# A pinned patch of a pooling map shows its row of the rollout; of a <cls> map, its own row.
check_picture picture0-patch 0 "#item=0&view=image&patch=2,1" r2c1
grep -qF "r2c1’s row of rollout" "$work/picture0-patch.dom" || fail "picture0-patch: not the rollout's row"
check_picture picture5-patch 5 "#item=5&view=image&layer=0&head=0&patch=1,5" r1c5
grep -qF "r1c5’s row of encoder.layers.0.self_attn" "$work/picture5-patch.dom" || fail "picture5-patch: not its own row"
check_item picture-grid "$work/image.html" "$work/image.txt" 0 0 "#item=0&view=grid&layer=0&head=1"

# Picture figures: each parses, its overlay covers exactly its picture, and its title fits.
{
  echo '<!doctype html><html><body>'
  for figure in "$work"/pictures/item*-image.svg; do
    echo "<div data-name=\"$(basename "$figure")\">"; cat "$figure"; echo '</div>'
  done
  cat <<'HTML'
<script>
var bad = [];
document.querySelectorAll('div[data-name]').forEach(function (d) {
  var svg = d.querySelector('svg'), name = d.getAttribute('data-name'), width = svg.viewBox.baseVal.width;
  var p = svg.querySelector('g.picture').getBBox(), o = svg.querySelector('g.overlay').getBBox();
  if (p.x !== o.x || p.y !== o.y || p.width !== o.width || p.height !== o.height)
    bad.push(name + ' overlay ' + [o.x, o.y, o.width, o.height] + ' != picture ' + [p.x, p.y, p.width, p.height]);
  svg.querySelectorAll('text').forEach(function (t) {
    var b = t.getBBox();
    if (b.x < 0 || b.x + b.width > width) bad.push(name + ': "' + t.textContent.slice(0, 30) + '" outside the figure');
  });
});
document.body.setAttribute('data-figures', String(document.querySelectorAll('div[data-name]').length));
document.body.setAttribute('data-overflow', bad.join('; '));
</script></body></html>
HTML
} >"$work/pictures.html"
browse "file://$work/pictures.html" "$work/pictures"
figures=$(body_attr "$work/pictures.dom" data-figures)
[ "${figures:-0}" = "$cards" ] || fail "pictures: '${figures}' figures laid out, expected $cards"
[ -z "$(body_attr "$work/pictures.dom" data-overflow)" ] || fail "pictures: $(body_attr "$work/pictures.dom" data-overflow)"
echo "pictures: ok ($figures figures, overlays on their pictures, text inside)"

# Forecast items.
mkdir "$work/series"
"$renderer" "$forecast" "$work/forecast.html" "$work/series" >"$work/forecast.txt"
cat "$work/forecast.txt"
static_checks "$work/forecast.html"
check_series() {  # check_series NAME ITEM FRAGMENT ROW: the series view, ROW the pinned row's time or ""
  local name=$1 prefix="$work/$1" want
  want=$(grep "^item=$2 series_bands=" "$work/forecast.txt") || fail "no series expectations for item $2"
  load_page "$name" "$work/forecast.html" "$3" "$2" series
  [ "$(body_attr "$prefix.dom" data-series-maps)" = "$(grep -o 'series_maps=[0-9]*' <<<"$want" | cut -d= -f2)" ] ||
    fail "$name: data-series-maps is '$(body_attr "$prefix.dom" data-series-maps)', expected: $want"
  [ "$(body_attr "$prefix.dom" data-series-row)" = "$4" ] || fail "$name: shows the row of '$(body_attr "$prefix.dom" data-series-row)', not '$4'"
  [ "$(grep -o '<rect class="band[^"]*"' "$prefix.dom" | wc -l)" = 12 ] || fail "$name: not 12 bands in the plot"
  echo "$name: ok (item $2, $want, row '$4')"
}
check_series series0 0 "" ""
# The page opens on the pooling map: as many shaded bands as the fixture counts.
[ "$(body_attr "$work/series0.dom" data-series-bands)" = "$(grep -o 'series_bands=[0-9]*' "$work/forecast.txt" | head -n 1 | cut -d= -f2)" ] ||
  fail "series0: data-series-bands is '$(body_attr "$work/series0.dom" data-series-bands)'"
grep -qE 'id="series-title">1968 · pool · ' "$work/series0.dom" || fail "series0: does not open on the pooling map"
grep -qF '<span class="k">  true </span>' "$work/series0.dom" || fail "series0: no true value shown"
check_series series1-row 1 "#item=1&view=series&layer=1&head=1&row=4" 1961
grep -qF '>row 1961</text>' "$work/series1-row.dom" || fail "series1-row: the figure does not say which row it shows"
grep -qF '<rect class="band row"' "$work/series1-row.dom" || fail "series1-row: the pinned step is not marked"
grep -qF 'no true value: past the series' "$work/series1-row.dom" || fail "series1-row: a missing truth is not said"
check_item series-grid "$work/forecast.html" "$work/forecast.txt" 0 0 "#item=0&view=grid&layer=0&head=1"
for figure in "$work"/series/item*-series.svg; do
  name=$(basename "$figure" .svg)
  { echo '<!doctype html><html><body><div>'; cat "$figure"; cat <<'HTML'
</div><script>
var svg = document.querySelector('svg'), frame = svg.getBoundingClientRect(), bad = [];
// Screen boxes, so the rotated axis title counts where it is drawn.
svg.querySelectorAll('text').forEach(function (t) {
  var b = t.getBoundingClientRect();
  if (b.left < frame.left || b.right > frame.right) bad.push('"' + t.textContent.slice(0, 30) + '" outside the figure');
});
document.body.setAttribute('data-bands', String(svg.querySelectorAll('rect.band').length));
document.body.setAttribute('data-overflow', bad.join('; '));
</script></body></html>
HTML
  } >"$work/$name.html"
  browse "file://$work/$name.html" "$work/$name"
  [ "$(body_attr "$work/$name.dom" data-bands)" = 12 ] || fail "$name: not 12 bands"
  [ -z "$(body_attr "$work/$name.dom" data-overflow)" ] || fail "$name: $(body_attr "$work/$name.dom" data-overflow)"
  echo "$name: ok"
done
[ -s "$work/series/item0-series.svg" ] || fail "no series figure for item 0"

if [ -n "${VIZ_SCREENSHOT_DIR:-}" ]; then
  mkdir -p "$VIZ_SCREENSHOT_DIR"
  cp "$work"/*.png "$work/page.html" "$work/classify.html" "$work/reduced.html" "$work/image.html" "$work"/svg/*.svg \
    "$work"/heatmaps/*.svg "$work"/pictures/*.svg "$work/forecast.html" "$work"/series/*.svg "$VIZ_SCREENSHOT_DIR"/
fi
echo "browser check passed"
