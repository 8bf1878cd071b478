#include <catch2/catch.hpp>
#include <omp.h>

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
