// The loss kernels compiled for AVX2 + FMA (see losses_impl.h).
#define ATTN_LOSSES_ISA avx2
#define ATTN_LOSSES_VEC Avx2
#include "kernels/losses_impl.h"
