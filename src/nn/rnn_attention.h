// RnnAttention: single-head attention for RNN encoder–decoders (Bahdanau
// additive, Luong general or dot; any score of ops/attention_score.h works).
// Each decoder step attends with its state [B, Dq] over the encoder outputs
// [B, Tk, Dk] and returns the context [B, Dk]. The key-only part of the score
// (W_k · keys, or keys · Wᵀ for general) is computed once per sequence by
// prepare(), so a step costs O(Tk · A). Parameters: score.* (nn/attention_scorer.h).
// The recurrent cell and the decoder loop are not here.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nn/attention_scorer.h"
#include "ops/attention.h"

namespace attn::nn {

// Encoder outputs with their key projection done once per sequence.
struct PreparedKeys {
  Var values;  // [B, Tk, Dk], the encoder outputs
  Var keys;    // [B, Tk, A | Dq | Dk]: AttentionScorer::project_keys(values)
};

class RnnAttention : public Module {
 public:
  // score: dot | scaled_dot | general | additive | cosine; normalizer: softmax | sparsemax | hard;
  // attn_width: the additive score's A (0 = key_width). Throws a config error for bad names or widths.
  RnnAttention(const std::string& score, const std::string& normalizer, int64_t query_width, int64_t key_width,
               int64_t attn_width, Rng& rng);

  PreparedKeys prepare(const Var& encoder_outputs) const;

  // The additive score's parameters when the score is additive and the normalizer softmax,
  // the attention ops/rnn_attention_decoder.h runs inside its loop; otherwise nullptr.
  const AttentionScoreParams* additive_softmax_params() const;

  // query [B, Dq] -> context [B, Dk]; key_lengths [B] (empty = no padding);
  // capture, if set, receives the weights [B, Tk].
  Var forward(const Var& query, const PreparedKeys& keys, const std::vector<int32_t>& key_lengths = {},
              Tensor* capture = nullptr) const;

 private:
  AttentionNormalizer normalizer_;
  int64_t query_width_, key_width_;
  std::shared_ptr<AttentionScorer> score_;
};

}  // namespace attn::nn
