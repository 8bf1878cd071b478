// Forward pass of the fused attention kernel, a template over the SIMD ops type V
// (see flash_attention_tiles.h), instantiated in the per-ISA files.
//
// One task = one (batch, head, block of L = N·W queries). Scores are kept transposed,
// S^T [key][query], so the online-softmax max and sum over keys are lane-wise ops on
// query vectors; the output is accumulated transposed too, O^T [D][query], so any D
// works without a tail. Work: per key block of BK keys
//   S^T = K_blk · (Q^T · scale · log2 e)     (log2 domain)
//   m' = max(m, colmax S^T);  P^T = exp2(S^T - m');  l = l · exp2(m - m') + colsum P^T
//   O^T = O^T · exp2(m - m') + V_blkᵀ · P^T
// and at the end o = O / l, lse = (m + log2 l) · ln 2.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "kernels/flash_attention_masks.h"
#include "kernels/flash_attention_tiles.h"

namespace attn::kernels::flash {

template <class V>
struct FwdScratch {
  float *qt, *ot, *sc, *m, *l, *alpha, *colmax;  // [D][L], [D][L], [BK][L], then [L] each
  int32_t *lo, *hi;                              // [BK]
  float* base;
  FwdScratch(int64_t D) {
    constexpr int64_t L = V::NR * V::W;
    base = scratch_alloc(2 * D * L + V::BK * L + 4 * L + 2 * V::BK);
    qt = base, ot = qt + D * L, sc = ot + D * L, m = sc + V::BK * L, l = m + L, alpha = l + L, colmax = alpha + L;
    lo = reinterpret_cast<int32_t*>(colmax + L), hi = lo + V::BK;
  }
  ~FwdScratch() { scratch_free(base); }
  FwdScratch(const FwdScratch&) = delete;
  FwdScratch& operator=(const FwdScratch&) = delete;
};

// S^T rows r0..r0+R of a key block: out[r][·] = K[r]·Q^T (masked lanes -inf); colmax
// takes the lane-wise max.
template <class V, int R, int N>
FLASH_INLINE void scores_tile(const float* k, int64_t ldk, const float* qt, int64_t D, float* out,
                              const int32_t* lo, const int32_t* hi, float* colmax) {
  constexpr int L = N * V::W;
  typename V::reg acc[R][N];
  zero_tile<V, R, N>(acc);
  accumulate<V, R, N, false>(acc, D, k, ldk, qt, L);
#pragma GCC unroll 8
  for (int v = 0; v < N; ++v) {
    typename V::reg cm = V::load(colmax + v * V::W);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      typename V::reg x = lo ? V::mask_lanes(acc[r][v], lo[r] - v * V::W, hi[r] - v * V::W) : acc[r][v];
      V::store(out + r * L + v * V::W, x);
      cm = V::max(cm, x);
    }
    V::store(colmax + v * V::W, cm);
  }
}

// Turns the score block into probabilities in place and updates the running max m,
// sum l and the rescale factor alpha of the output.
template <class V, int N>
FLASH_INLINE void softmax_update(float* sc, int64_t bk, FwdScratch<V>& s) {
  constexpr int L = N * V::W;
  using reg = typename V::reg;
  reg msafe[N], sum[N];
#pragma GCC unroll 8
  for (int v = 0; v < N; ++v) {
    reg mo = V::load(s.m + v * V::W), mn = V::max(mo, V::load(s.colmax + v * V::W));
    // A query with no visible key so far keeps m = -inf; subtract 0 so P stays 0, not NaN.
    msafe[v] = V::finite_or_zero(mn);
    V::store(s.alpha + v * V::W, V::exp2(V::sub(mo, msafe[v])));
    V::store(s.m + v * V::W, mn);
    sum[v] = V::zero();
  }
  for (int64_t j = 0; j < bk; ++j)
#pragma GCC unroll 8
    for (int v = 0; v < N; ++v) {
      reg e = V::exp2(V::sub(V::load(sc + j * L + v * V::W), msafe[v]));
      V::store(sc + j * L + v * V::W, e);
      sum[v] = V::add(sum[v], e);
    }
#pragma GCC unroll 8
  for (int v = 0; v < N; ++v)
    V::store(s.l + v * V::W, V::fma(V::load(s.l + v * V::W), V::load(s.alpha + v * V::W), sum[v]));
}

// O^T rows d0..d0+R: ot = ot · alpha + Σ_j V[j][d] · P^T[j][·].
template <class V, int R, int N>
FLASH_INLINE void pv_tile(const float* v_col, int64_t ldv, const float* pt, int64_t bk, float* ot,
                          const float* alpha) {
  constexpr int L = N * V::W;
  typename V::reg acc[R][N];
#pragma GCC unroll 8
  for (int v = 0; v < N; ++v) {
    typename V::reg a = V::load(alpha + v * V::W);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) acc[r][v] = V::mul(V::load(ot + r * L + v * V::W), a);
  }
  accumulate<V, R, N, true>(acc, bk, v_col, ldv, pt, L);
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
    for (int v = 0; v < N; ++v) V::store(ot + r * L + v * V::W, acc[r][v]);
}

