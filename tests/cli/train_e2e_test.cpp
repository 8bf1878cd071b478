// End-to-end: `attn train` driven like a shell script would, on tiny budgets.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/run_attn.h"

using attn::testing::read_text;
using attn::testing::run_attn;
using attn::testing::temp_dir;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {
// A small Transformer on a synthetic task that trains in seconds.
std::vector<std::string> synthetic_args(const std::string& task, const std::string& out, int steps) {
  return {"train",         "--task",   task,       "--out",       out,   "--max-steps", std::to_string(steps),
          "--eval-every",  "250",      "--width",  "64",          "--heads", "4",       "--ff-width",
          "128",           "--enc-layers", "1",    "--dec-layers", "1",  "--dropout",   "0",
          "--max-len",     "6",        "--eval-long-len", "8",    "--synth-train-size", "4000",
          "--synth-eval-size", "200",  "--batch-size", "32",      "--lr", "0.003",      "--warmup-steps",
          "100",           "--schedule", "cosine", "--label-smoothing", "0", "--threads", "1", "--quiet", "--json"};
}

json last_evaluation(const json& record) { return record.at("evaluations").back().at("metrics"); }

json strip_timing(json record) {
  for (const char* key : {"wall_time_s", "throughput", "peak_memory_mib", "command_line"}) record.erase(key);
  return record;
}
}  // namespace

TEST_CASE("train: copy and reverse reach 99% exact match in distribution") {
  for (const std::string task : {"copy", "reverse"}) {
    const std::string out = temp_dir("train-" + task) + "/run";
    auto r = run_attn(synthetic_args(task, out, 1000));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    json record = json::parse(r.out);
    CHECK(record.at("status") == "completed");
    INFO(record.at("evaluations").dump());
    CHECK(last_evaluation(record).at("exact_match").get<double>() >= 0.99);
    CHECK(last_evaluation(record).contains("exact_match_long"));
    for (const char* file : {"config.json", "record.json", "metrics.jsonl", "task_state.json",
                             "checkpoints/best.safetensors", "checkpoints/last.safetensors"})
      CHECK(fs::exists(fs::path(out) / file));
  }
}

TEST_CASE("train: a run killed with SIGKILL and resumed ends with the uninterrupted record") {
  const std::string dir = temp_dir("train-resume");
  auto args = synthetic_args("reverse", dir + "/whole", 300);
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i] == "--eval-every") args[i + 1] = "50";
  auto whole = run_attn(args);
  REQUIRE(whole.exit_code == 0);

  // Start the same run, kill it once a checkpoint exists, resume it.
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i] == "--out") args[i + 1] = dir + "/killed";
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv{const_cast<char*>(ATTN_BINARY)};
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    freopen("/dev/null", "w", stdout);
    execv(ATTN_BINARY, argv.data());
    _exit(127);
  }
  const fs::path last = fs::path(dir) / "killed/checkpoints/last.safetensors";
  for (int i = 0; i < 600 && !fs::exists(last); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(fs::exists(last));
  REQUIRE(json::parse(read_text(dir + "/killed/record.json")).at("status") == "running");

  auto resumed = run_attn({"train", "--resume", dir + "/killed", "--quiet", "--json"});
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  json a = strip_timing(json::parse(whole.out)), b = strip_timing(json::parse(resumed.out));
  a.erase("id"), b.erase("id");
  CHECK(a.dump() == b.dump());
  // The metrics log has each step once, like the uninterrupted run's.
  auto steps = [](const std::string& text) {
    std::vector<int64_t> s;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) s.push_back(json::parse(line).at("step").get<int64_t>());
    return s;
  };
  CHECK(steps(read_text(dir + "/killed/metrics.jsonl")) == steps(read_text(dir + "/whole/metrics.jsonl")));
}

TEST_CASE("train: bad input gives one clear line and the documented exit code") {
  const std::string dir = temp_dir("train-errors");
  auto one_line = [](const std::string& err) { return std::count(err.begin(), err.end(), '\n') == 1; };

  std::ofstream(dir + "/malformed.json") << "{\"lr\": 0.1,,}";
  auto malformed = run_attn({"train", "--config", dir + "/malformed.json", "--out", dir + "/a"});
  CHECK(malformed.exit_code == 3);
  CHECK(one_line(malformed.err));
  CHECK(malformed.err.find("line 1") != std::string::npos);

  std::ofstream(dir + "/unknown.json") << "{\"lrate\": 0.1}";
  auto unknown = run_attn({"train", "--config", dir + "/unknown.json", "--out", dir + "/b"});
  CHECK(unknown.exit_code == 3);
  CHECK(one_line(unknown.err));
  CHECK(unknown.err.find("did you mean 'lr'") != std::string::npos);

  auto missing = run_attn({"train", "--dataset", "bible-es-en", "--data-dir", dir + "/nowhere", "--out", dir + "/c"});
  CHECK(missing.exit_code == 5);
  CHECK(one_line(missing.err));
  CHECK(missing.err.find("prepare_bible_es_en.sh") != std::string::npos);

  // A finished run whose checkpoint gets corrupted: resume and eval fail cleanly, nothing else changes.
  const std::string run = dir + "/done";
  auto args = synthetic_args("copy", run, 20);
  REQUIRE(run_attn(args).exit_code == 0);
  const std::string record_before = read_text(run + "/record.json");
  const std::string best_before = read_text(run + "/checkpoints/best.safetensors");
  std::string last = read_text(run + "/checkpoints/last.safetensors");
  last.resize(last.size() / 2);
  std::ofstream(run + "/checkpoints/last.safetensors", std::ios::binary) << last;
  auto eval = run_attn({"eval", run, "--checkpoint", "last"});
  CHECK(eval.exit_code == 6);
  CHECK(one_line(eval.err));
  auto again = run_attn(args);  // --out onto an existing run is refused
  CHECK(again.exit_code == 2);
  CHECK(one_line(again.err));
  CHECK(read_text(run + "/record.json") == record_before);
  CHECK(read_text(run + "/checkpoints/best.safetensors") == best_before);
}
