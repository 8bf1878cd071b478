// Baseline (Scalar) copy of the layer-norm kernels and the per-ISA dispatch.
#define ATTN_LAYER_NORM_ISA baseline
#define ATTN_LAYER_NORM_VEC Scalar
#include "kernels/layer_norm_impl.h"

#include <omp.h>

#include <algorithm>

namespace attn::kernels {

#define ATTN_DECLARE_LAYER_NORM(isa)                                                                                   \
  namespace isa {                                                                                                      \
  void layer_norm_fwd_rows(const LayerNormShape& s, const float* x, const float* gamma, const float* beta, float* y,   \
                           float* mean, float* rstd, int64_t r0, int64_t r1);                                          \
  void layer_norm_bwd_dx_rows(const LayerNormShape& s, const LayerNormSaved& saved, const float* dy,                 \
                              const LayerNormGrads& grads, int64_t r0, int64_t r1);                                    \
  void layer_norm_bwd_param_cols(const LayerNormShape& s, const LayerNormSaved& saved, const float* dy,              \
                                 const LayerNormGrads& grads, int64_t j0, int64_t j1);                                 \
  }
ATTN_DECLARE_LAYER_NORM(avx2)
ATTN_DECLARE_LAYER_NORM(avx512)
#undef ATTN_DECLARE_LAYER_NORM

namespace {
constexpr int64_t kParallelMin = 16384;
constexpr int64_t kColumnBlock = 64;  // columns per task of the gamma/beta reduction

// Calls body(begin, end) over ranges of [0, n), one per thread when the work is
// large enough. Every item is computed by itself, so the split changes no result.
template <class Body>
void split(int64_t n, bool parallel, Body body) {
  if (!parallel || omp_in_parallel()) return body(int64_t{0}, n);
#pragma omp parallel
  {
    const int64_t threads = omp_get_num_threads(), t = omp_get_thread_num();
    body(n * t / threads, n * (t + 1) / threads);
  }
}
}  // namespace

void layer_norm_fwd(const LayerNormShape& s, const float* x, const float* gamma, const float* beta, float* y,
                    float* mean, float* rstd, Isa isa) {
  auto rows = isa == Isa::avx512 ? avx512::layer_norm_fwd_rows
              : isa == Isa::avx2 ? avx2::layer_norm_fwd_rows
                                 : baseline::layer_norm_fwd_rows;
  split(s.rows, s.rows * s.cols > kParallelMin,
        [&](int64_t r0, int64_t r1) { rows(s, x, gamma, beta, y, mean, rstd, r0, r1); });
}

void layer_norm_bwd(const LayerNormShape& s, const LayerNormSaved& saved, const float* dy, const LayerNormGrads& grads,
                    Isa isa) {
  const bool parallel = s.rows * s.cols > kParallelMin;
  if (grads.dx != nullptr) {
    auto rows = isa == Isa::avx512 ? avx512::layer_norm_bwd_dx_rows
                : isa == Isa::avx2 ? avx2::layer_norm_bwd_dx_rows
                                   : baseline::layer_norm_bwd_dx_rows;
    split(s.rows, parallel,
          [&](int64_t r0, int64_t r1) { rows(s, saved, dy, grads, r0, r1); });
  }
  if (grads.dgamma == nullptr && grads.dbeta == nullptr) return;
  auto cols = isa == Isa::avx512 ? avx512::layer_norm_bwd_param_cols
              : isa == Isa::avx2 ? avx2::layer_norm_bwd_param_cols
                                 : baseline::layer_norm_bwd_param_cols;
  const int64_t blocks = (s.cols + kColumnBlock - 1) / kColumnBlock;
  split(blocks, parallel, [&](int64_t b0, int64_t b1) {
    cols(s, saved, dy, grads, b0 * kColumnBlock, std::min(s.cols, b1 * kColumnBlock));
  });
}

}  // namespace attn::kernels
