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

// Token ids of one example: a source and either a target, without <bos>/<eos> (the
// Batcher adds them), or a class label (tgt empty).
struct EncodedPair {
  std::vector<int32_t> src;
  std::vector<int32_t> tgt;
  int32_t label = -1;  // a classification example's class; -1 for sequence-to-sequence
};

}  // namespace attn::data
