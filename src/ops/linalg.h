// Matrix products through kernels/matmul (oneDNN): no operand is copied to
// transpose it. Shapes:
//   matmul(a [..., M, K], b [K, N])          -> [..., M, N]  (b shared by every batch entry)
//   matmul(a [..., M, K], b [..., K, N])     -> [..., M, N]  (same leading dims)
//   trans_a / trans_b read a as [..., K, M] / b as [..., N, K].
//   linear(x [..., in], weight [out, in], bias [out] or undefined) -> [..., out]
#pragma once

#include "autodiff/var.h"

namespace attn {

Var matmul(const Var& a, const Var& b, bool trans_a = false, bool trans_b = false);
Var linear(const Var& x, const Var& weight, const Var& bias = Var());

}  // namespace attn
