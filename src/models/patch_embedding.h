// The image front of the encoder model (a Vision Transformer's, Dosovitskiy et al. 2021):
// grey images -> non-overlapping patch x patch patches -> a linear map to the model width
// -> an optional learned <cls> vector in front -> plus positions -> dropout.
// Positions: learned (one vector per patch and for <cls>), or fixed 2-D sinusoids: the first
// half of the channels the 1-D table (positional.h) of the patch's row, the second half that
// of its column; <cls> gets none. Patches are numbered row by row over the patch grid.
// Parameters: proj.weight [C, patch²], proj.bias, cls [1, 1, C] (with cls), positions.table
// [P (+1), C] (learned).
#pragma once

#include <memory>

#include "models/model_options.h"
#include "nn/layers.h"
#include "tensor/ids.h"

namespace attn::models {

// pixels [B, side²] with values 0..255 -> [B, P, patch²] of (pixel / 255 - mean) / std,
// P = (side / patch)²; patch p covers grid row p / (side / patch), column p % (side / patch).
Tensor patchify(const Ids& pixels, int64_t side, int64_t patch, float mean, float std);

// The 2-D table described above: [grid², width] (width even).
Tensor sinusoidal_2d_table(int64_t grid, int64_t width);

class PatchEmbedding : public nn::Module {
 public:
  // Throws a config error when o.patch does not divide o.image_side or (2-D sinusoids) o.width is odd.
  PatchEmbedding(const ModelOptions& o, bool cls, Rng& rng);
  // pixels [B, side²] -> [B, P (+1), C]
  Var forward(const Ids& pixels) const;
  int64_t grid() const { return side_ / patch_; }

 private:
  int64_t side_, patch_;
  float mean_, std_;
  std::shared_ptr<nn::Linear> proj_;
  Var cls_;                                 // undefined without cls
  std::shared_ptr<nn::Embedding> learned_;  // null for sinusoidal positions
  Tensor sinusoid_;                         // [P (+1), C], the <cls> row 0
  std::shared_ptr<nn::Dropout> dropout_;
};

}  // namespace attn::models
