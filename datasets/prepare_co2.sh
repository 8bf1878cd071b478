#!/usr/bin/env bash
# Builds the co2 forecast dataset (weekly CO2 at Mauna Loa, 1958-03-29 .. 2001-12-29, 2,284 weeks)
# into $ATTN_DATA_DIR/co2 (default: datasets/prepared/co2): co2.csv ("date,co2" with ISO dates) and
# manifest.json with its sha256 and the split.
# Source: Debian's python3-statsmodels, statsmodels/datasets/co2/co2.csv (public domain; Keeling &
# Whorf, SIO flask data via CDIAC). The package is not installed: `apt-get download` fetches it and
# `dpkg-deb -x` unpacks it into a temporary directory, so none of its dependencies are pulled in.
# The source file is checked against the sha256 this script was written for.
# Gaps: 59 weeks have no value (all before 1986; the longest run is 18 weeks, 1964-01-25 ..
# 1964-05-23). Each is filled by linear interpolation in time between the observed weeks around it,
# so the series is evenly spaced, as windows of past values need. Validation and test hold observed
# weeks only.
# Split (in time): train .. 1993-12-25, valid 1994-01-01 .. 1997-12-27, test 1998-01-03 .. 2001-12-29.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${ATTN_DATA_DIR:-$here/prepared}/co2
source_sha256=16695fa2786e53414e5a6b54767a3fdf5de99cfbc68617f69d1362d92776a92f
member=usr/lib/python3/dist-packages/statsmodels/datasets/co2/co2.csv

start=$(date +%s%N)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
src=/$member
if [ ! -f "$src" ]; then
  echo "co2: fetching python3-statsmodels with apt-get download (not installed)"
  (cd "$work" && apt-get download python3-statsmodels >/dev/null) ||
    { echo "co2: apt-get download python3-statsmodels failed (no Debian archive reachable?)" >&2; exit 1; }
  dpkg-deb -x "$work"/python3-statsmodels_*.deb "$work/deb"
  src=$work/deb/$member
fi
[ "$(sha256sum "$src" | cut -d' ' -f1)" = "$source_sha256" ] ||
  { echo "co2: $src is not the co2.csv this script was written for (sha256 differs)" >&2; exit 1; }
echo "co2: from $src"

mkdir -p "$out"
tmp=$(mktemp "$out/co2.csv.XXXXXX")
# Dates YYYYMMDD -> YYYY-MM-DD; a missing value takes the straight line between the observed
# weeks either side (weeks are evenly spaced, so by position).
awk -F, 'BEGIN { n = 0 } NR == 1 { next }
  { date[n] = substr($1, 1, 4) "-" substr($1, 5, 2) "-" substr($1, 7, 2); value[n] = $2; n++ }
  END {
    filled = 0
    for (i = 0; i < n; i++) {
      if (value[i] != "") { printf "%s,%s\n", date[i], value[i]; continue }
      a = i - 1
      while (value[a] == "") a--
      b = i + 1
      while (value[b] == "") b++
      printf "%s,%.2f\n", date[i], value[a] + (value[b] - value[a]) * (i - a) / (b - a)
      filled++
    }
    printf "%d\n", filled > "/dev/stderr"
  }' "$src" > "$work/body" 2> "$work/filled"
{ echo "date,co2"; cat "$work/body"; } > "$tmp"
mv "$tmp" "$out/co2.csv"
values=$(wc -l < "$work/body")
filled=$(cat "$work/filled")
sha=$(sha256sum "$out/co2.csv" | cut -d' ' -f1)
tmp=$(mktemp "$out/manifest.json.XXXXXX")
cat > "$tmp" <<JSON
{
  "name": "co2",
  "format": "series",
  "files": {
    "series": {"path": "co2.csv", "sha256": "$sha", "values": $values}
  },
  "split": {
    "train_last": "1993-12-25",
    "valid_last": "1997-12-27",
    "test": [{"suffix": "", "last": "2001-12-29"}]
  },
  "source": "Debian python3-statsmodels 0.13.5+dfsg-7, statsmodels/datasets/co2/co2.csv (sha256 $source_sha256): weekly CO2 (ppmv) at Mauna Loa, 1958-03-29 .. 2001-12-29, Keeling & Whorf (SIO flask data, CDIAC)",
  "license": "public domain (statsmodels: 'This is public domain.')",
  "built_by": "datasets/prepare_co2.sh",
  "notes": "$filled missing weeks (all before 1986, longest run 18 weeks in 1964) filled by linear interpolation between the observed weeks around them; dates written YYYY-MM-DD. Train .. 1993-12-25, valid 1994 .. 1997, test 1998 .. 2001 (observed weeks only)."
}
JSON
mv "$tmp" "$out/manifest.json"
echo "co2: $values weeks ($filled filled), sha256 $sha"
echo "wrote $out in $(( ($(date +%s%N) - start) / 1000000 )) ms"
