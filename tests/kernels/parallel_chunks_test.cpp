#include "kernels/parallel_chunks.h"

#include <catch2/catch.hpp>
#include <omp.h>
#include <vector>

using attn::kernels::parallel_chunks;

namespace {
// Counts how often each element of [0, n) is visited and whether every chunk ran
// on the calling thread's team (inside a parallel region it must not fork).
std::vector<int> visits(int64_t n, int64_t chunk, int* nested_teams) {
  std::vector<int> seen(n, 0);
  parallel_chunks(n, chunk, [&](int64_t begin, int64_t count) {
    CHECK(count >= 1);
    CHECK(count <= chunk);
    if (omp_get_level() > 1) {
#pragma omp atomic
      ++*nested_teams;
    }
    for (int64_t i = begin; i < begin + count; ++i) {
#pragma omp atomic
      ++seen[i];
    }
  });
  return seen;
}
}  // namespace

TEST_CASE("parallel_chunks visits every element once, forking only outside a parallel region") {
  for (int64_t n : {1, 7, 8, 9, 64, 1000}) {
    for (int64_t chunk : {1, 8, 1000}) {
      CAPTURE(n, chunk);
      int nested = 0;
      for (int count : visits(n, chunk, &nested)) REQUIRE(count == 1);
#pragma omp parallel num_threads(2)
      {
        int inner_nested = 0;
        for (int count : visits(n, chunk, &inner_nested)) CHECK(count == 1);
        CHECK(inner_nested == 0);
      }
    }
  }
}
