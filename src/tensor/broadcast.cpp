#include "tensor/broadcast.h"

namespace attn {

std::vector<int64_t> broadcast_strides(const Shape& in, const Shape& out) {
  std::vector<int64_t> strides(out.size(), 0);
  int64_t stride = 1;
  const size_t lead = out.size() - in.size();
  for (size_t i = in.size(); i-- > 0;) {
    strides[lead + i] = in[i] == 1 && out[lead + i] != 1 ? 0 : stride;
    stride *= in[i];
  }
  return strides;
}

int64_t broadcast_offset(int64_t flat, const Shape& out, const std::vector<int64_t>& in_strides) {
  int64_t offset = 0;
  for (size_t i = out.size(); i-- > 0;) {
    offset += (flat % out[i]) * in_strides[i];
    flat /= out[i];
  }
  return offset;
}

}  // namespace attn
