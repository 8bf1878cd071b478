// Baseline (Scalar) copy of the column-sum kernel and the per-ISA dispatch.
#define ATTN_COLUMN_SUMS_ISA baseline
#define ATTN_COLUMN_SUMS_VEC Scalar
#include "kernels/column_sums_impl.h"

#include <omp.h>

#include <algorithm>

#include "kernels/column_sums.h"

namespace attn::kernels {

namespace avx2 {
void add_column_sums_range(const float* m, int64_t rows, int64_t cols, float* sums, int64_t c0, int64_t c1);
}
namespace avx512 {
void add_column_sums_range(const float* m, int64_t rows, int64_t cols, float* sums, int64_t c0, int64_t c1);
}

namespace {
constexpr int64_t kParallelMin = 65536;
constexpr int64_t kColumnGrain = 128;  // columns per split unit: whole vector blocks on every ISA
}  // namespace

void add_column_sums(const float* m, int64_t rows, int64_t cols, float* sums, Isa isa) {
  auto range = isa == Isa::avx512 ? avx512::add_column_sums_range
               : isa == Isa::avx2 ? avx2::add_column_sums_range
                                  : baseline::add_column_sums_range;
  const int64_t units = (cols + kColumnGrain - 1) / kColumnGrain;
  if (rows * cols < kParallelMin || units < 2 || omp_in_parallel()) return range(m, rows, cols, sums, 0, cols);
#pragma omp parallel
  {
    const int64_t threads = omp_get_num_threads(), t = omp_get_thread_num();
    const int64_t c0 = std::min(cols, units * t / threads * kColumnGrain);
    const int64_t c1 = std::min(cols, units * (t + 1) / threads * kColumnGrain);
    range(m, rows, cols, sums, c0, c1);
  }
}

}  // namespace attn::kernels
