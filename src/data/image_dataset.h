// Image classification datasets of the registry (corpus.h, task "image"): per split an IDX
// images file and an IDX labels file (idx.h), listed with their sha256 in manifest.json:
//   {"name", "files": {"train": {"count", "images": {"path", "sha256"}, "labels": {...}}, ...},
//    "classes": [the class names, by label]}
// Embedded samples are read from the binary, prepared datasets from <data root>/<name>/.
// Errors, one line each: not prepared -> "dataset fashion-mnist is not prepared (...); run: ...";
// a checksum that differs, a malformed manifest or IDX file, images and labels of different
// counts (data, naming the file).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "data/corpus.h"
#include "data/idx.h"
#include "data/types.h"

namespace attn::data {

struct ImageSplit {
  IdxImages images;
  std::vector<uint8_t> labels;  // one per image, < classes.size()
};

struct ImageDataset {
  DatasetInfo info;
  std::vector<std::string> classes;
  std::array<ImageSplit, 3> splits;  // indexed by Split
  const ImageSplit& split(Split s) const { return splits[static_cast<int>(s)]; }
};

ImageDataset load_image_dataset(std::string_view name, const std::string& data_root = "");

}  // namespace attn::data
