// Products a · op(W) where one weight matrix serves many calls — the per-step products
// of a recurrence — through oneDNN with W reordered once into the library's blocked
// layout, so no call repacks it (with W plain, 32-row products measured 5-35 % slower
// here). Every call runs on the calling thread only: the
// recurrent ops split the batch rows over their own threads, one chunk each, and a
// step then needs no team wake-up and no barrier. Shapes are fixed per call site;
// matmul.h remains the general, self-threaded product.
#pragma once

#include <cstdint>

namespace attn::kernels {

// op(W) [K, N]: W stored [N, K] when trans (x · Wᵀ, a forward), else [K, N]. rows is the
// row count of most calls (the layout is chosen for it); other row counts also work.
struct PackedProductShape {
  int64_t rows = 0;  // M
  int64_t n = 0, k = 0;
  bool trans = false;
};

// Floats of the packed form of W.
int64_t packed_weight_floats(const PackedProductShape& s);
void pack_weight(const PackedProductShape& s, const float* w, float* packed);
// c [m, N] (+)= a [m, K] · op(W), given W both plain and packed (pack_weight of the same s).
// m may differ from s.rows; should the library want another layout for m, the plain W is used.
void packed_product(const PackedProductShape& s, int64_t m, const float* a, const float* w, const float* packed,
                    float* c, bool accumulate);
// The reference twin, from the plain W only (the packed form is the library's business).
void packed_product_reference(const PackedProductShape& s, int64_t m, const float* a, const float* w, float* c,
                              bool accumulate);

}  // namespace attn::kernels
