#include "ops/reduce.h"

#include "base/error.h"
#include "kernels/broadcast_binary.h"

namespace attn {

namespace {
// x viewed as [pre, n, post] -> y [pre, post] = alpha · Σ over n; the backward
// spreads alpha · dy back over n.
Var reduce_middle(const Var& x, int64_t pre, int64_t n, int64_t post, Shape out_shape, float alpha) {
  const int64_t dims[3] = {pre, n, post};
  const int64_t dense[3] = {n * post, post, 1}, reduced[3] = {post, 0, 1};
  Tensor y = Tensor::zeros(out_shape);
  kernels::broadcast_sum(kernels::make_layout(3, dims, reduced, dense), x.value().data(), y.data(), alpha);
  const kernels::BroadcastLayout spread = kernels::make_layout(3, dims, dense, reduced);
  return make_result(y, {x}, [x, spread, alpha](const Tensor& dy) {
    kernels::strided_axpy(spread, dy.data(), x.node()->grad_buffer().data(), alpha, true);
  });
}

Var reduce_axis(const Var& x, int axis, bool keepdim, bool average) {
  ATTN_CHECK(x.defined(), shape, average ? "mean" : "sum", ": undefined input");
  const Shape& shape = x.shape();
  const int a = normalize_axis(axis, x.rank());
  const int64_t n = shape[a];
  ATTN_CHECK(!average || n > 0, shape, "mean over empty axis ", axis, " of ", to_string(shape));
  Shape out_shape = shape;
  if (keepdim)
    out_shape[a] = 1;
  else
    out_shape.erase(out_shape.begin() + a);
  if (out_shape.empty()) out_shape = {1};  // attn has no rank-0 tensors
  return reduce_middle(x, dims_product(shape, 0, a), n, dims_product(shape, a + 1, x.rank()), out_shape,
                       average ? 1.0f / static_cast<float>(n) : 1.0f);
}
}  // namespace

Var sum(const Var& x, int axis, bool keepdim) { return reduce_axis(x, axis, keepdim, false); }
Var mean(const Var& x, int axis, bool keepdim) { return reduce_axis(x, axis, keepdim, true); }

Var sum_all(const Var& x) {
  ATTN_CHECK(x.defined(), shape, "sum_all: undefined input");
  return reduce_middle(x, 1, x.numel(), 1, {1}, 1.0f);
}

Var mean_all(const Var& x) {
  ATTN_CHECK(x.defined() && x.numel() > 0, shape, "mean_all of an empty tensor ",
             x.defined() ? to_string(x.shape()) : "undefined");
  return reduce_middle(x, 1, x.numel(), 1, {1}, 1.0f / static_cast<float>(x.numel()));
}

}  // namespace attn
