// Random test inputs from the project's seeded generator, so kernel tests
// draw the same numbers on every run and every machine.
#pragma once

#include <cstdint>
#include <vector>

#include "tensor/rng.h"

namespace attn::testing {

inline std::vector<float> random_vector(Rng& rng, int64_t n, float lo, float hi) {
  std::vector<float> v(n);
  rng.fill_uniform(v.data(), n, lo, hi);
  return v;
}

}  // namespace attn::testing
