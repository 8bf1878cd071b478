// Thin vector types for kernels written once as templates over V and
// instantiated per ISA (losses_*.cpp, dropout_*.cpp): V::reg holds W floats,
// V::ureg W uint32 lanes. Each type is defined only where its ISA is enabled
// (Avx512 in *_avx512.cpp, Avx2 also in *_avx2.cpp, Scalar everywhere) and has
// internal linkage, so no code compiled for one ISA is linked into another.
// Not here: the kernels themselves, and attention's own types (flash_attention_*).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

#define SIMD_INLINE inline __attribute__((always_inline))

namespace attn::kernels::simd {

namespace {

#if defined(__AVX512F__)
struct Avx512 {
  using reg = __m512;
  using ureg = __m512i;
  static constexpr int W = 16;

  static SIMD_INLINE __mmask16 first(int n) { return static_cast<__mmask16>((1u << n) - 1u); }
  static SIMD_INLINE reg set1(float x) { return _mm512_set1_ps(x); }
  static SIMD_INLINE reg load(const float* p) { return _mm512_loadu_ps(p); }
  static SIMD_INLINE void store(float* p, reg x) { _mm512_storeu_ps(p, x); }
  // Lanes [n, W) read as `fill` (no memory touched there); stores leave them alone.
  static SIMD_INLINE reg load_tail(const float* p, int n, float fill) {
    return _mm512_mask_loadu_ps(set1(fill), first(n), p);
  }
  static SIMD_INLINE void store_tail(float* p, reg x, int n) { _mm512_mask_storeu_ps(p, first(n), x); }
  static SIMD_INLINE reg add(reg a, reg b) { return _mm512_add_ps(a, b); }
  static SIMD_INLINE reg sub(reg a, reg b) { return _mm512_sub_ps(a, b); }
  static SIMD_INLINE reg mul(reg a, reg b) { return _mm512_mul_ps(a, b); }
  static SIMD_INLINE reg fma(reg a, reg b, reg c) { return _mm512_fmadd_ps(a, b, c); }
  static SIMD_INLINE reg max(reg a, reg b) { return _mm512_max_ps(a, b); }
  // Clamps that let NaN through: maxps/minps return their second operand when one is NaN.
  static SIMD_INLINE reg clamp(reg x, float lo, float hi) {
    return _mm512_min_ps(set1(hi), _mm512_max_ps(set1(lo), x));
  }
  static SIMD_INLINE reg round(reg x) {
    return _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  }
  // p · 2ⁿ for integral n in [-150, 128], rounded once (denormals and overflow included).
  static SIMD_INLINE reg scale2(reg p, reg n) { return _mm512_scalef_ps(p, n); }
  static SIMD_INLINE float sum(reg x) { return _mm512_reduce_add_ps(x); }
  static SIMD_INLINE float hmax(reg x) { return _mm512_reduce_max_ps(x); }

  static SIMD_INLINE ureg uset1(uint32_t x) { return _mm512_set1_epi32(static_cast<int>(x)); }
  static SIMD_INLINE ureg uadd(ureg a, ureg b) { return _mm512_add_epi32(a, b); }
  static SIMD_INLINE ureg xor3(ureg a, ureg b, ureg c) { return _mm512_ternarylogic_epi32(a, b, c, 0x96); }
  // The 64-bit products a·m per lane, split into high and low words. vpmuludq
  // multiplies even lanes, so odd lanes go through a 32-bit shift; one masked
  // word swap per result moves each half into its lane.
  static SIMD_INLINE void mulhilo(ureg a, uint32_t m, ureg& hi, ureg& lo) {
    const ureg mv = uset1(m);
    const ureg even = _mm512_mul_epu32(a, mv), odd = _mm512_mul_epu32(_mm512_srli_epi64(a, 32), mv);
    hi = _mm512_mask_shuffle_epi32(odd, 0x5555, even, _MM_PERM_CDAB);
    lo = _mm512_mask_shuffle_epi32(even, 0xAAAA, odd, _MM_PERM_CDAB);
  }
  // Lane 4L + k of a Philox batch computes block 4k + L, so that the in-lane 4 × 4
  // transpose in store_blocks leaves the 16 blocks' words in block order.
  static SIMD_INLINE ureg block_offsets() {
    return _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
  }
  static SIMD_INLINE void store_blocks(uint32_t* out, ureg c0, ureg c1, ureg c2, ureg c3) {
    const ureg a = _mm512_unpacklo_epi32(c0, c1), b = _mm512_unpackhi_epi32(c0, c1);
    const ureg c = _mm512_unpacklo_epi32(c2, c3), d = _mm512_unpackhi_epi32(c2, c3);
    _mm512_storeu_si512(out, _mm512_unpacklo_epi64(a, c));
    _mm512_storeu_si512(out + 16, _mm512_unpackhi_epi64(a, c));
    _mm512_storeu_si512(out + 32, _mm512_unpacklo_epi64(b, d));
    _mm512_storeu_si512(out + 48, _mm512_unpackhi_epi64(b, d));
  }
  // Bit l set when (p[l] >> 8) >= t (t <= 2^24, so the signed compare is exact).
  static SIMD_INLINE uint32_t at_least(const uint32_t* p, uint32_t t) {
    const ureg v = _mm512_srli_epi32(_mm512_loadu_si512(p), 8);
    return _mm512_cmpge_epi32_mask(v, uset1(t));
  }
  // Lane l is x where bit l is set, else 0.
  static SIMD_INLINE reg where(uint32_t bits, reg x) {
    return _mm512_maskz_mov_ps(static_cast<__mmask16>(bits), x);
  }
  // Bit l set when x[l] > 0 (NaN is not).
  static SIMD_INLINE uint32_t positive(reg x) { return _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GT_OQ); }
};
#endif

#if defined(__AVX2__)
struct Avx2 {
  using reg = __m256;
  using ureg = __m256i;
  static constexpr int W = 8;

