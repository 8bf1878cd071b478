// Text datasets by name: the registry of real datasets, where their prepared files live,
// and the reader that loads them after verifying every file against its manifest.json.
//   translate (pairs SOURCE<TAB>TARGET):
//   "g2p-sample"  CMUdict sample embedded in the binary (source char, target space)
//   "g2p"         full CMUdict G2P, prepared by datasets/prepare_g2p.sh (char / space)
//   "bible-es-en" verse-aligned Spanish -> English, datasets/prepare_bible_es_en.sh (word / word)
//   classify (TEXT<TAB>LABEL):
//   "spam-sample" SpamAssassin sample embedded in the binary (word)
//   "spam"        SpamAssassin public corpus, datasets/prepare_spam.sh (word)
//   image (IDX files, read by image_dataset.h):
//   "fashion-mnist-sample"  Fashion-MNIST sample embedded in the binary
//   "fashion-mnist"         Fashion-MNIST, datasets/prepare_fashion_mnist.sh
//   forecast (a CSV series and its split, read by series.h):
//   "sunspots"    yearly sunspot numbers 1700-2008, embedded in the binary
//   "co2"         weekly Mauna Loa CO2 1958-2001, gaps interpolated, datasets/prepare_co2.sh
// A prepared dataset is <data root>/<name>/{manifest.json, train.tsv, valid.tsv, test.tsv}
// (datasets/README.md). Synthetic tasks live in synthetic.h.
#pragma once

#include <array>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/tokenizer.h"
#include "data/types.h"

namespace attn::data {

struct DatasetInfo {
  std::string name;
  std::string task;  // the task that reads it: translate | classify | image | forecast
  TokenizerKind src_tokenizer;
  TokenizerKind tgt_tokenizer;
  bool embedded;               // compiled into the binary: needs no data root
  std::string prepare_script;  // datasets/<script> prepares it; empty when embedded
};

const std::vector<DatasetInfo>& dataset_registry();
// Throws a config error listing the known names.
const DatasetInfo& find_dataset(std::string_view name);

// $ATTN_DATA_DIR when set and non-empty, else <attn source tree>/datasets/prepared (compiled in).
std::string default_data_root();

// The one shell command that prepares `info` under `data_root`, runnable from any
// directory: "ATTN_DATA_DIR=/abs/root bash /abs/src/datasets/prepare_x.sh" (the
// variable omitted when data_root is the compiled-in default).
std::string prepare_command(const DatasetInfo& info, const std::string& data_root);

// A prepared dataset's directory under `data_root` (empty = default_data_root()), for the readers
// of non-embedded datasets: `read(name)` returns one of its files (a data error naming the prepare
// command when it is missing: "not prepared" for manifest.json, "incomplete" for the others),
// `where` prefixes file names in messages, `fix` is what to do about a checksum mismatch.
struct PreparedDir {
  std::string where, fix;
  std::function<std::string(const std::string& name)> read;
};
PreparedDir prepared_dir(const DatasetInfo& info, const std::string& data_root);

// Shared by the dataset readers: a file's bytes (io error when unreadable), and a manifest
// parsed as JSON (a data error naming `where` when it is not).
std::string read_dataset_file(const std::string& path);
nlohmann::json parse_manifest(std::string_view text, const std::string& where);

struct ParallelCorpus {
  DatasetInfo info;
  std::array<std::vector<TextPair>, 3> splits;  // indexed by Split
  const std::vector<TextPair>& split(Split s) const { return splits[static_cast<int>(s)]; }
};

// Loads all three splits of a dataset of `task`; an empty data_root is the default one.
// Errors, each one line naming the file or the fix: a dataset of another task (config);
//   not prepared (no manifest.json)       -> "dataset g2p is not prepared (...); run: <prepare_command>"
//   sha256 or line count differs from the manifest, malformed manifest or TSV line (data).
ParallelCorpus load_corpus(std::string_view name, std::string_view task, const std::string& data_root = "");

}  // namespace attn::data
