// The optimizers' element-wise parameter updates (Adam/AdamW, SGD with momentum
// and Nesterov) on raw buffers, compiled per ISA and chosen at run time: the
// baseline build's libm sqrt and scalar division made Adam alone ~5 % of a
// Transformer step. Parallel over fixed chunks, so every element's result is
// independent of the thread count. Not here: optimizer state and schedules
// (nn/optimizer.h).
#pragma once

#include <cstdint>

#include "kernels/cpu_features.h"

namespace attn::kernels {

struct AdamUpdate {
  float lr = 0.0f;
  float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
  float weight_decay = 0.0f;
  bool decoupled = false;       // AdamW: decay the weights, not the gradient
  float step_size = 0.0f;       // lr / (1 - beta1^t)
  float inv_sqrt_bias2 = 1.0f;  // 1 / sqrt(1 - beta2^t)
};

// m ← β₁m + (1-β₁)d, v ← β₂v + (1-β₂)d², w ← w - step_size·m /
// (√v·inv_sqrt_bias2 + eps), with d = g + wd·w (Adam) or d = g after w ← w·(1 -
// lr·wd) (AdamW).
void adam_update(const AdamUpdate& u, float* w, const float* g, float* m, float* v, int64_t n,
                 Isa isa = detected_isa());

struct SgdUpdate {
  float lr = 0.0f;
  float momentum = 0.0f;
  bool nesterov = false;
  float weight_decay = 0.0f;
};

// d = g + wd·w; with momentum, m ← μm + d (PyTorch's dampening-free buffer) and
// d ← d + μm (Nesterov) or m; then w ← w - lr·d. m is unused without momentum.
void sgd_update(const SgdUpdate& u, float* w, const float* g, float* m, int64_t n, Isa isa = detected_isa());

}  // namespace attn::kernels
