#include "kernels/cpu_features.h"

#include <cstdlib>
#include <cstring>

namespace attn::kernels {

namespace {
Isa hardware_isa() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl"))
    return Isa::avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::avx2;
  return Isa::scalar;
}

Isa requested_cap() {
  const char* env = std::getenv("ATTN_ISA");
  if (!env) return Isa::avx512;
  if (std::strcmp(env, "scalar") == 0) return Isa::scalar;
  if (std::strcmp(env, "avx2") == 0) return Isa::avx2;
  return Isa::avx512;
}
}  // namespace

Isa detected_isa() {
  static const Isa isa = [] {
    Isa hw = hardware_isa(), cap = requested_cap();
    return static_cast<int>(hw) < static_cast<int>(cap) ? hw : cap;
  }();
  return isa;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::avx512: return "avx512";
    case Isa::avx2: return "avx2";
    case Isa::scalar: return "scalar";
  }
  return "scalar";
}

}  // namespace attn::kernels
