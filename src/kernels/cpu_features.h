// Run-time ISA detection (CPUID), so one binary uses AVX-512 where it exists
// and falls back to AVX2 or scalar code elsewhere.
#pragma once

namespace attn::kernels {

enum class Isa { scalar, avx2, avx512 };

// The best ISA this CPU supports, capped by the ATTN_ISA environment variable
// (scalar|avx2|avx512) so tests and benchmarks can force a fallback.
Isa detected_isa();
const char* isa_name(Isa isa);

// Whether the AVX512-BF16 instructions (vdpbf16ps, vcvtne2ps2bf16) can be used: the
// CPU has them and detected_isa() is avx512. ATTN_NO_BF16=1 (or a lower ATTN_ISA)
// makes this false, so tests can simulate a CPU without them on one that has them.
bool has_avx512_bf16();

}  // namespace attn::kernels
