#include "kernels/losses.h"

#include <cmath>

namespace attn::kernels {

namespace {
constexpr int64_t kParallelMin = 16384;
}

void cross_entropy_fwd(const CrossEntropyShape& s, const float* logits, const int32_t* targets, float* loss,
                       float* lse) {
  const int64_t v = s.classes;
  const float eps = s.label_smoothing;
#pragma omp parallel for schedule(static) if (s.rows * v > kParallelMin)
  for (int64_t r = 0; r < s.rows; ++r) {
    const float* x = logits + r * v;
    float max = x[0];
    for (int64_t j = 1; j < v; ++j) max = x[j] > max ? x[j] : max;
    float sum = 0.0f, total = 0.0f;
    for (int64_t j = 0; j < v; ++j) {
      sum += std::exp(x[j] - max);
      total += x[j];
    }
    const float l = max + std::log(sum);
    lse[r] = l;
    const int32_t y = targets[r];
    loss[r] = y == s.ignore_index ? 0.0f : (1.0f - eps) * (l - x[y]) + eps * (l - total / static_cast<float>(v));
  }
}

void cross_entropy_bwd(const CrossEntropyShape& s, const float* logits, const int32_t* targets, const float* lse,
                       float scale, float* dlogits) {
  const int64_t v = s.classes;
  const float uniform = s.label_smoothing / static_cast<float>(v);
  const float on_target = 1.0f - s.label_smoothing;
#pragma omp parallel for schedule(static) if (s.rows * v > kParallelMin)
  for (int64_t r = 0; r < s.rows; ++r) {
    const int32_t y = targets[r];
    if (y == s.ignore_index) continue;
    const float* x = logits + r * v;
    float* dx = dlogits + r * v;
    const float l = lse[r];
    for (int64_t j = 0; j < v; ++j) dx[j] += scale * (std::exp(x[j] - l) - uniform);
    dx[y] -= scale * on_target;
  }
}

double squared_error_sum(const float* a, const float* b, int64_t n) {
  double acc = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(a[i]) - b[i];
    acc += d * d;
  }
  return acc;
}

void squared_error_bwd(const float* a, const float* b, int64_t n, float scale, float* da) {
#pragma omp parallel for simd schedule(static) if (n > kParallelMin)
  for (int64_t i = 0; i < n; ++i) da[i] += scale * (a[i] - b[i]);
}

}  // namespace attn::kernels
