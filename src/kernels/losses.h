// Loss kernels on raw buffers: cross-entropy fused with log-softmax (per-row
// losses and the log-sum-exp kept for the backward) and squared error, and the
// vectorised exp the cross-entropy kernels use. Each optimised kernel has a
// plain libm reference twin, the fallback's oracle in tests.
// Sums run in a fixed order per ISA, so results do not depend on the thread count.
// Not here: the autodiff wrappers (ops/loss.h).
#pragma once

#include <cstdint>

#include "kernels/cpu_features.h"

namespace attn::kernels {

struct CrossEntropyShape {
  int64_t rows = 0;     // N
  int64_t classes = 0;  // V
  int32_t ignore_index = -100;
  float label_smoothing = 0.0f;  // ε
};

// (1-ε)·(lse - x_y) + ε·(lse - mean_v x_v); without smoothing only the first
// term, so a -inf (masked) logit off the target gives a finite loss, as in PyTorch.
inline float smoothed_loss(float lse, float target_logit, float logit_sum, int64_t classes, float eps) {
  const float nll = lse - target_logit;
  return eps == 0.0f ? nll : (1.0f - eps) * nll + eps * (lse - logit_sum / static_cast<float>(classes));
}

// For each row with target y != ignore_index (targets must be in [0, V) otherwise):
//   loss[r] = smoothed_loss(lse, x_y, Σ_v x_v, V, ε),  lse = log Σ_v exp(x_v);
// ignored rows get loss 0 (lse is still written).
void cross_entropy_fwd(const CrossEntropyShape& s, const float* logits, const int32_t* targets, float* loss,
                       float* lse, Isa isa = detected_isa());
// g = scale · (softmax(x) - ((1-ε)·onehot(y) + ε/V)) with softmax(x) = exp(x - lse),
// lse from the forward; ignored rows have g = 0. dlogits += g when accumulating,
// otherwise dlogits = g (every element written, so the buffer may start uninitialised).
void cross_entropy_bwd(const CrossEntropyShape& s, const float* logits, const int32_t* targets, const float* lse,
                       float scale, float* dlogits, bool accumulate, Isa isa = detected_isa());

void cross_entropy_fwd_reference(const CrossEntropyShape& s, const float* logits, const int32_t* targets,
                                 float* loss, float* lse);
void cross_entropy_bwd_reference(const CrossEntropyShape& s, const float* logits, const int32_t* targets,
                                 const float* lse, float scale, float* dlogits, bool accumulate);

// y = eˣ by the kernels' exp (kernels/simd_vec.h): within 1 ulp of the correctly
// rounded value where that is a normal float, exactly 0 below -104 and for -inf,
// +inf above ln(FLT_MAX), NaN for NaN.
void exp_values(const float* x, float* y, int64_t n, Isa isa = detected_isa());

// Σ (a - b)², accumulated in double in index order.
double squared_error_sum(const float* a, const float* b, int64_t n);
// da += scale · (a - b)
void squared_error_bwd(const float* a, const float* b, int64_t n, float scale, float* da);

}  // namespace attn::kernels
