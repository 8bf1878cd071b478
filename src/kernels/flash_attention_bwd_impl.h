// Backward pass of the fused attention kernel (FlashAttention-2 style), a template
// over the SIMD ops type V (see flash_attention_tiles.h), instantiated per ISA.
//
// One task = one (batch, head); key blocks of L = NR·W keys are the outer loop and
// query sub-blocks of BQB rows the inner one. Here scores are kept [query][key]
// (no max is needed: P is recomputed from the saved lse), so dQ rows accumulate in
// place in the output, and dK, dV accumulate transposed ([D][key], any D) in the
// scratch of the current key block. With S2 = Q·Kᵀ·scale·log2 e:
//   P = exp2(S2 - lse·log2 e);  dP = dO·Vᵀ;  dS = P ∘ (dP - rowsum(dO ∘ O)) · scale
//   dVᵀ += dOᵀ·P;  dKᵀ += Qᵀ·dS;  dQ += dS·K
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "kernels/flash_attention_masks.h"
#include "kernels/flash_attention_tiles.h"

namespace attn::kernels::flash {

template <class V>
struct BwdScratch {
  static constexpr int64_t L = V::NR * V::W;  // lanes of a key block, the leading dim below
  float *delta, *lse2;         // [Tq] each
  float *kt, *vt, *dkt, *dvt;  // [D][L] each
  float *pr, *ds;              // [BQB][L] each
  int32_t *lo, *hi;            // [BQB] visible key lanes of each query row
  VecRange* ranges;            // [BQB]
  float* base;
  BwdScratch(int64_t Tq, int64_t D) {
    base = scratch_alloc(2 * Tq + 4 * D * L + 2 * V::BQB * L + 4 * V::BQB);
    delta = base, lse2 = delta + Tq, kt = lse2 + Tq, vt = kt + D * L, dkt = vt + D * L, dvt = dkt + D * L;
    pr = dvt + D * L, ds = pr + V::BQB * L;
    lo = reinterpret_cast<int32_t*>(ds + V::BQB * L), hi = lo + V::BQB;
    ranges = reinterpret_cast<VecRange*>(hi + V::BQB);
  }
  ~BwdScratch() { scratch_free(base); }
  BwdScratch(const BwdScratch&) = delete;
  BwdScratch& operator=(const BwdScratch&) = delete;
};

// P rows r0..r0+R, C key vectors: exp2(Q·Kt - lse2); when lo is given, lanes outside
// [lo[r], hi[r]] (counted from lane0) get P = 0, and so do the lanes the grid rows
// (the table is symmetric: query rows over key lanes) mask.
template <class V, int R, int C>
FLASH_INLINE void prob_tile(const float* q, int64_t ldq, const float* kt, int64_t ld, int64_t D, const float* lse2,
                            const int32_t* lo, const int32_t* hi, int lane0, GridRows grid, float* pr) {
  typename V::reg acc[R][C];
  zero_tile<V, R, C>(acc);
  accumulate<V, R, C, false>(acc, D, q, ldq, kt, ld);
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
    typename V::reg ls = V::set1(lse2[r]);
#pragma GCC unroll 8
    for (int v = 0; v < C; ++v) {
      typename V::reg x = V::sub(acc[r][v], ls);
      if (lo) x = V::mask_lanes(x, lo[r] - lane0 - v * V::W, hi[r] - lane0 - v * V::W);
      if (grid.rows) x = V::mask_bits(x, grid_lane_bits<V>(grid.rows + r * grid.words, grid.pos0 + v * V::W));
      V::store(pr + r * ld + v * V::W, V::exp2(x));
    }
  }
}

// dS rows r0..r0+R, C key vectors: P ∘ (dO·Vt - delta) · scale.
template <class V, int R, int C>
FLASH_INLINE void dscore_tile(const float* dout, int64_t ldo, const float* vt, int64_t ld, int64_t D,
                              const float* delta, float scale, const float* pr, float* ds) {
  typename V::reg acc[R][C];
  zero_tile<V, R, C>(acc);
  accumulate<V, R, C, false>(acc, D, dout, ldo, vt, ld);
  const typename V::reg sc = V::set1(scale);
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
    typename V::reg dl = V::set1(delta[r]);
#pragma GCC unroll 8
    for (int v = 0; v < C; ++v) {
      typename V::reg pv = V::mul(V::load(pr + r * ld + v * V::W), sc);
      V::store(ds + r * ld + v * V::W, V::mul(pv, V::sub(acc[r][v], dl)));
    }
  }
}

// gt rows d0..d0+R, C key vectors ([D][L] transposed gradient): gt += Σ_i X[i][d] · Y[i][·].
template <class V, int R, int C>
FLASH_INLINE void grad_tile(float* gt, int64_t ld, const float* x_col, int64_t ldx, const float* y, int64_t rows) {
  typename V::reg acc[R][C];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
    for (int v = 0; v < C; ++v) acc[r][v] = V::load(gt + r * ld + v * V::W);
  accumulate<V, R, C, true>(acc, rows, x_col, ldx, y, ld);
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
    for (int v = 0; v < C; ++v) V::store(gt + r * ld + v * V::W, acc[r][v]);
}

