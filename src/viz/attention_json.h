// The attention dump format written by `attn attend` ("attn.attention/1") as typed structs,
// and its validating reader. Layout of the JSON:
//   {"schema": "attn.attention/1", "model": {...free-form facts...}, "task": "translate",
//    "items": [{"index": 0, "source_tokens": [...], "output_tokens": [...], "output": "...",
//               "layers": [{"name": "decoder.layers.0.cross_attn", "kind": "decoder_cross",
//                           "layer": 0, "query_tokens": [...], "key_tokens": [...],
//                           "heads": [H][Tq][Tk] weights}]}]}
// kind is one of encoder_self | decoder_self | decoder_cross | rnn. A weight may be null (shown
// as missing). Rendering lives in attention_html.h / attention_svg.h; writing the format is
// the producer's job.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace attn::viz {

inline constexpr const char* kAttentionSchema = "attn.attention/1";

struct AttentionLayer {
  std::string name;  // parameter path of the attention module
  std::string kind;  // encoder_self | decoder_self | decoder_cross | rnn
  int64_t layer = 0;
  std::vector<std::string> query_tokens;  // Tq
  std::vector<std::string> key_tokens;    // Tk
  int64_t heads = 0;
  std::vector<double> weights;  // [H, Tq, Tk] row-major; NaN where the JSON has null

  double at(int64_t head, int64_t q, int64_t k) const {
    const int64_t tq = static_cast<int64_t>(query_tokens.size()), tk = static_cast<int64_t>(key_tokens.size());
    return weights[static_cast<size_t>((head * tq + q) * tk + k)];
  }
};

struct AttentionItem {
  int64_t index = 0;  // the example's index in its dataset split
  std::vector<std::string> source_tokens;
  std::vector<std::string> output_tokens;
  std::string output;
  std::vector<AttentionLayer> layers;
};

struct AttentionDump {
  std::string task;
  // The free-form "model" object flattened to (key, printed value): strings as they are,
  // anything else as compact JSON, sorted by key.
  std::vector<std::pair<std::string, std::string>> model;
  std::vector<AttentionItem> items;
};

// Checks the schema tag, every required field, the kinds, and that each heads array is
// [H][Tq][Tk] with Tq = |query_tokens|, Tk = |key_tokens|. Throws Error(data) naming the path
// of the offending field (e.g. items[2].layers[0].heads[1][3]).
AttentionDump parse_attention(const nlohmann::json& doc);

}  // namespace attn::viz
