// Softmax and log-softmax over the last axis, with an optional mask.
// mask: 1 = keep, 0 = masked; its shape broadcasts to x's (e.g. [B, 1, 1, Tk]
// against [B, H, Tq, Tk]). Masked entries output 0 and receive no gradient;
// a fully masked row outputs all zeros and zero gradients, never NaN.
#pragma once

#include "autodiff/var.h"

namespace attn {

Var softmax(const Var& x, const Tensor* mask = nullptr);
Var log_softmax(const Var& x, const Tensor* mask = nullptr);

}  // namespace attn
