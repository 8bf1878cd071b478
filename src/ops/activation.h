// Point-wise nonlinearities.
#pragma once

#include "autodiff/var.h"

namespace attn {

Var relu(const Var& x);
Var gelu(const Var& x);  // exact: x * Φ(x), as PyTorch's default
Var tanh(const Var& x);
Var sigmoid(const Var& x);
Var exp(const Var& x);
Var log(const Var& x);
Var elu(const Var& x, float alpha = 1.0f);

}  // namespace attn
