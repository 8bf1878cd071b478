// Element-wise loops split into fixed-size chunks shared out over the OpenMP
// team: which elements form a chunk never depends on the thread count, so a
// kernel's results do not either. One chunk (or a call from inside a parallel
// region) runs on the calling thread.
#pragma once

#include <omp.h>

#include <algorithm>
#include <cstdint>

namespace attn::kernels {

// Calls body(begin, count) for consecutive chunks of `chunk` elements covering
// [0, n).
template <class Body>
void parallel_chunks(int64_t n, int64_t chunk, Body body) {
  const int64_t chunks = (n + chunk - 1) / chunk;
  // A plain branch, not an `if` clause: libgomp enters a parallel region even when
  // the clause is false, and doing that once per row inside another kernel's team
  // (the additive score's tanh) cost more futex calls than arithmetic.
  if (chunks <= 1 || omp_in_parallel()) {
    for (int64_t c = 0; c < chunks; ++c) body(c * chunk, std::min(chunk, n - c * chunk));
    return;
  }
#pragma omp parallel for schedule(static)
  for (int64_t c = 0; c < chunks; ++c) body(c * chunk, std::min(chunk, n - c * chunk));
}

}  // namespace attn::kernels
