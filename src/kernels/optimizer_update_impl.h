// The body of the optimizer updates, compiled once per ISA:
// optimizer_update.cpp (baseline), optimizer_update_avx2.cpp and
// optimizer_update_avx512.cpp each define ATTN_OPTIMIZER_ISA (the namespace of
// their copy) and include this file. Plain loops the compiler vectorises (sqrt
// too: the build passes -fno-math-errno).
#pragma once

#ifndef ATTN_OPTIMIZER_ISA
#error "define ATTN_OPTIMIZER_ISA before including kernels/optimizer_update_impl.h"
#endif

#include <cmath>

#include "kernels/optimizer_update.h"

namespace attn::kernels::ATTN_OPTIMIZER_ISA {

void adam_update(const AdamUpdate& u, float* __restrict w, const float* __restrict g, float* __restrict m,
                 float* __restrict v, int64_t n) {
  // Locals, so the compiler need not reload them after every store through w.
  const float keep_w = u.decoupled ? 1.0f - u.lr * u.weight_decay : 1.0f;
  const float coupled_wd = u.decoupled ? 0.0f : u.weight_decay;
  const float b1 = u.beta1, b2 = u.beta2, eps = u.eps, step = u.step_size, inv_sqrt_bias2 = u.inv_sqrt_bias2;
  for (int64_t i = 0; i < n; ++i) {
    const float d = g[i] + coupled_wd * w[i];
    const float mi = b1 * m[i] + (1.0f - b1) * d;
    const float vi = b2 * v[i] + (1.0f - b2) * d * d;
    m[i] = mi;
    v[i] = vi;
    w[i] = w[i] * keep_w - step * mi / (std::sqrt(vi) * inv_sqrt_bias2 + eps);
  }
}

void sgd_update(const SgdUpdate& u, float* __restrict w, const float* __restrict g, float* __restrict m, int64_t n) {
  const float lr = u.lr, mu = u.momentum, wd = u.weight_decay, nesterov = u.nesterov ? 1.0f : 0.0f;
  if (mu == 0.0f) {
    for (int64_t i = 0; i < n; ++i) w[i] -= lr * (g[i] + wd * w[i]);
    return;
  }
  for (int64_t i = 0; i < n; ++i) {
    const float d = g[i] + wd * w[i];
    const float mi = mu * m[i] + d;
    m[i] = mi;
    w[i] -= lr * (nesterov * (d + mu * mi) + (1.0f - nesterov) * mi);
  }
}

}  // namespace attn::kernels::ATTN_OPTIMIZER_ISA
