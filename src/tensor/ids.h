// Integer tensors for token ids and targets: a shape plus int32 values.
// Kept apart from Tensor because no op differentiates through them.
#pragma once

#include <cstdint>
#include <vector>

#include "tensor/shape.h"

namespace attn {

struct Ids {
  Shape shape;
  std::vector<int32_t> values;  // row-major, numel(shape) entries
};

}  // namespace attn
