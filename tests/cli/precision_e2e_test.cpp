// End-to-end: --precision fp32|bf16 through the real binary — the refusal on a CPU
// without AVX512-BF16 (simulated with ATTN_NO_BF16=1, cpu_features.h), and a bf16
// training run: completes, learns, is deterministic and resumes exactly.
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "kernels/cpu_features.h"
#include "support/resume_after_kill.h"
#include "support/run_attn.h"
#include "support/tiny_run.h"

using attn::testing::kill_at_checkpoint_then_resume;
using attn::testing::one_line;
using attn::testing::read_text;
using attn::testing::run_attn;
using attn::testing::temp_dir;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {
// Runs attn as on a CPU without AVX512-BF16.
attn::testing::RunResult run_without_bf16(const std::vector<std::string>& args) {
  setenv("ATTN_NO_BF16", "1", 1);
  auto r = run_attn(args);
  unsetenv("ATTN_NO_BF16");
  return r;
}

std::vector<std::string> reverse_args(const std::string& out, const std::string& precision) {
  return {"train",           "--task",      "reverse", "--out",          out,       "--max-steps", "300",
          "--eval-every",    "50",          "--width", "64",             "--heads", "4",           "--ff-width",
          "128",             "--enc-layers", "1",      "--dec-layers",   "1",       "--dropout",   "0.1",
          "--max-len",       "6",           "--eval-long-len", "8",      "--synth-train-size", "4000",
          "--synth-eval-size", "200",       "--batch-size", "32",        "--lr",    "0.003",       "--warmup-steps",
          "100",             "--label-smoothing", "0", "--threads", "1", "--precision", precision, "--quiet", "--json"};
}

json strip_timing(json record) {
  for (const char* key : {"wall_time_s", "throughput", "peak_memory_mib", "command_line", "id"}) record.erase(key);
  return record;
}
}  // namespace

TEST_CASE("precision: attn --version says whether bf16 is available, and ATTN_NO_BF16 hides it") {
  auto r = run_attn({"--version"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find(attn::kernels::has_avx512_bf16() ? "bf16 yes" : "bf16 no") != std::string::npos);
  auto hidden = run_without_bf16({"--version"});
  REQUIRE(hidden.exit_code == 0);
  CHECK(hidden.out.find("bf16 no (needs AVX512-BF16)") != std::string::npos);
}

TEST_CASE("precision: bf16 on a CPU without AVX512-BF16 gives one line, exit 2, nothing written") {
  const std::string dir = temp_dir("precision-refused");
  const std::string run = attn::testing::tiny_run(dir + "/fp32");
  const std::string config = dir + "/bf16.json";
  std::ofstream(config) << R"({"precision": "bf16"})";
  auto train_args = attn::testing::tiny_train_args(dir + "/refused");
  std::vector<std::vector<std::string>> commands;
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> a = train_args;
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  commands.push_back(with({"--precision", "bf16"}));
  commands.push_back(with({"--set", "precision=bf16"}));
  commands.push_back(with({"--config", config}));
  commands.push_back({"eval", run, "--precision", "bf16"});
  commands.push_back({"attend", run, "--input", "abc", "--out", "-", "--precision", "bf16"});
  commands.push_back({"bench", "attention", "--T", "16", "--precision", "bf16"});
  commands.push_back({"bench", "train", "--configs", "classifier", "--steps", "1", "--precision", "bf16"});
  for (const auto& args : commands) {
    auto r = run_without_bf16(args);
    INFO(args[0] << " " << args[1] << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(one_line(r.err));
    CHECK(r.err.rfind("attn: error: ", 0) == 0);
    CHECK(r.err.find("AVX512-BF16") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(dir + "/refused"));
  // fp32 stays available, explicitly or by default.
  auto fp32 = run_without_bf16({"eval", run, "--precision", "fp32", "--json"});
  INFO(fp32.err);
  CHECK(fp32.exit_code == 0);
}

TEST_CASE("precision: --precision takes fp32 or bf16 only, as other config keys refuse bad values") {
  const std::string dir = temp_dir("precision-bad");
  auto flag = run_attn({"train", "--precision", "fp16", "--out", dir + "/a"});
  CHECK(flag.exit_code == 2);
  CHECK(one_line(flag.err));
  CHECK(flag.err.find("fp16") != std::string::npos);
  auto set = run_attn({"train", "--set", "precision=fp64", "--out", dir + "/b"});
  CHECK(set.exit_code == 3);
  CHECK(one_line(set.err));
  CHECK(set.err.find("precision") != std::string::npos);
  auto eval = run_attn({"eval", dir, "--precision", "half"});
  CHECK(eval.exit_code == 2);
  CHECK(one_line(eval.err));
}

TEST_CASE("precision: train in bf16 learns, gives the same record twice, differs from fp32, resumes exactly") {
  if (!attn::kernels::has_avx512_bf16()) {
    WARN("this CPU lacks AVX512-BF16: bf16 training is refused here (tested above)");
    return;
  }
  const std::string dir = temp_dir("precision-train");
  auto first = run_attn(reverse_args(dir + "/a", "bf16"));
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  auto second = run_attn(reverse_args(dir + "/b", "bf16"));
  REQUIRE(second.exit_code == 0);
  auto fp32 = run_attn(reverse_args(dir + "/fp32", "fp32"));
  REQUIRE(fp32.exit_code == 0);
  const json a = strip_timing(json::parse(first.out)), b = strip_timing(json::parse(second.out));
  CHECK(a.at("status") == "completed");
  CHECK(a.at("config").at("precision") == "bf16");
  CHECK(a.dump() == b.dump());
  json f = strip_timing(json::parse(fp32.out));
  CHECK(f.at("evaluations").dump() != a.at("evaluations").dump());  // the products really were bf16
  const double exact = a.at("evaluations").back().at("metrics").at("exact_match").get<double>();
  const double exact_fp32 = f.at("evaluations").back().at("metrics").at("exact_match").get<double>();
  INFO("bf16 exact_match " << exact << ", fp32 " << exact_fp32);
  CHECK(exact >= exact_fp32 - 0.05);
  CHECK(exact >= 0.5);

  // Killed once a checkpoint exists, resumed: the same record as the whole run.
  auto resumed = kill_at_checkpoint_then_resume(reverse_args(dir + "/killed", "bf16"), dir + "/killed");
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK(strip_timing(json::parse(resumed.out)).dump() == a.dump());

  // The fp32 checkpoint serves either precision.
  for (const char* p : {"fp32", "bf16"}) {
    auto e = run_attn({"eval", dir + "/a", "--precision", p, "--json"});
    INFO(e.err);
    CHECK(e.exit_code == 0);
    CHECK(json::parse(e.out).contains("exact_match"));
  }
}
