#include "autodiff/gradcheck.h"

#include <cmath>
#include <sstream>

#include "tensor/rng.h"

namespace attn {

namespace {
double project(const Tensor& out, const Tensor& r) {
  double acc = 0.0;
  for (int64_t i = 0; i < out.numel(); ++i) acc += static_cast<double>(out[i]) * r[i];
  return acc;
}

std::vector<Var> leaves(const std::vector<Tensor>& values, bool requires_grad) {
  std::vector<Var> vars;
  for (const Tensor& t : values) vars.emplace_back(t.clone(), requires_grad);
  return vars;
}
}  // namespace

GradcheckResult gradcheck(const VarFunction& f, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options) {
  GradcheckResult result;
  std::vector<Var> vars = leaves(inputs, true);
  Var out = f(vars);
  Rng rng(options.seed, 0);
  Tensor r = Tensor::empty(out.shape());
  rng.fill_uniform(r.data(), r.numel(), -1.0f, 1.0f);
  out.backward(r);

  std::vector<Tensor> probe(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) probe[i] = inputs[i].clone();
  NoGradGuard no_grad;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (i < options.skip.size() && options.skip[i]) continue;
    const Tensor& analytic = vars[i].grad();
    for (int64_t j = 0; j < inputs[i].numel(); ++j) {
      const float x = inputs[i][j];
      probe[i][j] = x + options.eps;
      double plus = project(f(leaves(probe, false)).value(), r);
      probe[i][j] = x - options.eps;
      double minus = project(f(leaves(probe, false)).value(), r);
      probe[i][j] = x;
      double numeric = (plus - minus) / (2.0 * options.eps);
      double a = analytic.defined() ? analytic[j] : 0.0;
      double err = std::abs(a - numeric);
      result.max_abs_error = std::max(result.max_abs_error, static_cast<float>(err));
      if (err > options.atol + options.rtol * std::abs(numeric) && result.ok) {
        result.ok = false;
        std::ostringstream msg;
        msg << "input " << i << " element " << j << ": analytic " << a << " numeric " << numeric;
        result.detail = msg.str();
      }
    }
  }
  return result;
}

}  // namespace attn
