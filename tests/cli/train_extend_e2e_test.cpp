// End-to-end: extending a finished run with --resume DIR --max-steps N, and what
// `attn train` tells the user (epochs from 1, the warmup warning, how to resume an
// interrupted run), plus `bench attention --repeats` being exact.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/run_attn.h"
#include "support/tiny_run.h"

using attn::testing::one_line;
using attn::testing::read_text;
using attn::testing::run_attn;
using attn::testing::temp_dir;
using attn::testing::tiny_train_args;
using nlohmann::json;

namespace {
std::vector<int64_t> logged_steps(const std::string& metrics_jsonl) {
  std::vector<int64_t> steps;
  std::istringstream in(metrics_jsonl);
  for (std::string line; std::getline(in, line);) steps.push_back(json::parse(line).at("step").get<int64_t>());
  return steps;
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}
}  // namespace

TEST_CASE("train: --resume DIR --max-steps N extends a finished run from its last step") {
  const std::string run = temp_dir("extend") + "/run";
  auto first = run_attn(with(tiny_train_args(run), {"--log-every", "1"}));
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  REQUIRE(json::parse(read_text(run + "/record.json")).at("status") == "completed");

  // Without --max-steps: unchanged, and the message names the way to extend it.
  auto again = run_attn({"train", "--resume", run});
  CHECK(again.exit_code == 0);
  CHECK(again.err.find("attn train --resume " + run + " --max-steps N, N > 2") != std::string::npos);

  auto extended = run_attn({"train", "--resume", run, "--max-steps", "5", "--quiet", "--json"});
  INFO(extended.err);
  REQUIRE(extended.exit_code == 0);
  const json record = json::parse(read_text(run + "/record.json"));
  CHECK(record.at("status") == "completed");
  CHECK(record.at("steps") == 5);
  CHECK(record.at("config").at("max_steps") == 5);
  CHECK(json::parse(read_text(run + "/config.json")).at("max_steps") == 5);
  CHECK(record.at("evaluations").back().at("step") == 5);
  CHECK(record.at("evaluations").front().at("step") == 2);  // the first part's evaluation is kept
  // Continued from step 2: each step logged once, in order.
  CHECK(logged_steps(read_text(run + "/metrics.jsonl")) == std::vector<int64_t>{1, 2, 3, 4, 5});

  auto shorter = run_attn({"train", "--resume", run, "--max-steps", "4"});
  CHECK(shorter.exit_code == 2);
  CHECK(one_line(shorter.err));
  CHECK(shorter.err.find("--max-steps 4 does not extend run run: it has 5 steps already") != std::string::npos);
  auto other_flag = run_attn({"train", "--resume", run, "--max-steps", "9", "--lr", "0.1"});
  CHECK(other_flag.exit_code == 2);
  CHECK(other_flag.err.find("drop --lr") != std::string::npos);
}

TEST_CASE("train: the progress line counts epochs from 1, and a warmup longer than the run is warned about") {
  const std::string run = temp_dir("epochs") + "/run";
  std::vector<std::string> args = tiny_train_args(run);
  args.erase(std::find(args.begin(), args.end(), "--quiet"));
  auto r = run_attn(with(args, {"--log-every", "1"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("step 1/2  epoch 1  ") != std::string::npos);
  CHECK(r.err.find("epoch 0") == std::string::npos);
  CHECK(r.err.find("attn: warning: warmup_steps 200 > max_steps 2") != std::string::npos);
  // The records keep the 0-based epoch index.
  CHECK(json::parse(read_text(run + "/record.json")).at("evaluations").at(0).at("epoch") == 0);
  auto fitting = run_attn(with(args, {"--warmup-steps", "1", "--out", run + "-2"}));
  CHECK(fitting.err.find("warning") == std::string::npos);
}

TEST_CASE("train: an interrupted run's message says how to resume it") {
  const std::string dir = temp_dir("interrupted-message");
  const std::string run = dir + "/run";
  // --foreground: timeout signals only attn, as a user's one Ctrl-C would (without it the group
  // is signalled too; attn takes that echo as the same request, tests/experiment/interrupt_test.cpp).
  std::string cmd = "timeout --foreground -s INT 2 '" ATTN_BINARY "' train --task copy --out '" + run +
                    "' --width 16 --heads 2 --ff-width 32 --enc-layers 1 --dec-layers 1 --max-len 4 --eval-long-len 6"
                    " --synth-train-size 64 --synth-eval-size 8 --batch-size 8 --threads 1 --max-steps 1000000"
                    " --eval-every 100000 2> '" + dir + "/err.txt'";
  std::system(cmd.c_str());
  const std::string err = read_text(dir + "/err.txt");
  INFO(err);
  CHECK(err.find("interrupted after") != std::string::npos);
  CHECK(err.find("continue it with: attn train --resume " + run) != std::string::npos);
}

TEST_CASE("bench attention: --repeats alone is the exact number of timed runs") {
  auto r = run_attn({"bench", "attention", "--T", "16", "--impl", "fused", "--pass", "fwd", "--mask", "none",
                     "--sgemm-n", "32", "--threads", "1", "--repeats", "1", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out).at(0).at("repeats") == 1);
  // With --min-seconds too, --repeats is the minimum and a fast case runs more.
  auto both = run_attn({"bench", "attention", "--T", "16", "--impl", "fused", "--pass", "fwd", "--mask", "none",
                        "--sgemm-n", "32", "--threads", "1", "--repeats", "2", "--min-seconds", "0.05", "--json"});
  REQUIRE(both.exit_code == 0);
  CHECK(json::parse(both.out).at(0).at("repeats").get<int>() > 2);
}
