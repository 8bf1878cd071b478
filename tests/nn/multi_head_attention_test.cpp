#include <catch2/catch.hpp>

#include "base/error.h"
#include <cmath>

#include "nn/module_gradcheck.h"
#include "nn/multi_head_attention.h"
#include "ops/attention_cases.h"
#include "ops/linalg.h"
#include "ops/shape_ops.h"

using namespace attn;
using namespace attn::testing;

namespace {
constexpr int64_t B = 2, Tq = 3, Tk = 4, C = 4, Ckv = 5, H = 2;

struct ModuleCase {
  std::string name;
  nn::AttentionSpec spec;
  AttentionMask mask;
  bool cross = false;
};

std::vector<ModuleCase> module_cases() {
  std::vector<ModuleCase> out;
  AttentionMask padded;
  padded.key_lengths = {Tk, 2};
  AttentionMask causal;
  causal.causal = true;
  for (const char* score : {"dot", "scaled_dot", "general", "additive", "cosine"}) {
    nn::AttentionSpec spec;
    spec.score = score;
    spec.learn_tau = true;
    out.push_back({std::string(score) + " cross, padded", spec, padded, true});
  }
  nn::AttentionSpec plain;
  out.push_back({"scaled_dot self, causal", plain, causal});
  nn::AttentionSpec window = plain;
  window.window = 1;
  out.push_back({"sliding window 1 self, causal", window, causal});
  nn::AttentionSpec linear;
  linear.score = "linear";
  out.push_back({"linear self, causal", linear, causal});
  out.push_back({"linear cross, padded", linear, padded, true});
  return out;
}
}  // namespace

TEST_CASE("multi-head attention gradcheck: parameters and inputs, self and cross") {
  uint64_t seed = 60;
  for (const ModuleCase& c : module_cases()) {
    DYNAMIC_SECTION(c.name) {
      Rng rng(++seed, 0);
      nn::MultiHeadAttention mha(C, H, c.spec, true, rng, c.cross ? Ckv : 0);
      const Tensor query = random_tensor({B, Tq, C}, rng);
      const Tensor memory = random_tensor({B, Tk, Ckv}, rng);
      auto forward = [&](const Var& x, const Var& kv) { return mha.forward(x, c.cross ? kv : x, c.mask); };
      GradcheckResult params = module_gradcheck(mha, [&] { return forward(Var(query), Var(memory)); });
      INFO("parameters: " << params.detail);
      CHECK(params.ok);
      GradcheckResult inputs =
          gradcheck([&](const std::vector<Var>& v) { return forward(v[0], v[1]); }, {query, memory});
      INFO("inputs: " << inputs.detail);
      CHECK(inputs.ok);
    }
  }
}

TEST_CASE("multi-head attention names its parameters like PyTorch modules") {
  Rng rng(1, 0);
  nn::AttentionSpec spec;
  spec.score = "additive";
  nn::MultiHeadAttention mha(8, 2, spec, true, rng);
  std::vector<std::string> names;
  for (auto& [name, p] : mha.named_parameters()) names.push_back(name);
  CHECK(names == std::vector<std::string>{"q_proj.weight", "q_proj.bias", "k_proj.weight", "k_proj.bias",
                                          "v_proj.weight", "v_proj.bias", "out_proj.weight", "out_proj.bias",
                                          "score.query_weight", "score.key_weight", "score.v"});
  nn::AttentionSpec bad;
  bad.score = "bilinear";
  CHECK_THROWS_AS(nn::MultiHeadAttention(8, 2, bad, true, rng), Error);
  CHECK_THROWS_AS(nn::MultiHeadAttention(8, 3, {}, true, rng), Error);
}

TEST_CASE("multi-head attention equals its per-head composition, fused and reference paths agree") {
  Rng rng(7, 0);
  const int64_t b = 2, t = 9, c = 16, h = 4, d = c / h;
  nn::AttentionSpec spec;
  nn::MultiHeadAttention mha(c, h, spec, true, rng);
  nn::AttentionSpec reference_spec = spec;
  reference_spec.force_reference = true;
  Rng same(7, 0);
  nn::MultiHeadAttention reference(c, h, reference_spec, true, same);
  const Var x(random_tensor({b, t, c}, rng));
  AttentionMask mask;
  mask.key_lengths = {t, 5};
  mask.causal = true;
  Tensor weights;
  const Tensor fused = mha.forward(x, x, mask).value();
  const Tensor ref = reference.forward(x, x, mask, &weights).value();
  // By hand: per-head softmax(q kᵀ / √D) v with the captured weights, then out_proj.
  auto params = mha.named_parameters();
  auto param = [&](const std::string& name) {
    for (auto& [n, p] : params)
      if (n == name) return p;
    FAIL("no parameter " << name);
    return Var();
  };
  Var v = reshape(linear(x, param("v_proj.weight"), param("v_proj.bias")), {b, t, h, d});
  Var heads = matmul(Var(weights), transpose(v, 1, 2));  // [B, H, T, D]
  const Tensor by_hand =
      linear(reshape(transpose(heads, 1, 2), {b, t, c}), param("out_proj.weight"), param("out_proj.bias")).value();
  for (int64_t i = 0; i < fused.numel(); ++i) {
    REQUIRE(fused[i] == Approx(ref[i]).margin(1e-5));
    REQUIRE(ref[i] == Approx(by_hand[i]).margin(1e-5));
  }
}

TEST_CASE("multi-head attention capture: [B, H, Tq, Tk] rows sum to 1, every normalizer, window honoured") {
  Rng rng(3, 0);
  for (const char* normalizer : {"softmax", "sparsemax", "hard"})
    for (const char* score : {"scaled_dot", "additive", "linear"}) {
      DYNAMIC_SECTION(score << " / " << normalizer) {
        nn::AttentionSpec spec;
        spec.score = score;
        spec.normalizer = normalizer;
        const bool linear = spec.score == "linear";
        if (!linear) spec.window = 2;
        nn::MultiHeadAttention mha(8, 2, spec, false, rng);
        const Var x(random_tensor({2, 7, 8}, rng));
        Tensor weights;
        const Var out = mha.forward(x, x, {}, &weights);
        REQUIRE(out.shape() == Shape{2, 7, 8});
        REQUIRE(weights.shape() == Shape{2, 2, 7, 7});
        for (int64_t row = 0; row < 2 * 2 * 7; ++row) {
          const int64_t i = row % 7;
          double total = 0.0;
          for (int64_t j = 0; j < 7; ++j) {
            if (!linear && std::abs(j - i) > 2) REQUIRE(weights[row * 7 + j] == 0.0f);
            total += weights[row * 7 + j];
          }
          REQUIRE(total == Approx(1.0).margin(1e-5));
        }
      }
    }
}
