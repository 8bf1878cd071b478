// Shape: the dimensions of a row-major tensor, plus the utilities every level
// needs (element count, printing, broadcasting). Shapes carry no strides:
// attn tensors are always contiguous.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace attn {

using Shape = std::vector<int64_t>;

int64_t numel(const Shape& shape);
std::string to_string(const Shape& shape);
// Resolves a negative axis (-1 = last) and checks it is in range.
int normalize_axis(int axis, int rank);
// Numpy-style broadcast of two shapes; throws a shape error naming both if they do not fit.
Shape broadcast_shapes(const Shape& a, const Shape& b);
// Product of dims [begin, end).
int64_t dims_product(const Shape& shape, int begin, int end);

}  // namespace attn
