// Sparsemax over the last axis (Martins & Astudillo 2016): the projection of
// each row onto the probability simplex, so rows sum to 1 and small scores get
// exactly zero weight. The mask contract is softmax's (ops/softmax.h): 1 = keep,
// 0 = masked, broadcast to x's shape; masked entries output 0 and get no
// gradient; a fully masked row outputs zeros and zero gradients.
// Backward: on the support S, dx = dy - mean_S(dy); zero elsewhere.
#pragma once

#include "autodiff/var.h"

namespace attn {

Var sparsemax(const Var& x, const Tensor* mask = nullptr);

}  // namespace attn
