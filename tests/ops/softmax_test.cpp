#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "base/error.h"
#include "op_cases.h"
#include "ops/softmax.h"
#include "tensor/broadcast.h"

using namespace attn;
using attn::testing::OpCase;

namespace {

Tensor random_mask(const Shape& shape, uint64_t seed) {
  Rng rng(seed, 3);
  Tensor m = Tensor::empty(shape);
  for (int64_t i = 0; i < m.numel(); ++i) m[i] = rng.uniform() < 0.3f ? 0.0f : 1.0f;
  return m;
}

Tensor causal_mask(int64_t t) {  // [T, T], 1 on and below the diagonal
  Tensor m = Tensor::zeros({t, t});
  for (int64_t i = 0; i < t; ++i)
    for (int64_t j = 0; j <= i; ++j) m[i * t + j] = 1.0f;
  return m;
}

// Plain double-precision softmax over the last axis with a broadcast mask.
std::vector<double> reference_softmax(const Tensor& x, const Tensor* mask, bool log) {
  const int64_t n = x.dim(-1), rows = x.numel() / n;
  std::vector<int64_t> strides = mask ? broadcast_strides(mask->shape(), x.shape()) : std::vector<int64_t>{};
  auto keep = [&](int64_t flat) { return !mask || (*mask)[broadcast_offset(flat, x.shape(), strides)] != 0.0f; };
  std::vector<double> y(x.numel(), 0.0);
  for (int64_t r = 0; r < rows; ++r) {
    double max = -INFINITY, sum = 0.0;
    for (int64_t j = 0; j < n; ++j)
      if (keep(r * n + j)) max = std::max(max, static_cast<double>(x[r * n + j]));
    if (max == -INFINITY) continue;
    for (int64_t j = 0; j < n; ++j)
      if (keep(r * n + j)) sum += std::exp(x[r * n + j] - max);
    for (int64_t j = 0; j < n; ++j)
      if (keep(r * n + j))
        y[r * n + j] = log ? x[r * n + j] - max - std::log(sum) : std::exp(x[r * n + j] - max) / sum;
  }
  return y;
}

Var apply(const Var& x, const Tensor* mask, bool log) { return log ? log_softmax(x, mask) : softmax(x, mask); }

}  // namespace

TEST_CASE("gradcheck: softmax") {
  std::vector<OpCase> cases;
  for (bool log : {false, true}) {
    const std::string name = log ? "log_softmax " : "softmax ";
    for (const Shape& shape : std::vector<Shape>{{3, 5}, {1, 1}, {4, 1}, {2, 1, 6}, {7}}) {
      cases.push_back({name + to_string(shape), {shape}, [log](const std::vector<Var>& v) {
                         return apply(v[0], nullptr, log);
                       }});
    }
    // [B, 1, 1, Tk] padding mask; batch 1 keeps only its first key.
    Tensor pad = Tensor::full({2, 1, 1, 5}, 1.0f);
    for (int j = 1; j < 5; ++j) pad[5 + j] = 0.0f;
    cases.push_back({name + "padding mask [B,1,1,Tk]", {{2, 3, 4, 5}}, [pad, log](const std::vector<Var>& v) {
                       return apply(v[0], &pad, log);
                     }});
    Tensor causal = causal_mask(4);
    cases.push_back({name + "causal mask [Tq,Tk]", {{2, 2, 4, 4}}, [causal, log](const std::vector<Var>& v) {
                       return apply(v[0], &causal, log);
                     }});
    Tensor random = random_mask({3, 1, 6}, 5);
    cases.push_back({name + "random mask [3,1,6] vs [2,3,4,6]", {{2, 3, 4, 6}},
                     [random, log](const std::vector<Var>& v) { return apply(v[0], &random, log); }});
    // Last mask dim 1: one keep flag per row, including fully masked rows.
    Tensor rows = Tensor::from({2, 3, 1}, {1, 0, 1, 0, 1, 1});
    cases.push_back({name + "row mask [2,3,1]", {{2, 3, 4}}, [rows, log](const std::vector<Var>& v) {
                       return apply(v[0], &rows, log);
                     }});
  }
  attn::testing::run_op_cases(cases);
}

