#include "nn/multi_head_attention.h"

#include "base/error.h"
#include "nn/step_rng.h"
#include "ops/elementwise.h"
#include "ops/linear_attention.h"
#include "ops/shape_ops.h"

namespace attn::nn {

MultiHeadAttention::MultiHeadAttention(int64_t width, int64_t heads, const AttentionSpec& spec, bool bias, Rng& rng,
                                       int64_t key_value_width)
    : spec_(spec), heads_(heads), linear_(spec.score == "linear") {
  ATTN_CHECK(width > 0 && heads > 0 && width % heads == 0, config, "multi-head attention width ", width,
             " must be a positive multiple of heads ", heads);
  ATTN_CHECK(spec.window >= -1, config, "attention window must be -1 (none) or >= 0, got ", spec.window);
  ATTN_CHECK(!(linear_ && spec.window >= 0), config, "linear attention has no window (got window ", spec.window,
             ")");
  ATTN_CHECK(spec.dropout >= 0.0f && spec.dropout < 1.0f, config, "attention dropout must be in [0, 1), got ",
             spec.dropout);
  head_width_ = width / heads;
  const int64_t ckv = key_value_width > 0 ? key_value_width : width;
  q_proj_ = register_module("q_proj", std::make_shared<Linear>(width, width, bias, rng));
  k_proj_ = register_module("k_proj", std::make_shared<Linear>(ckv, width, bias, rng));
  v_proj_ = register_module("v_proj", std::make_shared<Linear>(ckv, width, bias, rng));
  out_proj_ = register_module("out_proj", std::make_shared<Linear>(width, width, bias, rng));
  if (linear_) return;
  normalizer_ = attention_normalizer_from_name(spec.normalizer);
  AttentionScorerOptions s;
  s.score = attention_score_from_name(spec.score);
  s.query_width = s.key_width = head_width_;
  s.additive_width = spec.additive_width > 0 ? spec.additive_width : head_width_;
  s.cosine_tau = spec.cosine_tau;
  s.learn_tau = spec.learn_tau;
  score_ = register_module("score", std::make_shared<AttentionScorer>(s, rng));
}

Var MultiHeadAttention::forward(const Var& query, const Var& key_value, const AttentionMask& mask,
                                Tensor* capture, const Var& head_gate) const {
  ATTN_CHECK(query.rank() == 3 && key_value.rank() == 3 && query.dim(0) == key_value.dim(0), shape,
             "multi-head attention needs query [B, Tq, C] and key_value [B, Tk, Ckv], got ",
             to_string(query.shape()), " and ", to_string(key_value.shape()));
  const int64_t b = query.dim(0), tq = query.dim(1), tk = key_value.dim(1);
  const int64_t h = heads_, d = head_width_;
  Var q = reshape(q_proj_->forward(query), {b, tq, h, d});  // [B, Tq, H, D]
  Var k = reshape(k_proj_->forward(key_value), {b, tk, h, d});
  Var v = reshape(v_proj_->forward(key_value), {b, tk, h, d});

  Var heads_out;  // [B, Tq, H, D]
  if (linear_) {
    ATTN_CHECK(mask.window < 0 && !mask.grid.active() && !mask.mask.defined(), shape,
               "linear attention takes only padding and causal masks (got window ", mask.window,
               mask.grid.active() ? " and a grid window" : "", mask.mask.defined() ? " and an explicit mask)" : ")");
    LinearAttentionOptions o;
    o.causal = mask.causal;
    o.key_lengths = mask.key_lengths;
    o.layout = AttentionLayout::bthd;
    o.capture = capture;
    heads_out = linear_attention(q, k, v, o);
  } else {
    AttentionOptions o;
    o.score = score_->score();
    o.normalizer = normalizer_;
    o.params = score_->params();
    o.cosine_tau = score_->cosine_tau();
    o.mask = mask;
    if (spec_.window >= 0) {
      ATTN_CHECK(mask.window < 0 || mask.window == spec_.window, shape, "attention window ", mask.window,
                 " in the mask conflicts with the module's window ", spec_.window);
      o.mask.window = spec_.window;
    }
    o.layout = AttentionLayout::bthd;
    o.dropout = spec_.dropout;
    o.training = training();
    o.rng = &step_rng();
    o.capture = capture;
    o.force_reference = spec_.force_reference;
    heads_out = attention(q, k, v, o);
  }
  if (head_gate.defined()) {
    ATTN_CHECK(head_gate.rank() == 1 && head_gate.dim(0) == h, shape, "head gate must be [", h, "], got ",
               to_string(head_gate.shape()));
    heads_out = mul(heads_out, reshape(head_gate, {1, 1, h, 1}));  // [B, Tq, H, D]
  }
  return out_proj_->forward(reshape(heads_out, {b, tq, h * d}));
}

}  // namespace attn::nn
