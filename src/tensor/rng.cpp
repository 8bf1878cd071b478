#include "tensor/rng.h"

#include <cmath>
#include <numbers>

namespace attn {

namespace {
// Philox4x32-10 (Salmon et al., 2011): 4 words of counter, 2 of key.
using Block = std::array<uint32_t, 4>;

inline void mulhilo(uint32_t a, uint32_t b, uint32_t& hi, uint32_t& lo) {
  uint64_t p = static_cast<uint64_t>(a) * b;
  hi = static_cast<uint32_t>(p >> 32);
  lo = static_cast<uint32_t>(p);
}

Block philox(uint64_t counter_lo, uint64_t counter_hi, uint64_t key) {
  uint32_t c0 = static_cast<uint32_t>(counter_lo), c1 = static_cast<uint32_t>(counter_lo >> 32);
  uint32_t c2 = static_cast<uint32_t>(counter_hi), c3 = static_cast<uint32_t>(counter_hi >> 32);
  uint32_t k0 = static_cast<uint32_t>(key), k1 = static_cast<uint32_t>(key >> 32);
  for (int round = 0; round < 10; ++round) {
    uint32_t hi0, lo0, hi1, lo1;
    mulhilo(0xD2511F53u, c0, hi0, lo0);
    mulhilo(0xCD9E8D57u, c2, hi1, lo1);
    uint32_t n0 = hi1 ^ c1 ^ k0, n1 = lo1, n2 = hi0 ^ c3 ^ k1, n3 = lo0;
    c0 = n0; c1 = n1; c2 = n2; c3 = n3;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  return Block{c0, c1, c2, c3};
}
}  // namespace

std::array<uint32_t, 4> philox_block(uint64_t seed, uint64_t stream, uint64_t block) {
  return philox(block, stream, seed);
}

uint32_t philox_at(uint64_t seed, uint64_t stream, uint64_t position) {
  return philox(position / 4, stream, seed)[position % 4];
}

float u32_to_unit(uint32_t x) { return static_cast<float>(x >> 8) * (1.0f / 16777216.0f); }

Rng Rng::fork(uint64_t child) const {
  // Mix the child id into the stream word so siblings never share a sequence.
  uint64_t mixed = state_.stream * 0x9E3779B97F4A7C15ull + child + 1;
  mixed ^= mixed >> 31;
  return Rng(state_.seed, mixed);
}

uint32_t Rng::next_u32() { return philox_at(state_.seed, state_.stream, state_.position++); }

RngState Rng::take(uint64_t count) {
  const RngState before = state_;
  state_.position += count;
  return before;
}

float Rng::uniform() { return u32_to_unit(next_u32()); }

float Rng::uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }

float Rng::normal() {
  float u1 = 1.0f - uniform();  // (0, 1]
  float u2 = uniform();
  return std::sqrt(-2.0f * std::log(u1)) * std::cos(2.0f * std::numbers::pi_v<float> * u2);
}

uint64_t Rng::below(uint64_t n) {
  uint64_t x = (static_cast<uint64_t>(next_u32()) << 32) | next_u32();
  return n ? x % n : 0;
}

namespace {
// Calls f(i, number at position base + i) for i in [0, n), one Philox block per 4 numbers.
template <typename F>
void for_each_number(uint64_t seed, uint64_t stream, uint64_t base, int64_t n, F&& f) {
  const uint64_t first_block = base / 4, last_block = (base + n + 3) / 4;
  const int64_t blocks = static_cast<int64_t>(last_block - first_block);
#pragma omp parallel for schedule(static) if (n > 65536)
  for (int64_t b = 0; b < blocks; ++b) {
    const Block block = philox(first_block + b, stream, seed);
    for (int w = 0; w < 4; ++w) {
      const int64_t i = static_cast<int64_t>((first_block + b) * 4 + w - base);
      if (i >= 0 && i < n) f(i, block[w]);
    }
  }
}
}  // namespace

void Rng::fill_uniform(float* out, int64_t n, float lo, float hi) {
  for_each_number(state_.seed, state_.stream, state_.position, n,
                  [&](int64_t i, uint32_t x) { out[i] = lo + (hi - lo) * u32_to_unit(x); });
  state_.position += n;
}

void Rng::fill_normal(float* out, int64_t n, float mean, float stddev) {
  const uint64_t base = state_.position;
#pragma omp parallel for schedule(static) if (n > 65536)
  for (int64_t i = 0; i < n; ++i) {
    float u1 = 1.0f - u32_to_unit(philox_at(state_.seed, state_.stream, base + 2 * i));
    float u2 = u32_to_unit(philox_at(state_.seed, state_.stream, base + 2 * i + 1));
    out[i] = mean + stddev * std::sqrt(-2.0f * std::log(u1)) * std::cos(2.0f * std::numbers::pi_v<float> * u2);
  }
  state_.position += 2 * n;
}

}  // namespace attn
