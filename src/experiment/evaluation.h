// `attn eval`: decodes a split of a loaded run, scores it, writes the
// predictions (TSV: source, reference, hypothesis) and adds the result to the
// run's record under "eval".
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "experiment/run_loader.h"
#include "models/decoding.h"

namespace attn::experiment {

struct EvalRequest {
  std::string split = "test";         // valid | test
  std::string checkpoint_label;       // as given: best | last | PATH
  models::DecodeOptions decode;
  int64_t batch_size = 64;
};

struct EvalReport {
  std::map<std::string, double> metrics;
  std::filesystem::path predictions;  // the TSV written
  double seconds = 0;
};

EvalReport evaluate_run(LoadedRun& run, const EvalRequest& request);

}  // namespace attn::experiment
