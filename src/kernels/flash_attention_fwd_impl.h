// Forward pass of the fused attention kernel, a template over the SIMD ops type V
// (see flash_attention_tiles.h), instantiated in the per-ISA files.
//
// One task = one (batch, head, block of L = NR·W queries). Scores are kept transposed,
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

#include <omp.h>

#include "kernels/flash_attention_masks.h"
#include "kernels/flash_attention_tiles.h"

namespace attn::kernels::flash {

template <class V>
struct FwdScratch {
  static constexpr int64_t L = V::NR * V::W;  // lanes of a query block, the leading dim of qt, ot, sc
  float *qt, *ot, *sc;                     // [D][L], [D][L], [BK][L]
  float *m, *l, *alpha, *msafe, *sum, *colmax;  // [L] each
  int32_t *lo, *hi;                        // [BK] visible query lanes of each key row
  VecRange* ranges;                        // [BK]
  float* base;
  explicit FwdScratch(int64_t D) {
    base = scratch_alloc(2 * D * L + V::BK * L + 6 * L + 4 * V::BK);
    qt = base, ot = qt + D * L, sc = ot + D * L, m = sc + V::BK * L, l = m + L, alpha = l + L, msafe = alpha + L;
    sum = msafe + L, colmax = sum + L;
    lo = reinterpret_cast<int32_t*>(colmax + L), hi = lo + V::BK;
    ranges = reinterpret_cast<VecRange*>(hi + V::BK);
  }
  ~FwdScratch() { scratch_free(base); }
  FwdScratch(const FwdScratch&) = delete;
  FwdScratch& operator=(const FwdScratch&) = delete;
};

// S^T rows r0..r0+R, C query vectors: out[r][·] = K[r]·Q^T; when lo is given, lanes
// outside [lo[r], hi[r]] (counted from lane0) become -inf, and so do the lanes the
// grid rows mask. colmax takes the lane-wise max.
template <class V, int R, int C>
FLASH_INLINE void scores_tile(const float* k, int64_t ldk, const float* qt, int64_t ld, int64_t D, float* out,
                              const int32_t* lo, const int32_t* hi, int lane0, GridRows grid, float* colmax) {
  typename V::reg acc[R][C];
  zero_tile<V, R, C>(acc);
  accumulate<V, R, C, false>(acc, D, k, ldk, qt, ld);
#pragma GCC unroll 8
  for (int v = 0; v < C; ++v) {
    typename V::reg cm = V::load(colmax + v * V::W);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      const int l0 = lane0 + v * V::W;
      typename V::reg x = lo ? V::mask_lanes(acc[r][v], lo[r] - l0, hi[r] - l0) : acc[r][v];
      if (grid.rows) x = V::mask_bits(x, grid_lane_bits<V>(grid.rows + r * grid.words, grid.pos0 + v * V::W));
      V::store(out + r * ld + v * V::W, x);
      cm = V::max(cm, x);
    }
    V::store(colmax + v * V::W, cm);
  }
}

// O^T rows d0..d0+R, C query vectors: ot = ot · alpha (if given) + Σ_j V[j][d] · P^T[j][·].
template <class V, int R, int C>
FLASH_INLINE void pv_tile(const float* v_col, int64_t ldv, const float* pt, int64_t ld, int64_t keys, float* ot,
                          const float* alpha) {
  typename V::reg acc[R][C];
#pragma GCC unroll 8
  for (int v = 0; v < C; ++v) {
    typename V::reg a = alpha ? V::load(alpha + v * V::W) : V::set1(1.0f);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) acc[r][v] = V::mul(V::load(ot + r * ld + v * V::W), a);
  }
  accumulate<V, R, C, true>(acc, keys, v_col, ldv, pt, ld);
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
    for (int v = 0; v < C; ++v) V::store(ot + r * ld + v * V::W, acc[r][v]);
}

// New running max m' = max(m, colmax), the output rescale alpha = exp2(m - m'), and
// the max to subtract, msafe (0 while a query has seen no key, so P stays 0, not NaN).
template <class V>
FLASH_INLINE typename V::reg rescale(FwdScratch<V>& s, int v) {
  typename V::reg mo = V::load(s.m + v * V::W), mn = V::max(mo, V::load(s.colmax + v * V::W));
  typename V::reg msafe = V::finite_or_zero(mn);
  V::store(s.alpha + v * V::W, V::exp2(V::sub(mo, msafe)));
  V::store(s.m + v * V::W, mn);
  return msafe;
}

