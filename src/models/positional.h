// Token embedding plus position information for Transformers: the table is
// scaled by √C (Vaswani et al.) and summed with sinusoidal or learned positions.
// Without a table the module adds positions to vectors embedded elsewhere (the
// forecast's projected values): add_to().
#pragma once

#include <memory>

#include "models/model_options.h"
#include "nn/layers.h"

namespace attn::models {

class PositionalEmbedding : public nn::Module {
 public:
  // `table` is owned (registered) by the model and may be shared by encoder and decoder;
  // null when only add_to() is used. Width, max_positions, learned_positions and dropout
  // come from o; token_scale multiplies the token embeddings (√C in the original
  // Transformer, else 1).
  PositionalEmbedding(std::shared_ptr<nn::Embedding> table, const ModelOptions& o, float token_scale, Rng& rng);
  Var forward(const Ids& ids) const;  // [B, T] -> [B, T, C]
  Var add_to(const Var& x) const;     // [B, T, C] -> x + positions, dropped out
  const nn::Embedding& table() const { return *table_; }

 private:
  std::shared_ptr<nn::Embedding> table_;
  std::shared_ptr<nn::Embedding> learned_;  // null for sinusoidal positions
  Tensor sinusoid_;                         // [max_positions, C]
  std::shared_ptr<nn::Dropout> dropout_;
  int64_t max_positions_;
  float token_scale_;
};

// The fixed table sin/cos(pos / 10000^(2i/C)), [positions, C].
Tensor sinusoidal_table(int64_t positions, int64_t width);

}  // namespace attn::models
