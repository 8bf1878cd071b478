#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "kernels/sparsemax.h"
#include "tensor/rng.h"

using namespace attn;

TEST_CASE("sparsemax kernel: hand-computed rows") {
  // sorted 0.5, 0.2, -1: support {0.5, 0.2}, τ = (0.7 - 1) / 2 = -0.15
  std::vector<float> x{0.5f, 0.2f, -1.0f, 3.0f, 0.0f, -INFINITY, 1.0f, 1.0f, -INFINITY};
  std::vector<float> y(x.size());
  kernels::sparsemax_fwd(3, 3, x.data(), y.data());
  CHECK(y[0] == Approx(0.65f));
  CHECK(y[1] == Approx(0.35f));
  CHECK(y[2] == 0.0f);
  CHECK(y[3] == 1.0f);  // a gap > 1 leaves one winner
  CHECK(y[4] == 0.0f);
  CHECK(y[5] == 0.0f);
  CHECK(y[6] == Approx(0.5f));  // ties share
  CHECK(y[7] == Approx(0.5f));
  CHECK(y[8] == 0.0f);
}

TEST_CASE("sparsemax kernel matches the sort-based reference, with masked and empty rows") {
  Rng rng(21, 0);
  for (int trial = 0; trial < 60; ++trial) {
    const int64_t rows = 1 + rng.below(6), n = 1 + rng.below(40);
    const float spread = 0.1f + 4.0f * rng.uniform();
    std::vector<float> x(rows * n), y(rows * n), expect(rows * n);
    rng.fill_uniform(x.data(), x.size(), -spread, spread);
    for (float& v : x)
      if (rng.below(5) == 0) v = -INFINITY;
    if (rng.below(3) == 0)  // an entirely masked row
      for (int64_t i = 0; i < n; ++i) x[i] = -INFINITY;
    kernels::sparsemax_fwd(rows, n, x.data(), y.data());
    kernels::sparsemax_reference(rows, n, x.data(), expect.data());
    for (int64_t r = 0; r < rows; ++r) {
      double total = 0.0;
      bool any_finite = false;
      for (int64_t i = 0; i < n; ++i) {
        const int64_t at = r * n + i;
        REQUIRE(y[at] == Approx(expect[at]).margin(1e-6));
        REQUIRE(y[at] >= 0.0f);
        if (x[at] == -INFINITY) REQUIRE(y[at] == 0.0f);
        any_finite = any_finite || x[at] > -INFINITY;
        total += y[at];
      }
      REQUIRE(total == Approx(any_finite ? 1.0 : 0.0).margin(1e-5));
    }
  }
}

TEST_CASE("sparsemax kernel produces exact zeros on spread-out rows") {
  Rng rng(5, 0);
  const int64_t rows = 20, n = 16;
  std::vector<float> x(rows * n), y(rows * n);
  rng.fill_uniform(x.data(), x.size(), -3.0f, 3.0f);
  kernels::sparsemax_fwd(rows, n, x.data(), y.data());
  for (int64_t r = 0; r < rows; ++r) {
    int zeros = 0;
    for (int64_t i = 0; i < n; ++i) zeros += y[r * n + i] == 0.0f;
    CHECK(zeros > 0);
  }
}

TEST_CASE("sparsemax kernel backward is the support-centred projection of dy") {
  // y = [0.65, 0.35, 0]: support {0, 1}, mean of dy there = (1 + 3) / 2
  std::vector<float> y{0.65f, 0.35f, 0.0f}, dy{1.0f, 3.0f, 5.0f}, dx(3);
  kernels::sparsemax_bwd(1, 3, y.data(), dy.data(), dx.data());
  CHECK(dx[0] == Approx(-1.0f));
  CHECK(dx[1] == Approx(1.0f));
  CHECK(dx[2] == 0.0f);
  std::vector<float> empty{0.0f, 0.0f}, g{1.0f, 2.0f}, d(2, 9.0f);
  kernels::sparsemax_bwd(1, 2, empty.data(), g.data(), d.data());
  CHECK(d[0] == 0.0f);
  CHECK(d[1] == 0.0f);
}
