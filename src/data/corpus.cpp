#include "data/corpus.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/error.h"
#include "base/regular_file.h"
#include "data/embedded_samples.h"
#include "base/json_error.h"
#include "base/json_parse.h"
#include "data/sha256.h"

namespace attn::data {

std::string read_dataset_file(const std::string& path) {
  return read_regular_file(path, kMaxDatasetFileBytes, ErrorKind::data, "dataset file");
}

nlohmann::json parse_manifest(std::string_view text, const std::string& where) {
  return parse_json_checked<nlohmann::json>(text, ErrorKind::data, where + " is not valid JSON");
}

namespace {

// TSV text -> pairs; `where` names the file in messages.
std::vector<TextPair> parse_tsv(std::string_view text, const std::string& where) {
  std::vector<TextPair> pairs;
  size_t line_no = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    ++line_no;
    size_t tab = line.find('\t');
    ATTN_CHECK(tab != std::string_view::npos && tab > 0 && tab + 1 < line.size() &&
                   line.find('\t', tab + 1) == std::string_view::npos,
               data, where, ":", line_no, ": expected SOURCE<TAB>TARGET, got \"", line.substr(0, 80), "\"");
    pairs.push_back({std::string(line.substr(0, tab)), std::string(line.substr(tab + 1))});
    pos = end + 1;
  }
  return pairs;
}

struct ManifestFile {
  std::string path;
  std::string sha256;
  int64_t lines;
};

// The manifest's entry for one split, checked for shape; `where` names the manifest.
ManifestFile manifest_entry(const nlohmann::json& manifest, const std::string& name, Split split,
                            const std::string& where) {
  const char* key = split_name(split);
  try {
    ATTN_CHECK(manifest.at("name").get<std::string>() == name, data, where, " is the manifest of dataset '",
               manifest.at("name").get<std::string>(), "', expected '", name, "'");
    const auto& entry = manifest.at("files").at(key);
    return {entry.at("path").get<std::string>(), entry.at("sha256").get<std::string>(),
            entry.at("lines").get<int64_t>()};
  } catch (const nlohmann::json::exception& e) {
    ATTN_FAIL(data, where, ": no valid files.", key, " entry {path, sha256, lines}: ", json_error_message(e));
  }
}

// Verifies one split's bytes against its manifest entry and parses them.
std::vector<TextPair> verified_split(std::string_view bytes, const ManifestFile& entry, const std::string& where,
                                     const DatasetInfo& info, const std::string& data_root) {
  const std::string fix = info.embedded ? "the binary was built from modified datasets/" + info.name + " files"
                                        : "run: " + prepare_command(info, data_root);
  std::string actual = sha256_hex(bytes);
  ATTN_CHECK(actual == entry.sha256, data, where, " has sha256 ", actual, " but manifest.json says ", entry.sha256,
             " (corrupt or modified; ", fix, ")");
  std::vector<TextPair> pairs = parse_tsv(bytes, where);
  ATTN_CHECK(static_cast<int64_t>(pairs.size()) == entry.lines, data, where, " has ", pairs.size(),
             " lines but manifest.json says ", entry.lines, " (", fix, ")");
  return pairs;
}

ParallelCorpus load_embedded(const DatasetInfo& info) {
  const std::string where = "embedded " + info.name + "/manifest.json";
  const EmbeddedSample& sample = embedded_sample(info.name);
  nlohmann::json manifest = parse_manifest(sample.manifest(), where);
  ParallelCorpus corpus{info, {}};
  for (Split split : kSplits) {
    ManifestFile entry = manifest_entry(manifest, info.name, split, where);
    corpus.splits[static_cast<int>(split)] =
        verified_split(sample.split(split), entry, "embedded " + info.name + "/" + entry.path, info, "");
  }
  return corpus;
}

ParallelCorpus load_prepared(const DatasetInfo& info, const std::string& data_root) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(data_root) / info.name;
  const fs::path manifest_path = dir / "manifest.json";
  ATTN_CHECK(fs::exists(manifest_path), data, "dataset ", info.name, " is not prepared (no ", manifest_path.string(),
             "); run: ", prepare_command(info, data_root));
  nlohmann::json manifest = parse_manifest(read_dataset_file(manifest_path.string()), manifest_path.string());
  ParallelCorpus corpus{info, {}};
  for (Split split : kSplits) {
    ManifestFile entry = manifest_entry(manifest, info.name, split, manifest_path.string());
    const fs::path file = dir / entry.path;
    ATTN_CHECK(fs::exists(file), data, "dataset ", info.name, " is incomplete (no ", file.string(),
               "); run: ", prepare_command(info, data_root));
    corpus.splits[static_cast<int>(split)] = verified_split(read_dataset_file(file.string()), entry, file.string(), info, data_root);
  }
  return corpus;
}

}  // namespace

