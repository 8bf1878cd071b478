// The optimizer updates compiled for AVX2 (see optimizer_update_impl.h).
#define ATTN_OPTIMIZER_ISA avx2
#include "kernels/optimizer_update_impl.h"
