// The training runner behind `attn train`: builds task, model and optimizer
// from a resolved config, trains with periodic validation, early stopping and
// a NaN/Inf guard, and keeps the run directory (config, vocabularies, record,
// metrics log, checkpoints) current and consistent at every instant. A run
// interrupted by a signal or killed outright resumes from its last checkpoint
// and ends with the same record as an uninterrupted one (timings aside).
// Rendering progress is the caller's job (on_progress).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "experiment/config.h"
#include "experiment/run_record.h"

namespace attn::experiment {

struct TrainProgress {
  int64_t step = 0, total_steps = 0, epoch = 0;
  double loss = 0, lr = 0, elapsed_s = 0, eta_s = 0;
  Throughput throughput;
  bool evaluation = false;                 // an evaluation just finished
  std::map<std::string, double> metrics;  // its metrics
  // A validation under way: examples done of its current pass (loss, then each set decoded).
  bool evaluating = false;
  int64_t eval_done = 0, eval_total = 0;
};

struct TrainRequest {
  TrainConfig config;
  std::filesystem::path run_dir;  // resume: the run to continue
  bool resume = false;
  // Resume only: train on to this many steps (more than the run has), also a run that had
  // finished. `config` then carries max_steps = extend_to and epochs = 0; the lr schedule is
  // recomputed over the new length, and a stopped-early run's patience starts afresh.
  int64_t extend_to = 0;
  // New runs: creates the run directory once task and model are built, so bad
  // input leaves no directory behind.
  std::function<std::filesystem::path()> create_run_dir;
  std::vector<std::string> command_line;
  std::function<void(const TrainProgress&)> on_progress;  // optional
};

struct TrainResult {
  RunRecord record;
  int exit_code = 0;  // 0, 7 (diverged) or 130 (interrupted)
  // A resume of a run that had already finished (completed or stopped early):
  // nothing was trained or written, `record` is the run's as it was.
  bool already_finished = false;
};

TrainResult train(const TrainRequest& request);

// How many validations a run evaluating every `every` steps (and at its last step) still does
// after `step` of `total_steps`: what the ETA counts them by.
int64_t evaluations_after(int64_t step, int64_t total_steps, int64_t every);

}  // namespace attn::experiment
