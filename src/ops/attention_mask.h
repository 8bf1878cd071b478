// Attention masks: which keys each query may see. The rule is the fused kernel's
// (kernels/flash_attention.h), with queries aligned to the end of the keys:
//   causal:    query i sees key j iff j <= i + (Tk - Tq)
//   window w:  iff |j - (i + Tk - Tq)| <= w
//   padding:   iff j < key_lengths[b]
//   grid:      iff grid_visible(grid, i, j), the 2-D window of image patches (base/grid_window.h)
//   explicit:  iff mask[b, h, i, j] != 0 (broadcast to [B, H, Tq, Tk])
// All given conditions combine with AND. A query that sees no key is fully
// masked: its weights are all zero and its output is zero, never NaN.
// This file builds masks; the normalizers that honour them are elsewhere.
#pragma once

#include <cstdint>
#include <vector>

#include "base/grid_window.h"
#include "tensor/tensor.h"

namespace attn {

struct AttentionMask {
  std::vector<int32_t> key_lengths;  // [B], each in [0, Tk]; empty = no padding
  bool causal = false;
  int64_t window = -1;  // -1 = unlimited; otherwise w >= 0
  GridWindow grid;      // inactive = none; active: Tq == Tk == grid.length()
  Tensor mask;          // 1 = keep, 0 = masked, broadcastable to [B, H, Tq, Tk]; undefined = none

  bool structural() const { return causal || window >= 0 || grid.active(); }
  bool any() const { return structural() || !key_lengths.empty() || mask.defined(); }
};

inline bool key_visible(int64_t i, int64_t j, int64_t tq, int64_t tk, bool causal, int64_t window) {
  const int64_t aligned = i + (tk - tq);
  if (causal && j > aligned) return false;
  if (window >= 0 && (j < aligned - window || j > aligned + window)) return false;
  return true;
}

// Throws a shape error when key_lengths, window, grid or the explicit mask do not fit.
void check_attention_mask(const AttentionMask& spec, int64_t batch, int64_t heads, int64_t tq, int64_t tk);

// The combined 0/1 mask of shape [B or 1, H or 1, Tq, Tk] (B only with padding or a
// batched explicit mask, H only with a per-head explicit mask), or an undefined
// tensor when spec masks nothing. Checks spec first.
Tensor build_attention_mask(const AttentionMask& spec, int64_t batch, int64_t heads, int64_t tq, int64_t tk);

// A copy of x with `value` wherever the mask (broadcast to x's shape) is 0; x itself when mask is null.
Tensor fill_masked(const Tensor& x, const Tensor* mask, float value);

}  // namespace attn
