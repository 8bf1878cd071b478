#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "base/error.h"
#include "ops/activation.h"
#include "ops/attention_cases.h"
#include "ops/attention_score.h"
#include "ops/elementwise.h"
#include "ops/linalg.h"
#include "ops/op_cases.h"
#include "ops/shape_ops.h"

using namespace attn;
using namespace attn::testing;

TEST_CASE("additive scores equal the broadcast-add, tanh, matmul composition, with gradients") {
  // Shapes on both sides of the kernel's thresholds: size 1; a [Tk, A] block of
  // several tanh chunks (8192) with the group loop serial (G·Tq·Tk·A <= 65536) and
  // inside the group loop's parallel team, where the tanh must run on the caller.
  struct Case {
    int64_t b, h, tq, tk, a;
  };
  const Case cases[] = {{1, 1, 1, 1, 1}, {2, 3, 4, 5, 6}, {1, 2, 3, 700, 13}, {3, 2, 7, 650, 13}, {2, 1, 17, 3, 1}};
  Rng rng(31, 0);
  for (const Case& c : cases) {
    const int64_t b = c.b, h = c.h, tq = c.tq, tk = c.tk, a = c.a;
    CAPTURE(b, h, tq, tk, a);
    const std::vector<Tensor> inputs{random_tensor({b, h, tq, a}, rng), random_tensor({b, h, tk, a}, rng),
                                     random_tensor({a}, rng)};
    const Tensor dout = random_tensor({b, h, tq, tk}, rng);
    auto run = [&](bool kernel) {
      std::vector<Var> v;
      for (const Tensor& t : inputs) v.push_back(Var::parameter(t.clone()));
      Var s = kernel ? additive_scores(v[0], v[1], v[2])
                     : reshape(matmul(tanh(add(reshape(v[0], {b, h, tq, 1, a}), reshape(v[1], {b, h, 1, tk, a}))),
                                      reshape(v[2], {a, 1})),
                               {b, h, tq, tk});
      s.backward(dout);
      v.insert(v.begin(), s);
      return v;
    };
    const std::vector<Var> fused = run(true), composed = run(false);
    for (int64_t i = 0; i < dout.numel(); ++i)
      REQUIRE(fused[0].value()[i] == Approx(composed[0].value()[i]).margin(1e-5));
    // Gradients are float sums of up to max(Tq, Tk) terms per group, summed in a
    // different order by each side: their relative rounding grows with that length
    // (Catch's default relative 1.2e-5 stays the floor for short sums).
    const double relative = std::max(1.2e-5, 1e-6 * static_cast<double>(std::max(tq, tk)));
    for (size_t x = 1; x < fused.size(); ++x)
      for (int64_t i = 0; i < fused[x].numel(); ++i)
        REQUIRE(fused[x].grad()[i] == Approx(composed[x].grad()[i]).margin(1e-5).epsilon(relative));
  }
}

TEST_CASE("score ops gradcheck: additive kernel, l2_normalize with a zero row") {
  run_op_cases({
      {"additive_scores", {{2, 1, 3, 4}, {2, 1, 5, 4}, {4}},
       [](const std::vector<Var>& v) { return additive_scores(v[0], v[1], v[2]); }},
      {"l2_normalize", {{3, 4}}, [](const std::vector<Var>& v) { return l2_normalize(v[0]); }},
  });
  Var zero = Var::parameter(Tensor::zeros({1, 3}));
  Var y = l2_normalize(zero);
  y.backward(Tensor::full({1, 3}, 1.0f));
  for (int64_t i = 0; i < 3; ++i) {
    CHECK(y.value()[i] == 0.0f);
    CHECK(std::isfinite(zero.grad()[i]));
  }
}

TEST_CASE("general and cosine scores match their formulas") {
  Rng rng(12, 0);
  const int64_t tq = 3, tk = 4, dq = 2, dk = 5;
  Var q(random_tensor({1, 1, tq, dq}, rng)), k(random_tensor({1, 1, tk, dk}, rng));
  AttentionScoreParams p;
  p.weight = Var(random_tensor({dq, dk}, rng));
  const Tensor general = attention_scores(q, k, AttentionScore::general, p).value();
  for (int64_t i = 0; i < tq; ++i)
    for (int64_t j = 0; j < tk; ++j) {
      double expect = 0.0;
      for (int64_t x = 0; x < dq; ++x)
        for (int64_t y = 0; y < dk; ++y)
          expect += q.value()[i * dq + x] * p.weight.value()[x * dk + y] * k.value()[j * dk + y];
      CHECK(general[i * tk + j] == Approx(expect).margin(1e-5));
    }
  Var kq(random_tensor({1, 1, tk, dq}, rng));
  const Tensor cosine = attention_scores(q, kq, AttentionScore::cosine, {}, 3.0f).value();
  for (int64_t i = 0; i < tq; ++i)
    for (int64_t j = 0; j < tk; ++j) {
      double dot = 0.0, nq = 0.0, nk = 0.0;
      for (int64_t x = 0; x < dq; ++x) {
        dot += q.value()[i * dq + x] * kq.value()[j * dq + x];
        nq += q.value()[i * dq + x] * q.value()[i * dq + x];
        nk += kq.value()[j * dq + x] * kq.value()[j * dq + x];
      }
      CHECK(cosine[i * tk + j] == Approx(3.0 * dot / std::sqrt(nq * nk)).margin(1e-5));
    }
}

TEST_CASE("score names round-trip and bad names or parameters are reported") {
  for (const ScoreVariant& s : score_variants())
    CHECK(attention_score_from_name(attention_score_name(s.score)) == s.score);
  CHECK_THROWS_AS(attention_score_from_name("bilinear"), Error);
  Var q(Tensor::zeros({1, 1, 2, 3})), k(Tensor::zeros({1, 1, 2, 4}));
  CHECK_THROWS_AS(attention_scores(q, k, AttentionScore::dot, {}), Error);
  CHECK_THROWS_AS(attention_scores(q, k, AttentionScore::general, {}), Error);
  AttentionScoreParams wrong;
  wrong.weight = Var(Tensor::zeros({4, 3}));
  CHECK_THROWS_AS(attention_scores(q, k, AttentionScore::general, wrong), Error);
}
