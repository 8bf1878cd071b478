// Losses. cross_entropy fuses log-softmax with the negative log-likelihood.
#pragma once

#include "autodiff/var.h"
#include "tensor/ids.h"

namespace attn {

struct CrossEntropyOptions {
  int32_t ignore_index = -100;   // targets equal to it contribute nothing
  float label_smoothing = 0.0f;  // target distribution (1-ε)·onehot + ε/V, as PyTorch
};

// logits [N, V], targets [N] -> [1]: mean over non-ignored targets (0 if none).
Var cross_entropy(const Var& logits, const Ids& targets, const CrossEntropyOptions& options = {});
// mean((pred - target)^2) -> [1]
Var mse(const Var& pred, const Tensor& target);

}  // namespace attn
