#include <catch2/catch.hpp>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "base/error.h"
#include "ops/op_cases.h"
#include "ops/random_tensor.h"
#include "ops/reduce.h"

using namespace attn;
using attn::testing::OpCase;

namespace {
VarFunction reducer(Var (*op)(const Var&, int, bool), int axis, bool keepdim) {
  return [op, axis, keepdim](const std::vector<Var>& v) { return op(v[0], axis, keepdim); };
}

VarFunction max_over(int axis, bool keepdim) {
  return [axis, keepdim](const std::vector<Var>& v) { return max(v[0], axis, keepdim); };
}

// Replaces each input by the ranks of its values times 0.1: distinct values further
// apart than the gradcheck's 2·eps, so no perturbation moves a maximum.
void spread_apart(std::vector<Tensor>& inputs) {
  for (Tensor& t : inputs) {
    std::vector<int64_t> order(t.numel());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&t](int64_t a, int64_t b) { return t[a] < t[b]; });
    for (size_t r = 0; r < order.size(); ++r) t[order[r]] = 0.1f * static_cast<float>(r) - 1.0f;
  }
}

// The maximum over `axis` of x [pre, n, post] and the first index holding it, by a plain scan.
struct MaxReference {
  std::vector<float> values;
  std::vector<int64_t> index;
};
MaxReference max_reference(const Tensor& x, int axis) {
  const Shape& s = x.shape();
  const int64_t pre = dims_product(s, 0, axis), n = s[axis], post = dims_product(s, axis + 1, x.rank());
  MaxReference r{std::vector<float>(pre * post, -std::numeric_limits<float>::infinity()),
                 std::vector<int64_t>(pre * post, -1)};
  for (int64_t p = 0; p < pre; ++p)
    for (int64_t q = 0; q < post; ++q)
      for (int64_t i = 0; i < n; ++i) {
        const float v = x[(p * n + i) * post + q];
        if (r.index[p * post + q] < 0 || v > r.values[p * post + q]) {
          r.values[p * post + q] = v;
          r.index[p * post + q] = i;
        }
      }
  return r;
}

// Σ over `axis` of x [pre, n, post] in double, scaled.
std::vector<double> reference(const Tensor& x, int axis, double alpha) {
  const Shape& s = x.shape();
  const int64_t pre = dims_product(s, 0, axis), n = s[axis], post = dims_product(s, axis + 1, x.rank());
  std::vector<double> r(pre * post, 0.0);
  for (int64_t p = 0; p < pre; ++p)
    for (int64_t i = 0; i < n; ++i)
      for (int64_t q = 0; q < post; ++q) r[p * post + q] += alpha * x[(p * n + i) * post + q];
  return r;
}
}  // namespace

TEST_CASE("gradcheck: reduce") {
  std::vector<OpCase> cases;
  for (int axis = 0; axis < 3; ++axis)
    for (bool keepdim : {false, true}) {
      const std::string tag = " axis " + std::to_string(axis) + (keepdim ? " keepdim" : "");
      cases.push_back({"sum" + tag, {{2, 3, 4}}, reducer(sum, axis, keepdim)});
      cases.push_back({"mean" + tag, {{2, 3, 4}}, reducer(mean, axis, keepdim)});
      cases.push_back({"sum size-1 dims" + tag, {{1, 5, 1}}, reducer(sum, axis, keepdim)});
    }
  cases.push_back({"mean axis -1", {{3, 5}}, reducer(mean, -1, false)});
  cases.push_back({"sum rank 1", {{6}}, reducer(sum, 0, false)});
  cases.push_back({"sum_all", {{3, 4}}, [](const std::vector<Var>& v) { return sum_all(v[0]); }});
  cases.push_back({"mean_all", {{2, 1, 5}}, [](const std::vector<Var>& v) { return mean_all(v[0]); }});
  for (int axis = 0; axis < 3; ++axis)
    for (bool keepdim : {false, true}) {
      const std::string tag = " axis " + std::to_string(axis) + (keepdim ? " keepdim" : "");
      cases.push_back({"max" + tag, {{2, 3, 4}}, max_over(axis, keepdim), {}, spread_apart});
      cases.push_back({"max size-1 dims" + tag, {{1, 5, 1}}, max_over(axis, keepdim), {}, spread_apart});
    }
  cases.push_back({"max axis -1", {{3, 7}}, max_over(-1, false), {}, spread_apart});
  cases.push_back({"max rank 1", {{6}}, max_over(0, false), {}, spread_apart});
  testing::run_op_cases(cases);
}

TEST_CASE("reduce output shapes") {
  Var x(Tensor::zeros({2, 3, 4}));
  CHECK(sum(x, 1).shape() == Shape{2, 4});
  CHECK(sum(x, 1, true).shape() == Shape{2, 1, 4});
  CHECK(mean(x, -1).shape() == Shape{2, 3});
  CHECK(mean(x, 0, true).shape() == Shape{1, 3, 4});
  CHECK(sum(Var(Tensor::zeros({5})), 0).shape() == Shape{1});
  CHECK(sum_all(x).shape() == Shape{1});
  CHECK(mean_all(x).shape() == Shape{1});
  CHECK_THROWS_AS(sum(x, 3), Error);
  CHECK_THROWS_AS(mean(x, -4), Error);
  CHECK_THROWS_WITH(mean(Var(Tensor::zeros({2, 0})), 1), Catch::Contains("[2, 0]"));
  CHECK_THROWS_AS(mean_all(Var(Tensor::zeros({0}))), Error);
  CHECK(sum(Var(Tensor::zeros({2, 0})), 1).value().to_vector() == std::vector<float>{0.0f, 0.0f});
}

