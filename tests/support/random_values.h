// Random test inputs from the project's seeded generator (the same numbers on
// every run and machine), and the element-wise comparison kernel tests share.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "tensor/rng.h"

namespace attn::testing {

inline std::vector<float> random_vector(Rng& rng, int64_t n, float lo, float hi) {
  std::vector<float> v(n);
  rng.fill_uniform(v.data(), n, lo, hi);
  return v;
}

// Every element of a within `margin` of b's.
inline void require_close(const std::vector<float>& a, const std::vector<float>& b, double margin) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    INFO("element " << i);
    REQUIRE(a[i] == Approx(b[i]).margin(margin));
  }
}

}  // namespace attn::testing
