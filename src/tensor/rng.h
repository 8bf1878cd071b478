// Seeded random streams built on the counter-based Philox4x32-10 generator.
// A stream is (seed, stream id, position): the n-th number depends only on
// those, never on how many threads draw numbers, so results are reproducible
// for any --threads value. The position is plain data, saved in checkpoints.
#pragma once

#include <array>
#include <cstdint>

#include "tensor/tensor.h"

namespace attn {

struct RngState {
  uint64_t seed = 0;
  uint64_t stream = 0;
  uint64_t position = 0;  // index of the next 32-bit number
};

class Rng {
 public:
  Rng() = default;
  Rng(uint64_t seed, uint64_t stream) : state_{seed, stream, 0} {}
  explicit Rng(const RngState& state) : state_(state) {}

  const RngState& state() const { return state_; }
  // An independent child stream, e.g. one per module or per purpose.
  Rng fork(uint64_t child) const;

  uint32_t next_u32();
  float uniform();                    // [0, 1)
  float uniform(float lo, float hi);  // [lo, hi)
  float normal();                     // standard normal (Box–Muller)
  uint64_t below(uint64_t n);         // uniform integer in [0, n)
  // Hands numbers [position, position + count) to a caller that computes them
  // itself (a vectorised kernel): returns the state before, then skips past them.
  RngState take(uint64_t count);

  // Bulk fills: element i uses number position + i, then the position advances by n;
  // safe to split across threads because each element is computed independently.
  void fill_uniform(float* out, int64_t n, float lo = 0.0f, float hi = 1.0f);
  void fill_normal(float* out, int64_t n, float mean = 0.0f, float stddev = 1.0f);

 private:
  RngState state_;
};

// Numbers 4·block .. 4·block + 3 of stream (seed, stream): one Philox4x32-10 block
// (counter = block, stream; key = seed). The reference for vectorised generators.
std::array<uint32_t, 4> philox_block(uint64_t seed, uint64_t stream, uint64_t block);
// The 32-bit number at `position` of stream (seed, stream): the pure function behind Rng.
uint32_t philox_at(uint64_t seed, uint64_t stream, uint64_t position);
float u32_to_unit(uint32_t x);  // [0, 1) with 24 bits of precision

}  // namespace attn
