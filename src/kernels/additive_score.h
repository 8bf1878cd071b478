// Additive (Bahdanau) attention scores on raw buffers:
//   s[g, i, j] = Σ_a v[a] · tanh(qp[g, i, a] + kp[g, j, a])
// computed per group g (= batch · head) without materialising the [Tq, Tk, A]
// tensor of sums, which would dominate memory: each query row builds its
// [Tk, A] block of sums in scratch and takes tanh through the vectorised
// kernels/pointwise.h. The projections W_q q and W_k k are ordinary matmuls done
// by the caller (ops/attention_score.h). The reference twin is the
// broadcast-add → tanh → matmul composition in the tests.
#pragma once

#include <cstdint>

namespace attn::kernels {

struct AdditiveScoreShape {
  int64_t groups = 0, tq = 0, tk = 0, width = 0;  // G, Tq, Tk, A
};

// Floats of scratch the kernels below need (two [Tk, A] blocks per OpenMP thread).
int64_t additive_score_scratch(const AdditiveScoreShape& s);

// qp [G, Tq, A], kp [G, Tk, A], v [A] -> s [G, Tq, Tk] (overwritten).
void additive_score_fwd(const AdditiveScoreShape& s, const float* qp, const float* kp, const float* v,
                        float* scores, float* scratch);

// Recomputes t = tanh(qp_i + kp_j): with u = ds_ij · v ∘ (1 - t²),
// dqp_i += u, dkp_j += u, dv += ds_ij · t. Overwrites dqp [G, Tq, A], dkp [G, Tk, A]
// and dv_groups [G, A] (one partial dv per group; the caller sums them).
void additive_score_bwd(const AdditiveScoreShape& s, const float* qp, const float* kp, const float* v,
                        const float* dscores, float* dqp, float* dkp, float* dv_groups, float* scratch);

}  // namespace attn::kernels
