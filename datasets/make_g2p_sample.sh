#!/usr/bin/env bash
# Rebuilds the G2P sample shipped in the repository (datasets/g2p-sample/) from the prepared
# G2P data, preparing that first when missing. The sample is embedded into the attn binary
# as the default dataset; rebuilding it changes the checksums in its manifest.json.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prepared=${ATTN_DATA_DIR:-$here/prepared}/g2p
[ -f "$prepared/manifest.json" ] || bash "$here/prepare_g2p.sh"
python3 "$here/tools/g2p_sample.py" "$prepared" "$here/g2p-sample"
