// Central-difference check of a module's parameter gradients: the module's
// output is projected on a fixed random direction R, one backward seeded with R
// is compared with the numerical derivative of sum(f() * R) for every element
// of every parameter (perturbed in place). Input gradients use attn::gradcheck.
#pragma once

#include <cmath>
#include <functional>
#include <sstream>

#include "autodiff/gradcheck.h"
#include "nn/module.h"
#include "tensor/rng.h"

namespace attn::testing {

inline GradcheckResult module_gradcheck(nn::Module& module, const std::function<Var()>& f,
                                        const GradcheckOptions& options = {}) {
  GradcheckResult result;
  module.zero_grad();
  Var out = f();
  Rng rng(options.seed, 0);
  Tensor r = Tensor::empty(out.shape());
  rng.fill_uniform(r.data(), r.numel(), -1.0f, 1.0f);
  out.backward(r);
  auto project = [&r](const Tensor& y) {
    double acc = 0.0;
    for (int64_t i = 0; i < y.numel(); ++i) acc += static_cast<double>(y[i]) * r[i];
    return acc;
  };
  NoGradGuard no_grad;
  for (auto& [name, p] : module.named_parameters()) {
    Tensor& value = p.value();
    for (int64_t j = 0; j < value.numel(); ++j) {
      const float x = value[j];
      value[j] = x + options.eps;
      const double plus = project(f().value());
      value[j] = x - options.eps;
      const double minus = project(f().value());
      value[j] = x;
      const double numeric = (plus - minus) / (2.0 * options.eps);
      const double analytic = p.grad().defined() ? p.grad()[j] : 0.0;
      const double err = std::abs(analytic - numeric);
      result.max_abs_error = std::max(result.max_abs_error, static_cast<float>(err));
      if (err > options.atol + options.rtol * std::abs(numeric) && result.ok) {
        result.ok = false;
        std::ostringstream msg;
        msg << name << " element " << j << ": analytic " << analytic << " numeric " << numeric;
        result.detail = msg.str();
      }
    }
  }
  return result;
}

}  // namespace attn::testing
