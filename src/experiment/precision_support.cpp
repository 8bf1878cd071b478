#include "experiment/precision_support.h"

#include "base/error.h"
#include "kernels/cpu_features.h"

namespace attn::experiment {

void check_precision_supported(kernels::Precision p) {
  ATTN_CHECK(p != kernels::Precision::bf16 || kernels::has_avx512_bf16(), usage,
             "precision bf16 needs the AVX512-BF16 instructions, which this CPU lacks (use --precision fp32)");
}

}  // namespace attn::experiment