TEST_CASE("softmax and log_softmax match a double-precision reference") {
  Rng rng(21, 0);
  Tensor x = Tensor::empty({2, 3, 5, 7});
  rng.fill_uniform(x.data(), x.numel(), -6.0f, 6.0f);
  x[3] = 80.0f;  // exp overflows without the max subtraction
  const Tensor pad = random_mask({2, 1, 1, 7}, 8);
  const Tensor causal = causal_mask(7).rows(0, 5);  // [5, 7]
  const Tensor big = random_mask({2, 3, 5, 7}, 9);
  for (bool log : {false, true})
    for (const Tensor* mask : {static_cast<const Tensor*>(nullptr), &pad, &causal, &big}) {
      const Tensor y = apply(Var(x), mask, log).value();
      const std::vector<double> expect = reference_softmax(x, mask, log);
      for (int64_t i = 0; i < x.numel(); ++i) REQUIRE(y[i] == Approx(expect[i]).margin(1e-5));
    }
}

TEST_CASE("softmax over long rows uses every thread and still matches the reference") {
  Rng rng(22, 0);
  Tensor x = Tensor::empty({48, 515});  // above the parallel threshold
  rng.fill_uniform(x.data(), x.numel(), -4.0f, 4.0f);
  const Tensor mask = random_mask({48, 515}, 4);
  for (bool log : {false, true}) {
    const Tensor y = apply(Var(x), &mask, log).value();
    const std::vector<double> expect = reference_softmax(x, &mask, log);
    for (int64_t i = 0; i < x.numel(); ++i) REQUIRE(y[i] == Approx(expect[i]).margin(1e-5));
  }
}

TEST_CASE("a fully masked softmax row gives zeros and zero gradient and no NaN") {
  const Tensor mask = Tensor::from({2, 1, 1, 3}, {1, 1, 0, 0, 0, 0});  // batch 1 fully masked
  for (bool log : {false, true}) {
    Rng rng(23, 0);
    Tensor xv = Tensor::empty({2, 2, 2, 3});
    rng.fill_uniform(xv.data(), xv.numel(), -1.0f, 1.0f);
    Var x = Var::parameter(xv);
    Var y = apply(x, &mask, log);
    Tensor seed = Tensor::full(y.shape(), 1.0f);
    for (int64_t i = 0; i < seed.numel(); ++i) seed[i] = 0.5f + 0.1f * static_cast<float>(i);
    y.backward(seed);
    for (int64_t i = 0; i < y.numel(); ++i) {
      INFO("log " << log << " element " << i);
      REQUIRE(std::isfinite(y.value()[i]));
      REQUIRE(std::isfinite(x.grad()[i]));
      const bool masked = i >= 12 || i % 3 == 2;
      if (masked) {
        REQUIRE(y.value()[i] == 0.0f);
        REQUIRE(x.grad()[i] == 0.0f);
      }
    }
    // The kept entries of batch 0 still normalise: softmax sums to 1, log-softmax exp-sums to 1.
    for (int64_t r = 0; r < 4; ++r) {
      double sum = 0.0;
      for (int64_t j = 0; j < 2; ++j) sum += log ? std::exp(y.value()[r * 3 + j]) : y.value()[r * 3 + j];
      REQUIRE(sum == Approx(1.0).margin(1e-6));
    }
  }
}

TEST_CASE("softmax of an all -inf row is zeros and not NaN") {
  Tensor x = Tensor::from({2, 3}, {-INFINITY, -INFINITY, -INFINITY, 0.0f, -INFINITY, 0.0f});
  for (bool log : {false, true}) {
    const Tensor y = apply(Var(x), nullptr, log).value();
    for (int64_t j = 0; j < 3; ++j) REQUIRE(y[j] == 0.0f);
    REQUIRE(y[3] == Approx(log ? std::log(0.5) : 0.5));
  }
}

TEST_CASE("softmax rejects a mask that does not broadcast") {
  Var x(Tensor::zeros({2, 3, 4}));
  const Tensor wrong = Tensor::full({3, 5}, 1.0f);
  try {
    softmax(x, &wrong);
    FAIL("no error");
  } catch (const Error& e) {
    REQUIRE(e.kind() == ErrorKind::shape);
    REQUIRE_THAT(e.what(), Catch::Contains("[3, 5]") && Catch::Contains("[2, 3, 4]"));
  }
  const Tensor too_long = Tensor::full({1, 2, 3, 4}, 1.0f);
  REQUIRE_THROWS_AS(log_softmax(x, &too_long), Error);
}
