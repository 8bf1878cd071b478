// Broadcast indexing: strides of an input aligned to an output shape, with 0
// for broadcast dimensions, and the input offset of an output element.
#pragma once

#include <cstdint>
#include <vector>

#include "tensor/shape.h"

namespace attn {

// Strides (in elements) of `in` viewed with `out`'s rank; 0 where `in` has size 1 and is broadcast.
std::vector<int64_t> broadcast_strides(const Shape& in, const Shape& out);
// Offset into the input of the output element with flat index `flat`.
int64_t broadcast_offset(int64_t flat, const Shape& out, const std::vector<int64_t>& in_strides);

}  // namespace attn
