#include "nn/pooling.h"

#include <limits>

#include "base/error.h"
#include "nn/init.h"
#include "ops/elementwise.h"
#include "ops/reduce.h"
#include "ops/shape_ops.h"

namespace attn::nn {

Pooling::Pooling(const PoolingOptions& options, Rng& rng) : width_(options.width) {
  ATTN_CHECK(width_ > 0, config, "pooling needs a positive state width, got ", width_);
  if (options.kind == "attention") {
    kind_ = Kind::attention;
    // linear attention has no weights to capture and "none" no attention at all.
    ATTN_CHECK(options.score != "linear" && options.score != "none", config, "attention pooling cannot use score '",
               options.score, "' (choose dot, scaled_dot, general, additive or cosine, or pool mean, max or cls)");
    query_ = register_parameter("query", uniform_fan_in({width_}, width_, rng));
    attention_ = register_module("attention", std::make_shared<RnnAttention>(options.score, options.normalizer, width_,
                                                                             width_, options.attn_width, rng));
  } else if (options.kind == "mean") {
    kind_ = Kind::mean;
  } else if (options.kind == "max") {
    kind_ = Kind::max;
  } else if (options.kind == "cls") {
    kind_ = Kind::cls;
  } else if (options.kind == "last") {
    kind_ = Kind::last;
  } else {
    ATTN_FAIL(config, "unknown pooling '", options.kind, "' (expected attention, mean, max, cls or last)");
  }
}

Var Pooling::forward(const Var& states, const std::vector<int32_t>& lengths, Tensor* capture) const {
  ATTN_CHECK(states.defined() && states.rank() == 3 && states.dim(2) == width_, shape, "pooling needs states [B, T, ",
             width_, "], got ", states.defined() ? to_string(states.shape()) : "undefined");
  const int64_t B = states.dim(0), T = states.dim(1);
  ATTN_CHECK(static_cast<int64_t>(lengths.size()) == B, shape, "pooling: ", lengths.size(), " lengths for states ",
             to_string(states.shape()));
  for (int64_t b = 0; b < B; ++b)
    ATTN_CHECK(lengths[b] >= 1 && lengths[b] <= T, shape, "pooling: length ", lengths[b], " of row ", b,
               " is outside [1, ", T, "]");
  switch (kind_) {
    case Kind::attention: return attend(states, lengths, capture);
    case Kind::mean:
    case Kind::last: return weighted(states, lengths, capture);
    case Kind::max: return maximum(states, lengths, capture);
    case Kind::cls:
      if (capture) *capture = Tensor();
      return reshape(slice(states, 1, 0, 1), {B, width_});
  }
  ATTN_FAIL(internal, "pooling kind not handled");
}

Var Pooling::attend(const Var& states, const std::vector<int32_t>& lengths, Tensor* capture) const {
  const int64_t B = states.dim(0);
  // The one learned query, broadcast to every row: [B, 1] + [C] -> [B, C].
  Var queries = add(Var(Tensor::zeros({B, 1})), query_);
  return attention_->forward(queries, attention_->prepare(states), lengths, capture);  // [B, C]
}

Var Pooling::weighted(const Var& states, const std::vector<int32_t>& lengths, Tensor* capture) const {
  const int64_t B = states.dim(0), T = states.dim(1);
  Tensor weights = Tensor::zeros({B, T, 1});
  for (int64_t b = 0; b < B; ++b) {
    if (kind_ == Kind::last) weights[b * T + lengths[b] - 1] = 1.0f;
    else
      for (int64_t t = 0; t < lengths[b]; ++t) weights[b * T + t] = 1.0f / static_cast<float>(lengths[b]);
  }
  if (capture) *capture = weights.reshape({B, T});
  return sum(mul(states, Var(weights)), 1);  // [B, C]
}

Var Pooling::maximum(const Var& states, const std::vector<int32_t>& lengths, Tensor* capture) const {
  const int64_t B = states.dim(0), T = states.dim(1);
  // -inf added on padding, so a padded position never holds a maximum (every row has a real one).
  Tensor padding = Tensor::zeros({B, T, 1});
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = lengths[b]; t < T; ++t) padding[b * T + t] = -std::numeric_limits<float>::infinity();
  Var masked = add(states, Var(padding));  // [B, T, C]
  Ids argmax;
  Var pooled = max(masked, 1, false, &argmax);  // [B, C]
  if (capture) {
    *capture = Tensor::zeros({B, T});
    const float share = 1.0f / static_cast<float>(width_);
    for (int64_t b = 0; b < B; ++b)
      for (int64_t c = 0; c < width_; ++c) (*capture)[b * T + argmax.values[b * width_ + c]] += share;
  }
  return pooled;
}

}  // namespace attn::nn
