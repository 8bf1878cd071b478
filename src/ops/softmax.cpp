#include "ops/softmax.h"

#include "base/error.h"
#include "kernels/softmax_rows.h"
#include "tensor/broadcast.h"

namespace attn {

namespace {

// Below this many elements the OpenMP fork costs more than it saves.
constexpr int64_t kParallelMin = 16384;

// A mask broadcast against x's shape: where each row's mask values start.
class MaskRows {
 public:
  MaskRows(const Tensor* mask, const Shape& shape, const char* op) {
    if (mask == nullptr) return;
    const Shape& m = mask->shape();
    bool fits = mask->defined() && m.size() <= shape.size();
    for (size_t i = 0; fits && i < m.size(); ++i) {
      const int64_t d = shape[shape.size() - m.size() + i];
      fits = m[i] == d || m[i] == 1;
    }
    ATTN_CHECK(fits, shape, op, ": mask of shape ", mask->defined() ? to_string(m) : "(undefined)",
               " does not broadcast to x of shape ", to_string(shape));
    mask_ = *mask;
    shape_ = shape;
    strides_ = broadcast_strides(m, shape);
  }

  kernels::RowMask row(int64_t r, int64_t n) const {
    if (!mask_.defined()) return {};
    return {mask_.data() + broadcast_offset(r * n, shape_, strides_), strides_.back()};
  }

 private:
  Tensor mask_;
  Shape shape_;
  std::vector<int64_t> strides_;
};

Var softmax_last_axis(const Var& x, const Tensor* mask, bool log) {
  const char* op = log ? "log_softmax" : "softmax";
  ATTN_CHECK(x.defined() && x.rank() >= 1, shape, op, " needs a tensor of rank >= 1, got shape ",
             x.defined() ? to_string(x.shape()) : "(undefined)");
  const MaskRows masks(mask, x.shape(), op);
  const int64_t n = x.dim(-1);
  const int64_t rows = n == 0 ? 0 : x.numel() / n;
  Tensor y = Tensor::empty(x.shape());  // [..., n]
  const float* xd = x.value().data();
  float* yd = y.data();
#pragma omp parallel for schedule(static) if (rows * n > kParallelMin)
  for (int64_t r = 0; r < rows; ++r) kernels::softmax_row_fwd(xd + r * n, masks.row(r, n), n, log, yd + r * n);

  return make_result(y, {x}, [x, y, masks, log, rows, n](const Tensor& dout) {
    float* dx = x.node()->grad_buffer().data();
    const float* yd = y.data();
    const float* dy = dout.data();
#pragma omp parallel for schedule(static) if (rows * n > kParallelMin)
    for (int64_t r = 0; r < rows; ++r)
      kernels::softmax_row_bwd(yd + r * n, dy + r * n, masks.row(r, n), n, log, dx + r * n);
  });
}

}  // namespace

Var softmax(const Var& x, const Tensor* mask) { return softmax_last_axis(x, mask, false); }

Var log_softmax(const Var& x, const Tensor* mask) { return softmax_last_axis(x, mask, true); }

}  // namespace attn
