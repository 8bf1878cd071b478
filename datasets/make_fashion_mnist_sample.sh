#!/usr/bin/env bash
# Rebuilds the Fashion-MNIST sample shipped in the repository (datasets/fashion-mnist-sample/)
# from the prepared data, preparing that first when missing. The sample is embedded into the
# attn binary as the image task's default dataset; rebuilding it changes its manifest checksums.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prepared=${ATTN_DATA_DIR:-$here/prepared}/fashion-mnist
[ -f "$prepared/manifest.json" ] || bash "$here/prepare_fashion_mnist.sh"
echo "fashion-mnist-sample: from $prepared"
python3 "$here/tools/fashion_mnist.py" sample "$prepared" "$here/fashion-mnist-sample"