// One (b, h, query block [q0, q0 + bq)) task with N query vectors.
template <class V, int N>
void fwd_query_block(const FlashParams& p, const MaskGeometry& g, const float* qh, const float* kh,
                     const float* vh, float* oh, float* lse_row, int64_t b, int64_t q0, int64_t bq,
                     FwdScratch<V>& s) {
  constexpr int L = N * V::W;
  constexpr float kLog2e = 1.4426950408889634f, kLn2 = 0.6931471805599453f;
  const int64_t D = p.D, ldq = p.q.stride_t, ldk = p.k.stride_t, ldv = p.v.stride_t, ldo = p.o.stride_t;
  const float kInf = std::numeric_limits<float>::infinity();
  Span keys = keys_of_queries(g, b, q0, q0 + bq);
  if (keys.begin >= keys.end) {
    for (int64_t i = 0; i < bq; ++i) {
      for (int64_t d = 0; d < D; ++d) oh[(q0 + i) * ldo + d] = 0.0f;
      lse_row[i] = -kInf;
    }
    return;
  }
  transpose_in<V>(qh + q0 * ldq, ldq, bq, D, s.qt, L, L, p.scale * kLog2e);  // [D][L]
  for (int64_t i = 0; i < D * L; ++i) s.ot[i] = 0.0f;
  for (int64_t i = 0; i < L; ++i) s.m[i] = -kInf, s.l[i] = 0.0f;

  for (int64_t kb = keys.begin; kb < keys.end; kb += V::BK) {
    const int64_t bk = keys.end - kb < V::BK ? keys.end - kb : V::BK;
    const bool masked = !block_fully_visible(g, b, q0, q0 + bq, kb, kb + bk);
    if (masked) key_row_lanes(g, b, kb, bk, q0, s.lo, s.hi);
    for (int64_t i = 0; i < L; ++i) s.colmax[i] = -kInf;
    for_row_tiles<V::MR>(bk, [&]<int R>(int64_t r0) {
      scores_tile<V, R, N>(kh + (kb + r0) * ldk, ldk, s.qt, D, s.sc + r0 * L, masked ? s.lo + r0 : nullptr,
                           s.hi + r0, s.colmax);
    });
    softmax_update<V, N>(s.sc, bk, s);
    for_row_tiles<V::MR>(D, [&]<int R>(int64_t d0) {
      pv_tile<V, R, N>(vh + kb * ldv + d0, ldv, s.sc, bk, s.ot + d0 * L, s.alpha);
    });
  }

  for (int64_t i = 0; i < bq; ++i) {
    const float li = s.l[i];
    lse_row[i] = li > 0.0f ? (s.m[i] + std::log2(li)) * kLn2 : -kInf;
    s.l[i] = li > 0.0f ? 1.0f / li : 0.0f;
  }
  transpose_out<V>(s.ot, L, bq, D, oh + q0 * ldo, ldo, s.l);
}

template <class V>
void flash_fwd(const FlashParams& p, const float* q, const float* k, const float* v, float* o, float* lse) {
  constexpr int64_t L = V::NR * V::W;
  const MaskGeometry g = mask_geometry(p);
  const int64_t blocks = (p.Tq + L - 1) / L, tasks = p.B * p.H * blocks;
  // Head-major task order: consecutive tasks of a thread share one head's K and V in L2.
#pragma omp parallel if (tasks > 1)
  {
    FwdScratch<V> s(p.D);
#pragma omp for schedule(static)
    for (int64_t t = 0; t < tasks; ++t) {
      const int64_t bh = t / blocks, b = bh / p.H, h = bh % p.H;
      const int64_t q0 = (t % blocks) * L, bq = p.Tq - q0 < L ? p.Tq - q0 : L;
      const float* qh = q + b * p.q.stride_b + h * p.q.stride_h;
      const float* kh = k + b * p.k.stride_b + h * p.k.stride_h;
      const float* vh = v + b * p.v.stride_b + h * p.v.stride_h;
      float* oh = o + b * p.o.stride_b + h * p.o.stride_h;
      float* lse_row = lse + bh * p.Tq + q0;
      with_vecs<V::NR>(static_cast<int>((bq + V::W - 1) / V::W), [&]<int N>() {
        fwd_query_block<V, N>(p, g, qh, kh, vh, oh, lse_row, b, q0, bq, s);
      });
    }
  }
}

}  // namespace attn::kernels::flash
