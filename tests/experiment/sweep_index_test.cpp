// sweep.json round trip, what a re-run does with each trial directory, and how
// the cores are divided among concurrent trials.
#include <catch2/catch.hpp>
#include <fstream>

#include "experiment/checkpoint.h"
#include "experiment/run_record.h"
#include "experiment/sweep_index.h"
#include "experiment/sweep_runner.h"
#include "experiment/temp_dir.h"

using attn::test::TempDir;
namespace ex = attn::experiment;
namespace fs = std::filesystem;

namespace {

ex::SweepSpec small_spec() {
  return ex::spec_from_json(ex::Json::parse(R"({"grid": {"heads": [2, 4]}, "seeds": [1, 2]})"), "spec");
}

// A trial directory holding a record with `status`, and a last checkpoint if asked.
void write_trial(const fs::path& dir, ex::RunStatus status, bool checkpoint) {
  fs::create_directories(dir / "checkpoints");
  ex::RunRecord r = ex::new_run_record(dir.filename().string(), {"attn", "train"});
  r.status = status;
  ex::save_record(dir, r);
  if (checkpoint) std::ofstream(ex::checkpoint_path(dir, "last")) << "weights";
}

}  // namespace

TEST_CASE("sweep index: a new index plans every trial pending, and sweep.json round-trips", "[experiment][sweep]") {
  TempDir tmp;
  ex::SweepIndex index = ex::new_sweep_index(small_spec());
  REQUIRE(index.trials.size() == 4);
  for (const ex::SweepTrial& t : index.trials) CHECK(t.status == "pending");
  index.trials[1].status = "failed";
  index.trials[1].exit_code = 3;
  index.trials[1].message = "invalid config";
  index.jobs = 2;
  index.command_line = {"attn", "sweep", "--grid", "heads=2,4"};
  CHECK_FALSE(ex::load_sweep_index(tmp.path()));
  ex::save_sweep_index(tmp.path(), index);
  const std::optional<ex::SweepIndex> back = ex::load_sweep_index(tmp.path());
  REQUIRE(back);
  CHECK(*back == index);
}

TEST_CASE("sweep index: a re-run keeps finished trials, resumes unfinished ones, retries failures on request",
          "[experiment][sweep]") {
  TempDir tmp;
  auto action = [&](const std::string& name, const std::string& indexed_status, bool retry) {
    ex::SweepTrial t;
    t.id = name;
    t.status = indexed_status;
    return ex::next_action(tmp / name, t, retry);
  };
  write_trial(tmp / "done", ex::RunStatus::completed, true);
  write_trial(tmp / "early", ex::RunStatus::stopped_early, true);
  write_trial(tmp / "interrupted", ex::RunStatus::interrupted, true);
  write_trial(tmp / "killed", ex::RunStatus::running, true);
  write_trial(tmp / "killed-early", ex::RunStatus::running, false);  // before its first checkpoint
  write_trial(tmp / "diverged", ex::RunStatus::diverged, true);
  write_trial(tmp / "failed", ex::RunStatus::failed, false);

  // The record on disk wins over a stale index entry (the sweep was killed as the trial ended).
  CHECK(action("done", "running", false) == ex::TrialAction::skip_done);
  CHECK(action("early", "pending", true) == ex::TrialAction::skip_done);
  CHECK(action("interrupted", "interrupted", false) == ex::TrialAction::resume);
  CHECK(action("killed", "running", false) == ex::TrialAction::resume);
  CHECK(action("killed-early", "running", false) == ex::TrialAction::start);
  CHECK(action("diverged", "running", false) == ex::TrialAction::skip_failed);
  CHECK(action("diverged", "diverged", true) == ex::TrialAction::start);
  CHECK(action("failed", "failed", false) == ex::TrialAction::skip_failed);
  // A trial that failed before writing a record (bad config) is known from the index alone.
  CHECK(action("bad-config", "failed", false) == ex::TrialAction::skip_failed);
  CHECK(action("bad-config", "failed", true) == ex::TrialAction::start);
  CHECK(action("never-started", "pending", false) == ex::TrialAction::start);
  // The index says done but the directory is gone: run it again.
  CHECK(action("deleted", "completed", false) == ex::TrialAction::start);

  ex::SweepTrial stale;
  stale.id = "done";
  stale.status = "running";
  ex::next_action(tmp / "done", stale, false);
  CHECK(stale.status == "completed");
}

TEST_CASE("sweep runner: -j is clamped to the cores and the cores are divided among trials", "[experiment][sweep]") {
  CHECK(ex::clamp_jobs(4, 2, false) == 2);
  CHECK(ex::clamp_jobs(4, 2, true) == 4);
  CHECK(ex::clamp_jobs(1, 8, false) == 1);
  CHECK_THROWS_AS(ex::clamp_jobs(0, 8, false), attn::Error);
  CHECK(ex::threads_per_trial(8, 2) == 4);
  CHECK(ex::threads_per_trial(8, 3) == 2);
  CHECK(ex::threads_per_trial(2, 4) == 1);
}
