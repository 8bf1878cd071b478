#include <catch2/catch.hpp>
#include <cmath>

#include "kernels/sparsemax.h"
#include "ops/op_cases.h"
#include "ops/sparsemax.h"

using namespace attn;
using namespace attn::testing;

namespace {
// Moves every entry within `margin` of its row's threshold down, out of the
// support, so the central differences of a gradcheck never cross a kink.
void away_from_kinks(Tensor& x, float margin) {
  const int64_t n = x.dim(-1);
  Tensor y = Tensor::empty(x.shape());
  for (bool moved = true; moved;) {
    moved = false;
    kernels::sparsemax_reference(x.numel() / n, n, x.data(), y.data());
    for (int64_t r = 0; r < x.numel() / n; ++r) {
      // τ = x_i - y_i on the support; the row maximum is always in it.
      int64_t top = r * n;
      for (int64_t i = r * n; i < (r + 1) * n; ++i) top = x[i] > x[top] ? i : top;
      const float tau = x[top] - y[top];
      for (int64_t i = r * n; i < (r + 1) * n; ++i)
        if (std::abs(x[i] - tau) < margin) {
          x[i] = tau - 2.0f * margin;
          moved = true;
        }
    }
  }
}
}  // namespace

TEST_CASE("sparsemax gradcheck, with and without a mask") {
  static const Tensor mask = Tensor::from({2, 1, 5}, {1, 1, 0, 1, 1, 0, 1, 1, 1, 0});
  GradcheckOptions fine;
  fine.eps = 1e-3f;
  auto prepare = [](std::vector<Tensor>& in) {
    for (int64_t i = 0; i < in[0].numel(); ++i) in[0][i] *= 1.5f;
    away_from_kinks(in[0], 0.01f);
  };
  run_op_cases({
      {"sparsemax [2,3,5]", {{2, 3, 5}}, [](const std::vector<Var>& v) { return sparsemax(v[0]); }, fine, prepare},
      {"sparsemax [2,3,5] masked", {{2, 3, 5}},
       [](const std::vector<Var>& v) { return sparsemax(v[0], &mask); }, fine, prepare},
      {"sparsemax [4,1]", {{4, 1}}, [](const std::vector<Var>& v) { return sparsemax(v[0]); }, fine},
  });
}

TEST_CASE("sparsemax op: rows sum to 1 with exact zeros, masked entries and fully masked rows are zero") {
  Rng rng(9, 0);
  Tensor x = Tensor::empty({3, 8});
  rng.fill_uniform(x.data(), x.numel(), -2.0f, 2.0f);
  Tensor mask = Tensor::full({3, 8}, 1.0f);
  mask[3] = 0.0f;
  for (int64_t j = 0; j < 8; ++j) mask[16 + j] = 0.0f;  // row 2 fully masked
  Var in = Var::parameter(x);
  Var y = sparsemax(in, &mask);
  Tensor expect = Tensor::empty({3, 8});
  Tensor masked = x.clone();
  masked[3] = -INFINITY;
  for (int64_t j = 0; j < 8; ++j) masked[16 + j] = -INFINITY;
  kernels::sparsemax_reference(3, 8, masked.data(), expect.data());
  int zeros = 0;
  for (int64_t r = 0; r < 3; ++r) {
    double total = 0.0;
    for (int64_t j = 0; j < 8; ++j) {
      CHECK(y.value()[r * 8 + j] == Approx(expect[r * 8 + j]).margin(1e-6));
      total += y.value()[r * 8 + j];
      zeros += r < 2 && y.value()[r * 8 + j] == 0.0f;
    }
    CHECK(total == Approx(r < 2 ? 1.0 : 0.0).margin(1e-6));
  }
  CHECK(zeros > 0);
  CHECK(y.value()[3] == 0.0f);
  Tensor seed = Tensor::empty({3, 8});
  rng.fill_uniform(seed.data(), seed.numel(), -1.0f, 1.0f);
  y.backward(seed);
  CHECK(in.grad()[3] == 0.0f);
  for (int64_t j = 0; j < 8; ++j) CHECK(in.grad()[16 + j] == 0.0f);
  for (int64_t i = 0; i < 24; ++i) CHECK(std::isfinite(in.grad()[i]));
}
