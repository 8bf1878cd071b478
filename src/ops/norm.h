// Layer normalisation over the last axis: (x - mean) / sqrt(var + eps) * gamma + beta.
#pragma once

#include "autodiff/var.h"

namespace attn {

// x [..., C], gamma [C], beta [C]
Var layer_norm(const Var& x, const Var& gamma, const Var& beta, float eps = 1e-5f);

}  // namespace attn
