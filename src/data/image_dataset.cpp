#include "data/image_dataset.h"

#include <filesystem>
#include <functional>

#include "base/error.h"
#include "data/embedded_samples.h"
#include "base/json_error.h"
#include "data/sha256.h"

namespace attn::data {

namespace {
struct FileEntry {
  std::string path, sha256;
};

FileEntry file_entry(const nlohmann::json& split, const char* kind) {
  return {split.at(kind).at("path").get<std::string>(), split.at(kind).at("sha256").get<std::string>()};
}

// Reads one dataset through `read` (embedded bytes or files of a directory); `where` prefixes
// file names in messages, `fix` says how to repair a mismatch.
ImageDataset load(const DatasetInfo& info, const std::string& where,
                  const std::function<std::string(const std::string&)>& read, const std::string& fix) {
  const std::string manifest_where = where + "manifest.json";
  const nlohmann::json manifest = parse_manifest(read("manifest.json"), manifest_where);
  ImageDataset out{info, {}, {}};
  try {
    ATTN_CHECK(manifest.at("name").get<std::string>() == info.name, data, manifest_where,
               " is the manifest of dataset '", manifest.at("name").get<std::string>(), "', expected '", info.name,
               "'");
    out.classes = manifest.at("classes").get<std::vector<std::string>>();
    ATTN_CHECK(out.classes.size() >= 2 && out.classes.size() <= 256, data, manifest_where, " lists ",
               out.classes.size(), " classes, expected 2..256");
    for (Split s : kSplits) {
      const nlohmann::json& entry = manifest.at("files").at(split_name(s));
      ImageSplit& split = out.splits[static_cast<int>(s)];
      for (const char* kind : {"images", "labels"}) {
        const FileEntry file = file_entry(entry, kind);
        const std::string bytes = read(file.path), name = where + file.path;
        const std::string actual = sha256_hex(bytes);
        ATTN_CHECK(actual == file.sha256, data, name, " has sha256 ", actual, " but manifest.json says ", file.sha256,
                   " (corrupt or modified; ", fix, ")");
        if (kind == std::string("images"))
          split.images = parse_idx_images(bytes, name);
        else
          split.labels = parse_idx_labels(bytes, name, static_cast<int>(out.classes.size()));
      }
      ATTN_CHECK(static_cast<size_t>(split.images.count) == split.labels.size(), data, where, split_name(s),
                 ": ", split.images.count, " images but ", split.labels.size(), " labels");
    }
  } catch (const nlohmann::json::exception& e) {
    ATTN_FAIL(data, manifest_where, ": expected {name, classes, files.<split>.{images,labels}.{path, sha256}}: ",
              json_error_message(e));
  }
  return out;
}
}  // namespace

ImageDataset load_image_dataset(std::string_view name, const std::string& data_root) {
  const DatasetInfo& info = find_dataset(name);
  ATTN_CHECK(info.task == "image", config, "dataset ", info.name, " is a ", info.task, " dataset; use task=",
             info.task, " or an image dataset");
  if (info.embedded) {
    const EmbeddedSample& sample = embedded_sample(info.name);
    return load(info, "embedded " + info.name + "/",
                [&](const std::string& file) { return std::string(sample.file(file)); },
                "the binary was built from modified datasets/" + info.name + " files");
  }
  const PreparedDir dir = prepared_dir(info, data_root);
  return load(info, dir.where, dir.read, dir.fix);
}

}  // namespace attn::data
