#include "nn/attention_scorer.h"

#include "base/error.h"
#include "nn/init.h"
#include "ops/linalg.h"

namespace attn::nn {

AttentionScorer::AttentionScorer(const AttentionScorerOptions& options, Rng& rng) : options_(options) {
  const int64_t dq = options.query_width, dk = options.key_width;
  ATTN_CHECK(dq > 0 && dk > 0, config, "attention scorer needs positive query and key widths, got ", dq, " and ",
             dk);
  switch (options.score) {
    case AttentionScore::dot:
    case AttentionScore::scaled_dot:
      ATTN_CHECK(dq == dk, config, attention_score_name(options.score),
                 " attention needs equal query and key widths, got ", dq, " and ", dk);
      break;
    case AttentionScore::general: params_.weight = register_parameter("weight", xavier_uniform({dq, dk}, rng)); break;
    case AttentionScore::additive: {
      const int64_t a = options.additive_width > 0 ? options.additive_width : dk;
      params_.query_weight = register_parameter("query_weight", uniform_fan_in({a, dq}, dq, rng));
      params_.key_weight = register_parameter("key_weight", uniform_fan_in({a, dk}, dk, rng));
      params_.v = register_parameter("v", uniform_fan_in({a}, a, rng));
      break;
    }
    case AttentionScore::cosine:
      ATTN_CHECK(dq == dk, config, "cosine attention needs equal query and key widths, got ", dq, " and ", dk);
      if (options.learn_tau) params_.tau = register_parameter("tau", Tensor::full({1}, options.cosine_tau));
      break;
  }
}

Var AttentionScorer::project_keys(const Var& keys) const {
  switch (options_.score) {
    case AttentionScore::additive: return matmul(keys, params_.key_weight, false, true);  // [..., A]
    case AttentionScore::general: return matmul(keys, params_.weight, false, true);       // [..., Dq]
    default: return keys;
  }
}

ProjectedScore AttentionScorer::projected_score() const {
  ProjectedScore out{options_.score, params_, options_.cosine_tau};
  if (options_.score == AttentionScore::additive) out.params.key_weight = Var();
  if (options_.score == AttentionScore::general) {
    out.score = AttentionScore::dot;
    out.params.weight = Var();
  }
  return out;
}

}  // namespace attn::nn
