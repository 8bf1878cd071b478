#include "ops/activation.h"

#include "base/error.h"
#include "kernels/pointwise.h"

namespace attn {

namespace {
using kernels::Pointwise;

// y = f(x); the backward writes or adds dout · f'(x) into x's gradient (f' from x and y).
Var pointwise(const Var& x, Pointwise f, float param = 0.0f) {
  ATTN_CHECK(x.defined(), shape, "activation of an undefined input");
  Tensor y = Tensor::empty(x.shape());
  kernels::pointwise_fwd(f, x.value().data(), y.data(), y.numel(), param);
  return make_result(y, {x}, [x, y, f, param](const Tensor& dout) {
    const GradSink dx = grad_sink(x);
    kernels::pointwise_bwd(f, x.value().data(), y.data(), dout.data(), dx.data, dout.numel(), param, dx.accumulate);
  });
}
}  // namespace

Var relu(const Var& x) { return pointwise(x, Pointwise::relu); }
Var gelu(const Var& x) { return pointwise(x, Pointwise::gelu); }
Var tanh(const Var& x) { return pointwise(x, Pointwise::tanh); }
Var sigmoid(const Var& x) { return pointwise(x, Pointwise::sigmoid); }
Var exp(const Var& x) { return pointwise(x, Pointwise::exp); }
Var log(const Var& x) { return pointwise(x, Pointwise::log); }
Var elu(const Var& x, float alpha) { return pointwise(x, Pointwise::elu, alpha); }

}  // namespace attn
