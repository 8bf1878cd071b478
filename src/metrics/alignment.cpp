#include "metrics/alignment.h"

#include <algorithm>

namespace attn::metrics {

void AlignmentScore::add_map(const float* weights, int64_t tq, int64_t tk, const std::vector<AlignmentLink>& links) {
  // Per row: 0 = no link, 1 = possible, 2 = sure.
  std::vector<std::vector<int>> kind(tq, std::vector<int>(tk, 0));
  std::vector<bool> linked(tq, false);
  for (const AlignmentLink& l : links) {
    if (l.query < 0 || l.query >= tq || l.key < 0 || l.key >= tk) continue;
    kind[l.query][l.key] = std::max(kind[l.query][l.key], l.sure ? 2 : 1);
    linked[l.query] = true;
    sure += l.sure ? 1 : 0;
  }
  for (int64_t q = 0; q < tq; ++q) {
    if (!linked[q]) continue;
    const float* p = weights + q * tk;
    const int64_t argmax = std::max_element(p, p + tk) - p;  // the first of equal maxima
    ++predicted;
    hit_possible += kind[q][argmax] > 0 ? 1 : 0;
    hit_sure += kind[q][argmax] == 2 ? 1 : 0;
    for (int64_t k = 0; k < tk; ++k)
      if (kind[q][k] > 0) mass += p[k];
  }
}

double AlignmentScore::aer() const {
  if (predicted + sure == 0) return 1.0;
  return 1.0 - static_cast<double>(hit_sure + hit_possible) / static_cast<double>(predicted + sure);
}

double AlignmentScore::mean_mass() const { return predicted ? mass / static_cast<double>(predicted) : 0.0; }

}  // namespace attn::metrics
