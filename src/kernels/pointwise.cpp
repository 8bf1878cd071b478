// Baseline copy of the point-wise kernels, the per-ISA dispatch, and the libm reference.
#define ATTN_POINTWISE_ISA baseline
#include "kernels/pointwise_impl.h"

#include "kernels/parallel_chunks.h"

#include <algorithm>
#include <numbers>

namespace attn::kernels {

namespace avx2 {
void pointwise_fwd(Pointwise f, const float* x, float* y, int64_t n, float alpha);
void pointwise_bwd(Pointwise f, const float* x, const float* y, const float* dy, float* dx, int64_t n, float alpha,
                   bool accumulate);
}  // namespace avx2
namespace avx512 {
void pointwise_fwd(Pointwise f, const float* x, float* y, int64_t n, float alpha);
void pointwise_bwd(Pointwise f, const float* x, const float* y, const float* dy, float* dx, int64_t n, float alpha,
                   bool accumulate);
}  // namespace avx512

namespace {
constexpr int64_t kChunk = 8192;
}  // namespace

void pointwise_fwd(Pointwise f, const float* x, float* y, int64_t n, float param, Isa isa) {
  auto impl = isa == Isa::avx512 ? avx512::pointwise_fwd : isa == Isa::avx2 ? avx2::pointwise_fwd
                                                                            : baseline::pointwise_fwd;
  parallel_chunks(n, kChunk, [&](int64_t begin, int64_t count) { impl(f, x + begin, y + begin, count, param); });
}

void pointwise_bwd(Pointwise f, const float* x, const float* y, const float* dy, float* dx, int64_t n,
                   float param, bool accumulate, Isa isa) {
  auto impl = isa == Isa::avx512 ? avx512::pointwise_bwd : isa == Isa::avx2 ? avx2::pointwise_bwd
                                                                            : baseline::pointwise_bwd;
  parallel_chunks(n, kChunk, [&](int64_t begin, int64_t count) {
    impl(f, x + begin, y + begin, dy + begin, dx + begin, count, param, accumulate);
  });
}

void pointwise_fwd_reference(Pointwise f, const float* x, float* y, int64_t n, float alpha) {
  for (int64_t i = 0; i < n; ++i) {
    const double v = x[i];
    double r = 0.0;
    switch (f) {
      case Pointwise::relu: r = v < 0.0 ? 0.0 : v; break;
      case Pointwise::gelu: r = 0.5 * v * std::erfc(-v / std::sqrt(2.0)); break;
      case Pointwise::tanh: r = std::tanh(v); break;
      case Pointwise::sigmoid: r = 1.0 / (1.0 + std::exp(-v)); break;
      case Pointwise::exp: r = std::exp(v); break;
      case Pointwise::log: r = std::log(v); break;
      case Pointwise::elu: r = v > 0.0 ? v : alpha * std::expm1(v); break;
    }
    y[i] = static_cast<float>(r);
  }
}

void pointwise_bwd_reference(Pointwise f, const float* x, const float* y, const float* dy, float* dx, int64_t n,
                             float alpha, bool accumulate) {
  for (int64_t i = 0; i < n; ++i) {
    const double v = x[i];
    double d = 0.0;
    switch (f) {
      case Pointwise::relu: d = v > 0.0 ? 1.0 : 0.0; break;
      case Pointwise::gelu:
        d = 0.5 * std::erfc(-v / std::sqrt(2.0)) + v * std::exp(-0.5 * v * v) / std::sqrt(2.0 * std::numbers::pi);
        break;
      case Pointwise::tanh: d = 1.0 - std::tanh(v) * std::tanh(v); break;
      case Pointwise::sigmoid: {
        const double s = 1.0 / (1.0 + std::exp(-v));
        d = s * (1.0 - s);
        break;
      }
      case Pointwise::exp: d = std::exp(v); break;
      case Pointwise::log: d = 1.0 / v; break;
      case Pointwise::elu: d = v > 0.0 ? 1.0 : alpha * std::exp(v); break;
    }
    dx[i] = static_cast<float>((accumulate ? dx[i] : 0.0f) + dy[i] * d);
  }
}

}  // namespace attn::kernels
