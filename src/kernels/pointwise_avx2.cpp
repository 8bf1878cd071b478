// The point-wise kernels compiled for AVX2 + FMA (see pointwise_impl.h).
#define ATTN_POINTWISE_ISA avx2
#include "kernels/pointwise_impl.h"
