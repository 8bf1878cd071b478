// Row gather and its adjoint, scatter-add, for embedding tables. Ids are
// trusted (checked by the op). Scatter-add visits ids in order within each
// column block, so repeated ids accumulate identically for any thread count.
#pragma once

#include <cstdint>

namespace attn::kernels {

// out[i, :] = table[ids[i], :] for i in [0, n); table [V, cols], out [n, cols].
void gather_rows(const float* table, int64_t cols, const int32_t* ids, int64_t n, float* out);
// dtable[ids[i], :] += dout[i, :] for i in [0, n), in order of i.
void scatter_add_rows(const float* dout, int64_t cols, const int32_t* ids, int64_t n, float* dtable);

}  // namespace attn::kernels
