// The cross-entropy row kernels and the exp they use, written once over a
// vector type V (kernels/simd_vec.h) and instantiated per ISA by losses.cpp
// (Scalar), losses_avx2.cpp and losses_avx512.cpp, each into its own namespace
// (ATTN_LOSSES_ISA). Rows are independent and every sum runs in a fixed order,
// so results do not depend on how rows are split across threads.
#pragma once

#ifndef ATTN_LOSSES_ISA
#error "define ATTN_LOSSES_ISA (and ATTN_LOSSES_VEC) before including kernels/losses_impl.h"
#endif

#include <cmath>
#include <limits>

#include "kernels/losses.h"
#include "kernels/simd_vec.h"

namespace attn::kernels::ATTN_LOSSES_ISA {

namespace {
using V = simd::ATTN_LOSSES_VEC;
using reg = V::reg;
constexpr int W = V::W;
constexpr int U = 4;  // independent accumulators, to hide add/max latency
constexpr float kNegInf = -std::numeric_limits<float>::infinity();

struct MaxTotal {
  float max, total;
};

MaxTotal max_and_total(const float* x, int64_t v) {
  reg m[U], t[U];
  for (int u = 0; u < U; ++u) m[u] = V::set1(kNegInf), t[u] = V::set1(0.0f);
  int64_t j = 0;
  for (; j + U * W <= v; j += U * W)
    for (int u = 0; u < U; ++u) {
      const reg xv = V::load(x + j + u * W);
      m[u] = V::max(m[u], xv);
      t[u] = V::add(t[u], xv);
    }
  for (; j + W <= v; j += W) {
    const reg xv = V::load(x + j);
    m[0] = V::max(m[0], xv);
    t[0] = V::add(t[0], xv);
  }
  if (j < v) {
    const int rest = static_cast<int>(v - j);
    m[0] = V::max(m[0], V::load_tail(x + j, rest, kNegInf));
    t[0] = V::add(t[0], V::load_tail(x + j, rest, 0.0f));
  }
  return {V::hmax(V::max(V::max(m[0], m[1]), V::max(m[2], m[3]))),
          V::sum(V::add(V::add(t[0], t[1]), V::add(t[2], t[3])))};
}

// Σ_j exp(x_j - shift)
float sum_exp(const float* x, int64_t v, float shift) {
  const reg sh = V::set1(shift);
  reg s[U];
  for (int u = 0; u < U; ++u) s[u] = V::set1(0.0f);
  int64_t j = 0;
  for (; j + U * W <= v; j += U * W)
    for (int u = 0; u < U; ++u) s[u] = V::add(s[u], simd::exp<V>(V::sub(V::load(x + j + u * W), sh)));
  for (; j + W <= v; j += W) s[0] = V::add(s[0], simd::exp<V>(V::sub(V::load(x + j), sh)));
  // Missing lanes read as -inf and add exp(-inf) = 0 (NaN only if shift is -inf, as every lane is then).
  if (j < v) s[0] = V::add(s[0], simd::exp<V>(V::sub(V::load_tail(x + j, static_cast<int>(v - j), kNegInf), sh)));
  return V::sum(V::add(V::add(s[0], s[1]), V::add(s[2], s[3])));
}

// dx (+)= scale · (exp(x - lse) - uniform)
template <bool Accumulate>
void softmax_grad_row(const float* x, float lse, float scale, float uniform, float* dx, int64_t v) {
  const reg l = V::set1(lse), sc = V::set1(scale), un = V::set1(uniform);
  auto grad = [&](reg xv, reg old) {
    const reg g = V::mul(sc, V::sub(simd::exp<V>(V::sub(xv, l)), un));
    return Accumulate ? V::add(old, g) : g;
  };
  int64_t j = 0;
  for (; j + W <= v; j += W) V::store(dx + j, grad(V::load(x + j), Accumulate ? V::load(dx + j) : V::set1(0.0f)));
  if (j < v) {
    const int rest = static_cast<int>(v - j);
    const reg old = Accumulate ? V::load_tail(dx + j, rest, 0.0f) : V::set1(0.0f);
    V::store_tail(dx + j, grad(V::load_tail(x + j, rest, 0.0f), old), rest);
  }
}
}  // namespace

void exp_values(const float* x, float* y, int64_t n) {
  int64_t i = 0;
  for (; i + W <= n; i += W) V::store(y + i, simd::exp<V>(V::load(x + i)));
  if (i < n) {
    const int rest = static_cast<int>(n - i);
    V::store_tail(y + i, simd::exp<V>(V::load_tail(x + i, rest, 0.0f)), rest);
  }
}

void cross_entropy_fwd_rows(const CrossEntropyShape& s, const float* logits, const int32_t* targets, float* loss,
                            float* lse, int64_t r0, int64_t r1) {
  const int64_t v = s.classes;
  const float eps = s.label_smoothing;
  for (int64_t r = r0; r < r1; ++r) {
    const float* x = logits + r * v;
    const MaxTotal mt = max_and_total(x, v);
    const float l = mt.max + std::log(sum_exp(x, v, mt.max));
    lse[r] = l;
    const int32_t y = targets[r];
    loss[r] = y == s.ignore_index ? 0.0f : smoothed_loss(l, x[y], mt.total, v, eps);
  }
}

void cross_entropy_bwd_rows(const CrossEntropyShape& s, const float* logits, const int32_t* targets,
                            const float* lse, float scale, float* dlogits, bool accumulate, int64_t r0, int64_t r1) {
  const int64_t v = s.classes;
  const float uniform = s.label_smoothing / static_cast<float>(v);
  const float on_target = 1.0f - s.label_smoothing;
  for (int64_t r = r0; r < r1; ++r) {
    float* dx = dlogits + r * v;
    const int32_t y = targets[r];
    if (y == s.ignore_index) {
      if (!accumulate)
        for (int64_t j = 0; j < v; ++j) dx[j] = 0.0f;
      continue;
    }
    if (accumulate)
      softmax_grad_row<true>(logits + r * v, lse[r], scale, uniform, dx, v);
    else
      softmax_grad_row<false>(logits + r * v, lse[r], scale, uniform, dx, v);
    dx[y] -= scale * on_target;
  }
}

}  // namespace attn::kernels::ATTN_LOSSES_ISA