// dQ rows r0..r0+R, columns d0..d0+NV·W (the last vector `tail` lanes when Tail):
// dq += dS · K_blk.
template <class V, int R, int NV, bool Tail>
FLASH_INLINE void dq_tile(float* dq, int64_t ldq, const float* ds, int64_t lds, const float* k, int64_t ldk,
                          int64_t keys, int tail) {
  typename V::reg acc[R][NV];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v)
      acc[r][v] = (Tail && v == NV - 1) ? V::load_tail(dq + r * ldq + v * V::W, tail)
                                        : V::load(dq + r * ldq + v * V::W);
  accumulate<V, R, NV, false, Tail>(acc, keys, ds, lds, k, ldk, tail);
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v) {
      if (Tail && v == NV - 1)
        V::store_tail(dq + r * ldq + v * V::W, acc[r][v], tail);
      else
        V::store(dq + r * ldq + v * V::W, acc[r][v]);
    }
}

template <class V, int R>
FLASH_INLINE void dq_rows(float* dq, int64_t ldq, const float* ds, int64_t lds, const float* k, int64_t ldk,
                          int64_t keys, int64_t D) {
  constexpr int64_t C = V::NR * V::W;
  int64_t d = 0;
  for (; d + C <= D; d += C) dq_tile<V, R, V::NR, false>(dq + d, ldq, ds, lds, k + d, ldk, keys, V::W);
  if (d == D) return;
  const int vecs = static_cast<int>((D - d + V::W - 1) / V::W), tail = static_cast<int>(D - d - (vecs - 1) * V::W);
  with_vecs<V::NR>(vecs, [&]<int NV>() {
    if (tail == V::W)
      dq_tile<V, R, NV, false>(dq + d, ldq, ds, lds, k + d, ldk, keys, tail);
    else
      dq_tile<V, R, NV, true>(dq + d, ldq, ds, lds, k + d, ldk, keys, tail);
  });
}

struct BwdHead {
  const float *q, *k, *v, *dout;
  float *dq, *dk, *dv;
  int64_t b;
};

// Query rows [i0, i0 + bq) against the current key block [kb, kb + bk) (in s.kt, s.vt).
// Each run of rows computes only the key vectors it sees (s.ranges): on a causal
// diagonal that is 5/8 of the block.
template <class V>
void bwd_query_rows(const FlashParams& p, const MaskGeometry& g, const BwdHead& hd, int64_t kb, int64_t bk,
                    int64_t i0, int64_t bq, bool masked, BwdScratch<V>& s) {
  constexpr int64_t L = BwdScratch<V>::L;
  constexpr int W = V::W;
  const int64_t D = p.D, ldq = p.q.stride_t, ldk = p.k.stride_t, ldo = p.o.stride_t;
  for_range_runs<V>(s.ranges, bq, [&](int64_t r0, int64_t r1, VecRange r) {
    with_vecs<V::NR>(r.b - r.a + 1, [&]<int C>() {
      const int lane0 = r.a * W;
      const int64_t keys = ((r.b + 1) * W < bk ? (r.b + 1) * W : bk) - lane0;
      for_row_tiles<V::MR>(r1 - r0, [&]<int R>(int64_t t) {
        const int64_t row = r0 + t, i = i0 + row;
        const GridRows grid{g.grid_bits ? g.grid_bits + i * g.grid_words : nullptr, g.grid_words, kb + lane0};
        prob_tile<V, R, C>(hd.q + i * ldq, ldq, s.kt + lane0, L, D, s.lse2 + i, masked ? s.lo + row : nullptr,
                           s.hi + row, lane0, grid, s.pr + row * L + lane0);
        dscore_tile<V, R, C>(hd.dout + i * ldo, ldo, s.vt + lane0, L, D, s.delta + i, p.scale,
                             s.pr + row * L + lane0, s.ds + row * L + lane0);
        dq_rows<V, R>(hd.dq + i * ldq, ldq, s.ds + row * L + lane0, L, hd.k + (kb + lane0) * ldk, ldk, keys, D);
      });
      for_row_tiles<V::MR>(D, [&]<int R>(int64_t d0) {
        grad_tile<V, R, C>(s.dvt + d0 * L + lane0, L, hd.dout + (i0 + r0) * ldo + d0, ldo, s.pr + r0 * L + lane0,
                           r1 - r0);
        grad_tile<V, R, C>(s.dkt + d0 * L + lane0, L, hd.q + (i0 + r0) * ldq + d0, ldq, s.ds + r0 * L + lane0,
                           r1 - r0);
      });
    });
  });
}

