#include "models/positional.h"

#include <cmath>

#include "base/error.h"
#include "ops/elementwise.h"
#include "ops/shape_ops.h"

namespace attn::models {

Tensor sinusoidal_table(int64_t positions, int64_t width) {
  Tensor t = Tensor::empty({positions, width});
  for (int64_t p = 0; p < positions; ++p)
    for (int64_t i = 0; i < width; ++i) {
      double angle = p / std::pow(10000.0, 2.0 * (i / 2) / static_cast<double>(width));
      t[p * width + i] = static_cast<float>(i % 2 == 0 ? std::sin(angle) : std::cos(angle));
    }
  return t;
}

PositionalEmbedding::PositionalEmbedding(std::shared_ptr<nn::Embedding> table, const ModelOptions& o,
                                         float token_scale, Rng& rng)
    : max_positions_(o.max_positions), token_scale_(token_scale) {
  // The model registers the token table (it may be shared), so checkpoints hold it once.
  table_ = table;
  if (o.learned_positions)
    learned_ = register_module("positions", std::make_shared<nn::Embedding>(o.max_positions, o.width, rng, 0.02f));
  else
    sinusoid_ = sinusoidal_table(o.max_positions, o.width);
  dropout_ = register_module("dropout", std::make_shared<nn::Dropout>(o.dropout));
}

Var PositionalEmbedding::forward(const Ids& ids) const {
  ATTN_CHECK(table_, internal, "PositionalEmbedding::forward needs a token table");
  return add_to(scale(table_->forward(ids), token_scale_));  // [B, T, C]
}

Var PositionalEmbedding::add_to(const Var& x) const {
  const int64_t T = x.dim(1);
  ATTN_CHECK(T <= max_positions_, shape, "sequence of ", T, " steps exceeds max_positions ", max_positions_);
  Var pos;
  if (learned_) {
    Ids positions{{T}, std::vector<int32_t>(T)};
    for (int64_t t = 0; t < T; ++t) positions.values[t] = static_cast<int32_t>(t);
    pos = learned_->forward(positions);  // [T, C]
  } else {
    pos = Var(sinusoid_.rows(0, T));  // [T, C]
  }
  return dropout_->forward(add(x, pos));
}

}  // namespace attn::models
