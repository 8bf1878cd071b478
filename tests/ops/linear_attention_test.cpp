#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "ops/attention_cases.h"
#include "ops/linear_attention.h"
#include "ops/op_cases.h"

using namespace attn;
using namespace attn::testing;

TEST_CASE("linear attention equals its quadratic formulation, values and gradients") {
  Rng rng(99, 0);
  for (int trial = 0; trial < 24; ++trial) {
    const int64_t b = 1 + rng.below(3), h = 1 + rng.below(3), tq = 1 + rng.below(12), tk = 1 + rng.below(12);
    const int64_t d = 1 + rng.below(8), dv = 1 + rng.below(8);
    LinearAttentionOptions o;
    o.causal = trial % 2 == 1;
    o.layout = trial % 4 >= 2 ? AttentionLayout::bthd : AttentionLayout::bhtd;
    if (trial % 3 == 0)
      for (int64_t i = 0; i < b; ++i) o.key_lengths.push_back(static_cast<int32_t>(rng.below(tk + 1)));
    const bool bthd = o.layout == AttentionLayout::bthd;
    auto shape = [&](int64_t t, int64_t w) { return bthd ? Shape{b, t, h, w} : Shape{b, h, t, w}; };
    const std::vector<Tensor> inputs{random_tensor(shape(tq, d), rng, -2, 2), random_tensor(shape(tk, d), rng, -2, 2),
                                     random_tensor(shape(tk, dv), rng)};
    const Tensor dout = random_tensor(shape(tq, dv), rng);
    auto run = [&](bool quadratic) {
      std::vector<Var> v;
      for (const Tensor& t : inputs) v.push_back(Var::parameter(t.clone()));
      Var out = quadratic ? linear_attention_quadratic(v[0], v[1], v[2], o) : linear_attention(v[0], v[1], v[2], o);
      out.backward(dout);
      v.insert(v.begin(), out);
      return v;
    };
    INFO("trial " << trial << " causal " << o.causal << " Tq " << tq << " Tk " << tk);
    const std::vector<Var> fast = run(false), slow = run(true);
    for (int64_t i = 0; i < fast[0].numel(); ++i)
      REQUIRE(fast[0].value()[i] == Approx(slow[0].value()[i]).margin(1e-5));
    for (size_t x = 1; x < fast.size(); ++x) {
      REQUIRE(fast[x].grad().defined() == slow[x].grad().defined());
      if (!fast[x].grad().defined()) continue;
      for (int64_t i = 0; i < fast[x].numel(); ++i)
        REQUIRE(fast[x].grad()[i] == Approx(slow[x].grad()[i]).margin(1e-4));
    }
  }
}

TEST_CASE("linear attention gradcheck, causal and not") {
  auto make = [](bool causal, std::vector<int32_t> lengths) {
    return [causal, lengths](const std::vector<Var>& v) {
      LinearAttentionOptions o;
      o.causal = causal;
      o.key_lengths = lengths;
      return linear_attention(v[0], v[1], v[2], o);
    };
  };
  run_op_cases({
      {"linear attention", {{2, 2, 3, 3}, {2, 2, 4, 3}, {2, 2, 4, 2}}, make(false, {})},
      {"linear attention causal", {{2, 2, 4, 3}, {2, 2, 4, 3}, {2, 2, 4, 2}}, make(true, {})},
      {"linear attention causal Tq < Tk, padded", {{2, 1, 3, 2}, {2, 1, 5, 2}, {2, 1, 5, 3}}, make(true, {4, 2})},
  });
}

TEST_CASE("linear attention captures weights whose visible rows sum to 1") {
  Rng rng(4, 0);
  Var q(random_tensor({1, 2, 4, 3}, rng)), k(random_tensor({1, 2, 6, 3}, rng)), v(random_tensor({1, 2, 6, 2}, rng));
  LinearAttentionOptions o;
  o.causal = true;
  Tensor weights;
  o.capture = &weights;
  linear_attention(q, k, v, o);
  REQUIRE(weights.shape() == Shape{1, 2, 4, 6});
  for (int64_t row = 0; row < 8; ++row) {
    const int64_t i = row % 4;
    double total = 0.0;
    for (int64_t j = 0; j < 6; ++j) {
      if (j > i + 2) CHECK(weights[row * 6 + j] == 0.0f);
      total += weights[row * 6 + j];
    }
    CHECK(total == Approx(1.0).margin(1e-5));
  }
}