const std::vector<DatasetInfo>& dataset_registry() {
  static const std::vector<DatasetInfo> registry = {
      {"g2p-sample", "translate", TokenizerKind::chars, TokenizerKind::spaces, true, ""},
      {"g2p", "translate", TokenizerKind::chars, TokenizerKind::spaces, false, "prepare_g2p.sh"},
      {"bible-es-en", "translate", TokenizerKind::words, TokenizerKind::words, false, "prepare_bible_es_en.sh"},
      {"spam-sample", "classify", TokenizerKind::words, TokenizerKind::spaces, true, ""},
      {"spam", "classify", TokenizerKind::words, TokenizerKind::spaces, false, "prepare_spam.sh"},
      {"fashion-mnist-sample", "image", TokenizerKind::chars, TokenizerKind::spaces, true, ""},
      {"fashion-mnist", "image", TokenizerKind::chars, TokenizerKind::spaces, false, "prepare_fashion_mnist.sh"},
      {"sunspots", "forecast", TokenizerKind::chars, TokenizerKind::spaces, true, ""},
      {"co2", "forecast", TokenizerKind::chars, TokenizerKind::spaces, false, "prepare_co2.sh"},
  };
  return registry;
}

const DatasetInfo& find_dataset(std::string_view name) {
  std::string known;
  for (const auto& info : dataset_registry()) {
    if (info.name == name) return info;
    known += (known.empty() ? "" : ", ") + info.name;
  }
  ATTN_FAIL(config, "unknown dataset '", name, "' (known: ", known, ")");
}

std::string default_data_root() {
  const char* env = std::getenv("ATTN_DATA_DIR");
  if (env && *env) return env;
  return ATTN_DEFAULT_DATA_ROOT;
}

PreparedDir prepared_dir(const DatasetInfo& info, const std::string& data_root) {
  namespace fs = std::filesystem;
  const std::string root = data_root.empty() ? default_data_root() : data_root;
  const fs::path dir = fs::path(root) / info.name;
  const std::string fix = "run: " + prepare_command(info, root);
  return {dir.string() + "/", fix, [dir, fix, name = info.name](const std::string& file) {
            const bool manifest = file == "manifest.json";
            ATTN_CHECK(fs::exists(dir / file), data, "dataset ", name, manifest ? " is not prepared (no " : " is incomplete (no ",
                       (dir / file).string(), "); ", fix);
            return read_dataset_file((dir / file).string());
          }};
}

std::string prepare_command(const DatasetInfo& info, const std::string& data_root) {
  namespace fs = std::filesystem;
  // Single quotes unless the word is plainly safe for the shell.
  auto quoted = [](const std::string& word) {
    if (word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-+:,=") ==
        std::string::npos)
      return word;
    std::string q = "'";
    for (char c : word) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
  };
  const fs::path root = fs::absolute(data_root).lexically_normal();
  const std::string script = (fs::path(ATTN_DATASETS_DIR) / info.prepare_script).string();
  const bool default_root = root == fs::path(ATTN_DEFAULT_DATA_ROOT).lexically_normal();
  return (default_root ? "" : "ATTN_DATA_DIR=" + quoted(root.string()) + " ") + "bash " + quoted(script);
}

ParallelCorpus load_corpus(std::string_view name, std::string_view task, const std::string& data_root) {
  const DatasetInfo& info = find_dataset(name);
  ATTN_CHECK(info.task == task, config, "dataset ", info.name, " is a ", info.task, " dataset; use task=", info.task,
             " or a ", task, " dataset");
  if (info.embedded) return load_embedded(info);
  return load_prepared(info, data_root.empty() ? default_data_root() : data_root);
}

}  // namespace attn::data
