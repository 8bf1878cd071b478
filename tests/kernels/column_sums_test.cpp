#include <catch2/catch.hpp>

#include <omp.h>

#include <vector>

#include "kernels/column_sums.h"
#include "support/isas.h"
#include "support/random_values.h"
#include "tensor/rng.h"

using namespace attn;

TEST_CASE("column sums match a double-precision reference on every ISA and awkward widths") {
  Rng rng(47, 0);
  for (kernels::Isa isa : testing::runnable_isas())
    for (int64_t cols : {1, 7, 16, 17, 127, 128, 129, 300, 1000})
      for (int64_t rows : {0, 1, 5, 260}) {
        INFO("isa " << kernels::isa_name(isa) << ", " << rows << " x " << cols);
        const std::vector<float> m = testing::random_vector(rng, rows * cols, -1.0f, 1.0f);
        std::vector<float> sums = testing::random_vector(rng, cols, -1.0f, 1.0f), want(cols);
        for (int64_t c = 0; c < cols; ++c) {
          double s = sums[c];
          for (int64_t r = 0; r < rows; ++r) s += m[r * cols + c];
          want[c] = static_cast<float>(s);
        }
        kernels::add_column_sums(m.data(), rows, cols, sums.data(), isa);
        testing::require_close(sums, want, 2e-5);
      }
}

TEST_CASE("column sums do not depend on the thread count") {
  Rng rng(53, 0);
  const int64_t rows = 300, cols = 1001;  // large enough to split across threads
  const std::vector<float> m = testing::random_vector(rng, rows * cols, -1.0f, 1.0f);
  auto run = [&](int threads) {
    const int before = omp_get_max_threads();
    omp_set_num_threads(threads);
    std::vector<float> sums(cols, 0.5f);
    kernels::add_column_sums(m.data(), rows, cols, sums.data());
    omp_set_num_threads(before);
    return sums;
  };
  REQUIRE(run(1) == run(3));
}
