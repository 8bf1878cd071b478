// The layer-norm kernels written once over a vector type V (kernels/simd_vec.h)
// and instantiated per ISA by layer_norm_rows.cpp (Scalar), layer_norm_rows_avx2.cpp
// and layer_norm_rows_avx512.cpp, each into its own namespace (ATTN_LAYER_NORM_ISA).
// The baseline build cannot vectorise a float reduction (that would reorder it),
// so without these the row sums ran one scalar add at a time. Each row's sums
// run in a fixed order, so results do not depend on how rows are split across threads.
#pragma once

#ifndef ATTN_LAYER_NORM_ISA
#error "define ATTN_LAYER_NORM_ISA (and ATTN_LAYER_NORM_VEC) before including kernels/layer_norm_impl.h"
#endif

#include <cmath>

#include "kernels/layer_norm_rows.h"
#include "kernels/simd_vec.h"

namespace attn::kernels::ATTN_LAYER_NORM_ISA {

namespace {
using V = simd::ATTN_LAYER_NORM_VEC;
using reg = V::reg;
constexpr int W = V::W;
constexpr int U = 4;  // independent accumulators, to hide add latency

// Σ_j term(j) over [0, c): vector terms at j for full vectors, then scalar terms
// for the tail. term(j) returns a reg, tail(j) a float.
template <class Term, class Tail>
SIMD_INLINE float row_sum(int64_t c, Term term, Tail tail) {
  reg acc[U];
  for (int u = 0; u < U; ++u) acc[u] = V::set1(0.0f);
  int64_t j = 0;
  for (; j + U * W <= c; j += U * W)
    for (int u = 0; u < U; ++u) acc[u] = V::add(acc[u], term(j + u * W));
  for (; j + W <= c; j += W) acc[0] = V::add(acc[0], term(j));
  float rest = 0.0f;
  for (; j < c; ++j) rest += tail(j);
  return V::sum(V::add(V::add(acc[0], acc[1]), V::add(acc[2], acc[3]))) + rest;
}

// Calls body(j) on full vectors and tail(j) on the remaining columns.
template <class Body, class Tail>
SIMD_INLINE void row_map(int64_t c, Body body, Tail tail) {
  int64_t j = 0;
  for (; j + W <= c; j += W) body(j);
  for (; j < c; ++j) tail(j);
}
}  // namespace

void layer_norm_fwd_rows(const LayerNormShape& s, const float* x, const float* gamma, const float* beta, float* y,
                         float* mean, float* rstd, int64_t r0, int64_t r1) {
  const int64_t c = s.cols;
  for (int64_t r = r0; r < r1; ++r) {
    const float* xr = x + r * c;
    float* yr = y + r * c;
    // Two passes: the variance of values far from zero loses nothing to cancellation.
    const float mu = row_sum(
                         c, [&](int64_t j) { return V::load(xr + j); }, [&](int64_t j) { return xr[j]; }) /
                     static_cast<float>(c);
    const reg muv = V::set1(mu);
    const float sq = row_sum(
        c,
        [&](int64_t j) {
          const reg d = V::sub(V::load(xr + j), muv);
          return V::mul(d, d);
        },
        [&](int64_t j) { return (xr[j] - mu) * (xr[j] - mu); });
    const float rs = 1.0f / std::sqrt(sq / static_cast<float>(c) + s.eps);
    const reg rsv = V::set1(rs);
    row_map(
        c,
        [&](int64_t j) {
          const reg xhat = V::mul(V::sub(V::load(xr + j), muv), rsv);
          V::store(yr + j, V::fma(xhat, V::load(gamma + j), V::load(beta + j)));
        },
        [&](int64_t j) { yr[j] = (xr[j] - mu) * rs * gamma[j] + beta[j]; });
    mean[r] = mu;
    rstd[r] = rs;
  }
}

void layer_norm_bwd_dx_rows(const LayerNormShape& s, const LayerNormSaved& saved, const float* dy,
                            const LayerNormGrads& grads, int64_t r0, int64_t r1) {
  const int64_t c = s.cols;
  const float *x = saved.x, *gamma = saved.gamma, *mean = saved.mean, *rstd = saved.rstd;
  float* dx = grads.dx;
  const bool accumulate = grads.accumulate_dx;
  for (int64_t r = r0; r < r1; ++r) {
    const float* xr = x + r * c;
    const float* dyr = dy + r * c;
    float* dxr = dx + r * c;
    const float mu = mean[r], rs = rstd[r];
    const reg muv = V::set1(mu), rsv = V::set1(rs);
    auto xhat = [&](int64_t j) { return V::mul(V::sub(V::load(xr + j), muv), rsv); };
    auto g = [&](int64_t j) { return V::mul(V::load(dyr + j), V::load(gamma + j)); };
    const float mean_g = row_sum(c, g, [&](int64_t j) { return dyr[j] * gamma[j]; }) / static_cast<float>(c);
    const float mean_gx = row_sum(
                              c, [&](int64_t j) { return V::mul(g(j), xhat(j)); },
                              [&](int64_t j) { return dyr[j] * gamma[j] * (xr[j] - mu) * rs; }) /
                          static_cast<float>(c);
    const reg mgv = V::set1(mean_g), mgxv = V::set1(mean_gx);
    row_map(
        c,
        [&](int64_t j) {
          const reg d = V::mul(rsv, V::sub(V::sub(g(j), mgv), V::mul(xhat(j), mgxv)));
          V::store(dxr + j, accumulate ? V::add(V::load(dxr + j), d) : d);
        },
        [&](int64_t j) {
          const float d = rs * (dyr[j] * gamma[j] - mean_g - (xr[j] - mu) * rs * mean_gx);
          dxr[j] = accumulate ? dxr[j] + d : d;
        });
  }
}

void layer_norm_bwd_param_cols(const LayerNormShape& s, const LayerNormSaved& saved, const float* dy,
                               const LayerNormGrads& grads, int64_t j0, int64_t j1) {
  const int64_t c = s.cols;
  const float *x = saved.x, *mean = saved.mean, *rstd = saved.rstd;
  float *dgamma = grads.dgamma, *dbeta = grads.dbeta;
  for (int64_t r = 0; r < s.rows; ++r) {  // rows in order: each column sums the same way for any split
    const float* xr = x + r * c;
    const float* dyr = dy + r * c;
    const float mu = mean[r], rs = rstd[r];
    const reg muv = V::set1(mu), rsv = V::set1(rs);
    int64_t j = j0;
    for (; j + W <= j1; j += W) {
      const reg d = V::load(dyr + j);
      if (dgamma) V::store(dgamma + j, V::fma(d, V::mul(V::sub(V::load(xr + j), muv), rsv), V::load(dgamma + j)));
      if (dbeta) V::store(dbeta + j, V::add(V::load(dbeta + j), d));
    }
    for (; j < j1; ++j) {
      if (dgamma) dgamma[j] += dyr[j] * ((xr[j] - mu) * rs);
      if (dbeta) dbeta[j] += dyr[j];
    }
  }
}

}  // namespace attn::kernels::ATTN_LAYER_NORM_ISA
