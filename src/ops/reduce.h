// Sums and means over one axis or over everything. attn has no rank-0 tensors:
// reducing away the only axis gives shape [1].
#pragma once

#include "autodiff/var.h"

namespace attn {

Var sum(const Var& x, int axis, bool keepdim = false);
Var mean(const Var& x, int axis, bool keepdim = false);
Var sum_all(const Var& x);   // -> [1]
Var mean_all(const Var& x);  // -> [1]

}  // namespace attn
