// Levenshtein distance between two token sequences (unit cost for substitution, insertion and
// deletion), for any random-access sequences whose elements compare with ==: phone strings,
// token ids, characters. Not here: alignments, weighted costs.
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

namespace attn::metrics {

template <typename SeqA, typename SeqB>
int64_t edit_distance(const SeqA& hypothesis, const SeqB& reference) {
  const size_t m = hypothesis.size(), n = reference.size();
  // One row of the DP table: row[j] = distance(hypothesis[:i], reference[:j]).
  std::vector<int64_t> row(n + 1);
  std::iota(row.begin(), row.end(), int64_t{0});
  for (size_t i = 1; i <= m; ++i) {
    int64_t diagonal = row[0];  // distance(hypothesis[:i-1], reference[:j-1])
    row[0] = static_cast<int64_t>(i);
    for (size_t j = 1; j <= n; ++j) {
      const int64_t above = row[j];
      const int64_t substitute = diagonal + (hypothesis[i - 1] == reference[j - 1] ? 0 : 1);
      row[j] = std::min({substitute, above + 1, row[j - 1] + 1});
      diagonal = above;
    }
  }
  return row[n];
}

}  // namespace attn::metrics
