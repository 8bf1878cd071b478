// The point-wise kernels compiled for AVX-512 (see pointwise_impl.h).
#define ATTN_POINTWISE_ISA avx512
#include "kernels/pointwise_impl.h"
