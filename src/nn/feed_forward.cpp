#include "nn/feed_forward.h"

#include "nn/step_rng.h"
#include "ops/dropout.h"

namespace attn::nn {

FeedForward::FeedForward(int64_t width, int64_t hidden, float dropout, Rng& rng) : dropout_p_(dropout) {
  in_ = register_module("in_proj", std::make_shared<Linear>(width, hidden, true, rng));
  out_ = register_module("out_proj", std::make_shared<Linear>(hidden, width, true, rng));
}

// ReLU and dropout fused: one pass over the widest activation of the block instead of two.
Var FeedForward::forward(const Var& x) const {
  return out_->forward(relu_dropout(in_->forward(x), dropout_p_, step_rng(), training()));
}

}  // namespace attn::nn
