#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>

#include "support/error_text.h"
#include "base/build_info.h"
#include "base/peak_memory.h"
#include "base/error.h"
#include "experiment/atomic_file.h"
#include "experiment/checkpoint.h"
#include "experiment/config.h"
#include "experiment/run_dir.h"
#include "experiment/run_record.h"
#include "experiment/temp_dir.h"

using attn::Error;
using attn::ErrorKind;
using attn::test::TempDir;
namespace ex = attn::experiment;

namespace {

ex::RunRecord sample_record() {
  ex::RunRecord r = ex::new_run_record("copy-20240102-030405", {"attn", "train", "--task", "copy"});
  r.threads = 2;
  r.task = "copy";
  r.dataset_name = "synthetic-copy";
  r.dataset_checksum = "sha256:00ff";
  r.config = ex::to_json(ex::TrainConfig());
  r.status = ex::RunStatus::stopped_early;
  r.message = "no improvement in 5 evaluations";
  r.steps = 500;
  r.evaluations = {{250, 1, {{"loss", 0.75}, {"exact_match", 0.5}}}, {500, 2, {{"loss", 0.125}, {"exact_match", 0.9921875}}}};
  r.best = ex::BestMetric{"exact_match", 0.9921875, 500};
  r.wall_time_s = 12.5;
  r.throughput = {31415.9, "target_tokens/s"};
  r.lower_is_better = {{"loss", true}, {"exact_match", false}};
  r.peak_memory_mib = 48.25;
  return r;
}

using attn::testing::error_text;

}  // namespace

TEST_CASE("run record round trip through JSON and record.json", "[experiment][record]") {
  const ex::RunRecord r = sample_record();
  CHECK(r.attn_version == attn::build_info().version);
  CHECK(r.git_commit == attn::build_info().git_commit);
  CHECK(r.cpu == attn::cpu_model_name());
  CHECK(ex::record_from_json(ex::to_json(r), "mem") == r);

  ex::RunRecord with_eval = r;
  with_eval.best.reset();
  with_eval.eval = ex::Json{{"split", "test"}, {"metrics", {{"per", 0.07}}}};
  CHECK(ex::record_from_json(ex::to_json(with_eval), "mem") == with_eval);

  TempDir dir;
  ex::save_record(dir.path(), r);
  CHECK(ex::load_record(dir.path()) == r);
  CHECK(dir.entries() == std::vector<std::string>{"record.json"});

  // The documented layout (README, "Run records"), in this order.
  const ex::Json j = ex::read_json_file(dir / "record.json", ErrorKind::checkpoint);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"schema_version", "id", "command_line", "attn", "machine", "task", "dataset",
                                         "config", "lower_is_better", "status", "message", "steps", "evaluations",
                                         "best", "wall_time_s", "throughput", "peak_memory_mib"});
  CHECK(j["schema_version"] == 2);
  CHECK(j["throughput"]["unit"] == "target_tokens/s");
  CHECK(j["lower_is_better"]["loss"] == true);
  CHECK(j["status"] == "stopped_early");
  CHECK(j["machine"]["threads"] == 2);
  CHECK(j["dataset"]["checksum"] == "sha256:00ff");
  CHECK(j["evaluations"][1]["metrics"]["exact_match"] == 0.9921875);
  CHECK(j["best"]["step"] == 500);
  CHECK(j["config"]["lr"] == ex::TrainConfig().lr);
}

TEST_CASE("run record: NaN metrics, statuses, and corrupt records", "[experiment][record]") {
  ex::RunRecord r = sample_record();
  r.status = ex::RunStatus::diverged;
  r.evaluations.push_back({600, 2, {{"loss", std::nan("")}}});
  const ex::Json j = ex::Json::parse(ex::to_json(r).dump());  // as written to record.json
  CHECK(j["evaluations"][2]["metrics"]["loss"].is_null());
  CHECK(std::isnan(ex::record_from_json(j, "mem").evaluations[2].metrics.at("loss")));

  for (auto s : {ex::RunStatus::running, ex::RunStatus::completed, ex::RunStatus::stopped_early,
                 ex::RunStatus::diverged, ex::RunStatus::interrupted, ex::RunStatus::failed})
    CHECK(ex::parse_status(ex::status_name(s)) == s);

  ex::Json broken = ex::to_json(sample_record());
  broken["machine"].erase("cpu");
  CHECK(error_text([&] { ex::record_from_json(broken, "run/record.json"); }, ErrorKind::checkpoint) ==
        "run/record.json: record field 'machine.cpu' is missing");
  broken = ex::to_json(sample_record());
  broken["schema_version"] = 99;
  CHECK_THAT(error_text([&] { ex::record_from_json(broken, "r"); }, ErrorKind::checkpoint),
             Catch::Contains("'schema_version' is 99"));
  broken = ex::to_json(sample_record());
  broken["status"] = "exploded";
  CHECK_THAT(error_text([&] { ex::record_from_json(broken, "r"); }, ErrorKind::checkpoint), Catch::Contains("exploded"));
  broken = ex::to_json(sample_record());
  broken["evaluations"][1]["metrics"]["loss"] = "low";
  CHECK_THAT(error_text([&] { ex::record_from_json(broken, "r"); }, ErrorKind::checkpoint),
             Catch::Contains("'evaluations[1].metrics.loss' is not a number"));

  TempDir dir;
  ex::write_file_atomic(dir / "record.json", "{\"schema_version\": 1,");
  CHECK_THAT(error_text([&] { ex::load_record(dir.path()); }, ErrorKind::checkpoint), Catch::Contains("parse error"));
}

