// The G2P sample of datasets/g2p-sample/, compiled into the binary so `attn train` works from
// any directory without prepared data. The bytes are generated at configure time from the
// shipped files (src/CMakeLists.txt, embedded_g2p_sample.cpp.in) and verified against the
// shipped manifest.json checksums when loaded (corpus.h), like any prepared dataset.
#pragma once

#include <string_view>

#include "data/types.h"

namespace attn::data {

std::string_view embedded_g2p_sample(Split split);  // the split's TSV file, byte for byte
std::string_view embedded_g2p_sample_manifest();    // its manifest.json

}  // namespace attn::data
