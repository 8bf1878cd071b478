// Inverted dropout: keeps each element with probability 1 - p and scales it by
// 1 / (1 - p), so inference is the identity. The mask comes from a seeded
// counter-based stream (kernels/dropout.h) and does not depend on the thread
// count or the ISA; the backward keeps one bit per element.
#pragma once

#include "autodiff/var.h"
#include "tensor/rng.h"

namespace attn {

// Identity when !training or p == 0; advances rng by x.numel() numbers otherwise.
Var dropout(const Var& x, float p, Rng& rng, bool training);

// dropout(relu(x), p, rng, training) in one pass each way, with the same mask and values bit for
// bit; the backward keeps the output instead of x and the keep bits.
Var relu_dropout(const Var& x, float p, Rng& rng, bool training);

}  // namespace attn
