#include <catch2/catch.hpp>
#include <cmath>

#include "ops/activation.h"
#include "ops/op_cases.h"

using namespace attn;
using attn::testing::OpCase;

namespace {
// Keeps inputs at least 0.1 from a kink at 0 (central differences use eps = 0.01).
void away_from_kink(std::vector<Tensor>& in) {
  for (int64_t i = 0; i < in[0].numel(); ++i) in[0][i] += in[0][i] < 0 ? -0.1f : 0.1f;
}

void positive(std::vector<Tensor>& in) {
  for (int64_t i = 0; i < in[0].numel(); ++i) in[0][i] = std::abs(in[0][i]) + 0.2f;
}

// Spread inputs to [-3, 3] so the saturating regions are exercised too.
void wide(std::vector<Tensor>& in) {
  for (int64_t i = 0; i < in[0].numel(); ++i) in[0][i] *= 3.0f;
}

VarFunction unary(Var (*op)(const Var&)) {
  return [op](const std::vector<Var>& v) { return op(v[0]); };
}
}  // namespace

TEST_CASE("gradcheck: activation") {
  testing::run_op_cases({
      {"relu", {{2, 3, 4}}, unary(relu), {}, away_from_kink},
      {"gelu", {{3, 5}}, unary(gelu), {}, wide},
      {"gelu size-1 dims", {{1, 6, 1}}, unary(gelu)},
      {"tanh", {{4, 5}}, unary(tanh), {}, wide},
      {"sigmoid", {{2, 7}}, unary(sigmoid), {}, wide},
      {"exp", {{3, 4}}, unary(exp)},
      {"log on positive inputs", {{3, 4}}, unary(log), {}, positive},
      {"elu alpha 1", {{2, 6}}, [](const std::vector<Var>& v) { return elu(v[0]); }, {}, away_from_kink},
      {"elu alpha 0.5", {{2, 6}}, [](const std::vector<Var>& v) { return elu(v[0], 0.5f); }, {}, away_from_kink},
      {"gelu(tanh(x)) chain", {{5}}, [](const std::vector<Var>& v) { return gelu(tanh(v[0])); }},
  });
}

TEST_CASE("activation values match closed forms") {
  const Tensor x = Tensor::from({6}, {-3.0f, -1.0f, -0.25f, 0.0f, 0.5f, 2.0f});
  const Var v(x);
  // Exact gelu reference values (x·Φ(x)), computed with double-precision erf.
  const float gelu_ref[6] = {-0.0040497f, -0.1586553f, -0.1003234f, 0.0f, 0.3457312f, 1.9544997f};
  Tensor g = gelu(v).value(), r = relu(v).value(), t = tanh(v).value(), s = sigmoid(v).value();
  Tensor e = exp(v).value(), el = elu(v, 0.5f).value();
  for (int64_t i = 0; i < 6; ++i) {
    const double xi = x[i];
    CHECK(g[i] == Approx(gelu_ref[i]).margin(2e-6));
    CHECK(r[i] == (xi > 0 ? x[i] : 0.0f));
    CHECK(t[i] == Approx(std::tanh(xi)).margin(1e-6));
    CHECK(s[i] == Approx(1.0 / (1.0 + std::exp(-xi))).margin(1e-6));
    CHECK(e[i] == Approx(std::exp(xi)).epsilon(1e-6));
    CHECK(el[i] == Approx(xi > 0 ? xi : 0.5 * std::expm1(xi)).margin(1e-6));
  }
  Tensor l = log(Var(Tensor::from({3}, {0.5f, 1.0f, 10.0f}))).value();
  CHECK(l[0] == Approx(std::log(0.5)).margin(1e-6));
  CHECK(l[1] == 0.0f);
  CHECK(l[2] == Approx(std::log(10.0)).margin(1e-6));
}

TEST_CASE("relu gradient is zero for negative inputs") {
  Var x = Var::parameter(Tensor::from({4}, {-2.0f, -0.5f, 0.5f, 3.0f}));
  relu(x).backward(Tensor::full({4}, 2.0f));
  CHECK(x.grad().to_vector() == std::vector<float>{0.0f, 0.0f, 2.0f, 2.0f});
}
