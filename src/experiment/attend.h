// `attn attend`: decodes inputs with a loaded run and returns every attention
// layer's and head's weights as the versioned JSON document "attn.attention/1"
// (schema in the README; rendered by viz/). Decoding runs without capture; one
// teacher-forced pass over the decoded output then records all maps, so dumping
// costs one extra forward per input.
#pragma once

#include <string>
#include <vector>

#include "experiment/json_file.h"
#include "experiment/run_loader.h"
#include "models/decoding.h"

namespace attn::experiment {

struct AttendInput {
  int64_t index = 0;  // position in the input file, or index in the split
  std::string source;
};

struct AttendRequest {
  std::vector<AttendInput> inputs;
  std::string layer;   // keep layers whose name equals or contains this; empty = all
  int64_t head = -1;   // keep one head; -1 = all
  std::string reduce;  // "", "mean" or "max": collapse heads into one
  models::DecodeOptions decode;
};

inline constexpr const char* kAttentionSchema = "attn.attention/1";

Json attend(LoadedRun& run, const AttendRequest& request);

}  // namespace attn::experiment
