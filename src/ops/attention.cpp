#include "ops/attention.h"

#include <cmath>

#include "base/error.h"
#include "ops/attention_fused.h"
#include "ops/dropout.h"
#include "ops/linalg.h"
#include "ops/shape_ops.h"

namespace attn {

namespace {
struct Dims {
  int64_t batch, heads, tq, tk, d, dk, dv;
};

Dims check_inputs(const Var& q, const Var& k, const Var& v, AttentionLayout layout) {
  const bool bthd = layout == AttentionLayout::bthd;
  const int t_axis = bthd ? 1 : 2, h_axis = bthd ? 2 : 1;
  ATTN_CHECK(q.rank() == 4 && k.rank() == 4 && v.rank() == 4, shape,
             "attention needs rank-4 q, k, v (", bthd ? "[B, T, H, D]" : "[B, H, T, D]", "), got q ",
             to_string(q.shape()), ", k ", to_string(k.shape()), ", v ", to_string(v.shape()));
  ATTN_CHECK(q.dim(0) == k.dim(0) && k.dim(0) == v.dim(0) && q.dim(h_axis) == k.dim(h_axis) &&
                 k.dim(h_axis) == v.dim(h_axis) && k.dim(t_axis) == v.dim(t_axis),
             shape, "attention q, k, v disagree on batch, heads or key length: q ", to_string(q.shape()), ", k ",
             to_string(k.shape()), ", v ", to_string(v.shape()));
  return {q.dim(0), q.dim(h_axis), q.dim(t_axis), k.dim(t_axis), q.dim(3), k.dim(3), v.dim(3)};
}

Var to_bhtd(const Var& x, AttentionLayout layout) {
  return layout == AttentionLayout::bthd ? transpose(x, 1, 2) : x;
}

Var reference_attention(const Var& q, const Var& k, const Var& v, const Dims& dims, const AttentionOptions& o) {
  Var scores = attention_scores(to_bhtd(q, o.layout), to_bhtd(k, o.layout), o.score, o.params,
                                o.cosine_tau);  // [B, H, Tq, Tk]
  const Tensor mask = build_attention_mask(o.mask, dims.batch, dims.heads, dims.tq, dims.tk);
  Var weights = normalize_scores(scores, mask.defined() ? &mask : nullptr, o.normalizer);
  if (o.capture) *o.capture = weights.value();
  if (o.training && o.dropout > 0.0f) {
    ATTN_CHECK(o.rng != nullptr, internal, "attention dropout ", o.dropout, " in training needs options.rng");
    weights = dropout(weights, o.dropout, *o.rng, true);
  }
  Var out = matmul(weights, to_bhtd(v, o.layout));  // [B, H, Tq, Dv]
  return o.layout == AttentionLayout::bthd ? transpose(out, 1, 2) : out;
}
}  // namespace

bool attention_uses_fused(const AttentionOptions& options, int64_t d, int64_t dv) {
  const bool dot = options.score == AttentionScore::dot || options.score == AttentionScore::scaled_dot;
  const bool dropping = options.training && options.dropout > 0.0f;
  return !options.force_reference && dot && options.normalizer == AttentionNormalizer::softmax &&
         !options.mask.mask.defined() && !dropping && options.capture == nullptr && d == dv;
}

Var attention(const Var& q, const Var& k, const Var& v, const AttentionOptions& options) {
  const Dims dims = check_inputs(q, k, v, options.layout);
  ATTN_CHECK(options.dropout >= 0.0f && options.dropout < 1.0f, shape, "attention dropout must be in [0, 1), got ",
             options.dropout);
  check_attention_mask(options.mask, dims.batch, dims.heads, dims.tq, dims.tk);
  if (attention_uses_fused(options, dims.d, dims.dv) && dims.d == dims.dk) {
    const float scale =
        options.score == AttentionScore::scaled_dot ? 1.0f / std::sqrt(static_cast<float>(dims.d)) : 1.0f;
    return fused_attention(q, k, v, scale, options.mask, options.layout);
  }
  return reference_attention(q, k, v, dims, options);
}

}  // namespace attn
