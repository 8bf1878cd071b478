#include "ops/dropout.h"

#include "base/error.h"

namespace attn {

namespace {
constexpr int64_t kParallelMin = 65536;
}

Var dropout(const Var& x, float p, Rng& rng, bool training) {
  ATTN_CHECK(x.defined(), shape, "dropout of an undefined Var");
  ATTN_CHECK(p >= 0.0f && p <= 1.0f, shape, "dropout probability must be in [0, 1], got ", p);
  if (!training || p == 0.0f) return x;
  const int64_t n = x.numel();
  // The mask holds the scale itself (0 or 1/(1-p)), so forward and backward are one product.
  // Element i keeps when its uniform number (position + i of the stream) is >= p.
  Tensor mask = Tensor::empty(x.shape());
  rng.fill_uniform(mask.data(), n);
  const float keep_scale = p < 1.0f ? 1.0f / (1.0f - p) : 0.0f;
  Tensor y = Tensor::empty(x.shape());
  const float* xd = x.value().data();
  float* md = mask.data();
  float* yd = y.data();
#pragma omp parallel for simd schedule(static) if (n > kParallelMin)
  for (int64_t i = 0; i < n; ++i) {
    md[i] = md[i] >= p ? keep_scale : 0.0f;
    yd[i] = xd[i] * md[i];
  }

  return make_result(y, {x}, [x, mask, n](const Tensor& dout) {
    float* dx = x.node()->grad_buffer().data();
    const float* m = mask.data();
    const float* dy = dout.data();
#pragma omp parallel for simd schedule(static) if (n > kParallelMin)
    for (int64_t i = 0; i < n; ++i) dx[i] += dy[i] * m[i];
  });
}

}  // namespace attn
