#include "experiment/checkpoint.h"

#include <cstdio>
#include <map>
#include <system_error>

#include "base/error.h"
#include "base/excerpt.h"
#include "experiment/atomic_file.h"
#include "experiment/run_dir.h"

namespace attn::experiment {

namespace fs = std::filesystem;

namespace {

constexpr const char* kVersionKey = "attn.checkpoint_version";
// Version 2: the checksum covers the metadata, names and shapes too, so an edited
// trainer state is caught; version 1 files (tensor data only) are still read, their
// trainer state range-checked like any other (trainer_state.h).
constexpr const char* kVersion = "2";
constexpr const char* kVersion1 = "1";
constexpr const char* kTrainerStateKey = "attn.trainer_state";
constexpr const char* kOptimizerFileKey = "attn.optimizer_file";

fs::path checkpoint_dir(const fs::path& run_dir) { return run_dir / run_files::checkpoints; }

constexpr const char* kDataChecksumKey = "attn.data_checksum";
constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ull;

// FNV-1a, continuing from `h` so several buffers hash as one.
uint64_t fnv1a(std::string_view bytes, uint64_t h = kFnvOffset) {
  for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

std::string hex(uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// Names the optimizer file after its content, so equal saves give equal files
// and a load can tell a file whose bytes changed.
std::string content_hash(std::string_view bytes) { return hex(fnv1a(bytes)); }

// Version 1: of the tensors' bytes in order, the data section of the file
// encode_safetensors writes from them and load_safetensors reads back (ascending offsets).
uint64_t tensor_data_hash(const NamedTensors& tensors, uint64_t h = kFnvOffset) {
  for (const auto& [name, t] : tensors)
    h = fnv1a({reinterpret_cast<const char*>(t.data()), static_cast<size_t>(t.numel()) * 4}, h);
  return h;
}

// Version 2: every metadata entry but the checksum itself, each tensor's name and shape
// (NUL-separated, so no two different files hash the same text), then the data.
std::string file_checksum(const Metadata& metadata, const NamedTensors& tensors) {
  uint64_t h = kFnvOffset;
  for (const auto& [key, value] : metadata)
    if (key != kDataChecksumKey) h = fnv1a(value, fnv1a(std::string_view(key.c_str(), key.size() + 1), h));
  for (const auto& [name, t] : tensors)
    h = fnv1a(to_string(t.shape()), fnv1a(std::string_view(name.c_str(), name.size() + 1), h));
  return hex(tensor_data_hash(tensors, h));
}

// The <hash> of "<tag>.optim-<hash>.safetensors", or "" if the name carries none.
std::string hash_in_name(const std::string& file) {
  const size_t begin = file.find(".optim-");
  const size_t end = file.rfind(".safetensors");
  if (begin == std::string::npos || end == std::string::npos || end < begin + 7) return "";
  return file.substr(begin + 7, end - begin - 7);
}

bool is_optimizer_file_of(const std::string& file, const std::string& tag) {
  const std::string prefix = tag + ".optim-", suffix = ".safetensors";
  return file.size() > prefix.size() + suffix.size() && file.rfind(prefix, 0) == 0 &&
         file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The first difference between what a file holds and what the caller expects.
void check_matches(const SafetensorsFile& file, const NamedTensors& expected, const std::string& what,
                   const std::string& source) {
  std::map<std::string_view, const Tensor*> found;
  for (const auto& [name, t] : file.tensors) found[name] = &t;
  for (const auto& [name, t] : expected) {
    auto it = found.find(name);
    if (it == found.end())
      throw Error(ErrorKind::checkpoint, source + ": missing " + what + " '" + name + "' (expected shape " +
                                             to_string(t.shape()) + ")");
    if (it->second->shape() != t.shape())
      throw Error(ErrorKind::checkpoint, source + ": " + what + " '" + name + "' has shape " +
                                             to_string(it->second->shape()) + " but this model expects " +
                                             to_string(t.shape()));
  }
  if (file.tensors.size() != expected.size()) {
    std::map<std::string_view, bool> wanted;
    for (const auto& [name, t] : expected) wanted[name] = true;
    for (const auto& [name, t] : file.tensors)
      if (!wanted.count(name))
        throw Error(ErrorKind::checkpoint, source + ": unexpected " + what + " '" + name + "' (shape " +
                                               to_string(t.shape()) + ") that this model does not have");
  }
}

void copy_into(const SafetensorsFile& file, const NamedTensors& targets) {
  std::map<std::string_view, const Tensor*> found;
  for (const auto& [name, t] : file.tensors) found[name] = &t;
  for (const auto& [name, t] : targets) {
    Tensor target = t;  // a handle on the same storage
    target.copy_from(*found.at(name));
  }
}

struct ModelFile {
  SafetensorsFile file;
  std::string source;
  Json trainer_state;
  std::string optimizer_file;
};

// `expected`: the model's tensors, which bound what is read (bounds_for).
ModelFile read_model_file(const fs::path& path, const NamedTensors& expected) {
  ModelFile m;
  m.source = path.string();
  m.file = load_safetensors(path, bounds_for(expected));
  const Metadata& meta = m.file.metadata;
  auto field = [&](const char* key) -> const std::string& {
    auto it = meta.find(key);
    if (it == meta.end())
      throw Error(ErrorKind::checkpoint, m.source + ": not an attn checkpoint (no \"" + key + "\" in __metadata__)");
    return it->second;
  };
  const std::string& version = field(kVersionKey);
  if (version != kVersion && version != kVersion1)
    throw Error(ErrorKind::checkpoint, m.source + ": checkpoint version " + excerpt(version) +
                                           " is not a version this attn reads (" + kVersion1 + " or " + kVersion + ")");
  // Checked before anything in the metadata is believed.
  if (version == kVersion) {
    const std::string actual = file_checksum(meta, m.file.tensors);
    if (actual != field(kDataChecksumKey))
      throw Error(ErrorKind::checkpoint, m.source + ": corrupt tensor data or metadata (checksum " + actual +
                                             ", but the file was saved with " + excerpt(field(kDataChecksumKey)) + ")");
  } else if (auto it = meta.find(kDataChecksumKey); it != meta.end()) {
    // Version 1 covered the tensor data only; its first files had no checksum and load unverified.
    const std::string actual = hex(tensor_data_hash(m.file.tensors));
    if (actual != it->second)
      throw Error(ErrorKind::checkpoint, m.source + ": corrupt tensor data (checksum " + actual +
                                             ", but the file was saved with " + excerpt(it->second) + ")");
  }
  m.trainer_state = parse_json(field(kTrainerStateKey), ErrorKind::checkpoint, m.source + " trainer state");
  m.optimizer_file = field(kOptimizerFileKey);
  return m;
}

}  // namespace

fs::path checkpoint_path(const fs::path& run_dir, const std::string& tag) {
  return checkpoint_dir(run_dir) / (tag + ".safetensors");
}

NamedTensors parameter_tensors(const nn::Module& module) {
  NamedTensors out;
  for (const auto& [name, var] : module.named_parameters()) out.emplace_back(name, var.value());
  return out;
}

void save_checkpoint(const fs::path& run_dir, const std::string& tag, const NamedTensors& model,
                     const NamedTensors& optimizer, const Json& trainer_state) {
  const fs::path dir = checkpoint_dir(run_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  ATTN_CHECK(!ec, io, "cannot create directory '", dir.string(), "': ", ec.message());

  std::string optimizer_file;
  if (!optimizer.empty()) {
    const std::string bytes = encode_safetensors(optimizer, {{"attn.model_file", tag + ".safetensors"}});
    optimizer_file = tag + ".optim-" + content_hash(bytes) + ".safetensors";
    write_file_atomic(dir / optimizer_file, bytes);
  }
  Metadata meta = {{kVersionKey, kVersion},
                   {kTrainerStateKey, trainer_state.dump()},
                   {kOptimizerFileKey, optimizer_file}};
  meta[kDataChecksumKey] = file_checksum(meta, model);
  save_safetensors(checkpoint_path(run_dir, tag), model, meta);

  // Older optimizer files of this tag are no longer referenced; a failure to delete one
  // costs disk space, not correctness, so it is not an error.
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name != optimizer_file && is_optimizer_file_of(name, tag)) fs::remove(entry.path(), ec);
  }
}

Json load_checkpoint(const fs::path& run_dir, const std::string& tag, const NamedTensors& model,
                     const NamedTensors& optimizer) {
  ModelFile m = read_model_file(checkpoint_path(run_dir, tag), model);
  check_matches(m.file, model, "parameter", m.source);
  SafetensorsFile optimizer_state;
  if (m.optimizer_file.empty()) {
    if (!optimizer.empty())
      throw Error(ErrorKind::checkpoint, m.source + ": holds no optimizer state, but the optimizer expects " +
                                             std::to_string(optimizer.size()) + " tensors (first '" +
                                             optimizer.front().first + "')");
  } else {
    // Only a file of this tag in checkpoints/ itself: the name comes from the (hostile) file.
    if (!is_optimizer_file_of(m.optimizer_file, tag) || m.optimizer_file.find('/') != std::string::npos)
      throw Error(ErrorKind::checkpoint, m.source + ": optimizer file '" + excerpt(m.optimizer_file) +
                                             "' is not a " + tag + ".optim-<hash>.safetensors file in its folder");
    const fs::path path = checkpoint_dir(run_dir) / m.optimizer_file;
    if (!fs::is_regular_file(path))
      throw Error(ErrorKind::checkpoint, m.source + ": its optimizer file '" + path.string() + "' is " +
                                             (fs::exists(path) ? "not a regular file" : "missing"));
    const SafetensorsBounds bounds = bounds_for(optimizer);
    const std::string bytes = read_file(path, 8 + bounds.header_bytes + bounds.data_bytes, ErrorKind::checkpoint,
                                        "optimizer file of this model");
    const std::string expected = hash_in_name(m.optimizer_file);
    if (!expected.empty() && content_hash(bytes) != expected)
      throw Error(ErrorKind::checkpoint, path.string() + ": corrupt optimizer state (content hash " +
                                             content_hash(bytes) + " does not match the " + expected +
                                             " in its name)");
    optimizer_state = decode_safetensors(bytes, path.string(), bounds.header_bytes);
    check_matches(optimizer_state, optimizer, "optimizer tensor", path.string());
  }
  copy_into(m.file, model);
  copy_into(optimizer_state, optimizer);
  return m.trainer_state;
}

Json load_model_weights(const fs::path& run_dir, const std::string& tag, const NamedTensors& model) {
  return load_model_weights_file(checkpoint_path(run_dir, tag), model);
}

Json load_model_weights_file(const fs::path& file, const NamedTensors& model) {
  ModelFile m = read_model_file(file, model);
  check_matches(m.file, model, "parameter", m.source);
  copy_into(m.file, model);
  return m.trainer_state;
}

}  // namespace attn::experiment
