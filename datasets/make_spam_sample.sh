#!/usr/bin/env bash
# Rebuilds the spam sample shipped in the repository (datasets/spam-sample/) from the prepared
# spam data, preparing that first when missing. The sample is embedded into the attn binary
# as the default classification dataset; rebuilding it changes the checksums in its manifest.json.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prepared=${ATTN_DATA_DIR:-$here/prepared}/spam
[ -f "$prepared/manifest.json" ] || bash "$here/prepare_spam.sh"
python3 "$here/tools/spam_sample.py" "$prepared" "$here/spam-sample"
