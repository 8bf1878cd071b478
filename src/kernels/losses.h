// Loss kernels on raw buffers: cross-entropy fused with log-softmax (per-row
// losses and the log-sum-exp kept for the backward) and squared error.
// Sums run in a fixed order, so results do not depend on the thread count.
#pragma once

#include <cstdint>

namespace attn::kernels {

struct CrossEntropyShape {
  int64_t rows = 0;     // N
  int64_t classes = 0;  // V
  int32_t ignore_index = -100;
  float label_smoothing = 0.0f;  // ε
};

// For each row with target y != ignore_index (targets must be in [0, V) otherwise):
//   loss[r] = (1-ε)·(lse - x_y) + ε·(lse - mean_v x_v),  lse = log Σ_v exp(x_v);
// ignored rows get loss 0 (lse is still written).
void cross_entropy_fwd(const CrossEntropyShape& s, const float* logits, const int32_t* targets, float* loss,
                       float* lse);
// dlogits += scale · (softmax(x) - ((1-ε)·onehot(y) + ε/V)) on non-ignored rows.
void cross_entropy_bwd(const CrossEntropyShape& s, const float* logits, const int32_t* targets, const float* lse,
                       float scale, float* dlogits);

// Σ (a - b)², accumulated in double in index order.
double squared_error_sum(const float* a, const float* b, int64_t n);
// da += scale · (a - b)
void squared_error_bwd(const float* a, const float* b, int64_t n, float scale, float* da);

}  // namespace attn::kernels
