// `attn analyze`: what each attention head of a trained run does over a split, how much it
// matters, and where the true alignment is known whether attention lands on it. Returns the
// versioned document "attn.analysis/1" (schema in docs/analysis.md):
//   - statistics of every recorded map, per head (metrics/attention_statistics.h);
//   - head importance (Michel et al. 2019): |dL/dg| for a per-head gate g = 1
//     (models/head_gates.h), per example, averaged, then divided by its layer's L2 norm;
//   - the metric with each head alone masked, and the pruning curve: the metric with the k
//     heads of lowest normalised importance masked;
//   - alignment quality (metrics/alignment.h) of the maps the task's true alignment scores.
// Statistics, importance and alignment come from teacher-forced passes of one example at a
// time (loss() of a one-example batch: no padding anywhere); the metrics from the task's own
// evaluation (seq2seq: decoding). Only the first evaluation set of the split is analysed
// (synthetic tasks: the in-distribution set, not "_long"). This file computes; the CLI writes.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "experiment/json_file.h"
#include "experiment/run_loader.h"
#include "models/head_gates.h"

namespace attn::experiment {

inline constexpr const char* kAnalysisSchema = "attn.analysis/1";

struct AnalyzeRequest {
  std::string split = "valid";
  int64_t limit = 0;        // analyse the first N examples of the set; 0 = all
  int64_t prune_steps = 0;  // points of the pruning curve besides k = 0; 0 = every k
  bool pruning = true;      // false: no masked evaluations (statistics, importance, alignment only)
  std::vector<models::HeadRef> mask_heads;  // masked throughout (gate 0), e.g. to analyse a pruned model
  tasks::EvalOptions eval;  // decoding and batch size of the masked evaluations
  // Called with a short description of each phase ("evaluating with 3 heads masked").
  std::function<void(const std::string&)> progress;
};

Json analyze_run(LoadedRun& run, const AnalyzeRequest& request);

// The k values of the pruning curve for `heads` gateable heads: 0 .. heads, every k when
// steps is 0 or >= heads, else steps + 1 values spread evenly (rounded, distinct).
std::vector<int64_t> pruning_points(int64_t heads, int64_t steps);

}  // namespace attn::experiment
