// The body of the point-wise kernels, compiled once per ISA: pointwise.cpp
// (baseline), pointwise_avx2.cpp and pointwise_avx512.cpp each define
// ATTN_POINTWISE_ISA (the namespace of their copy) and include this file.
// Everything is branch-free scalar code that the compiler vectorises; helpers
// have internal linkage so the copies never mix at link time.
#pragma once

#ifndef ATTN_POINTWISE_ISA
#error "define ATTN_POINTWISE_ISA before including kernels/pointwise_impl.h"
#endif

// The selects below (clamps, sign and range choices) are if-converted into
// vector blends only when comparisons may be assumed not to trap; attn never
// relies on floating-point exceptions. Must precede every function of the TU.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "kernels/pointwise.h"

namespace attn::kernels::ATTN_POINTWISE_ISA {

namespace {
// exp(x) = 2ⁿ·eʳ with n = round(x·log₂e), |r| ≤ ln2/2; eʳ by the Cephes expf
// polynomial. 2ⁿ is applied as two halves so n may span the denormal range.
inline float exp_fast(float x) {
  const float xc = std::min(std::max(x, -104.0f), 88.72283935546875f);
  const float nf = (xc * 1.44269504088896341f + 12582912.0f) - 12582912.0f;  // round to nearest
  const float r = (xc - nf * 0.693359375f) + nf * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  // NaN must not reach the float-to-int conversion (undefined); p carries it instead.
  const int32_t n = static_cast<int32_t>(nf == nf ? nf : 0.0f), n1 = n >> 1, n2 = n - n1;
  const float y = p * std::bit_cast<float>((n1 + 127) << 23) * std::bit_cast<float>((n2 + 127) << 23);
  return x > 88.72283935546875f ? std::numeric_limits<float>::infinity() : y;
}

// Standard normal CDF Φ(x) = erfc(-x/√2)/2 and density φ(x), sharing one exp:
// erfc(z) ≈ t·(a1 + t·(a2 + …))·e^{-z²}, t = 1/(1 + p·z), z = |x|/√2 (A&S 7.1.26).
struct Normal {
  float cdf, pdf;
};

inline Normal normal_fast(float x) {
  const float z = std::abs(x) * 0.70710678118654752f;
  const float t = 1.0f / (1.0f + 0.3275911f * z);
  const float poly =
      t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f + t * 1.061405429f))));
  const float e = exp_fast(-z * z);
  const float half_erfc = 0.5f * poly * e;
  return {x >= 0.0f ? 1.0f - half_erfc : half_erfc, 0.39894228040143268f * e};
}

// tanh(x) = sign(x)·(1 - e)/(1 + e), e = e^{-2|x|}; near 0, where 1 - e cancels, its Taylor series.
inline float tanh_fast(float x) {
  const float a = std::abs(x);
  const float e = exp_fast(-2.0f * a);
  const float far = std::copysign((1.0f - e) / (1.0f + e), x);
  const float x2 = x * x;
  const float near =
      x * (1.0f + x2 * (-0.333333333f + x2 * (0.133333333f + x2 * (-0.0539682540f + x2 * 0.0218694885f))));
  return a < 0.25f ? near : far;
}

template <class F>
inline void map(const float* __restrict x, float* __restrict y, int64_t n, F f) {
  for (int64_t i = 0; i < n; ++i) y[i] = f(x[i]);
}

// dx (+)= dy · d(x, y)
template <class D>
inline void map_grad(const float* __restrict x, const float* __restrict y, const float* __restrict dy,
                     float* __restrict dx, int64_t n, bool accumulate, D d) {
  if (accumulate)
    for (int64_t i = 0; i < n; ++i) dx[i] += dy[i] * d(x[i], y[i]);
  else
    for (int64_t i = 0; i < n; ++i) dx[i] = dy[i] * d(x[i], y[i]);
}
}  // namespace

void pointwise_fwd(Pointwise f, const float* x, float* y, int64_t n, float alpha) {
  switch (f) {
    case Pointwise::relu: return map(x, y, n, [](float v) { return v < 0.0f ? 0.0f : v; });  // NaN stays NaN
    case Pointwise::gelu: return map(x, y, n, [](float v) { return v * normal_fast(v).cdf; });
    case Pointwise::tanh: return map(x, y, n, [](float v) { return tanh_fast(v); });
    case Pointwise::sigmoid: return map(x, y, n, [](float v) { return 1.0f / (1.0f + exp_fast(-v)); });
    case Pointwise::exp: return map(x, y, n, [](float v) { return exp_fast(v); });
    case Pointwise::log: return map(x, y, n, [](float v) { return std::log(v); });
    case Pointwise::elu:
      return map(x, y, n, [alpha](float v) { return v > 0.0f ? v : alpha * (exp_fast(v) - 1.0f); });
  }
}

void pointwise_bwd(Pointwise f, const float* x, const float* y, const float* dy, float* dx, int64_t n,
                   float alpha, bool accumulate) {
  switch (f) {
    case Pointwise::relu: return map_grad(x, y, dy, dx, n, accumulate, [](float v, float) { return v > 0.0f ? 1.0f : 0.0f; });
    case Pointwise::gelu:  // d/dx x·Φ(x) = Φ(x) + x·φ(x)
      return map_grad(x, y, dy, dx, n, accumulate, [](float v, float) {
        const Normal p = normal_fast(v);
        return p.cdf + v * p.pdf;
      });
    case Pointwise::tanh: return map_grad(x, y, dy, dx, n, accumulate, [](float, float t) { return 1.0f - t * t; });
    case Pointwise::sigmoid: return map_grad(x, y, dy, dx, n, accumulate, [](float, float s) { return s * (1.0f - s); });
    case Pointwise::exp: return map_grad(x, y, dy, dx, n, accumulate, [](float, float e) { return e; });
    case Pointwise::log: return map_grad(x, y, dy, dx, n, accumulate, [](float v, float) { return 1.0f / v; });
    case Pointwise::elu:  // α(eˣ - 1) has derivative αeˣ = y + α
      return map_grad(x, y, dy, dx, n, accumulate, [alpha](float v, float e) { return v > 0.0f ? 1.0f : e + alpha; });
  }
}

}  // namespace attn::kernels::ATTN_POINTWISE_ISA
