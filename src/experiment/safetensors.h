// Reading and writing float32 tensors in the safetensors format, so other tools
// (the Python `safetensors` package, PyTorch) can open attn's weights:
//   8 bytes    N, the header size, unsigned 64-bit little-endian
//   N bytes    a UTF-8 JSON object {"name": {"dtype": "F32", "shape": [..],
//              "data_offsets": [begin, end]}, ..., "__metadata__": {"k": "v"}},
//              padded with spaces to a multiple of 8 bytes
//   the rest   the tensors' bytes, row-major little-endian, offsets relative to
//              the end of the header; the ranges tile the buffer exactly.
// The loader treats the file as hostile: every size and offset is checked before
// use, and any violation is an Error kind checkpoint naming the file and the
// problem. Only dtype F32 is supported (all attn tensors are float32).
// Checkpoint layout (which tensors go where) lives in checkpoint.h.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tensor/tensor.h"

namespace attn::experiment {

// Ordered (name, tensor) pairs. Names are unique; "__metadata__" is reserved.
using NamedTensors = std::vector<std::pair<std::string, Tensor>>;
using Metadata = std::map<std::string, std::string>;

struct SafetensorsFile {
  NamedTensors tensors;  // in file data order (ascending offsets)
  Metadata metadata;     // the "__metadata__" strings, empty if absent
};

// The file's bytes. Tensors are laid out in the order given. Throws Error kind
// checkpoint for duplicate, empty or reserved names or an undefined tensor.
std::string encode_safetensors(const NamedTensors& tensors, const Metadata& metadata);
// The reference implementation's header limit, attn's too when nothing tighter is known.
inline constexpr uint64_t kMaxSafetensorsHeaderBytes = 100'000'000;

// What a reader expects at most: a file larger than 8 + header + data bytes is refused
// before it is read, and a header larger than its bound before it is parsed.
struct SafetensorsBounds {
  uint64_t header_bytes = kMaxSafetensorsHeaderBytes;
  uint64_t data_bytes = uint64_t{4} << 30;  // a generic reader: 4 GiB
};
// The bounds for a file holding `expected` (a checkpoint of a known model): its data,
// and a header of 16 MiB (the trainer state grows with the evaluations) + 1 KiB per tensor.
SafetensorsBounds bounds_for(const NamedTensors& expected);

// Parses and validates bytes; `source` (usually the path) starts every error message.
SafetensorsFile decode_safetensors(std::string_view bytes, const std::string& source,
                                   uint64_t max_header_bytes = kMaxSafetensorsHeaderBytes);

// encode + write_file_atomic.
void save_safetensors(const std::filesystem::path& path, const NamedTensors& tensors,
                      const Metadata& metadata = {});
// read_file + decode. A missing or unreadable file, or one that is not a regular file, is
// Error kind io; a file larger than `bounds` allow is Error kind checkpoint.
SafetensorsFile load_safetensors(const std::filesystem::path& path, const SafetensorsBounds& bounds = {});

}  // namespace attn::experiment
