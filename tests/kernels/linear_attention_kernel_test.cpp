#include <algorithm>
#include <catch2/catch.hpp>
#include <vector>

#include "kernels/linear_attention.h"
#include "tensor/rng.h"

using namespace attn;

namespace {
// The quadratic form of the same function, straight from its definition.
void quadratic(const kernels::LinearAttentionShape& s, const std::vector<float>& a, const std::vector<float>& b,
               const std::vector<float>& v, std::vector<float>& out) {
  for (int64_t g = 0; g < s.groups; ++g)
    for (int64_t i = 0; i < s.tq; ++i) {
      std::vector<double> num(s.dv, 0.0);
      double den = s.eps;
      for (int64_t j = 0; j < s.tk; ++j) {
        if (s.causal && j > i + (s.tk - s.tq)) continue;
        double w = 0.0;
        for (int64_t x = 0; x < s.d; ++x) w += a[(g * s.tq + i) * s.d + x] * b[(g * s.tk + j) * s.d + x];
        den += w;
        for (int64_t y = 0; y < s.dv; ++y) num[y] += w * v[(g * s.tk + j) * s.dv + y];
      }
      for (int64_t y = 0; y < s.dv; ++y) out[(g * s.tq + i) * s.dv + y] = static_cast<float>(num[y] / den);
    }
}
}  // namespace

TEST_CASE("linear attention kernel forward equals its quadratic form, causal and not, Tq != Tk") {
  Rng rng(8, 0);
  for (int trial = 0; trial < 24; ++trial) {
    kernels::LinearAttentionShape s;
    s.groups = 1 + rng.below(3);
    s.tq = 1 + rng.below(9);
    s.tk = 1 + rng.below(9);
    s.d = 1 + rng.below(5);
    s.dv = 1 + rng.below(5);
    s.causal = trial % 2 == 1;
    std::vector<float> a(s.groups * s.tq * s.d), b(s.groups * s.tk * s.d), v(s.groups * s.tk * s.dv);
    rng.fill_uniform(a.data(), a.size(), 0.05f, 2.0f);  // feature maps are positive
    rng.fill_uniform(b.data(), b.size(), 0.05f, 2.0f);
    rng.fill_uniform(v.data(), v.size(), -1.0f, 1.0f);
    std::vector<float> out(s.groups * s.tq * s.dv), expect(out.size()), den(s.groups * s.tq);
    std::vector<float> state(s.groups * (s.d + 1) * (s.dv + 1));
    kernels::linear_attention_fwd(s, a.data(), b.data(), v.data(), out.data(), den.data(), state.data());
    quadratic(s, a, b, v, expect);
    for (size_t i = 0; i < out.size(); ++i) REQUIRE(out[i] == Approx(expect[i]).margin(1e-5));
  }
}
