// End-to-end: `attn sweep` and `attn report` driven like a shell script would,
// with trials of a tiny Transformer on the copy task (a second or two each).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/run_attn.h"

using attn::testing::read_text;
using attn::testing::run_attn;
using attn::testing::start_attn;
using attn::testing::temp_dir;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> tiny_model(int steps) {
  return {"--task", "copy", "--width", "32", "--heads", "2", "--ff-width", "64", "--enc-layers", "1",
          "--dec-layers", "1", "--max-len", "5", "--eval-long-len", "6", "--synth-train-size", "500",
          "--synth-eval-size", "50", "--eval-every", "50", "--max-steps", std::to_string(steps)};
}

std::vector<std::string> sweep_args(int steps, std::vector<std::string> extra) {
  std::vector<std::string> args{"sweep"};
  for (const std::string& a : tiny_model(steps)) args.push_back(a);
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

json sweep_index(const std::string& dir) { return json::parse(read_text(dir + "/sweep.json")); }
// By value: a range-for over sweep_index(dir).at("trials") would iterate a destroyed temporary.
json sweep_trials(const std::string& dir) { return sweep_index(dir).at("trials"); }

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

int wait_exit_code(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// True once a trial of the sweep in `dir` has completed.
bool any_trial_completed(const std::string& dir) {
  if (!fs::exists(dir + "/sweep.json")) return false;
  for (const json& t : sweep_trials(dir))
    if (t.at("status") == "completed") return true;
  return false;
}

// Polls (up to a minute) until `ready` holds.
bool wait_for(const std::function<bool()>& ready) {
  for (int i = 0; i < 3000; ++i) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

TEST_CASE("sweep: a 2x2 grid with -j 2 runs four trials, report lists them, visualize overlays them") {
  const std::string dir = temp_dir("sweep-grid") + "/sweep";
  auto r = run_attn(sweep_args(100, {"--grid", "heads=2,4", "--grid", "lr=0.001,0.003", "-j", "2", "--out", dir}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json index = sweep_index(dir);
  CHECK(index.at("status") == "finished");
  const int64_t cores = std::max(1u, std::thread::hardware_concurrency());
  CHECK(index.at("jobs") == std::min<int64_t>(2, cores));
  CHECK(index.at("threads_per_trial") == std::max<int64_t>(1, cores / index.at("jobs").get<int64_t>()));
  REQUIRE(index.at("trials").size() == 4);
  for (const json& t : index.at("trials")) {
    CHECK(t.at("status") == "completed");
    CHECK(t.at("exit_code") == 0);
    const json record = json::parse(read_text(dir + "/" + t.at("id").get<std::string>() + "/record.json"));
    CHECK(record.at("status") == "completed");
    CHECK(record.at("steps") == 100);
    CHECK(std::to_string(record.at("config").at("heads").get<int>()) == t.at("overrides").at("heads"));
    CHECK(record.at("machine").at("threads") == index.at("threads_per_trial"));
  }

  auto report = run_attn({"report", dir, "--format", "json"});
  REQUIRE(report.exit_code == 0);
  const json rows = json::parse(report.out);
  REQUIRE(rows.size() == 4);
  for (const json& row : rows) {
    CHECK(row.at("status") == "completed");
    CHECK(row.at("config").contains("heads"));
    CHECK(row.at("config").contains("lr"));
    CHECK(row.at("metrics").at("best_exact_match").is_number());
  }
  auto text = run_attn({"report", dir, "--sort", "exact_match", "--metrics", "exact_match,loss"});
  REQUIRE(text.exit_code == 0);
  CHECK(count(text.out, "\n") == 2 + 4);
  CHECK(text.out.find("heads") != std::string::npos);
  auto csv = run_attn({"report", dir, "--format", "csv", "--group", "--metrics", "exact_match"});
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.rfind("heads,lr,runs,ok,exact_match,exact_match_std,exact_match_n\n", 0) == 0);

  auto curves = run_attn({"visualize", dir, "--out", dir + "/curves.svg"});
  INFO(curves.err);
  REQUIRE(curves.exit_code == 0);
  CHECK(count(read_text(dir + "/curves.svg"), "class=\"curve\"") == 4 * 2);  // loss and metric panels
}

TEST_CASE("sweep: killed with SIGKILL after its first trial, a re-run completes only the missing trials") {
  const std::string base = temp_dir("sweep-killed");
  const std::string dir = base + "/sweep";
  json spec = {{"base", json::object()}, {"grid", {{"lr", {0.001, 0.002, 0.003}}}}};
  const std::vector<std::string> model = tiny_model(300);
  for (size_t i = 0; i < model.size(); i += 2) {
    std::string key = model[i].substr(2);
    std::replace(key.begin(), key.end(), '-', '_');
    spec["base"][key] = key == "task" ? json(model[i + 1]) : json(std::stoi(model[i + 1]));
  }
  std::ofstream(base + "/spec.json") << spec.dump(2);
  const std::vector<std::string> args{"sweep", base + "/spec.json", "-j", "1", "--threads", "1", "--out", dir};

  const pid_t pid = start_attn(args);
  const bool finished_one = wait_for([&] { return any_trial_completed(dir); });
  kill(pid, SIGKILL);
  wait_exit_code(pid);
  REQUIRE(finished_one);

  std::map<std::string, std::string> done_before;  // trial -> record.json bytes
  for (const json& t : sweep_trials(dir)) {
    const std::string id = t.at("id");
    if (t.at("status") == "completed") done_before[id] = read_text(dir + "/" + id + "/record.json");
  }
  REQUIRE(done_before.size() < 3);

  auto rerun = run_attn(args);
  INFO(rerun.err);
  REQUIRE(rerun.exit_code == 0);
  CHECK(rerun.err.find(std::to_string(done_before.size()) + " already done") != std::string::npos);
  for (const json& t : sweep_trials(dir)) {
    const std::string id = t.at("id");
    CHECK(t.at("status") == "completed");
    CHECK(json::parse(read_text(dir + "/" + id + "/record.json")).at("steps") == 300);
    if (done_before.count(id)) {
      CHECK(read_text(dir + "/" + id + "/record.json") == done_before[id]);
      CHECK(count(read_text(dir + "/" + id + "/train.log"), "$ ") == 1);  // never started again
    }
  }
}

TEST_CASE("sweep: a failing trial is reported, the others complete, the exit code counts failures") {
  const std::string dir = temp_dir("sweep-failing") + "/sweep";
  const auto args = sweep_args(50, {"--grid", "heads=2,3", "-j", "2", "--threads", "1", "--out", dir});
  auto r = run_attn(args);
  INFO(r.err);
  CHECK(r.exit_code == 1);
  const json trials = sweep_trials(dir);
  REQUIRE(trials.size() == 2);
  CHECK(trials[0].at("status") == "completed");
  CHECK(trials[1].at("status") == "failed");
  CHECK(trials[1].at("exit_code") == 3);  // the trial's own config error
  CHECK(trials[1].at("message").get<std::string>().find("not divisible by heads=3") != std::string::npos);
  const std::string failed = trials[1].at("id");
  CHECK(r.err.find(failed + " failed") != std::string::npos);

  auto report = run_attn({"report", dir, "--format", "json"});
  REQUIRE(report.exit_code == 0);
  const json rows = json::parse(report.out);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].at("status") == "failed");
  CHECK(rows[1].at("config").at("heads") == 3);

  // A re-run leaves the failure alone; --retry-failed runs it again.
  const std::string log = read_text(dir + "/" + failed + "/train.log");
  auto again = run_attn(args);
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("start") == std::string::npos);
  CHECK(read_text(dir + "/" + failed + "/train.log") == log);
  auto args_retry = args;
  args_retry.push_back("--retry-failed");
  auto retry = run_attn(args_retry);
  CHECK(retry.exit_code == 1);
  CHECK(retry.err.find("start  " + failed) != std::string::npos);
  CHECK(retry.err.find("start  " + trials[0].at("id").get<std::string>()) == std::string::npos);
}

TEST_CASE("sweep: SIGINT stops the trials, marks the sweep interrupted, exits 130, and a re-run resumes them") {
  const std::string dir = temp_dir("sweep-sigint") + "/sweep";
  const pid_t pid = start_attn(sweep_args(300, {"--grid", "lr=0.001,0.003", "-j", "2", "--threads", "1",
                                                "--oversubscribe", "--out", dir}));
  auto both_checkpointed = [&] {
    if (!fs::exists(dir + "/sweep.json")) return false;
    const json trials = sweep_trials(dir);
    return std::all_of(trials.begin(), trials.end(), [&](const json& t) {
      return fs::exists(dir + "/" + t.at("id").get<std::string>() + "/checkpoints/last.safetensors");
    });
  };
  const bool ready = wait_for(both_checkpointed);
  kill(pid, SIGINT);
  const int code = wait_exit_code(pid);
  REQUIRE(ready);
  CHECK(code == 130);
  const json index = sweep_index(dir);
  CHECK(index.at("status") == "interrupted");
  for (const json& t : index.at("trials")) {
    if (t.at("status") == "completed") continue;  // it finished before the signal
    CHECK(t.at("status") == "interrupted");
    CHECK(t.at("exit_code") == 130);
  }

  auto resumed = run_attn({"sweep", "--out", dir, "-j", "2", "--oversubscribe"});
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  for (const json& t : sweep_trials(dir)) {
    CHECK(t.at("status") == "completed");
    CHECK(json::parse(read_text(dir + "/" + t.at("id").get<std::string>() + "/record.json")).at("steps") == 300);
  }
  CHECK(resumed.err.find("resume") != std::string::npos);
}

TEST_CASE("sweep --emit-commands: the GNU parallel recipe runs the trials and report aggregates them") {
  if (std::system("command -v parallel >/dev/null 2>&1") != 0) {
    // tests/fresh_machine.sh sets ATTN_REQUIRE_TOOLS: there a missing tool is a missing install step.
    const char* strict = std::getenv("ATTN_REQUIRE_TOOLS");
    REQUIRE_FALSE((strict != nullptr && std::string(strict) == "1"));
    WARN("GNU parallel is not installed (Debian package 'parallel'): skipping the recipe test");
    return;
  }
  const std::string base = temp_dir("sweep-parallel");
  const std::string dir = base + "/sweep";
  auto emitted = run_attn(sweep_args(50, {"--grid", "lr=0.001,0.003", "--seeds", "1,2", "--threads", "1",
                                          "--out", dir, "--emit-commands"}));
  INFO(emitted.err);
  REQUIRE(emitted.exit_code == 0);
  CHECK(count(emitted.out, "\n") == 4);
  CHECK(count(emitted.out, " train --out " + dir + "/trial-") == 4);
  CHECK_FALSE(fs::exists(dir));  // emitting runs nothing and writes nothing
  std::ofstream(base + "/commands.txt") << emitted.out;
  std::ofstream(base + "/hosts.txt") << "2/:\n";  // GNU parallel's name for this machine, 2 jobs

  const std::string recipe = "cd '" + base + "' && parallel --will-cite --sshloginfile hosts.txt < commands.txt"
                             " > parallel.out 2>&1";
  const int parallel_status = std::system(recipe.c_str());
  INFO(read_text(base + "/parallel.out"));
  REQUIRE(parallel_status == 0);

  auto report = run_attn({"report", dir, "--group", "--format", "json", "--metrics", "exact_match"});
  INFO(report.err);
  REQUIRE(report.exit_code == 0);
  const json rows = json::parse(report.out);
  REQUIRE(rows.size() == 2);
  for (const json& row : rows) {
    CHECK(row.at("runs") == 2);
    CHECK(row.at("ok") == 2);
    CHECK(row.at("metrics").at("exact_match").at("n") == 2);
  }
}

TEST_CASE("sweep: random draws are deterministic given --seed, and bad specs are refused before any trial") {
  const std::string dir = temp_dir("sweep-random") + "/sweep";
  auto emit = [&](const std::string& seed) {
    return run_attn(sweep_args(50, {"--random", "lr=loguniform(1e-4,1e-2)", "--random", "normalizer=choice(softmax,hard)",
                                    "--trials", "5", "--seed", seed, "--out", dir, "--emit-commands"}));
  };
  auto a = emit("5"), b = emit("5"), c = emit("6");
  REQUIRE(a.exit_code == 0);
  CHECK(count(a.out, "\n") == 5);
  CHECK(a.out == b.out);
  CHECK(a.out != c.out);
  CHECK(count(a.out, "--set seed=5") == 5);  // --seed is also every trial's training seed

  CHECK(run_attn(sweep_args(50, {"--grid", "lrate=0.1", "--out", dir})).exit_code == 3);
  CHECK(run_attn(sweep_args(50, {"--random", "lr=normal(0,1)", "--out", dir})).exit_code == 2);
  CHECK(run_attn(sweep_args(50, {"--trials", "3", "--out", dir})).exit_code == 3);
  CHECK_FALSE(fs::exists(dir));
  // Another spec on an existing sweep directory is refused.
  REQUIRE(run_attn(sweep_args(20, {"--grid", "lr=0.001", "--out", dir, "--quiet"})).exit_code == 0);
  auto other = run_attn(sweep_args(20, {"--grid", "lr=0.002", "--out", dir}));
  CHECK(other.exit_code == 2);
  CHECK(other.err.find("another sweep") != std::string::npos);
}

TEST_CASE("sweep: a re-run without -j splits the cores as the sweep did") {
  const std::string dir = temp_dir("sweep-rerun-split") + "/sweep";
  const pid_t pid = start_attn(sweep_args(300, {"--grid", "lr=0.001,0.002,0.003,0.004", "-j", "2", "--out", dir}));
  const bool finished_one = wait_for([&] { return any_trial_completed(dir); });
  kill(pid, SIGKILL);
  wait_exit_code(pid);
  REQUIRE(finished_one);
  const json before = sweep_index(dir);

  auto rerun = run_attn({"sweep", "--out", dir});
  INFO(rerun.err);
  REQUIRE(rerun.exit_code == 0);
  const json after = sweep_index(dir);
  CHECK(after.at("jobs") == before.at("jobs"));
  CHECK(after.at("threads_per_trial") == before.at("threads_per_trial"));
  for (const json& t : after.at("trials")) {  // the trials run before and after the kill alike
    const std::string id = t.at("id");
    const json record = json::parse(read_text(dir + "/" + id + "/record.json"));
    CHECK(record.at("machine").at("threads") == before.at("threads_per_trial"));
  }
}
