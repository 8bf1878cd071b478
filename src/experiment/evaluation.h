// `attn eval`: runs the task's evaluation of a split of a loaded run, writes the
// predictions (TSV, the task's columns: source, reference, hypothesis for seq2seq;
// text, reference, prediction, probability for classifiers) and adds the result to
// the run's record under "eval".
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "experiment/run_loader.h"
#include "tasks/task.h"

namespace attn::experiment {

struct EvalRequest {
  std::string split = "test";         // valid | test
  std::string checkpoint_label;       // as given: best | last | PATH
  tasks::EvalOptions options;         // decoding settings apply where the task decodes
};

struct EvalReport {
  std::map<std::string, double> metrics;
  Json details = Json::object();      // non-scalar results, e.g. {"confusion_matrix": …}
  std::filesystem::path predictions;  // the TSV written
  double seconds = 0;
};

EvalReport evaluate_run(LoadedRun& run, const EvalRequest& request);

}  // namespace attn::experiment
