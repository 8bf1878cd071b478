// End-to-end: runs that fail part-way, run directories that disagree with
// themselves, and inputs whose errors once came out with the wrong exit code or
// message. A failure after the run directory exists leaves the run `failed` with
// its message (and `--json` prints that record); a run directory is checked
// against its own record before eval, attend or resume use it.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "experiment/json_file.h"
#include "support/refusal_check.h"
#include "support/run_attn.h"
#include "support/tiny_run.h"

using attn::testing::check_refused;
using attn::testing::one_line;
using attn::testing::read_text;
using attn::testing::run_attn;
using attn::testing::temp_dir;
using attn::testing::tiny_run;
using attn::testing::tiny_train_args;
namespace ex = attn::experiment;
namespace fs = std::filesystem;

namespace {

const std::string kGuard = "ulimit -v 4000000; timeout 120";

ex::Json record_of(const std::string& run) { return ex::Json::parse(read_text(run + "/record.json")); }

}  // namespace

TEST_CASE("failed run: running out of memory in training marks the run failed, and --json prints it") {
  const std::string run = temp_dir("failed-oom") + "/run";
  std::vector<std::string> args = tiny_train_args(run);
  // Batches of 20,000 examples at width 256 need gigabytes; the model itself needs little.
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--synth-train-size" || args[i] == "--batch-size") args[i + 1] = "20000";
    if (args[i] == "--width") args[i + 1] = "256";
    if (args[i] == "--ff-width") args[i + 1] = "1024";
    if (args[i] == "--max-len") args[i + 1] = "32";
    if (args[i] == "--eval-long-len") args[i + 1] = "40";
  }
  args.push_back("--json");
  auto r = run_attn(args, "", "ulimit -v 1500000; timeout 300");
  check_refused(r, 1, "out of memory");
  REQUIRE(fs::exists(run + "/record.json"));
  const ex::Json record = record_of(run);
  CHECK(record["status"] == "failed");
  CHECK(record["message"] == "out of memory");
  const ex::Json printed = ex::Json::parse(r.out);
  CHECK(printed["status"] == "failed");
  CHECK(printed["id"] == record["id"]);
}

TEST_CASE("failed run: more threads than the memory limit allows is an attn error, not libgomp's") {
  const std::string run = temp_dir("failed-threads") + "/run";
  std::vector<std::string> args = tiny_train_args(run);
  for (size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == "--threads") args[i + 1] = "1024";
  auto r = run_attn(args, "", "ulimit -v 1000000; timeout 120");
  check_refused(r, 2, "cannot start 1024 worker threads");
  CHECK(r.err.find("libgomp") == std::string::npos);
}

TEST_CASE("disagreeing run: an edited config.json is refused by eval, attend and resume") {
  const std::string run = tiny_run(temp_dir("disagree-config") + "/run");
  // heads 2 -> 1 keeps every parameter shape: only the record can tell.
  ex::Json config = ex::Json::parse(read_text(run + "/config.json"));
  REQUIRE(config["heads"] == 2);
  config["heads"] = 1;
  ex::write_json_file(run + "/config.json", config);
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"eval", run}, {"attend", run, "--input", "ab", "--out", "-"}, {"train", "--resume", run, "--max-steps", "4"}}) {
    INFO(args.front());
    check_refused(run_attn(args, "", kGuard), 6, "config.json disagrees with the config in record.json ('heads' is 1");
  }
}

TEST_CASE("disagreeing run: a missing or corrupt task state stops a resume before it trains") {
  const std::string dir = temp_dir("disagree-vocab");
  const std::string missing = tiny_run(dir + "/missing");
  fs::remove(missing + "/task_state.json");
  check_refused(run_attn({"train", "--resume", missing, "--max-steps", "4", "--quiet"}, "", kGuard), 4,
              "has no task_state.json");
  CHECK(record_of(missing)["steps"] == 2);

  const std::string corrupt = tiny_run(dir + "/corrupt");
  std::ofstream(corrupt + "/task_state.json") << "{\"source\": [";
  check_refused(run_attn({"train", "--resume", corrupt, "--max-steps", "4", "--quiet"}, "", kGuard), 5,
              "task_state.json");
  CHECK(record_of(corrupt)["steps"] == 2);
}

