// The loss kernels compiled for AVX-512 (see losses_impl.h).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC bug 105593 in its own intrinsics
#pragma GCC diagnostic ignored "-Wuninitialized"
#define ATTN_LOSSES_ISA avx512
#define ATTN_LOSSES_VEC Avx512
#include "kernels/losses_impl.h"
