// IDX images and labels (Fashion-MNIST files): parse_idx_images and parse_idx_labels, which
// the image dataset reader calls on each file. What they accept is exactly the file: pixels
// (or labels) plus the 16 (or 8) header bytes, every label < 10. The seeded corruption loop of
// tests/data/idx_test.cpp checks the same in every build; this harness searches further.
#include "data/idx.h"
#include "fuzz_support.h"

using namespace attn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = fuzz::bytes_of(data, size);
  fuzz::reject_or_accept([&] {
    const data::IdxImages images = data::parse_idx_images(bytes, "fuzz");
    ATTN_FUZZ_CHECK(images.pixels.size() == static_cast<size_t>(images.count * images.rows * images.cols));
    ATTN_FUZZ_CHECK(images.pixels.size() + 16 == bytes.size());
  });
  fuzz::reject_or_accept([&] {
    const std::vector<uint8_t> labels = data::parse_idx_labels(bytes, "fuzz", 10);
    ATTN_FUZZ_CHECK(labels.size() + 8 == bytes.size());
    for (uint8_t l : labels) ATTN_FUZZ_CHECK(l < 10);
  });
  return 0;
}
