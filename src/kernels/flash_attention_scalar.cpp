// Portable instantiation of the fused attention kernels: one lane per "vector",
// so it runs on any x86-64 (or other) CPU; the same algorithm as the SIMD variants.
#include <cmath>

#include "kernels/flash_attention_bwd_impl.h"
#include "kernels/flash_attention_fwd_impl.h"

namespace attn::kernels::flash {

namespace {
struct Scalar {
  using reg = float;
  static constexpr int W = 1, MR = 4, NR = 8, TB = 1;
  static constexpr int64_t BK = 32, BQB = 32;

  static FLASH_INLINE reg zero() { return 0.0f; }
  static FLASH_INLINE reg load(const float* p) { return *p; }
  static FLASH_INLINE void store(float* p, reg x) { *p = x; }
  static FLASH_INLINE reg load_tail(const float* p, int) { return *p; }
  static FLASH_INLINE void store_tail(float* p, reg x, int) { *p = x; }
  static FLASH_INLINE reg set1(float x) { return x; }
  static FLASH_INLINE reg fma(reg a, reg b, reg c) { return a * b + c; }
  static FLASH_INLINE reg mul(reg a, reg b) { return a * b; }
  static FLASH_INLINE reg add(reg a, reg b) { return a + b; }
  static FLASH_INLINE reg sub(reg a, reg b) { return a - b; }
  static FLASH_INLINE reg max(reg a, reg b) { return a > b ? a : b; }
  static FLASH_INLINE reg finite_or_zero(reg x) { return std::isinf(x) && x < 0 ? 0.0f : x; }
  static FLASH_INLINE reg mask_lanes(reg x, int lo, int hi) { return lo <= 0 && 0 <= hi ? x : -INFINITY; }
  static FLASH_INLINE reg mask_bits(reg x, uint32_t bits) { return bits & 1u ? x : -INFINITY; }
  static FLASH_INLINE reg exp2(reg x) { return std::exp2(x); }
  static FLASH_INLINE float dot(const float* a, const float* b, int64_t n) {
    float acc = 0.0f;
    for (int64_t i = 0; i < n; ++i) acc += a[i] * b[i];
    return acc;
  }
  static FLASH_INLINE void transpose_block(const float* src, int64_t, float* dst, int64_t, float c) {
    *dst = *src * c;
  }
};
}  // namespace

void fwd_scalar(const FlashParams& p, const float* q, const float* k, const float* v, float* o, float* lse) {
  flash_fwd<Scalar>(p, q, k, v, o, lse);
}

void bwd_scalar(const FlashParams& p, const float* q, const float* k, const float* v, const float* o,
                const float* dout, const float* lse, float* dq, float* dk, float* dv) {
  flash_bwd<Scalar>(p, q, k, v, o, dout, lse, dq, dk, dv);
}

}  // namespace attn::kernels::flash
