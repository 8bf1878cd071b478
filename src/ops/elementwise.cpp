#include "ops/elementwise.h"

#include <algorithm>

#include "base/error.h"
#include "kernels/broadcast_binary.h"
#include "tensor/broadcast.h"

namespace attn {

namespace {
using kernels::BinaryOp;

const char* op_name(BinaryOp op) {
  switch (op) {
    case BinaryOp::add: return "add";
    case BinaryOp::sub: return "sub";
    case BinaryOp::mul: return "mul";
    case BinaryOp::div: return "div";
  }
  return "?";
}

// out = a op b over out's (broadcast) shape; out is dense.
kernels::BroadcastLayout binary_layout(const Shape& out, const Shape& a, const Shape& b) {
  const std::vector<int64_t> so = broadcast_strides(out, out), sa = broadcast_strides(a, out),
                             sb = broadcast_strides(b, out);
  return kernels::make_layout(static_cast<int>(out.size()), out.data(), so.data(), sa.data(), sb.data());
}

kernels::BroadcastLayout flat_layout(int64_t n) {
  const int64_t one = 1;
  return kernels::make_layout(1, &n, &one, &one);
}

// x.grad += alpha · g summed over the dims along which x was broadcast to g's shape.
void accumulate_unbroadcast(const Var& x, const Tensor& g, float alpha) {
  if (x.numel() == g.numel() && alpha == 1.0f) return accumulate_grad(x, g);  // may share g, no copy
  const GradSink sink = grad_sink(x);
  if (x.numel() == g.numel()) {  // not broadcast: a scaled copy
    kernels::strided_axpy(flat_layout(g.numel()), g.data(), sink.data, alpha, sink.accumulate);
    return;
  }
  if (!sink.accumulate) std::fill(sink.data, sink.data + x.numel(), 0.0f);
  const Shape& out = g.shape();
  const std::vector<int64_t> sx = broadcast_strides(x.shape(), out), sg = broadcast_strides(out, out);
  kernels::broadcast_sum(kernels::make_layout(static_cast<int>(out.size()), out.data(), sx.data(), sg.data()),
                         g.data(), sink.data, alpha);
}

// x.grad += unbroadcast(dout op other), with `other` broadcast to dout's shape.
void accumulate_binary_grad(const Var& x, BinaryOp op, const Tensor& dout, const Tensor& other) {
  const kernels::BroadcastLayout layout = binary_layout(dout.shape(), dout.shape(), other.shape());
  if (x.numel() == dout.numel()) {  // not broadcast: write straight into the gradient
    const GradSink sink = grad_sink(x);
    kernels::binary_fwd(op, layout, dout.data(), other.data(), sink.data, sink.accumulate);
    return;
  }
  Tensor term = Tensor::empty(dout.shape());
  kernels::binary_fwd(op, layout, dout.data(), other.data(), term.data(), false);
  accumulate_unbroadcast(x, term, 1.0f);
}

Var binary(BinaryOp op, const Var& a, const Var& b) {
  ATTN_CHECK(a.defined() && b.defined(), shape, op_name(op), ": undefined operand");
  const Shape out_shape = broadcast_shapes(a.shape(), b.shape());
  ATTN_CHECK(out_shape.size() <= static_cast<size_t>(kernels::kMaxRank), shape, op_name(op), ": rank of ",
             to_string(out_shape), " exceeds ", kernels::kMaxRank);
  Tensor out = Tensor::empty(out_shape);
  kernels::binary_fwd(op, binary_layout(out_shape, a.shape(), b.shape()), a.value().data(), b.value().data(),
                      out.data(), false);
  switch (op) {
    case BinaryOp::add:
    case BinaryOp::sub:
      return make_result(out, {a, b}, [a, b, op](const Tensor& dout) {
        if (a.requires_grad()) accumulate_unbroadcast(a, dout, 1.0f);
        if (b.requires_grad()) accumulate_unbroadcast(b, dout, op == BinaryOp::add ? 1.0f : -1.0f);
      });
    case BinaryOp::mul:
      return make_result(out, {a, b}, [a, b](const Tensor& dout) {
        if (a.requires_grad()) accumulate_binary_grad(a, BinaryOp::mul, dout, b.value());
        if (b.requires_grad()) accumulate_binary_grad(b, BinaryOp::mul, dout, a.value());
      });
    case BinaryOp::div:
      // y = a / b:  da = dout / b,  db = -dout · a / b² = -(dout · y) / b
      return make_result(out, {a, b}, [a, b, y = out](const Tensor& dout) {
        if (a.requires_grad()) accumulate_binary_grad(a, BinaryOp::div, dout, b.value());
        if (b.requires_grad()) {
          Tensor t = Tensor::empty(dout.shape());
          const int64_t n = t.numel();
          const float *d = dout.data(), *yv = y.data();
          float* tp = t.data();
          for (int64_t i = 0; i < n; ++i) tp[i] = -d[i] * yv[i];
          accumulate_binary_grad(b, BinaryOp::div, t, b.value());
        }
      });
  }
  ATTN_FAIL(internal, "unknown binary op");
}
}  // namespace

Var add(const Var& a, const Var& b) { return binary(BinaryOp::add, a, b); }
Var sub(const Var& a, const Var& b) { return binary(BinaryOp::sub, a, b); }
Var mul(const Var& a, const Var& b) { return binary(BinaryOp::mul, a, b); }
Var div(const Var& a, const Var& b) { return binary(BinaryOp::div, a, b); }

Var scale(const Var& x, float factor) {
  ATTN_CHECK(x.defined(), shape, "scale: undefined input");
  const int64_t n = x.numel();
  Tensor out = Tensor::empty(x.shape());
  kernels::strided_axpy(flat_layout(n), x.value().data(), out.data(), factor, false);
  return make_result(out, {x}, [x, factor](const Tensor& dout) { accumulate_unbroadcast(x, dout, factor); });
}

Var add_scalar(const Var& x, float value) {
  ATTN_CHECK(x.defined(), shape, "add_scalar: undefined input");
  const int64_t n = x.numel();
  Tensor out = Tensor::empty(x.shape());
  const float* xp = x.value().data();
  float* op = out.data();
#pragma omp parallel for simd schedule(static) if (n > (1 << 16))
  for (int64_t i = 0; i < n; ++i) op[i] = xp[i] + value;
  return make_result(out, {x}, [x](const Tensor& dout) { accumulate_grad(x, dout); });
}

}  // namespace attn
