// Plain data shared across the data level: dataset splits and examples, as text and as ids.
// Readers (corpus.h, synthetic.h) produce TextPairs; encode_pairs (encode.h) turns them into
// EncodedPairs for the Batcher (batcher.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace attn::data {

enum class Split { train, valid, test };
constexpr Split kSplits[] = {Split::train, Split::valid, Split::test};

const char* split_name(Split split);          // "train", "valid", "test"
Split split_from_name(std::string_view name);  // throws a config error naming the choices

// One line of a parallel corpus: source and target text, untokenized.
struct TextPair {
  std::string src;
  std::string tgt;
  bool operator==(const TextPair&) const = default;
};

// One example as the model reads it: token ids or real-valued inputs (a forecast window),
// and a target sequence without <bos>/<eos> (the Batcher adds them), a class label, or
// real-valued targets (the values ahead of a forecast window).
struct EncodedPair {
  std::vector<int32_t> src;
  std::vector<int32_t> tgt;
  int32_t label = -1;           // a classification example's class; -1 otherwise
  std::vector<float> values;    // forecast: the (scaled) input window; src is then empty
  std::vector<float> targets;   // forecast: the (scaled) values ahead
  int64_t input_length() const { return static_cast<int64_t>(values.empty() ? src.size() : values.size()); }
};

}  // namespace attn::data