// A key block every query of the block sees whole: N query vectors in registers.
template <class V, int N>
void full_block(const float* k, int64_t ldk, const float* v_rows, int64_t ldv, int64_t bk, int64_t D,
                FwdScratch<V>& s) {
  constexpr int64_t L = FwdScratch<V>::L;
  using reg = typename V::reg;
  for_row_tiles<V::MR>(bk, [&]<int R>(int64_t r0) {
    scores_tile<V, R, N>(k + r0 * ldk, ldk, s.qt, L, D, s.sc + r0 * L, nullptr, nullptr, 0, GridRows{}, s.colmax);
  });
  reg msafe[N], sum[N];
#pragma GCC unroll 8
  for (int v = 0; v < N; ++v) msafe[v] = rescale(s, v), sum[v] = V::zero();
  for (int64_t j = 0; j < bk; ++j)
#pragma GCC unroll 8
    for (int v = 0; v < N; ++v) {
      reg e = V::exp2(V::sub(V::load(s.sc + j * L + v * V::W), msafe[v]));
      V::store(s.sc + j * L + v * V::W, e);
      sum[v] = V::add(sum[v], e);
    }
#pragma GCC unroll 8
  for (int v = 0; v < N; ++v)
    V::store(s.l + v * V::W, V::fma(V::load(s.l + v * V::W), V::load(s.alpha + v * V::W), sum[v]));
  for_row_tiles<V::MR>(D, [&]<int R>(int64_t d0) {
    pv_tile<V, R, N>(v_rows + d0, ldv, s.sc, L, bk, s.ot + d0 * L, s.alpha);
  });
}

// A key block on a mask edge (causal diagonal, window edge, padding end) or under a
// grid window (`grid` for its first key row): each run of key rows computes only the
// query vectors it is visible to (s.ranges), so a causal diagonal block costs about
// 5/8 of a full one.
template <class V>
void masked_block(const float* k, int64_t ldk, const float* v_rows, int64_t ldv, int64_t bk, int64_t D, int nv,
                  GridRows grid, FwdScratch<V>& s) {
  constexpr int64_t L = FwdScratch<V>::L;
  constexpr int W = V::W;
  using reg = typename V::reg;
  for_range_runs<V>(s.ranges, bk, [&](int64_t j0, int64_t j1, VecRange r) {
    with_vecs<V::NR>(r.b - r.a + 1, [&]<int C>() {
      const int lane0 = r.a * W;
      for_row_tiles<V::MR>(j1 - j0, [&]<int R>(int64_t t) {
        const int64_t j = j0 + t;
        const GridRows rows{grid.rows ? grid.rows + j * grid.words : nullptr, grid.words, grid.pos0 + lane0};
        scores_tile<V, R, C>(k + j * ldk, ldk, s.qt + lane0, L, D, s.sc + j * L + lane0, s.lo + j, s.hi + j, lane0,
                             rows, s.colmax + lane0);
      });
    });
  });
  for (int v = 0; v < nv; ++v) V::store(s.msafe + v * W, rescale(s, v)), V::store(s.sum + v * W, V::zero());
  for_range_runs<V>(s.ranges, bk, [&](int64_t j0, int64_t j1, VecRange r) {
    with_vecs<V::NR>(r.b - r.a + 1, [&]<int C>() {
      const int lane0 = r.a * W;
      reg msafe[C], sum[C];
#pragma GCC unroll 8
      for (int c = 0; c < C; ++c) msafe[c] = V::load(s.msafe + lane0 + c * W), sum[c] = V::load(s.sum + lane0 + c * W);
      for (int64_t j = j0; j < j1; ++j)
#pragma GCC unroll 8
        for (int c = 0; c < C; ++c) {
          reg e = V::exp2(V::sub(V::load(s.sc + j * L + lane0 + c * W), msafe[c]));
          V::store(s.sc + j * L + lane0 + c * W, e);
          sum[c] = V::add(sum[c], e);
        }
#pragma GCC unroll 8
      for (int c = 0; c < C; ++c) V::store(s.sum + lane0 + c * W, sum[c]);
    });
  });
  for (int v = 0; v < nv; ++v)
    V::store(s.l + v * W, V::fma(V::load(s.l + v * W), V::load(s.alpha + v * W), V::load(s.sum + v * W)));
  // The output rescale rides on the first run when that run sees every query vector
  // (a causal diagonal); otherwise it is a pass of its own.
  int64_t first = 0;
  while (first < bk && s.ranges[first].a > s.ranges[first].b) ++first;
  const bool fused = first < bk && s.ranges[first].a == 0 && s.ranges[first].b == nv - 1;
  if (!fused)
    for (int v = 0; v < nv; ++v) {
      const reg alpha = V::load(s.alpha + v * W);
      for (int64_t d = 0; d < D; ++d) V::store(s.ot + d * L + v * W, V::mul(V::load(s.ot + d * L + v * W), alpha));
    }
  for_range_runs<V>(s.ranges, bk, [&](int64_t j0, int64_t j1, VecRange r) {
    with_vecs<V::NR>(r.b - r.a + 1, [&]<int C>() {
      const int lane0 = r.a * W;
      for_row_tiles<V::MR>(D, [&]<int R>(int64_t d0) {
        pv_tile<V, R, C>(v_rows + j0 * ldv + d0, ldv, s.sc + j0 * L + lane0, L, j1 - j0, s.ot + d0 * L + lane0,
                         fused && j0 == first ? s.alpha : nullptr);
      });
    });
  });
}

