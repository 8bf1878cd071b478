// Point-wise nonlinearities on raw buffers, forward and backward, vectorised
// per ISA (exp and erf are branch-free polynomials, so loops vectorise), with
// a plain libm reference twin used as the test oracle.
// Accuracy (measured against libm in double, tests/kernels/pointwise_test.cpp):
// within 3e-7 absolute + 3e-7 relative for every function and derivative;
// exp is relative-accurate (~1e-7) down to the denormal range; the normal CDF
// inside gelu uses Abramowitz–Stegun 7.1.26 (erf to 1.5e-7 absolute). log is libm's.
// Not here: the autodiff wrappers (ops/activation.h).
#pragma once

#include <cstdint>

#include "kernels/cpu_features.h"

namespace attn::kernels {

enum class Pointwise { relu, gelu, tanh, sigmoid, exp, log, elu };

// y = f(x). `param` is elu's alpha, unused otherwise.
void pointwise_fwd(Pointwise f, const float* x, float* y, int64_t n, float param,
                   Isa isa = detected_isa());
// dx += dy · f'(x) when accumulating, else dx = dy · f'(x) (dx may start
// uninitialised), given x and y = f(x).
void pointwise_bwd(Pointwise f, const float* x, const float* y, const float* dy, float* dx, int64_t n,
                   float param, bool accumulate, Isa isa = detected_isa());

void pointwise_fwd_reference(Pointwise f, const float* x, float* y, int64_t n, float param);
void pointwise_bwd_reference(Pointwise f, const float* x, const float* y, const float* dy, float* dx, int64_t n,
                             float param, bool accumulate);

}  // namespace attn::kernels
