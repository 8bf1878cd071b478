// Baseline (Scalar) copy of the loss kernels, the per-ISA dispatch, the libm
// reference and squared error.
#define ATTN_LOSSES_ISA baseline
#define ATTN_LOSSES_VEC Scalar
#include "kernels/losses_impl.h"

#include <omp.h>

namespace attn::kernels {

#define ATTN_DECLARE_LOSS_ROWS(isa)                                                                             \
  namespace isa {                                                                                               \
  void exp_values(const float* x, float* y, int64_t n);                                                         \
  void cross_entropy_fwd_rows(const CrossEntropyShape& s, const float* logits, const int32_t* targets,         \
                              float* loss, float* lse, int64_t r0, int64_t r1);                                 \
  void cross_entropy_bwd_rows(const CrossEntropyShape& s, const float* logits, const int32_t* targets,         \
                              const float* lse, float scale, float* dlogits, bool accumulate, int64_t r0,       \
                              int64_t r1);                                                                      \
  }
ATTN_DECLARE_LOSS_ROWS(avx2)
ATTN_DECLARE_LOSS_ROWS(avx512)
#undef ATTN_DECLARE_LOSS_ROWS

namespace {
constexpr int64_t kParallelMin = 16384;

// Calls body(r0, r1) over row ranges, in parallel for large inputs. Each row is
// computed by itself, so the split does not change any result.
template <class Body>
void over_rows(const CrossEntropyShape& s, Body body) {
  if (s.rows * s.classes <= kParallelMin || omp_in_parallel()) return body(int64_t{0}, s.rows);
#pragma omp parallel
  {
    const int64_t threads = omp_get_num_threads(), t = omp_get_thread_num();
    body(s.rows * t / threads, s.rows * (t + 1) / threads);
  }
}
}  // namespace

void cross_entropy_fwd(const CrossEntropyShape& s, const float* logits, const int32_t* targets, float* loss,
                       float* lse, Isa isa) {
  auto rows = isa == Isa::avx512 ? avx512::cross_entropy_fwd_rows
              : isa == Isa::avx2 ? avx2::cross_entropy_fwd_rows
                                 : baseline::cross_entropy_fwd_rows;
  over_rows(s, [&](int64_t r0, int64_t r1) { rows(s, logits, targets, loss, lse, r0, r1); });
}

void cross_entropy_bwd(const CrossEntropyShape& s, const float* logits, const int32_t* targets, const float* lse,
                       float scale, float* dlogits, bool accumulate, Isa isa) {
  auto rows = isa == Isa::avx512 ? avx512::cross_entropy_bwd_rows
              : isa == Isa::avx2 ? avx2::cross_entropy_bwd_rows
                                 : baseline::cross_entropy_bwd_rows;
  over_rows(s, [&](int64_t r0, int64_t r1) { rows(s, logits, targets, lse, scale, dlogits, accumulate, r0, r1); });
}

void exp_values(const float* x, float* y, int64_t n, Isa isa) {
  auto impl = isa == Isa::avx512 ? avx512::exp_values : isa == Isa::avx2 ? avx2::exp_values : baseline::exp_values;
  impl(x, y, n);
}

void cross_entropy_fwd_reference(const CrossEntropyShape& s, const float* logits, const int32_t* targets,
                                 float* loss, float* lse) {
  const int64_t v = s.classes;
  const float eps = s.label_smoothing;
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
    loss[r] = y == s.ignore_index ? 0.0f : smoothed_loss(l, x[y], total, v, eps);
  }
}

void cross_entropy_bwd_reference(const CrossEntropyShape& s, const float* logits, const int32_t* targets,
                                 const float* lse, float scale, float* dlogits, bool accumulate) {
  const int64_t v = s.classes;
  const float uniform = s.label_smoothing / static_cast<float>(v);
  const float on_target = 1.0f - s.label_smoothing;
  for (int64_t r = 0; r < s.rows; ++r) {
    const int32_t y = targets[r];
    const float* x = logits + r * v;
    float* dx = dlogits + r * v;
    for (int64_t j = 0; j < v; ++j) {
      const float g = y == s.ignore_index ? 0.0f : scale * (std::exp(x[j] - lse[r]) - uniform);
      dx[j] = accumulate ? dx[j] + g : g;
    }
    if (y != s.ignore_index) dx[y] -= scale * on_target;
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
