#include "data/evidence.h"

#include "base/error.h"
#include "tensor/rng.h"

namespace attn::data {

void validate(const FindSpec& spec) {
  ATTN_CHECK(spec.num_symbols >= 2 && spec.num_symbols <= 26, config, "find: synth_vocab must be in [2, 26], got ",
             spec.num_symbols);
  ATTN_CHECK(spec.max_len >= 2, config, "find: max_len must be at least 2, got ", spec.max_len);
}

std::vector<TextPair> find_set(const FindSpec& spec, Split split, int64_t n) {
  validate(spec);
  constexpr uint64_t kFindStream = 0xF1D000;
  std::vector<TextPair> out;
  for (int64_t i = 0; i < n; ++i) {
    Rng rng = Rng(spec.seed, kFindStream + static_cast<uint64_t>(split)).fork(static_cast<uint64_t>(i));
    const int len = 2 + static_cast<int>(rng.below(static_cast<uint64_t>(spec.max_len - 1)));
    std::string text;
    for (int t = 0; t < len; ++t) text += static_cast<char>('a' + rng.below(static_cast<uint64_t>(spec.num_symbols)));
    const bool found = rng.below(2) == 1;
    if (found) text[rng.below(static_cast<uint64_t>(len))] = kFindMarker;
    out.push_back({text, found ? "yes" : "no"});
  }
  return out;
}

}  // namespace attn::data
