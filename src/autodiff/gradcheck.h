// Central-difference gradient check for any function of Vars. The function's
// output is projected on a fixed random direction R, so one backward pass
// (seeded with R) is compared with the numerical derivative of sum(f(x) * R).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "autodiff/var.h"

namespace attn {

struct GradcheckOptions {
  float eps = 1e-2f;
  float atol = 2e-3f;
  float rtol = 2e-2f;
  uint64_t seed = 7;
  // Inputs whose gradient is not checked (e.g. integer indices stored as floats).
  std::vector<bool> skip;
};

struct GradcheckResult {
  bool ok = true;
  float max_abs_error = 0.0f;
  std::string detail;  // the first failing input and element, with both values
};

using VarFunction = std::function<Var(const std::vector<Var>&)>;

GradcheckResult gradcheck(const VarFunction& f, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options = {});

}  // namespace attn
