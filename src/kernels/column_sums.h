// Column sums of a row-major [rows, cols] matrix: the bias gradients of linear
// layers and RNN gates. Vectorised per ISA (column_sums_impl.h); every column adds
// its rows in order, so the result does not depend on the thread count.
#pragma once

#include <cstdint>

#include "kernels/cpu_features.h"

namespace attn::kernels {

// sums[c] += Σ_r m[r, c]. Splits columns across threads when large and not
// already inside a parallel region.
void add_column_sums(const float* m, int64_t rows, int64_t cols, float* sums, Isa isa = detected_isa());

}  // namespace attn::kernels
