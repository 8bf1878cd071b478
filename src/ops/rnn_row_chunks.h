// How the sequence ops of rnn_cells.h and rnn_attention_decoder.h use threads: batch
// rows never interact inside a recurrence, so the batch is cut into chunks of fixed size
// and each thread runs whole loops (every step) for its chunks, with the per-step products
// on its own thread (kernels/packed_product.h): no barrier per step, which matters most
// when the cores are shared. The chunks do not depend on the thread count, so neither do
// the results. The products over all steps (weight gradients) stay outside, self-threaded.
#pragma once

#include <algorithm>
#include <cstdint>

#include "kernels/packed_product.h"
#include "tensor/tensor.h"

namespace attn::rnn_rows {

// A 32-row product runs at 75-95 % of the 64-row rate on one core (K = 256 … 1024, measured
// here), and a batch of 64 gives both cores one chunk each.
constexpr int64_t kChunkRows = 32;

inline int64_t chunk_rows(int64_t batch) { return std::max<int64_t>(1, std::min(batch, kChunkRows)); }
inline int64_t chunk_count(int64_t batch) { return (batch + kChunkRows - 1) / kChunkRows; }

// body(first_row, rows) once per chunk (chunk first_row / kChunkRows); chunks run in parallel.
template <typename Body>
void for_chunks(int64_t batch, const Body& body) {
  const int64_t chunks = chunk_count(batch);
#pragma omp parallel for schedule(static) if (chunks > 1)
  for (int64_t ch = 0; ch < chunks; ++ch) {
    const int64_t r0 = ch * kChunkRows;
    body(r0, std::min(kChunkRows, batch - r0));
  }
}

// A weight matrix, plain and packed for the per-step products of one loop.
struct StepWeight {
  kernels::PackedProductShape shape;
  const float* plain = nullptr;
  Tensor packed;

  StepWeight(int64_t batch, int64_t n, int64_t k, bool trans, const float* w)
      : shape{chunk_rows(batch), n, k, trans}, plain(w),
        packed(Tensor::empty({kernels::packed_weight_floats(shape)})) {
    kernels::pack_weight(shape, w, packed.data());
  }
  // c [m, N] (+)= a [m, K] · op(W)
  void product(int64_t m, const float* a, float* c, bool accumulate) const {
    kernels::packed_product(shape, m, a, plain, packed.data(), c, accumulate);
  }
};

}  // namespace attn::rnn_rows
