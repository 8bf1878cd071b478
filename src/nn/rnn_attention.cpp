#include "nn/rnn_attention.h"

#include "base/error.h"
#include "ops/shape_ops.h"

namespace attn::nn {

RnnAttention::RnnAttention(const std::string& score, const std::string& normalizer, int64_t query_width,
                           int64_t key_width, int64_t attn_width, Rng& rng)
    : normalizer_(attention_normalizer_from_name(normalizer)), query_width_(query_width), key_width_(key_width) {
  AttentionScorerOptions s;
  s.score = attention_score_from_name(score);
  s.query_width = query_width;
  s.key_width = key_width;
  s.additive_width = attn_width;
  score_ = register_module("score", std::make_shared<AttentionScorer>(s, rng));
}

PreparedKeys RnnAttention::prepare(const Var& encoder_outputs) const {
  ATTN_CHECK(encoder_outputs.rank() == 3 && encoder_outputs.dim(2) == key_width_, shape,
             "RNN attention needs encoder outputs [B, Tk, ", key_width_, "], got ",
             to_string(encoder_outputs.shape()));
  return {encoder_outputs, score_->project_keys(encoder_outputs)};
}

const AttentionScoreParams* RnnAttention::additive_softmax_params() const {
  const bool fits = score_->score() == AttentionScore::additive && normalizer_ == AttentionNormalizer::softmax;
  return fits ? &score_->params() : nullptr;
}

Var RnnAttention::forward(const Var& query, const PreparedKeys& keys, const std::vector<int32_t>& key_lengths,
                          Tensor* capture) const {
  ATTN_CHECK(keys.values.defined() && keys.keys.defined(), internal, "RNN attention forward before prepare()");
  const int64_t b = keys.values.dim(0), tk = keys.values.dim(1);
  ATTN_CHECK(query.rank() == 2 && query.dim(0) == b && query.dim(1) == query_width_, shape,
             "RNN attention needs a query [", b, ", ", query_width_, "], got ", to_string(query.shape()));
  const ProjectedScore score = score_->projected_score();
  AttentionOptions o;
  o.score = score.score;
  o.normalizer = normalizer_;
  o.params = score.params;
  o.cosine_tau = score.cosine_tau;
  o.mask.key_lengths = key_lengths;
  o.capture = capture;
  // One head and one query: [B, 1, 1, *].
  Var context = attention(reshape(query, {b, 1, 1, query_width_}), reshape(keys.keys, {b, 1, tk, keys.keys.dim(2)}),
                          reshape(keys.values, {b, 1, tk, key_width_}), o);
  if (capture) *capture = capture->reshape({b, tk});
  return reshape(context, {b, key_width_});
}

}  // namespace attn::nn
