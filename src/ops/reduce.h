// Sums, means and maxima over one axis, sums and means over everything. attn has
// no rank-0 tensors: reducing away the only axis gives shape [1].
#pragma once

#include "autodiff/var.h"
#include "tensor/ids.h"

namespace attn {

Var sum(const Var& x, int axis, bool keepdim = false);
Var mean(const Var& x, int axis, bool keepdim = false);
// The largest value along axis; its gradient goes to that element alone (the first
// on ties). argmax, if set, receives each maximum's index along axis, in the output's shape.
Var max(const Var& x, int axis, bool keepdim = false, Ids* argmax = nullptr);
Var sum_all(const Var& x);   // -> [1]
Var mean_all(const Var& x);  // -> [1]

}  // namespace attn
