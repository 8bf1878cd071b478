#include "ops/norm.h"

#include "base/error.h"
#include "kernels/layer_norm_rows.h"

namespace attn {

Var layer_norm(const Var& x, const Var& gamma, const Var& beta, float eps) {
  ATTN_CHECK(x.defined() && gamma.defined() && beta.defined(), shape,
             "layer_norm needs x, gamma and beta defined");
  ATTN_CHECK(x.rank() >= 1 && x.dim(-1) >= 1, shape, "layer_norm needs x of shape [..., C] with C >= 1, got ",
             to_string(x.shape()));
  const int64_t c = x.dim(-1);
  ATTN_CHECK(gamma.shape() == Shape{c} && beta.shape() == Shape{c}, shape, "layer_norm: x of shape ",
             to_string(x.shape()), " needs gamma and beta of shape [", c, "], got gamma ",
             to_string(gamma.shape()), " and beta ", to_string(beta.shape()));
  ATTN_CHECK(eps > 0.0f, shape, "layer_norm: eps must be > 0, got ", eps);
  const kernels::LayerNormShape s{x.numel() / c, c, eps};
  Tensor y = Tensor::empty(x.shape());  // [..., C]
  Tensor mean = Tensor::empty({s.rows});
  Tensor rstd = Tensor::empty({s.rows});
  kernels::layer_norm_fwd(s, x.value().data(), gamma.value().data(), beta.value().data(), y.data(),
                          mean.data(), rstd.data());

  return make_result(y, {x, gamma, beta}, [x, gamma, beta, mean, rstd, s](const Tensor& dout) {
    auto grad_of = [](const Var& v) { return v.requires_grad() ? v.node()->grad_buffer().data() : nullptr; };
    const GradSink dx = x.requires_grad() ? grad_sink(x) : GradSink{nullptr, false};
    kernels::layer_norm_bwd(s, {x.value().data(), gamma.value().data(), mean.data(), rstd.data()}, dout.data(),
                            {dx.data, dx.accumulate, grad_of(gamma), grad_of(beta)});
  });
}

}  // namespace attn
