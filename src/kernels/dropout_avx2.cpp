// The dropout kernels compiled for AVX2: 8 Philox blocks per batch (see dropout_impl.h).
#define ATTN_DROPOUT_ISA avx2
#define ATTN_DROPOUT_VEC Avx2
#include "kernels/dropout_impl.h"
