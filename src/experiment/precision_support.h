// Whether this CPU may run a precision: bf16 needs AVX512-BF16, and on a CPU without
// it attn refuses rather than run oneDNN's emulation, several times slower than fp32.
#pragma once

#include "kernels/precision.h"

namespace attn::experiment {

// Throws Error kind usage (exit 2) naming the missing instruction set.
void check_precision_supported(kernels::Precision p);

}  // namespace attn::experiment
