#include "data/idx.h"

#include "base/error.h"

namespace attn::data {

namespace {
constexpr uint32_t kImagesMagic = 0x00000803, kLabelsMagic = 0x00000801;

// The big-endian uint32 at word `i` of the header; the caller has checked the length.
uint32_t header_word(std::string_view bytes, size_t i) {
  uint32_t v = 0;
  for (size_t k = 0; k < 4; ++k) v = (v << 8) | static_cast<unsigned char>(bytes[4 * i + k]);
  return v;
}

// Checks the magic and the header length; returns the dims (words 1..dims).
std::vector<uint64_t> read_header(std::string_view bytes, const std::string& file, uint32_t magic, size_t dims,
                                  const char* what) {
  const size_t header = 4 * (1 + dims);
  // The magic first: a file of the wrong kind says so even when it is short.
  if (bytes.size() >= 4)
    ATTN_CHECK(header_word(bytes, 0) == magic, data, file, ": not an IDX ", what, " file (magic 0x", std::hex,
               header_word(bytes, 0), ", expected 0x", magic, ")");
  ATTN_CHECK(bytes.size() >= header, data, file, ": truncated IDX ", what, " file (", bytes.size(),
             " bytes, the header alone is ", header, ")");
  std::vector<uint64_t> out;
  for (size_t d = 1; d <= dims; ++d) {
    out.push_back(header_word(bytes, d));
    ATTN_CHECK(out.back() > 0, data, file, ": IDX ", what, " file has a dimension of 0");
  }
  return out;
}

// header + product(dims) must be the file's length exactly; the product cannot overflow
// (each dim < 2^32 and the check stops once it passes the file size).
void check_length(std::string_view bytes, const std::string& file, const std::vector<uint64_t>& dims, const char* what) {
  const uint64_t header = 4 * (1 + dims.size());
  uint64_t payload = 1;
  for (uint64_t d : dims) {
    payload *= d;
    ATTN_CHECK(payload <= bytes.size(), data, file, ": IDX ", what, " header promises more bytes than the file's ",
               bytes.size(), " (truncated or corrupt)");
  }
  ATTN_CHECK(header + payload == bytes.size(), data, file, ": IDX ", what, " file has ", bytes.size(),
             " bytes, its header says ", header + payload, " (truncated or corrupt)");
}
}  // namespace

IdxImages parse_idx_images(std::string_view bytes, const std::string& file) {
  const std::vector<uint64_t> dims = read_header(bytes, file, kImagesMagic, 3, "images");
  check_length(bytes, file, dims, "images");
  IdxImages out;
  out.count = static_cast<int64_t>(dims[0]);
  out.rows = static_cast<int64_t>(dims[1]);
  out.cols = static_cast<int64_t>(dims[2]);
  const auto* payload = reinterpret_cast<const uint8_t*>(bytes.data()) + 16;
  out.pixels.assign(payload, payload + (bytes.size() - 16));
  return out;
}

std::vector<uint8_t> parse_idx_labels(std::string_view bytes, const std::string& file, int num_classes) {
  const std::vector<uint64_t> dims = read_header(bytes, file, kLabelsMagic, 1, "labels");
  check_length(bytes, file, dims, "labels");
  const auto* payload = reinterpret_cast<const uint8_t*>(bytes.data()) + 8;
  std::vector<uint8_t> out(payload, payload + (bytes.size() - 8));
  for (size_t i = 0; i < out.size(); ++i)
    ATTN_CHECK(out[i] < num_classes, data, file, ": label ", i, " is ", int(out[i]), ", expected 0..",
               num_classes - 1);
  return out;
}

}  // namespace attn::data
