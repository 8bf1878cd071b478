// The dropout kernels compiled for AVX-512: 16 Philox blocks per batch (see dropout_impl.h).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC bug 105593 in its own intrinsics
#pragma GCC diagnostic ignored "-Wuninitialized"
#define ATTN_DROPOUT_ISA avx512
#define ATTN_DROPOUT_VEC Avx512
#include "kernels/dropout_impl.h"
