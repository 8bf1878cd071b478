// The dataset samples of datasets/<name>/ (g2p-sample, spam-sample), compiled into the binary
// so `attn train` works from any directory without prepared data. The bytes are generated at
// configure time from the shipped files (src/CMakeLists.txt, embedded_sample.cpp.in) and
// verified against the shipped manifest.json checksums when loaded (corpus.h), like any
// prepared dataset.
#pragma once

#include <string_view>

#include "data/types.h"

namespace attn::data {

struct EmbeddedSample {
  std::string_view train, valid, test, manifest;  // each file byte for byte
  std::string_view split(Split s) const { return s == Split::train ? train : s == Split::valid ? valid : test; }
};

// Throws a config error for a name that is not embedded.
const EmbeddedSample& embedded_sample(std::string_view name);

}  // namespace attn::data
