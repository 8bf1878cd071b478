// What one attention head does, summed over the rows of its maps: entropy, distance between
// the query and the attended position, and the mass on the diagonal, on the first key and on
// the last key (the one next to where padding would begin: <eos>, a separator, the newest
// step). Works on raw weights [Tq, Tk] of one example without padding; the analysis runs one
// example at a time, so no padded row or column is ever counted. Knows nothing of models.
#pragma once

#include <cstdint>

namespace attn::metrics {

// Sums over rows; mean() divides by the rows counted. A row whose weights sum to 0 (fully
// masked) is not counted.
struct HeadStatistics {
  int64_t rows = 0;
  double entropy = 0;   // -Σ p ln p in nats, p = 0 contributing 0
  double distance = 0;  // Σ p_k |q - k|, positions of query and key counted from 0
  double diagonal = 0;  // p_q (the key at the query's own position; 0 if there is none)
  double first = 0;     // p_0
  double last = 0;      // p_{Tk-1}
  void add_map(const float* weights, int64_t tq, int64_t tk);  // weights [Tq, Tk], row-major
  void add(const HeadStatistics& other);
  HeadStatistics mean() const;
};

}  // namespace attn::metrics
