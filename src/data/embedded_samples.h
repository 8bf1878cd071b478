// The dataset samples of datasets/<name>/ (g2p-sample, spam-sample, fashion-mnist-sample) and the
// whole sunspots series, compiled into the binary so `attn train` works from any directory
// without prepared data.
// The bytes of every file of the sample's manifest.json (and the manifest itself) are generated
// at configure time from the shipped files (src/CMakeLists.txt, embedded_sample.cpp.in) and
// verified against the manifest's checksums when loaded (corpus.h, image_dataset.h, series.h), like
// any prepared dataset.
#pragma once

#include <string_view>
#include <vector>

#include "data/types.h"

namespace attn::data {

struct EmbeddedFile {
  std::string_view name, bytes;  // the file's name in datasets/<sample>/, its bytes
};

struct EmbeddedSample {
  std::vector<EmbeddedFile> files;
  // The bytes of `name`; a data error when the sample has no such file.
  std::string_view file(std::string_view name) const;
  std::string_view manifest() const { return file("manifest.json"); }
  std::string_view split(Split s) const;  // the text samples' <split>.tsv
};

// Throws a config error for a name that is not embedded.
const EmbeddedSample& embedded_sample(std::string_view name);

}  // namespace attn::data
