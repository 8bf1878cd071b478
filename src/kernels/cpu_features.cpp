#include "kernels/cpu_features.h"

#include <cpuid.h>
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

// CPUID leaf 7, sub-leaf 1, EAX bit 5 (GCC 12's __builtin_cpu_supports does not know it).
bool hardware_bf16() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx)) return false;
  return (eax >> 5) & 1u;
}

Isa requested_cap() {
  const char* env = std::getenv("ATTN_ISA");
  if (!env) return Isa::avx512;
  if (std::strcmp(env, "scalar") == 0) return Isa::scalar;
  if (std::strcmp(env, "avx2") == 0) return Isa::avx2;
  return Isa::avx512;
}

bool bf16_refused_by_env() {
  const char* env = std::getenv("ATTN_NO_BF16");
  return env && *env && std::strcmp(env, "0") != 0;
}
}  // namespace

Isa detected_isa() {
  static const Isa isa = [] {
    Isa hw = hardware_isa(), cap = requested_cap();
    return static_cast<int>(hw) < static_cast<int>(cap) ? hw : cap;
  }();
  return isa;
}

bool has_avx512_bf16() {
  // AVX-512 state is enabled by the OS whenever detected_isa() says avx512.
  static const bool bf16 = detected_isa() == Isa::avx512 && hardware_bf16() && !bf16_refused_by_env();
  return bf16;
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