TEST_CASE("reduce values match a double reference and do not depend on threads") {
  Rng rng(9, 0);
  // Large enough for the threaded path; odd sizes so vector tails are exercised.
  const Tensor x = testing::random_tensor({37, 129, 23}, rng);
  const int threads = omp_get_max_threads();
  for (int axis = 0; axis < 3; ++axis)
    for (bool average : {false, true}) {
      const double alpha = average ? 1.0 / x.shape()[axis] : 1.0;
      const std::vector<double> want = reference(x, axis, alpha);
      omp_set_num_threads(1);
      const Tensor serial = (average ? mean : sum)(Var(x), axis, false).value();
      omp_set_num_threads(std::max(threads, 2));
      const Tensor threaded = (average ? mean : sum)(Var(x), axis, false).value();
      omp_set_num_threads(threads);
      REQUIRE(serial.numel() == static_cast<int64_t>(want.size()));
      for (size_t i = 0; i < want.size(); ++i) {
        REQUIRE(serial[i] == Approx(want[i]).margin(1e-4));
        REQUIRE(threaded[i] == serial[i]);
      }
    }
  double total = 0;
  for (int64_t i = 0; i < x.numel(); ++i) total += x[i];
  CHECK(sum_all(Var(x)).value()[0] == Approx(total).margin(1e-3));
  CHECK(mean_all(Var(x)).value()[0] == Approx(total / x.numel()).margin(1e-6));
}

TEST_CASE("max values, indices and gradients match a plain scan on awkward shapes") {
  Rng rng(11, 0);
  const std::vector<Shape> shapes{{1}, {1, 1, 1}, {7}, {5, 1, 7}, {1, 17, 1}, {3, 2, 300}, {37, 129, 23}};
  const int threads = omp_get_max_threads();
  for (const Shape& shape : shapes)
    for (int axis = 0; axis < static_cast<int>(shape.size()); ++axis) {
      INFO(to_string(shape) << " axis " << axis);
      const Tensor x = testing::random_tensor(shape, rng);
      const MaxReference want = max_reference(x, axis);
      for (int t : {1, std::max(threads, 2)}) {
        omp_set_num_threads(t);
        Var xv = Var::parameter(x);
        Ids argmax;
        Var y = max(xv, axis, true, &argmax);
        Tensor dy = testing::random_tensor(y.shape(), rng);
        y.backward(dy);
        omp_set_num_threads(threads);
        Shape kept = shape;
        kept[axis] = 1;
        REQUIRE(y.shape() == kept);
        REQUIRE(argmax.shape == kept);
        std::vector<float> dx(x.numel(), 0.0f);
        const int64_t n = shape[axis], post = dims_product(shape, axis + 1, x.rank());
        for (size_t k = 0; k < want.values.size(); ++k) {
          REQUIRE(y.value()[k] == want.values[k]);
          REQUIRE(argmax.values[k] == want.index[k]);
          const int64_t p = k / post, q = k % post;
          dx[(p * n + want.index[k]) * post + q] += dy[k];
        }
        for (int64_t i = 0; i < x.numel(); ++i) REQUIRE(xv.grad()[i] == dx[i]);
      }
    }
}

TEST_CASE("max sends the gradient to the first of tied maxima, and handles -inf and NaN") {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  Var x = Var::parameter(Tensor::from({3, 4}, {1, 3, 3, 2, -inf, -inf, -2, -inf, 0, nan, 5, nan}));
  Ids argmax;
  Var y = max(x, 1, false, &argmax);
  CHECK(argmax.values == std::vector<int32_t>{1, 2, 1});
  CHECK(y.value()[0] == 3.0f);
  CHECK(y.value()[1] == -2.0f);
  CHECK(std::isnan(y.value()[2]));  // a NaN is never hidden by a larger number
  y.backward(Tensor::from({3}, {1, 2, 3}));
  CHECK(x.grad().to_vector() == std::vector<float>{0, 1, 0, 0, 0, 0, 2, 0, 0, 3, 0, 0});
  CHECK(max(Var(Tensor::full({4}, -inf)), 0).value()[0] == -inf);
}

TEST_CASE("max output shapes and errors") {
  Var x(Tensor::zeros({2, 3, 4}));
  CHECK(max(x, 1).shape() == Shape{2, 4});
  CHECK(max(x, -1, true).shape() == Shape{2, 3, 1});
  CHECK(max(Var(Tensor::zeros({5})), 0).shape() == Shape{1});
  CHECK_THROWS_AS(max(x, 3), Error);
  CHECK_THROWS_WITH(max(Var(Tensor::zeros({2, 0})), 1), Catch::Contains("[2, 0]"));
}
