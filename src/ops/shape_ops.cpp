#include "ops/shape_ops.h"

#include <numeric>
#include <utility>

#include "base/error.h"
#include "kernels/broadcast_binary.h"
#include "tensor/broadcast.h"

namespace attn {

namespace {
std::vector<int64_t> dense_strides(const Shape& shape) { return broadcast_strides(shape, shape); }

std::string to_string(const std::vector<int>& order) {
  Shape s(order.begin(), order.end());
  return attn::to_string(s);
}

// A [pre, len·post] block of a [pre, total·post] tensor starting at column
// `offset`·post, as a layout over the block: the copy in (or out of) a concat or slice.
struct Block {
  kernels::BroadcastLayout into_block;  // block (dense) <- whole (strided)
  kernels::BroadcastLayout into_whole;  // whole (strided) <- block (dense)
  int64_t offset = 0;                   // first element of the block in the whole
};

Block block(int64_t pre, int64_t len, int64_t total, int64_t post, int64_t offset) {
  const int64_t dims[2] = {pre, len * post}, dense[2] = {len * post, 1}, whole[2] = {total * post, 1};
  return {kernels::make_layout(2, dims, dense, whole), kernels::make_layout(2, dims, whole, dense), offset * post};
}
}  // namespace

Var reshape(const Var& x, const Shape& shape) {
  ATTN_CHECK(x.defined(), shape, "reshape: undefined input");
  return make_result(x.value().reshape(shape), {x}, [x](const Tensor& dout) { accumulate_grad(x, dout); });
}

Var permute(const Var& x, const std::vector<int>& order) {
  ATTN_CHECK(x.defined(), shape, "permute: undefined input");
  const int rank = x.rank();
  ATTN_CHECK(static_cast<int>(order.size()) == rank && rank <= kernels::kMaxRank, shape, "permute order ",
             to_string(order), " does not fit shape ", attn::to_string(x.shape()));
  std::vector<int> axes(rank);
  std::vector<bool> seen(rank, false);
  for (int i = 0; i < rank; ++i) {
    axes[i] = normalize_axis(order[i], rank);
    ATTN_CHECK(!seen[axes[i]], shape, "permute order ", to_string(order), " repeats axis ", order[i],
               " (shape ", attn::to_string(x.shape()), ")");
    seen[axes[i]] = true;
  }
  const Shape& in_shape = x.shape();
  const std::vector<int64_t> in_strides = dense_strides(in_shape);
  Shape out_shape(rank);
  std::vector<int64_t> gather(rank);  // input stride along each output dim
  for (int i = 0; i < rank; ++i) {
    out_shape[i] = in_shape[axes[i]];
    gather[i] = in_strides[axes[i]];
  }
  const std::vector<int64_t> out_strides = dense_strides(out_shape);
  std::vector<int64_t> scatter(rank);  // output stride along each input dim
  for (int i = 0; i < rank; ++i) scatter[axes[i]] = out_strides[i];

  Tensor out = Tensor::empty(out_shape);
  kernels::strided_axpy(kernels::make_layout(rank, out_shape.data(), out_strides.data(), gather.data()),
                        x.value().data(), out.data(), 1.0f, false);
  const kernels::BroadcastLayout back = kernels::make_layout(rank, in_shape.data(), in_strides.data(), scatter.data());
  return make_result(out, {x}, [x, back](const Tensor& dout) {
    const GradSink dx = grad_sink(x);
    kernels::strided_axpy(back, dout.data(), dx.data, 1.0f, dx.accumulate);
  });
}

Var transpose(const Var& x, int axis_a, int axis_b) {
  ATTN_CHECK(x.defined(), shape, "transpose: undefined input");
  std::vector<int> order(x.rank());
  std::iota(order.begin(), order.end(), 0);
  std::swap(order[normalize_axis(axis_a, x.rank())], order[normalize_axis(axis_b, x.rank())]);
  return permute(x, order);
}

Var concat(const std::vector<Var>& parts, int axis) {
  ATTN_CHECK(!parts.empty() && parts[0].defined(), shape, "concat needs at least one defined part");
  const Shape& first = parts[0].shape();
  const int rank = parts[0].rank();
  const int a = normalize_axis(axis, rank);
  int64_t total = 0;
  for (const Var& p : parts) {
    bool fits = p.defined() && p.rank() == rank;
    for (int d = 0; fits && d < rank; ++d) fits = d == a || p.shape()[d] == first[d];
    ATTN_CHECK(fits, shape, "concat on axis ", axis, ": part ", p.defined() ? attn::to_string(p.shape()) : "undefined",
               " does not match ", attn::to_string(first));
    total += p.shape()[a];
  }
  const int64_t pre = dims_product(first, 0, a), post = dims_product(first, a + 1, rank);
  Shape out_shape = first;
  out_shape[a] = total;
  Tensor out = Tensor::empty(out_shape);
  std::vector<Block> blocks;
  int64_t offset = 0;
  for (const Var& p : parts) {
    blocks.push_back(block(pre, p.shape()[a], total, post, offset));
    kernels::strided_axpy(blocks.back().into_whole, p.value().data(), out.data() + blocks.back().offset, 1.0f,
                          false);
    offset += p.shape()[a];
  }
  return make_result(out, parts, [parts, blocks = std::move(blocks)](const Tensor& dout) {
    for (size_t i = 0; i < parts.size(); ++i)
      if (parts[i].requires_grad()) {
        const GradSink dpart = grad_sink(parts[i]);
        kernels::strided_axpy(blocks[i].into_block, dout.data() + blocks[i].offset, dpart.data, 1.0f,
                              dpart.accumulate);
      }
  });
}

Var slice(const Var& x, int axis, int64_t begin, int64_t end) {
  ATTN_CHECK(x.defined(), shape, "slice: undefined input");
  const Shape& shape = x.shape();
  const int a = normalize_axis(axis, x.rank());
  ATTN_CHECK(0 <= begin && begin <= end && end <= shape[a], shape, "slice [", begin, ", ", end, ") on axis ", axis,
             " out of range for ", attn::to_string(shape));
  Shape out_shape = shape;
  out_shape[a] = end - begin;
  const Block b = block(dims_product(shape, 0, a), end - begin, shape[a], dims_product(shape, a + 1, x.rank()), begin);
  Tensor out = Tensor::empty(out_shape);
  kernels::strided_axpy(b.into_block, x.value().data() + b.offset, out.data(), 1.0f, false);
  return make_result(out, {x}, [x, b](const Tensor& dout) {
    kernels::strided_axpy(b.into_whole, dout.data(), x.node()->grad_buffer().data() + b.offset, 1.0f, true);
  });
}

}  // namespace attn