// One (b, h, query block [q0, q0 + bq)) task.
template <class V>
void fwd_query_block(const FlashParams& p, const MaskGeometry& g, const float* qh, const float* kh,
                     const float* vh, float* oh, float* lse_row, int64_t b, int64_t q0, int64_t bq,
                     FwdScratch<V>& s) {
  constexpr int64_t L = FwdScratch<V>::L;
  constexpr int W = V::W;
  constexpr float kLog2e = 1.4426950408889634f, kLn2 = 0.6931471805599453f;
  const int64_t D = p.D, ldq = p.q.stride_t, ldk = p.k.stride_t, ldv = p.v.stride_t, ldo = p.o.stride_t;
  const float kInf = std::numeric_limits<float>::infinity();
  const int nv = static_cast<int>((bq + W - 1) / W);
  Span keys = keys_of_queries(g, b, q0, q0 + bq);
  if (keys.begin >= keys.end) {
    for (int64_t i = 0; i < bq; ++i) {
      for (int64_t d = 0; d < D; ++d) oh[(q0 + i) * ldo + d] = 0.0f;
      lse_row[i] = -kInf;
    }
    return;
  }
  transpose<V>(qh + q0 * ldq, ldq, bq, D, s.qt, L, p.scale * kLog2e, Walk::src_rows);  // [D][L]
  for (int64_t d = 0; d < D; ++d)
    for (int64_t i = bq; i < nv * W; ++i) s.qt[d * L + i] = 0.0f;
  for (int64_t i = 0; i < D * L; ++i) s.ot[i] = 0.0f;
  for (int64_t i = 0; i < L; ++i) s.m[i] = -kInf, s.l[i] = 0.0f;

  for (int64_t kb = keys.begin; kb < keys.end; kb += V::BK) {
    const int64_t bk = keys.end - kb < V::BK ? keys.end - kb : V::BK;
    for (int64_t i = 0; i < L; ++i) s.colmax[i] = -kInf;
    if (block_fully_visible(g, b, q0, q0 + bq, kb, kb + bk)) {
      with_vecs<V::NR>(nv, [&]<int N>() { full_block<V, N>(kh + kb * ldk, ldk, vh + kb * ldv, ldv, bk, D, s); });
    } else {
      key_row_lanes(g, b, kb, bk, q0, s.lo, s.hi);
      vector_ranges<V>(s.lo, s.hi, bk, bq, s.ranges);
      const GridRows grid{g.grid_bits ? g.grid_bits + kb * g.grid_words : nullptr, g.grid_words, q0};
      masked_block<V>(kh + kb * ldk, ldk, vh + kb * ldv, ldv, bk, D, nv, grid, s);
    }
  }

  for (int64_t i = 0; i < bq; ++i) {
    const float li = s.l[i];
    lse_row[i] = li > 0.0f ? (s.m[i] + std::log2(li)) * kLn2 : -kInf;
    s.l[i] = li > 0.0f ? 1.0f / li : 0.0f;
  }
  for (int v = 0; v < nv; ++v) {
    const typename V::reg inv = V::load(s.l + v * W);
    for (int64_t d = 0; d < D; ++d) V::store(s.ot + d * L + v * W, V::mul(V::load(s.ot + d * L + v * W), inv));
  }
  transpose<V>(s.ot, L, D, bq, oh + q0 * ldo, ldo, 1.0f, Walk::dst_rows);  // O^T [D][bq] -> o rows
}

template <class V>
void flash_fwd(const FlashParams& p, const float* q, const float* k, const float* v, float* o, float* lse) {
  constexpr int64_t L = FwdScratch<V>::L;
  const std::vector<uint64_t> table = grid_table(p);
  const MaskGeometry g = mask_geometry(p, table);
  const int64_t blocks = (p.Tq + L - 1) / L, tasks = p.B * p.H * blocks;
  // Head-major task order: consecutive tasks of a thread share one head's K and V in L2
  // (query-block-major order streams every head from L3). With enough heads a thread
  // takes whole heads, so each head's K and V are read into one core only. Dynamic:
  // on a shared machine a thread may stall.
  const int64_t chunk = p.B * p.H >= 4 * omp_get_max_threads() ? blocks : 1;
#pragma omp parallel if (tasks > 1)
  {
    FwdScratch<V> s(p.D);
#pragma omp for schedule(dynamic, chunk)
    for (int64_t t = 0; t < tasks; ++t) {
      const int64_t bh = t / blocks, b = bh / p.H, h = bh % p.H;
      const int64_t q0 = (t % blocks) * L, bq = p.Tq - q0 < L ? p.Tq - q0 : L;
      fwd_query_block<V>(p, g, q + b * p.q.stride_b + h * p.q.stride_h, k + b * p.k.stride_b + h * p.k.stride_h,
                         v + b * p.v.stride_b + h * p.v.stride_h, o + b * p.o.stride_b + h * p.o.stride_h,
                         lse + bh * p.Tq + q0, b, q0, bq, s);
    }
  }
}

}  // namespace attn::kernels::flash
