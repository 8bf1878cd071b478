// End-to-end: `attn eval` results survive in record.json, both a trainer that
// rewrites the record of a run still training and another evaluation with
// different decoding settings.
#include <catch2/catch.hpp>
#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/run_attn.h"
#include "support/tiny_run.h"

using attn::testing::read_text;
using attn::testing::run_attn;
using attn::testing::start_attn;
using attn::testing::temp_dir;
using attn::testing::tiny_run;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {
json record_of(const std::string& run) {
  const std::string text = read_text(run + "/record.json");
  return text.empty() ? json::object() : json::parse(text);
}
}  // namespace

TEST_CASE("eval: an entry written while the run trains survives the trainer's next record rewrite") {
  const std::string run = temp_dir("eval-while-training") + "/run";
  // Long enough that it is still training when eval is done; it is interrupted below.
  const pid_t pid = start_attn({"train", "--task", "copy", "--out", run, "--width", "16", "--heads", "2",
                                "--ff-width", "32", "--enc-layers", "1", "--dec-layers", "1", "--max-len", "4",
                                "--eval-long-len", "6", "--synth-train-size", "64", "--synth-eval-size", "8",
                                "--batch-size", "8", "--threads", "1", "--eval-every", "5", "--max-steps", "200000",
                                "--quiet"});
  auto steps = [&run] { return record_of(run).value("steps", int64_t{0}); };
  for (int i = 0; i < 3000 && steps() < 5; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(steps() >= 5);  // a last checkpoint exists

  auto ev = run_attn({"eval", run, "--checkpoint", "last", "--threads", "1", "--json"});
  INFO(ev.err);
  REQUIRE(ev.exit_code == 0);
  const int64_t steps_at_eval = steps();
  REQUIRE(record_of(run).at("eval").contains("test-last"));
  // Wait until the trainer has rewritten the record at a later evaluation, then stop it.
  for (int i = 0; i < 3000 && steps() <= steps_at_eval; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  const json record = record_of(run);
  CHECK(record.at("steps").get<int64_t>() > steps_at_eval);
  CHECK(record.at("status") == "interrupted");
  REQUIRE(record.contains("eval"));
  CHECK(record.at("eval").contains("test-last"));
  CHECK(record.at("eval").at("test-last").at("metrics") == json::parse(ev.out));
}

TEST_CASE("eval: the key includes decoding settings, so beam and greedy entries and TSVs do not overwrite each other") {
  const std::string run = tiny_run(temp_dir("eval-keys") + "/run");
  auto beam = run_attn({"eval", run, "--beam", "5", "--json"});
  INFO(beam.err);
  REQUIRE(beam.exit_code == 0);
  auto greedy = run_attn({"eval", run, "--json"});
  REQUIRE(greedy.exit_code == 0);
  auto short_len = run_attn({"eval", run, "--max-len", "3", "--json"});
  REQUIRE(short_len.exit_code == 0);
  const json eval = record_of(run).at("eval");
  REQUIRE(eval.contains("test-best"));
  REQUIRE(eval.contains("test-best-beam5-lp0.6"));
  REQUIRE(eval.contains("test-best-maxlen3"));
  CHECK(eval.at("test-best").at("beam") == 1);
  CHECK(eval.at("test-best-beam5-lp0.6").at("beam") == 5);
  CHECK(eval.at("test-best-maxlen3").at("max_len") == 3);
  CHECK(eval.at("test-best").at("metrics") == json::parse(greedy.out));
  CHECK(eval.at("test-best-beam5-lp0.6").at("metrics") == json::parse(beam.out));
  for (const char* key : {"test-best", "test-best-beam5-lp0.6", "test-best-maxlen3"}) {
    INFO(key);
    CHECK(eval.at(key).at("predictions") == run + "/eval/" + key + ".tsv");
    CHECK(fs::exists(run + "/eval/" + key + ".tsv"));
  }
}
