// Head masks as the user writes them ("encoder.layers.0.self_attn:1,decoder.layers.1.cross_attn:3",
// layers named as `attn attend` names them) and the per-head gates (model.h HeadGates) that
// realise them. What a gate does lives in nn::MultiHeadAttention; this file only names heads.
#pragma once

#include <string>
#include <vector>

#include "models/model.h"

namespace attn::models {

struct HeadRef {
  std::string layer;
  int64_t head = 0;
  bool operator==(const HeadRef&) const = default;
};

// "LAYER:HEAD,…" -> heads, in the order given. A malformed entry is a usage error.
std::vector<HeadRef> parse_head_list(const std::string& text);
// The inverse: "LAYER:HEAD,…".
std::string format_head_list(const std::vector<HeadRef>& heads);

// A gate of 1 for every head of every layer, 0 for the masked ones. Gates are leaves that
// collect gradients when trainable. An unknown layer or a head out of range is a usage
// error naming the layers there are.
HeadGates make_head_gates(const std::vector<HeadLayer>& layers, const std::vector<HeadRef>& masked,
                          bool trainable = false);

}  // namespace attn::models