  static SIMD_INLINE __m256i first(int n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static SIMD_INLINE reg set1(float x) { return _mm256_set1_ps(x); }
  static SIMD_INLINE reg load(const float* p) { return _mm256_loadu_ps(p); }
  static SIMD_INLINE void store(float* p, reg x) { _mm256_storeu_ps(p, x); }
  static SIMD_INLINE reg load_tail(const float* p, int n, float fill) {
    const __m256i m = first(n);
    return _mm256_blendv_ps(set1(fill), _mm256_maskload_ps(p, m), _mm256_castsi256_ps(m));
  }
  static SIMD_INLINE void store_tail(float* p, reg x, int n) { _mm256_maskstore_ps(p, first(n), x); }
  static SIMD_INLINE reg add(reg a, reg b) { return _mm256_add_ps(a, b); }
  static SIMD_INLINE reg sub(reg a, reg b) { return _mm256_sub_ps(a, b); }
  static SIMD_INLINE reg mul(reg a, reg b) { return _mm256_mul_ps(a, b); }
  static SIMD_INLINE reg fma(reg a, reg b, reg c) { return _mm256_fmadd_ps(a, b, c); }
  static SIMD_INLINE reg max(reg a, reg b) { return _mm256_max_ps(a, b); }
  static SIMD_INLINE reg clamp(reg x, float lo, float hi) {
    return _mm256_min_ps(set1(hi), _mm256_max_ps(set1(lo), x));
  }
  static SIMD_INLINE reg round(reg x) { return _mm256_round_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  // 2ⁿ as two exponent-field halves, so n may reach into the denormal range.
  static SIMD_INLINE reg scale2(reg p, reg n) {
    const __m256i ni = _mm256_cvtps_epi32(n), n1 = _mm256_srai_epi32(ni, 1), n2 = _mm256_sub_epi32(ni, n1);
    const __m256i bias = _mm256_set1_epi32(127);
    const reg s1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n1, bias), 23));
    const reg s2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n2, bias), 23));
    return mul(mul(p, s1), s2);
  }
  static SIMD_INLINE float sum(reg x) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(x), _mm256_extractf128_ps(x, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
  }
  static SIMD_INLINE float hmax(reg x) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(x), _mm256_extractf128_ps(x, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_max_ss(s, _mm_movehdup_ps(s)));
  }

  static SIMD_INLINE ureg uset1(uint32_t x) { return _mm256_set1_epi32(static_cast<int>(x)); }
  static SIMD_INLINE ureg uadd(ureg a, ureg b) { return _mm256_add_epi32(a, b); }
  static SIMD_INLINE ureg xor3(ureg a, ureg b, ureg c) { return _mm256_xor_si256(_mm256_xor_si256(a, b), c); }
  static SIMD_INLINE void mulhilo(ureg a, uint32_t m, ureg& hi, ureg& lo) {
    const ureg mv = uset1(m);
    const ureg even = _mm256_mul_epu32(a, mv), odd = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), mv);
    hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
    lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  }
  // Lane 4L + k computes block 2k + L (see Avx512::block_offsets).
  static SIMD_INLINE ureg block_offsets() { return _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7); }
  static SIMD_INLINE void store_blocks(uint32_t* out, ureg c0, ureg c1, ureg c2, ureg c3) {
    const ureg a = _mm256_unpacklo_epi32(c0, c1), b = _mm256_unpackhi_epi32(c0, c1);
    const ureg c = _mm256_unpacklo_epi32(c2, c3), d = _mm256_unpackhi_epi32(c2, c3);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), _mm256_unpacklo_epi64(a, c));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 8), _mm256_unpackhi_epi64(a, c));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 16), _mm256_unpacklo_epi64(b, d));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 24), _mm256_unpackhi_epi64(b, d));
  }
  static SIMD_INLINE uint32_t at_least(const uint32_t* p, uint32_t t) {
    const ureg v = _mm256_srli_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)), 8);
    const ureg below = _mm256_cmpgt_epi32(uset1(t), v);
    return ~static_cast<uint32_t>(_mm256_movemask_ps(_mm256_castsi256_ps(below))) & 0xFFu;
  }
  static SIMD_INLINE reg where(uint32_t bits, reg x) {
    const ureg lane_bit = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
    const ureg on = _mm256_cmpeq_epi32(_mm256_and_si256(uset1(bits), lane_bit), lane_bit);
    return _mm256_and_ps(_mm256_castsi256_ps(on), x);
  }
  static SIMD_INLINE uint32_t positive(reg x) {
    return static_cast<uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GT_OQ)));
  }
};
#endif

