// End-to-end: a run's files that parse but cannot be used (JSON overflow, wrong
// JSON types, a torn metrics.jsonl line, a malformed record.json) give one line
// naming the file and the documented exit code, in every command.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "support/run_attn.h"
#include "support/tiny_run.h"

using attn::testing::one_line;
using attn::testing::read_text;
using attn::testing::run_attn;
using attn::testing::temp_dir;
using attn::testing::tiny_run;
namespace fs = std::filesystem;

TEST_CASE("input: JSON that overflows or has the wrong types names the file, with the documented exit code") {
  const std::string dir = temp_dir("input-json");
  std::ofstream(dir + "/inf.json") << "{\"lr\": 1e999}";
  auto inf = run_attn({"train", "--config", dir + "/inf.json", "--out", dir + "/never"});
  CHECK(inf.exit_code == 3);
  CHECK(one_line(inf.err));
  CHECK(inf.err.find(dir + "/inf.json") != std::string::npos);
  CHECK(inf.err.find("number overflow") != std::string::npos);
  CHECK(inf.err.find("json.exception") == std::string::npos);
  CHECK(!fs::exists(dir + "/never"));

  const std::string run = tiny_run(dir + "/run");
  std::ofstream(run + "/task_state.json") << "[]";
  for (const char* command : {"eval", "attend"}) {
    std::vector<std::string> args = {command, run};
    if (std::string(command) == "attend") args.insert(args.end(), {"--input", "ab", "--out", "-"});
    auto r = run_attn(args);
    INFO(command << ": " << r.err);
    CHECK(r.exit_code == 5);
    CHECK(one_line(r.err));
    CHECK(r.err.find(run + "/task_state.json: expected a JSON object, got array") != std::string::npos);
    CHECK(r.err.find("json.exception") == std::string::npos);
  }
  std::ofstream(run + "/task_state.json") << "{\"source\": 1e999}";
  auto overflow = run_attn({"eval", run});
  CHECK(overflow.exit_code == 5);
  CHECK(overflow.err.find("json.exception") == std::string::npos);

  // Attention JSON whose weights are not numbers.
  std::ofstream(dir + "/a.json") << R"({"schema": "attn.attention/1", "items": "nope"})";
  auto attention = run_attn({"visualize", dir + "/a.json", "--format", "svg", "--out", dir + "/svg"});
  CHECK(attention.exit_code == 5);
  CHECK(one_line(attention.err));
  CHECK(attention.err.find("json.exception") == std::string::npos);
}

TEST_CASE("input: visualize ignores a torn last line of metrics.jsonl, as report and --resume do") {
  const std::string dir = temp_dir("input-torn");
  const std::string run = tiny_run(dir + "/run");
  std::ofstream(run + "/metrics.jsonl", std::ios::app) << "{\"step\":301,\"lo";
  auto r = run_attn({"visualize", run, "--out", dir + "/curves.svg"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(read_text(dir + "/curves.svg").find("<svg") != std::string::npos);

  // A malformed complete line is still an error, and says which run it belongs to.
  std::ofstream(run + "/metrics.jsonl", std::ios::app) << "\n";
  auto bad = run_attn({"visualize", run, "--out", dir + "/bad.svg"});
  CHECK(bad.exit_code == 5);
  CHECK(one_line(bad.err));
  CHECK(bad.err.find(run) != std::string::npos);
}

TEST_CASE("input: a malformed record.json gives the same exit code in every command") {
  const std::string dir = temp_dir("input-record");
  const std::string run = tiny_run(dir + "/run");
  std::ofstream(run + "/record.json") << R"({"schema_version": 1, "evaluations": 3})";
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"eval", run}, {"report", run}, {"visualize", run, "--out", dir + "/c.svg"}}) {
    auto r = run_attn(args);
    INFO(args.front() << ": " << r.err);
    CHECK(r.exit_code == 6);
    CHECK(one_line(r.err));
  }
}
