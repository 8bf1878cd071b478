// The attention op: weights = normalizer(mask(score(q, k))), out = dropout(weights) · v.
// One entry point with an options struct covers every score (attention_score.h),
// normalizer (attention_normalizer.h) and mask (attention_mask.h) combination.
//
// Paths: the fused kernel (kernels/flash_attention.h, via attention_fused.h) is
// taken whenever it computes the same thing: dot or scaled_dot scores, softmax,
// masks made only of padding / causal / window, no weight dropout in training,
// no capture, Dv == D. Everything else, or force_reference, runs the reference
// composition matmul → masked normalizer → dropout → matmul, which is also the
// fused path's test oracle.
//
// Linear attention is a different op (linear_attention.h); modules are in nn/.
#pragma once

#include "autodiff/var.h"
#include "ops/attention_mask.h"
#include "ops/attention_normalizer.h"
#include "ops/attention_score.h"
#include "tensor/rng.h"

namespace attn {

// How q, k, v and the output are laid out in memory. bthd lets a multi-head
// module hand over its [B, T, C] projections reshaped to [B, T, H, D] without a
// transpose; the fused kernel reads either through strides.
enum class AttentionLayout {
  bhtd,  // q [B, H, Tq, D], k [B, H, Tk, D], v [B, H, Tk, Dv] -> [B, H, Tq, Dv]
  bthd,  // q [B, Tq, H, D], k [B, Tk, H, D], v [B, Tk, H, Dv] -> [B, Tq, H, Dv]
};

struct AttentionOptions {
  AttentionScore score = AttentionScore::scaled_dot;
  AttentionNormalizer normalizer = AttentionNormalizer::softmax;
  AttentionScoreParams params;  // the learned parts of score
  float cosine_tau = 1.0f;      // cosine temperature when params.tau is undefined
  AttentionMask mask;
  AttentionLayout layout = AttentionLayout::bhtd;
  // Inverted dropout on the weights, only when training and dropout > 0; draws from *rng.
  float dropout = 0.0f;
  bool training = false;
  Rng* rng = nullptr;
  // If set, receives a copy of the weights [B, H, Tq, Tk] (before dropout) in bhtd
  // order whatever the layout; rows of fully masked queries are zero.
  Tensor* capture = nullptr;
  bool force_reference = false;  // never take the fused kernel
};

Var attention(const Var& q, const Var& k, const Var& v, const AttentionOptions& options);

// Whether attention() would take the fused kernel for these options and head widths.
bool attention_uses_fused(const AttentionOptions& options, int64_t d, int64_t dv);

}  // namespace attn
