#include "models/patch_embedding.h"

#include <cstring>

#include "base/error.h"
#include "models/positional.h"
#include "nn/init.h"
#include "ops/elementwise.h"
#include "ops/shape_ops.h"

namespace attn::models {

Tensor patchify(const Ids& pixels, int64_t side, int64_t patch, float mean, float std) {
  ATTN_CHECK(pixels.shape.size() == 2 && pixels.shape[1] == side * side, shape, "images of ", side, "x", side,
             " need pixels [B, ", side * side, "], got ", to_string(pixels.shape));
  const int64_t B = pixels.shape[0], grid = side / patch, P = grid * grid, D = patch * patch;
  Tensor out = Tensor::empty({B, P, D});
  const float a = 1.0f / (255.0f * std), b = -mean / std;
  for (int64_t n = 0; n < B; ++n)
    for (int64_t p = 0; p < P; ++p)
      for (int64_t y = 0; y < patch; ++y)
        for (int64_t x = 0; x < patch; ++x) {
          const int64_t row = (p / grid) * patch + y, col = (p % grid) * patch + x;
          out[(n * P + p) * D + y * patch + x] = static_cast<float>(pixels.values[n * side * side + row * side + col]) * a + b;
        }
  return out;
}

Tensor sinusoidal_2d_table(int64_t grid, int64_t width) {
  const Tensor half = sinusoidal_table(grid, width / 2);  // [grid, C/2]
  const int64_t h = width / 2;
  Tensor out = Tensor::empty({grid * grid, width});
  for (int64_t p = 0; p < grid * grid; ++p) {
    std::memcpy(out.data() + p * width, half.data() + (p / grid) * h, h * sizeof(float));
    std::memcpy(out.data() + p * width + h, half.data() + (p % grid) * h, h * sizeof(float));
  }
  return out;
}

PatchEmbedding::PatchEmbedding(const ModelOptions& o, bool cls, Rng& rng)
    : side_(o.image_side), patch_(o.patch), mean_(o.pixel_mean), std_(o.pixel_std) {
  ATTN_CHECK(o.patch >= 1 && o.image_side % o.patch == 0, config, "patch=", o.patch, " does not divide the ",
             o.image_side, "x", o.image_side, " images into whole patches");
  ATTN_CHECK(o.learned_positions || o.width % 2 == 0, config, "2-D sinusoidal positions need an even width, got ",
             o.width);
  const int64_t P = grid() * grid(), slots = P + (cls ? 1 : 0);
  proj_ = register_module("proj", std::make_shared<nn::Linear>(o.patch * o.patch, o.width, true, rng));
  if (cls) cls_ = register_parameter("cls", nn::normal({1, 1, o.width}, 0.02f, rng));
  if (o.learned_positions) {
    learned_ = register_module("positions", std::make_shared<nn::Embedding>(slots, o.width, rng, 0.02f));
  } else {
    sinusoid_ = Tensor::zeros({slots, o.width});
    const Tensor table = sinusoidal_2d_table(grid(), o.width);
    std::memcpy(sinusoid_.data() + (cls ? o.width : 0), table.data(), table.numel() * sizeof(float));
  }
  dropout_ = register_module("dropout", std::make_shared<nn::Dropout>(o.dropout));
}

Var PatchEmbedding::forward(const Ids& pixels) const {
  Var x = proj_->forward(Var(patchify(pixels, side_, patch_, mean_, std_)));  // [B, P, C]
  const int64_t B = x.dim(0), C = x.dim(2);
  if (cls_.defined()) x = concat({add(Var(Tensor::zeros({B, 1, C})), cls_), x}, 1);  // [B, P + 1, C]
  Var pos;
  if (learned_) {
    const int64_t slots = x.dim(1);
    Ids positions{{slots}, std::vector<int32_t>(slots)};
    for (int64_t t = 0; t < slots; ++t) positions.values[t] = static_cast<int32_t>(t);
    pos = learned_->forward(positions);
  } else {
    pos = Var(sinusoid_);
  }
  return dropout_->forward(add(x, pos));
}

}  // namespace attn::models
