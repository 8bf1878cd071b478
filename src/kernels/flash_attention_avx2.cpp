// AVX2 + FMA instantiation of the fused attention kernels: 8 lanes per ymm
// register, 6 × 2-register tiles (12 of the 16 registers as accumulators).
#include <immintrin.h>

#include "kernels/flash_attention_bwd_impl.h"
#include "kernels/flash_attention_fwd_impl.h"

namespace attn::kernels::flash {

namespace {
struct Avx2 {
  using reg = __m256;
  static constexpr int W = 8, MR = 6, NR = 2, TB = 8;
  static constexpr int64_t BK = 64, BQB = 64;

  static FLASH_INLINE reg zero() { return _mm256_setzero_ps(); }
  static FLASH_INLINE reg load(const float* p) { return _mm256_loadu_ps(p); }
  static FLASH_INLINE void store(float* p, reg x) { _mm256_storeu_ps(p, x); }
  static FLASH_INLINE __m256i first(int n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static FLASH_INLINE reg load_tail(const float* p, int n) { return _mm256_maskload_ps(p, first(n)); }
  static FLASH_INLINE void store_tail(float* p, reg x, int n) { _mm256_maskstore_ps(p, first(n), x); }
  static FLASH_INLINE reg set1(float x) { return _mm256_set1_ps(x); }
  static FLASH_INLINE reg fma(reg a, reg b, reg c) { return _mm256_fmadd_ps(a, b, c); }
  static FLASH_INLINE reg mul(reg a, reg b) { return _mm256_mul_ps(a, b); }
  static FLASH_INLINE reg add(reg a, reg b) { return _mm256_add_ps(a, b); }
  static FLASH_INLINE reg sub(reg a, reg b) { return _mm256_sub_ps(a, b); }
  static FLASH_INLINE reg max(reg a, reg b) { return _mm256_max_ps(a, b); }

  static FLASH_INLINE reg finite_or_zero(reg x) {
    return _mm256_blendv_ps(x, zero(), _mm256_cmp_ps(x, set1(-__builtin_inff()), _CMP_EQ_OQ));
  }
  // Lanes l outside [lo, hi] become -inf.
  static FLASH_INLINE reg mask_lanes(reg x, int lo, int hi) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    __m256i keep = _mm256_andnot_si256(_mm256_cmpgt_epi32(_mm256_set1_epi32(lo), lane),
                                       _mm256_cmpgt_epi32(_mm256_set1_epi32(hi + 1), lane));
    return _mm256_blendv_ps(set1(-__builtin_inff()), x, _mm256_castsi256_ps(keep));
  }
  // Lanes whose bit is 0 become -inf.
  static FLASH_INLINE reg mask_bits(reg x, uint32_t bits) {
    const __m256i lane_bit = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
    __m256i keep = _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_set1_epi32(static_cast<int>(bits)), lane_bit), lane_bit);
    return _mm256_blendv_ps(set1(-__builtin_inff()), x, _mm256_castsi256_ps(keep));
  }
  // 2^x as in the AVX-512 variant, with 2^round(x) built in the exponent bits.
  static FLASH_INLINE reg exp2(reg x) {
    reg live = _mm256_cmp_ps(x, set1(-126.0f), _CMP_GE_OQ);
    reg xc = _mm256_min_ps(_mm256_max_ps(x, set1(-126.0f)), set1(127.0f));
    reg n = _mm256_round_ps(xc, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    reg f = sub(xc, n);
    reg p = fma(set1(1.3266970636e-3f), f, set1(9.6754599362e-3f));
    p = fma(p, f, set1(5.5507425219e-2f));
    p = fma(p, f, set1(2.4022121727e-1f));
    p = fma(p, f, set1(6.9314694405e-1f));
    p = fma(p, f, set1(1.0000001192e+0f));
    __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_and_ps(mul(p, _mm256_castsi256_ps(bits)), live);
  }

  static FLASH_INLINE float dot(const float* a, const float* b, int64_t n) {
    reg acc = zero();
    int64_t i = 0;
    for (; i + W <= n; i += W) acc = fma(load(a + i), load(b + i), acc);
    if (i < n) acc = fma(load_tail(a + i, static_cast<int>(n - i)), load_tail(b + i, static_cast<int>(n - i)), acc);
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
    h = _mm_hadd_ps(h, h);
    return _mm_cvtss_f32(_mm_hadd_ps(h, h));
  }

  // dst[x·ldd + y] = src[y·lds + x] · c for an 8 × 8 block, in registers.
  static FLASH_INLINE void transpose_block(const float* src, int64_t lds, float* dst, int64_t ldd, float c) {
    reg r[8], t[8];
    for (int i = 0; i < 8; ++i) r[i] = load(src + i * lds);
    for (int i = 0; i < 8; i += 2) {
      t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
      t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {  // 128-bit lane k of r[i + c] now holds column 4k + c of rows i..i+3
      r[i] = _mm256_shuffle_ps(t[i], t[i + 2], 0x44);
      r[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], 0xee);
      r[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0x44);
      r[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0xee);
    }
    const reg scale = set1(c);
    for (int c4 = 0; c4 < 4; ++c4) {
      store(dst + c4 * ldd, mul(_mm256_permute2f128_ps(r[c4], r[c4 + 4], 0x20), scale));
      store(dst + (c4 + 4) * ldd, mul(_mm256_permute2f128_ps(r[c4], r[c4 + 4], 0x31), scale));
    }
  }
};
}  // namespace

void fwd_avx2(const FlashParams& p, const float* q, const float* k, const float* v, float* o, float* lse) {
  flash_fwd<Avx2>(p, q, k, v, o, lse);
}

void bwd_avx2(const FlashParams& p, const float* q, const float* k, const float* v, const float* o,
              const float* dout, const float* lse, float* dq, float* dk, float* dv) {
  flash_bwd<Avx2>(p, q, k, v, o, dout, lse, dq, dk, dv);
}

}  // namespace attn::kernels::flash
