#include "ops/activation.h"

#include <cmath>

namespace attn {

namespace {
constexpr int64_t kParallelMin = 1 << 14;
constexpr float kInvSqrt2 = 0.70710678118654752f;
constexpr float kInvSqrt2Pi = 0.39894228040143268f;

// y = fwd(x) element-wise; the backward adds dout · deriv(x, y) into x's gradient.
// Both functors are inlined into the loops (no per-element indirect call).
template <class Fwd, class Deriv>
Var pointwise(const Var& x, Fwd fwd, Deriv deriv) {
  const int64_t n = x.numel();
  Tensor y = Tensor::empty(x.shape());
  const float* xp = x.value().data();
  float* yp = y.data();
#pragma omp parallel for simd schedule(static) if (n > kParallelMin)
  for (int64_t i = 0; i < n; ++i) yp[i] = fwd(xp[i]);
  return make_result(y, {x}, [x, y, deriv](const Tensor& dout) {
    const int64_t count = dout.numel();
    const float *xv = x.value().data(), *yv = y.data(), *d = dout.data();
    float* g = x.node()->grad_buffer().data();
#pragma omp parallel for simd schedule(static) if (count > kParallelMin)
    for (int64_t i = 0; i < count; ++i) g[i] += d[i] * deriv(xv[i], yv[i]);
  });
}
}  // namespace

Var relu(const Var& x) {
  return pointwise(
      x, [](float v) { return v > 0.0f ? v : 0.0f; }, [](float v, float) { return v > 0.0f ? 1.0f : 0.0f; });
}

// gelu(x) = x·Φ(x) with Φ(x) = (1 + erf(x/√2)) / 2;  gelu'(x) = Φ(x) + x·φ(x)
Var gelu(const Var& x) {
  return pointwise(
      x, [](float v) { return 0.5f * v * (1.0f + std::erf(v * kInvSqrt2)); },
      [](float v, float) {
        return 0.5f * (1.0f + std::erf(v * kInvSqrt2)) + v * kInvSqrt2Pi * std::exp(-0.5f * v * v);
      });
}

Var tanh(const Var& x) {
  return pointwise(
      x, [](float v) { return std::tanh(v); }, [](float, float y) { return 1.0f - y * y; });
}

Var sigmoid(const Var& x) {
  return pointwise(
      x, [](float v) { return 1.0f / (1.0f + std::exp(-v)); }, [](float, float y) { return y * (1.0f - y); });
}

Var exp(const Var& x) {
  return pointwise(
      x, [](float v) { return std::exp(v); }, [](float, float y) { return y; });
}

Var log(const Var& x) {
  return pointwise(
      x, [](float v) { return std::log(v); }, [](float v, float) { return 1.0f / v; });
}

// elu(x) = x for x > 0, α(eˣ - 1) otherwise;  elu'(x) = 1 or αeˣ = y + α
Var elu(const Var& x, float alpha) {
  return pointwise(
      x, [alpha](float v) { return v > 0.0f ? v : alpha * std::expm1(v); },
      [alpha](float v, float y) { return v > 0.0f ? 1.0f : y + alpha; });
}

}  // namespace attn
