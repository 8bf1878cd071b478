#include <catch2/catch.hpp>
#include <vector>

#include "kernels/matmul.h"
#include "tensor/rng.h"

using namespace attn;
using attn::kernels::MatmulShape;

TEST_CASE("oneDNN matmul with a fused bias matches the reference loop") {
  Rng rng(23, 0);
  for (int trial = 0; trial < 30; ++trial) {
    MatmulShape s;
    s.batch = 1 + rng.below(3);
    s.m = 1 + rng.below(37);
    s.n = 1 + rng.below(41);
    s.k = rng.below(50);  // includes K = 0: the output is the bias alone
    s.trans_a = rng.below(2);
    s.trans_b = rng.below(2);
    s.a_batched = rng.below(4) != 0;
    s.b_batched = rng.below(4) != 0;
    s.accumulate = rng.below(2);
    std::vector<float> a(s.batch * s.m * s.k), b(s.batch * s.k * s.n), c(s.batch * s.m * s.n), bias(s.n);
    rng.fill_uniform(a.data(), a.size(), -1, 1);
    rng.fill_uniform(b.data(), b.size(), -1, 1);
    rng.fill_uniform(c.data(), c.size(), -1, 1);
    rng.fill_uniform(bias.data(), bias.size(), -1, 1);
    std::vector<float> expect = c;
    kernels::matmul(s, a.data(), b.data(), c.data(), bias.data());
    kernels::matmul_reference(s, a.data(), b.data(), expect.data(), bias.data());
    INFO("batch " << s.batch << " m " << s.m << " n " << s.n << " k " << s.k << " accumulate " << s.accumulate);
    for (size_t i = 0; i < c.size(); ++i) REQUIRE(c[i] == Approx(expect[i]).margin(1e-4));
  }
}
