// Baseline (Scalar) copy of the dropout kernels, the per-ISA dispatch over
// chunks, and the element-wise reference.
#define ATTN_DROPOUT_ISA baseline
#define ATTN_DROPOUT_VEC Scalar
#include "kernels/dropout_impl.h"

#include <omp.h>

#include <cmath>

namespace attn::kernels {

namespace {
constexpr int64_t kParallelMin = 65536;

float keep_scale(float p) { return p < 1.0f ? 1.0f / (1.0f - p) : 0.0f; }

// u32_to_unit(x) >= p  <=>  (x >> 8) · 2^-24 >= p  <=>  (x >> 8) >= ceil(p · 2^24), all exact.
uint32_t keep_threshold(float p) { return static_cast<uint32_t>(std::ceil(static_cast<double>(p) * 16777216.0)); }

// Calls body(begin, count) for each chunk, in parallel for large n. Chunk
// boundaries depend on n alone and each element's result only on its index.
template <class Body>
void chunked(int64_t n, Body body) {
  const int64_t chunks = (n + kDropoutChunk - 1) / kDropoutChunk;
#pragma omp parallel for schedule(static) if (n > kParallelMin && !omp_in_parallel())
  for (int64_t c = 0; c < chunks; ++c) body(c * kDropoutChunk, std::min(kDropoutChunk, n - c * kDropoutChunk));
}

RngState advanced(const RngState& s, int64_t by) { return {s.seed, s.stream, s.position + static_cast<uint64_t>(by)}; }
}  // namespace

void dropout_fwd(const RngState& stream, float p, const float* x, int64_t n, float* y, uint8_t* keep, Isa isa) {
  auto impl = isa == Isa::avx512 ? avx512::dropout_fwd_chunk
              : isa == Isa::avx2 ? avx2::dropout_fwd_chunk
                                 : baseline::dropout_fwd_chunk;
  const uint32_t threshold = keep_threshold(p);
  const float scale = keep_scale(p);
  chunked(n, [&](int64_t begin, int64_t count) {
    impl(advanced(stream, begin), threshold, scale, x + begin, count, y + begin, keep + begin / 8);
  });
}

void dropout_bwd(const uint8_t* keep, float p, const float* dy, int64_t n, float* dx, bool accumulate, Isa isa) {
  auto impl = isa == Isa::avx512 ? avx512::dropout_bwd_chunk
              : isa == Isa::avx2 ? avx2::dropout_bwd_chunk
                                 : baseline::dropout_bwd_chunk;
  const float scale = keep_scale(p);
  chunked(n, [&](int64_t begin, int64_t count) {
    impl(keep + begin / 8, scale, dy + begin, count, dx + begin, accumulate);
  });
}

void relu_dropout_fwd(const RngState& stream, float p, const float* x, int64_t n, float* y, Isa isa) {
  auto impl = isa == Isa::avx512 ? avx512::relu_dropout_fwd_chunk
              : isa == Isa::avx2 ? avx2::relu_dropout_fwd_chunk
                                 : baseline::relu_dropout_fwd_chunk;
  const uint32_t threshold = keep_threshold(p);
  const float scale = keep_scale(p);
  chunked(n, [&](int64_t begin, int64_t count) {
    impl(advanced(stream, begin), threshold, scale, x + begin, count, y + begin);
  });
}

void relu_dropout_bwd(float p, const float* y, const float* dy, int64_t n, float* dx, bool accumulate, Isa isa) {
  auto impl = isa == Isa::avx512 ? avx512::relu_dropout_bwd_chunk
              : isa == Isa::avx2 ? avx2::relu_dropout_bwd_chunk
                                 : baseline::relu_dropout_bwd_chunk;
  const float scale = keep_scale(p);
  chunked(n, [&](int64_t begin, int64_t count) { impl(scale, y + begin, dy + begin, count, dx + begin, accumulate); });
}

void philox_numbers(const RngState& stream, int64_t n, uint32_t* out, Isa isa) {
  auto impl = isa == Isa::avx512 ? avx512::philox_chunk : isa == Isa::avx2 ? avx2::philox_chunk
                                                                           : baseline::philox_chunk;
  chunked(n, [&](int64_t begin, int64_t count) { impl(advanced(stream, begin), count, out + begin); });
}

void dropout_fwd_reference(const RngState& stream, float p, const float* x, int64_t n, float* y, uint8_t* keep) {
  const float scale = keep_scale(p);
  std::fill(keep, keep + dropout_mask_bytes(n), uint8_t{0});
  for (int64_t i = 0; i < n; ++i) {
    const bool kept = u32_to_unit(philox_at(stream.seed, stream.stream, stream.position + i)) >= p;
    y[i] = x[i] * (kept ? scale : 0.0f);
    keep[i / 8] |= static_cast<uint8_t>(kept << (i % 8));
  }
}

void relu_dropout_fwd_reference(const RngState& stream, float p, const float* x, int64_t n, float* y) {
  const float scale = keep_scale(p);
  for (int64_t i = 0; i < n; ++i) {
    const bool kept = u32_to_unit(philox_at(stream.seed, stream.stream, stream.position + i)) >= p;
    y[i] = (x[i] < 0.0f ? 0.0f : x[i]) * (kept ? scale : 0.0f);
  }
}

void relu_dropout_bwd_reference(float p, const float* y, const float* dy, int64_t n, float* dx, bool accumulate) {
  const float scale = keep_scale(p);
  for (int64_t i = 0; i < n; ++i) {
    const float g = dy[i] * (y[i] > 0.0f ? scale : 0.0f);
    dx[i] = accumulate ? dx[i] + g : g;
  }
}

}  // namespace attn::kernels
