// The SIMD variants a kernel test should check: every ISA this CPU can run, so
// each compiled copy (scalar, AVX2, AVX-512) is compared with its reference.
#pragma once

#include <vector>

#include "kernels/cpu_features.h"

namespace attn::testing {

inline std::vector<kernels::Isa> runnable_isas() {
  using kernels::Isa;
  std::vector<Isa> isas{Isa::scalar};
  if (kernels::detected_isa() != Isa::scalar) isas.push_back(Isa::avx2);
  if (kernels::detected_isa() == Isa::avx512) isas.push_back(Isa::avx512);
  return isas;
}

}  // namespace attn::testing
