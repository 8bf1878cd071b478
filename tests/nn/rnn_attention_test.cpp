#include <catch2/catch.hpp>

#include "base/error.h"

#include "nn/module_gradcheck.h"
#include "nn/rnn_attention.h"
#include "ops/attention_cases.h"
#include "ops/shape_ops.h"

using namespace attn;
using namespace attn::testing;

namespace {
constexpr int64_t B = 2, Tk = 5, Dq = 3, Dk = 4, A = 6;
}

TEST_CASE("RNN attention gradcheck for additive, general and dot, with padding") {
  uint64_t seed = 10;
  for (const char* score : {"additive", "general", "dot"}) {
    DYNAMIC_SECTION(score) {
      Rng rng(++seed, 0);
      const bool dot = std::string(score) == "dot";
      const int64_t dq = dot ? Dk : Dq;
      nn::RnnAttention layer(score, "softmax", dq, Dk, A, rng);
      const Tensor query = random_tensor({B, dq}, rng), memory = random_tensor({B, Tk, Dk}, rng);
      const std::vector<int32_t> lengths{Tk, 2};
      auto step = [&](const Var& q, const Var& m) { return layer.forward(q, layer.prepare(m), lengths); };
      GradcheckResult params = module_gradcheck(layer, [&] { return step(Var(query), Var(memory)); });
      INFO("parameters: " << params.detail);
      CHECK(params.ok);
      GradcheckResult inputs = gradcheck([&](const std::vector<Var>& v) { return step(v[0], v[1]); }, {query, memory});
      INFO("inputs: " << inputs.detail);
      CHECK(inputs.ok);
    }
  }
}

TEST_CASE("RNN attention with prepared keys equals the attention op on raw keys") {
  Rng rng(5, 0);
  nn::RnnAttention layer("additive", "softmax", Dq, Dk, A, rng);
  const Var query(random_tensor({B, Dq}, rng)), memory(random_tensor({B, Tk, Dk}, rng));
  const std::vector<int32_t> lengths{3, Tk};
  Tensor weights;
  const Tensor context = layer.forward(query, layer.prepare(memory), lengths, &weights).value();
  AttentionOptions o;
  o.score = AttentionScore::additive;
  for (auto& [name, p] : layer.named_parameters()) {
    if (name == "score.query_weight") o.params.query_weight = p;
    if (name == "score.key_weight") o.params.key_weight = p;
    if (name == "score.v") o.params.v = p;
  }
  REQUIRE(o.params.query_weight.defined());
  o.mask.key_lengths = lengths;
  const Tensor expect =
      attention(reshape(query, {B, 1, 1, Dq}), reshape(memory, {B, 1, Tk, Dk}), reshape(memory, {B, 1, Tk, Dk}), o)
          .value();
  REQUIRE(context.shape() == Shape{B, Dk});
  for (int64_t i = 0; i < context.numel(); ++i) CHECK(context[i] == Approx(expect[i]).margin(1e-6));
  REQUIRE(weights.shape() == Shape{B, Tk});
  for (int64_t b = 0; b < B; ++b) {
    double total = 0.0;
    for (int64_t j = 0; j < Tk; ++j) {
      if (j >= lengths[b]) CHECK(weights[b * Tk + j] == 0.0f);
      total += weights[b * Tk + j];
    }
    CHECK(total == Approx(1.0).margin(1e-6));
  }
}

TEST_CASE("RNN attention rejects unknown names and mismatched widths") {
  Rng rng(1, 0);
  CHECK_THROWS_AS(nn::RnnAttention("linear", "softmax", 4, 4, 4, rng), Error);
  CHECK_THROWS_AS(nn::RnnAttention("additive", "argmax", 4, 4, 4, rng), Error);
  CHECK_THROWS_AS(nn::RnnAttention("dot", "softmax", 3, 4, 0, rng), Error);
}
