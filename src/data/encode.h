// From text pairs to vocabularies and token ids: the glue between a reader (corpus.h,
// synthetic.h) and the Batcher. Vocabularies are built from the training split only.
#pragma once

#include <cstdint>
#include <vector>

#include "data/tokenizer.h"
#include "data/types.h"
#include "data/vocab.h"

namespace attn::data {

enum class Side { src, tgt };

// The tokens of one side of every pair.
std::vector<std::vector<std::string>> tokenize_side(const std::vector<TextPair>& pairs, Side side,
                                                    TokenizerKind kind);

// Vocabulary of one side (see Vocab::build for min_freq and max_size).
Vocab build_vocab(const std::vector<TextPair>& pairs, Side side, TokenizerKind kind, int64_t min_freq = 1,
                  int64_t max_size = 0);

struct Encoding {
  TokenizerKind src_tokenizer;
  const Vocab* src_vocab;
  TokenizerKind tgt_tokenizer;
  const Vocab* tgt_vocab;
};

// Tokenizes and encodes every pair; a side with no tokens is a data error naming the pair.
std::vector<EncodedPair> encode_pairs(const std::vector<TextPair>& pairs, const Encoding& encoding);

}  // namespace attn::data
