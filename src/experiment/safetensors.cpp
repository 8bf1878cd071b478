#include "experiment/safetensors.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <set>

#include "base/error.h"
#include "base/json_parse.h"
#include "experiment/atomic_file.h"
#include "experiment/json_file.h"

namespace attn::experiment {

static_assert(std::endian::native == std::endian::little,
              "safetensors data is little-endian; a big-endian host needs byte swaps here");

namespace {

constexpr const char* kMetadataKey = "__metadata__";
void put_u64_le(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t get_u64_le(std::string_view bytes) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  return v;
}

struct Entry {
  std::string name;
  Shape shape;
  uint64_t begin = 0;
  uint64_t end = 0;
};

// Reads one header entry; every field is checked for presence, type and range.
Entry parse_entry(const std::string& name, const Json& info, const std::string& source) {
  auto fail = [&](const std::string& problem) -> Error {
    return Error(ErrorKind::checkpoint, source + ": tensor '" + name + "': " + problem);
  };
  if (!info.is_object()) throw fail("header entry is not an object");
  for (const char* field : {"dtype", "shape", "data_offsets"})
    if (!info.contains(field)) throw fail(std::string("header entry lacks \"") + field + "\"");
  const Json& dtype = info["dtype"];
  if (!dtype.is_string()) throw fail("dtype is not a string");
  if (dtype.get<std::string>() != "F32")
    throw fail("dtype " + dtype.get<std::string>() + " is not supported (attn reads F32 only)");

  Entry entry{name, {}, 0, 0};
  const Json& shape = info["shape"];
  if (!shape.is_array()) throw fail("shape is not an array");
  uint64_t count = 1;
  for (const Json& d : shape) {
    if (!d.is_number_unsigned()) throw fail("shape " + shape.dump() + " has a non-integer or negative dim");
    uint64_t dim = d.get<uint64_t>();
    if (dim > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ||
        (dim != 0 && count > std::numeric_limits<uint64_t>::max() / 4 / dim))
      throw fail("shape " + shape.dump() + " overflows");
    count *= dim;
    entry.shape.push_back(static_cast<int64_t>(dim));
  }
  const Json& offsets = info["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
      !offsets[1].is_number_unsigned())
    throw fail("data_offsets " + offsets.dump() + " is not [begin, end] with non-negative integers");
  entry.begin = offsets[0].get<uint64_t>();
  entry.end = offsets[1].get<uint64_t>();
  if (entry.end < entry.begin) throw fail("data_offsets " + offsets.dump() + " end before begin");
  if (entry.end - entry.begin != count * 4)
    throw fail("data_offsets " + offsets.dump() + " span " + std::to_string(entry.end - entry.begin) +
               " bytes but shape " + shape.dump() + " of F32 needs " + std::to_string(count * 4));
  return entry;
}

Metadata parse_metadata(const Json& meta, const std::string& source) {
  if (!meta.is_object())
    throw Error(ErrorKind::checkpoint, source + ": __metadata__ is not an object of strings");
  Metadata out;
  for (auto it = meta.begin(); it != meta.end(); ++it) {
    if (!it.value().is_string())
      throw Error(ErrorKind::checkpoint, source + ": __metadata__ value of '" + it.key() + "' is not a string");
    out[it.key()] = it.value().get<std::string>();
  }
  return out;
}

}  // namespace

std::string encode_safetensors(const NamedTensors& tensors, const Metadata& metadata) {
  Json header = Json::object();
  if (!metadata.empty()) {
    Json meta = Json::object();
    for (const auto& [k, v] : metadata) meta[k] = v;
    header[kMetadataKey] = std::move(meta);
  }
  std::set<std::string_view> seen;
  uint64_t offset = 0;
  for (const auto& [name, tensor] : tensors) {
    ATTN_CHECK(!name.empty() && name != kMetadataKey, checkpoint, "tensor name '", name,
               "' is empty or reserved");
    ATTN_CHECK(seen.insert(name).second, checkpoint, "tensor name '", name, "' appears twice");
    ATTN_CHECK(tensor.defined(), checkpoint, "tensor '", name, "' is undefined");
    uint64_t bytes = static_cast<uint64_t>(tensor.numel()) * 4;
    header[name] = {{"dtype", "F32"}, {"shape", tensor.shape()}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // data starts 8-byte aligned, as the reference writer does

  std::string out;
  out.reserve(8 + text.size() + offset);
  put_u64_le(out, text.size());
  out += text;
  for (const auto& [name, tensor] : tensors)
    out.append(reinterpret_cast<const char*>(tensor.data()), static_cast<size_t>(tensor.numel()) * 4);
  return out;
}

SafetensorsFile decode_safetensors(std::string_view bytes, const std::string& source, uint64_t max_header_bytes) {
  auto fail = [&](const std::string& problem) -> Error {
    return Error(ErrorKind::checkpoint, source + ": " + problem);
  };
  if (bytes.size() < 8)
    throw fail("not a safetensors file: " + std::to_string(bytes.size()) + " bytes, shorter than the 8-byte header size");
  const uint64_t header_size = get_u64_le(bytes);
  // A guard against a garbage size making us parse (or allocate) gigabytes.
  if (header_size > max_header_bytes)
    throw fail("header size " + std::to_string(header_size) + " exceeds the " + std::to_string(max_header_bytes) +
               "-byte limit for this file");
  if (header_size > bytes.size() - 8)
    throw fail("truncated: header size " + std::to_string(header_size) + " but only " +
               std::to_string(bytes.size() - 8) + " bytes follow");
  const std::string_view header_text = bytes.substr(8, header_size);
  if (header_text.empty() || header_text.front() != '{')
    throw fail("not a safetensors file: the header does not start with '{'");

  // Nesting bounded and duplicate tensor names refused (the library would keep the last).
  const Json header = parse_json_checked<Json>(header_text, ErrorKind::checkpoint, source + ": header");
  if (!header.is_object()) throw fail("header is not a JSON object");

  SafetensorsFile file;
  std::vector<Entry> entries;
  for (auto it = header.begin(); it != header.end(); ++it) {
    if (it.key() == kMetadataKey)
      file.metadata = parse_metadata(it.value(), source);
    else
      entries.push_back(parse_entry(it.key(), it.value(), source));
  }

  // The ranges, sorted, must tile [0, data size) with no gap and no overlap.
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  const std::string_view data = bytes.substr(8 + header_size);
  uint64_t expected = 0;
  for (const Entry& e : entries) {
    if (e.begin != expected)
      throw fail("tensor '" + e.name + "' data_offsets [" + std::to_string(e.begin) + ", " +
                 std::to_string(e.end) + "] " + (e.begin < expected ? "overlap" : "leave a gap after") +
                 " the previous tensor (expected begin " + std::to_string(expected) + ")");
    if (e.end > data.size())
      throw fail("truncated: tensor '" + e.name + "' ends at byte " + std::to_string(e.end) +
                 " of a " + std::to_string(data.size()) + "-byte data section");
    expected = e.end;
  }
  if (expected != data.size())
    throw fail("data section is " + std::to_string(data.size()) + " bytes but the tensors cover " +
               std::to_string(expected));

  for (const Entry& e : entries) {
    Tensor t = Tensor::empty(e.shape);
    if (e.end > e.begin) std::memcpy(t.data(), data.data() + e.begin, e.end - e.begin);
    file.tensors.emplace_back(e.name, std::move(t));
  }
  return file;
}

void save_safetensors(const std::filesystem::path& path, const NamedTensors& tensors,
                      const Metadata& metadata) {
  write_file_atomic(path, encode_safetensors(tensors, metadata));
}

SafetensorsBounds bounds_for(const NamedTensors& expected) {
  SafetensorsBounds bounds{16 * kMiB + 1024 * static_cast<uint64_t>(expected.size()), 0};
  for (const auto& [name, t] : expected) bounds.data_bytes += static_cast<uint64_t>(t.numel()) * 4;
  return bounds;
}

SafetensorsFile load_safetensors(const std::filesystem::path& path, const SafetensorsBounds& bounds) {
  const std::string bytes =
      read_file(path, 8 + bounds.header_bytes + bounds.data_bytes, ErrorKind::checkpoint, "checkpoint of this model");
  return decode_safetensors(bytes, path.string(), bounds.header_bytes);
}

}  // namespace attn::experiment
