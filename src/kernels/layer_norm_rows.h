// Layer normalisation over the rows of a [rows, C] buffer, forward and
// backward, vectorised per ISA (layer_norm_impl.h). Per-row statistics are kept
// for the backward; gamma/beta gradients are summed per column in row order, so
// results do not depend on the thread count. No allocation.
#pragma once

#include <cstdint>

#include "kernels/cpu_features.h"

namespace attn::kernels {

struct LayerNormShape {
  int64_t rows = 0;
  int64_t cols = 0;  // C
  float eps = 1e-5f;
};

// y = (x - mean) * rstd * gamma + beta with rstd = 1 / sqrt(var + eps) (biased variance);
// writes mean[rows] and rstd[rows].
void layer_norm_fwd(const LayerNormShape& s, const float* x, const float* gamma, const float* beta,
                    float* y, float* mean, float* rstd, Isa isa = detected_isa());

// What the backward reads besides dy: the forward's input and gamma, and the statistics
// layer_norm_fwd wrote.
struct LayerNormSaved {
  const float* x = nullptr;
  const float* gamma = nullptr;
  const float* mean = nullptr;  // [rows]
  const float* rstd = nullptr;  // [rows]
};

// Where the backward writes. dx is added to when accumulate_dx, else written (it may start
// uninitialised). Any of dx, dgamma, dbeta may be nullptr (not wanted).
struct LayerNormGrads {
  float* dx = nullptr;
  bool accumulate_dx = false;
  float* dgamma = nullptr;
  float* dbeta = nullptr;
};

// With x̂ = (x - mean) * rstd and g = dy ∘ gamma:
//   dx (+)= rstd * (g - mean(g) - x̂ * mean(g ∘ x̂)),  dgamma += Σ_rows dy ∘ x̂,  dbeta += Σ_rows dy.
void layer_norm_bwd(const LayerNormShape& s, const LayerNormSaved& saved, const float* dy, const LayerNormGrads& grads,
                    Isa isa = detected_isa());

}  // namespace attn::kernels
