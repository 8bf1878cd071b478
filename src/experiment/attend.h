// `attn attend`: runs inputs through a loaded run's model and returns every attention
// layer's and head's weights as the versioned JSON document "attn.attention/2"
// (schema in the README; rendered by viz/). The task builds each item (tasks::Task::attend:
// a seq2seq task decodes, a classifier predicts a label); this file filters and writes.
#pragma once

#include <string>
#include <vector>

#include "base/attention_schema.h"
#include "experiment/json_file.h"
#include "experiment/run_loader.h"
#include "models/decoding.h"

namespace attn::experiment {

struct AttendRequest {
  std::vector<tasks::AttendInput> inputs;  // index: position in the input file, or in the split
  std::string layer;   // keep layers whose name equals or contains this; empty = all
  int64_t head = -1;   // keep one head; -1 = all
  std::string reduce;  // "", "mean" or "max": collapse heads into one
  models::DecodeOptions decode;
};

Json attend(LoadedRun& run, const AttendRequest& request);

}  // namespace attn::experiment