// One lane; plain C++ for any CPU (and the shape the vector types generalise).
struct Scalar {
  using reg = float;
  using ureg = uint32_t;
  static constexpr int W = 1;

  static SIMD_INLINE reg set1(float x) { return x; }
  static SIMD_INLINE reg load(const float* p) { return *p; }
  static SIMD_INLINE void store(float* p, reg x) { *p = x; }
  static SIMD_INLINE reg load_tail(const float* p, int, float) { return *p; }
  static SIMD_INLINE void store_tail(float* p, reg x, int) { *p = x; }
  static SIMD_INLINE reg add(reg a, reg b) { return a + b; }
  static SIMD_INLINE reg sub(reg a, reg b) { return a - b; }
  static SIMD_INLINE reg mul(reg a, reg b) { return a * b; }
  static SIMD_INLINE reg fma(reg a, reg b, reg c) { return a * b + c; }
  static SIMD_INLINE reg max(reg a, reg b) { return a > b ? a : b; }
  static SIMD_INLINE reg clamp(reg x, float lo, float hi) {
    const float y = x < lo ? lo : x;  // NaN compares false and stays
    return y > hi ? hi : y;
  }
  // Round to nearest by the 1.5·2²³ trick (|x| < 2²², which clamped exp arguments are).
  static SIMD_INLINE reg round(reg x) { return (x + 12582912.0f) - 12582912.0f; }
  static SIMD_INLINE reg scale2(reg p, reg n) {
    // NaN must not reach the float-to-int conversion (undefined); p carries it instead.
    const int32_t ni = static_cast<int32_t>(n == n ? n : 0.0f), n1 = ni >> 1, n2 = ni - n1;
    return p * std::bit_cast<float>((n1 + 127) << 23) * std::bit_cast<float>((n2 + 127) << 23);
  }
  static SIMD_INLINE float sum(reg x) { return x; }
  static SIMD_INLINE float hmax(reg x) { return x; }

  static SIMD_INLINE ureg uset1(uint32_t x) { return x; }
  static SIMD_INLINE ureg uadd(ureg a, ureg b) { return a + b; }
  static SIMD_INLINE ureg xor3(ureg a, ureg b, ureg c) { return a ^ b ^ c; }
  static SIMD_INLINE void mulhilo(ureg a, uint32_t m, ureg& hi, ureg& lo) {
    const uint64_t p = static_cast<uint64_t>(a) * m;
    hi = static_cast<uint32_t>(p >> 32);
    lo = static_cast<uint32_t>(p);
  }
  static SIMD_INLINE ureg block_offsets() { return 0; }
  static SIMD_INLINE void store_blocks(uint32_t* out, ureg c0, ureg c1, ureg c2, ureg c3) {
    out[0] = c0, out[1] = c1, out[2] = c2, out[3] = c3;
  }
  static SIMD_INLINE uint32_t at_least(const uint32_t* p, uint32_t t) { return (*p >> 8) >= t ? 1u : 0u; }
  static SIMD_INLINE reg where(uint32_t bits, reg x) { return bits ? x : 0.0f; }
  static SIMD_INLINE uint32_t positive(reg x) { return x > 0.0f ? 1u : 0u; }
};

// eˣ = 2ⁿ·eʳ with n = round(x·log₂e) and r = x - n·ln2 (Cody–Waite split, exact
// products), eʳ by the Cephes expf polynomial on |r| ≤ ln2/2 (≤ 1 ulp with FMA).
// The clamp maps -inf (and anything below -104) to exactly 0 and anything past
// ln(FLT_MAX) to +inf; NaN passes through.
template <class V>
SIMD_INLINE typename V::reg exp(typename V::reg x) {
  using reg = typename V::reg;
  const reg xc = V::clamp(x, -104.0f, 89.0f);
  const reg n = V::round(V::mul(xc, V::set1(1.44269504088896341f)));
  reg r = V::fma(n, V::set1(-0.693359375f), xc);
  r = V::fma(n, V::set1(2.12194440e-4f), r);
  reg p = V::set1(1.9875691500e-4f);
  p = V::fma(p, r, V::set1(1.3981999507e-3f));
  p = V::fma(p, r, V::set1(8.3334519073e-3f));
  p = V::fma(p, r, V::set1(4.1665795894e-2f));
  p = V::fma(p, r, V::set1(1.6666665459e-1f));
  p = V::fma(p, r, V::set1(5.0000001201e-1f));
  p = V::add(V::fma(p, V::mul(r, r), r), V::set1(1.0f));
  return V::scale2(p, n);
}

}  // namespace

}  // namespace attn::kernels::simd
