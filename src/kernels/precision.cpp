#include "kernels/precision.h"

#include <atomic>

namespace attn::kernels {

namespace {
// Process-wide rather than thread-local: products also run on OpenMP worker threads.
std::atomic<Precision> g_precision{Precision::fp32};
}  // namespace

Precision matmul_precision() { return g_precision.load(std::memory_order_relaxed); }

PrecisionScope::PrecisionScope(Precision p) : previous_(g_precision.exchange(p)) {}
PrecisionScope::~PrecisionScope() { g_precision.store(previous_); }

void to_bf16(const float* in, uint16_t* out, int64_t n) {
  // Rounding is element-wise, so the thread split cannot change the result.
#pragma omp parallel for schedule(static) if (n > (int64_t{1} << 18))
  for (int64_t i = 0; i < n; ++i) out[i] = to_bf16(in[i]);
}

}  // namespace attn::kernels
