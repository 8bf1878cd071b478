// Linear attention (Katharopoulos et al. 2020) on raw buffers, after the feature
// map: with a = φ(q), b = φ(k),
//   out_i = a_iᵀ S_i / (a_i · z_i + eps),  S_i = Σ_{j visible} b_j v_jᵀ,  z_i = Σ_{j visible} b_j
// where every key is visible (non-causal) or, causal, key j is visible to query i
// iff j <= i + (Tk - Tq), the alignment of attention_mask.h. Causal runs keep S
// and z as prefix sums, so time is O(T · D · Dv) and no [Tq, Tk] matrix exists.
// S and z travel together as S' = Σ b_j [v_j, 1]ᵀ of shape [D, Dv + 1].
// The feature map, padding and autodiff live in ops/linear_attention.h; the
// quadratic formulation in the tests is the oracle.
#pragma once

#include <cstdint>

namespace attn::kernels {

struct LinearAttentionShape {
  int64_t groups = 0, tq = 0, tk = 0, d = 0, dv = 0;  // G = B · H
  bool causal = false;
  float eps = 1e-6f;
};

// a [G, Tq, D], b [G, Tk, D], v [G, Tk, Dv] -> out [G, Tq, Dv], den [G, Tq] (kept for
// the backward). state: scratch of G · (D + 1) · (Dv + 1) floats.
void linear_attention_fwd(const LinearAttentionShape& s, const float* a, const float* b, const float* v,
                          float* out, float* den, float* state);

// Overwrites da, db, dv. With g_i = dout_i: dnum_i = g_i / den_i, dden_i = -(g_i · out_i) / den_i;
// da_i = S'_i [dnum_i, dden_i]; with R'_j = Σ_{i sees j} a_i [dnum_i, dden_i]ᵀ:
// db_j = R'_j [v_j, 1], dv_j = R'_j[:, :Dv]ᵀ b_j. state: scratch as in the forward.
void linear_attention_bwd(const LinearAttentionShape& s, const float* a, const float* b, const float* v,
                          const float* out, const float* den, const float* dout, float* da, float* db,
                          float* dv, float* state);

}  // namespace attn::kernels
