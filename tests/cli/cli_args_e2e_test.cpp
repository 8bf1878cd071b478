// End-to-end: command-line arguments checked before any work is done, and
// CLI errors that name the bad word and the choices.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "support/run_attn.h"
#include "support/tiny_run.h"

using attn::testing::one_line;
using attn::testing::read_text;
using attn::testing::run_attn;
using attn::testing::temp_dir;
using attn::testing::tiny_run;
namespace fs = std::filesystem;

TEST_CASE("input: arguments are checked before any work, with messages naming the problem") {
  const std::string dir = temp_dir("input-args");
  const std::string run = tiny_run(dir + "/run");
  const std::string record = read_text(run + "/record.json");
  for (const char* gate : {"bogus", "exact_match=abc", "per=0.1"}) {
    auto r = run_attn({"eval", run, "--fail-under", gate});
    INFO(gate << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(one_line(r.err));
    CHECK(r.out.empty());  // no metrics table: nothing was evaluated
  }
  CHECK(run_attn({"eval", run, "--fail-under", "per=0.1"}).err.find("exact_match_long") != std::string::npos);
  CHECK(!fs::exists(run + "/eval"));
  CHECK(read_text(run + "/record.json") == record);
  CHECK(run_attn({"eval", run, "--max-len", "-5"}).exit_code == 2);
  auto index = run_attn({"attend", run, "--input", "abc", "--index", "3"});
  CHECK(index.exit_code == 2);
  CHECK(index.err.find("--index needs --split") != std::string::npos);

  auto bench = run_attn({"bench", "train", "--configs", "nope"});
  CHECK(bench.exit_code == 2);
  CHECK(bench.out.empty());
  CHECK(bench.err.find("'nope' (choose from seq2seq, classifier, lstm_attn, vit)") != std::string::npos);
  auto steps = run_attn({"bench", "train", "--steps", "0"});
  CHECK(steps.exit_code == 2);
  CHECK(steps.err.find("--steps: must be >= 1, got 0") != std::string::npos);
}

TEST_CASE("input: CLI errors name the bad word and the choices, worded alike at every level") {
  auto bench = run_attn({"bench", "frob"});
  CHECK(bench.exit_code == 2);
  CHECK(one_line(bench.err));
  CHECK(bench.err.find("unknown subcommand 'frob' of 'attn bench' (attention, train, decode)") != std::string::npos);
  auto bare = run_attn({"bench"});
  CHECK(bare.exit_code == 2);
  CHECK(bare.err.find("'attn bench' needs a subcommand (attention, train, decode)") != std::string::npos);
  auto top = run_attn({"--bogus"});
  CHECK(top.exit_code == 2);
  CHECK(top.err.find("unknown option '--bogus'") != std::string::npos);
  auto sub = run_attn({"frobnicate"});
  CHECK(sub.err.find("unknown subcommand 'frobnicate'") != std::string::npos);

  CHECK(run_attn({"--version"}).exit_code == 0);
}

TEST_CASE("input: eval's table aligns long metric names and the record keeps length_penalty as given") {
  const std::string dir = temp_dir("input-eval-table");
  const std::string run = tiny_run(dir + "/run");
  auto r = run_attn({"eval", run});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::set<size_t> value_columns;  // where each metric's value starts
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("  ", 0) == 0) value_columns.insert(line.find_last_of(' ') + 1);
  CHECK(value_columns.size() == 1);
  CHECK(r.out.find("token_accuracy_long") != std::string::npos);
  const nlohmann::json record = nlohmann::json::parse(read_text(run + "/record.json"));
  CHECK(record.at("eval").at("test-best").at("length_penalty").get<double>() == 0.6);
}
