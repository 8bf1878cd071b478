// Run-time ISA detection (CPUID), so one binary uses AVX-512 where it exists
// and falls back to AVX2 or scalar code elsewhere.
#pragma once

namespace attn::kernels {

enum class Isa { scalar, avx2, avx512 };

// The best ISA this CPU supports, capped by the ATTN_ISA environment variable
// (scalar|avx2|avx512) so tests and benchmarks can force a fallback.
Isa detected_isa();
const char* isa_name(Isa isa);

}  // namespace attn::kernels
