#include "ops/dropout.h"

#include <vector>

#include "base/error.h"
#include "kernels/dropout.h"
#include "ops/activation.h"

namespace attn {

Var dropout(const Var& x, float p, Rng& rng, bool training) {
  ATTN_CHECK(x.defined(), shape, "dropout of an undefined Var");
  ATTN_CHECK(p >= 0.0f && p <= 1.0f, shape, "dropout probability must be in [0, 1], got ", p);
  if (!training || p == 0.0f) return x;
  const int64_t n = x.numel();
  // Element i keeps when number position + i of the stream, as a uniform in [0, 1), is >= p.
  // The decisions are kept as bits (1/32 of a float mask) for the backward.
  std::vector<uint8_t> keep(kernels::dropout_mask_bytes(n));
  Tensor y = Tensor::empty(x.shape());
  kernels::dropout_fwd(rng.take(n), p, x.value().data(), n, y.data(), keep.data());

  return make_result(y, {x}, [x, keep = std::move(keep), p, n](const Tensor& dout) {
    const GradSink dx = grad_sink(x);
    kernels::dropout_bwd(keep.data(), p, dout.data(), n, dx.data, dx.accumulate);
  });
}

Var relu_dropout(const Var& x, float p, Rng& rng, bool training) {
  ATTN_CHECK(x.defined(), shape, "relu_dropout of an undefined Var");
  ATTN_CHECK(p >= 0.0f && p <= 1.0f, shape, "dropout probability must be in [0, 1], got ", p);
  if (!training || p == 0.0f) return relu(x);
  const int64_t n = x.numel();
  Tensor y = Tensor::empty(x.shape());
  kernels::relu_dropout_fwd(rng.take(n), p, x.value().data(), n, y.data());
  return make_result(y, {x}, [x, y, p, n](const Tensor& dout) {
    const GradSink dx = grad_sink(x);
    kernels::relu_dropout_bwd(p, y.data(), dout.data(), n, dx.data, dx.accumulate);
  });
}

}  // namespace attn
