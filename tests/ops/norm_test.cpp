#include <omp.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "base/error.h"
#include "op_cases.h"
#include "ops/norm.h"

using namespace attn;
using attn::testing::OpCase;

namespace {

std::vector<double> reference_layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, double eps) {
  const int64_t c = x.dim(-1), rows = x.numel() / c;
  std::vector<double> y(x.numel());
  for (int64_t r = 0; r < rows; ++r) {
    double mean = 0.0, var = 0.0;
    for (int64_t j = 0; j < c; ++j) mean += x[r * c + j];
    mean /= static_cast<double>(c);
    for (int64_t j = 0; j < c; ++j) var += (x[r * c + j] - mean) * (x[r * c + j] - mean);
    var /= static_cast<double>(c);
    for (int64_t j = 0; j < c; ++j)
      y[r * c + j] = (x[r * c + j] - mean) / std::sqrt(var + eps) * gamma[j] + beta[j];
  }
  return y;
}

Var apply_layer_norm(const std::vector<Var>& v) { return layer_norm(v[0], v[1], v[2]); }

struct Grads {
  Tensor y, dx, dgamma, dbeta;
};

Grads run_with_threads(int threads, const Tensor& x, const Tensor& gamma, const Tensor& beta, const Tensor& seed) {
  const int before = omp_get_max_threads();
  omp_set_num_threads(threads);
  Var xv = Var::parameter(x.clone()), g = Var::parameter(gamma.clone()), b = Var::parameter(beta.clone());
  Var y = layer_norm(xv, g, b);
  y.backward(seed);
  omp_set_num_threads(before);
  return {y.value(), xv.grad(), g.grad(), b.grad()};
}

void require_bitwise_equal(const Tensor& a, const Tensor& b) {
  REQUIRE(a.numel() == b.numel());
  for (int64_t i = 0; i < a.numel(); ++i) REQUIRE(a[i] == b[i]);
}

}  // namespace

TEST_CASE("gradcheck: layer_norm") {
  std::vector<OpCase> cases;
  // C = 1 is not degenerate here: x - mean is exactly 0, so y = beta and x, gamma get zero
  // gradient, which the numerical derivative confirms.
  for (const Shape& shape : std::vector<Shape>{{2, 3, 7}, {1, 7}, {4, 1}, {7}}) {
    const int64_t c = shape.back();
    cases.push_back({"layer_norm " + to_string(shape), {shape, {c}, {c}}, apply_layer_norm});
  }
  // At C = 2, y = ±d / sqrt(d² + eps) with d half the gap of the pair: its curvature scale is
  // d itself, so a pair closer than the default step needs a finer one (with the default step
  // a pair 0.055 apart gave numeric 0.0464 against analytic 0.0435; steps 3e-3 and 1e-3 agree).
  GradcheckOptions fine_step;
  fine_step.eps = 1e-3f;
  cases.push_back({"layer_norm [5, 2]", {{5, 2}, {2}, {2}}, apply_layer_norm, fine_step});
  // Rows far from zero with a small spread: the two-pass variance keeps the gradient accurate.
  cases.push_back({"layer_norm offset rows", {{3, 7}, {7}, {7}}, apply_layer_norm, {}, [](std::vector<Tensor>& in) {
                     for (int64_t i = 0; i < in[0].numel(); ++i) in[0][i] = 20.0f + in[0][i];
                   }});
  attn::testing::run_op_cases(cases);
}

TEST_CASE("layer_norm matches a double-precision reference") {
  Rng rng(31, 0);
  for (const Shape& shape : std::vector<Shape>{{2, 3, 7}, {4, 1}, {3, 64}, {40, 513}}) {
    const int64_t c = shape.back();
    Tensor x = Tensor::empty(shape), gamma = Tensor::empty({c}), beta = Tensor::empty({c});
    rng.fill_uniform(x.data(), x.numel(), -3.0f, 5.0f);
    rng.fill_uniform(gamma.data(), c, 0.5f, 1.5f);
    rng.fill_uniform(beta.data(), c, -1.0f, 1.0f);
    const Tensor y = layer_norm(Var(x), Var(gamma), Var(beta), 1e-5f).value();
    const std::vector<double> expect = reference_layer_norm(x, gamma, beta, 1e-5);
    for (int64_t i = 0; i < x.numel(); ++i) REQUIRE(y[i] == Approx(expect[i]).margin(2e-5));
  }
}

TEST_CASE("layer_norm results do not depend on the thread count") {
  Rng rng(32, 0);
  const int64_t rows = 96, c = 300;  // above the parallel threshold, several column blocks
  Tensor x = Tensor::empty({rows, c}), gamma = Tensor::empty({c}), beta = Tensor::empty({c});
  Tensor seed = Tensor::empty({rows, c});
  for (Tensor* t : {&x, &gamma, &beta, &seed}) rng.fill_uniform(t->data(), t->numel(), -1.0f, 1.0f);
  const Grads one = run_with_threads(1, x, gamma, beta, seed);
  const Grads two = run_with_threads(2, x, gamma, beta, seed);
  require_bitwise_equal(one.y, two.y);
  require_bitwise_equal(one.dx, two.dx);
  require_bitwise_equal(one.dgamma, two.dgamma);
  require_bitwise_equal(one.dbeta, two.dbeta);
}

TEST_CASE("layer_norm gradients accumulate and skip inputs without requires_grad") {
  Rng rng(33, 0);
  Tensor x = Tensor::empty({3, 5});
  rng.fill_uniform(x.data(), x.numel(), -1.0f, 1.0f);
  Var xv = Var::parameter(x), gamma = Var::parameter(Tensor::full({5}, 1.0f)), beta(Tensor::zeros({5}));
  Var y1 = layer_norm(xv, gamma, beta);
  y1.backward(Tensor::full({3, 5}, 1.0f));
  const Tensor first = gamma.grad().clone();
  Var y2 = layer_norm(xv, gamma, beta);
  y2.backward(Tensor::full({3, 5}, 1.0f));
  for (int64_t j = 0; j < 5; ++j) REQUIRE(gamma.grad()[j] == Approx(2.0f * first[j]));
  REQUIRE_FALSE(beta.grad().defined());
}

TEST_CASE("layer_norm rejects mismatched gamma and beta") {
  Var x(Tensor::zeros({2, 4}));
  try {
    layer_norm(x, Var(Tensor::full({3}, 1.0f)), Var(Tensor::zeros({4})));
    FAIL("no error");
  } catch (const Error& e) {
    REQUIRE(e.kind() == ErrorKind::shape);
    REQUIRE_THAT(e.what(), Catch::Contains("[2, 4]") && Catch::Contains("gamma [3]"));
  }
  REQUIRE_THROWS_AS(layer_norm(x, Var(Tensor::full({4}, 1.0f)), Var(Tensor::zeros({2, 2}))), Error);
}