TEST_CASE("disk full early: a run with a record but no config.json or checkpoint resumes from the start") {
  const std::string run = tiny_run(temp_dir("early-failure") + "/run");
  // What a write failing right after the record leaves: the record, nothing else.
  fs::remove(run + "/config.json");
  fs::remove(run + "/task_state.json");
  fs::remove(run + "/metrics.jsonl");
  fs::remove_all(run + "/checkpoints");
  ex::Json record = record_of(run);
  record["status"] = "failed";
  record["steps"] = 0;
  record["evaluations"] = ex::Json::array();
  record["best"] = nullptr;
  ex::write_json_file(run + "/record.json", record);
  auto r = run_attn({"train", "--resume", run, "--quiet"}, "", kGuard);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(record_of(run)["status"] == "completed");
  CHECK(record_of(run)["steps"] == 2);
  CHECK(fs::exists(run + "/config.json"));
}

TEST_CASE("messages: --fail-under NaN, an over-long attend input, and a huge malformed metrics line") {
  const std::string dir = temp_dir("messages");
  const std::string run = tiny_run(dir + "/run");
  check_refused(run_attn({"eval", run, "--fail-under", "loss=nan"}), 2, "--fail-under: 'nan'");

  // The tiny model has positions for a few tokens only.
  auto longer = run_attn({"attend", run, "--input", std::string(5000, 'a'), "--out", "-"});
  INFO(longer.err);
  CHECK(longer.exit_code == 5);
  CHECK(longer.err.find("input 0 does not fit this model") != std::string::npos);
  CHECK(one_line(longer.err));

  // 10 MB of binary garbage on one line: the message quotes a short, printable excerpt.
  std::string garbage(10'000'000, '\x01');
  std::ofstream(run + "/metrics.jsonl", std::ios::app) << garbage << "\n";
  auto r = run_attn({"visualize", run, "--out", dir + "/c.svg"});
  check_refused(r, 5, "is not a JSON object: \\x01\\x01");
  CHECK(r.err.size() < 1000);
  CHECK(r.err.find("(10000000 bytes)") != std::string::npos);
}

TEST_CASE("messages: duplicate keys in a config file are refused, naming the key") {
  const std::string dir = temp_dir("duplicate-keys");
  std::ofstream(dir + "/dup.json") << R"({"heads": 2, "heads": 8})";
  std::vector<std::string> args = tiny_train_args(dir + "/never");
  args.insert(args.begin() + 1, {"--config", dir + "/dup.json"});
  auto r = run_attn(args);
  check_refused(r, 3, "duplicate key 'heads'");
  CHECK(!fs::exists(dir + "/never/record.json"));
}

TEST_CASE("messages: a random sweep of more trials than the documented bound is refused at once") {
  const std::string dir = temp_dir("sweep-bound");
  auto r = run_attn({"sweep", "--task", "copy", "--random", "lr=loguniform(1e-4,1e-2)", "--trials", "100000000",
                     "--emit-commands", "--out", dir + "/s"},
                    "", "ulimit -v 2000000; timeout 60");
  check_refused(r, 3, "100000000 trials");
  CHECK(r.out.empty());
}

TEST_CASE("messages: eval that cannot write its predictions is an io error, as attend's is") {
  // Root ignores permissions, so the folder eval writes into is made a file instead: the
  // same failed create a read-only run directory gives.
  const std::string run = tiny_run(temp_dir("eval-unwritable") + "/run");
  std::ofstream(run + "/eval") << "not a folder";
  check_refused(run_attn({"eval", run}), 4, "cannot create '" + run + "/eval'");
}
