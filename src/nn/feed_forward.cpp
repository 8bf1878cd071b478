#include "nn/feed_forward.h"

#include "ops/activation.h"

namespace attn::nn {

FeedForward::FeedForward(int64_t width, int64_t hidden, float dropout, Rng& rng) {
  in_ = register_module("in_proj", std::make_shared<Linear>(width, hidden, true, rng));
  out_ = register_module("out_proj", std::make_shared<Linear>(hidden, width, true, rng));
  dropout_ = register_module("dropout", std::make_shared<Dropout>(dropout));
}

Var FeedForward::forward(const Var& x) const { return out_->forward(dropout_->forward(relu(in_->forward(x)))); }

}  // namespace attn::nn
