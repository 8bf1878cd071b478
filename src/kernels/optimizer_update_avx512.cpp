// The optimizer updates compiled for AVX-512 (see optimizer_update_impl.h).
#define ATTN_OPTIMIZER_ISA avx512
#include "kernels/optimizer_update_impl.h"
