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

}  // namespace attn::experiment
