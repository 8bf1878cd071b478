#include "kernels/axis_max.h"

#include <cassert>
#include <limits>

namespace attn::kernels {

namespace {
constexpr int64_t kParallelMin = 65536;
}  // namespace

void axis_max_fwd(const AxisView& v, const float* x, float* y, int32_t* argmax) {
  assert(v.n >= 1 && v.n <= std::numeric_limits<int32_t>::max());
  // Row i of each [n, post] slab is compared with the running maximum, post contiguous.
#pragma omp parallel for schedule(static) if (v.pre * v.n * v.post > kParallelMin && v.pre > 1)
  for (int64_t p = 0; p < v.pre; ++p) {
    const float* slab = x + p * v.n * v.post;
    float* best = y + p * v.post;
    int32_t* at = argmax + p * v.post;
    for (int64_t q = 0; q < v.post; ++q) {
      best[q] = slab[q];
      at[q] = 0;
    }
    for (int64_t i = 1; i < v.n; ++i) {
      const float* row = slab + i * v.post;
      for (int64_t q = 0; q < v.post; ++q) {
        const float value = row[q];
        // Strictly greater keeps the first of equal values; a NaN beats any number once.
        const bool wins = value > best[q] || (value != value && best[q] == best[q]);
        if (wins) {
          best[q] = value;
          at[q] = static_cast<int32_t>(i);
        }
      }
    }
  }
}

void axis_max_bwd(const AxisView& v, const float* dy, const int32_t* argmax, float* dx) {
#pragma omp parallel for schedule(static) if (v.pre * v.post > kParallelMin && v.pre > 1)
  for (int64_t p = 0; p < v.pre; ++p)
    for (int64_t q = 0; q < v.post; ++q) {
      const int64_t i = argmax[p * v.post + q];
      dx[(p * v.n + i) * v.post + q] += dy[p * v.post + q];
    }
}

}  // namespace attn::kernels
