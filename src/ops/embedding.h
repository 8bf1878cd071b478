// Embedding lookup: gathers rows of a table; the backward scatter-adds, so
// repeated ids accumulate their gradients.
#pragma once

#include "autodiff/var.h"
#include "tensor/ids.h"

namespace attn {

// weight [V, C], ids [...] -> [..., C]; ids must be in [0, V).
Var embedding(const Var& weight, const Ids& ids);

}  // namespace attn