TEST_CASE("version 1 records are read: target tokens/s, metric directions guessed by name", "[experiment][record]") {
  ex::Json v1 = ex::to_json(sample_record());
  v1["schema_version"] = 1;
  v1.erase("lower_is_better");
  v1.erase("throughput");
  v1["tokens_per_s"] = 1234.5;
  const ex::RunRecord r = ex::record_from_json(v1, "old/record.json");
  CHECK(r.throughput == ex::Throughput{1234.5, "target_tokens/s"});
  CHECK(r.lower_is_better.empty());
  CHECK(ex::lower_is_better(r, "per"));
  CHECK(ex::lower_is_better(r, "loss"));
  CHECK_FALSE(ex::lower_is_better(r, "exact_match_long"));
  // A version 2 record says so itself: a metric it does not list is not guessed.
  const ex::RunRecord v2 = sample_record();
  CHECK(ex::lower_is_better(v2, "loss"));
  CHECK_FALSE(ex::lower_is_better(v2, "exact_match"));
}

TEST_CASE("peak memory reflects memory the process touched", "[experiment][record]") {
  const double before = attn::peak_memory_mib();
  CHECK(before > 0);
  const size_t bytes = size_t(96) << 20;
  std::unique_ptr<char[]> block(new char[bytes]);
  std::memset(block.get(), 1, bytes);
  CHECK(block[bytes - 1] == 1);
  CHECK(attn::peak_memory_mib() >= 90);
}

TEST_CASE("run directories are unique and never overwrite a run", "[experiment][record]") {
  TempDir root;
  setenv("TZ", "UTC", 1);
  tzset();
  const std::time_t t = 1704164645;  // 2024-01-02 03:04:05 UTC
  const auto first = ex::create_run_dir(root / "runs", "copy", t);
  const auto second = ex::create_run_dir(root / "runs", "copy", t);
  CHECK(first.filename() == "copy-20240102-030405");
  CHECK(second.filename() == "copy-20240102-030405-2");
  CHECK(std::filesystem::is_directory(first / "checkpoints"));

  const auto out = ex::claim_run_dir(root / "mine" / "run1");  // created with parents
  CHECK(std::filesystem::is_directory(out / "checkpoints"));
  CHECK(ex::claim_run_dir(out) == out);  // an existing directory without a run is fine

  ex::RunRecord r = sample_record();
  r.status = ex::RunStatus::completed;
  ex::save_record(out, r);
  const std::string before = ex::read_file(out / "record.json");
  CHECK_THAT(error_text([&] { ex::claim_run_dir(out); }, ErrorKind::usage),
             Catch::Contains("already holds a run (status completed); choose another --out"));
  r.status = ex::RunStatus::interrupted;
  ex::save_record(out, r);
  CHECK_THAT(error_text([&] { ex::claim_run_dir(out); }, ErrorKind::usage),
             Catch::Contains("resume it with --resume " + out.string() +
                             " (it has no checkpoint: it restarts from step 0) or choose another --out"));
  CHECK(ex::read_file(out / "record.json") != before);  // only our own save changed it

  CHECK_THAT(error_text([&] { ex::open_run_dir_for_resume(root / "nowhere"); }, ErrorKind::io),
             Catch::Contains("no such directory"));
  CHECK_THAT(error_text([&] { ex::open_run_dir_for_resume(first); }, ErrorKind::io),
             Catch::Contains("record.json is missing"));
  // No checkpoint yet: still resumable (the trainer restarts it from step 0).
  CHECK(ex::open_run_dir_for_resume(out) == out);
  ex::save_checkpoint(out, "last", {{"w", attn::Tensor::zeros({2})}}, {}, {{"step", 0}});
  CHECK(ex::open_run_dir_for_resume(out) == out);
  CHECK_THAT(error_text([&] { ex::claim_run_dir(out); }, ErrorKind::usage),
             Catch::Contains("resume it with --resume " + out.string() + " or choose another --out"));
}
