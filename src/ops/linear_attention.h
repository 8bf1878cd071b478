// Linear attention (Katharopoulos et al. 2020): softmax(q kᵀ) v replaced by
//   out_i = φ(q_i)ᵀ Σ_j φ(k_j) v_jᵀ / (φ(q_i) · Σ_j φ(k_j) + eps),   φ(x) = elu(x) + 1,
// summing over all keys, or causally over keys j <= i + (Tk - Tq) as running
// prefix sums (kernels/linear_attention.h): O(T · D · Dv) time, no [Tq, Tk] matrix.
// Padded keys (j >= key_lengths[b]) contribute nothing. Softmax-family attention
// is attention.h.
#pragma once

#include <vector>

#include "autodiff/var.h"
#include "ops/attention.h"

namespace attn {

struct LinearAttentionOptions {
  bool causal = false;
  std::vector<int32_t> key_lengths;  // [B], each in [0, Tk]; empty = no padding
  float eps = 1e-6f;
  AttentionLayout layout = AttentionLayout::bhtd;
  // If set, receives the implied weights [B, H, Tq, Tk]: φ(q_i) · φ(k_j) / denominator_i
  // over visible keys (rows sum to 1 up to eps; a query that sees no key gets zeros).
  Tensor* capture = nullptr;
};

// q [B, H, Tq, D], k [B, H, Tk, D], v [B, H, Tk, Dv] -> [B, H, Tq, Dv] (or the bthd layout).
Var linear_attention(const Var& q, const Var& k, const Var& v, const LinearAttentionOptions& options = {});

// The same function computed quadratically through the [Tq, Tk] matrix; the test oracle.
Var linear_attention_quadratic(const Var& q, const Var& k, const Var& v, const LinearAttentionOptions& options = {});

}  // namespace attn
