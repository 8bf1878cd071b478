// Maximum over the middle axis of a buffer viewed as [pre, n, post], with the
// index of each maximum, and its adjoint that routes each gradient to that index.
// The op (ops/reduce.h: max) checks shapes; these plain loops assume n >= 1.
// Not here: sums over an axis (broadcast_binary.h's broadcast_sum).
#pragma once

#include <cstdint>

namespace attn::kernels {

// A tensor seen as [pre, n, post], reduced over n.
struct AxisView {
  int64_t pre = 1, n = 1, post = 1;
};

// y[p, q] = max_i x[p, i, q] and argmax[p, q] = the first i holding it (the first
// NaN, if any, so a NaN is never hidden). y and argmax are [pre, post].
void axis_max_fwd(const AxisView& v, const float* x, float* y, int32_t* argmax);

// dx[p, argmax[p, q], q] += dy[p, q]; every other element of dx is left as it is.
void axis_max_bwd(const AxisView& v, const float* dy, const int32_t* argmax, float* dx);

}  // namespace attn::kernels
