// A prepared text dataset in the fuzzer's scratch data root: <root>/<name>/manifest.json naming
// one TSV file of the fuzzer's bytes for all three splits, with its true sha256 and line count,
// so the input gets past the manifest checks and reaches the TSV reader, the tokenizers and
// the vocabulary that a task builds from it (tasks::make_task, as `attn train` does).
#pragma once

#include <string>
#include <string_view>

#include "data/sha256.h"
#include "fuzz_support.h"
#include "tasks/task.h"

namespace attn::fuzz {

inline void prepare_text_dataset(const std::string& name, std::string_view tsv) {
  const auto dir = scratch_dir() / "data" / name;
  std::filesystem::create_directories(dir);
  fuzz::write_file(dir / "split.tsv", tsv);
  // The reader's count: every '\n' ends a line, and so does the end of a last unterminated one.
  int64_t lines = 0;
  for (char c : tsv) lines += c == '\n';
  if (!tsv.empty() && tsv.back() != '\n') ++lines;
  std::string files;
  for (const char* split : {"train", "valid", "test"})
    files += std::string(files.empty() ? "" : ",") + "\"" + split + R"(": {"path": "split.tsv", "sha256": ")" +
             data::sha256_hex(tsv) + R"(", "lines": )" + std::to_string(lines) + "}";
  fuzz::write_file(dir / "manifest.json", R"({"name": ")" + name + R"(", "files": {)" + files + "}}");
}

// make_task on that dataset: what `attn train --task <task> --dataset <name>` reads.
inline void load_text_task(const std::string& task, const std::string& name, std::string_view tsv) {
  prepare_text_dataset(name, tsv);
  tasks::TaskOptions options;
  options.task = task;
  options.dataset = name;
  options.data_root = (scratch_dir() / "data").string();
  tasks::make_task(options);
}

}  // namespace attn::fuzz
