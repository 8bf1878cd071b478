#include "kernels/softmax_rows.h"

#include <cmath>
#include <limits>

namespace attn::kernels {

void softmax_row_fwd(const float* x, RowMask mask, int64_t n, bool log, float* y) {
  float max = -std::numeric_limits<float>::infinity();
  for (int64_t j = 0; j < n; ++j)
    if (mask.keep(j) && x[j] > max) max = x[j];
  if (max == -std::numeric_limits<float>::infinity()) {
    // Nothing to normalise over: zeros rather than the NaN of 0/0.
    for (int64_t j = 0; j < n; ++j) y[j] = 0.0f;
    return;
  }
  float sum = 0.0f;
  for (int64_t j = 0; j < n; ++j) {
    const float e = mask.keep(j) ? std::exp(x[j] - max) : 0.0f;
    y[j] = e;
    sum += e;
  }
  if (log) {
    const float lse = max + std::log(sum);
    for (int64_t j = 0; j < n; ++j) y[j] = mask.keep(j) ? x[j] - lse : 0.0f;
  } else {
    const float inv = 1.0f / sum;
    for (int64_t j = 0; j < n; ++j) y[j] *= inv;
  }
}

void softmax_row_bwd(const float* y, const float* dy, RowMask mask, int64_t n, bool log, float* dx) {
  if (log) {
    // y = x - lse: dx_j = dy_j - p_j Σ_k dy_k with p = exp(y), over kept entries only
    // (a masked y is 0, which is not log p, so the mask is needed here).
    float total = 0.0f;
    for (int64_t j = 0; j < n; ++j)
      if (mask.keep(j)) total += dy[j];
    for (int64_t j = 0; j < n; ++j)
      if (mask.keep(j)) dx[j] += dy[j] - std::exp(y[j]) * total;
    return;
  }
  // y = softmax(x): dx_j = y_j (dy_j - Σ_k y_k dy_k); masked y_j = 0 gives dx_j = 0.
  float dot = 0.0f;
  for (int64_t j = 0; j < n; ++j) dot += y[j] * dy[j];
  for (int64_t j = 0; j < n; ++j) dx[j] += y[j] * (dy[j] - dot);
}

}  // namespace attn::kernels
