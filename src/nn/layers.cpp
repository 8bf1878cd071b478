#include "nn/layers.h"

#include "nn/init.h"
#include "nn/step_rng.h"
#include "ops/dropout.h"
#include "ops/embedding.h"
#include "ops/linalg.h"
#include "ops/norm.h"

namespace attn::nn {

Linear::Linear(int64_t in, int64_t out, bool bias, Rng& rng) {
  weight_ = register_parameter("weight", uniform_fan_in({out, in}, in, rng));
  if (bias) bias_ = register_parameter("bias", uniform_fan_in({out}, in, rng));
}

Var Linear::forward(const Var& x) const { return linear(x, weight_, bias_); }

Embedding::Embedding(int64_t vocab, int64_t width, Rng& rng, float init_stddev) {
  weight_ = register_parameter("weight", normal({vocab, width}, init_stddev, rng));
}

Var Embedding::forward(const Ids& ids) const { return embedding(weight_, ids); }

LayerNorm::LayerNorm(int64_t width, float eps) : eps_(eps) {
  gamma_ = register_parameter("weight", Tensor::full({width}, 1.0f));
  beta_ = register_parameter("bias", Tensor::zeros({width}));
}

Var LayerNorm::forward(const Var& x) const { return layer_norm(x, gamma_, beta_, eps_); }

Var Dropout::forward(const Var& x) const { return dropout(x, p_, step_rng(), training()); }

}  // namespace attn::nn
