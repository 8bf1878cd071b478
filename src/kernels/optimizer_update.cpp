// Baseline copy of the optimizer updates and the per-ISA dispatch.
#define ATTN_OPTIMIZER_ISA baseline
#include "kernels/optimizer_update_impl.h"

#include "kernels/parallel_chunks.h"

namespace attn::kernels {

#define ATTN_DECLARE_OPTIMIZER_UPDATES(isa)                                                       \
  namespace isa {                                                                                 \
  void adam_update(const AdamUpdate& u, float* w, const float* g, float* m, float* v, int64_t n); \
  void sgd_update(const SgdUpdate& u, float* w, const float* g, float* m, int64_t n);             \
  }
ATTN_DECLARE_OPTIMIZER_UPDATES(avx2)
ATTN_DECLARE_OPTIMIZER_UPDATES(avx512)
#undef ATTN_DECLARE_OPTIMIZER_UPDATES

namespace {
constexpr int64_t kChunk = 16384;
}  // namespace

void adam_update(const AdamUpdate& u, float* w, const float* g, float* m, float* v, int64_t n, Isa isa) {
  auto impl = isa == Isa::avx512 ? avx512::adam_update : isa == Isa::avx2 ? avx2::adam_update : baseline::adam_update;
  parallel_chunks(n, kChunk, [&](int64_t b, int64_t count) { impl(u, w + b, g + b, m + b, v + b, count); });
}

void sgd_update(const SgdUpdate& u, float* w, const float* g, float* m, int64_t n, Isa isa) {
  auto impl = isa == Isa::avx512 ? avx512::sgd_update : isa == Isa::avx2 ? avx2::sgd_update : baseline::sgd_update;
  parallel_chunks(n, kChunk, [&](int64_t b, int64_t count) { impl(u, w + b, g + b, m ? m + b : nullptr, count); });
}

}  // namespace attn::kernels
