// Parameter initialisers (the usual PyTorch defaults), drawing from a seeded stream.
#pragma once

#include "tensor/rng.h"
#include "tensor/tensor.h"

namespace attn::nn {

// U(-a, a) with a = sqrt(6 / (fan_in + fan_out)) for a [out, in] matrix.
Tensor xavier_uniform(const Shape& shape, Rng& rng);
// U(-1/sqrt(fan_in), 1/sqrt(fan_in)), as nn.Linear / nn.LSTM.
Tensor uniform_fan_in(const Shape& shape, int64_t fan_in, Rng& rng);
Tensor normal(const Shape& shape, float stddev, Rng& rng);

}  // namespace attn::nn
