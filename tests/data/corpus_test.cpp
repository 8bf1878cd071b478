#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "base/error.h"
#include "data/corpus.h"
#include "data/embedded_samples.h"
#include "data/sha256.h"

using namespace attn;
using namespace attn::data;
namespace fs = std::filesystem;

namespace {

// A fresh data root holding a copy of the embedded sample prepared as dataset "g2p".
struct FakeRoot {
  fs::path root;
  FakeRoot() {
    root = fs::temp_directory_path() / ("attn_corpus_test_" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "g2p");
    nlohmann::json manifest = nlohmann::json::parse(embedded_sample("g2p-sample").manifest());
    manifest["name"] = "g2p";
    write("g2p/manifest.json", manifest.dump(2));
    for (Split split : kSplits) write(std::string("g2p/") + split_name(split) + ".tsv", embedded_sample("g2p-sample").split(split));
  }
  ~FakeRoot() { fs::remove_all(root); }
  void write(const std::string& rel, std::string_view bytes) const {
    std::ofstream(root / rel, std::ios::binary) << bytes;
  }
};

Error load_error(std::string_view name, const std::string& root) {
  try {
    load_corpus(name, "translate", root);
  } catch (const Error& e) {
    return e;
  }
  FAIL("load_corpus(" << name << ") did not throw");
  return Error(ErrorKind::internal, "");
}

}  // namespace

TEST_CASE("embedded g2p sample loads with its checksums verified") {
  nlohmann::json manifest = nlohmann::json::parse(embedded_sample("g2p-sample").manifest());
  for (Split split : kSplits)
    CHECK(sha256_hex(embedded_sample("g2p-sample").split(split)) == manifest["files"][split_name(split)]["sha256"]);
  ParallelCorpus corpus = load_corpus("g2p-sample", "translate", "/nonexistent");  // needs no data root
  CHECK(corpus.info.src_tokenizer == TokenizerKind::chars);
  CHECK(corpus.info.tgt_tokenizer == TokenizerKind::spaces);
  CHECK(corpus.split(Split::train).size() == 4000);
  CHECK(corpus.split(Split::valid).size() == 300);
  CHECK(corpus.split(Split::test).size() == 300);
  for (Split split : kSplits)
    for (const TextPair& p : corpus.split(split)) {
      REQUIRE(p.src.size() <= 12);
      REQUIRE(p.src.find_first_not_of("abcdefghijklmnopqrstuvwxyz'") == std::string::npos);
      REQUIRE(p.tgt.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ ") == std::string::npos);
    }
}

TEST_CASE("a prepared dataset loads from a data root") {
  FakeRoot fake;
  ParallelCorpus corpus = load_corpus("g2p", "translate", fake.root.string());
  CHECK(corpus.split(Split::train) == load_corpus("g2p-sample", "translate").split(Split::train));
  CHECK(corpus.split(Split::test).size() == 300);
}

TEST_CASE("a dataset that is not prepared names the command that prepares it") {
  FakeRoot fake;
  Error e = load_error("bible-es-en", fake.root.string());
  CHECK(e.kind() == ErrorKind::data);
  std::string message = e.what();
  CHECK(message.find("dataset bible-es-en is not prepared") != std::string::npos);
  CHECK(message.find('\n') == std::string::npos);
  // The command works from any directory and prepares the root that was read.
  const std::string command = message.substr(message.find("run: ") + 5);
  const std::string env = "ATTN_DATA_DIR=" + std::filesystem::absolute(fake.root).lexically_normal().string() + " ";
  REQUIRE(command.rfind(env + "bash /", 0) == 0);
  const std::string script = command.substr(env.size() + 5);
  CHECK(std::filesystem::path(script).filename() == "prepare_bible_es_en.sh");
  CHECK(std::filesystem::exists(script));
}

TEST_CASE("the prepare command for the default data root needs no variable") {
  const std::string command = prepare_command(find_dataset("g2p"), default_data_root());
  if (std::getenv("ATTN_DATA_DIR") == nullptr) CHECK(command.rfind("bash /", 0) == 0);
  CHECK(command.find("/datasets/prepare_g2p.sh") != std::string::npos);
}

TEST_CASE("a corrupted prepared file is caught by its checksum") {
  FakeRoot fake;
  std::string valid(embedded_sample("g2p-sample").split(Split::valid));
  valid[valid.size() / 2] ^= 0x01;  // one flipped bit
  fake.write("g2p/valid.tsv", valid);
  Error e = load_error("g2p", fake.root.string());
  CHECK(e.kind() == ErrorKind::data);
  std::string message = e.what();
  CHECK(message.find("valid.tsv") != std::string::npos);
  CHECK(message.find("sha256") != std::string::npos);
  CHECK(message.find("datasets/prepare_g2p.sh") != std::string::npos);
}

TEST_CASE("a malformed manifest or TSV line is a data error naming the file") {
  FakeRoot fake;
  fake.write("g2p/manifest.json", "{\"name\": \"g2p\", \"files\": {}}");
  Error e = load_error("g2p", fake.root.string());
  CHECK(e.kind() == ErrorKind::data);
  CHECK(std::string(e.what()).find("manifest.json") != std::string::npos);
  CHECK(std::string(e.what()).find("json.exception") == std::string::npos);  // the message, not the library's tag
  fake.write("g2p/manifest.json", "{\"name\": ");
  e = load_error("g2p", fake.root.string());
  CHECK(e.kind() == ErrorKind::data);
  CHECK_THAT(e.what(), Catch::Contains("manifest.json is not valid JSON: ") && !Catch::Contains("json.exception"));

  const std::string bad = "abc\tAE B K\nno tab here\n";
  nlohmann::json manifest = nlohmann::json::parse(embedded_sample("g2p-sample").manifest());
  manifest["name"] = "g2p";
  manifest["files"]["test"] = {{"path", "test.tsv"}, {"sha256", sha256_hex(bad)}, {"lines", 2}};
  fake.write("g2p/manifest.json", manifest.dump());
  fake.write("g2p/test.tsv", bad);
  e = load_error("g2p", fake.root.string());
  CHECK(e.kind() == ErrorKind::data);
  CHECK(std::string(e.what()).find("test.tsv:2") != std::string::npos);
}

TEST_CASE("unknown dataset names are config errors listing the known ones") {
  try {
    find_dataset("imagenet");
    FAIL("accepted an unknown dataset");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::config);
    CHECK(std::string(e.what()).find("g2p-sample, g2p, bible-es-en") != std::string::npos);
  }
  CHECK(find_dataset("bible-es-en").src_tokenizer == TokenizerKind::words);
}
