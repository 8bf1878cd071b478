#include "models/head_gates.h"

#include <algorithm>
#include <cstdlib>

#include "base/error.h"

namespace attn::models {

namespace {
std::string layer_names(const std::vector<HeadLayer>& layers) {
  std::string out;
  for (const HeadLayer& l : layers) out += (out.empty() ? "" : ", ") + l.name;
  return out;
}
}  // namespace

std::vector<HeadRef> parse_head_list(const std::string& text) {
  std::vector<HeadRef> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string entry = text.substr(start, comma - start);
    const size_t colon = entry.rfind(':');
    ATTN_CHECK(colon != std::string::npos && colon > 0 && colon + 1 < entry.size(), usage,
               "--mask-heads expects LAYER:HEAD[,LAYER:HEAD…], got '", entry, "'");
    const std::string head = entry.substr(colon + 1);
    char* end = nullptr;
    const long long h = std::strtoll(head.c_str(), &end, 10);
    ATTN_CHECK(end == head.c_str() + head.size() && h >= 0, usage, "--mask-heads: head '", head, "' in '", entry,
               "' is not a head index (0, 1, …)");
    out.push_back({entry.substr(0, colon), h});
    start = comma + 1;
  }
  return out;
}

std::string format_head_list(const std::vector<HeadRef>& heads) {
  std::string out;
  for (const HeadRef& h : heads) out += (out.empty() ? "" : ",") + h.layer + ":" + std::to_string(h.head);
  return out;
}

HeadGates make_head_gates(const std::vector<HeadLayer>& layers, const std::vector<HeadRef>& masked, bool trainable) {
  ATTN_CHECK(!layers.empty() || masked.empty(), usage,
             "this model has no multi-head attention layers to mask (RNN attention and pooling have no heads to gate)");
  HeadGates gates;
  for (const HeadLayer& l : layers) gates.gates[l.name] = Var(Tensor::full({l.heads}, 1.0f), trainable);
  for (const HeadRef& m : masked) {
    auto it = std::find_if(layers.begin(), layers.end(), [&](const HeadLayer& l) { return l.name == m.layer; });
    ATTN_CHECK(it != layers.end(), usage, "--mask-heads: no attention layer '", m.layer, "' (layers: ",
               layer_names(layers), ")");
    ATTN_CHECK(m.head < it->heads, usage, "--mask-heads: ", m.layer, " has heads 0..", it->heads - 1, ", not ", m.head);
    gates.gates[m.layer].value().data()[m.head] = 0.0f;
  }
  return gates;
}

}  // namespace attn::models
