// The column-sum kernel compiled for AVX2 + FMA (see column_sums_impl.h).
#define ATTN_COLUMN_SUMS_ISA avx2
#define ATTN_COLUMN_SUMS_VEC Avx2
#include "kernels/column_sums_impl.h"
