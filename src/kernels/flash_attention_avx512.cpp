// AVX-512 instantiation of the fused attention kernels: 16 query (or key) lanes per
// zmm register, 6 × 4-register tiles (24 accumulators), exp2 by a degree-5
// polynomial and vscalefps.
#include <immintrin.h>

// GCC 12 warns falsely inside its own AVX-512 intrinsics (their "undefined" operand
// is a self-initialised variable, GCC bug 105593).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

#include "kernels/flash_attention_bwd_impl.h"
#include "kernels/flash_attention_fwd_impl.h"

namespace attn::kernels::flash {

namespace {
struct Avx512 {
  using reg = __m512;
  static constexpr int W = 16, MR = 6, NR = 4, TB = 16;
  static constexpr int64_t BK = 64, BQB = 64;

  static FLASH_INLINE reg zero() { return _mm512_setzero_ps(); }
  static FLASH_INLINE reg load(const float* p) { return _mm512_loadu_ps(p); }
  static FLASH_INLINE void store(float* p, reg x) { _mm512_storeu_ps(p, x); }
  static FLASH_INLINE __mmask16 first(int n) { return static_cast<__mmask16>((1u << n) - 1u); }
  static FLASH_INLINE reg load_tail(const float* p, int n) { return _mm512_maskz_loadu_ps(first(n), p); }
  static FLASH_INLINE void store_tail(float* p, reg x, int n) { _mm512_mask_storeu_ps(p, first(n), x); }
  static FLASH_INLINE reg set1(float x) { return _mm512_set1_ps(x); }
  static FLASH_INLINE reg fma(reg a, reg b, reg c) { return _mm512_fmadd_ps(a, b, c); }
  static FLASH_INLINE reg mul(reg a, reg b) { return _mm512_mul_ps(a, b); }
  static FLASH_INLINE reg add(reg a, reg b) { return _mm512_add_ps(a, b); }
  static FLASH_INLINE reg sub(reg a, reg b) { return _mm512_sub_ps(a, b); }
  static FLASH_INLINE reg max(reg a, reg b) { return _mm512_max_ps(a, b); }

  static FLASH_INLINE reg finite_or_zero(reg x) {
    __mmask16 ninf = _mm512_cmp_ps_mask(x, set1(-__builtin_inff()), _CMP_EQ_OQ);
    return _mm512_mask_mov_ps(x, ninf, zero());
  }
  // Lanes l outside [lo, hi] become -inf.
  static FLASH_INLINE reg mask_lanes(reg x, int lo, int hi) {
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __mmask16 keep = _mm512_cmpge_epi32_mask(lane, _mm512_set1_epi32(lo)) &
                     _mm512_cmple_epi32_mask(lane, _mm512_set1_epi32(hi));
    return _mm512_mask_mov_ps(set1(-__builtin_inff()), keep, x);
  }
  // Lanes whose bit is 0 become -inf.
  static FLASH_INLINE reg mask_bits(reg x, uint32_t bits) {
    return _mm512_mask_mov_ps(set1(-__builtin_inff()), static_cast<__mmask16>(bits), x);
  }
  // 2^x: 2^f for f = x - round(x) in [-1/2, 1/2] by a minimax polynomial (relative
  // error 2.2e-7), times 2^round(x) by vscalefps. x < -126 (and -inf) gives exactly 0.
  static FLASH_INLINE reg exp2(reg x) {
    __mmask16 live = _mm512_cmp_ps_mask(x, set1(-126.0f), _CMP_GE_OQ);
    reg n = _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    reg f = sub(x, n);
    reg p = fma(set1(1.3266970636e-3f), f, set1(9.6754599362e-3f));
    p = fma(p, f, set1(5.5507425219e-2f));
    p = fma(p, f, set1(2.4022121727e-1f));
    p = fma(p, f, set1(6.9314694405e-1f));
    p = fma(p, f, set1(1.0000001192e+0f));
    return _mm512_maskz_scalef_ps(live, p, n);
  }

  static FLASH_INLINE float dot(const float* a, const float* b, int64_t n) {
    reg acc = zero();
    int64_t i = 0;
    for (; i + W <= n; i += W) acc = fma(load(a + i), load(b + i), acc);
    if (i < n) acc = fma(load_tail(a + i, static_cast<int>(n - i)), load_tail(b + i, static_cast<int>(n - i)), acc);
    return _mm512_reduce_add_ps(acc);
  }

  // dst[x·ldd + y] = src[y·lds + x] · c for a 16 × 16 block, in registers.
  static FLASH_INLINE void transpose_block(const float* src, int64_t lds, float* dst, int64_t ldd, float c) {
    reg r[16], t[16];
    for (int i = 0; i < 16; ++i) r[i] = load(src + i * lds);
    for (int i = 0; i < 16; i += 2) {
      t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
      t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 16; i += 4) {  // 128-bit lane k of r[i + c] now holds column 4k + c of rows i..i+3
      __m512d a = _mm512_castps_pd(t[i]), b = _mm512_castps_pd(t[i + 1]);
      __m512d e = _mm512_castps_pd(t[i + 2]), f = _mm512_castps_pd(t[i + 3]);
      r[i] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, e));
      r[i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, e));
      r[i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, f));
      r[i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, f));
    }
    for (int c4 = 0; c4 < 4; ++c4) {
      t[c4] = _mm512_shuffle_f32x4(r[c4], r[c4 + 4], 0x88);
      t[c4 + 4] = _mm512_shuffle_f32x4(r[c4], r[c4 + 4], 0xdd);
      t[c4 + 8] = _mm512_shuffle_f32x4(r[c4 + 8], r[c4 + 12], 0x88);
      t[c4 + 12] = _mm512_shuffle_f32x4(r[c4 + 8], r[c4 + 12], 0xdd);
    }
    const reg scale = set1(c);
    for (int c4 = 0; c4 < 4; ++c4) {
      store(dst + c4 * ldd, mul(_mm512_shuffle_f32x4(t[c4], t[c4 + 8], 0x88), scale));
      store(dst + (c4 + 4) * ldd, mul(_mm512_shuffle_f32x4(t[c4 + 4], t[c4 + 12], 0x88), scale));
      store(dst + (c4 + 8) * ldd, mul(_mm512_shuffle_f32x4(t[c4], t[c4 + 8], 0xdd), scale));
      store(dst + (c4 + 12) * ldd, mul(_mm512_shuffle_f32x4(t[c4 + 4], t[c4 + 12], 0xdd), scale));
    }
  }
};
}  // namespace

void fwd_avx512(const FlashParams& p, const float* q, const float* k, const float* v, float* o, float* lse) {
  flash_fwd<Avx512>(p, q, k, v, o, lse);
}

void bwd_avx512(const FlashParams& p, const float* q, const float* k, const float* v, const float* o,
                const float* dout, const float* lse, float* dq, float* dk, float* dv) {
  flash_bwd<Avx512>(p, q, k, v, o, dout, lse, dq, dk, dv);
}

}  // namespace attn::kernels::flash
