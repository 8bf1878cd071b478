// Batched matrix products through oneDNN's matmul primitive, with a primitive
// cache keyed by shape. Transposed operands are described by strides, never copied.
// Products follow kernels::matmul_precision() (precision.h): in bf16 A and B are rounded
// to bf16 and accumulated in fp32. Also holds the plain reference loop, the test oracle
// (which rounds its inputs the same way).
#pragma once

#include <cstdint>
#include <string>

namespace attn::kernels {

// C[b] (+)= op(A[b]) · op(B[b]) with op(A) [M, K], op(B) [K, N], C [M, N], all row-major.
// A batch operand that is not batched (a_batched=false) is shared by every batch entry.
struct MatmulShape {
  int64_t batch = 1;
  int64_t m = 0, n = 0, k = 0;
  bool trans_a = false;  // A stored as [K, M]
  bool trans_b = false;  // B stored as [N, K]
  bool a_batched = true;
  bool b_batched = true;
  bool accumulate = false;  // C += A·B instead of C = A·B
};

// bias (optional, [N]) is added to every row of C inside the same pass.
void matmul(const MatmulShape& s, const float* a, const float* b, float* c, const float* bias = nullptr);
void matmul_reference(const MatmulShape& s, const float* a, const float* b, float* c,
                      const float* bias = nullptr);

// "2.6.0"-style version of the oneDNN library in use.
std::string onednn_version();

}  // namespace attn::kernels
