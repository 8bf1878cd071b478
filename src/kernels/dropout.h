// Dropout kernels on raw buffers. Keep decisions come from a Philox4x32-10
// stream (tensor/rng.h) generated 16 (AVX-512) or 8 (AVX2) blocks at a time,
// are compared as integers, packed one bit per element and applied in the same
// pass; the backward reads the bits. Element i uses the 32-bit number at
// position + i of the stream and is kept iff u32_to_unit(number) >= p, exactly
// the decision Rng::uniform() >= p makes, so masks are identical on every ISA
// and thread count. relu_dropout_* fuse a ReLU in front (a feed-forward block's hidden layer):
// one pass instead of two each way, and no keep bits, since the backward reads y > 0.
// Not here: the autodiff wrappers (ops/dropout.h).
#pragma once

#include <cstdint>

#include "kernels/cpu_features.h"
#include "tensor/rng.h"

namespace attn::kernels {

// Bytes of a keep mask for n elements: bit j of byte k is element 8k + j.
inline int64_t dropout_mask_bytes(int64_t n) { return (n + 7) / 8; }

// y = x · m and keep = the decisions, with m = 1/(1-p) for kept elements and 0
// otherwise (a product, so a dropped NaN stays NaN). p in [0, 1]; p = 1 keeps none.
void dropout_fwd(const RngState& stream, float p, const float* x, int64_t n, float* y, uint8_t* keep,
                 Isa isa = detected_isa());
// g = dy · m from the forward's keep bits; dx += g when accumulating, otherwise
// dx = g (every element written, so the buffer may start uninitialised).
void dropout_bwd(const uint8_t* keep, float p, const float* dy, int64_t n, float* dx, bool accumulate,
                 Isa isa = detected_isa());
// Element by element through philox_at and u32_to_unit: the tests' oracle.
void dropout_fwd_reference(const RngState& stream, float p, const float* x, int64_t n, float* y, uint8_t* keep);

// y = relu(x) · m with the decisions of dropout_fwd (the same stream gives the same mask), so
// y equals dropout_fwd of relu(x) bit for bit; relu keeps NaN.
void relu_dropout_fwd(const RngState& stream, float p, const float* x, int64_t n, float* y,
                      Isa isa = detected_isa());
// g = dy · m · relu'(x), read from y: y > 0 exactly where the element was kept and x > 0.
// dx += g when accumulating, otherwise dx = g.
void relu_dropout_bwd(float p, const float* y, const float* dy, int64_t n, float* dx, bool accumulate,
                      Isa isa = detected_isa());
void relu_dropout_fwd_reference(const RngState& stream, float p, const float* x, int64_t n, float* y);
void relu_dropout_bwd_reference(float p, const float* y, const float* dy, int64_t n, float* dx, bool accumulate);

// out[i] = philox_at(seed, stream, position + i), by the vectorised generator.
void philox_numbers(const RngState& stream, int64_t n, uint32_t* out, Isa isa = detected_isa());

}  // namespace attn::kernels
