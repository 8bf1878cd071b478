#include "tensor/shape.h"

#include <algorithm>

#include "base/error.h"

namespace attn {

int64_t numel(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string to_string(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

int normalize_axis(int axis, int rank) {
  int a = axis < 0 ? axis + rank : axis;
  ATTN_CHECK(a >= 0 && a < rank, shape, "axis ", axis, " out of range for rank ", rank);
  return a;
}

Shape broadcast_shapes(const Shape& a, const Shape& b) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    ATTN_CHECK(da == db || da == 1 || db == 1, shape, "cannot broadcast ", to_string(a), " with ",
               to_string(b));
    out[i] = std::max(da, db);
  }
  return out;
}

int64_t dims_product(const Shape& shape, int begin, int end) {
  int64_t n = 1;
  for (int i = begin; i < end; ++i) n *= shape[i];
  return n;
}

}  // namespace attn
