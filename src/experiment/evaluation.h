// `attn eval`: runs the task's evaluation of a split of a loaded run, writes the
// predictions (TSV, the task's columns: source, reference, hypothesis for seq2seq;
// text, reference, prediction, probability for classifiers) and adds the result to
// the run's record under "eval".
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "experiment/run_loader.h"
#include "models/head_gates.h"
#include "tasks/task.h"

namespace attn::experiment {

struct EvalRequest {
  std::string split = "test";         // valid | test
  std::string checkpoint_label;       // as given: best | last | PATH
  tasks::EvalOptions options;         // decoding settings apply where the task decodes
  std::vector<models::HeadRef> mask_heads;  // heads gated to 0 (models/head_gates.h)
};

struct EvalReport {
  std::map<std::string, double> metrics;
  Json details = Json::object();      // non-scalar results, e.g. {"confusion_matrix": …}
  std::filesystem::path predictions;  // the TSV written
  double seconds = 0;
};

// The record's eval key and the TSV's name (eval/<key>.tsv): "<split>-<checkpoint>" (best, last
// or a checkpoint file's stem), then for tasks that decode "-beam<N>-lp<alpha>" when beam > 1
// and "-maxlen<L>" when --max-len differs from the run's max_decode_len. Greedy decoding with
// the run's settings keeps the key of records written before decoding was part of it. With
// --mask-heads the key ends in "-mask<N>-<hash>" (N heads; the list is in the entry's "mask_heads").
std::string eval_key(const LoadedRun& run, const EvalRequest& request);

EvalReport evaluate_run(LoadedRun& run, const EvalRequest& request);

}  // namespace attn::experiment
