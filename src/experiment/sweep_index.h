// sweep.json, the index of a sweep directory: the spec, how the trials were
// run, and each trial's overrides, directory, status and exit code. The sweep
// rewrites it atomically whenever a trial starts or ends. Also the decision a
// re-run takes for each trial from what its directory holds.
//
//   <sweep>/sweep.json
//   <sweep>/<trial id>/           an `attn train` run directory (run_dir.h)
//   <sweep>/<trial id>/train.log  the trial's stdout and stderr
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "experiment/sweep_plan.h"

namespace attn::experiment {

inline constexpr const char* kSweepFile = "sweep.json";
inline constexpr const char* kTrialLog = "train.log";
inline constexpr int kSweepSchemaVersion = 1;

struct SweepTrial {
  std::string id;  // also its directory name
  Overrides overrides;
  // pending, running, or a run status (completed, stopped_early, failed, diverged, interrupted)
  std::string status = "pending";
  std::optional<int> exit_code;  // of the last attempt
  std::string message;           // why it failed
  double wall_time_s = 0;        // of the last attempt
  bool operator==(const SweepTrial&) const = default;
};

struct SweepIndex {
  SweepSpec spec;
  std::string status = "running";  // running, finished, interrupted
  std::vector<std::string> command_line;
  int64_t jobs = 1, threads_per_trial = 1, cores = 0;
  double wall_time_s = 0;  // summed over the invocations that got to the end (a killed one adds nothing)
  std::vector<SweepTrial> trials;
  bool operator==(const SweepIndex&) const = default;
};

// A fresh index for `spec`: its planned trials, all pending.
SweepIndex new_sweep_index(const SweepSpec& spec);

Json to_json(const SweepIndex& index);
// Throws Error kind config naming the field.
SweepIndex sweep_index_from_json(const Json& json, const std::string& source);

void save_sweep_index(const std::filesystem::path& sweep_dir, const SweepIndex& index);
// nullopt if the directory has no sweep.json.
std::optional<SweepIndex> load_sweep_index(const std::filesystem::path& sweep_dir);

// True for a trial status that counts as done (completed or stopped early).
bool trial_succeeded(const std::string& status);

enum class TrialAction { skip_done, skip_failed, resume, start };

// What a (re-)run does with a trial, from its directory and its index entry:
// a finished record is kept; a failed or diverged trial is kept unless
// retry_failed; a running or interrupted one with a checkpoint resumes; anything
// else (never started, killed before its first checkpoint) starts afresh.
// Brings `trial.status` up to date with the record on disk.
TrialAction next_action(const std::filesystem::path& trial_dir, SweepTrial& trial, bool retry_failed);

}  // namespace attn::experiment
