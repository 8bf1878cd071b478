// Strided loops over a dense iteration space shared by up to three operands:
// broadcast binary arithmetic, strided copies (permute, concat, slice) and sums
// over broadcast dimensions (the backward of broadcasting, and axis reductions).
// Operands are raw float buffers described only by their element strides in
// the iteration space (0 along a broadcast or reduced dimension).
// Not here: matrix products (matmul.h) and point-wise nonlinearities.
#pragma once

#include <cstdint>

namespace attn::kernels {

constexpr int kMaxRank = 8;

// Iteration space `dims` (row-major) and each operand's strides in it. Operand 0
// is the destination. Built by make_layout, which drops size-1 dims and merges
// dims that every operand walks contiguously, so the same-shape case becomes one
// flat loop and the bias-like case ([R, C] with [C]) two nested ones.
struct BroadcastLayout {
  int rank = 0;
  int64_t dims[kMaxRank] = {};
  int64_t strides[3][kMaxRank] = {};
};

// strides[k] may be nullptr for an operand a kernel does not use. rank <= kMaxRank.
BroadcastLayout make_layout(int rank, const int64_t* dims, const int64_t* dst_strides,
                            const int64_t* src_strides, const int64_t* src2_strides = nullptr);

enum class BinaryOp { add, sub, mul, div };

// out[o0] (+)= a[o1] op b[o2]. Every destination element is visited once.
void binary_fwd(BinaryOp op, const BroadcastLayout& layout, const float* a, const float* b, float* out,
                bool accumulate);

// y[o0] (+)= alpha * x[o1]: strided copy / scaled accumulation, one visit per destination element.
void strided_axpy(const BroadcastLayout& layout, const float* x, float* y, float alpha, bool accumulate);

// y[o0] += alpha * Σ x[o1] over the dims where y's stride is 0. Each destination
// element is summed in the same order whatever the thread count.
void broadcast_sum(const BroadcastLayout& layout, const float* x, float* y, float alpha);

}  // namespace attn::kernels
