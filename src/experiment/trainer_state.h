// What a checkpoint holds of the trainer beyond weights and optimizer moments,
// its JSON form (the checkpoint's attn.trainer_state), and the checks a resume
// runs on it before trusting a number of it: every field's type and range, and
// its agreement with the run it is resumed into (the record's evaluations, the
// run's length and epoch size). The training loop itself is in trainer.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "data/batcher.h"
#include "experiment/json_file.h"
#include "experiment/run_record.h"

namespace attn::experiment {

struct TrainerState {
  int64_t step = 0;
  data::BatcherPosition position;
  std::optional<BestMetric> best;
  int64_t bad_evals = 0;
  std::vector<Evaluation> evaluations;
  int64_t train_work = 0;   // what throughput counts (Task::batch_work), over all steps
  double train_time_s = 0;  // time spent in training steps (not evaluation)
  double wall_time_s = 0;
  // The logging window, so a resumed run logs the same averages.
  double window_loss = 0;
  int64_t window_steps = 0;
  // A signal stopped the evaluation due at `step`: a resume runs it before training on.
  bool eval_pending = false;
};

Json state_json(const TrainerState& s);

// What a resumed run must agree with.
struct ResumeContext {
  std::string source;           // the checkpoint file, for messages
  int64_t total_steps = 0;      // the run's length (after an extension)
  int64_t batches_in_epoch = 0;
  std::string metric;           // the early-stopping metric
  const RunRecord* record = nullptr;
};

// Parses and checks a saved trainer state. Any field missing, of the wrong type or
// out of range, and any disagreement with `context`, throws Error kind checkpoint
// naming the checkpoint and the field, on one line.
TrainerState state_from_json(const Json& j, const ResumeContext& context);

}  // namespace attn::experiment
