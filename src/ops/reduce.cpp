#include "ops/reduce.h"

#include <limits>

#include "base/error.h"
#include "kernels/axis_max.h"
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

// x's shape without axis a (or with it as 1 when keepdim).
Shape reduced_shape(const Shape& shape, int a, bool keepdim) {
  Shape out = shape;
  if (keepdim)
    out[a] = 1;
  else
    out.erase(out.begin() + a);
  if (out.empty()) out = {1};  // attn has no rank-0 tensors
  return out;
}

Var reduce_axis(const Var& x, int axis, bool keepdim, bool average) {
  ATTN_CHECK(x.defined(), shape, average ? "mean" : "sum", ": undefined input");
  const Shape& shape = x.shape();
  const int a = normalize_axis(axis, x.rank());
  const int64_t n = shape[a];
  ATTN_CHECK(!average || n > 0, shape, "mean over empty axis ", axis, " of ", to_string(shape));
  return reduce_middle(x, dims_product(shape, 0, a), n, dims_product(shape, a + 1, x.rank()),
                       reduced_shape(shape, a, keepdim), average ? 1.0f / static_cast<float>(n) : 1.0f);
}
}  // namespace

Var sum(const Var& x, int axis, bool keepdim) { return reduce_axis(x, axis, keepdim, false); }
Var mean(const Var& x, int axis, bool keepdim) { return reduce_axis(x, axis, keepdim, true); }

Var max(const Var& x, int axis, bool keepdim, Ids* argmax) {
  ATTN_CHECK(x.defined(), shape, "max: undefined input");
  const Shape& shape = x.shape();
  const int a = normalize_axis(axis, x.rank());
  ATTN_CHECK(shape[a] > 0 && shape[a] <= std::numeric_limits<int32_t>::max(), shape, "max over axis ", axis, " of ",
             to_string(shape), ": its length must be in [1, 2^31)");
  const kernels::AxisView view{dims_product(shape, 0, a), shape[a], dims_product(shape, a + 1, x.rank())};
  const Shape out_shape = reduced_shape(shape, a, keepdim);
  Tensor y = Tensor::empty(out_shape);
  std::vector<int32_t> at(view.pre * view.post);
  kernels::axis_max_fwd(view, x.value().data(), y.data(), at.data());
  if (argmax) *argmax = Ids{out_shape, at};
  return make_result(y, {x}, [x, view, at = std::move(at)](const Tensor& dy) {
    kernels::axis_max_bwd(view, dy.data(), at.data(), x.node()->grad_buffer().data());
  });
}

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
