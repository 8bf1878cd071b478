// Alignment quality of attention where the true alignment is known (Och & Ney 2003): the
// argmax of each query row that has a true link is the predicted link, and
//   AER = 1 - (|A ∩ S| + |A ∩ P|) / (|A| + |S|)
// with S the sure and P ⊇ S the possible links. Also the attention mass on the possible
// links of each such row. Counts add up over examples, so the corpus AER is one ratio.
#pragma once

#include <cstdint>
#include <vector>

namespace attn::metrics {

struct AlignmentLink {
  int64_t query = 0, key = 0;  // row and column of the attention map
  bool sure = true;            // false: possible only
};

struct AlignmentScore {
  int64_t predicted = 0;     // |A|: rows with a true link
  int64_t sure = 0;          // |S|
  int64_t hit_sure = 0;      // |A ∩ S|
  int64_t hit_possible = 0;  // |A ∩ P|
  double mass = 0;           // Σ over those rows of the weight on the row's possible links
  // weights [Tq, Tk] of one example; links outside the map are a caller's bug (ignored).
  void add_map(const float* weights, int64_t tq, int64_t tk, const std::vector<AlignmentLink>& links);
  double aer() const;        // 1 when nothing was predicted or sure
  double mean_mass() const;  // per row with a link; 0 without rows
};

}  // namespace attn::metrics
