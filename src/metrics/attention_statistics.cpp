#include "metrics/attention_statistics.h"

#include <cmath>
#include <cstdlib>

namespace attn::metrics {

void HeadStatistics::add_map(const float* weights, int64_t tq, int64_t tk) {
  for (int64_t q = 0; q < tq; ++q) {
    const float* p = weights + q * tk;
    double total = 0;
    for (int64_t k = 0; k < tk; ++k) total += p[k];
    if (total <= 0) continue;
    ++rows;
    for (int64_t k = 0; k < tk; ++k) {
      if (p[k] > 0) entropy -= p[k] * std::log(static_cast<double>(p[k]));
      distance += p[k] * static_cast<double>(std::llabs(q - k));
    }
    if (q < tk) diagonal += p[q];
    first += p[0];
    last += p[tk - 1];
  }
}

void HeadStatistics::add(const HeadStatistics& o) {
  rows += o.rows;
  entropy += o.entropy;
  distance += o.distance;
  diagonal += o.diagonal;
  first += o.first;
  last += o.last;
}

HeadStatistics HeadStatistics::mean() const {
  if (rows == 0) return *this;
  const double n = static_cast<double>(rows);
  return {rows, entropy / n, distance / n, diagonal / n, first / n, last / n};
}

}  // namespace attn::metrics
