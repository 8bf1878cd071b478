// The normalizers that turn attention scores into weights over the last axis,
// all with softmax's mask contract (ops/softmax.h): softmax, sparsemax
// (ops/sparsemax.h) and hard attention. Scores and masks are built elsewhere
// (attention_score.h, attention_mask.h).
#pragma once

#include <string>

#include "autodiff/var.h"

namespace attn {

enum class AttentionNormalizer { softmax, sparsemax, hard };

// "softmax" | "sparsemax" | "hard"; throws a config error naming the bad value.
AttentionNormalizer attention_normalizer_from_name(const std::string& name);
const char* attention_normalizer_name(AttentionNormalizer normalizer);

// Forward: one-hot of the argmax over unmasked entries (the first on ties; a
// fully masked row is all zeros). Backward: the straight-through estimator, i.e.
// exactly the gradient softmax(x, mask) would pass back for the same dout.
Var hardmax_straight_through(const Var& x, const Tensor* mask = nullptr);

Var normalize_scores(const Var& scores, const Tensor* mask, AttentionNormalizer normalizer);

}  // namespace attn
