#!/usr/bin/env bash
# Builds the Fashion-MNIST image classification dataset (28x28 grey images -> 10 classes) into
# $ATTN_DATA_DIR/fashion-mnist (default: datasets/prepared/fashion-mnist):
# {train,valid,test}-{images,labels}.idx (uncompressed IDX) and manifest.json with their sha256.
# Source: Debian's dataset-fashion-mnist (gzip'd IDX files under /usr/share/datasets/fashion-mnist),
# installed with apt-get when missing (needs root or sudo). Split: valid = the last 500 training
# images of each class, train = the other 55,000, test = t10k (tools/fashion_mnist.py).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${ATTN_DATA_DIR:-$here/prepared}/fashion-mnist
src=/usr/share/datasets/fashion-mnist

start=$(date +%s%N)
missing=()
[ -f "$src/train-images-idx3-ubyte.gz" ] || missing+=(dataset-fashion-mnist)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
mkdir -p "$(dirname "$out")"
echo "fashion-mnist: from $src"
python3 "$here/tools/fashion_mnist.py" prepare "$src" "$out"
echo "wrote $out in $(( ($(date +%s%N) - start) / 1000000 )) ms"
