#include "bench/unfused_attention.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include "kernels/matmul.h"

namespace attn::bench {

namespace {
kernels::MatmulShape product(int64_t batch, int64_t m, int64_t n, int64_t k, bool trans_a, bool trans_b) {
  kernels::MatmulShape s;
  s.batch = batch, s.m = m, s.n = n, s.k = k, s.trans_a = trans_a, s.trans_b = trans_b;
  return s;
}

// Keys a query row sees: all, or the causal prefix.
int64_t visible_keys(const UnfusedShape& s, int64_t i) {
  return s.causal ? std::clamp<int64_t>(i + s.Tk - s.Tq + 1, 0, s.Tk) : s.Tk;
}
}  // namespace

void UnfusedAttention::forward(const float* q, const float* k, const float* v, float* o) {
  const int64_t TT = s_.Tq * s_.Tk;
  p_.reset(new float[s_.BH * TT]);
  float* p = p_.get();
  kernels::matmul(product(s_.BH, s_.Tq, s_.Tk, s_.D, false, true), q, k, p);  // S [BH, Tq, Tk]
#pragma omp parallel for schedule(static)
  for (int64_t row = 0; row < s_.BH * s_.Tq; ++row) {
    float* r = p + row * s_.Tk;
    const int64_t i = row % s_.Tq, n = visible_keys(s_, i);
    const float kInf = std::numeric_limits<float>::infinity();
    float m = -kInf, sum = 0.0f;
    for (int64_t j = 0; j < n; ++j) {
      r[j] = grid_visible(s_.grid, i, j) ? r[j] * s_.scale : -kInf;
      m = std::max(m, r[j]);
    }
    for (int64_t j = 0; j < n; ++j) {
      r[j] = m == -kInf ? 0.0f : std::exp(r[j] - m);
      sum += r[j];
    }
    const float inv = sum > 0.0f ? 1.0f / sum : 0.0f;
    for (int64_t j = 0; j < n; ++j) r[j] *= inv;
    for (int64_t j = n; j < s_.Tk; ++j) r[j] = 0.0f;
  }
  kernels::matmul(product(s_.BH, s_.Tq, s_.D, s_.Tk, false, false), p, v, o);  // O = P·V
}

void UnfusedAttention::backward(const float* q, const float* k, const float* v, const float* dout, float* dq,
                                float* dk, float* dv) {
  assert(p_ && "forward() first");
  const float* p = p_.get();
  std::unique_ptr<float[]> ds(new float[s_.BH * s_.Tq * s_.Tk]);
  kernels::matmul(product(s_.BH, s_.Tk, s_.D, s_.Tq, true, false), p, dout, dv);        // dV = Pᵀ·dO
  kernels::matmul(product(s_.BH, s_.Tq, s_.Tk, s_.D, false, true), dout, v, ds.get());  // dP = dO·Vᵀ
  // Softmax backward: dS = P ∘ (dP - rowsum(P ∘ dP)) · scale.
#pragma omp parallel for schedule(static)
  for (int64_t row = 0; row < s_.BH * s_.Tq; ++row) {
    const float* pr = p + row * s_.Tk;
    float* r = ds.get() + row * s_.Tk;
    float dot = 0.0f;
    for (int64_t j = 0; j < s_.Tk; ++j) dot += pr[j] * r[j];
    for (int64_t j = 0; j < s_.Tk; ++j) r[j] = pr[j] * (r[j] - dot) * s_.scale;
  }
  kernels::matmul(product(s_.BH, s_.Tq, s_.D, s_.Tk, false, false), ds.get(), k, dq);  // dQ = dS·K
  kernels::matmul(product(s_.BH, s_.Tk, s_.D, s_.Tq, true, false), ds.get(), q, dk);   // dK = dSᵀ·Q
}

}  // namespace attn::bench
