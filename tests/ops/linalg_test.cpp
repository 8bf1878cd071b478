#include <catch2/catch.hpp>

#include "base/error.h"
#include "kernels/matmul.h"
#include "ops/elementwise.h"
#include "ops/linalg.h"
#include "ops/op_cases.h"
#include "ops/random_tensor.h"

using namespace attn;
using attn::testing::OpCase;

namespace {
VarFunction mm(bool ta, bool tb) {
  return [ta, tb](const std::vector<Var>& v) { return matmul(v[0], v[1], ta, tb); };
}
}  // namespace

TEST_CASE("gradcheck: linalg") {
  const VarFunction lin = [](const std::vector<Var>& v) { return linear(v[0], v[1], v[2]); };
  const VarFunction lin_nobias = [](const std::vector<Var>& v) { return linear(v[0], v[1]); };
  testing::run_op_cases({
      {"matmul [3,4]x[4,5]", {{3, 4}, {4, 5}}, mm(false, false)},
      {"matmul trans_a [4,3]x[4,5]", {{4, 3}, {4, 5}}, mm(true, false)},
      {"matmul trans_b [3,4]x[5,4]", {{3, 4}, {5, 4}}, mm(false, true)},
      {"matmul trans_a trans_b [4,3]x[5,4]", {{4, 3}, {5, 4}}, mm(true, true)},
      {"matmul size-1 [1,4]x[4,1]", {{1, 4}, {4, 1}}, mm(false, false)},
      {"batched [2,3,4]x[2,4,2]", {{2, 3, 4}, {2, 4, 2}}, mm(false, false)},
      {"batched trans_a [2,4,3]x[2,4,2]", {{2, 4, 3}, {2, 4, 2}}, mm(true, false)},
      {"batched trans_b [2,3,4]x[2,2,4]", {{2, 3, 4}, {2, 2, 4}}, mm(false, true)},
      {"batched both [2,4,3]x[2,2,4]", {{2, 4, 3}, {2, 2, 4}}, mm(true, true)},
      {"batched rank 4 [2,2,3,2]x[2,2,2,3]", {{2, 2, 3, 2}, {2, 2, 2, 3}}, mm(false, false)},
      {"shared weight [2,3,4]x[4,3]", {{2, 3, 4}, {4, 3}}, mm(false, false)},
      {"shared weight trans_b [2,3,4]x[3,4]", {{2, 3, 4}, {3, 4}}, mm(false, true)},
      {"shared weight trans_a [2,4,3]x[4,2]", {{2, 4, 3}, {4, 2}}, mm(true, false)},
      {"shared weight both [2,1,4,3]x[2,4]", {{2, 1, 4, 3}, {2, 4}}, mm(true, true)},
      {"shared weight size-1 [2,1,3]x[3,1]", {{2, 1, 3}, {3, 1}}, mm(false, false)},
      {"x·xᵀ (one input twice)", {{3, 4}},
       [](const std::vector<Var>& v) { return matmul(v[0], v[0], false, true); }},
      {"linear [2,3,4] W[5,4] b[5]", {{2, 3, 4}, {5, 4}, {5}}, lin},
      {"linear no bias [3,4] W[2,4]", {{3, 4}, {2, 4}}, lin_nobias},
      {"linear rank-1 x [4] W[3,4] b[3]", {{4}, {3, 4}, {3}}, lin},
      {"linear size-1 [1,1,3] W[1,3] b[1]", {{1, 1, 3}, {1, 3}, {1}}, lin},
  });
}

TEST_CASE("matmul op matches the reference loop on awkward shapes") {
  Rng rng(17, 0);
  for (int trial = 0; trial < 30; ++trial) {
    const int64_t b0 = 1 + rng.below(3), b1 = 1 + rng.below(2);
    const int64_t m = 1 + rng.below(23), n = 1 + rng.below(29), k = 1 + rng.below(37);
    const bool ta = rng.below(2), tb = rng.below(2), shared = rng.below(2);
    const Shape a_shape{b0, b1, ta ? k : m, ta ? m : k};
    const Shape b_shape = shared ? Shape{tb ? n : k, tb ? k : n} : Shape{b0, b1, tb ? n : k, tb ? k : n};
    const Tensor a = testing::random_tensor(a_shape, rng), b = testing::random_tensor(b_shape, rng);
    const Tensor c = matmul(Var(a), Var(b), ta, tb).value();
    REQUIRE(c.shape() == Shape{b0, b1, m, n});
    kernels::MatmulShape s;
    s.batch = b0 * b1, s.m = m, s.n = n, s.k = k;
    s.trans_a = ta, s.trans_b = tb, s.b_batched = !shared;
    Tensor want = Tensor::empty(c.shape());
    kernels::matmul_reference(s, a.data(), b.data(), want.data());
    INFO("a " << to_string(a_shape) << " b " << to_string(b_shape) << " ta " << ta << " tb " << tb);
    for (int64_t i = 0; i < c.numel(); ++i) REQUIRE(c[i] == Approx(want[i]).margin(1e-4));
  }
}

