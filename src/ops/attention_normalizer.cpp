#include "ops/attention_normalizer.h"

#include <cmath>

#include "base/error.h"
#include "ops/attention_mask.h"
#include "ops/softmax.h"
#include "ops/sparsemax.h"

namespace attn {

AttentionNormalizer attention_normalizer_from_name(const std::string& name) {
  if (name == "softmax") return AttentionNormalizer::softmax;
  if (name == "sparsemax") return AttentionNormalizer::sparsemax;
  if (name == "hard") return AttentionNormalizer::hard;
  ATTN_FAIL(config, "unknown attention normalizer '", name, "' (expected softmax, sparsemax or hard)");
}

const char* attention_normalizer_name(AttentionNormalizer normalizer) {
  switch (normalizer) {
    case AttentionNormalizer::softmax: return "softmax";
    case AttentionNormalizer::sparsemax: return "sparsemax";
    case AttentionNormalizer::hard: return "hard";
  }
  return "?";
}

namespace {
Tensor one_hot_argmax(const Tensor& scores, const Tensor* mask) {
  const Tensor z = fill_masked(scores, mask, -INFINITY);
  const int64_t n = z.dim(-1);
  Tensor out = Tensor::zeros(z.shape());
  for (int64_t row = 0; row * n < z.numel(); ++row) {
    const float* zr = z.data() + row * n;
    int64_t best = -1;
    for (int64_t j = 0; j < n; ++j)
      if (zr[j] > -INFINITY && (best < 0 || zr[j] > zr[best])) best = j;
    if (best >= 0) out[row * n + best] = 1.0f;
  }
  return out;
}
}  // namespace

Var hardmax_straight_through(const Var& x, const Tensor* mask) {
  ATTN_CHECK(x.rank() >= 1, shape, "hard attention needs at least one axis, got shape ", to_string(x.shape()));
  Tensor hot = one_hot_argmax(x.value(), mask);
  if (!grad_enabled() || !x.requires_grad()) return Var(hot);
  // The one-hot value passes its gradient unchanged to a softmax of the same
  // scores, whose own backward then applies the softmax Jacobian.
  Var relaxed = softmax(x, mask);
  return make_result(hot, {relaxed}, [relaxed](const Tensor& dout) { accumulate_grad(relaxed, dout); });
}

Var normalize_scores(const Var& scores, const Tensor* mask, AttentionNormalizer normalizer) {
  switch (normalizer) {
    case AttentionNormalizer::softmax: return softmax(scores, mask);
    case AttentionNormalizer::sparsemax: return sparsemax(scores, mask);
    case AttentionNormalizer::hard: return hardmax_straight_through(scores, mask);
  }
  ATTN_FAIL(internal, "unhandled attention normalizer ", static_cast<int>(normalizer));
}

}  // namespace attn
