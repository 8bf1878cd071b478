// Element-wise arithmetic with numpy broadcasting, and scalar scaling.
// Gradients of broadcast inputs are summed over the broadcast dimensions.
#pragma once

#include "autodiff/var.h"

namespace attn {

Var add(const Var& a, const Var& b);
Var sub(const Var& a, const Var& b);
Var mul(const Var& a, const Var& b);
Var div(const Var& a, const Var& b);
Var scale(const Var& x, float factor);       // x * factor
Var add_scalar(const Var& x, float value);   // x + value

}  // namespace attn
