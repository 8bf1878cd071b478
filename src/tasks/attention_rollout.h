// Attention rollout (Abnar & Zuidema 2020, "Quantifying Attention Flow in Transformers"):
// how much each input position flows into each position after all encoder layers, with
// the residual connections counted. Per layer: the heads' mean, plus the identity (the
// residual), rows renormalised to sum to 1; rollout = A_L · … · A_1.
#pragma once

#include <vector>

#include "tensor/tensor.h"

namespace attn::tasks {

// layers: each encoder layer's self-attention weights [1, H, T, T], first layer first
// -> the rollout [T, T] (row i: how position i's final state draws on the inputs).
Tensor attention_rollout(const std::vector<Tensor>& layers);

}  // namespace attn::tasks