TEST_CASE("linear equals matmul with transposed weight plus bias") {
  Rng rng(4, 0);
  const Tensor x = testing::random_tensor({5, 7, 33}, rng), w = testing::random_tensor({19, 33}, rng);
  const Tensor b = testing::random_tensor({19}, rng);
  const Tensor y = linear(Var(x), Var(w), Var(b)).value();
  const Tensor y0 = linear(Var(x), Var(w)).value();
  REQUIRE(y.shape() == Shape{5, 7, 19});
  kernels::MatmulShape s;
  s.m = 35, s.n = 19, s.k = 33, s.trans_b = true;
  Tensor want = Tensor::empty({35, 19});
  kernels::matmul_reference(s, x.data(), w.data(), want.data());
  for (int64_t i = 0; i < want.numel(); ++i) {
    REQUIRE(y0[i] == Approx(want[i]).margin(1e-4));
    REQUIRE(y[i] == Approx(want[i] + b[i % 19]).margin(1e-4));
  }
}

TEST_CASE("linear matches its composition matmul(x, W, trans_b) + b in values and gradients") {
  Rng rng(6, 0);
  const Tensor x = testing::random_tensor({4, 6, 9}, rng), w = testing::random_tensor({5, 9}, rng);
  const Tensor b = testing::random_tensor({5}, rng), seed = testing::random_tensor({4, 6, 5}, rng);
  Var x1 = Var::parameter(x.clone()), w1 = Var::parameter(w.clone()), b1 = Var::parameter(b.clone());
  Var x2 = Var::parameter(x.clone()), w2 = Var::parameter(w.clone()), b2 = Var::parameter(b.clone());
  Var fused = linear(x1, w1, b1);
  Var composed = add(matmul(x2, w2, false, true), b2);
  fused.backward(seed);
  composed.backward(seed);
  const std::pair<Tensor, Tensor> pairs[] = {{fused.value(), composed.value()},
                                             {x1.grad(), x2.grad()},
                                             {w1.grad(), w2.grad()},
                                             {b1.grad(), b2.grad()}};
  for (const auto& [got, want] : pairs) {
    REQUIRE(got.shape() == want.shape());
    for (int64_t i = 0; i < got.numel(); ++i) REQUIRE(got[i] == Approx(want[i]).margin(1e-5));
  }
}

TEST_CASE("linear bias gradient is the column sum of the output gradient") {
  Rng rng(8, 0);
  // 600 x 70 rows: the threaded column split of the bias reduction.
  Var x(testing::random_tensor({600, 8}, rng));
  Var w(testing::random_tensor({70, 8}, rng));
  Var b = Var::parameter(Tensor::zeros({70}));
  const Tensor seed = testing::random_tensor({600, 70}, rng);
  linear(x, w, b).backward(seed);
  for (int64_t j = 0; j < 70; ++j) {
    double want = 0;
    for (int64_t i = 0; i < 600; ++i) want += seed[i * 70 + j];
    REQUIRE(b.grad()[j] == Approx(want).margin(1e-4));
  }
}

TEST_CASE("linalg shape errors carry the shapes") {
  Var a(Tensor::zeros({2, 3, 4})), b(Tensor::zeros({5, 6})), c(Tensor::zeros({3, 4, 5}));
  CHECK_THROWS_WITH(matmul(a, b), Catch::Contains("[2, 3, 4]") && Catch::Contains("[5, 6]"));
  CHECK_THROWS_WITH(matmul(a, c), Catch::Contains("batch dims"));
  CHECK_THROWS_AS(matmul(Var(Tensor::zeros({4})), b), Error);
  CHECK_THROWS_WITH(linear(a, b), Catch::Contains("[2, 3, 4]") && Catch::Contains("[5, 6]"));
  CHECK_THROWS_WITH(linear(a, Var(Tensor::zeros({2, 4})), Var(Tensor::zeros({3}))), Catch::Contains("bias [3]"));
}
