// Opens a finished (or running) run for evaluation and inspection: its config,
// record, task with the state the run saved (vocabularies, labels), and the model with weights
// from a checkpoint. Used by `attn eval` and `attn attend`.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "experiment/config.h"
#include "experiment/run_record.h"
#include "models/model.h"
#include "tasks/task.h"

namespace attn::experiment {

struct LoadedRun {
  std::filesystem::path dir;
  TrainConfig config;
  RunRecord record;
  std::unique_ptr<tasks::Task> task;
  std::unique_ptr<models::Model> model;
  std::string checkpoint;  // the file the weights came from
};

// checkpoint: "best", "last" or a path to a .safetensors file. Errors: no run at dir
// (io), data that no longer matches the run (data), a checkpoint that does not
// fit the run's model (checkpoint).
LoadedRun load_run(const std::filesystem::path& dir, const std::string& checkpoint = "best");

// The run's config: config.json, which must say what record.json's config says (an
// edited config.json would build another model over the same weights: Error kind
// checkpoint naming the first key that differs). A run that failed before it wrote
// config.json and saved no checkpoint (a full disk at the start) uses the record's
// config, so --resume can start it over.
TrainConfig load_run_config(const std::filesystem::path& dir, const RunRecord& record);

// Checks the task state the run saved (task_state.json, or vocab.json of older runs)
// against what `task` rebuilt from the data; a missing, corrupt or different file is
// Error kind data. Run before evaluating or resuming, so a run is never continued
// with vocabularies its checkpoints were not trained on.
void check_task_state(const std::filesystem::path& dir, const tasks::Task& task);

}  // namespace attn::experiment
