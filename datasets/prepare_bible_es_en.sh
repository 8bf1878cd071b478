#!/usr/bin/env bash
# Builds the verse-aligned Spanish -> English Bible into $ATTN_DATA_DIR/bible-es-en
# (default: datasets/prepared/bible-es-en): {train,valid,test}.tsv and manifest.json.
# Sources: Debian sword-text-sparv (spaRV1909eb, Reina-Valera 1909) and sword-text-web
# (engWEB2015eb, World English Bible), exported with mod2imp from libsword-utils; the
# packages are installed when missing (needs root or sudo). See datasets/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${ATTN_DATA_DIR:-$here/prepared}/bible-es-en
packages=(sword-text-sparv sword-text-web libsword-utils)
python=$(command -v python3)

start=$(date +%s%N)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mod2imp spaRV1909eb >"$work/es.imp"
mod2imp engWEB2015eb >"$work/en.imp"

versions=$(for p in "${packages[@]}"; do dpkg-query -W -f='${Package}=${Version} ' "$p"; done)
"$python" "$here/tools/bible.py" "$work/es.imp" "$work/en.imp" "$out" \
  "Debian ${versions% }: mod2imp spaRV1909eb (Reina-Valera 1909) -> mod2imp engWEB2015eb (World English Bible)"
echo "wrote $out in $(( ($(date +%s%N) - start) / 1000000 )) ms"
