// The synthetic classification task with known evidence, `find`: is the marker 'X' in a
// sequence of lowercase symbols? Half the examples hold exactly one X (label "yes"), the
// others none ("no"), so the one position that decides a "yes" is known: it lets users
// measure whether attention lands on the evidence (evidence_mass in tasks/).
// Generated from the seed like the sequence tasks of synthetic.h.
#pragma once

#include <cstdint>
#include <vector>

#include "data/types.h"

namespace attn::data {

inline constexpr char kFindMarker = 'X';

struct FindSpec {
  int num_symbols = 10;  // 'a' .. 'a' + num_symbols - 1, besides the marker
  int max_len = 10;      // lengths 2 .. max_len
  uint64_t seed = 1;
};

// Throws a config error for an alphabet outside [2, 26] or max_len < 2.
void validate(const FindSpec& spec);
// n examples {text, "yes"|"no"} of a split, the same for the same spec.
std::vector<TextPair> find_set(const FindSpec& spec, Split split, int64_t n);

}  // namespace attn::data
