#include "ops/loss.h"

#include "base/error.h"
#include "kernels/losses.h"

namespace attn {

Var cross_entropy(const Var& logits, const Ids& targets, const CrossEntropyOptions& options) {
  ATTN_CHECK(logits.defined() && logits.rank() == 2 && logits.dim(1) >= 1, shape,
             "cross_entropy needs logits of shape [N, V] with V >= 1, got ",
             logits.defined() ? to_string(logits.shape()) : "(undefined)");
  const int64_t n = logits.dim(0), v = logits.dim(1);
  ATTN_CHECK(targets.shape == Shape{n} && static_cast<int64_t>(targets.values.size()) == n, shape,
             "cross_entropy: logits of shape ", to_string(logits.shape()), " need targets of shape [", n,
             "], got ", to_string(targets.shape), " with ", targets.values.size(), " values");
  const float eps = options.label_smoothing;
  ATTN_CHECK(eps >= 0.0f && eps <= 1.0f, shape, "cross_entropy: label_smoothing must be in [0, 1], got ", eps);
  int64_t count = 0;
  for (int64_t r = 0; r < n; ++r) {
    const int32_t y = targets.values[r];
    if (y == options.ignore_index) continue;
    ATTN_CHECK(y >= 0 && y < v, shape, "cross_entropy: target ", y, " at row ", r, " is outside [0, ", v,
               ") and is not ignore_index ", options.ignore_index);
    ++count;
  }
  const kernels::CrossEntropyShape s{n, v, options.ignore_index, eps};
  Tensor row_loss = Tensor::empty({n});
  Tensor lse = Tensor::empty({n});
  kernels::cross_entropy_fwd(s, logits.value().data(), targets.values.data(), row_loss.data(), lse.data());
  double total = 0.0;
  for (int64_t r = 0; r < n; ++r) total += row_loss[r];
  // An all-ignored batch has nothing to average: 0, as a loss that teaches nothing.
  Tensor loss = Tensor::full({1}, count > 0 ? static_cast<float>(total / static_cast<double>(count)) : 0.0f);

  return make_result(loss, {logits}, [logits, ids = targets.values, lse, s, count](const Tensor& dout) {
    // With no kept row every row is ignored: the kernel writes (or adds) zeros, and scale is unused.
    const float scale = count > 0 ? dout[0] / static_cast<float>(count) : 0.0f;
    const GradSink dx = grad_sink(logits);
    kernels::cross_entropy_bwd(s, logits.value().data(), ids.data(), lse.data(), scale, dx.data, dx.accumulate);
  });
}

Var mse(const Var& pred, const Tensor& target) {
  ATTN_CHECK(pred.defined() && target.defined() && pred.shape() == target.shape() && pred.numel() > 0, shape,
             "mse needs pred and target of the same non-empty shape, got pred ",
             pred.defined() ? to_string(pred.shape()) : "(undefined)", " and target ",
             target.defined() ? to_string(target.shape()) : "(undefined)");
  const int64_t n = pred.numel();
  const double sum = kernels::squared_error_sum(pred.value().data(), target.data(), n);
  Tensor loss = Tensor::full({1}, static_cast<float>(sum / static_cast<double>(n)));

  return make_result(loss, {pred}, [pred, target, n](const Tensor& dout) {
    // d/dpred mean((pred - target)²) = 2 (pred - target) / n
    kernels::squared_error_bwd(pred.value().data(), target.data(), n, 2.0f * dout[0] / static_cast<float>(n),
                               pred.node()->grad_buffer().data());
  });
}

}  // namespace attn
