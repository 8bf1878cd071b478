// The arithmetic precision of matrix products: fp32, or bf16 inputs with fp32
// accumulation and fp32 outputs (AVX512-BF16). One process-wide setting read by the
// product kernels (matmul.h), so every caller above gets it without a parameter;
// the experiment level sets it for a run with PrecisionScope. Also the fp32 → bf16
// rounding used to feed the products.
// Not here: deciding whether the CPU may use bf16 (cpu_features.h; refusing is the
// caller's business) — kernels never throw.
#pragma once

#include <cstdint>

namespace attn::kernels {

enum class Precision { fp32, bf16 };

Precision matmul_precision();

// Sets the precision while alive and restores the previous one after.
class PrecisionScope {
 public:
  explicit PrecisionScope(Precision p);
  ~PrecisionScope();
  PrecisionScope(const PrecisionScope&) = delete;
  PrecisionScope& operator=(const PrecisionScope&) = delete;

 private:
  Precision previous_;
};

// x rounded to the nearest bf16 (ties to even; NaN stays NaN), as its 16 bits.
inline uint16_t to_bf16(float x) {
  uint32_t u = __builtin_bit_cast(uint32_t, x);
  if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x40u);  // quiet NaN
  u += 0x7fffu + ((u >> 16) & 1u);
  return static_cast<uint16_t>(u >> 16);
}
inline float from_bf16(uint16_t b) { return __builtin_bit_cast(float, static_cast<uint32_t>(b) << 16); }

// out[i] = to_bf16(in[i]) for a dense run; threaded for long ones.
void to_bf16(const float* in, uint16_t* out, int64_t n);

}  // namespace attn::kernels
