// Pooling: encoder states [B, T, C] with lengths [B] -> one vector [B, C] per
// sequence, for the encoder model's head. Kinds (the config names):
//   attention  a learned query [C] attends over the real positions through
//              nn::RnnAttention, so every score and normalizer applies (additive
//              over BiRNN states is the hierarchical attention network's pooling)
//   mean       the mean of the real positions
//   max        the channel-wise maximum of the real positions (padding never wins)
//   cls        the state at position 0 (the model puts a <cls> token there)
//   last       the state at each row's last real position (a forecaster's last-step
//              head; with causal attention, the one state that has read the whole window)
// Parameters (attention only): query [C] and attention.score.* (nn/attention_scorer.h).
// Prepending <cls> and recording the weights are the model's business.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nn/rnn_attention.h"

namespace attn::nn {

struct PoolingOptions {
  std::string kind = "attention";  // attention | mean | max | cls | last
  int64_t width = 0;               // C
  // attention pooling only
  std::string score = "scaled_dot";    // dot | scaled_dot | general | additive | cosine
  std::string normalizer = "softmax";  // softmax | sparsemax | hard
  int64_t attn_width = 0;              // the additive score's hidden width; 0 = C
};

class Pooling : public Module {
 public:
  // Throws a config error for an unknown kind, or an attention score pooling cannot use.
  Pooling(const PoolingOptions& options, Rng& rng);

  // states [B, T, C], lengths [B] each in [1, T] -> [B, C]. capture, if set, receives
  // the weights [B, T] each position got: the normalised attention weights; 1/len on
  // real positions for mean; for max, the share of the C channels whose maximum the
  // position holds; 1 on the last real position for last. Every row sums to 1. cls
  // captures nothing (an undefined tensor).
  Var forward(const Var& states, const std::vector<int32_t>& lengths, Tensor* capture = nullptr) const;

 private:
  enum class Kind { attention, mean, max, cls, last };

  Var attend(const Var& states, const std::vector<int32_t>& lengths, Tensor* capture) const;
  // mean and last: fixed weights [B, T] over the positions, summed with the states.
  Var weighted(const Var& states, const std::vector<int32_t>& lengths, Tensor* capture) const;
  Var maximum(const Var& states, const std::vector<int32_t>& lengths, Tensor* capture) const;

  Kind kind_;
  int64_t width_;
  Var query_;                                // [C], attention only
  std::shared_ptr<RnnAttention> attention_;  // attention only
};

}  // namespace attn::nn
