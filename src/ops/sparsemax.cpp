#include "ops/sparsemax.h"

#include <cmath>
#include <utility>

#include "base/error.h"
#include "kernels/sparsemax.h"
#include "ops/attention_mask.h"

namespace attn {

Var sparsemax(const Var& x, const Tensor* mask) {
  ATTN_CHECK(x.rank() >= 1, shape, "sparsemax needs at least one axis, got shape ", to_string(x.shape()));
  const int64_t n = x.dim(-1);
  const int64_t rows = n > 0 ? x.numel() / n : 0;
  // The kernel reads -inf as "masked".
  const Tensor z = fill_masked(x.value(), mask, -INFINITY);
  Tensor y = Tensor::empty(x.shape());
  kernels::sparsemax_fwd(rows, n, z.data(), y.data());
  return make_result(y, {x}, [x, y, rows, n](const Tensor& dout) {
    Tensor dx = Tensor::empty(y.shape());
    kernels::sparsemax_bwd(rows, n, y.data(), dout.data(), dx.data());
    accumulate_grad(x, std::move(dx));
  });
}

}  // namespace attn
