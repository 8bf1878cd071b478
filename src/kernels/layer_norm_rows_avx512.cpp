// The layer-norm kernels compiled for AVX-512 (see layer_norm_impl.h).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC bug 105593 in its own intrinsics
#define ATTN_LAYER_NORM_ISA avx512
#define ATTN_LAYER_NORM_VEC Avx512
#include "kernels/layer_norm_impl.h"
