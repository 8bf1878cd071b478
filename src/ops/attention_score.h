// Attention score functions: how much query i attends to key j before the
// normalizer (attention_normalizer.h). Scores see the [B, H, T, D] layout only;
// masks and the fused kernel are attention.h's business.
//   dot         qᵀk
//   scaled_dot  qᵀk / √D
//   general     qᵀ W k                       (Luong)
//   additive    vᵀ tanh(W_q q + W_k k)       (Bahdanau)
//   cosine      τ · qᵀk / (‖q‖ ‖k‖)          (τ fixed, or a learned [1] Var)
#pragma once

#include <string>

#include "autodiff/var.h"

namespace attn {

enum class AttentionScore { dot, scaled_dot, general, additive, cosine };

// "dot" | "scaled_dot" | "general" | "additive" | "cosine"; throws a config error otherwise.
AttentionScore attention_score_from_name(const std::string& name);
const char* attention_score_name(AttentionScore score);

// The learned parts of a score; only the ones its score uses need to be defined.
struct AttentionScoreParams {
  Var weight;        // general: W [Dq, Dk]
  Var query_weight;  // additive: W_q [A, Dq]
  Var key_weight;    // additive: W_k [A, Dk]; undefined = k is already W_k k (projected once per sequence)
  Var v;             // additive: [A]
  Var tau;           // cosine: learned temperature [1]; undefined = the fixed cosine_tau
};

// q [B, H, Tq, Dq], k [B, H, Tk, Dk] -> [B, H, Tq, Tk]
Var attention_scores(const Var& q, const Var& k, AttentionScore score, const AttentionScoreParams& params,
                     float cosine_tau = 1.0f);

// s[b, h, i, j] = Σ_a v_a tanh(qp[b, h, i, a] + kp[b, h, j, a]); qp [B, H, Tq, A], kp [B, H, Tk, A], v [A].
// Never materialises the [Tq, Tk, A] sums (kernels/additive_score.h).
Var additive_scores(const Var& qp, const Var& kp, const Var& v);

// x / sqrt(Σ x² + eps²) over the last axis, so a zero row stays zero instead of NaN.
Var l2_normalize(const Var& x, float eps = 1e-6f);

}  // namespace attn
