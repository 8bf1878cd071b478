// Sparsemax (Martins & Astudillo 2016) over the rows of a matrix: the Euclidean
// projection of each row onto the probability simplex, p = max(z - τ, 0) with τ
// chosen so that Σ p = 1; small scores get exactly zero weight.
// An entry equal to -inf is masked: it gets p = 0 and no gradient, and a row with
// no finite entry is all zeros. Forward and backward sit side by side, with the
// paper's sort-based algorithm as the reference twin (the test oracle).
// Masks as tensors and autodiff live in ops/sparsemax.h, not here.
#pragma once

#include <cstdint>

namespace attn::kernels {

// x, y: [rows, n]. Finds τ by Michelot's fixed-point iteration (no sort, no allocation).
void sparsemax_fwd(int64_t rows, int64_t n, const float* x, float* y);

// dx = J(y)ᵀ dy. On the support S = {i : y_i > 0}: dx_i = dy_i - mean_{j∈S} dy_j;
// dx_i = 0 off the support. Overwrites dx.
void sparsemax_bwd(int64_t rows, int64_t n, const float* y, const float* dy, float* dx);

// Algorithm 1 of the paper: sort descending, k = max{k : 1 + k z_(k) > Σ_{j≤k} z_(j)}.
// Allocates a scratch row; for tests only.
void sparsemax_reference(int64_t rows, int64_t n, const float* x, float* y);

}  // namespace attn::kernels
