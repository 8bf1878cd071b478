#include "kernels/gather_rows.h"

#include <algorithm>
#include <cstring>

namespace attn::kernels {

namespace {
constexpr int64_t kParallelMin = 65536;
constexpr int64_t kColumnBlock = 64;
}  // namespace

void gather_rows(const float* table, int64_t cols, const int32_t* ids, int64_t n, float* out) {
#pragma omp parallel for schedule(static) if (n * cols > kParallelMin)
  for (int64_t i = 0; i < n; ++i)
    std::memcpy(out + i * cols, table + static_cast<int64_t>(ids[i]) * cols, sizeof(float) * cols);
}

void scatter_add_rows(const float* dout, int64_t cols, const int32_t* ids, int64_t n, float* dtable) {
  // Threads split the columns, not the ids: two ids may name the same row.
  const int64_t blocks = (cols + kColumnBlock - 1) / kColumnBlock;
#pragma omp parallel for schedule(static) if (n * cols > kParallelMin && blocks > 1)
  for (int64_t b = 0; b < blocks; ++b) {
    const int64_t j0 = b * kColumnBlock, j1 = std::min(cols, j0 + kColumnBlock);
    for (int64_t i = 0; i < n; ++i) {
      const float* src = dout + i * cols;
      float* dst = dtable + static_cast<int64_t>(ids[i]) * cols;
      for (int64_t j = j0; j < j1; ++j) dst[j] += src[j];
    }
  }
}

}  // namespace attn::kernels
