// The per-ISA entry points of the dropout kernels (dropout_impl.h), declared
// once for the dispatch in dropout.cpp. Each works on one chunk of at most
// kDropoutChunk elements whose first element uses stream number s.position.
#pragma once

#include <cstdint>

#include "tensor/rng.h"

namespace attn::kernels {

// Elements per chunk: a multiple of 64, so every chunk starts a whole keep word.
constexpr int64_t kDropoutChunk = 2048;

#define ATTN_DROPOUT_CHUNK_KERNELS(isa)                                                                        \
  namespace isa {                                                                                              \
  /* keep iff (number >> 8) >= threshold, threshold = ceil(p · 2^24) */                                        \
  void dropout_fwd_chunk(const RngState& s, uint32_t threshold, float scale, const float* x, int64_t count,    \
                         float* y, uint8_t* keep);                                                             \
  void dropout_bwd_chunk(const uint8_t* keep, float scale, const float* dy, int64_t count, float* dx,          \
                         bool accumulate);                                                                     \
  /* y = relu(x) · (keep ? scale : 0); no keep bits: the backward reads y > 0 */                               \
  void relu_dropout_fwd_chunk(const RngState& s, uint32_t threshold, float scale, const float* x,              \
                              int64_t count, float* y);                                                        \
  void relu_dropout_bwd_chunk(float scale, const float* y, const float* dy, int64_t count, float* dx,          \
                              bool accumulate);                                                                \
  void philox_chunk(const RngState& s, int64_t count, uint32_t* out);                                          \
  }
ATTN_DROPOUT_CHUNK_KERNELS(baseline)
ATTN_DROPOUT_CHUNK_KERNELS(avx2)
ATTN_DROPOUT_CHUNK_KERNELS(avx512)
#undef ATTN_DROPOUT_CHUNK_KERNELS

}  // namespace attn::kernels
