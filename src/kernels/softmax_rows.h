// Softmax and log-softmax of one row, forward and backward, with an optional
// keep-mask (1 = keep, 0 = masked). Masked entries output 0 and get no gradient;
// a fully masked row outputs zeros and gets zero gradient. A row whose kept
// entries are all -inf also outputs zeros instead of NaN (its log-softmax
// gradient is then finite but not meaningful: mask such rows instead). Rows are
// independent, so callers parallelise over rows. Plain loops: this is not the
// fused attention kernel, only the general op.
#pragma once

#include <cstdint>

namespace attn::kernels {

// The mask of a row: `mask` points at its first value and advances by
// `mask_stride` per element (0 when one value covers the whole row); nullptr = keep all.
struct RowMask {
  const float* mask = nullptr;
  int64_t stride = 1;
  bool keep(int64_t j) const { return mask == nullptr || mask[j * stride] != 0.0f; }
};

// y[j] = exp(x[j] - lse) (softmax) or x[j] - lse (log-softmax) over the kept entries.
void softmax_row_fwd(const float* x, RowMask mask, int64_t n, bool log, float* y);
// dx += y ∘ (dy - Σ y∘dy) (softmax) or dy - exp(y) Σ dy (log-softmax), sums over kept entries.
void softmax_row_bwd(const float* y, const float* dy, RowMask mask, int64_t n, bool log, float* dx);

}  // namespace attn::kernels
