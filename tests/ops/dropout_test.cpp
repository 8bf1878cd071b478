#include <omp.h>

#include <catch2/catch.hpp>
#include <vector>

#include "base/error.h"
#include "op_cases.h"
#include "ops/activation.h"
#include "ops/dropout.h"

using namespace attn;
using attn::testing::OpCase;

namespace {

Tensor ones(const Shape& shape) { return Tensor::full(shape, 1.0f); }

}  // namespace

TEST_CASE("gradcheck: dropout") {
  std::vector<OpCase> cases;
  for (float p : {0.0f, 0.3f, 0.7f}) {
    // A fresh Rng per evaluation: every perturbed forward draws the same mask.
    cases.push_back({"dropout p=" + std::to_string(p), {{3, 7}}, [p](const std::vector<Var>& v) {
                       Rng rng(99, 4);
                       return dropout(v[0], p, rng, true);
                     }});
  }
  cases.push_back({"dropout eval mode", {{2, 5}}, [](const std::vector<Var>& v) {
                     Rng rng(99, 4);
                     return dropout(v[0], 0.5f, rng, false);
                   }});
  for (float p : {0.0f, 0.3f})
    cases.push_back({"relu_dropout p=" + std::to_string(p), {{4, 9}}, [p](const std::vector<Var>& v) {
                       Rng rng(99, 4);
                       return relu_dropout(v[0], p, rng, true);
                     }});
  cases.push_back({"relu_dropout eval mode", {{2, 5}}, [](const std::vector<Var>& v) {
                     Rng rng(99, 4);
                     return relu_dropout(v[0], 0.5f, rng, false);
                   }});
  attn::testing::run_op_cases(cases);
}

TEST_CASE("relu_dropout equals dropout of relu: values, gradients and the stream it advances") {
  Rng data(5, 1);
  Tensor x = Tensor::empty({7, 300});  // several dropout chunks, a ragged end
  data.fill_uniform(x.data(), x.numel(), -1.0f, 1.0f);
  Tensor dy = Tensor::empty(x.shape());
  data.fill_uniform(dy.data(), dy.numel(), -1.0f, 1.0f);
  Var a(x, true), b(x, true);
  Rng ra(11, 3), rb(11, 3);
  Var fused = relu_dropout(a, 0.25f, ra, true), composed = dropout(relu(b), 0.25f, rb, true);
  CHECK(ra.take(1).position == rb.take(1).position);
  fused.backward(dy);
  composed.backward(dy);
  for (int64_t i = 0; i < x.numel(); ++i) {
    REQUIRE(fused.value()[i] == composed.value()[i]);
    REQUIRE(a.grad()[i] == b.grad()[i]);
  }
}

TEST_CASE("dropout keeps 1 - p of the elements and scales them by 1 / (1 - p)") {
  const int64_t n = 200000;
  for (float p : {0.1f, 0.5f, 0.8f}) {
    Rng rng(5, 1);
    const Tensor y = dropout(Var(ones({n})), p, rng, true).value();
    int64_t kept = 0;
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i) {
      if (y[i] != 0.0f) {
        ++kept;
        REQUIRE(y[i] == Approx(1.0 / (1.0 - p)).epsilon(1e-6));
      }
      sum += y[i];
    }
    // Binomial: the keep rate's standard deviation is sqrt(p (1-p) / n) <= 0.0012; allow 5 of them.
    const double rate = static_cast<double>(kept) / n;
    REQUIRE(rate == Approx(1.0 - p).margin(0.006));
    REQUIRE(sum / n == Approx(1.0).margin(0.006 / (1.0 - p)));  // inverted: the mean is kept
    REQUIRE(rng.state().position == static_cast<uint64_t>(n));
  }
}

TEST_CASE("dropout element i uses number position + i of the stream") {
  Rng rng(17, 2);
  rng.fill_uniform(Tensor::empty({13}).data(), 13);  // start mid-stream
  const RngState start = rng.state();
  const float p = 0.4f;
  const Tensor y = dropout(Var(ones({6, 9})), p, rng, true).value();
  for (int64_t i = 0; i < 54; ++i) {
    const bool keep = u32_to_unit(philox_at(start.seed, start.stream, start.position + i)) >= p;
    REQUIRE((y[i] != 0.0f) == keep);
  }
  REQUIRE(rng.state().position == start.position + 54);
}

TEST_CASE("dropout draws the same mask for the same seed and any thread count") {
  const Shape shape{300, 301};  // above the parallel threshold
  auto mask_with_threads = [&](int threads, Rng& rng) {
    const int before = omp_get_max_threads();
    omp_set_num_threads(threads);
    Tensor y = dropout(Var(ones(shape)), 0.25f, rng, true).value();
    omp_set_num_threads(before);
    return y;
  };
  Rng a(8, 0), b(8, 0);
  const Tensor first = mask_with_threads(1, a);
  const Tensor same = mask_with_threads(2, b);
  for (int64_t i = 0; i < first.numel(); ++i) REQUIRE(first[i] == same[i]);
  const Tensor next = mask_with_threads(2, a);
  int64_t differ = 0;
  for (int64_t i = 0; i < first.numel(); ++i) differ += (first[i] == 0.0f) != (next[i] == 0.0f);
  REQUIRE(differ > first.numel() / 4);  // 2 p (1 - p) = 37.5 % differ for independent masks
}

TEST_CASE("dropout is the identity in eval mode and at p = 0 and zero at p = 1") {
  Rng rng(3, 0);
  Var x = Var::parameter(Tensor::from({2, 2}, {1, -2, 3, -4}));
  Var eval = dropout(x, 0.5f, rng, false);
  Var off = dropout(x, 0.0f, rng, true);
  REQUIRE(rng.state().position == 0);
  for (int64_t i = 0; i < 4; ++i) {
    REQUIRE(eval.value()[i] == x.value()[i]);
    REQUIRE(off.value()[i] == x.value()[i]);
  }
  Var all = dropout(x, 1.0f, rng, true);
  for (int64_t i = 0; i < 4; ++i) REQUIRE(all.value()[i] == 0.0f);
  REQUIRE(rng.state().position == 4);
  REQUIRE_THROWS_AS(dropout(x, 1.5f, rng, true), Error);
  REQUIRE_THROWS_AS(dropout(x, -0.1f, rng, true), Error);
}
