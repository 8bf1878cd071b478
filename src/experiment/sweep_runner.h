// Runs a sweep on this machine: every trial is the attn binary itself, started
// as `attn train` in its own directory under the sweep directory (a process per
// trial: a crash or a bad config stays in its trial, and running N at once
// needs no shared state), at most `jobs` at a time. Keeps sweep.json current,
// skips trials already done, resumes interrupted ones, and on SIGINT/SIGTERM
// forwards one SIGINT to every trial, waits for them to save, and returns
// interrupted. Turning a spec into commands is sweep_plan.h's job.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "experiment/sweep_index.h"

namespace attn::experiment {

// Concurrent trials: `requested`, but no more than `cores` unless oversubscribe.
int64_t clamp_jobs(int64_t requested, int64_t cores, bool oversubscribe);
// Threads per trial so that the trials share the cores: max(1, cores / jobs).
int64_t threads_per_trial(int64_t cores, int64_t jobs);

struct SweepOptions {
  std::filesystem::path dir;
  SweepSpec spec;
  std::string binary;  // the attn executable the trials run
  int64_t jobs = 1;
  int64_t threads = 1;  // per trial
  int64_t cores = 0;    // recorded in sweep.json
  bool retry_failed = false;
  std::vector<std::string> command_line;
  std::function<void(const std::string&)> log;  // one progress line at a time; optional
};

struct SweepOutcome {
  SweepIndex index;
  int64_t succeeded = 0, failed = 0;  // over all trials, including those skipped
  bool interrupted = false;
};

// Creates the directory if needed. A directory holding a sweep with another
// spec is refused (Error kind usage): a re-run must be the same sweep.
SweepOutcome run_sweep(const SweepOptions& options);

}  // namespace attn::experiment
