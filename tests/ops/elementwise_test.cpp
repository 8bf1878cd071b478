#include <catch2/catch.hpp>
#include <cmath>

#include "base/error.h"
#include "ops/elementwise.h"
#include "ops/op_cases.h"
#include "ops/random_tensor.h"
#include "tensor/broadcast.h"

using namespace attn;
using attn::testing::OpCase;

namespace {
// Divisors bounded away from zero: |b| in [0.5, 1.5).
void away_from_zero(Tensor& t) {
  for (int64_t i = 0; i < t.numel(); ++i) t[i] = t[i] < 0 ? t[i] - 0.5f : t[i] + 0.5f;
}

VarFunction binary_fn(Var (*op)(const Var&, const Var&)) {
  return [op](const std::vector<Var>& v) { return op(v[0], v[1]); };
}

// Element-wise reference through broadcast_offset, independent of the kernel's dim collapsing.
Tensor reference(const Tensor& a, const Tensor& b, float (*f)(float, float)) {
  const Shape out = broadcast_shapes(a.shape(), b.shape());
  const auto sa = broadcast_strides(a.shape(), out), sb = broadcast_strides(b.shape(), out);
  Tensor r = Tensor::empty(out);
  for (int64_t i = 0; i < r.numel(); ++i)
    r[i] = f(a[broadcast_offset(i, out, sa)], b[broadcast_offset(i, out, sb)]);
  return r;
}
}  // namespace

TEST_CASE("gradcheck: elementwise") {
  auto prepare_div = [](std::vector<Tensor>& in) { away_from_zero(in[1]); };
  auto prepare_div_a = [](std::vector<Tensor>& in) { away_from_zero(in[0]); };
  testing::run_op_cases({
      {"add same shape", {{2, 3}, {2, 3}}, binary_fn(add)},
      {"add [3,1,4] + [2,1]", {{3, 1, 4}, {2, 1}}, binary_fn(add)},
      {"add [2,3] + scalar-like [1]", {{2, 3}, {1}}, binary_fn(add)},
      {"add [1,4] + [3,1]", {{1, 4}, {3, 1}}, binary_fn(add)},
      {"sub bias-like [2,3,4] - [4]", {{2, 3, 4}, {4}}, binary_fn(sub)},
      {"sub [4] - [2,3,4]", {{4}, {2, 3, 4}}, binary_fn(sub)},
      {"sub [2,1,3] - [2,4,1]", {{2, 1, 3}, {2, 4, 1}}, binary_fn(sub)},
      {"mul same shape", {{3, 5}, {3, 5}}, binary_fn(mul)},
      {"mul [3,1,4] * [2,1]", {{3, 1, 4}, {2, 1}}, binary_fn(mul)},
      {"mul [5] * [1]", {{5}, {1}}, binary_fn(mul)},
      {"mul [1,3,1] * [2,1,4]", {{1, 3, 1}, {2, 1, 4}}, binary_fn(mul)},
      {"mul x * x", {{2, 3}}, [](const std::vector<Var>& v) { return mul(v[0], v[0]); }},
      {"div same shape", {{2, 3}, {2, 3}}, binary_fn(div), {}, prepare_div},
      {"div [3,1,4] / [2,1]", {{3, 1, 4}, {2, 1}}, binary_fn(div), {}, prepare_div},
      {"div [2,3] / [1]", {{2, 3}, {1}}, binary_fn(div), {}, prepare_div},
      {"div [4] / [3,4]", {{4}, {3, 4}}, binary_fn(div), {}, prepare_div},
      {"div [2,1] / [1,3] (a broadcast)", {{1, 3}, {2, 1}},
       [](const std::vector<Var>& v) { return div(v[1], v[0]); }, {}, prepare_div_a},
      {"scale", {{3, 4}}, [](const std::vector<Var>& v) { return scale(v[0], -2.5f); }},
      {"add_scalar", {{2, 1, 3}}, [](const std::vector<Var>& v) { return add_scalar(v[0], 0.75f); }},
  });
}

TEST_CASE("elementwise forward matches a broadcast_offset reference") {
  Rng rng(21, 0);
  const std::vector<std::pair<Shape, Shape>> shapes = {
      {{2, 3}, {2, 3}},     {{3, 1, 4}, {2, 1}},    {{5}, {1}},           {{1}, {4, 5}},
      {{4, 1, 3}, {1, 5, 1}}, {{2, 3, 4}, {4}},      {{300, 200}, {200}},  {{300, 1}, {1, 200}},
      {{64, 33, 17}, {64, 1, 17}}, {{7, 1, 9, 1}, {3, 1, 5}},
  };
  for (const auto& [sa, sb] : shapes) {
    Tensor a = testing::random_tensor(sa, rng), b = testing::random_tensor(sb, rng);
    for (int i = 0; i < b.numel(); ++i) b[i] += b[i] < 0 ? -0.5f : 0.5f;
    const Var va(a), vb(b);
    const std::pair<Var (*)(const Var&, const Var&), float (*)(float, float)> ops[] = {
        {add, [](float x, float y) { return x + y; }},
        {sub, [](float x, float y) { return x - y; }},
        {mul, [](float x, float y) { return x * y; }},
        {div, [](float x, float y) { return x / y; }},
    };
    for (const auto& [op, f] : ops) {
      Tensor got = op(va, vb).value(), want = reference(a, b, f);
      INFO(to_string(sa) << " with " << to_string(sb));
      REQUIRE(got.shape() == want.shape());
      for (int64_t i = 0; i < got.numel(); ++i) REQUIRE(got[i] == want[i]);
    }
  }
  Tensor x = testing::random_tensor({3, 4}, rng);
  Tensor s = scale(Var(x), 3.0f).value(), t = add_scalar(Var(x), -1.0f).value();
  for (int64_t i = 0; i < x.numel(); ++i) {
    CHECK(s[i] == x[i] * 3.0f);
    CHECK(t[i] == x[i] - 1.0f);
  }
}

TEST_CASE("broadcast gradients sum over the broadcast dims") {
  // Large enough to take the threaded path of the kernels.
  Rng rng(5, 0);
  Var a = Var::parameter(testing::random_tensor({256, 1, 130}, rng));
  Var b = Var::parameter(testing::random_tensor({3, 1}, rng));
  Var y = mul(a, b);  // [256, 3, 130]
  REQUIRE(y.shape() == Shape{256, 3, 130});
  y.backward(Tensor::full(y.shape(), 1.0f));
  for (int64_t i = 0; i < 256; ++i)
    for (int64_t k = 0; k < 130; k += 43) {
      const float want = b.value()[0] + b.value()[1] + b.value()[2];
      REQUIRE(a.grad()[i * 130 + k] == Approx(want).margin(1e-6));
    }
  for (int64_t j = 0; j < 3; ++j) {
    double want = 0;
    for (int64_t i = 0; i < a.numel(); ++i) want += a.value()[i];
    CHECK(b.grad()[j] == Approx(want).epsilon(1e-4));
  }
}

TEST_CASE("elementwise shape errors name both shapes") {
  Var a(Tensor::zeros({2, 3})), b(Tensor::zeros({4}));
  try {
    add(a, b);
    FAIL("no error thrown");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::shape);
    CHECK(std::string(e.what()).find("[2, 3]") != std::string::npos);
    CHECK(std::string(e.what()).find("[4]") != std::string::npos);
  }
}
