#include <catch2/catch.hpp>

#include "base/error.h"
#include "ops/elementwise.h"
#include "ops/op_cases.h"
#include "ops/random_tensor.h"
#include "ops/reduce.h"
#include "ops/shape_ops.h"

using namespace attn;
using attn::testing::OpCase;

namespace {
VarFunction permuted(std::vector<int> order) {
  return [order](const std::vector<Var>& v) { return permute(v[0], order); };
}

VarFunction sliced(int axis, int64_t begin, int64_t end) {
  return [=](const std::vector<Var>& v) { return slice(v[0], axis, begin, end); };
}
}  // namespace

TEST_CASE("gradcheck: shape_ops") {
  const VarFunction concat3 = [](const std::vector<Var>& v) { return concat(v, 0); };
  testing::run_op_cases({
      {"reshape [2,3,4] -> [6,4]", {{2, 3, 4}}, [](const std::vector<Var>& v) { return reshape(v[0], {6, 4}); }},
      {"reshape infers -1", {{2, 3, 4}}, [](const std::vector<Var>& v) { return reshape(v[0], {4, -1}); }},
      {"permute [2,0,1]", {{2, 3, 4}}, permuted({2, 0, 1})},
      {"permute [1,0,2]", {{2, 3, 4}}, permuted({1, 0, 2})},
      {"permute [0,2,1]", {{2, 3, 4}}, permuted({0, 2, 1})},
      {"permute [2,1,0]", {{2, 3, 4}}, permuted({2, 1, 0})},
      {"permute heads [0,2,1,3]", {{2, 3, 2, 2}}, permuted({0, 2, 1, 3})},
      {"permute negative axes [-1,0,1]", {{2, 1, 3}}, permuted({-1, 0, 1})},
      {"transpose 0,-1", {{3, 2, 4}}, [](const std::vector<Var>& v) { return transpose(v[0], 0, -1); }},
      {"transpose 1,2", {{2, 3, 4}}, [](const std::vector<Var>& v) { return transpose(v[0], 1, 2); }},
      {"concat outer axis, 3 parts", {{1, 3}, {2, 3}, {3, 3}}, concat3},
      {"concat inner axis", {{2, 2}, {2, 3}},
       [](const std::vector<Var>& v) { return concat(v, -1); }},
      {"concat middle axis with size-1 part", {{2, 1, 3}, {2, 2, 3}},
       [](const std::vector<Var>& v) { return concat(v, 1); }},
      {"concat one input twice", {{2, 3}},
       [](const std::vector<Var>& v) { return concat({v[0], v[0]}, 1); }},
      {"slice first row", {{3, 4}}, sliced(0, 0, 1)},
      {"slice last column", {{3, 4}}, sliced(1, 3, 4)},
      {"slice whole axis", {{3, 4}}, sliced(1, 0, 4)},
      {"slice middle of inner axis", {{2, 3, 5}}, sliced(-1, 1, 4)},
      {"slice middle axis", {{2, 4, 3}}, sliced(1, 1, 3)},
  });
}

TEST_CASE("reshape is zero-copy and its gradient flows back") {
  Var x = Var::parameter(Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6}));
  Var y = reshape(x, {3, 2});
  CHECK(y.shape() == Shape{3, 2});
  CHECK(y.value().shares_storage(x.value()));
  const Tensor w = Tensor::from({3, 2}, {1, -1, 2, -2, 3, -3});
  sum_all(mul(y, Var(w))).backward();
  CHECK(x.grad().shape() == Shape{2, 3});
  CHECK(x.grad().to_vector() == w.to_vector());
  CHECK_THROWS_AS(reshape(x, {4, 2}), Error);
}

TEST_CASE("shape op values") {
  const Tensor x = Tensor::from({2, 3}, {0, 1, 2, 3, 4, 5});
  CHECK(transpose(Var(x), 0, 1).value().to_vector() == std::vector<float>{0, 3, 1, 4, 2, 5});
  CHECK(slice(Var(x), 1, 1, 3).value().to_vector() == std::vector<float>{1, 2, 4, 5});
  CHECK(slice(Var(x), 0, 1, 1).value().shape() == Shape{0, 3});
  const Tensor z = Tensor::from({2, 1}, {9, 8});
  const Var cat = concat({Var(x), Var(z)}, 1);
  CHECK(cat.shape() == Shape{2, 4});
  CHECK(cat.value().to_vector() == std::vector<float>{0, 1, 2, 9, 3, 4, 5, 8});
  CHECK(concat({Var(x), Var(x)}, 0).value().to_vector() ==
        std::vector<float>{0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5});

  // [B, T, H, D] -> [B, H, T, D], checked element by element on a larger tensor (threaded path).
  Rng rng(2, 0);
  const int64_t B = 3, T = 67, H = 4, D = 48;
  const Tensor q = testing::random_tensor({B, T, H, D}, rng);
  const Tensor p = permute(Var(q), {0, 2, 1, 3}).value();
  REQUIRE(p.shape() == Shape{B, H, T, D});
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = 0; t < T; ++t)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t d = 0; d < D; ++d) REQUIRE(p[((b * H + h) * T + t) * D + d] == q[((b * T + t) * H + h) * D + d]);
}

TEST_CASE("transposes of large tensors, forward and backward") {
  // Sizes that are not multiples of the 32 x 32 tile, and enough tiles for the threaded split.
  Rng rng(12, 0);
  const int64_t A = 3, R = 70, C = 45;
  Var x = Var::parameter(testing::random_tensor({A, R, C}, rng));
  Var t = transpose(x, 1, 2);
  REQUIRE(t.shape() == Shape{A, C, R});
  for (int64_t a = 0; a < A; ++a)
    for (int64_t r = 0; r < R; ++r)
      for (int64_t c = 0; c < C; ++c) REQUIRE(t.value()[(a * C + c) * R + r] == x.value()[(a * R + r) * C + c]);
  const Tensor seed = testing::random_tensor(t.shape(), rng);
  t.backward(seed);
  for (int64_t a = 0; a < A; ++a)
    for (int64_t r = 0; r < R; ++r)
      for (int64_t c = 0; c < C; ++c) REQUIRE(x.grad()[(a * R + r) * C + c] == seed[(a * C + c) * R + r]);

  const Tensor y = testing::random_tensor({40, 50, 33}, rng);
  const Tensor p = permute(Var(y), {2, 0, 1}).value();  // [33, 40, 50]
  for (int64_t i = 0; i < 40; ++i)
    for (int64_t j = 0; j < 50; ++j)
      for (int64_t k = 0; k < 33; ++k) REQUIRE(p[(k * 40 + i) * 50 + j] == y[(i * 50 + j) * 33 + k]);
}

TEST_CASE("shape op errors carry the shapes") {
  Var x(Tensor::zeros({2, 3}));
  CHECK_THROWS_WITH(permute(x, {0, 0}), Catch::Contains("[2, 3]"));
  CHECK_THROWS_WITH(permute(x, {0}), Catch::Contains("[2, 3]"));
  CHECK_THROWS_WITH(concat({x, Var(Tensor::zeros({3, 3}))}, 1), Catch::Contains("[3, 3]"));
  CHECK_THROWS_WITH(slice(x, 1, 2, 4), Catch::Contains("[2, 3]"));
  CHECK_THROWS_AS(slice(x, 1, 2, 1), Error);
  CHECK_THROWS_AS(transpose(x, 0, 2), Error);
}
