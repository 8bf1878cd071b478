// Fused ("flash") scaled-dot-product attention on the CPU, forward and backward,
// on raw float buffers: online softmax over key blocks, no [Tq, Tk] buffer, the
// per-row log-sum-exp saved for the backward pass, which recomputes the
// probabilities (FlashAttention-2 style). Masks: key padding, causal, window and
// the 2-D window of image patches (base/grid_window.h), in any combination. The
// SIMD variant is chosen at run time (cpu_features.h).
// Also holds the plain reference loops, the test oracle.
// Not here: the differentiable op (ops/) and the unfused composition (bench/).
#pragma once

#include <cstdint>

#include "base/grid_window.h"
#include "kernels/cpu_features.h"

namespace attn::kernels {

// Element strides of a [B, H, T, D] view; the D axis is contiguous. A [B, T, H, D]
// tensor is passed in place with stride_t = H * D, stride_h = D.
struct AttnLayout {
  int64_t stride_b, stride_h, stride_t;
};

struct FlashParams {
  int64_t B, H, Tq, Tk, D;
  float scale;  // e.g. 1/sqrt(D) for scaled_dot, 1 for dot
  bool causal = false;  // query i sees key j only if j <= i + (Tk - Tq)
  int64_t window = -1;  // >= 0: query i sees key j only if |j - (i + Tk - Tq)| <= window
  const int32_t* key_lengths = nullptr;  // [B] or nullptr: key j visible only if j < key_lengths[b]
  GridWindow grid;  // active: Tq == Tk == grid.length(), query i sees key j only if grid_visible(grid, i, j)
  AttnLayout q, k, v, o;  // dq/dk/dv/dout use the layouts of q/k/v/o
};

// o [B, H, Tq, D] (layout o), lse [B, H, Tq] contiguous: natural-log log-sum-exp of the
// scaled scores of each query row. A fully masked row gets o = 0, lse = -inf.
void flash_attention_fwd(const FlashParams& p, const float* q, const float* k, const float* v, float* o,
                         float* lse);
// Overwrites dq, dk, dv (no accumulation). Fully masked rows contribute nothing.
void flash_attention_bwd(const FlashParams& p, const float* q, const float* k, const float* v, const float* o,
                         const float* dout, const float* lse, float* dq, float* dk, float* dv);

// The same with an explicit SIMD variant, so tests reach every path on one machine
// (an ISA the CPU lacks must not be requested).
void flash_attention_fwd_isa(Isa isa, const FlashParams& p, const float* q, const float* k, const float* v,
                             float* o, float* lse);
void flash_attention_bwd_isa(Isa isa, const FlashParams& p, const float* q, const float* k, const float* v,
                             const float* o, const float* dout, const float* lse, float* dq, float* dk,
                             float* dv);

// Plain loops with double accumulation, one query row at a time: the oracle.
void flash_attention_fwd_reference(const FlashParams& p, const float* q, const float* k, const float* v, float* o,
                                   float* lse);
void flash_attention_bwd_reference(const FlashParams& p, const float* q, const float* k, const float* v,
                                   const float* o, const float* dout, const float* lse, float* dq, float* dk,
                                   float* dv);

}  // namespace attn::kernels