// Key block [kb, kb + bk) of one head: dK and dV rows of the block, dQ contributions.
template <class V>
void bwd_key_block(const FlashParams& p, const MaskGeometry& g, const BwdHead& hd, int64_t kb, int64_t bk,
                   BwdScratch<V>& s) {
  constexpr int64_t L = BwdScratch<V>::L;
  constexpr int W = V::W;
  constexpr float kLog2e = 1.4426950408889634f;
  const int64_t D = p.D, ldk = p.k.stride_t, ldv = p.v.stride_t;
  const int nv = static_cast<int>((bk + W - 1) / W);
  transpose<V>(hd.k + kb * ldk, ldk, bk, D, s.kt, L, p.scale * kLog2e, Walk::src_rows);  // [D][L]
  transpose<V>(hd.v + kb * ldv, ldv, bk, D, s.vt, L, 1.0f, Walk::src_rows);
  for (int64_t d = 0; d < D; ++d)
    for (int64_t j = bk; j < nv * W; ++j) s.kt[d * L + j] = 0.0f, s.vt[d * L + j] = 0.0f;
  for (int64_t i = 0; i < D * L; ++i) s.dkt[i] = 0.0f, s.dvt[i] = 0.0f;
  const Span queries = queries_of_keys(g, hd.b, kb, kb + bk);
  for (int64_t i0 = queries.begin; i0 < queries.end; i0 += V::BQB) {
    const int64_t bq = queries.end - i0 < V::BQB ? queries.end - i0 : V::BQB;
    // Lanes past bk hold zero keys: a partial block is masked so they get P = 0.
    const bool masked = bk < nv * W || !block_fully_visible(g, hd.b, i0, i0 + bq, kb, kb + bk);
    if (masked) {
      query_row_lanes(g, hd.b, i0, bq, kb, bk, s.lo, s.hi);
      vector_ranges<V>(s.lo, s.hi, bq, bk, s.ranges);
    } else {
      for (int64_t r = 0; r < bq; ++r) s.ranges[r] = {0, nv - 1};
    }
    bwd_query_rows<V>(p, g, hd, kb, bk, i0, bq, masked, s);
  }
  transpose<V>(s.dkt, L, D, bk, hd.dk + kb * ldk, ldk, 1.0f, Walk::dst_rows);  // [D][bk] -> dk rows
  transpose<V>(s.dvt, L, D, bk, hd.dv + kb * ldv, ldv, 1.0f, Walk::dst_rows);
}

template <class V>
void bwd_head(const FlashParams& p, const MaskGeometry& g, const BwdHead& hd, const float* o, const float* lse,
              BwdScratch<V>& s) {
  constexpr int64_t L = BwdScratch<V>::L;
  constexpr float kLog2e = 1.4426950408889634f;
  const int64_t D = p.D, ldq = p.q.stride_t, ldk = p.k.stride_t, ldv = p.v.stride_t, ldo = p.o.stride_t;
  for (int64_t i = 0; i < p.Tq; ++i) {
    s.delta[i] = V::dot(hd.dout + i * ldo, o + i * ldo, D);
    // A fully masked row (lse = -inf) must give P = 0: exp2(S - +inf).
    s.lse2[i] = std::isinf(lse[i]) ? std::numeric_limits<float>::infinity() : lse[i] * kLog2e;
    for (int64_t d = 0; d < D; ++d) hd.dq[i * ldq + d] = 0.0f;
  }
  const int64_t limit = key_limit(g, hd.b);
  for (int64_t kb = 0; kb < limit; kb += L) bwd_key_block<V>(p, g, hd, kb, limit - kb < L ? limit - kb : L, s);
  for (int64_t j = limit; j < p.Tk; ++j)
    for (int64_t d = 0; d < D; ++d) hd.dk[j * ldk + d] = 0.0f, hd.dv[j * ldv + d] = 0.0f;
}

template <class V>
void flash_bwd(const FlashParams& p, const float* q, const float* k, const float* v, const float* o,
               const float* dout, const float* lse, float* dq, float* dk, float* dv) {
  const std::vector<uint64_t> table = grid_table(p);
  const MaskGeometry g = mask_geometry(p, table);
  const int64_t heads = p.B * p.H;
#pragma omp parallel if (heads > 1)
  {
    BwdScratch<V> s(p.Tq, p.D);
#pragma omp for schedule(dynamic, 1)
    for (int64_t bh = 0; bh < heads; ++bh) {
      const int64_t b = bh / p.H, h = bh % p.H;
      BwdHead hd{q + b * p.q.stride_b + h * p.q.stride_h,    k + b * p.k.stride_b + h * p.k.stride_h,
                 v + b * p.v.stride_b + h * p.v.stride_h,    dout + b * p.o.stride_b + h * p.o.stride_h,
                 dq + b * p.q.stride_b + h * p.q.stride_h,   dk + b * p.k.stride_b + h * p.k.stride_h,
                 dv + b * p.v.stride_b + h * p.v.stride_h,   b};
      bwd_head<V>(p, g, hd, o + b * p.o.stride_b + h * p.o.stride_h, lse + bh * p.Tq, s);
    }
  }
}

}  // namespace attn::kernels::flash
