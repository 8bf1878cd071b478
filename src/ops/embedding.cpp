#include "ops/embedding.h"

#include "base/error.h"
#include "kernels/gather_rows.h"

namespace attn {

Var embedding(const Var& weight, const Ids& ids) {
  ATTN_CHECK(weight.defined() && weight.rank() == 2, shape, "embedding needs a weight of shape [V, C], got ",
             weight.defined() ? to_string(weight.shape()) : "(undefined)");
  const int64_t v = weight.dim(0), c = weight.dim(1);
  const int64_t n = numel(ids.shape);
  ATTN_CHECK(static_cast<int64_t>(ids.values.size()) == n, shape, "embedding: ids of shape ",
             to_string(ids.shape), " hold ", ids.values.size(), " values instead of ", n);
  for (int64_t i = 0; i < n; ++i) {
    const int32_t id = ids.values[i];
    ATTN_CHECK(id >= 0 && id < v, shape, "embedding: id ", id, " at position ", i, " is outside [0, V) for V = ",
               v);
  }
  Shape out_shape = ids.shape;
  out_shape.push_back(c);
  Tensor out = Tensor::empty(out_shape);  // [..., C]
  kernels::gather_rows(weight.value().data(), c, ids.values.data(), n, out.data());

  return make_result(out, {weight}, [weight, values = ids.values, c, n](const Tensor& dout) {
    kernels::scatter_add_rows(dout.data(), c, values.data(), n, weight.node()->grad_buffer().data());
  });
}

}  // namespace attn
