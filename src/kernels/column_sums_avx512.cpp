// The column-sum kernel compiled for AVX-512 (see column_sums_impl.h).
#define ATTN_COLUMN_SUMS_ISA avx512
#define ATTN_COLUMN_SUMS_VEC Avx512
#include "kernels/column_sums_impl.h"
