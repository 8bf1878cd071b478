// The dropout kernels and the Philox4x32-10 generator behind them, written once
// over a vector type V (kernels/simd_vec.h) and instantiated per ISA by
// dropout.cpp (Scalar), dropout_avx2.cpp and dropout_avx512.cpp, each into its
// own namespace (ATTN_DROPOUT_ISA). Work comes in chunks of kDropoutChunk
// elements; a chunk's results depend only on its stream position.
#pragma once

#ifndef ATTN_DROPOUT_ISA
#error "define ATTN_DROPOUT_ISA (and ATTN_DROPOUT_VEC) before including kernels/dropout_impl.h"
#endif

#include <algorithm>

#include "kernels/dropout.h"
#include "kernels/dropout_chunk.h"
#include "kernels/simd_vec.h"

namespace attn::kernels::ATTN_DROPOUT_ISA {

namespace {
using V = simd::ATTN_DROPOUT_VEC;
using reg = V::reg;
using ureg = V::ureg;
constexpr int W = V::W;
// Numbers a chunk may need: its elements plus up to 3 before them in the first
// block, rounded up to whole batches of W blocks.
constexpr int64_t kChunkNumbers = ((kDropoutChunk + 3 + 3) / 4 + W - 1) / W * W * 4;

// The round keys of a seed: Philox bumps the key by fixed constants each round.
// Kept in memory, so batches read them as broadcast operands.
struct RoundKeys {
  uint32_t k0[10], k1[10];
  explicit RoundKeys(uint64_t seed) {
    uint32_t a = static_cast<uint32_t>(seed), b = static_cast<uint32_t>(seed >> 32);
    for (int round = 0; round < 10; ++round, a += 0x9E3779B9u, b += 0xBB67AE85u) k0[round] = a, k1[round] = b;
  }
};

// The blocks first .. first + W - 1, their 4W words stored in position order.
void philox_batch(uint64_t seed, const RoundKeys& keys, uint64_t stream, uint64_t first, uint32_t* out) {
  if (static_cast<uint32_t>(first) > UINT32_MAX - (W - 1)) {
    // The counter's low word wraps inside this batch (once per 2^32 blocks): no lane carry logic.
    for (int b = 0; b < W; ++b) {
      const auto words = philox_block(seed, stream, first + b);
      std::copy(words.begin(), words.end(), out + 4 * b);
    }
    return;
  }
  ureg c0 = V::uadd(V::uset1(static_cast<uint32_t>(first)), V::block_offsets());
  ureg c1 = V::uset1(static_cast<uint32_t>(first >> 32));
  ureg c2 = V::uset1(static_cast<uint32_t>(stream)), c3 = V::uset1(static_cast<uint32_t>(stream >> 32));
  for (int round = 0; round < 10; ++round) {
    ureg hi0, lo0, hi1, lo1;
    V::mulhilo(c0, 0xD2511F53u, hi0, lo0);
    V::mulhilo(c2, 0xCD9E8D57u, hi1, lo1);
    c0 = V::xor3(hi1, c1, V::uset1(keys.k0[round]));
    c1 = lo1;
    c2 = V::xor3(hi0, c3, V::uset1(keys.k1[round]));
    c3 = lo0;
  }
  V::store_blocks(out, c0, c1, c2, c3);
}

// Fills nums with the stream's numbers from the block holding `position` on and
// returns the offset of `position` in it; count numbers from there are valid.
int chunk_numbers(const RngState& s, int64_t count, uint32_t* nums) {
  const int off = static_cast<int>(s.position % 4);
  const int64_t blocks = (off + count + 3) / 4;
  const RoundKeys keys(s.seed);
  for (int64_t b = 0; b < blocks; b += W) philox_batch(s.seed, keys, s.stream, s.position / 4 + b, nums + 4 * b);
  return off;
}

void store_word(uint8_t* keep, uint64_t word, int64_t elements) {
  for (int64_t b = 0; b < (elements + 7) / 8; ++b) keep[b] = static_cast<uint8_t>(word >> (8 * b));
}

uint64_t load_word(const uint8_t* keep, int64_t elements) {
  uint64_t word = 0;
  for (int64_t b = 0; b < (elements + 7) / 8; ++b) word |= static_cast<uint64_t>(keep[b]) << (8 * b);
  return word;
}

template <bool Accumulate>
void dropout_bwd_body(const uint8_t* keep, float scale, const float* dy, int64_t count, float* dx) {
  const reg sc = V::set1(scale);
  constexpr uint64_t lanes = (1ull << W) - 1;
  for (int64_t w = 0; w < count; w += 64) {
    const int64_t end = std::min<int64_t>(w + 64, count);
    const uint64_t word = load_word(keep + w / 8, end - w);
    int64_t i = w;
    for (; i + W <= end; i += W) {
      const reg g = V::mul(V::load(dy + i), V::where(static_cast<uint32_t>((word >> (i - w)) & lanes), sc));
      V::store(dx + i, Accumulate ? V::add(V::load(dx + i), g) : g);
    }
    for (; i < end; ++i) {
      const float g = dy[i] * ((word >> (i - w)) & 1 ? scale : 0.0f);
      dx[i] = Accumulate ? dx[i] + g : g;
    }
  }
}
}  // namespace

void dropout_fwd_chunk(const RngState& s, uint32_t threshold, float scale, const float* x, int64_t count, float* y,
                       uint8_t* keep) {
  alignas(64) uint32_t nums[kChunkNumbers];
  const uint32_t* u = nums + chunk_numbers(s, count, nums);
  const reg sc = V::set1(scale);
  for (int64_t w = 0; w < count; w += 64) {
    const int64_t end = std::min<int64_t>(w + 64, count);
    uint64_t word = 0;
    int64_t i = w;
    for (; i + W <= end; i += W) {
      const uint32_t bits = V::at_least(u + i, threshold);
      V::store(y + i, V::mul(V::load(x + i), V::where(bits, sc)));
      word |= static_cast<uint64_t>(bits) << (i - w);
    }
    for (; i < end; ++i) {
      const bool kept = (u[i] >> 8) >= threshold;
      y[i] = x[i] * (kept ? scale : 0.0f);
      word |= static_cast<uint64_t>(kept) << (i - w);
    }
    store_word(keep + w / 8, word, end - w);
  }
}

void relu_dropout_fwd_chunk(const RngState& s, uint32_t threshold, float scale, const float* x, int64_t count,
                            float* y) {
  alignas(64) uint32_t nums[kChunkNumbers];
  const uint32_t* u = nums + chunk_numbers(s, count, nums);
  const reg sc = V::set1(scale), zero = V::set1(0.0f);
  int64_t i = 0;
  // max(0, x): maxps returns its second operand when one is NaN, so NaN stays NaN as in relu.
  for (; i + W <= count; i += W)
    V::store(y + i, V::mul(V::max(zero, V::load(x + i)), V::where(V::at_least(u + i, threshold), sc)));
  for (; i < count; ++i) y[i] = (x[i] < 0.0f ? 0.0f : x[i]) * ((u[i] >> 8) >= threshold ? scale : 0.0f);
}

void dropout_bwd_chunk(const uint8_t* keep, float scale, const float* dy, int64_t count, float* dx, bool accumulate) {
  if (accumulate)
    dropout_bwd_body<true>(keep, scale, dy, count, dx);
  else
    dropout_bwd_body<false>(keep, scale, dy, count, dx);
}

void relu_dropout_bwd_chunk(float scale, const float* y, const float* dy, int64_t count, float* dx, bool accumulate) {
  const reg sc = V::set1(scale);
  int64_t i = 0;
  for (; i + W <= count; i += W) {
    const reg g = V::mul(V::load(dy + i), V::where(V::positive(V::load(y + i)), sc));
    V::store(dx + i, accumulate ? V::add(V::load(dx + i), g) : g);
  }
  for (; i < count; ++i) {
    const float g = dy[i] * (y[i] > 0.0f ? scale : 0.0f);
    dx[i] = accumulate ? dx[i] + g : g;
  }
}

void philox_chunk(const RngState& s, int64_t count, uint32_t* out) {
  alignas(64) uint32_t nums[kChunkNumbers];
  const uint32_t* u = nums + chunk_numbers(s, count, nums);
  std::copy(u, u + count, out);
}

}  // namespace attn::kernels::ATTN_DROPOUT_ISA
