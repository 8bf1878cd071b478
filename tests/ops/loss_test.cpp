#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "base/error.h"
#include "op_cases.h"
#include "ops/loss.h"

using namespace attn;
using attn::testing::OpCase;

namespace {

Ids ids(std::vector<int32_t> values) {
  const int64_t n = static_cast<int64_t>(values.size());
  return Ids{{n}, std::move(values)};
}

// PyTorch's definition, in double: mean over kept rows of (1-ε)(-log p_y) + ε mean_v(-log p_v).
double reference_cross_entropy(const Tensor& logits, const Ids& targets, const CrossEntropyOptions& o) {
  const int64_t n = logits.dim(0), v = logits.dim(1);
  double total = 0.0;
  int64_t count = 0;
  for (int64_t r = 0; r < n; ++r) {
    const int32_t y = targets.values[r];
    if (y == o.ignore_index) continue;
    double max = -INFINITY, sum = 0.0;
    for (int64_t j = 0; j < v; ++j) max = std::max(max, static_cast<double>(logits[r * v + j]));
    for (int64_t j = 0; j < v; ++j) sum += std::exp(logits[r * v + j] - max);
    const double lse = max + std::log(sum);
    double smooth = 0.0;
    for (int64_t j = 0; j < v; ++j) smooth += (lse - logits[r * v + j]) / static_cast<double>(v);
    total += (1.0 - o.label_smoothing) * (lse - logits[r * v + y]) + o.label_smoothing * smooth;
    ++count;
  }
  return count ? total / static_cast<double>(count) : 0.0;
}

}  // namespace

TEST_CASE("gradcheck: cross_entropy") {
  struct Row {
    std::string name;
    Shape shape;
    std::vector<int32_t> targets;
    CrossEntropyOptions options;
  };
  const std::vector<Row> rows = {
      {"plain", {4, 5}, {0, 4, 2, 2}, {}},
      {"single row", {1, 3}, {1}, {}},
      {"V=1", {3, 1}, {0, 0, 0}, {}},
      {"ignore_index", {5, 4}, {3, -100, 0, -100, 1}, {}},
      {"custom ignore_index", {3, 4}, {2, 0, 1}, {.ignore_index = 0}},
      {"label smoothing", {4, 6}, {5, 0, 3, 3}, {.label_smoothing = 0.1f}},
      {"smoothing + ignore", {5, 3}, {2, 7, 0, 7, 1}, {.ignore_index = 7, .label_smoothing = 0.25f}},
      {"all ignored", {3, 4}, {-100, -100, -100}, {.label_smoothing = 0.1f}},
  };
  std::vector<OpCase> cases;
  for (const Row& row : rows) {
    cases.push_back({"cross_entropy " + row.name, {row.shape}, [row](const std::vector<Var>& v) {
                       return cross_entropy(v[0], ids(row.targets), row.options);
                     }});
  }
  Tensor target = Tensor::from({2, 3}, {0.5f, -0.25f, 1.0f, 0.0f, 2.0f, -1.0f});
  cases.push_back({"mse", {{2, 3}}, [target](const std::vector<Var>& v) { return mse(v[0], target); }});
  attn::testing::run_op_cases(cases);
}

TEST_CASE("cross_entropy matches a double-precision reference of PyTorch's definition") {
  Rng rng(41, 0);
  Tensor logits = Tensor::empty({7, 11});
  rng.fill_uniform(logits.data(), logits.numel(), -5.0f, 5.0f);
  logits[2 * 11 + 4] = 90.0f;  // exp overflows without the max subtraction
  const Ids targets = ids({3, -1, 4, 10, -1, 0, 7});
  for (float eps : {0.0f, 0.1f, 0.5f, 1.0f}) {
    const CrossEntropyOptions o{.ignore_index = -1, .label_smoothing = eps};
    const float loss = cross_entropy(Var(logits), targets, o).value()[0];
    REQUIRE(loss == Approx(reference_cross_entropy(logits, targets, o)).epsilon(1e-6).margin(1e-6));
  }
}

TEST_CASE("cross_entropy of an all-ignored batch is 0 with zero gradient") {
  Var logits = Var::parameter(Tensor::from({2, 3}, {1, 2, 3, -1, 0, 4}));
  Var loss = cross_entropy(logits, ids({-100, -100}), {.label_smoothing = 0.2f});
  REQUIRE(loss.value()[0] == 0.0f);
  loss.backward();
  REQUIRE(logits.grad().defined());
  for (int64_t i = 0; i < 6; ++i) REQUIRE(logits.grad()[i] == 0.0f);
}

TEST_CASE("cross_entropy gradient is (softmax - target distribution) / count") {
  Var logits = Var::parameter(Tensor::from({3, 2}, {0, 0, 1, -1, 5, 5}));
  const float eps = 0.2f;
  Var loss = cross_entropy(logits, ids({1, -100, 0}), {.label_smoothing = eps});
  loss.backward(Tensor::full({1}, 3.0f));
  // Rows 0 and 2 have softmax (0.5, 0.5); targets (1-ε)·onehot + ε/2; dout 3 over 2 rows.
  const float on = 1.0f - eps + eps / 2, off = eps / 2;
  const std::vector<float> expect{1.5f * (0.5f - off), 1.5f * (0.5f - on), 0, 0,
                                  1.5f * (0.5f - on),  1.5f * (0.5f - off)};
  for (int64_t i = 0; i < 6; ++i) REQUIRE(logits.grad()[i] == Approx(expect[i]).margin(1e-6));
}

TEST_CASE("cross_entropy rejects bad targets and shapes") {
  Var logits(Tensor::zeros({2, 4}));
  try {
    cross_entropy(logits, ids({1, 4}));
    FAIL("no error");
  } catch (const Error& e) {
    REQUIRE(e.kind() == ErrorKind::shape);
    REQUIRE_THAT(e.what(), Catch::Contains("target 4") && Catch::Contains("[0, 4)"));
  }
  REQUIRE_THROWS_AS(cross_entropy(logits, ids({1, -5})), Error);
  REQUIRE_THROWS_AS(cross_entropy(logits, ids({1, 2, 3})), Error);
  REQUIRE_THROWS_AS(cross_entropy(Var(Tensor::zeros({8})), ids({1})), Error);
  REQUIRE_THROWS_AS(mse(logits, Tensor::zeros({4, 2})), Error);
}

TEST_CASE("mse is the mean squared difference") {
  Var pred = Var::parameter(Tensor::from({2, 2}, {1, 2, 3, 4}));
  Var loss = mse(pred, Tensor::from({2, 2}, {0, 2, 5, 4}));
  REQUIRE(loss.value()[0] == Approx((1.0 + 0.0 + 4.0 + 0.0) / 4.0));
  loss.backward();
  const std::vector<float> expect{0.5f, 0.0f, -1.0f, 0.0f};  // 2 (pred - target) / 4
  for (int64_t i = 0; i < 4; ++i) REQUIRE(pred.grad()[i] == Approx(expect[i]));
}
