// IDX files (the MNIST / Fashion-MNIST format): a big-endian header, then raw bytes.
//   images: magic 0x00000803, count, rows, cols (uint32 each), then count·rows·cols pixels
//   labels: magic 0x00000801, count (uint32), then count label bytes
// The parsers take the whole file as bytes and never read past them: a wrong magic, a
// dimension of 0, a size that overflows, or a length other than header + payload is a data
// error naming `file` (what a user passes to find the broken file).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace attn::data {

struct IdxImages {
  int64_t count = 0, rows = 0, cols = 0;
  std::vector<uint8_t> pixels;  // [count, rows, cols], row-major
};

IdxImages parse_idx_images(std::string_view bytes, const std::string& file);
// Labels must be < num_classes.
std::vector<uint8_t> parse_idx_labels(std::string_view bytes, const std::string& file, int num_classes);

}  // namespace attn::data
