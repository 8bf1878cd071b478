// Ops that move or select elements without arithmetic. reshape is a zero-copy
// view; transpose/permute/concat/slice copy into a contiguous result.
#pragma once

#include <vector>

#include "autodiff/var.h"

namespace attn {

Var reshape(const Var& x, const Shape& shape);
Var transpose(const Var& x, int axis_a, int axis_b);
Var permute(const Var& x, const std::vector<int>& order);
Var concat(const std::vector<Var>& parts, int axis);
Var slice(const Var& x, int axis, int64_t begin, int64_t end);  // [begin, end)

}  // namespace attn
