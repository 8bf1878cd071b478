// The layer-norm kernels compiled for AVX2 (see layer_norm_impl.h).
#define ATTN_LAYER_NORM_ISA avx2
#define ATTN_LAYER_NORM_VEC Avx2
#include "kernels/layer_norm_impl.h"
