// MultiHeadAttention: H heads of width D = C / H over learned projections
//   q_proj [C, C], k_proj [C, Ckv], v_proj [C, Ckv], out_proj [C, C] (nn::Linear, optional bias)
// for self-attention (query and key_value the same Var) and cross-attention over
// an encoder memory. Every score and normalizer of ops/attention.h is available,
// as is linear attention (ops/linear_attention.h); a window w makes it
// sliding-window attention, which the fused kernel runs in O(T · w).
// Projections are reshaped to [B, T, H, D] (zero-copy) and handed to the op in
// its bthd layout, so the fused path never transposes.
#pragma once

#include <memory>
#include <string>

#include "nn/attention_scorer.h"
#include "nn/layers.h"
#include "ops/attention.h"

namespace attn::nn {

// Which attention a module computes; names as in model configs.
struct AttentionSpec {
  std::string score = "scaled_dot";    // dot | scaled_dot | general | additive | cosine | linear
  std::string normalizer = "softmax";  // softmax | sparsemax | hard (linear attention has none)
  int64_t window = -1;                 // sliding window ±w on top of the forward's mask; -1 = none
  float dropout = 0.0f;                // on the attention weights, in training mode
  int64_t additive_width = 0;          // additive score's A; 0 = D
  float cosine_tau = 1.0f;             // cosine temperature (the initial value when learned)
  bool learn_tau = false;
  bool force_reference = false;  // never use the fused kernel (tests, benchmarks)
};

class MultiHeadAttention : public Module {
 public:
  // key_value_width: Ckv of the key_value input (an encoder memory may be wider); 0 = C.
  // Throws a config error for unknown names or widths that do not fit.
  MultiHeadAttention(int64_t width, int64_t heads, const AttentionSpec& spec, bool bias, Rng& rng,
                     int64_t key_value_width = 0);

  // query [B, Tq, C], key_value [B, Tk, Ckv] -> [B, Tq, C]. capture, if set, receives the
  // weights [B, H, Tq, Tk] (for softmax attention this selects the reference path).
  // head_gate, if defined, is [H]: head h's context is scaled by head_gate[h] before the
  // output projection (0 masks the head; differentiable, for head importance).
  Var forward(const Var& query, const Var& key_value, const AttentionMask& mask = {},
              Tensor* capture = nullptr, const Var& head_gate = Var()) const;

  int64_t heads() const { return heads_; }
  const AttentionSpec& spec() const { return spec_; }

 private:
  AttentionSpec spec_;
  int64_t heads_, head_width_;
  bool linear_;
  AttentionNormalizer normalizer_ = AttentionNormalizer::softmax;
  std::shared_ptr<Linear> q_proj_, k_proj_, v_proj_, out_proj_;
  std::shared_ptr<AttentionScorer> score_;  // null for linear attention
};

}  // namespace attn::nn
