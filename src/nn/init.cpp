#include "nn/init.h"

#include <cmath>

namespace attn::nn {

Tensor xavier_uniform(const Shape& shape, Rng& rng) {
  int64_t fan_out = shape[0];
  int64_t fan_in = shape.size() > 1 ? numel(shape) / shape[0] : 1;
  float a = std::sqrt(6.0f / static_cast<float>(fan_in + fan_out));
  Tensor t = Tensor::empty(shape);
  rng.fill_uniform(t.data(), t.numel(), -a, a);
  return t;
}

Tensor uniform_fan_in(const Shape& shape, int64_t fan_in, Rng& rng) {
  float a = 1.0f / std::sqrt(static_cast<float>(fan_in));
  Tensor t = Tensor::empty(shape);
  rng.fill_uniform(t.data(), t.numel(), -a, a);
  return t;
}

Tensor normal(const Shape& shape, float stddev, Rng& rng) {
  Tensor t = Tensor::empty(shape);
  rng.fill_normal(t.data(), t.numel(), 0.0f, stddev);
  return t;
}

}  // namespace attn::nn
