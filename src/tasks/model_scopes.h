// Scoped model states for evaluation passes of the encoder-model tasks: an evaluation may
// be abandoned by the batch hook (Task::set_batch_hook), so both restore on every exit.
#pragma once

#include "models/model.h"

namespace attn::tasks {

// Records attention while alive, and always stops recording: a recorder left behind
// would grow with every training step.
struct RecordingScope {
  RecordingScope(models::Model& model, models::AttentionRecorder* recorder) : model_(model) {
    model_.set_recorder(recorder);
  }
  ~RecordingScope() { model_.set_recorder(nullptr); }
  models::Model& model_;
};

// Runs the model with these head gates while alive (models/head_gates.h); always takes them off.
struct HeadGateScope {
  HeadGateScope(models::Model& model, const models::HeadGates* gates) : model_(model) { model_.set_head_gates(gates); }
  ~HeadGateScope() { model_.set_head_gates(nullptr); }
  models::Model& model_;
};

// Evaluation mode while alive; the training mode is restored on every exit.
struct EvalModeScope {
  explicit EvalModeScope(models::Model& model) : model_(model), was_training_(model.training()) {
    model_.set_training(false);
  }
  ~EvalModeScope() { model_.set_training(was_training_); }
  models::Model& model_;
  bool was_training_;
};

}  // namespace attn::tasks
