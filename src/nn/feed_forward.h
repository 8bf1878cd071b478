// The Transformer's position-wise feed-forward block: Linear → ReLU → Dropout → Linear.
#pragma once

#include <memory>

#include "nn/layers.h"

namespace attn::nn {

class FeedForward : public Module {
 public:
  FeedForward(int64_t width, int64_t hidden, float dropout, Rng& rng);
  Var forward(const Var& x) const;  // [..., C] -> [..., C]

 private:
  std::shared_ptr<Linear> in_, out_;
  float dropout_p_;  // after the ReLU, fused with it
};

}  // namespace attn::nn
