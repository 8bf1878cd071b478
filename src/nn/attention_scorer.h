// AttentionScorer: the learned parameters of an attention score
// (ops/attention_score.h) as a module, named
//   general:  weight [Dq, Dk]
//   additive: query_weight [A, Dq], key_weight [A, Dk], v [A]
//   cosine:   tau [1] when learned (starts at cosine_tau)
// dot and scaled_dot own nothing. It also splits a score into the part that
// depends on keys only, so an RNN decoder projects its memory once per sequence.
// The attention itself is ops/attention.h; the modules using this are
// multi_head_attention.h and rnn_attention.h.
#pragma once

#include "nn/module.h"
#include "ops/attention_score.h"
#include "tensor/rng.h"

namespace attn::nn {

struct AttentionScorerOptions {
  AttentionScore score = AttentionScore::scaled_dot;
  int64_t query_width = 0;     // Dq
  int64_t key_width = 0;       // Dk
  int64_t additive_width = 0;  // A; 0 = Dk
  float cosine_tau = 1.0f;
  bool learn_tau = false;
};

// A score applied to keys that went through AttentionScorer::project_keys.
struct ProjectedScore {
  AttentionScore score;
  AttentionScoreParams params;
  float cosine_tau;
};

class AttentionScorer : public Module {
 public:
  AttentionScorer(const AttentionScorerOptions& options, Rng& rng);

  AttentionScore score() const { return options_.score; }
  const AttentionScoreParams& params() const { return params_; }
  float cosine_tau() const { return options_.cosine_tau; }

  // keys [..., Dk] -> additive: W_k k [..., A]; general: k Wᵀ [..., Dq]; otherwise k itself.
  Var project_keys(const Var& keys) const;
  // The score that finishes the job on projected keys: additive without key_weight,
  // general as dot, the others unchanged.
  ProjectedScore projected_score() const;

 private:
  AttentionScorerOptions options_;
  AttentionScoreParams params_;
};

}  // namespace attn::nn
