// Uniform(-1, 1) test tensors for forward-value checks outside the gradcheck table.
#pragma once

#include "tensor/rng.h"
#include "tensor/tensor.h"

namespace attn::testing {

inline Tensor random_tensor(const Shape& shape, Rng& rng) {
  Tensor t = Tensor::empty(shape);
  rng.fill_uniform(t.data(), t.numel(), -1.0f, 1.0f);
  return t;
}

}  // namespace attn::testing
