// The column-sum kernel written once over a vector type V (kernels/simd_vec.h)
// and instantiated per ISA by column_sums.cpp (Scalar), column_sums_avx2.cpp and
// column_sums_avx512.cpp, each into its own namespace (ATTN_COLUMN_SUMS_ISA).
#pragma once

#ifndef ATTN_COLUMN_SUMS_ISA
#error "define ATTN_COLUMN_SUMS_ISA (and ATTN_COLUMN_SUMS_VEC) before including kernels/column_sums_impl.h"
#endif

#include <cstdint>

#include "kernels/simd_vec.h"

namespace attn::kernels::ATTN_COLUMN_SUMS_ISA {

namespace {
using V = simd::ATTN_COLUMN_SUMS_VEC;
using reg = V::reg;
constexpr int W = V::W;
constexpr int U = 8;  // vectors of columns held in registers while the rows stream past
}  // namespace

// sums[c] += Σ_r m[r, c] for c in [c0, c1).
void add_column_sums_range(const float* m, int64_t rows, int64_t cols, float* sums, int64_t c0, int64_t c1) {
  int64_t c = c0;
  for (; c + U * W <= c1; c += U * W) {
    reg acc[U];
    for (int u = 0; u < U; ++u) acc[u] = V::load(sums + c + u * W);
    for (int64_t r = 0; r < rows; ++r)
      for (int u = 0; u < U; ++u) acc[u] = V::add(acc[u], V::load(m + r * cols + c + u * W));
    for (int u = 0; u < U; ++u) V::store(sums + c + u * W, acc[u]);
  }
  for (; c + W <= c1; c += W) {
    reg acc = V::load(sums + c);
    for (int64_t r = 0; r < rows; ++r) acc = V::add(acc, V::load(m + r * cols + c));
    V::store(sums + c, acc);
  }
  for (; c < c1; ++c) {
    float acc = sums[c];
    for (int64_t r = 0; r < rows; ++r) acc += m[r * cols + c];
    sums[c] = acc;
  }
}

}  // namespace attn::kernels::ATTN_COLUMN_SUMS_ISA
