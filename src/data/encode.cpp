#include "data/encode.h"

#include "base/error.h"

namespace attn::data {

std::vector<std::vector<std::string>> tokenize_side(const std::vector<TextPair>& pairs, Side side,
                                                    TokenizerKind kind) {
  std::vector<std::vector<std::string>> out;
  out.reserve(pairs.size());
  for (const auto& pair : pairs) out.push_back(tokenize(kind, side == Side::src ? pair.src : pair.tgt));
  return out;
}

Vocab build_vocab(const std::vector<TextPair>& pairs, Side side, TokenizerKind kind, int64_t min_freq,
                  int64_t max_size) {
  return Vocab::build(tokenize_side(pairs, side, kind), min_freq, max_size);
}

std::vector<EncodedPair> encode_pairs(const std::vector<TextPair>& pairs, const Encoding& encoding) {
  ATTN_CHECK(encoding.src_vocab && encoding.tgt_vocab, internal, "encode_pairs needs both vocabularies");
  std::vector<EncodedPair> out;
  out.reserve(pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    EncodedPair e;
    e.src = encoding.src_vocab->encode(tokenize(encoding.src_tokenizer, pairs[i].src));
    e.tgt = encoding.tgt_vocab->encode(tokenize(encoding.tgt_tokenizer, pairs[i].tgt));
    ATTN_CHECK(!e.src.empty() && !e.tgt.empty(), data, "example ", i, " has an empty side after tokenization: \"",
               pairs[i].src, "\" -> \"", pairs[i].tgt, "\"");
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace attn::data
