// The unfused attention composition used as the benchmark baseline:
// S = Q·Kᵀ (oneDNN matmul) → scaled, masked softmax (plain loops) → O = P·V, and
// its backward through the same matmuls. It materialises P [B·H, Tq, Tk] (kept
// for the backward pass) and dS, like an autograd composition does.
// Not an oracle (kernels/flash_attention.h has that) and not a differentiable op.
#pragma once

#include <cstdint>
#include <memory>

#include "base/grid_window.h"

namespace attn::bench {

struct UnfusedShape {
  int64_t BH, Tq, Tk, D;  // tensors [BH, T, D] contiguous
  float scale;
  bool causal;  // query i sees key j only if j <= i + Tk - Tq
  GridWindow grid = {};  // active: query i sees key j only if grid_visible(grid, i, j)
};

class UnfusedAttention {
 public:
  explicit UnfusedAttention(const UnfusedShape& shape) : s_(shape) {}
  // Allocates P [BH, Tq, Tk] and keeps it for backward().
  void forward(const float* q, const float* k, const float* v, float* o);
  // Needs forward() first; allocates dS [BH, Tq, Tk] for the duration of the call.
  void backward(const float* q, const float* k, const float* v, const float* dout, float* dq, float* dk,
                float* dv);

 private:
  UnfusedShape s_;
  std::unique_ptr<float[]> p_;  // [BH, Tq, Tk]
};

}  // namespace attn::bench
