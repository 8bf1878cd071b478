// End-to-end: the life of a run directory under `attn train` (when it validates
// and logs, how it finishes, resumes and refuses), driven like a shell script on
// a tiny model that trains in well under a second.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support/run_attn.h"

using attn::testing::read_text;
using attn::testing::run_attn;
using attn::testing::start_attn;
using attn::testing::temp_dir;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {
// 640 training examples in batches of 64: 10 steps per epoch.
std::vector<std::string> tiny_args(const std::string& out) {
  return {"train", "--task", "copy", "--out", out, "--width", "16", "--heads", "2", "--ff-width", "32",
          "--enc-layers", "1", "--dec-layers", "1", "--max-len", "5", "--eval-long-len", "6",
          "--synth-train-size", "640", "--synth-eval-size", "16", "--batch-size", "64", "--threads", "1",
          "--quiet", "--json"};
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::vector<int64_t> logged_steps(const std::string& metrics_jsonl) {
  std::vector<int64_t> steps;
  std::istringstream in(metrics_jsonl);
  for (std::string line; std::getline(in, line);) steps.push_back(json::parse(line).at("step").get<int64_t>());
  return steps;
}
}  // namespace

TEST_CASE("train lifecycle: eval_every 0 validates at the end of every epoch") {
  const std::string out = temp_dir("life-epochs") + "/run";
  auto r = run_attn(with(tiny_args(out), {"--max-steps", "0", "--epochs", "3", "--eval-every", "0"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json record = json::parse(r.out);
  CHECK(record.at("steps") == 30);
  std::vector<std::pair<int64_t, int64_t>> evals;  // (step, epoch)
  for (const json& e : record.at("evaluations")) evals.emplace_back(e.at("step"), e.at("epoch"));
  CHECK(evals == std::vector<std::pair<int64_t, int64_t>>{{10, 0}, {20, 1}, {30, 2}});
}

TEST_CASE("train lifecycle: log_every 0 writes a metrics line at each evaluation") {
  const std::string out = temp_dir("life-log0") + "/run";
  auto r = run_attn(with(tiny_args(out), {"--max-steps", "12", "--eval-every", "5", "--log-every", "0"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(logged_steps(read_text(out + "/metrics.jsonl")) == std::vector<int64_t>{5, 10, 12});
  // Each line averages the loss over the steps since the previous one.
  std::istringstream in(read_text(out + "/metrics.jsonl"));
  for (std::string line; std::getline(in, line);) CHECK(std::isfinite(json::parse(line).at("loss").get<double>()));
}

TEST_CASE("train lifecycle: resuming a finished run leaves it unchanged and says so") {
  const std::string dir = temp_dir("life-finished");
  // lr 1e-9 never improves exact match, so patience 1 stops at the second evaluation.
  const std::string stopped = dir + "/stopped";
  auto r = run_attn(with(tiny_args(stopped), {"--max-steps", "40", "--eval-every", "2", "--patience", "1", "--lr",
                                              "1e-9", "--early-stop-metric", "exact_match"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(json::parse(r.out).at("status") == "stopped_early");
  const std::string completed = dir + "/completed";
  REQUIRE(run_attn(with(tiny_args(completed), {"--max-steps", "3"})).exit_code == 0);

  for (const std::string& run : {stopped, completed}) {
    const std::vector<std::string> files = {"record.json", "metrics.jsonl", "checkpoints/last.safetensors",
                                            "checkpoints/best.safetensors"};
    std::vector<std::string> before;
    for (const auto& f : files) before.push_back(read_text(run + "/" + f));
    auto resumed = run_attn({"train", "--resume", run});
    INFO(resumed.err);
    CHECK(resumed.exit_code == 0);
    CHECK_THAT(resumed.err, Catch::Contains("already") && Catch::Contains("left unchanged"));
    auto as_json = run_attn({"train", "--resume", run, "--quiet", "--json"});
    CHECK(as_json.exit_code == 0);
    CHECK(as_json.err.empty());
    CHECK(json::parse(as_json.out) == json::parse(before[0]));
    for (size_t i = 0; i < files.size(); ++i) CHECK(read_text(run + "/" + files[i]) == before[i]);
  }
}

TEST_CASE("train lifecycle: a bad early_stop_metric fails before the run directory exists") {
  const std::string out = temp_dir("life-badmetric") + "/run";
  auto r = run_attn(with(tiny_args(out), {"--max-steps", "3", "--early-stop-metric", "bogus"}));
  CHECK(r.exit_code == 3);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK_THAT(r.err, Catch::Contains("early_stop_metric 'bogus'") && Catch::Contains("exact_match_long"));
  CHECK(!fs::exists(out));
  // A metric of the longer set is a real metric.
  auto ok = run_attn(with(tiny_args(out), {"--max-steps", "3", "--early-stop-metric", "token_accuracy_long"}));
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
}

TEST_CASE("train lifecycle: a run with no checkpoint yet resumes from step 0 with its saved config") {
  const std::string dir = temp_dir("life-nocheckpoint");
  const auto args = with(tiny_args(dir + "/whole"), {"--max-steps", "6", "--eval-every", "3", "--log-every", "2"});
  auto whole = run_attn(args);
  INFO(whole.err);
  REQUIRE(whole.exit_code == 0);

  // A run that died before its first checkpoint: its files as start() wrote them,
  // the status it had when it died, no checkpoints.
  for (const std::string status : {"running", "failed"}) {
    const std::string dead = dir + "/dead-" + status;
    fs::create_directories(dead);
    for (const char* f : {"config.json", "task_state.json"}) fs::copy_file(dir + "/whole/" + f, dead + "/" + f);
    json record = json::parse(read_text(dir + "/whole/record.json"));
    record["status"] = status;
    record["steps"] = 0;
    record["evaluations"] = json::array();
    record["best"] = nullptr;
    std::ofstream(dead + "/record.json") << record.dump(2);
    std::ofstream(dead + "/metrics.jsonl");

    auto refused = run_attn(with(tiny_args(dead), {"--max-steps", "6"}));
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Catch::Contains("--resume " + dead) && Catch::Contains("restarts from step 0"));

    auto resumed = run_attn({"train", "--resume", dead, "--quiet", "--json"});
    INFO(resumed.err);
    REQUIRE(resumed.exit_code == 0);
    json a = json::parse(whole.out), b = json::parse(resumed.out);
    for (const char* key : {"wall_time_s", "throughput", "peak_memory_mib", "command_line"}) a.erase(key), b.erase(key);
    CHECK(a.dump() == b.dump());
    CHECK(logged_steps(read_text(dead + "/metrics.jsonl")) == logged_steps(read_text(dir + "/whole/metrics.jsonl")));
    CHECK(fs::exists(dead + "/checkpoints/last.safetensors"));
  }
}

TEST_CASE("train lifecycle: a diverged run counts the steps done and names its checkpoint when resumed") {
  const std::string out = temp_dir("life-diverged") + "/run";
  // Plain SGD at the largest lr without clipping blows up within a few steps.
  auto r = run_attn(with(tiny_args(out), {"--optimizer", "sgd", "--lr", "10", "--clip-norm", "0", "--warmup-steps",
                                          "0", "--max-steps", "50", "--eval-every", "2"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 7);
  const json record = json::parse(r.out);
  REQUIRE(record.at("status") == "diverged");
  const int64_t saved = record.at("evaluations").back().at("step");
  const int64_t steps = record.at("steps");
  CHECK_THAT(record.at("message").get<std::string>(),
             Catch::Contains("diverged at step " + std::to_string(steps + 1)) &&
                 Catch::Contains("good weights of step " + std::to_string(saved)));

  auto again = run_attn({"train", "--resume", out, "--quiet", "--json"});
  INFO(again.err);
  REQUIRE(again.exit_code == 7);
  const json resumed = json::parse(again.out);
  CHECK(resumed.at("steps") == steps);  // deterministic: the same step diverges
  CHECK_THAT(resumed.at("message").get<std::string>(),
             Catch::Contains("good weights of step " + std::to_string(saved)) &&
                 !Catch::Contains("no checkpoint"));
}

TEST_CASE("train lifecycle: a signal during evaluation stops promptly and the resume ends the same") {
  const std::string dir = temp_dir("life-evalsignal");
  // One evaluation, at the last step, of 2 x 20000 examples: seconds of decoding.
  auto args = with(tiny_args(dir + "/whole"),
                   {"--max-steps", "2", "--eval-every", "2", "--log-every", "1", "--synth-eval-size", "20000"});
  auto whole = run_attn(args);
  INFO(whole.err);
  REQUIRE(whole.exit_code == 0);
  const double whole_s = json::parse(whole.out).at("wall_time_s").get<double>();

  const std::string run = dir + "/signalled";
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i] == "--out") args[i + 1] = run;
  const pid_t pid = start_attn(args);
  // The line for step 2 is written just before its evaluation starts.
  for (int i = 0; i < 1000 && logged_steps(read_text(run + "/metrics.jsonl")).size() < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto signalled = std::chrono::steady_clock::now();
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  const double stop_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  INFO("stopped " << stop_s << " s after the signal; the whole run took " << whole_s << " s");
  CHECK(stop_s < whole_s / 3);
  const json interrupted = json::parse(read_text(run + "/record.json"));
  CHECK(interrupted.at("status") == "interrupted");
  CHECK(interrupted.at("steps") == 2);
  CHECK(interrupted.at("evaluations").empty());

  auto resumed = run_attn({"train", "--resume", run, "--quiet", "--json"});
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  json a = json::parse(whole.out), b = json::parse(resumed.out);
  for (const char* key : {"id", "wall_time_s", "throughput", "peak_memory_mib", "command_line"}) a.erase(key), b.erase(key);
  CHECK(a.dump() == b.dump());
  CHECK(logged_steps(read_text(run + "/metrics.jsonl")) == std::vector<int64_t>{1, 2});
  // The same weights (the trainer state in the header holds timings).
  auto tensor_bytes = [](const std::string& path) {
    const std::string bytes = read_text(path);
    REQUIRE(bytes.size() >= 8);
    uint64_t header = 0;
    for (int i = 7; i >= 0; --i) header = (header << 8) | static_cast<unsigned char>(bytes[i]);
    REQUIRE(bytes.size() >= 8 + header);
    return bytes.substr(8 + header);
  };
  CHECK(tensor_bytes(run + "/checkpoints/best.safetensors") ==
        tensor_bytes(dir + "/whole/checkpoints/best.safetensors"));
}

TEST_CASE("train lifecycle: resuming from a checkpoint with flipped tensor bytes fails cleanly") {
  const std::string run = temp_dir("life-flipped") + "/run";
  REQUIRE(run_attn(with(tiny_args(run), {"--max-steps", "4", "--eval-every", "2"})).exit_code == 0);
  json record = json::parse(read_text(run + "/record.json"));
  record["status"] = "interrupted";  // so that --resume would train on
  std::ofstream(run + "/record.json") << record.dump(2);
  const std::string record_before = read_text(run + "/record.json");
  const std::string path = run + "/checkpoints/last.safetensors";
  std::string bytes = read_text(path);
  bytes[bytes.size() - 3] ^= 0x10;  // inside the last tensor's data
  std::ofstream(path, std::ios::binary) << bytes;

  auto r = run_attn({"train", "--resume", run});
  CHECK(r.exit_code == 6);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK_THAT(r.err, Catch::Contains(path) && Catch::Contains("corrupt tensor data"));
  CHECK(read_text(run + "/record.json") == record_before);
  CHECK(read_text(path) == bytes);
}

TEST_CASE("train lifecycle: --resume with config options refuses, naming each of them") {
  const std::string out = temp_dir("life-resume-flags") + "/run";
  auto first = run_attn(with(tiny_args(out), {"--max-steps", "2", "--eval-every", "2"}));
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  const std::string record = read_text(out + "/record.json");
  auto r = run_attn({"train", "--resume", out, "--threads", "2", "--set", "lr=0.1", "--quiet"});
  CHECK(r.exit_code == 2);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.find("drop --set, --threads") != std::string::npos);
  CHECK(read_text(out + "/record.json") == record);
}

TEST_CASE("train lifecycle: a checkpoint's wall time includes the evaluation just finished") {
  const std::string dir = temp_dir("life-walltime");
  // Two evaluations of 2 x 3000 examples: decoding is most of the run's time.
  auto args = with(tiny_args(dir + "/whole"), {"--max-steps", "4", "--eval-every", "2", "--synth-eval-size", "3000"});
  auto whole = run_attn(args);
  INFO(whole.err);
  REQUIRE(whole.exit_code == 0);
  const double whole_s = json::parse(whole.out).at("wall_time_s").get<double>();

  const std::string run = dir + "/killed";
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i] == "--out") args[i + 1] = run;
  const pid_t pid = start_attn(args);
  auto evaluations = [&run] {
    const std::string text = read_text(run + "/record.json");
    return text.empty() ? size_t{0} : json::parse(text).at("evaluations").size();
  };
  for (int i = 0; i < 3000 && evaluations() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  REQUIRE(evaluations() == 1);
  auto resumed = run_attn({"train", "--resume", run, "--quiet", "--json"});
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  // Without the first evaluation's time the resumed run would report about half.
  const double resumed_s = json::parse(resumed.out).at("wall_time_s").get<double>();
  INFO("uninterrupted " << whole_s << " s, killed after the first evaluation and resumed " << resumed_s << " s");
  CHECK(resumed_s > 0.75 * whole_s);
}
